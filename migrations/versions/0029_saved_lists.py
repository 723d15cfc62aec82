"""Saved lists (#31): a case manager's named lists of services, private unless shared

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 15:30:00

``saved_lists``: owner, name (checked for client identifiers), shared flag, timestamps; gone
with the owner's account. ``saved_list_items``: the services of a list in the owner's
order (``position``); an item goes with its list or its service.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_lists',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['users.id'], name='fk_saved_lists_owner_id_users', ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name='pk_saved_lists'),
    )
    op.create_index('ix_saved_lists_owner_id', 'saved_lists', ['owner_id'])
    op.create_table(
        'saved_list_items',
        sa.Column('list_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['list_id'], ['saved_lists.id'], name='fk_saved_list_items_list_id_saved_lists',
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['service_id'], ['services.id'], name='fk_saved_list_items_service_id_services',
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('list_id', 'service_id', name='pk_saved_list_items'),
    )
    op.create_index('ix_saved_list_items_service_id', 'saved_list_items', ['service_id'])


def downgrade():
    op.drop_index('ix_saved_list_items_service_id', table_name='saved_list_items')
    op.drop_table('saved_list_items')
    op.drop_index('ix_saved_lists_owner_id', table_name='saved_lists')
    op.drop_table('saved_lists')
