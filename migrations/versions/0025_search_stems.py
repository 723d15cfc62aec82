"""Search documents carry their words' stems and the names of the source terms (#31)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 07:00:00

A search document (``search_documents.document``) was the accent-folded text of a service;
it now also holds the names of the source taxonomy terms the service is filed under
(``service_terms`` → ``taxonomy_terms.name``: an import's "Food Pantries" finds an
uncategorized service) and, after the text, the English, Spanish and French Snowball stems
of its words that differ from them and have four letters or more (``search.words``), so
that "clinics" finds "clinic" and "albergues" "albergue" on SQLite and PostgreSQL alike. No
column changes: the FTS5 triggers (SQLite) and the GIN expression index (PostgreSQL) follow
the rewritten rows. Existing documents are completed here with a frozen copy of those rules
(what ``flask --app wsgi directory reindex`` writes, up to the order of the words). The
downgrade leaves the documents as they are: extra words a search of 0019 finds nothing
wrong with.
"""

import re
import unicodedata

import sqlalchemy as sa
import Stemmer
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MIN_STEM = 4
STEMMERS = [Stemmer.Stemmer(lang) for lang in ("english", "spanish", "french")]


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stemmed(text: str) -> str:
    seen: dict[str, None] = {}
    for word in WORD_RE.findall(text):
        for stemmer in STEMMERS:
            stem = stemmer.stemWord(word)
            if stem != word and len(stem) >= MIN_STEM:
                seen.setdefault(stem)
    return " ".join(seen)


def upgrade():
    conn = op.get_bind()
    terms: dict[int, list[str]] = {}
    for service_id, name in conn.execute(
        sa.text(
            "SELECT st.service_id, t.name FROM service_terms st "
            "JOIN taxonomy_terms t ON t.id = st.term_id ORDER BY t.name"
        )
    ):
        terms.setdefault(service_id, []).append(name)
    rows = conn.execute(sa.text("SELECT service_id, document FROM search_documents")).all()
    update = sa.text("UPDATE search_documents SET document = :doc WHERE service_id = :sid")
    batch = []
    for service_id, document in rows:
        folded = " ".join(
            p for p in (document or "", fold(" ".join(terms.get(service_id, [])))) if p
        )
        batch.append({"sid": service_id, "doc": f"{folded} {stemmed(folded)}".strip()})
        if len(batch) == 1000:
            conn.execute(update, batch)
            batch = []
    if batch:
        conn.execute(update, batch)


def downgrade():
    pass
