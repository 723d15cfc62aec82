"""The referral loop: live referrals sent to a partner's inbox, consent per partner,
de-identified events

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 07:00:00

``referrals`` gains the loop's columns (state, a random referral number, urgency, first
contact, needs, the arrival code, times, the partner's reason, purge time); its
``case_reference`` becomes nullable (removed when a sent referral's content is purged).
``referral_consents`` holds the client's consent per receiving organization with its
expiry; ``referral_events`` the de-identified steps (state, time, partner, category) that
outlive the purge and feed the figures.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "referral_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("case_manager_id", sa.Integer(), nullable=False),
        sa.Column("case_reference", sa.String(length=40), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_manager_id"], ["users.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referral_consents", schema=None) as batch_op:
        batch_op.create_index("ix_referral_consents_case_manager_id", ["case_manager_id"])
        batch_op.create_index("ix_referral_consents_organization_id", ["organization_id"])

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.alter_column("case_reference", existing_type=sa.String(length=40), nullable=True)
        batch_op.add_column(sa.Column("loop_state", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("loop_number", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("urgency", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("first_contact", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("needs_language", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("needs_interpreter", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("needs_accessibility", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("consent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("arrival_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("arrival_used_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("respond_by", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("loop_closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("loop_reason_code", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("loop_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("sender_unseen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index("ix_referrals_loop_state", ["loop_state"])
        batch_op.create_index("ix_referrals_respond_by", ["respond_by"])
        batch_op.create_index("ix_referrals_loop_closed_at", ["loop_closed_at"])
        batch_op.create_index("ix_referrals_consent_id", ["consent_id"])
        batch_op.create_unique_constraint("uq_referrals_loop_number", ["loop_number"])
        batch_op.create_foreign_key(
            "fk_referrals_consent_id",
            "referral_consents",
            ["consent_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "referral_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=60), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=10), nullable=False),
        sa.Column("reason_code", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("answer_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.create_index("ix_referral_events_at", ["at"])
        batch_op.create_index("ix_referral_events_organization_id", ["organization_id"])
        batch_op.create_index("ix_referral_events_referral_id", ["referral_id"])


def downgrade():
    op.drop_table("referral_events")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint("fk_referrals_consent_id", type_="foreignkey")
        batch_op.drop_constraint("uq_referrals_loop_number", type_="unique")
        for name in ("consent_id", "loop_closed_at", "respond_by", "loop_state"):
            batch_op.drop_index(f"ix_referrals_{name}")
        for name in (
            "sender_unseen",
            "purged_at",
            "loop_reason",
            "loop_reason_code",
            "loop_closed_at",
            "answered_at",
            "respond_by",
            "sent_at",
            "arrival_used_at",
            "arrival_code",
            "consent_id",
            "needs_accessibility",
            "needs_interpreter",
            "needs_language",
            "first_contact",
            "urgency",
            "loop_number",
            "loop_state",
        ):
            batch_op.drop_column(name)
    # a purged referral has no case reference: it had one only while it had content
    op.execute("UPDATE referrals SET case_reference = '(purged)' WHERE case_reference IS NULL")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.alter_column("case_reference", existing_type=sa.String(length=40), nullable=False)
    op.drop_table("referral_consents")
