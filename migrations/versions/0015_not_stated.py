"""Unknown is not yes: eligibility, cost and access facts may be not stated (NULL), a service
may be uncategorized, and a day's opening times may be not given

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 03:00:00

Services had defaults that read as claims: cost "free", immigration status "any", no
victim identification required, no walk-in, no appointment, "in person", and an empty
gender list meaning everyone. A package that said nothing of these imported as all of
them, so ``free=true`` returned every imported service.

The columns become nullable, NULL meaning "not stated". What a coordinator entered stays
stated: a service with a ``create`` event in the audit log was entered through the app
(form, API or seed), and keeps its values (an empty gender list, which meant everyone,
becomes all four genders). A service without one came from a bulk import, which wrote the
defaults for whatever the package did not say: those default values become not stated.
One audit event records how many services changed. The search entries copy the services.

A service's category may be NULL (uncategorized): a real 211 package whose taxonomy maps to
no Section V category imports, listed in search and flagged for review, instead of being
refused whole.

An opening span may have no times (``service_hours.opens``/``closes`` NULL): the source
says the service is open that day but gives the times only as text ("10:00am-11:00am AND
6:45pm"), kept in the service's hours notes; open-now is unknown for that day, not assumed
(an import used to make such a row open 00:00-24:00).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

EVERYONE = 'female male transgender nonbinary'
# column → (type, the default the app used to write when nothing was stated)
FACTS = {
    'cost': (sa.String(length=20), 'free'),
    'immigration_status': (sa.String(length=20), 'any'),
    'victim_id_required': (sa.Boolean(), False),
    'walk_in': (sa.Boolean(), False),
    'appointment_required': (sa.Boolean(), False),
    'modalities': (sa.String(length=100), 'in_person'),
    'genders': (sa.String(length=100), ''),
}
ENTRY_FACTS = [c for c in FACTS if c != 'appointment_required']


def _nullable(table: str, columns, nullable: bool) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name in columns:
            batch_op.alter_column(name, existing_type=FACTS[name][0], nullable=nullable)


def _copy_to_entries() -> None:
    sets = ', '.join(
        f'{c} = (SELECT s.{c} FROM services s WHERE s.id = search_entries.service_id)'
        for c in ENTRY_FACTS
    )
    op.execute(f'UPDATE search_entries SET {sets}')


def _category(nullable: bool) -> None:
    for table in ('services', 'search_entries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('category', existing_type=sa.String(length=60), nullable=nullable)


def _times(nullable: bool) -> None:
    with op.batch_alter_table('service_hours', schema=None) as batch_op:
        for name in ('opens', 'closes'):
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=nullable)


def upgrade():
    _nullable('services', FACTS, True)
    _nullable('search_entries', ENTRY_FACTS, True)
    _category(True)
    _times(True)
    conn = op.get_bind()
    entered = (
        "EXISTS (SELECT 1 FROM audit_events a WHERE a.object_type = 'services' "
        "AND a.action = 'create' AND a.object_id = CAST(services.id AS VARCHAR(64)))"
    )
    imported = conn.execute(sa.text(f'SELECT count(*) FROM services WHERE NOT {entered}'))
    imported = imported.scalar()
    for column, (_type, default) in FACTS.items():
        conn.execute(
            sa.text(f'UPDATE services SET {column} = NULL WHERE {column} = :d AND NOT {entered}'),
            {'d': default},
        )
    conn.execute(
        sa.text(f"UPDATE services SET genders = :everyone WHERE genders = '' AND {entered}"),
        {'everyone': EVERYONE},
    )
    _copy_to_entries()
    if imported:
        conn.execute(
            sa.text(
                'INSERT INTO audit_events (at, actor, action, object_type, outcome, detail) '
                "VALUES (CURRENT_TIMESTAMP, 'migration 0015', 'update', 'services', 'ok', :d)"
            ),
            {'d': f'{imported} imported services: defaulted eligibility, cost and access '
                  'facts set to not stated'},
        )


def downgrade():
    conn = op.get_bind()
    uncategorized = conn.execute(sa.text('SELECT count(*) FROM services WHERE category IS NULL'))
    if n := uncategorized.scalar():
        # inventing a category would be a claim nobody made
        raise RuntimeError(f'{n} services are uncategorized: categorise them, then downgrade.')
    untimed = conn.execute(sa.text('SELECT count(*) FROM service_hours WHERE opens IS NULL'))
    if n := untimed.scalar():
        raise RuntimeError(f'{n} opening spans have no times: give them times, then downgrade.')
    _times(False)
    conn.execute(sa.text('UPDATE services SET genders = :e WHERE genders = :all'),
                 {'e': '', 'all': EVERYONE})
    for column, (_type, default) in FACTS.items():
        conn.execute(
            sa.text(f'UPDATE services SET {column} = :d WHERE {column} IS NULL'), {'d': default}
        )
    _copy_to_entries()
    _category(False)
    _nullable('search_entries', ENTRY_FACTS, False)
    _nullable('services', FACTS, False)
