"""The example division's editions rendered to HTML in memory (no PDF), once per test session."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from itreport.analyse import analyse
from itreport.build import _quality
from itreport.edition import build_view
from itreport.render.html import render_html
from itreport.validate import validate_folder
from tests.conftest import REPO


@cache
def example_html(locale: str = "en_GB") -> dict[str, str]:
    """{edition id: HTML} for every edition of content/, with the division's locale replaced."""
    validation = validate_folder(REPO / "content")
    assert validation.content is not None
    content = validation.content
    if locale != content.division.locale:
        content.division = content.division.model_copy(update={"locale": locale})
    analysis = analyse(content)
    return {e.id: render_html(build_view(analysis, e, _quality(validation))) for e in content.editions}


def text_of(page: str) -> str:
    """The visible text of an HTML page: tags, styles and scripts removed, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def section(page: str, css_class: str) -> str:
    """The HTML of the first element whose class list starts with `css_class`."""
    m = re.search(rf'<(\w+) class="{re.escape(css_class)}[" ].*?</\1>', page, re.S)
    assert m, css_class
    return m.group(0)


def path_of(rel: str) -> Path:
    return REPO / rel
