"""HTML to PDF with WeasyPrint, confined: no network, no file outside the allowed folders.

Output is deterministic: dates come from the document's `dcterms` metadata (the as-of date) and
the PDF identifier is derived from the HTML, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_VARIANT = "pdf/a-3u"


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """Allows data: URIs and files inside the given folders; refuses everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not any(root == path or root in path.parents for root in self.roots):
                raise PermissionError(f"itreport does not read files outside the project: {path}")
        elif parsed.scheme != "data":
            raise PermissionError(f"itreport does not fetch from the network: {url}")
        return super().fetch(url, headers)


class WeasyPrintWarning(Exception):
    """WeasyPrint logged a warning (a missing font, an unfetchable resource, bad CSS)."""


# Notices about the machine's libraries, not about the document: WeasyPrint subsets fonts with
# fontTools when the optional HarfBuzz-Subset library is missing, and the output is still correct.
ENVIRONMENT_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(ENVIRONMENT_NOTICES):
            self.messages.append(message)


@contextmanager
def collect_warnings() -> Iterator[list[str]]:
    """Gather WeasyPrint's warnings so callers (and tests) can fail on them."""
    handler = _Collect()
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("weasyprint.progress")]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        yield handler.messages
    finally:
        for lg in loggers:
            lg.removeHandler(handler)


def html_to_pdf(html: str, base: Path, roots: list[Path]) -> tuple[bytes, list[str]]:
    """Render to PDF bytes; returns the warnings WeasyPrint logged."""
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    with collect_warnings() as warnings:
        document = HTML(
            string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=ConfinedFetcher(roots)
        )
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier, pdf_tags=True)
    return bytes(pdf), list(warnings)
