"""Lines as YAML counts them, so a shown source line is the one a position names.

libyaml breaks lines at LF, CR, CR LF, NEL, LS and PS. Python's `str.splitlines()` also breaks at
form feed, vertical tab and U+001C–U+001E, which YAML does not: with it, a file holding one of
those would show the wrong line under its message.
"""

from __future__ import annotations

import re

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """The text's lines without their breaks; a final break does not start an empty line."""
    lines = _BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines if text else []


def locate(text: str, index: int) -> tuple[int, int]:
    """(line, column), both from 1, of the character at `index` of the text."""
    index = max(0, min(index, len(text)))
    line, start = 1, 0
    for brk in _BREAK.finditer(text, 0, index):
        if brk.end() > index:
            break
        line, start = line + 1, brk.end()
    return line, index - start + 1


def char_index(text: str, utf8_offset: int) -> int:
    """The character index of a byte offset into the text's UTF-8 encoding (libyaml counts bytes)."""
    return len(text.encode("utf-8")[:utf8_offset].decode("utf-8", errors="ignore"))


def offset(text: str, line: int, col: int) -> int:
    """The index of the character at (line, column), both from 1: the inverse of `locate`."""
    start = 0
    if line > 1:
        for number, brk in enumerate(_BREAK.finditer(text), start=2):
            start = brk.end()
            if number == line:
                break
    return start + max(col - 1, 0)
