"""HTML to PDF with WeasyPrint (page sizes, page numbers and running headers from CSS).

Documents carry their stylesheet inline; the URL fetcher refuses everything but ``data:``
URLs, so text typed into a record can never make the server fetch a URL.
"""

from __future__ import annotations

from flask import Response
from weasyprint import HTML, default_url_fetcher


class FetchRefused(ValueError):
    pass


def _no_network(url: str, *args, **kwargs):
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise FetchRefused(f"PDF rendering does not fetch {url[:60]}")


def render_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_no_network).write_pdf()


def pdf_response(html: str, filename: str) -> Response:
    return Response(
        render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
