"""The page check finds each kind of broken page, and nothing on a sound one (real PDFs, WeasyPrint)."""

from __future__ import annotations

import re

from weasyprint import HTML

from tests.pagecheck import check_pdf

PAGE = "@page { size: A4; margin: 20mm 16mm 18mm 16mm; } body { margin: 0; font: 10pt 'DejaVu Sans', sans-serif; }"


def pdf(body: str, css: str = "") -> bytes:
    html = f"<html lang='en'><head><style>{PAGE} {css}</style></head><body>{body}</body></html>"
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/a-2a", pdf_tags=True))


def kinds(body: str, css: str = "") -> list[tuple[int, str]]:
    return [(f.page, f.kind) for f in check_pdf(pdf(body, css))]


def test_a_sound_page_has_no_findings() -> None:
    assert kinds("<h1>Title</h1><p>Plain text well inside the margins.</p>") == []


def test_ink_inside_the_side_margin() -> None:
    findings = check_pdf(pdf("<p style='margin-left: -10mm'>Too close</p>"))
    assert [f.kind for f in findings] == ["margin"]
    assert "'Too close'" in findings[0].message and "left edge" in findings[0].message
    # 16 mm margin minus 10 mm: the text starts 6 mm from the edge.
    assert "6.0 mm from the left edge" in findings[0].message


def test_ink_just_outside_twelve_millimetres_passes() -> None:
    assert kinds("<p style='margin-left: -3.5mm'>Close but fine</p>") == []


def test_text_off_the_sheet() -> None:
    assert (1, "off-page") in kinds("<p style='margin-left: 190mm; white-space: nowrap'>Lost text here</p>")


def test_glyphs_printed_over_glyphs() -> None:
    body = "<p>First line of text</p><p style='margin-top: -7mm'>Second line on top</p>"
    findings = check_pdf(pdf(body))
    assert [f.kind for f in findings] == ["overprint"]
    assert "'First line of text'" in findings[0].message and "'Second line on top'" in findings[0].message


def test_text_under_six_points_as_printed() -> None:
    assert kinds("<p style='font-size: 5.5pt'>tiny</p>") == [(1, "small")]
    assert kinds("<p style='font-size: 6pt'>small but legible</p>") == []


def test_small_type_in_a_scaled_svg_counts_as_printed() -> None:
    # 10 units of a 640-unit viewBox drawn 60 mm wide print at 10 × 170 / 640 ≈ 2.7 pt.
    svg = "<svg viewBox='0 0 640 40' style='width: 60mm'><text x='0' y='20' font-size='10'>chart label</text></svg>"
    findings = check_pdf(pdf(svg))
    assert [f.kind for f in findings] == ["small"]
    assert "2.7 pt" in findings[0].message


def test_text_clipped_away_is_not_ink() -> None:
    # The screen-reader pattern: a 1 px box that hides its text, placed over visible text.
    hidden = "<span style='position: absolute; width: 1px; height: 1px; overflow: hidden'>hidden label</span>"
    assert kinds(f"<p>{hidden}Visible words here</p>") == []


def test_text_cut_by_its_box() -> None:
    body = "<div style='width: 20mm; overflow: hidden; white-space: nowrap'>A sentence too long for its box</div>"
    assert kinds(body) == [(1, "clipped")]


def test_a_table_tail_of_two_rows_alone_on_a_page() -> None:
    rows = "".join(f"<tr><td>row {i}</td></tr>" for i in range(50))
    body = f"<h1>Section</h1><table><caption>A table</caption><thead><tr><th>h</th></tr></thead><tbody>{rows}</tbody></table>"
    css = "td { height: 4.6mm; padding: 0; } table { border-collapse: collapse; }"
    tails = [f for f in check_pdf(pdf(body, css)) if f.kind == "table-tail"]
    assert [f.page for f in tails] == [2]
    assert re.search(r"the last [12] rows? of a table from page 1", tails[0].message)
    # The theme's rule keeps at least three rows together, and the check passes.
    keep = css + " tbody tr:nth-last-child(-n+2) { break-before: avoid; }"
    assert [f for f in check_pdf(pdf(body, keep)) if f.kind == "table-tail"] == []


def test_near_empty_page_inside_a_section() -> None:
    body = (
        "<h1 style='bookmark-level: 1'>One</h1><p>Short.</p>"
        "<p style='break-before: page'>A lonely line in the middle of a section.</p>"
        "<p style='break-before: page'>More of the same section.</p><p>" + "Filler. " * 600 + "</p>"
    )
    assert kinds(body, "h1 { bookmark-level: 1; }") == [(2, "near-empty")]


def test_a_section_may_end_on_a_short_page() -> None:
    body = (
        "<h1>One</h1><p>" + "Filler. " * 600 + "</p><p>Last words.</p>"
        "<h1 style='break-before: page'>Two</h1><p>Next section.</p>"
    )
    assert [k for k in kinds(body, "h1 { bookmark-level: 1; }") if k[1] == "near-empty"] == []
