"""An organization's website may be marked neutral for discreet shares

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 08:00:00

``organizations.website_neutral`` (false by default): a discreet share text, QR handout or
"Copy contact" carries the organization's website only when a coordinator said it names
nothing that tells what the service is for (a domain spells the organization).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("website_neutral", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.drop_column("website_neutral")
