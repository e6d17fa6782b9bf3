r"""Control characters in data, made harmless for each place they are shown.

A name or classification is data anyone with a pull request can write. Control characters in it
could end a CSS string (a carriage return), colour or clear a terminal (ANSI escapes), or reorder
what a reader sees (bidi overrides: "\u202eTFARD" displays as "DRAFT"). Every text from data goes
through one of these functions before it reaches HTML, CSS or a terminal.
"""

from __future__ import annotations

import re

# C0 (but tab, line feed, carriage return: see `HTML_CONTROLS`), DEL, C1, the line and paragraph
# separators, every bidi formatting character (marks, embeddings, overrides, isolates), and lone
# surrogates: a file name that is not UTF-8 holds its bytes as U+DC80..U+DCFF (surrogateescape),
# which no UTF-8 stream can write (a traceback on a terminal whose locale is UTF-8).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
ALL_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}{_SURROGATES}]")
# In HTML text tab, LF and CR are ordinary white space (Markdown needs its line breaks).
HTML_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{_BIDI}{_SURROGATES}]")
# What JSON leaves unescaped: DEL, C1, the separators, bidi characters and lone surrogates.
BEYOND_C0 = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}{_SURROGATES}]")
REPLACEMENT = "\ufffd"


def for_html(text: str) -> str:
    """Control characters (not tab or line breaks) become U+FFFD, visible and without effect."""
    return HTML_CONTROLS.sub(REPLACEMENT, text)


def for_terminal(text: str) -> str:
    r"""Every control character shown as an escape (`\x1b`, `\u202e`), so none acts on the terminal."""
    return ALL_CONTROLS.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8: shown as that byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def css_string_body(text: str) -> str:
    """The inside of a double-quoted CSS string: every character that could end or bend it escaped.

    Control characters (line breaks included) become U+FFFD first; then backslash, quotes and
    angle brackets are written as CSS hex escapes, so nothing in the text can close the string,
    the rule or the `<style>` element.
    """
    out = []
    for ch in ALL_CONTROLS.sub(REPLACEMENT, text):
        if ch in "\\\"'<>&":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)
