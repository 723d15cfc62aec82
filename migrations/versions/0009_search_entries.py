"""Search entries: one narrow row per listed service that search reads alone

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 03:00:00

Search used to filter services joined to their locations, checking service and
organization status on every row. It now reads ``search_entries``: one row per listed
service with the columns filters and orders need, indexed for the common searches, kept in
step by ``directory.search.refresh_index``. The full-text documents and language rows are
kept for listed services only, like the entries. The indexes on services and locations
that only search used are dropped. Existing directories are indexed here.
"""
import math

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ELIGIBILITY = [
    'cost', 'immigration_status', 'victim_id_required', 'walk_in', 'min_age', 'max_age',
    'genders', 'modalities',
]
# the category groups of Section V as this revision knows them (CONTRACT.md)
GROUP_OF_PREFIX = {
    'interpreter': 'interpreters', 'anti_trafficking': 'anti_trafficking',
    'hotline': 'hotlines', 'shelter': 'shelters', 'food': 'food', 'health': 'health',
    'mental_health': 'mental_health', 'related': 'related', 'legal': 'legal',
    'consular': 'consular', 'international': 'international',
}
BAND_DEGREES = 0.5


def upgrade():
    op.create_table(
        'search_entries',
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('category', sa.String(length=60), nullable=False),
        sa.Column('category_group', sa.String(length=30), nullable=False),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('lat_band', sa.Integer(), nullable=True),
        sa.Column('timezone', sa.String(length=64), nullable=True),
        sa.Column('open_24_7', sa.Boolean(), nullable=False),
        sa.Column('cost', sa.String(length=20), nullable=False),
        sa.Column('immigration_status', sa.String(length=20), nullable=False),
        sa.Column('victim_id_required', sa.Boolean(), nullable=False),
        sa.Column('walk_in', sa.Boolean(), nullable=False),
        sa.Column('min_age', sa.Integer(), nullable=True),
        sa.Column('max_age', sa.Integer(), nullable=True),
        sa.Column('genders', sa.String(length=100), nullable=False),
        sa.Column('modalities', sa.String(length=100), nullable=False),
        sa.Column('capacity_available', sa.Integer(), nullable=True),
        sa.Column('capacity_updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('service_id'),
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index(
            'ix_search_entries_group', ['category_group', 'name', 'service_id', *ELIGIBILITY]
        )
        batch_op.create_index(
            'ix_search_entries_category', ['category', 'name', 'service_id', *ELIGIBILITY]
        )
        batch_op.create_index('ix_search_entries_name', ['name', 'service_id'])
        batch_op.create_index(
            'ix_search_entries_place', ['lat_band', 'lon', 'lat', 'category_group']
        )
        batch_op.create_index(batch_op.f('ix_search_entries_organization_id'), ['organization_id'])
        batch_op.create_index(batch_op.f('ix_search_entries_timezone'), ['timezone'])
    _index_existing_services()
    # the full-text and language rows now hold listed services only, like the entries
    for table in ('search_documents', 'service_languages'):
        op.execute(
            f'DELETE FROM {table} WHERE service_id NOT IN (SELECT service_id FROM search_entries)'
        )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index('ix_services_search')
        batch_op.drop_index('ix_services_status_location')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index('ix_locations_search_point')
    op.execute('ANALYZE')  # planner statistics for the new indexes


def _index_existing_services():
    """One entry per listed service (active, of an active organization), in chunks."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        'SELECT s.id, s.organization_id, s.name, s.category, s.open_24_7, '
        's.capacity_available, s.capacity_updated_at, '
        + ', '.join(f's.{c}' for c in ELIGIBILITY) + ', '
        'l.search_lat, l.search_lon, l.timezone '
        'FROM services s JOIN organizations o ON o.id = s.organization_id '
        'LEFT JOIN locations l ON l.id = s.location_id '
        "WHERE s.status = 'active' AND o.status = 'active'"
    )).mappings().all()
    entries = sa.table('search_entries', *(sa.column(c) for c in (
        'service_id', 'organization_id', 'name', 'category', 'category_group', 'lat', 'lon',
        'lat_band', 'timezone', 'open_24_7', 'capacity_available', 'capacity_updated_at',
        *ELIGIBILITY,
    )))
    batch = []
    for r in rows:
        lat = r['search_lat']
        batch.append({
            'service_id': r['id'],
            'organization_id': r['organization_id'],
            'name': r['name'],
            'category': r['category'],
            'category_group': GROUP_OF_PREFIX.get(r['category'].split('.')[0], ''),
            'lat': lat,
            'lon': r['search_lon'],
            'lat_band': None if lat is None else math.floor(lat / BAND_DEGREES),
            'timezone': r['timezone'],
            'open_24_7': r['open_24_7'],
            'capacity_available': r['capacity_available'],
            'capacity_updated_at': r['capacity_updated_at'],
            **{c: r[c] for c in ELIGIBILITY},
        })
        if len(batch) == 5000:
            conn.execute(entries.insert(), batch)
            batch = []
    if batch:
        conn.execute(entries.insert(), batch)


def downgrade():
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index('ix_locations_search_point', ['search_lat', 'search_lon'])
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index('ix_services_status_location', ['status', 'location_id'])
        batch_op.create_index(
            'ix_services_search',
            ['category', 'status', 'organization_id', 'location_id', 'name', *ELIGIBILITY],
        )
    op.drop_table('search_entries')
