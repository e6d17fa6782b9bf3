"""Mutation fuzzer: the example division and the minimal fixture, broken at random (issue 8.9).

Each example applies one to three mutations to the content files: lines deleted, duplicated,
swapped or re-indented, bytes cut, flipped or inserted (invalid UTF-8 included), values replaced
by other types, huge numbers, odd Unicode or YAML structure (anchors, aliases, tags, merge keys,
brackets, a second document), whole files deleted. The property is the same as for every fuzzer
(tests/fuzzing.py): `validate` never raises and reports located problems; what it accepts, `build`
turns into HTML.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzzing import BASES, content_files, fuzz_case, validate_then_build

FILES = {name: content_files(path) for name, path in BASES.items() if name in ("minimal", "example")}

VALUES = [
    "",
    "~",
    "null",
    "true",
    "NO",
    "[]",
    "{}",
    "[a, [b, {c: d}]]",
    "{a: 1, a: 2}",
    "&x 1",
    "*x",
    "*undefined",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "!!float 1",
    "!!str 5",
    "!!null ''",
    "'unclosed",
    '"unclosed',
    "|",
    ">",
    "|-\n  text",
    "1e26",
    "-1e26",
    "1E+999999",
    "0.000000000001",
    "999999999999999.999",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-10-31T10:00:00Z",
    "NaN",
    ".inf",
    "0x10",
    "1_000",
    "250.000",
    "12 000",
    "１２",
    "\u202e",
    "\x1b[2J",
    "\u00a0",
    "ﷺ",
    "𝟘",
    "'{{ 7*7 }}'",
    '"<script>x</script>"',
    "'" + "x" * 3000 + "'",
    "[" * 70 + "]" * 70,
    "'" + ">" * 30 + "'",
]
STRUCTURE = [
    "---",
    "...",
    "%YAML 1.1",
    "%TAG ! tag:x,2000:",
    "<<: *x",
    "? [a, b]\n: c",
    "- item",
    "key: &x [1, 2]",
    "alias: *x",
    "\t- tab",
    "#!comment",
    "{",
    "]",
    "@reserved",
    "`reserved",
    "key: value: other",
    "&a [*a]",
    "x: !!set {a, b}",
    "x: !!omap [a: 1]",
]
Mutation = Callable[[st.DataObject, bytes], bytes | None]


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


def _index(data: st.DataObject, items: list[bytes]) -> int:
    return data.draw(st.integers(0, max(0, len(items) - 1)), label="line")


def delete_line(data: st.DataObject, raw: bytes) -> bytes:
    lines = _lines(raw)
    del lines[_index(data, lines)]
    return b"\n".join(lines)


def duplicate_line(data: st.DataObject, raw: bytes) -> bytes:
    lines = _lines(raw)
    i = _index(data, lines)
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def swap_lines(data: st.DataObject, raw: bytes) -> bytes:
    lines = _lines(raw)
    i, j = _index(data, lines), _index(data, lines)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def reindent_line(data: st.DataObject, raw: bytes) -> bytes:
    lines = _lines(raw)
    i = _index(data, lines)
    shift = data.draw(st.integers(-4, 4), label="shift")
    stripped = lines[i].lstrip(b" ")
    indent = max(0, len(lines[i]) - len(stripped) + shift)
    lines[i] = b" " * indent + stripped
    return b"\n".join(lines)


def replace_value(data: st.DataObject, raw: bytes) -> bytes:
    """`key: value` keeps its key and gets another value (a type swap, a huge number, YAML syntax)."""
    lines = _lines(raw)
    candidates = [i for i, line in enumerate(lines) if re.match(rb"^\s*(- )?[\w.-]+: ", line)]
    if not candidates:
        return raw
    i = data.draw(st.sampled_from(candidates), label="line")
    key = re.match(rb"^\s*(- )?[\w.-]+: ", lines[i])
    assert key is not None
    value = data.draw(st.one_of(st.sampled_from(VALUES), st.text(max_size=30)), label="value")
    lines[i] = key.group(0) + value.encode("utf-8")
    return b"\n".join(lines)


def insert_structure(data: st.DataObject, raw: bytes) -> bytes:
    lines = _lines(raw)
    i = _index(data, lines)
    indent = data.draw(st.sampled_from([b"", b"  ", b"    "]), label="indent")
    lines.insert(i, indent + data.draw(st.sampled_from(STRUCTURE), label="structure").encode("utf-8"))
    return b"\n".join(lines)


def huge_number(data: st.DataObject, raw: bytes) -> bytes:
    digits = list(re.finditer(rb"\d+", raw))
    if not digits:
        return raw
    m = data.draw(st.sampled_from(digits), label="number")
    new = data.draw(st.sampled_from([b"9" * 40, b"1e308", b"1" + b"0" * 400, b"-" + b"9" * 30, b"0" * 30]))
    return raw[: m.start()] + new + raw[m.end() :]


def cut_bytes(data: st.DataObject, raw: bytes) -> bytes:
    start = data.draw(st.integers(0, len(raw)), label="start")
    length = data.draw(st.integers(0, 80), label="length")
    return raw[:start] + raw[start + length :]


def insert_bytes(data: st.DataObject, raw: bytes) -> bytes:
    at = data.draw(st.integers(0, len(raw)), label="at")
    blob = data.draw(
        st.one_of(
            st.binary(min_size=1, max_size=8),
            st.text(min_size=1, max_size=8).map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.sampled_from(
                [b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\r", b"\t", b"\xc3", b"\x85", b"\xe2\x80\xa8"]
            ),
        ),
        label="bytes",
    )
    return raw[:at] + blob + raw[at:]


def truncate(data: st.DataObject, raw: bytes) -> bytes:
    return raw[: data.draw(st.integers(0, len(raw)), label="length")]


def delete_file(data: st.DataObject, raw: bytes) -> None:
    return None


MUTATIONS: list[Mutation] = [
    delete_line,
    duplicate_line,
    swap_lines,
    reindent_line,
    replace_value,
    replace_value,
    insert_structure,
    huge_number,
    cut_bytes,
    insert_bytes,
    truncate,
    delete_file,
]


@given(st.data())
def test_mutated_content_validates_or_builds(data: st.DataObject) -> None:
    # The minimal division builds in a fraction of the example's time: most cases use it.
    base = data.draw(st.sampled_from(["minimal", "minimal", "minimal", "example"]), label="base")
    files = dict(FILES[base])
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        rel = data.draw(st.sampled_from(sorted(files)), label="file")
        mutation = data.draw(st.sampled_from(MUTATIONS), label="mutation")
        mutated = mutation(data, files[rel])
        if mutated is None:
            del files[rel]
        else:
            files[rel] = mutated
        if not files:
            break
    with tempfile.TemporaryDirectory() as tmp, fuzz_case(base, files):
        event("built" if validate_then_build(Path(tmp) / "content", files) else "refused")
