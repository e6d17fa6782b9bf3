"""Page check: reads a rendered briefing back and lists every page a reader would find broken.

A layout bug (a table running off the page, two tables printed over each other, chart text too
small to read, the last row of a table alone on a page) does not fail any HTML test: it only shows
on paper. This module reads the PDF the way a printer would, through PDFium (pypdfium2: glyph
positions, font sizes, clip paths, the tagged structure tree, and a raster of each page), and
reports, per page:

- ``margin``: visible ink closer than ``min_side_mm`` to the left or right edge of the sheet;
- ``off-page``: visible text placed beyond the sheet (it is lost on paper);
- ``clipped``: a glyph cut by its clip path (text cropped by a box or a chart's frame);
- ``overprint``: a glyph printed over another glyph;
- ``small``: visible text smaller than ``min_size_pt`` as printed (the SVG scale included);
- ``near-empty``: a page with less than ``min_fill`` of its body used that neither is the cover
  nor ends a section (a section starts at an outline entry of the top level);
- ``table-tail``: a table continued from the previous page with only one or two rows here.

Text that is clipped away entirely (screen-reader labels, 1 px boxes) is not visible and is
ignored; a glyph counts as visible when enough of its box lies inside its clip path.
Run ``python -m tests.pagecheck FILE.pdf...`` to check PDFs by hand.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4  # PDF points per millimetre

# Code points that carry no ink: spaces, line ends WeasyPrint's text layer adds, soft hyphens.
_BLANK = {0, 0x9, 0xA, 0xD, 0x20, 0xA0, 0xAD, 0x200B, 0x2009, 0x202F, 0xFEFF, 0xFFFE, 0xFFFF}


@dataclass(frozen=True)
class Limits:
    """What the check demands of a page; the defaults are the project's print standard."""

    min_side_mm: float = 12.0
    min_size_pt: float = 6.0
    # Page body, inside the running header and footer of the default theme (20 mm / 18 mm).
    body_top_mm: float = 20.0
    body_bottom_mm: float = 18.0
    # A page whose content reaches less than this share of the body height is near-empty.
    min_fill: float = 0.25
    # A table continued on a page with this many rows or fewer is a stray tail.
    max_tail_rows: int = 2
    # Share of the smaller glyph's box two glyphs must share to count as printed over each other.
    overprint_share: float = 0.25
    # Share of a glyph's box inside its clip: below `hidden` it is invisible, below `whole` cut.
    hidden_share: float = 0.1
    whole_share: float = 0.9
    raster_dpi: int = 72


@dataclass(frozen=True)
class Finding:
    """One problem on one page, worded so a developer can find it on the sheet."""

    page: int
    kind: str
    message: str

    def render(self, label: str) -> str:
        return f"{label} page {self.page}: {self.kind}: {self.message}"


@dataclass
class _Glyph:
    char: str
    box: tuple[float, float, float, float]  # left, bottom, right, top in points, origin bottom-left
    size: float  # font size as printed, in points
    run: int  # index of the text object (one run of text drawn in one go)
    visible: float  # share of the box inside the clip path


@dataclass
class _Run:
    text: str = ""
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    glyphs: list[int] = field(default_factory=list)


def _utf16(getter: object, handle: object) -> str:
    size = getter(handle, None, 0)  # type: ignore[operator]
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(handle, buffer, size)  # type: ignore[operator]
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


def _clip_bounds(obj: object) -> tuple[float, float, float, float] | None:
    """Bounding box of a page object's clip (the intersection of its clip paths), or None."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    count = pdfium_c.FPDFClipPath_CountPaths(clip)
    if count <= 0:
        return None
    box = (-1e9, -1e9, 1e9, 1e9)
    x, y = ctypes.c_float(), ctypes.c_float()
    for p in range(count):
        xs: list[float] = []
        ys: list[float] = []
        for s in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, p)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, p, s)
            if pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
        if xs:
            box = (max(box[0], min(xs)), max(box[1], min(ys)), min(box[2], max(xs)), min(box[3], max(ys)))
    return box


def _area(box: tuple[float, float, float, float]) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _intersect(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _glyphs(page: pdfium.PdfPage) -> tuple[list[_Glyph], list[_Run]]:
    """Every inked glyph of the page with its box, printed size, run and visible share."""
    textpage = page.get_textpage()
    raw = textpage.raw
    glyphs: list[_Glyph] = []
    runs: list[_Run] = []
    previous_key = -1
    gap = False
    clips: dict[int, tuple[float, float, float, float] | None] = {}
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in _BLANK or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            gap = True
            continue
        obj = pdfium_c.FPDFText_GetTextObject(raw, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        size = pdfium_c.FPDFText_GetFontSize(raw, i) * scale
        if key not in clips:
            clips[key] = _clip_bounds(obj)
        clip = clips[key]
        # Thin glyphs (a minus, a rule) have almost no area; judge them by a box one point high.
        judged = box if box[3] - box[1] >= 1 else (box[0], box[1] - 0.5, box[2], box[3] + 0.5)
        visible = 1.0
        if clip is not None and _area(judged) > 0:
            visible = _area(_intersect(judged, clip)) / _area(judged)
        # A run is one line of text: WeasyPrint draws HTML text a line at a time but SVG text a
        # glyph at a time, so glyphs that follow each other on one baseline join the run before.
        previous = glyphs[-1] if glyphs else None
        joins = previous is not None and (
            previous_key == key
            or (
                abs(previous.size - size) < 0.1
                and abs(previous.box[1] - box[1]) < 0.4 * size
                and -0.3 * size <= box[0] - previous.box[2] <= 0.6 * size
            )
        )
        previous_key = key
        if not joins:
            runs.append(_Run(box=box))
        run = runs[-1]
        run.text += (" " if gap and joins else "") + chr(code)
        gap = False
        run.box = (
            min(run.box[0], box[0]),
            min(run.box[1], box[1]),
            max(run.box[2], box[2]),
            max(run.box[3], box[3]),
        )
        run.glyphs.append(len(glyphs))
        glyphs.append(_Glyph(chr(code), box, size, len(runs) - 1, visible))
    textpage.close()
    return glyphs, runs


def _where(box: tuple[float, float, float, float], height: float) -> str:
    """Position as a reader measures it on paper: from the top and left edges, in millimetres."""
    return f"{(height - box[3]) / MM:.0f} mm from top, {box[0] / MM:.0f} mm from left"


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@dataclass
class _Raster:
    """A grey-scale raster of the page: one byte per pixel, 255 is paper."""

    width: int
    height: int
    stride: int
    pixels: bytes
    dpi: int

    def row(self, y: int) -> bytes:
        return self.pixels[y * self.stride : y * self.stride + self.width]


def _raster(page: pdfium.PdfPage, dpi: int) -> _Raster:
    bitmap = page.render(scale=dpi / 72, force_bitmap_format=pdfium_c.FPDFBitmap_Gray, may_draw_forms=False)
    raster = _Raster(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), dpi)
    bitmap.close()
    return raster


INK = 235  # a pixel darker than this is ink (anti-aliased paper edges stay lighter)


def _margin_findings(
    number: int,
    raster: _Raster,
    runs: list[_Run],
    glyphs: list[_Glyph],
    limits: Limits,
    size: tuple[float, float],
) -> Iterator[Finding]:
    width_pt, height_pt = size
    px_per_pt = raster.dpi / 72
    band = int(limits.min_side_mm * MM * px_per_pt)
    for side, columns in (("left", slice(0, band)), ("right", slice(raster.width - band, raster.width))):
        rows = [y for y in range(raster.height) if min(raster.row(y)[columns], default=255) < INK]
        if not rows:
            continue
        x_edge = band if side == "left" else raster.width - band
        # How far the ink reaches towards the edge, in millimetres from that edge.
        reach = []
        for y in rows:
            line = raster.row(y)[columns]
            dark = [i for i, v in enumerate(line) if v < INK]
            reach.append(dark[0] if side == "left" else len(line) - 1 - dark[-1])
        closest = min(reach) / px_per_pt / MM
        top_mm, bottom_mm = rows[0] / px_per_pt / MM, rows[-1] / px_per_pt / MM
        band_pt = (x_edge / px_per_pt, 0.0) if side == "right" else (0.0, x_edge / px_per_pt)
        texts = []
        for run in runs:
            inside = [
                g
                for g in run.glyphs
                if glyphs[g].visible >= limits.hidden_share
                and (glyphs[g].box[2] > band_pt[0] if side == "right" else glyphs[g].box[0] < band_pt[1])
            ]
            if inside and run.text.strip():
                texts.append(_quote(run.text, 30))
        what = f"text {', '.join(texts[:3])}" if texts else "ink (rules, fills or graphics)"
        more = f" and {len(texts) - 3} more" if len(texts) > 3 else ""
        yield Finding(
            number,
            "margin",
            f"{what}{more} {closest:.1f} mm from the {side} edge (minimum {limits.min_side_mm:g} mm), "
            f"{top_mm:.0f}–{bottom_mm:.0f} mm from top",
        )
    del width_pt, height_pt


def _text_findings(
    number: int, glyphs: list[_Glyph], runs: list[_Run], limits: Limits, size: tuple[float, float]
) -> Iterator[Finding]:
    width, height = size
    sheet = (0.0, 0.0, width, height)
    small: dict[int, float] = {}
    off: set[int] = set()
    cut: set[int] = set()
    hidden_in: set[int] = set()
    shown_in: set[int] = set()
    for g in glyphs:
        (shown_in if g.visible >= limits.hidden_share else hidden_in).add(g.run)
    # A line partly shown and partly clipped away is cut off; one clipped away whole is hidden
    # on purpose (a screen-reader label in a 1 px box) and is no ink at all.
    cut.update(shown_in & hidden_in)
    for g in glyphs:
        if g.visible < limits.hidden_share:
            continue
        if g.size < limits.min_size_pt - 0.05:
            small[g.run] = min(small.get(g.run, 99.0), g.size)
        if _area(_intersect(g.box, sheet)) < _area(g.box) * limits.whole_share:
            off.add(g.run)
        elif g.visible < limits.whole_share:
            cut.add(g.run)
    for index, least in sorted(small.items(), key=lambda kv: (-runs[kv[0]].box[3], runs[kv[0]].box[0])):
        run = runs[index]
        yield Finding(
            number,
            "small",
            f"text {_quote(run.text)} at {least:.1f} pt (minimum {limits.min_size_pt:g} pt), "
            f"{_where(run.box, height)}",
        )
    for index in sorted(off):
        run = runs[index]
        yield Finding(
            number, "off-page", f"text {_quote(run.text)} runs off the sheet, {_where(run.box, height)}"
        )
    for index in sorted(cut):
        run = runs[index]
        yield Finding(number, "clipped", f"text {_quote(run.text)} is cut off, {_where(run.box, height)}")


def _overprint_findings(
    number: int, glyphs: list[_Glyph], runs: list[_Run], limits: Limits, height: float
) -> Iterator[Finding]:
    cell = 12.0
    grid: dict[tuple[int, int], list[int]] = {}
    for index, g in enumerate(glyphs):
        if g.visible < limits.hidden_share or _area(g.box) <= 0:
            continue
        for gx in range(int(g.box[0] // cell), int(g.box[2] // cell) + 1):
            for gy in range(int(g.box[1] // cell), int(g.box[3] // cell) + 1):
                grid.setdefault((gx, gy), []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in grid.values():
        for i, a in enumerate(members):
            ga = glyphs[a]
            for b in members[i + 1 :]:
                gb = glyphs[b]
                if ga.run == gb.run:
                    continue  # one run of text is laid out by the shaper: kerning is not overprint
                shared = _area(_intersect(ga.box, gb.box))
                if shared > limits.overprint_share * min(_area(ga.box), _area(gb.box)):
                    pairs.add((min(ga.run, gb.run), max(ga.run, gb.run)))
    for first, second in sorted(pairs):
        a, b = runs[first], runs[second]
        yield Finding(
            number,
            "overprint",
            f"text {_quote(a.text)} and {_quote(b.text)} print over each other, {_where(_intersect(a.box, b.box), height)}",
        )


# Structure tree ------------------------------------------------------------------------------------


@dataclass
class _Table:
    """One table's fragment on one page, from the tagged structure (PDF/UA tags)."""

    rows: int
    caption: bool
    first: int  # order of its first marked content on the page
    last: int


@dataclass
class _PageTags:
    tables: list[_Table]
    first_leaf_in_table: _Table | None
    last_leaf_in_table: _Table | None


def _page_tags(page: pdfium.PdfPage) -> _PageTags:
    tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
    tables: list[_Table] = []
    order = [0]
    leaves: list[_Table | None] = []

    def walk(element: object, table: _Table | None, in_body: bool) -> None:
        kind = _utf16(pdfium_c.FPDF_StructElement_GetType, element)
        if kind == "Table":
            table = _Table(rows=0, caption=False, first=-1, last=-1)
            tables.append(table)
        elif table is not None and kind == "Caption":
            table.caption = True
        elif table is not None and kind in ("TBody", "TFoot"):
            in_body = True
        elif table is not None and kind == "TR" and in_body:
            table.rows += 1
        for i in range(max(0, pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element))):
            if pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i) >= 0:
                if table is not None:
                    if table.first < 0:
                        table.first = order[0]
                    table.last = order[0]
                leaves.append(table)
                order[0] += 1
        for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                walk(child, table, in_body)

    if tree:
        try:
            for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
                child = pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i)
                if child:
                    walk(child, None, False)
        finally:
            pdfium_c.FPDF_StructTree_Close(tree)
    return _PageTags(
        [t for t in tables if t.first >= 0], leaves[0] if leaves else None, leaves[-1] if leaves else None
    )


def _filled_share(raster: _Raster, limits: Limits) -> float:
    """How far down the page body the content reaches, as a share of the body's height."""
    px_per_mm = raster.dpi / 25.4
    top = int(limits.body_top_mm * px_per_mm)
    bottom = raster.height - int(limits.body_bottom_mm * px_per_mm)
    lowest = top
    for y in range(top, bottom):
        if min(raster.row(y)) < INK:
            lowest = y
    return (lowest - top) / max(1, bottom - top)


def _flow_findings(
    pages: Sequence[tuple[_PageTags, float]], section_starts: set[int], limits: Limits
) -> Iterator[Finding]:
    """Near-empty pages and stray table tails, which need the pages before and after."""
    count = len(pages)
    for index, (tags, filled) in enumerate(pages):
        number = index + 1
        continued = (
            index > 0
            and tags.first_leaf_in_table is not None
            and not tags.first_leaf_in_table.caption
            and pages[index - 1][0].last_leaf_in_table is not None
        )
        if continued:
            tail = tags.first_leaf_in_table
            assert tail is not None
            goes_on = (
                tail is tags.last_leaf_in_table
                and index + 1 < count
                and pages[index + 1][0].first_leaf_in_table is not None
                and not pages[index + 1][0].first_leaf_in_table.caption  # type: ignore[union-attr]
            )
            if tail.rows <= limits.max_tail_rows and not goes_on:
                yield Finding(
                    number,
                    "table-tail",
                    f"the last {tail.rows} row{'s' if tail.rows != 1 else ''} of a table from page {number - 1} "
                    f"stand alone at the top of this page (keep at least {limits.max_tail_rows + 1} rows together)",
                )
                continue
        section_end = number == count or (index + 1) in section_starts
        if index > 0 and not section_end and filled < limits.min_fill:
            yield Finding(
                number,
                "near-empty",
                f"content fills {filled:.0%} of the page body and the section goes on on page {number + 1}",
            )


def check_pdf(source: Path | bytes, limits: Limits | None = None) -> list[Finding]:
    """Every finding of every page of one PDF, in page order."""
    limits = limits or Limits()
    document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    findings: list[Finding] = []
    flow: list[tuple[_PageTags, float]] = []
    try:
        section_starts = set()
        for item in document.get_toc():
            destination = item.get_dest()
            if item.level == 0 and destination is not None and destination.get_index() is not None:
                section_starts.add(destination.get_index())
        for index in range(len(document)):
            page = document[index]
            number = index + 1
            size = page.get_size()
            glyphs, runs = _glyphs(page)
            raster = _raster(page, limits.raster_dpi)
            findings.extend(_margin_findings(number, raster, runs, glyphs, limits, size))
            findings.extend(_text_findings(number, glyphs, runs, limits, size))
            findings.extend(_overprint_findings(number, glyphs, runs, limits, size[1]))
            flow.append((_page_tags(page), _filled_share(raster, limits)))
            page.close()
        findings.extend(_flow_findings(flow, section_starts, limits))
    finally:
        document.close()
    return sorted(findings, key=lambda f: f.page)


def report(label: str, findings: Iterable[Finding]) -> list[str]:
    """One line per finding: "label page N: kind: what, where"."""
    return [f.render(label) for f in findings]


def main(argv: Sequence[str]) -> int:
    lines = [line for path in argv for line in report(Path(path).name, check_pdf(Path(path)))]
    print("\n".join(lines) if lines else f"{len(argv)} PDF(s): no findings")
    return 1 if lines else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
