"""Appending a mistake to any content file of the example division is caught and located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from tests.conftest import REPO

CONTENT = REPO / "content"
FILES = sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml") if "schemas" not in p.parts)

MISTAKES = {
    "unknown-key": ("zz_unknown_key: 1\n", "error: unknown key 'zz_unknown_key'"),
    "syntax-error": ("zz_broken: [unclosed\n", "error: YAML syntax error"),
}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(CONTENT, root / "content")
    return root


def test_example_content_validates(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example)
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output


@pytest.mark.parametrize("rel", FILES)
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_appended_mistake_is_located(
    example: Path, monkeypatch: pytest.MonkeyPatch, rel: str, mistake: str
) -> None:
    path = example / "content" / rel
    original = path.read_text(encoding="utf-8")
    lines = original.count("\n") + (0 if original.endswith("\n") else 1)
    text, expected = MISTAKES[mistake]
    try:
        path.write_text(original + ("" if original.endswith("\n") else "\n") + text, encoding="utf-8")
        monkeypatch.chdir(example)
        result = CliRunner().invoke(main, ["validate", "content"])
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"content/{rel}:{lines + 1}:" in result.output and expected in result.output, result.output


@pytest.mark.parametrize("rel", FILES)
def test_duplicate_top_level_key_is_located(example: Path, monkeypatch: pytest.MonkeyPatch, rel: str) -> None:
    path = example / "content" / rel
    original = path.read_text(encoding="utf-8")
    first_key = next(
        line.split(":")[0] for line in original.splitlines() if line and not line.startswith(("#", " ", "-"))
    )
    lines = original.count("\n")
    try:
        path.write_text(original + f"{first_key}: again\n", encoding="utf-8")
        monkeypatch.chdir(example)
        result = CliRunner().invoke(main, ["validate", "content"])
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    assert f"content/{rel}:{lines + 1}:1: error: duplicate key '{first_key}'" in result.output
