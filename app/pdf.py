"""HTML to PDF with WeasyPrint (page sizes, page numbers and running headers from CSS).

Documents carry their stylesheet inline; the URL fetcher refuses everything but ``data:``
URLs, so text typed into a record can never make the server fetch a URL.
"""

from __future__ import annotations

from flask import Response
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (only ``data:`` URLs are fetched) as a tagged
    PDF (``pdf_tags``: headings, tables and reading order for screen readers), its language
    from ``<html lang>`` and its title from ``<title>``."""
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_tags=True)


def page_count(html: str) -> int:
    """How many pages ``html`` prints on: the same layout as ``render_pdf``, not a guess."""
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return len(HTML(string=html, url_fetcher=fetcher).render().pages)


def pdf_response(html: str, filename: str, *, download: bool = False) -> Response:
    """A PDF shown in the browser, or (``download``) saved as a file."""
    disposition = "attachment" if download else "inline"
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
