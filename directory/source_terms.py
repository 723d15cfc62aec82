"""Taxonomies of imported packages (AIRS/211 LA codes, Open Eligibility...), kept as the
source gives them: its ids, codes, names and parents, and which of its terms each service
is filed under. They stand beside this product's own Section V categories
(``directory.taxonomy``), which they never replace: a mapping file turns source terms into
categories on import (``hsds.categories.map_term``)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model


class SourceTaxonomy(Model):
    """A taxonomy an imported package uses (AIRS/211 LA, Open Eligibility...), kept as the
    source gives it, beside this product's own Section V categories."""

    __tablename__ = "taxonomies"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[str | None] = mapped_column(String(100))
    import_source: Mapped[str | None] = mapped_column(String(100))


class SourceTerm(Model):
    """A term of a source's taxonomy, with the source's own id, code and parent."""

    __tablename__ = "taxonomy_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str] = mapped_column(String(250), unique=True)
    taxonomy_id: Mapped[int | None] = mapped_column(
        ForeignKey("taxonomies.id", ondelete="CASCADE"), index=True
    )
    parent_hsds_id: Mapped[str | None] = mapped_column(String(250))
    code: Mapped[str | None] = mapped_column(String(250), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    taxonomy: Mapped[str | None] = mapped_column(String(300))  # the source's free-text name
    term_uri: Mapped[str | None] = mapped_column(String(300))
    import_source: Mapped[str | None] = mapped_column(String(100))

    source_taxonomy: Mapped[SourceTaxonomy | None] = relationship()
    # the parent term, when the source's parent is kept too
    parent: Mapped[SourceTerm | None] = relationship(
        primaryjoin="foreign(SourceTerm.parent_hsds_id) == remote(SourceTerm.hsds_id)",
        viewonly=True,
    )


class ServiceTerm(Model):
    """A service filed under a source's term (an HSDS attribute), with its value."""

    __tablename__ = "service_terms"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    term_id: Mapped[int] = mapped_column(
        ForeignKey("taxonomy_terms.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[str | None] = mapped_column(String(300))

    term: Mapped[SourceTerm] = relationship(viewonly=True)
