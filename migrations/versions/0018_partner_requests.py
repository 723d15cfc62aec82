"""Partners keep their listings current: update requests with personal links, suggestions,
capacity links, the mail outbox

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 09:00:00

New tables ``partner_links`` (hashed tokens with scope, expiry, use and revocation),
``update_requests``, ``partner_suggestions`` and ``mail_outbox`` (mail kept when no
``MAIL_SERVER`` is set); new columns ``organizations.language`` and
``organizations.discreet_mail`` (how to write to the partner) and ``services.verified_via``
(verified by a coordinator, or by the partner through a link). Self-contained: only these
tables and columns (0017 is re-chained before it at merge).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), nullable=False, server_default="en")
        )
        batch_op.add_column(
            sa.Column("discreet_mail", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("services", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("verified_via", sa.String(length=20), nullable=True))

    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sender", sa.String(length=254), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(op.f("ix_mail_outbox_created_at"), "mail_outbox", ["created_at"])

    op.create_table(
        "partner_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name=op.f("fk_partner_links_organization_id_organizations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"],
            name=op.f("fk_partner_links_created_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_partner_links_token_hash")),
    )
    op.create_index(
        op.f("ix_partner_links_organization_id"), "partner_links", ["organization_id"]
    )

    op.create_table(
        "update_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name=op.f("fk_update_requests_organization_id_organizations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["partner_links.id"],
            name=op.f("fk_update_requests_link_id_partner_links"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"],
            name=op.f("fk_update_requests_sent_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_requests")),
    )
    op.create_index(
        op.f("ix_update_requests_organization_id"), "update_requests", ["organization_id"]
    )
    op.create_index(op.f("ix_update_requests_sent_at"), "update_requests", ["sent_at"])
    op.create_index(op.f("ix_update_requests_answered_at"), "update_requests", ["answered_at"])

    op.create_table(
        "partner_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("seen", sa.JSON(), nullable=True),
        sa.Column("proposed", sa.JSON(), nullable=True),
        sa.Column("seen_version", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["update_requests.id"],
            name=op.f("fk_partner_suggestions_request_id_update_requests"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"],
            name=op.f("fk_partner_suggestions_service_id_services"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"],
            name=op.f("fk_partner_suggestions_decided_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_suggestions")),
    )
    op.create_index(
        op.f("ix_partner_suggestions_request_id"), "partner_suggestions", ["request_id"]
    )


def downgrade():
    op.drop_table("partner_suggestions")
    op.drop_table("update_requests")
    op.drop_table("partner_links")
    op.drop_table("mail_outbox")
    with op.batch_alter_table("services", recreate="never") as batch_op:
        batch_op.drop_column("verified_via")
    with op.batch_alter_table("organizations", recreate="never") as batch_op:
        batch_op.drop_column("discreet_mail")
        batch_op.drop_column("language")
