"""Services: a discreet name, the neutral alias what is shared with a client uses

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 10:00:00

A share text, QR code or handout a client carries must not say what the service is for.
A coordinator may give a service a neutral alias; without one the category's neutral label
is used (``directory.catalog.share``).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discreet_name', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('discreet_name')
