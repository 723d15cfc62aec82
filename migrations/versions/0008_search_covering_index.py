"""Search: one covering index for category listings and eligibility filters

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 14:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = [
    'category', 'status', 'organization_id', 'location_id', 'name', 'cost',
    'immigration_status', 'victim_id_required', 'walk_in', 'min_age', 'max_age', 'genders',
    'modalities',
]


def upgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index('ix_services_category_status')
        batch_op.create_index('ix_services_search', COLUMNS, unique=False)
    op.execute('ANALYZE')  # planner statistics for the new index


def downgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index('ix_services_search')
        batch_op.create_index(
            'ix_services_category_status', ['category', 'status', 'organization_id', 'name'],
            unique=False,
        )
