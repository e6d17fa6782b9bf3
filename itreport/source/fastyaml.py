"""A fast path for plain YAML: rapidyaml parses, its JSON is read back, no positions.

`itreport.source.compose` (PyYAML's libyaml events, one Python object per event) is the
reference: it keeps a position for every value, enforces the limits and says what is wrong.
It also costs more than PyYAML's own loader. Most content files use a small, plain part of YAML
(block mappings and lists, flow lists, quoted and block scalars, comments), and for those
rapidyaml (C++, ~15x faster than libyaml here) gives the same values: it parses, emits JSON in
C++, and the standard library's C decoder reads that back, numbers kept as their text.

`plain_data` answers only when it is sure the reference would give the same data and no problem;
otherwise it returns `NOT_PLAIN` and the caller uses the reference. It declines a file that:

- holds anything outside that plain part (`_OUTSIDE`): anchors, aliases, tags, directives,
  document markers, complex or merge keys, escapes, tabs, control characters and line breaks
  other than LF, block scalars with an indentation indicator, plain scalars that rapidyaml's JSON
  would rewrite (`.5`, `5.`, `+1`) or that are null or booleans only in YAML's spelling (`~`,
  `TRUE`, `Null`), characters that cannot start a plain scalar (`@`, `` ` ``);
- rapidyaml or the JSON decoder refuses, or that has a duplicate key;
- has more than one document, or could exceed a limit (nesting, number of values).

Positions are not made here: `itreport.load` computes them with the reference, for one file,
when a problem in that file needs one. tests/test_loader_differential.py holds the fast path to
the reference's values and problems on every fixture, the example content, a generated division
and generated YAML.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from itreport.source import compose

try:
    import ryml  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - a dependency; without it every file takes the reference path
    ryml = None

NOT_PLAIN: Any = object()
"""Returned when the file must be read by the reference path."""

_NOT_PRINTABLE = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Tabs, CR, NEL, LS, PS, BOM, control characters: libyaml's rules for these differ or are errors."""

_LINE_START_COLON = re.compile(r"\n *:")
"""A line that starts with ':' (an empty or a continued key): libyaml and rapidyaml differ."""

_FLOW_COLON = re.compile(r"[\[{,] *:")
"""A colon where a flow entry starts."""

_DOCUMENT_MARKER = re.compile(r"(?:---|\.\.\.)(?=\s|$)")

_QUOTE = re.compile("['\"]")
_OPENING = re.compile(r"[\[{]")
_COMMENT_LINE = re.compile(r"\n *#")
_INDICATOR = re.compile(r"[&*!@`%?~|>]")
"""Characters that mean something at the start of a token (anchor, alias, tag, block scalar...)."""

_REWRITTEN_NUMBER = re.compile(r"(?<![\w.])[-+]?\.[0-9]|[0-9]\.(?![0-9])")
"""Plain scalars such as .5 or 5. that rapidyaml's JSON writes as 0.5 and 5.0."""

_YAML_ONLY_WORDS = re.compile(r'"(?:~|Null|NULL|True|TRUE|False|FALSE)"')
"""Null and booleans in YAML's spellings, strings in rapidyaml's JSON (quoted ones too: declined)."""


def _outside(text: str) -> bool:
    """True when the text may hold YAML outside the plain part the fast path reads."""
    if "\\" in text or "<<" in text or text.startswith(("---", "...", "%")):
        return True
    if ":]" in text or ":," in text or ":}" in text or text.startswith(":"):
        return True  # a colon before a flow indicator
    if _NOT_PRINTABLE.search(text) or _LINE_START_COLON.search(text):
        return True
    if _flow_oddity(text):
        return True
    if ("---" in text or "..." in text) and any(
        _token_start(text, found.start()) for found in _DOCUMENT_MARKER.finditer(text)
    ):
        return True  # '---' or '...' where a token starts, indented or not
    if _multiline_quoted(text):
        return True
    first_block = -1
    for found in _INDICATOR.finditer(text):
        if _token_start(text, found.start()):
            if not _block_header(text, found.start()):
                return True
            first_block = found.start() if first_block < 0 else first_block
    if first_block < 0:
        return False
    # After a block scalar, libyaml and rapidyaml can disagree on where it ends: at a comment
    # line, or at the end of a file without a final line break.
    return not text.endswith("\n") or bool(_COMMENT_LINE.search(text, first_block))


def _flow_oddity(text: str) -> bool:
    """True when a line with a bracket may hold flow YAML on which libyaml and rapidyaml differ.

    That is: a line that opens more brackets than it closes (a flow collection over several
    lines), a comment after a bracket, or a colon where a flow entry starts. Brackets in quoted
    text count too: such a file is only sent to the reference path.
    """
    end = -1
    for found in _OPENING.finditer(text):
        if found.start() < end:
            continue  # a line already counted
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.start())
        end = len(text) if end < 0 else end
        line = text[start:end]
        if line.count("[") + line.count("{") != line.count("]") + line.count("}"):
            return True
        if " #" in line[found.start() - start :] or _FLOW_COLON.search(line):
            return True
    return False


def _multiline_quoted(text: str) -> bool:
    """True when a quoted scalar goes on over a line break (as a key libyaml refuses it)."""
    for found in _QUOTE.finditer(text):
        at = found.start()
        if not _token_start(text, at):
            continue
        quote = text[at]
        close = text.find(quote, at + 1)
        while quote == "'" and close >= 0 and text.startswith("''", close):
            close = text.find(quote, close + 2)  # '' is a quote inside single quotes
        line_end = text.find("\n", at)
        if close < 0 or 0 <= line_end < close:
            return True
    return False


def _token_start(text: str, at: int) -> bool:
    """Whether a token can start at `at`: after indentation, '- ', '? ', ': ' or [ { , :.

    Text inside a plain scalar ("Sales & Marketing") is not a token start; erring towards "it
    might be" only sends a file to the reference path.
    """
    before = at - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    if before < 0 or text[before] in "\n[{,:":
        return True
    return text[before] in "-?" and before < at - 1


def _block_header(text: str, at: int) -> bool:
    """A block scalar header without an indentation indicator: '|', '>', '|-', '>+' at line end."""
    if text[at] not in "|>":
        return False
    rest = text[at + 1 : at + 3]
    if rest[:1] in ("-", "+") and rest[:1]:
        rest = rest[1:]
    return rest[:1] in ("", "\n", " ")


def _json_doubtful(emitted: str) -> bool:
    """True when rapidyaml's JSON may not say what the reference would build."""
    if _YAML_ONLY_WORDS.search(emitted) or '"":' in emitted:
        return True  # YAML's null and booleans; an empty key (the reference refuses it)
    # A string that starts with a closing bracket ("a: ]"): libyaml refuses it. A quote that
    # closes a string before a bracket follows the string's text or its opening quote instead.
    return any(
        found.start() == 0 or emitted[found.start() - 1] in "[{,: \n"
        for found in re.finditer(r'"[\]}]', emitted)
    )


class _Duplicate(Exception):
    """A mapping repeats a key: the reference reports it, with both places."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _Duplicate
    return mapping


_QUIET = threading.Lock()


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints every parse error to the process's stderr before raising; hide it.

    The reference path reports the error properly. The redirect is process-wide, so it is held
    for the parse call only and behind a lock (two threads must not swap the descriptor back
    in the wrong order).
    """
    with _QUIET:
        saved = os.dup(2)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 2)
            finally:
                os.close(devnull)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _too_deep(data: Any) -> bool:
    """True when lists and mappings nest deeper than the reference allows."""
    level: list[Any] = [data]
    depth = 0
    while level:
        depth += 1
        if depth > compose.MAX_DEPTH:
            return True
        nxt: list[Any] = []
        for node in level:  # the JSON decoder makes exactly dict and list
            for item in node.values() if type(node) is dict else node:
                if type(item) is dict or type(item) is list:
                    nxt.append(item)
        level = nxt
    return False


def _most_values(text: str) -> int:
    """An upper bound on the values a file can hold, counted before rapidyaml builds them all.

    Every value but the whole document's starts after '-', ':', ',', '[', '{' or '?', so a file
    with fewer of those cannot pass the value limit (and rapidyaml's memory stays bounded too).
    """
    if len(text) <= compose.MAX_VALUES:
        return len(text)  # a value takes at least one character
    return 1 + sum(text.count(c) for c in "-:,[{?")


def enabled() -> bool:
    """False when ITREPORT_FAST_YAML=0: every file then takes the reference path (a way out)."""
    return ryml is not None and os.environ.get("ITREPORT_FAST_YAML", "1") != "0"


def plain_data(text: str) -> Any:
    """The file's data as the reference would build it, or NOT_PLAIN when that is not certain."""
    if not enabled() or not text.strip() or _most_values(text) > compose.MAX_VALUES or _outside(text):
        return NOT_PLAIN
    try:
        with _quiet_stderr():
            tree = ryml.parse_in_arena(text.encode("utf-8"))
            root = tree.root_id()
            if tree.size() > compose.MAX_VALUES:
                return NOT_PLAIN
            if tree.is_stream(root) or tree.is_doc(root):
                return NOT_PLAIN  # document markers, several documents
            emitted = ryml.emit_json(tree)
    except Exception:  # any refusal by rapidyaml sends the file to the reference
        return NOT_PLAIN
    if not isinstance(emitted, str) or not emitted or _json_doubtful(emitted):
        return NOT_PLAIN
    rounded: list[str] = []

    def number(written: str) -> str:
        if written.startswith(("0.", "-0.")) or written.endswith(".0") or ".0e" in written.lower():
            rounded.append(written)  # maybe rewritten from .5 or 5.: the source decides
        return written

    decoder = json.JSONDecoder(parse_float=number, parse_int=str, object_pairs_hook=_pairs)
    try:
        data = decoder.decode(emitted)
    except (ValueError, RecursionError, _Duplicate):
        return NOT_PLAIN
    if rounded and _REWRITTEN_NUMBER.search(text):
        return NOT_PLAIN
    if isinstance(data, dict | list) and _too_deep(data):
        return NOT_PLAIN
    return data
