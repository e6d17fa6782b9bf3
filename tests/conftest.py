"""Shared fixtures: a warning-free minimal division copied into a temporary folder per test."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# Build records of the test run stay in a folder of its own, not the developer's ~/.cache.
os.environ.setdefault("ITREPORT_CACHE", tempfile.mkdtemp(prefix="itreport-test-cache-"))
REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/fixtures/minimal at <tmp>/content, with <tmp> as the working directory."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", dest)
    monkeypatch.chdir(tmp_path)
    return dest


Edit = Callable[[Path, str, str, str], None]


def replace_in(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
