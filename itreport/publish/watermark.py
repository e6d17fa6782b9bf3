"""Stamp a built PDF into one person's copy: their name and a copy id on every page and in the
document's metadata, optionally encrypted with AES-256.

The stamp is a one-line overlay rendered by WeasyPrint in the theme's own font (any script a name
may use, embedded, no hand-written PDF strings), placed in free space just above each page's
existing footer, which is found by reading the page's text positions. Stamping is deterministic:
the same PDF, name and copy id give the same bytes. Encryption is not (AES salts and IVs are random
by design and pypdf offers no way to seed them), so an encrypted copy is reproducible only up to the
encryption step; its plaintext is what the copy id and the log describe.

A stamped copy is no longer PDF/A: the overlay is drawn outside the tagged structure (it is marked as
an artifact, so screen readers skip it) and the metadata changes. The copy therefore drops the PDF/A
identification; the archival PDF/A is the unstamped one in the output folder.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, NameObject

from itreport.publish.copyid import ids_in_text
from itreport.render.env import DEFAULT_THEME

STAMP_SIZE = 6.5
"""Points; the theme's footer is 8 pt and nothing in a briefing is set smaller than 6.5 pt."""
GAP = 2.5
"""Points of clear space between the stamp and the footer (and the body above it)."""
FOOTER_ZONE = 0.12
"""The footer is looked for in the bottom part of the page (a fraction of its height)."""
DEFAULT_MARGIN = 45.35  # 16 mm, the theme's side margin, used when a page has no footer text
ASCENT, DESCENT = 0.72, 0.22
"""Cap height and descender as a fraction of the font size (Source Sans 3; generous for others)."""


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs repairs it makes while reading (e.g. a trailer /Size it recounts) as warnings;
    they are about the file's bookkeeping, not its content, and must not clutter the CLI."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class StampError(Exception):
    """The PDF cannot be stamped (not a PDF, encrypted, or no room for the stamp)."""


@dataclass(frozen=True)
class Box:
    """A text run on a page in PDF points from the bottom-left corner."""

    x: float
    baseline: float
    size: float

    @property
    def bottom(self) -> float:
        return self.baseline - DESCENT * self.size

    @property
    def top(self) -> float:
        return self.baseline + ASCENT * self.size


@dataclass(frozen=True)
class Placement:
    x: float
    baseline: float
    width: float


def text_boxes(page: PageObject) -> list[Box]:
    """Where each text run on a page sits (its start point and size), read from the content."""
    boxes: list[Box] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        boxes.append(Box(x, y, abs(size) * scale))

    page.extract_text(visitor_text=visit)
    return boxes


def place_stamp(width: float, height: float, boxes: list[Box]) -> Placement:
    """Free space for one line of STAMP_SIZE text: above the footer if the body leaves room,
    else below it; the footer is the lowest line of text in the bottom FOOTER_ZONE of the page."""
    on_page = [b for b in boxes if 0 < b.baseline < height and 0 <= b.x < width and b.size > 0]
    low = [b for b in on_page if b.baseline < height * FOOTER_ZONE]
    if not low:
        return Placement(DEFAULT_MARGIN, 24.0, width - 2 * DEFAULT_MARGIN)
    footer_base = min(b.baseline for b in low)
    footer = [b for b in low if abs(b.baseline - footer_base) < 1.0]
    left = max(min(b.x for b in footer), 0.0)
    usable = width - 2 * left if left > 10 else width - 2 * DEFAULT_MARGIN
    footer_top = max(b.top for b in footer)
    footer_bottom = min(b.bottom for b in footer)
    above = [b for b in on_page if b.baseline > footer_base + 1.0]
    body_bottom = min((b.bottom for b in above), default=height)
    baseline = footer_top + GAP + DESCENT * STAMP_SIZE
    if baseline + ASCENT * STAMP_SIZE + GAP <= body_bottom:
        return Placement(left, baseline, usable)
    baseline = footer_bottom - GAP - ASCENT * STAMP_SIZE
    if baseline - DESCENT * STAMP_SIZE >= 6.0:
        return Placement(left, baseline, usable)
    raise StampError("no free space for the copy stamp above or below the page footer")


@lru_cache(maxsize=16)
def layout(pdf: bytes) -> tuple[tuple[float, float, Placement], ...]:
    """Page size and stamp position of every page; the same for every copy of one PDF, so it is
    worked out once per built edition (reading text positions is the slow part of stamping)."""
    result = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        result.append((width, height, place_stamp(width, height, text_boxes(page))))
    return tuple(result)


def _overlay_html(text: str, width: float, height: float, at: Placement, lang: str) -> str:
    # Line box of exactly one font size: its top sits (1 - ASCENT - DESCENT)/2 above the cap height.
    top = height - at.baseline - ASCENT * STAMP_SIZE - (1 - ASCENT - DESCENT) / 2 * STAMP_SIZE
    return f"""<!doctype html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "Source Sans 3"; src: url("fonts/source-sans-3-latin-400-normal.woff"); }}
@page {{ size: {width:.3f}pt {height:.3f}pt; margin: 0; }}
html, body {{ margin: 0; }}
p {{ position: absolute; left: {at.x:.3f}pt; top: {top:.3f}pt; width: {at.width:.3f}pt; margin: 0;
     font: {STAMP_SIZE}pt/1 "Source Sans 3", "DejaVu Sans", sans-serif; color: #5f6b7a;
     white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
</style></head><body><p>{html.escape(text)}</p></body></html>"""


def _render_overlay(
    text: str, width: float, height: float, at: Placement, lang: str, as_of: date
) -> PageObject:
    from weasyprint import HTML  # slow to import: only when a copy is actually stamped

    from itreport.render.pdf import ConfinedFetcher, collect_warnings, source_date

    source = _overlay_html(text, width, height, at, lang)
    identifier = hashlib.sha256(source.encode("utf-8")).hexdigest()[:32].encode("ascii")
    epoch = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    with collect_warnings() as warnings, source_date(epoch):
        document = HTML(
            string=source,
            base_url=DEFAULT_THEME.as_uri() + "/",
            url_fetcher=ConfinedFetcher([DEFAULT_THEME]),
        )
        data = document.write_pdf(pdf_identifier=identifier)
    if warnings:
        raise StampError("the copy stamp could not be rendered: " + "; ".join(warnings))
    page = PdfWriter(clone_from=PdfReader(io.BytesIO(data))).pages[0]
    # Mark the stamp as an artifact: outside the document's tagged structure, skipped by screen readers.
    content = ContentStream(page.get_contents(), page.pdf)
    content.operations.insert(0, ([NameObject("/Artifact")], b"BMC"))
    content.operations.append(([], b"EMC"))
    page.replace_contents(content)
    return page


def stamp_pdf(pdf: bytes, text: str, copy_id: str, recipient: str, *, lang: str, as_of: date) -> bytes:
    """A copy of `pdf` with `text` above every page's footer and the copy's id and recipient in
    the document information; deterministic for the same arguments."""
    with quiet_pypdf():
        return _stamp(pdf, text, copy_id, recipient, lang, as_of)


def _stamp(pdf: bytes, text: str, copy_id: str, recipient: str, lang: str, as_of: date) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise StampError("the built PDF is encrypted; distribute needs the plain build output")
        writer = PdfWriter(clone_from=reader)
    except StampError:
        raise
    except Exception as exc:  # pypdf raises many types for a damaged file
        raise StampError(f"the built PDF cannot be read: {exc}") from None
    overlays: dict[tuple[float, float, Placement], PageObject] = {}
    for page, key in zip(writer.pages, layout(pdf), strict=True):
        width, height, at = key
        if key not in overlays:
            overlays[key] = _render_overlay(text, width, height, at, lang, as_of)
        page.merge_page(overlays[key])
        page.compress_content_streams()
    info = dict(reader.metadata or {})
    subject = str(info.get("/Subject", ""))
    writer.add_metadata(
        {
            "/ITReportCopyId": copy_id,
            "/ITReportRecipient": recipient,
            "/Subject": f"{subject} – {text}" if subject else text,
        }
    )
    # The copy is not PDF/A any more (see module doc): do not keep claiming it in the XMP packet.
    if "/Metadata" in writer.root_object:
        del writer.root_object["/Metadata"]
    original = reader.trailer.get("/ID")
    first = bytes(original[0].original_bytes) if original else hashlib.sha256(pdf).digest()[:16]
    second = hashlib.sha256(b"itreport-copy\0" + copy_id.encode() + b"\0" + hashlib.sha256(pdf).digest())
    writer._ID = ArrayObject([ByteStringObject(first), ByteStringObject(second.digest()[:16])])
    # pypdf writes without object streams; merging the many small objects of the structure tree
    # that are identical keeps a copy near the size of the original.
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """AES-256 (PDF 2.0, revision 6) with pypdf and the `cryptography` package; random salts."""
    with quiet_pypdf():
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def copy_ids_in(pdf: bytes, password: str | None = None) -> tuple[list[str], str]:
    """Candidate copy ids of a personal copy and where they were found: the metadata if it has
    one, else every id-shaped string in the pages' text (the stamp survives metadata stripping).

    Raises StampError for a file that is not a readable PDF or whose password is missing or wrong.
    """
    with quiet_pypdf():
        try:
            return _copy_ids(pdf, password)
        except StampError:
            raise
        except Exception as exc:  # pypdf raises many types for a damaged file
            raise StampError(f"not a readable PDF: {exc}") from None


def is_encrypted(pdf: bytes) -> bool:
    with quiet_pypdf():
        try:
            return bool(PdfReader(io.BytesIO(pdf)).is_encrypted)
        except Exception:  # not a PDF at all: copy_ids_in reports it
            return False


def _copy_ids(pdf: bytes, password: str | None) -> tuple[list[str], str]:
    reader = PdfReader(io.BytesIO(pdf))
    if reader.is_encrypted and (password is None or not reader.decrypt(password)):
        raise StampError("the PDF is encrypted and the password is missing or wrong")
    value = reader.metadata.get("/ITReportCopyId") if reader.metadata else None
    if value:
        return [str(value)], "metadata"
    found: list[str] = []
    for page in reader.pages:
        found.extend(i for i in ids_in_text(page.extract_text()) if i not in found)
    return found, "page text"
