"""Lock-out per (account, client) and API tokens that expire

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 07:30:00

``login_throttle.account_key``: a client's row (an address, or a device that signed in
before, trying one e-mail) carries the e-mail's own key, so an admin's unlock clears
every client's row. ``api_tokens.expires_at``: when a token stops working (``API_TOKEN_DAYS``
after it was issued); tokens issued before have none and expire ``API_TOKEN_DAYS`` after
their ``created_at`` (``app.auth``).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_key", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_login_throttle_account_key"), ["account_key"], unique=False
        )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_account_key"))
        batch_op.drop_column("account_key")
