"""WeasyPrint's user-agent stylesheet, without the rules that give every element six styles.

WeasyPrint's stylesheet for HTML styles six pseudo-elements with universal selectors
(`::marker`, `::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`,
`::note-callback`). A universal rule matches every element, so WeasyPrint computes and keeps
six pseudo-element styles for each one, though a marker is only drawn for a list item and the
other five only for a footnote or a note. The element's own styles are shared between elements
that look alike; these are not. On the large demo's 123-page CIO edition that was 173,000 of
its 178,000 computed styles: laying it out peaked at 642 MB, and at 438 MB without them.

So a document that cannot have footnotes, notes or list items other than `li` is laid out with
a copy of WeasyPrint's own stylesheet in which those rules are left out, and `::marker` is kept
for `li` only. Whether it can is read off the CSS in its HTML (its `<style>` elements and
`style` attributes; every stylesheet of an edition is there): CSS that names none of
`footnote`, `note(`, `list-item` or `inherit`, in a document that links no stylesheet and
imports none, cannot use them (`display: inherit` in an `li`'s child makes that child a list
item too). The text of the briefing is not read: a project called "Footnotes" must not cost a
large edition a third more memory. Anything else is laid out with the stock stylesheet. The
pages are the same either way (a test compares the bytes of an example edition).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

NARROWED_RULES = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}$", re.M
)
"""The five rules for footnotes and notes in WeasyPrint's html5_ua.css."""
MARKER_RULE = re.compile(r"^::marker \{", re.M)

STYLE_BLOCK = re.compile(r"<style\b[^<>]*>(.*?)(?:</style\s*>|\Z)", re.S | re.I)
"""A `<style>` element of an HTML document (one left open runs to the end, as it does for the
HTML parser). Its start tag stops at the next `<`: with `[^>]*`, a template of many `<style`
that never close made every attempt scan to the end (3.5 s for 280 kB)."""
STYLE_OPEN = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"\bstyle\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)
"""A `style` attribute. Text from the data is escaped (`&lt;style`, `&#34;`), so it can open
neither."""
USES_STOCK = re.compile(r"footnote|note\(|list-item|\binherit\b|@import", re.I)
"""Words in CSS that may make an element a footnote, a note or a list item (an element whose
`display` or `all` is `inherit` takes its parent's `list-item`), or bring in a stylesheet the
HTML does not show (case-insensitive: CSS keywords are)."""
LINK = re.compile(r"<link\b", re.I)


def needs_stock(html: str) -> bool:
    """Whether the document may use what the narrowed stylesheet leaves out.

    A CSS escape (`foot\\6e ote`) or, in a `style` attribute, a character reference
    (`list&#45;item`) could hide a keyword from this test; the layout then fails (WeasyPrint
    finds no style for the footnote's call) and `render.pdf` lays it out again with the stock
    stylesheet, or, for a marker, the marker of a list item made so lacks the stock sheet's
    tabular figures, `white-space: pre` and `text-transform: none` (an uppercase list then has
    uppercase letters in its markers).
    """
    if LINK.search(html):
        return True
    at = 0
    while opening := STYLE_OPEN.search(html, at):
        block = STYLE_BLOCK.match(html, opening.start())
        if block is None:  # a start tag that cannot be read: its CSS cannot be either
            return True
        if USES_STOCK.search(block.group(1)):
            return True
        at = block.end()
    return any(USES_STOCK.search(value) for value in STYLE_ATTRIBUTE.findall(html))


@cache
def narrowed_sheet() -> Any | None:
    """WeasyPrint's stylesheet without the universal pseudo-element rules, or None when this
    WeasyPrint has none of them (its stock stylesheet is then as cheap)."""
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    text, removed = NARROWED_RULES.subn("", UA)
    text, narrowed = MARKER_RULE.subn("li::marker, summary::marker {", text)
    if not removed and not narrowed:
        return None
    # A counter-style table of its own: the documents' counters come from WeasyPrint's (the
    # same rules, read when WeasyPrint was imported), which this leaves untouched.
    return CSS(string=text, counter_style=CounterStyle())
