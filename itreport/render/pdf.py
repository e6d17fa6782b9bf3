"""HTML to PDF with WeasyPrint, confined: no network, no file outside the allowed folders.

Output is deterministic: dates come from the document's `dcterms` metadata (the as-of date) and
the PDF identifier is derived from the HTML, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from itreport.render.uasheet import narrowed_sheet, needs_stock
from itreport.source.confine import Refused, Root

# PDF/A-2a: archival (PDF/A-2) and accessible (tagged, level A). WeasyPrint supports it since the
# "a" levels were added (Kozea/WeasyPrint#2574) and checks its PDF/A output with veraPDF in CI.
PDF_VARIANT = "pdf/a-2a"


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """Allows data: URIs and files inside the given folders; refuses everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True)
        self.roots = [Root(r, "templates folder") for r in roots]

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            return URLFetcherResponse(url, self._read(unquote(parsed.path)), _mime(parsed.path))
        if parsed.scheme != "data":
            raise PermissionError(f"itreport does not fetch from the network: {url}")
        return super().fetch(url, headers)

    def _read(self, path: str) -> bytes:
        """A file named by the document, read through its theme folder's `Root` (links resolved)."""
        lexical = os.path.normpath(path)
        for root in self.roots:
            if lexical.startswith(root.real.rstrip(os.sep) + os.sep):
                rel = os.path.relpath(lexical, root.real).replace(os.sep, "/")
                try:
                    return root.read(rel)
                except Refused as exc:
                    raise PermissionError(f"{rel}: {exc.reason}") from None
        raise PermissionError(f"itreport does not read files outside the project: {lexical}")


def _mime(path: str) -> dict[str, str]:
    mime = mimetypes.guess_type(path)[0]
    return {"Content-Type": mime} if mime else {}


class RenderError(Exception):
    """The document could not be rendered as asked (a template reached for a forbidden resource)."""


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


@contextmanager
def source_date(epoch: int) -> Iterator[None]:
    """Pin "now" for fontTools, which stamps subset fonts' `head` table with the current time.

    SOURCE_DATE_EPOCH is the reproducible-builds convention that fontTools honours.
    """
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


class _NarrowedHTML(HTML):  # type: ignore[misc]
    """A document laid out with `uasheet.narrowed_sheet` in place of WeasyPrint's stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        sheets: list[Any] = super()._ua_stylesheets(forms)
        return [narrowed_sheet(), *sheets[1:]]


def html_to_pdf(
    html: str, base: Path, roots: list[Path], as_of: date, variant: str | None = None
) -> tuple[bytes, list[str]]:
    """Render to PDF bytes; returns the warnings WeasyPrint logged. Same input, same bytes."""
    narrowed = narrowed_sheet() is not None and not needs_stock(html)
    try:
        return _lay_out(html, base, roots, as_of, variant, narrowed)
    except (RenderError, RecursionError):
        raise
    except Exception:
        if not narrowed:
            raise
    # Only a document that hides a footnote or note from `needs_stock` gets here: laid out again
    # as WeasyPrint would by itself (outside the handler, so the failed layout is freed first).
    return _lay_out(html, base, roots, as_of, variant, narrowed=False)


def _lay_out(
    html: str, base: Path, roots: list[Path], as_of: date, variant: str | None, narrowed: bool
) -> tuple[bytes, list[str]]:
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    epoch = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    kind = _NarrowedHTML if narrowed else HTML
    with collect_warnings() as warnings, source_date(epoch):
        document = kind(
            string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=ConfinedFetcher(roots)
        )
        try:
            pdf = document.write_pdf(
                pdf_variant=variant or PDF_VARIANT, pdf_identifier=identifier, pdf_tags=True
            )
        except FatalURLFetchingError as exc:
            cause = exc.__cause__ or exc
            raise RenderError(f"the PDF could not be made: {cause}") from None
    return bytes(pdf), list(warnings)
