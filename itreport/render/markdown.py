"""Markdown from the content files, rendered and then sanitised with an allow-list (nh3)."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "blockquote", "h4", "h5"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"https", "mailto"}


def render_markdown(text: str | None, inline: bool = False) -> Markup:
    """Safe HTML from Markdown: scripts, styles, images and event handlers are dropped.

    Images are not allowed: they would make WeasyPrint fetch something named by the content.
    """
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        url_relative="deny",  # `//host/x` and relative paths: a briefing links out only by https
        link_rel="noopener noreferrer",
    )
    if inline and clean.startswith("<p>") and clean.endswith("</p>") and clean.count("<p>") == 1:
        clean = clean[3:-4]
    return Markup(clean)
