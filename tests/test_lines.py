"""Shown source lines are the lines YAML counts, and a forbidden character is located exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from itreport.source.lines import char_index, locate, offset, split_lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", []),
        ("a", ["a"]),
        ("a\n", ["a"]),
        ("a\r\nb\r\n", ["a", "b"]),
        ("a\rb", ["a", "b"]),
        ("a\x85b\u2028c\u2029d", ["a", "b", "c", "d"]),
        ("a\x0cb\x0bc\x1cd\ne", ["a\x0cb\x0bc\x1cd", "e"]),  # not breaks in YAML; splitlines breaks them
        ("a\n\n", ["a", ""]),
    ],
)
def test_split_lines_breaks_where_yaml_does(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


def test_locate_counts_lines_and_columns_from_one() -> None:
    text = "ab\r\ncd\x0ce\u2028f"
    assert locate(text, 0) == (1, 1)
    assert locate(text, 2) == (1, 3)  # the CR of CR LF still belongs to line 1
    assert locate(text, 4) == (2, 1)
    assert locate(text, 6) == (2, 3)  # form feed: same line
    assert locate(text, 9) == (3, 1)
    assert char_index("é\u2028x", 5) == 2  # é is 2 bytes, LS 3


def test_control_character_is_located_on_its_own_line(content: Path) -> None:
    strategy = content / "strategy.yaml"
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text("# page\x0c one\n" + text, encoding="utf-8")  # no line break for YAML
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert result.output.startswith(
        "content/strategy.yaml:1:7: error: YAML does not allow the control character U+000C here\n"
        " 1 | # page\\x0c one\n"
        "   |       ^~~~\n"
        '  hint: delete it (most editors do not show it); to keep it, write it inside double quotes as "\\x0c"\n'
    )


def test_line_separator_starts_a_line_in_the_report(content: Path) -> None:
    strategy = content / "strategy.yaml"
    strategy.write_text("#\u2028# \x1c\n" + strategy.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert (
        "content/strategy.yaml:2:3: error: YAML does not allow the control character U+001C" in result.output
    )
    assert " 2 | # \\x1c\n   |   ^~~~\n" in result.output


@pytest.mark.parametrize("text", ["ab\r\ncd\x0ce\u2028f\n", "x", "", "a\n\nb", "é\x85ü\rz"])
def test_offset_is_the_inverse_of_locate(text: str) -> None:
    for index in range(len(text)):
        assert offset(text, *locate(text, index)) == index or text[index - 1 : index + 1] == "\r\n"
