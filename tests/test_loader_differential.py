"""The fast YAML path against the reference: the same values, problems and positions, always.

`itreport.source.fastyaml` (rapidyaml) reads plain files; `itreport.source.compose` (libyaml
events) is the reference, and reads everything the fast path declines. Every comparison here
parses the same bytes both ways: every YAML file under tests/ (the hostile fixtures included) and
content/, a generated division, mutated content files and generated YAML. `make fuzz` runs the
generated cases by the thousand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from itreport.demo import write_demo
from itreport.load import parse
from itreport.problems import Problem
from itreport.source import fastyaml
from tests.fuzzing import BASES, content_files
from tests.test_fuzz_mutation import MUTATIONS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(
    p.relative_to(ROOT).as_posix()
    for folder in (ROOT / "tests", ROOT / "content")
    for p in folder.rglob("*")
    if p.suffix in (".yaml", ".yml") and p.is_file()
)


def _problem(p: Problem) -> tuple[Any, ...]:
    return (p.file, p.line, p.col, p.severity, p.message, p.hint, p.width, p.rule)


def same_both_ways(raw: bytes, name: str = "content/file.yaml") -> bool:
    """Parse both ways and compare everything; True when the fast path read the file itself."""
    ref_doc, ref_problems = parse(name, raw, fast=False)
    fast_doc, fast_problems = parse(name, raw)
    assert [_problem(p) for p in fast_problems] == [_problem(p) for p in ref_problems]
    if ref_doc is None:
        assert fast_doc is None
        return False
    assert fast_doc is not None
    assert fast_doc.text == ref_doc.text
    # repr: True and "true", None and "" must not pass for each other.
    assert repr(fast_doc.data) == repr(ref_doc.data)
    assert fast_doc.values == ref_doc.values
    assert fast_doc.keys == ref_doc.keys
    text = raw.decode("utf-8-sig", "replace")
    return fastyaml.plain_data(text) is not fastyaml.NOT_PLAIN


@pytest.mark.parametrize("rel", FIXTURES)
def test_every_fixture_file_reads_the_same(rel: str) -> None:
    same_both_ways((ROOT / rel).read_bytes(), rel)


def test_a_generated_division_reads_the_same_and_fast(tmp_path: Path) -> None:
    write_demo(tmp_path / "content", "small")
    fast = {
        p.relative_to(tmp_path).as_posix(): same_both_ways(p.read_bytes())
        for p in sorted((tmp_path / "content").rglob("*.yaml"))
        if "schemas" not in p.parts
    }
    # The bulk of a division (projects, budgets, people) is plain YAML: the fast path reads it.
    bulk = [rel for rel in fast if rel.startswith(("content/projects/", "content/budget/"))]
    assert bulk and [rel for rel in bulk if not fast[rel]] == []
    assert fast["content/people.yaml"]


def test_rapidyaml_errors_stay_off_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    """rapidyaml prints parse errors to stderr; only our located problem may be shown."""
    doc, problems = parse("content/x.yaml", b"a: b: c\n")
    assert doc is not None and [p.rule for p in problems] == ["yaml.syntax"]
    assert capfd.readouterr() == ("", "")


def test_positions_are_found_when_first_asked(tmp_path: Path) -> None:
    raw = b"people:\n  - id: ann\n    name: 'Ann'\n    tags: [a, b]\n"
    doc, problems = parse("content/people.yaml", raw)
    assert doc is not None and problems == []
    assert doc.position(("people", 0, "name")) == (3, 11, 5)
    assert doc.position(("people", 0, "tags", 1), key=False).col == 15
    assert doc.position(("people", 0, "tags"), key=True) == (4, 5, 4)


# --- generated cases -------------------------------------------------------------------------------

FILES = {name: content_files(path) for name, path in BASES.items() if name in ("minimal", "example")}


@given(st.data())
def test_mutated_content_files_read_the_same(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(sorted(FILES)), label="base")
    rel = data.draw(st.sampled_from(sorted(FILES[base])), label="file")
    raw: bytes | None = FILES[base][rel]
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        assert raw is not None
        raw = data.draw(st.sampled_from(MUTATIONS), label="mutation")(data, raw)
        if raw is None:
            return
    event("fast path" if same_both_ways(raw) else "reference path")


_WORDS = [
    "",
    " ",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "TRUE",
    "false",
    "FALSE",
    "no",
    "NO",
    "on",
    "yes",
    "0",
    "-0",
    "007",
    "0.5",
    ".5",
    "-.5",
    "5.",
    "5.0",
    "+1",
    "1e5",
    "1E+5",
    ".inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "2026-01-31",
    "12:30",
    "a: b",
    "a:b",
    "- x",
    "-x",
    "#c",
    "x #c",
    "x#c",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "?",
    "? x",
    ": x",
    "&a",
    "*a",
    "!t",
    "!!str",
    "@x",
    "`x`",
    "%x",
    "|",
    ">",
    "<<",
    "---",
    "...",
    "R&D",
    "50 %",
    "é",
    "€",
    "\u00a0",
    "𝄞",
    "a  b",
    " a",
    "a ",
]
_CHARS = "ab z09.-+:#&*!|>?%@`'\"[]{},~_\\é\u00a0\t"
_scalar_text = st.one_of(
    st.sampled_from(_WORDS),
    st.text(alphabet=_CHARS, max_size=8),
    st.text(alphabet="ab z09.-:'\"é€#\n", max_size=10),  # mostly plain: the fast path's share
)
_scalar = st.tuples(
    st.just("scalar"), st.sampled_from(["plain", "single", "double", "literal", "folded"]), _scalar_text
)
_tree = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.tuples(st.just("list"), st.booleans(), st.lists(inner, max_size=4)),
        st.tuples(st.just("map"), st.booleans(), st.lists(st.tuples(_scalar_text, inner), max_size=4)),
    ),
    max_leaves=12,
)


def _scalar_yaml(style: str, text: str, indent: int) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style in ("literal", "folded"):
        pad = " " * (indent + 2)
        return (
            ("|" if style == "literal" else ">") + "\n" + "\n".join(pad + line for line in text.split("\n"))
        )
    return text


def render(node: Any, indent: int = 0, flow: bool = False) -> str:
    """YAML text for a generated tree: block or flow collections, every scalar style."""
    kind = node[0]
    if kind == "scalar":
        style = "plain" if flow and node[1] in ("literal", "folded") else node[1]
        return _scalar_yaml(style, node[2], indent)
    flow = flow or node[1]
    items = node[2]
    if flow:
        if kind == "list":
            return "[" + ", ".join(render(i, indent, True) for i in items) + "]"
        return "{" + ", ".join(f"{k}: {render(v, indent, True)}" for k, v in items) + "}"
    if not items:
        return "[]" if kind == "list" else "{}"
    pad = " " * indent
    lines = []
    for item in items:
        key, value = ("- ", item) if kind == "list" else (f"{item[0]}: ", item[1])
        if value[0] != "scalar" and not value[1] and value[2]:
            lines.append(f"{pad}{key.rstrip()}\n{render(value, indent + 2)}")
        else:
            lines.append(f"{pad}{key}{render(value, indent + 2)}")
    return "\n".join(lines)


@given(_tree, st.sampled_from(["", "\n", "\n\n", "\n# end\n"]))
def test_generated_yaml_reads_the_same(tree: Any, ending: str) -> None:
    event("fast path" if same_both_ways((render(tree) + ending).encode("utf-8")) else "reference path")
