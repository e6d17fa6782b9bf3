"""The PDF is laid out with WeasyPrint's stylesheet minus its universal pseudo-element rules.

Those rules gave every element six pseudo-element styles that only a list item, a footnote or a
note uses (a third of a large edition's layout memory). Leaving them out must change nothing on
the page, and a document that does use footnotes, notes or list items gets the stock sheet.
"""

from __future__ import annotations

import re
from datetime import date

import pypdfium2
import pytest

from itreport.render import pdf
from itreport.render.theme import DEFAULT_THEME
from itreport.render.uasheet import narrowed_sheet, needs_stock

AS_OF = date(2026, 10, 31)


def _text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _lay_out(html: str, narrowed: bool) -> bytes:
    return pdf._lay_out(html, DEFAULT_THEME, [DEFAULT_THEME], AS_OF, None, narrowed)[0]


def test_the_installed_weasyprint_gets_the_narrowed_sheet() -> None:
    """If a WeasyPrint release renames or reshapes these rules, this says so (the build would
    silently take a third more memory again)."""
    from weasyprint.html import UA

    sheet = narrowed_sheet()
    assert sheet is not None
    universal = re.findall(r"^::[a-z-]+", UA, re.M)
    assert "::marker" in universal and "::footnote-call" in universal
    from itreport.render.uasheet import MARKER_RULE, NARROWED_RULES

    left = MARKER_RULE.sub("li::marker, summary::marker {", NARROWED_RULES.sub("", UA))
    assert re.findall(r"^::[a-z-]+", left, re.M) == []


LIST = (
    '<html lang="en"><head><style>ol li { font-size: 11pt }</style></head><body><h1>Plan</h1>'
    "<ol>" + "".join(f"<li>Step {i}</li>" for i in range(1, 12)) + "</ol>"
    '<table><tr><th>Project</th><td class="num">1 200</td></tr></table></body></html>'
)


def test_list_markers_are_unchanged() -> None:
    assert not needs_stock(LIST)
    assert _lay_out(LIST, narrowed=True) == _lay_out(LIST, narrowed=False)


INHERITED_LIST_ITEM = (
    '<html lang="en"><head><style>ol { list-style-type: lower-alpha; text-transform: uppercase }'
    " li > p { display: inherit }</style></head><body>"
    "<ol><li><p>Alpha</p></li><li><p>Beta</p></li></ol></body></html>"
)


def test_a_list_item_by_inheritance_keeps_its_markers() -> None:
    """`display: inherit` in an `li`'s child makes the child a list item without the HTML
    saying `list-item`; without the stock `::marker` rule its markers took the list's
    `text-transform` ("B." for "b.")."""
    made = pdf.html_to_pdf(INHERITED_LIST_ITEM, DEFAULT_THEME, [DEFAULT_THEME], AS_OF)[0]
    assert "b. a" in _text(made) and "d. c" in _text(made)
    assert made == _lay_out(INHERITED_LIST_ITEM, narrowed=False)


@pytest.mark.parametrize(
    "css",
    [
        "float: footnote",
        "FLOAT: FOOTNOTE",
        # A CSS escape hides the keyword from the test on the HTML: the narrowed layout fails
        # and the document is laid out again with the stock sheet.
        r"float: foot\6e ote",
    ],
)
def test_a_footnote_keeps_its_call_and_marker(css: str) -> None:
    html = f'<html lang="en"><body><p>Budget<span style="{css}">Approved in March</span> holds.</p></body></html>'
    text = _text(pdf.html_to_pdf(html, DEFAULT_THEME, [DEFAULT_THEME], AS_OF)[0])
    assert "Budget1" in text and "1. Approved in March" in text


@pytest.mark.parametrize(
    ("html", "stock"),
    [
        ("<p>Plain</p>", False),
        ('<div style="display: list-item">x</div>', True),
        ("<p style='position: note()'>x</p>", True),
        ('<link rel="stylesheet" href="extra.css">', True),
        ("<style>@import 'extra.css';</style>", True),
        ('<li><p style="display: INHERIT">x</p></li>', True),
        ("<style>li > p { all: inherit }</style>", True),
        ("<style>li > p { display: inherit }", True),  # left open: runs to the end, as in HTML
        ("<p style=display:list-item>x</p>", True),
        # A start tag that never closes, many times over: read as CSS that cannot be read (the
        # stock sheet), in one pass, where the pattern used to rescan to the end at each one.
        ("<style " * 100_000, True),
        ('<style media="a<b">li > p { display: inherit }</style>', True),
        # The briefing's text is not CSS: a project named so must not cost a third more memory.
        ("<p>The footnote project will inherit the list-item note(1) data</p>", False),
        ("<p>&lt;style&gt;li { display: list-item }&lt;/style&gt;</p>", False),
        ('<p title="style=&#34;display: list-item&#34;">x</p>', False),
        ("<style>p { color: red }</style><p>Inherited systems</p>", False),
    ],
)
def test_which_documents_take_the_stock_sheet(html: str, stock: bool) -> None:
    assert needs_stock(html) is stock
