"""Find every reference in a rendered page that would make a reader's browser or WeasyPrint fetch.

A briefing is one self-contained file: fonts and images are embedded as `data:` URIs, links
within the page are `#fragments`. A reference to `http:`, `https:`, `file:` or `//host` (or a
relative path, which a browser resolves against wherever the file is opened) would leak that
the briefing was opened, or read the reader's files. The page is parsed with tinyhtml5 (the
HTML parser WeasyPrint uses, to the HTML standard a browser follows) and its CSS with tinycss2
(WeasyPrint's CSS tokenizer), so escapes and entities are decoded exactly as they would be
there. Anything that can fetch and cannot be checked (scripts, frames, `<link>`, `@import`,
`<meta http-equiv>`, SVG animation of attributes, event handlers) is refused outright.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import tinycss2
import tinyhtml5

REFUSED_ELEMENTS = frozenset(
    {
        *("script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "portal"),
        *("base", "link", "animate", "set", "animatemotion", "animatetransform", "discard", "template"),
    }
)
URL_ATTRIBUTES = frozenset(
    {
        *("href", "src", "poster", "data", "action", "formaction", "background", "cite", "longdesc"),
        *("usemap", "manifest", "codebase", "archive", "profile", "ping", "icon", "lowsrc", "dynsrc"),
        *("code", "classid", "srcdoc"),
    }
)
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# SVG presentation attributes whose value may hold `url(…)`; `style` everywhere.
CSS_ATTRIBUTES = frozenset(
    {
        *("style", "fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid"),
        *("marker-end", "cursor", "color-profile"),
    }
)
CSS_URL_FUNCTIONS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade"})


@dataclass(frozen=True)
class Reference:
    """A reference that would fetch: `where` names the element and attribute, `url` the target."""

    where: str
    url: str


def local(name: str) -> str:
    """`{namespace}name` → `name`, lower-case (HTML and SVG spellings alike)."""
    return name.rsplit("}", 1)[-1].lower()


def external_references(html: str) -> list[Reference]:
    """Every reference in `html` that is not embedded data or a link within the page."""
    found: list[Reference] = []
    root = tinyhtml5.parse(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = local(element.tag)
        if tag in REFUSED_ELEMENTS or (
            tag == "meta" and any(local(a) == "http-equiv" for a in element.attrib)
        ):
            found.append(Reference(f"<{tag}>", _first_url(element.attrib)))
            continue
        if tag == "style":
            found.extend(Reference("<style>", url) for url in css_references("".join(element.itertext())))
        for name, value in element.attrib.items():
            attr = local(name)
            where = f"<{tag} {attr}>"
            if attr.startswith("on") or attr == "srcdoc":
                found.append(Reference(where, value[:80]))
            elif attr in URL_ATTRIBUTES:
                if not allowed_url(value, link=tag == "a" and attr == "href"):
                    found.append(Reference(where, value))
            elif attr in SRCSET_ATTRIBUTES:
                found.extend(Reference(where, url) for url in _srcset(value) if not allowed_url(url))
            if attr in CSS_ATTRIBUTES:
                found.extend(Reference(where, url) for url in css_references(value))
    return found


def allowed_url(value: str, link: bool = False) -> bool:
    """`data:` or a `#fragment`; for a hyperlink (`<a href>`) also `https:` and `mailto:`.

    Browsers strip leading and trailing white space and ignore tabs and line breaks inside a
    URL, so those are removed before the scheme is read (`ht\\ttp:` is `http:`).
    """
    url = "".join(value.split()).lower()
    if url.startswith("#") or url.startswith("data:"):
        return True
    return link and (url.startswith("https://") or url.startswith("mailto:"))


def css_references(css: str) -> list[str]:
    """The targets of `url()`, `image-set()`… in CSS that are not `data:` or `#fragment`.

    `@import` and `attr(… url)` are refused whatever they name: they fetch what cannot be seen
    here. tinycss2 decodes CSS escapes, so `u\\72l(…)` is found as `url(…)`.
    """
    out: list[str] = []
    for token in _walk(tinycss2.parse_component_value_list(css, skip_comments=True)):
        kind = token.type
        if kind == "url" and not allowed_url(token.value):
            out.append(token.value)
        elif kind == "at-keyword" and token.lower_value == "import":
            out.append("@import")
        elif kind == "function" and token.lower_name == "attr":
            if any(t.type == "ident" and t.lower_value == "url" for t in token.arguments):
                out.append("attr(… url)")
        elif kind == "function" and token.lower_name in CSS_URL_FUNCTIONS:
            out.extend(t.value for t in token.arguments if t.type == "string" and not allowed_url(t.value))
    return out


def _walk(tokens: Iterable[Any]) -> Iterator[Any]:
    for token in tokens:
        yield token
        if token.type in ("() block", "[] block", "{} block"):
            yield from _walk(token.content)
        elif token.type == "function":
            yield from _walk(token.arguments)


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


def _first_url(attrib: dict[str, str]) -> str:
    """What a refused element would fetch, if it says (its URL-like attribute), for the message."""
    named = {local(k): v for k, v in attrib.items()}
    for key in ("src", "href", "data", "content", "to", "values", "from", "by"):
        if named.get(key, "").strip():
            return named[key]
    return ""
