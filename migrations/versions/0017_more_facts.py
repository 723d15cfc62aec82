"""More HSDS facts kept: service and location details, postal addresses, location phones, language notes, source taxonomies

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 03:30:00

Issue #21: every HSDS fact has a home or is reported. Services keep their own url, e-mail,
alternate name, application process and wait time, and what a source said of languages
beyond a code (``language_notes``); locations keep their alternate name, description,
transportation and postal address (columns beside the street address: HSDS gives at most
one of each type per location in practice, and a join would cost every read); phones may
belong to a location; a source's taxonomies and terms are kept as given, with the link of
each service to its terms; a service may be offered at several locations
(``service_at_location``), with hours of its own at each.
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

SERVICE_COLUMNS = (
    ("alternate_name", sa.String(length=200)),
    ("url", sa.String(length=300)),
    ("email", sa.String(length=254)),
    ("application_process", sa.Text()),
    ("wait_time", sa.String(length=300)),
    ("language_notes", sa.String(length=500)),
)
LOCATION_COLUMNS = (
    ("alternate_name", sa.String(length=200)),
    ("description", sa.Text()),
    ("transportation", sa.Text()),
    ("postal_address_1", sa.String(length=200)),
    ("postal_address_2", sa.String(length=200)),
    ("postal_city", sa.String(length=100)),
    ("postal_region", sa.String(length=100)),
    ("postal_postal_code", sa.String(length=20)),
    ("postal_country", sa.String(length=2)),
)


def upgrade():
    with op.batch_alter_table("services", recreate="never") as batch_op:
        for name, type_ in SERVICE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("locations", recreate="never") as batch_op:
        for name, type_ in LOCATION_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("phones") as batch_op:
        batch_op.add_column(sa.Column("location_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_phones_location_id", ["location_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_phones_location_id_locations"),
            "locations",
            ["location_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.create_table(
        "taxonomies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hsds_id", sa.String(length=250), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("uri", sa.String(length=300), nullable=True),
        sa.Column("version", sa.String(length=100), nullable=True),
        sa.Column("import_source", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomies")),
        sa.UniqueConstraint("hsds_id", name=op.f("uq_taxonomies_hsds_id")),
    )
    op.create_table(
        "taxonomy_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hsds_id", sa.String(length=250), nullable=False),
        sa.Column("taxonomy_id", sa.Integer(), nullable=True),
        sa.Column("parent_hsds_id", sa.String(length=250), nullable=True),
        sa.Column("code", sa.String(length=250), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("taxonomy", sa.String(length=300), nullable=True),
        sa.Column("term_uri", sa.String(length=300), nullable=True),
        sa.Column("import_source", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["taxonomy_id"],
            ["taxonomies.id"],
            name=op.f("fk_taxonomy_terms_taxonomy_id_taxonomies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_terms")),
        sa.UniqueConstraint("hsds_id", name=op.f("uq_taxonomy_terms_hsds_id")),
    )
    op.create_index("ix_taxonomy_terms_taxonomy_id", "taxonomy_terms", ["taxonomy_id"])
    op.create_index("ix_taxonomy_terms_code", "taxonomy_terms", ["code"])
    op.create_table(
        "service_terms",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_terms_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["taxonomy_terms.id"],
            name=op.f("fk_service_terms_term_id_taxonomy_terms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "term_id", name=op.f("pk_service_terms")),
    )
    op.create_index("ix_service_terms_term_id", "service_terms", ["term_id"])
    op.create_table(
        "service_at_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hsds_id", sa.String(length=36), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_at_location_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_service_at_location_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_at_location")),
        sa.UniqueConstraint("hsds_id", name=op.f("uq_service_at_location_hsds_id")),
    )
    op.create_index("ix_service_at_location_service_id", "service_at_location", ["service_id"])
    op.create_index("ix_service_at_location_location_id", "service_at_location", ["location_id"])
    op.create_table(
        "service_at_location_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sal_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=True),
        sa.Column("closes", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sal_id"],
            ["service_at_location.id"],
            name=op.f("fk_service_at_location_hours_sal_id_service_at_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_at_location_hours")),
    )
    op.create_index(
        "ix_service_at_location_hours_lookup",
        "service_at_location_hours",
        ["sal_id", "weekday"],
    )


def downgrade():
    op.drop_index("ix_service_at_location_hours_lookup", table_name="service_at_location_hours")
    op.drop_table("service_at_location_hours")
    op.drop_index("ix_service_at_location_location_id", table_name="service_at_location")
    op.drop_index("ix_service_at_location_service_id", table_name="service_at_location")
    op.drop_table("service_at_location")
    op.drop_index("ix_service_terms_term_id", table_name="service_terms")
    op.drop_table("service_terms")
    op.drop_index("ix_taxonomy_terms_code", table_name="taxonomy_terms")
    op.drop_index("ix_taxonomy_terms_taxonomy_id", table_name="taxonomy_terms")
    op.drop_table("taxonomy_terms")
    op.drop_table("taxonomies")
    with op.batch_alter_table("phones") as batch_op:
        batch_op.drop_constraint("fk_phones_location_id_locations", type_="foreignkey")
        batch_op.drop_index("ix_phones_location_id")
        batch_op.drop_column("location_id")
    with op.batch_alter_table("locations") as batch_op:
        for name, _type in reversed(LOCATION_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("services") as batch_op:
        for name, _type in reversed(SERVICE_COLUMNS):
            batch_op.drop_column(name)
