"""Search lists a service at each of its places: one search entry per (service, place)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 09:00:00

``search_entries`` held one row per listed service, at its primary place only, so a
service given at several places (``service_at_location``, 0017) was found by distance,
radius and open-now only there. It now holds one row per listed (service, place) pair,
keyed ``(service_id, place)``: ``place`` 0 is the primary place (``services.location_id``),
any other the ``service_at_location`` id of another place, with that place's search point
(its location's ``search_lat/lon``: a withheld place's is already its town's centre),
time zone and week (the hours kept there, else the service's; a part-open hour of the
hours kept at a place is b'3', so open-now reads that place's spans for it). The key is no longer
SQLite's row id, so every index carries it: the name, group and category indexes have
``place`` after ``service_id``, the two place indexes end with ``(service_id, place)``
(a search near a place still reads the index alone), and a new index on
``(place, service_id)`` finds the few entries of other places (a keyword total adds those
of its matches). Not ``WITHOUT ROWID``: SQLite's OR of two index ranges (the radius or
"serves everywhere") dedupes row ids cheaply, a composite key three times slower. Existing entries become the place-0 rows
and the other places' rows are written here (the same rows ``flask --app wsgi directory
reindex`` writes, which a test checks); the downgrade keeps the place-0 rows.
"""
import math

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

ELIGIBILITY = [
    'cost', 'immigration_status', 'victim_id_required', 'walk_in', 'min_age', 'max_age',
    'genders', 'modalities',
]
# the entry's columns at 0018, in order
COLUMNS_0018 = [
    'service_id', 'organization_id', 'name', 'category', 'category_group', 'lat', 'lon',
    'lat_band', 'timezone', 'week_hours', *ELIGIBILITY, 'capacity_available',
    'capacity_updated_at',
]
BAND_DEGREES = 0.5
WEEK = 7 * 1440
FULL, EMPTY = b'\x01' * 60, b'\x00' * 60


def week_hours(spans) -> bytes:
    """``directory.hours.week_hours`` of the hours kept at a place (never 24/7), as this
    revision knows it: b'1' open the whole hour, b'0' closed, b'3' open part of it by the
    place's own spans (b'2', the service's, is not used here); a day without times is not
    open to a search."""
    minutes = bytearray(WEEK)
    for weekday, opens, closes in spans:
        if opens is None or closes is None:
            continue
        start = weekday * 1440 + opens
        end = weekday * 1440 + (closes if closes > opens else closes + 1440)
        minutes[start:min(end, WEEK)] = b'\x01' * (min(end, WEEK) - start)
        if end > WEEK:
            minutes[:end - WEEK] = b'\x01' * (end - WEEK)
    slots = (minutes[s * 60:s * 60 + 60] for s in range(168))
    return b''.join(b'1' if h == FULL else b'0' if h == EMPTY else b'3' for h in slots)


def _columns(with_place: bool) -> list:
    key = [sa.Column('service_id', sa.Integer(), nullable=False)]
    if with_place:
        key.append(sa.Column('place', sa.Integer(), autoincrement=False, nullable=False))
    return [
        *key,
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('category', sa.String(length=60), nullable=True),
        sa.Column('category_group', sa.String(length=30), nullable=False),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('lat_band', sa.Integer(), nullable=True),
        sa.Column('timezone', sa.String(length=64), nullable=True),
        sa.Column('week_hours', sa.LargeBinary(length=168), nullable=False),
        sa.Column('cost', sa.String(length=20), nullable=True),
        sa.Column('immigration_status', sa.String(length=20), nullable=True),
        sa.Column('victim_id_required', sa.Boolean(), nullable=True),
        sa.Column('walk_in', sa.Boolean(), nullable=True),
        sa.Column('min_age', sa.Integer(), nullable=True),
        sa.Column('max_age', sa.Integer(), nullable=True),
        sa.Column('genders', sa.String(length=100), nullable=True),
        sa.Column('modalities', sa.String(length=100), nullable=True),
        sa.Column('capacity_available', sa.Integer(), nullable=True),
        sa.Column('capacity_updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    ]


def _create(with_place: bool) -> None:
    """The entries table as 0019 (with places) or 0018 (one row per service) has it."""
    key = ['service_id', 'place'] if with_place else ['service_id']
    tie = key  # the name order's tie-breakers
    op.create_table(
        'search_entries',
        *_columns(with_place),
        sa.PrimaryKeyConstraint(*key),
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index('ix_search_entries_group', ['category_group', 'name', *tie, *ELIGIBILITY])
        batch_op.create_index('ix_search_entries_category', ['category', 'name', *tie, *ELIGIBILITY])
        batch_op.create_index('ix_search_entries_name', ['name', *tie])
        # with places, the key is no longer the row id (SQLite): the place indexes carry it
        key_at_end = key if with_place else []
        batch_op.create_index(
            'ix_search_entries_place', ['lat_band', 'lon', 'lat', 'category_group', *key_at_end]
        )
        batch_op.create_index(
            'ix_search_entries_group_place',
            ['category_group', 'lat_band', 'lon', 'lat', 'name', 'timezone', 'week_hours',
             *key_at_end],
        )
        if with_place:
            batch_op.create_index('ix_search_entries_other_places', ['place', 'service_id'])
        batch_op.create_index('ix_search_entries_organization_id', ['organization_id'])
        batch_op.create_index('ix_search_entries_timezone', ['timezone'])


def _rebuild(with_place: bool, keep: str) -> None:
    """Copy the rows aside, recreate the table (its key and indexes change), copy back."""
    op.execute(f'CREATE TABLE search_entries_copy AS SELECT * FROM search_entries {keep}')
    op.drop_table('search_entries')
    _create(with_place)
    columns = ', '.join(COLUMNS_0018)
    if with_place:
        op.execute(
            f'INSERT INTO search_entries ({columns}, place) '
            f'SELECT {columns}, 0 FROM search_entries_copy'
        )
    else:
        op.execute(
            f'INSERT INTO search_entries ({columns}) SELECT {columns} FROM search_entries_copy'
        )
    op.drop_table('search_entries_copy')


def _other_places() -> None:
    """An entry for each other place of a listed service: the primary entry's values, at
    that place's point and time zone, with the hours kept there if any. One per location;
    the primary location's own place adds none."""
    conn = op.get_bind()
    places = conn.execute(sa.text(
        'SELECT p.id, p.service_id, p.location_id, l.search_lat, l.search_lon, l.timezone, '
        's.location_id AS primary_location '
        'FROM service_at_location p JOIN services s ON s.id = p.service_id '
        'JOIN locations l ON l.id = p.location_id '
        'WHERE p.service_id IN (SELECT service_id FROM search_entries) '
        'ORDER BY p.service_id, p.id'
    )).mappings().all()
    if not places:
        return
    spans = {}
    for r in conn.execute(sa.text(
        'SELECT sal_id, weekday, opens, closes FROM service_at_location_hours '
        'ORDER BY weekday, opens'
    )):
        spans.setdefault(r.sal_id, []).append((r.weekday, r.opens, r.closes))
    primary = {}
    wanted = sorted({p['service_id'] for p in places})
    select = sa.text(
        f'SELECT {", ".join(COLUMNS_0018)} FROM search_entries WHERE place = 0 '
        'AND service_id IN :ids'
    ).bindparams(sa.bindparam('ids', expanding=True))
    for start in range(0, len(wanted), 5000):
        for r in conn.execute(select, {'ids': wanted[start:start + 5000]}).mappings():
            primary[r['service_id']] = dict(r)
    entries = sa.table(
        'search_entries', *(sa.column(c) for c in (*COLUMNS_0018, 'place'))
    )
    batch, seen = [], {}
    for p in places:
        listed = seen.setdefault(p['service_id'], {p['primary_location']})
        if p['location_id'] in listed:
            continue
        listed.add(p['location_id'])
        lat, own = p['search_lat'], spans.get(p['id'])
        row = dict(primary[p['service_id']])
        row.update(
            place=p['id'],
            lat=lat,
            lon=p['search_lon'],
            lat_band=None if lat is None else math.floor(lat / BAND_DEGREES),
            timezone=p['timezone'],
        )
        if own:
            row['week_hours'] = week_hours(own)
        batch.append(row)
        if len(batch) == 5000:
            conn.execute(entries.insert(), batch)
            batch = []
    if batch:
        conn.execute(entries.insert(), batch)


def upgrade():
    _rebuild(True, keep='')
    _other_places()
    op.execute('ANALYZE')


def downgrade():
    _rebuild(False, keep='WHERE place = 0')
    op.execute('ANALYZE')
