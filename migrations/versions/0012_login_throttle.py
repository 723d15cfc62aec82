"""Login throttle: failed logins in a row per typed e-mail, kept where every worker sees them

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 09:00:00

Flask-Limiter's in-memory counters are per worker process: with two gunicorn workers an
attacker had twice the attempts, and a restart forgot them. The per-account lock-out now
lives in the database: one row per typed e-mail (an HMAC of it, never the text), with the
number of failures in a row and the moment the lock-out ends.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')),
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_last_failure_at'))
    op.drop_table('login_throttle')
