"""Input limits: hostile YAML and Markdown stop early with a located error, never a crash or a hang.

Each limit is tested at its edge (accepted) and one step past it (refused with file, line and
column). Limits are documented in docs/content.md ("Input limits") and the README.
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from itreport.load import MAX_LINE_CHARS, parse
from itreport.models.base import MAX_MARKDOWN_MARKUP, MAX_MARKDOWN_NESTING
from itreport.render.markdown import render_markdown
from itreport.source import compose
from itreport.validate import validate_folder
from tests.conftest import replace_in


def billion_laughs(levels: int = 9) -> str:
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = name
    return text


def only(text: str) -> list[tuple[int, int, str, str]]:
    _doc, problems = parse("f.yaml", text.encode())
    return [(p.line, p.col, p.rule, p.message) for p in problems]


# --- aliases --------------------------------------------------------------------------------------


def test_billion_laughs_stops_in_bounded_memory() -> None:
    tracemalloc.start()
    try:
        found = only(billion_laughs())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Located at the alias whose expansion passed the limit. b repeats 9 × 10 values, c 9 × 91,
    # d 9 × 820: 8,289 in all; the first *d in e (line 5, column 8) adds 7,381 more.
    assert found == [(5, 8, "yaml.limit", "aliases expand to more than 10,000 values")]
    assert peak < 32 * 1024 * 1024  # 9^9 values would need hundreds of gigabytes


def test_aliases_up_to_the_limit_are_expanded() -> None:
    # b, c and d repeat 90 + 819 + 7,380 = 8,289 values through aliases: below 10,000, accepted.
    doc, problems = parse("f.yaml", billion_laughs(4).encode())
    assert problems == []
    assert doc is not None
    assert len(doc.data["d"]) == 9
    assert doc.data["d"][8][8][8] == ["lol"] * 9


def test_alias_inside_its_own_anchor() -> None:
    assert only("a: &a [1, *a]\n") == [(1, 11, "yaml.alias", "alias *a refers to the value that contains it")]
    assert only("a: &a {b: *a}\n") == [(1, 11, "yaml.alias", "alias *a refers to the value that contains it")]


def test_undefined_alias() -> None:
    assert only("a: 1\nb: *nope\n") == [(2, 4, "yaml.alias", "alias *nope is not defined")]


def test_anchors_and_aliases_keep_working() -> None:
    doc, problems = parse("f.yaml", b"base: &b {amber: 5, red: 10}\nother: *b\nname: &n x\nagain: *n\n")
    assert problems == []
    assert doc is not None
    assert doc.data == {
        "base": {"amber": "5", "red": "10"},
        "other": {"amber": "5", "red": "10"},
        "name": "x",
        "again": "x",
    }
    assert (doc.position(("other", "red")).line, doc.position(("again",)).line) == (1, 3)


# --- nesting --------------------------------------------------------------------------------------


def test_nesting_at_the_limit_is_accepted() -> None:
    depth = compose.MAX_DEPTH
    _doc, problems = parse("f.yaml", ("[" * depth + "]" * depth).encode())
    assert problems == []


def test_nesting_past_the_limit_is_located() -> None:
    depth = compose.MAX_DEPTH + 1
    assert only("[" * depth + "]" * depth) == [(1, depth, "yaml.limit", "nesting deeper than 64 levels")]
    block = "".join("  " * i + f"k{i}:\n" for i in range(depth + 5))
    assert only(block) == [(65, 129, "yaml.limit", "nesting deeper than 64 levels")]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_very_deep_nesting_never_recurses(depth: int) -> None:
    """PyYAML's C composer recursed once per level; events are read iteratively instead."""
    [(line, _col, rule, _message)] = only("x: " + "[" * depth + "]" * depth)
    assert (line, rule) in {(1, "yaml.limit"), (1, "yaml.syntax")}


def test_value_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compose, "MAX_VALUES", 10)
    assert only("a: [1, 2, 3, 4]\nb: [5, 6, 7, 8, 9]\n") == [
        (2, 14, "yaml.limit", "the file holds more than 10 values")
    ]


# --- lines and documents --------------------------------------------------------------------------


def test_line_length_limit() -> None:
    edge = "a: " + "x" * (MAX_LINE_CHARS - 3)
    assert only(edge + "\n") == []
    past = edge + "x"
    assert only("b: 1\n" + past + "\n") == [
        (2, 1, "yaml.limit", "line is longer than 10,000 characters (10,001)")
    ]


def test_long_line_is_shown_cut_short(content: Path) -> None:
    (content / "teams.yaml").write_text("teams:\n  - id: " + "x" * 50_000 + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "validate", "content"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "content/teams.yaml:2:1: error: line is longer than 10,000 characters (50,008)" in proc.stdout
    assert len(proc.stdout) < 2_000
    assert "Traceback" not in proc.stderr


def test_one_document_per_file() -> None:
    assert only("a: 1\n---\nb: 2\n") == [(2, 1, "yaml.syntax", "the file holds more than one YAML document")]


def test_billion_laughs_in_a_content_file_via_the_cli(content: Path) -> None:
    (content / "teams.yaml").write_text(billion_laughs(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "validate", "content"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "content/teams.yaml:5:8: error: aliases expand to more than 10,000 values" in proc.stdout
    assert "Traceback" not in proc.stderr


# --- Markdown -------------------------------------------------------------------------------------


def nested_list(levels: int) -> str:
    return "".join("  " * i + "- x\n" for i in range(levels))


def narrative(content: Path, text: str) -> list[str]:
    body = "\n".join("  " + line for line in text.splitlines())
    (content / "narrative.yaml").write_text(f"executive_summary: |\n{body}\n", encoding="utf-8")
    return [f"{p.line}:{p.col}: {p.message}" for p in validate_folder(Path("content")).problems]


def test_markdown_nesting_limit(content: Path) -> None:
    # A list item at level n has 2·(n−1) spaces and one marker: nesting n.
    assert narrative(content, nested_list(MAX_MARKDOWN_NESTING)) == []
    assert narrative(content, nested_list(MAX_MARKDOWN_NESTING + 1)) == [
        "1:20: executive_summary: Markdown nested more than 16 levels deep (line 17 of the text)"
    ]
    assert narrative(content, ">" * (MAX_MARKDOWN_NESTING + 1) + " quoted") == [
        "1:20: executive_summary: Markdown nested more than 16 levels deep (line 1 of the text)"
    ]


def test_markdown_markup_limit(content: Path) -> None:
    assert narrative(content, "![" * MAX_MARKDOWN_MARKUP) == []
    assert narrative(content, "![" * (MAX_MARKDOWN_MARKUP + 1)) == [
        "1:20: executive_summary: Markdown with more than 100 links or '[' brackets"
    ]
    assert narrative(content, "<http://" * (MAX_MARKDOWN_MARKUP + 1)) == [
        "1:20: executive_summary: Markdown with more than 100 '<' characters"
    ]


def test_markdown_at_the_limits_renders() -> None:
    html = render_markdown(nested_list(MAX_MARKDOWN_NESTING) + "\n" + ">" * MAX_MARKDOWN_NESTING + " deep")
    assert html.count("<ul>") == MAX_MARKDOWN_NESTING // 2  # python-markdown nests per four spaces
    assert html.count("<blockquote>") == MAX_MARKDOWN_NESTING


def test_deep_markdown_limit_holds_in_the_build(content: Path) -> None:
    replace_in(
        content,
        "projects/alpha.yaml",
        "name: Alpha platform",
        "name: Alpha platform\nsummary: '" + ">" * 40 + "'",
    )
    problems = validate_folder(Path("content")).problems
    assert [(p.file, p.rule) for p in problems] == [("content/projects/alpha.yaml", "model.markdown_nesting")]
