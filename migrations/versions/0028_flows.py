"""Every flow finishes (#28): where a partner's e-mail went, whose outbox message it is

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 07:00:00

``partner_links.delivered_via``: "smtp" or "outbox" (no mail server), so a coordinator is
told, and later shown, whether the partner's link was really sent. ``mail_outbox.sent_by_id``:
who sent a kept message (a coordinator reads their own, an admin all);
``mail_outbox.passed_on_at``: when someone marked it passed on, after which its tokens are
masked.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('partner_links') as batch:
        batch.add_column(sa.Column('delivered_via', sa.String(length=10), nullable=True))
    with op.batch_alter_table('mail_outbox') as batch:
        batch.add_column(sa.Column('sent_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('passed_on_at', sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            'fk_mail_outbox_sent_by_id_users', 'users', ['sent_by_id'], ['id'], ondelete='SET NULL'
        )
        batch.create_index('ix_mail_outbox_sent_by_id', ['sent_by_id'])


def downgrade():
    with op.batch_alter_table('mail_outbox') as batch:
        batch.drop_index('ix_mail_outbox_sent_by_id')
        batch.drop_constraint('fk_mail_outbox_sent_by_id_users', type_='foreignkey')
        batch.drop_column('passed_on_at')
        batch.drop_column('sent_by_id')
    with op.batch_alter_table('partner_links') as batch:
        batch.drop_column('delivered_via')
