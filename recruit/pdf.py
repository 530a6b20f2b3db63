"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

The URL fetcher refuses the network and any file outside ``static/``: a template that names an
outside resource stops the rendering instead of leaking a request or reading the disk.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

STATIC_PREFIX = "/static/"


class StaticOnlyFetcher(URLFetcher):
    """Serve the app's static files (by ``file:`` URI or ``/static/`` path); refuse the rest."""

    def __init__(self, static_folder: str | Path) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self.static = Path(static_folder).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        wanted = unquote(parts.path)
        path = None
        if parts.scheme in ("file", "http", "https") and wanted.startswith(STATIC_PREFIX):
            path = (self.static / wanted[len(STATIC_PREFIX):]).resolve()  # "/static/x.css"
        elif parts.scheme == "file":
            path = Path(wanted).resolve()
        if path is None or not path.is_relative_to(self.static) or not path.is_file():
            raise FatalURLFetchingError(f"a PDF may only use the app's static files, not {url}")
        return super().fetch(path.as_uri(), headers)


def render_pdf(html: str) -> bytes:
    """A tagged, accessible PDF (PDF/UA-1) of ``html``; ``/static/...`` links resolve locally."""
    static = Path(current_app.static_folder).resolve()
    document = HTML(string=html, base_url=static.as_uri() + "/",
                    url_fetcher=StaticOnlyFetcher(static))
    return document.write_pdf(pdf_variant="pdf/ua-1")
