"""Every crash a fuzzer found, replayed: kept in tests/fixtures/fuzz/<name>/ (see tests/fuzzing.py).

Each case is the files that differ from a base folder plus `case.yaml` (base, files deleted, and
what went wrong when it was found). The property is the fuzzers' own: located problems or a
build, never an exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzzing import kept_cases, replay, validate_then_build

CASES = kept_cases()


def test_crashes_are_kept() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_kept_crash_stays_fixed(case: Path, tmp_path: Path) -> None:
    _base, files = replay(case)
    validate_then_build(tmp_path / "content", files)
