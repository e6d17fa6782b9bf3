"""Shared by the fuzzers: run one content folder through validate and build, and keep crashes.

The property every fuzzer asserts: `validate` never raises and reports only located problems;
whatever it accepts, `build` turns into HTML without an exception. A case that breaks it can be
kept as a regression fixture under tests/fixtures/fuzz/<name>/ (the files that differ from a base
folder, plus `case.yaml` naming the base and the files deleted); tests/test_fuzz_regressions.py
replays every kept case in `make test`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, settings

from itreport.build import BuildOptions, build
from itreport.problems import Problem
from itreport.validate import validate_folder

ROOT = Path(__file__).resolve().parent.parent
BASES = {
    "minimal": ROOT / "tests" / "fixtures" / "minimal",
    "seed": ROOT / "tests" / "fixtures" / "fuzz-seed",
    "example": ROOT / "content",
}

# "ci" (make test): a few hundred cases, the same ones every run. "fuzz" (make fuzz): thousands of
# new ones. Health checks are off: building a briefing is slow by Hypothesis' standards, on purpose.
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("ITREPORT_FUZZ_EXAMPLES", "2500")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
KEPT = ROOT / "tests" / "fixtures" / "fuzz"


def content_files(base: Path) -> dict[str, bytes]:
    """Every content file of a base folder (the schemas are not content)."""
    return {
        p.relative_to(base).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*.yaml"))
        if not p.relative_to(base).as_posix().startswith("schemas/")
    }


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def check_located(problems: list[Problem], files: dict[str, bytes], shown: str) -> None:
    """Each problem names a file of the folder and a line inside it (0 means the whole file)."""
    for p in problems:
        assert p.file.startswith(shown + "/"), p
        rel = p.file[len(shown) + 1 :]
        assert rel in files or rel == "division.yaml", p
        if rel in files:
            # Lines as libyaml counts them (and so every located problem): \r\n, \r, \n, NEL, LS, PS.
            text = files[rel].decode("utf-8", errors="replace")
            lines = len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text)) + 1
            assert 0 <= p.line <= lines, p
            assert p.col >= 0, p
        assert p.message, p


def validate_then_build(folder: Path, files: dict[str, bytes]) -> bool:
    """The fuzzers' property for one folder; True when it validated (and so was built)."""
    write_folder(folder, files)
    validation = validate_folder(Path(folder.name)) if Path.cwd() == folder.parent else None
    if validation is None:
        validation = validate_folder(folder)
        shown = str(folder)
    else:
        shown = folder.name
    check_located(validation.problems, files, shown)
    if validation.failed():
        return False
    result = build(BuildOptions(folder, folder.parent / "out", formats=("html",)))
    assert result.written and all(w.path.exists() for w in result.written)
    return True


def keep_crash(base: str, files: dict[str, bytes], note: str) -> Path | None:
    """With ITREPORT_FUZZ_KEEP=1 (set by `make fuzz`), save a failing case as a regression fixture."""
    if os.environ.get("ITREPORT_FUZZ_KEEP") != "1":
        return None
    original = content_files(BASES[base])
    changed = {rel: data for rel, data in files.items() if original.get(rel) != data}
    deleted = sorted(set(original) - set(files))
    digest = hashlib.sha256(repr((base, sorted(changed.items()), deleted)).encode()).hexdigest()[:12]
    folder = KEPT / f"{base}-{digest}"
    write_folder(folder / "files", changed)
    case = {"base": base, "deleted": deleted, "found": note}
    (folder / "case.yaml").write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    return folder


@contextmanager
def fuzz_case(base: str, files: dict[str, bytes]) -> Iterator[None]:
    """Run one case; if it fails (and is Hypothesis' final, shrunk example), keep it."""
    try:
        yield
    except Exception as exc:
        if _final():
            keep_crash(base, files, f"{type(exc).__name__}: {exc}"[:500])
        raise


def _final() -> bool:
    try:
        from hypothesis.control import current_build_context

        return bool(current_build_context().is_final)
    except Exception:  # not inside a Hypothesis test: every failure is final
        return True


def kept_cases() -> list[Path]:
    return sorted(p for p in KEPT.iterdir() if (p / "case.yaml").is_file()) if KEPT.is_dir() else []


def replay(case: Path) -> tuple[str, dict[str, bytes]]:
    """A kept case's base name and its complete set of files."""
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    files = content_files(BASES[spec["base"]])
    for rel in spec.get("deleted") or []:
        files.pop(rel, None)
    changed = case / "files"
    if changed.is_dir():
        for p in sorted(changed.rglob("*")):
            if p.is_file():
                files[p.relative_to(changed).as_posix()] = p.read_bytes()
    return spec["base"], files
