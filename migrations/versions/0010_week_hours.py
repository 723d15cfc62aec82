"""Week hours on the search entry: "open now" tests one character, not every span

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 04:00:00

"Open now" and "open at" looked up every candidate's spans with a correlated query. The
search entry now holds the week as 168 hourly slots (``week_hours``: '1' open the whole
hour, '0' closed, '2' open part of it), so search reads one character per candidate and
looks at the spans only in a part-open hour. The slots of a 24/7 service are all '1', so
the entry's ``open_24_7`` column goes. Existing entries are filled here. A second place
index leads with the category group and covers name and week, so a group near a place,
in distance order and open now, is read from the index alone.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

WEEK = 7 * 1440
FULL, EMPTY = b'\x01' * 60, b'\x00' * 60


def week_hours(open_24_7, spans):
    """``directory.hours.week_hours`` as this revision knows it."""
    if open_24_7:
        return '1' * 168
    minutes = bytearray(WEEK)
    for weekday, opens, closes in spans:
        start = weekday * 1440 + opens
        end = weekday * 1440 + (closes if closes > opens else closes + 1440)
        minutes[start:min(end, WEEK)] = b'\x01' * (min(end, WEEK) - start)
        if end > WEEK:
            minutes[:end - WEEK] = b'\x01' * (end - WEEK)
    slots = (minutes[s * 60:s * 60 + 60] for s in range(168))
    return ''.join('1' if h == FULL else '0' if h == EMPTY else '2' for h in slots)


def upgrade():
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('week_hours', sa.String(length=168), nullable=False, server_default='0' * 168)
        )
    conn = op.get_bind()
    spans = {}
    for r in conn.execute(sa.text(
        'SELECT h.service_id, h.weekday, h.opens, h.closes FROM service_hours h '
        'JOIN search_entries e ON e.service_id = h.service_id'
    )):
        spans.setdefault(r.service_id, []).append((r.weekday, r.opens, r.closes))
    rows = conn.execute(sa.text(
        'SELECT e.service_id, s.open_24_7 FROM search_entries e '
        'JOIN services s ON s.id = e.service_id'
    )).all()
    update = sa.text('UPDATE search_entries SET week_hours = :week WHERE service_id = :sid')
    batch = []
    for sid, open_24_7 in rows:
        batch.append({'sid': sid, 'week': week_hours(open_24_7, spans.get(sid, ()))})
        if len(batch) == 5000:
            conn.execute(update, batch)
            batch = []
    if batch:
        conn.execute(update, batch)
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.alter_column('week_hours', server_default=None)
        batch_op.drop_column('open_24_7')
        # a group near a place, in distance then name order, open now: from the index alone
        batch_op.create_index(
            'ix_search_entries_group_place',
            ['category_group', 'lat_band', 'lon', 'lat', 'name', 'timezone', 'week_hours'],
        )
    op.execute('ANALYZE')  # SQLite rebuilt the table: planner statistics for its indexes


def downgrade():
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_group_place')
        batch_op.add_column(
            sa.Column('open_24_7', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        'UPDATE search_entries SET open_24_7 = '
        '(SELECT s.open_24_7 FROM services s WHERE s.id = search_entries.service_id)'
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.alter_column('open_24_7', server_default=None)
        batch_op.drop_column('week_hours')
