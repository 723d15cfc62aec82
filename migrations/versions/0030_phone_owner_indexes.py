"""Phones' owner indexes hold only the phones that have that owner (#31)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 22:10:00

A phone belongs to a service, an organization or a location: each of the three owner
columns is empty on most rows. SQLite's planner statistics count the empty rows as one
value, so an index on ``location_id`` looked as if every lookup returned every phone, and
the search's "phones of these places" (a page of results) scanned the whole table: 7 ms of
a 100,000-service category listing's 10 ms of SQL. Partial indexes (``WHERE ... IS NOT
NULL``) hold the owned rows only; every lookup by owner (``IN (...)``, ``=``) implies it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

OWNERS = ("organization_id", "service_id", "location_id")


def upgrade():
    for column in OWNERS:
        op.drop_index(f"ix_phones_{column}", table_name="phones")
        op.create_index(
            f"ix_phones_{column}",
            "phones",
            [column],
            sqlite_where=sa.text(f"{column} IS NOT NULL"),
            postgresql_where=sa.text(f"{column} IS NOT NULL"),
        )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE phones")


def downgrade():
    for column in OWNERS:
        op.drop_index(f"ix_phones_{column}", table_name="phones")
        op.create_index(f"ix_phones_{column}", "phones", [column])
