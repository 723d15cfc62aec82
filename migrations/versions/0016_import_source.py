"""The HSDS source each organization, location and service was imported from

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 09:00:00

A re-import is a sync: records of a source that a full re-import of that source no longer
holds are deactivated. That needs to know which source a record came from.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TABLES = ("organizations", "locations", "services")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, recreate="never") as batch_op:
            batch_op.add_column(sa.Column("import_source", sa.String(length=100), nullable=True))
            batch_op.create_index(f"ix_{table}_import_source", ["import_source"], unique=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_import_source")
            batch_op.drop_column("import_source")
