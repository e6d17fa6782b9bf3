"""The private folder in a real git repository: restricted values reach the HR edition only.

The content is committed in a fresh repository; the private folder sits outside it, as the
docs tell users to keep it. Unique markers planted in the private folder must appear in the hr
edition's HTML and PDF and nowhere else: not in another edition, not in the manifest, not in
anything the commands print. Restricted fields merged from the private folder are not reported
as being in a tracked file, while one written into a tracked file still is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES

BRIEFINGS = """\
editions:
  - {id: board, title: Board briefing, audience: board}
  - {id: executive, title: CIO briefing, audience: executive}
  - {id: finance, title: Finance pack, audience: finance}
  - {id: management, title: Management report, audience: management}
  - {id: hr, title: HR report, audience: hr, sections: [people, appendix]}
"""
DISCIPLINARY = "MARKER-PRIVATE-DISC-5521"
SALARY = "913577"
PRIVATE = f"""\
people:
  - id: dan.lund
    performance_rating: 2
    disciplinary: {DISCIPLINARY}
    salary: {SALARY}
"""
MARKERS = (DISCIPLINARY, "913,577", SALARY)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def _itreport(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itreport", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A committed division in a git repository, and a private folder outside it."""
    root = tmp_path_factory.mktemp("private-git")
    repo = root / "division"
    shutil.copytree(FIXTURES / "minimal", repo / "content")
    (repo / "content" / "briefings.yaml").write_text(BRIEFINGS, encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "content")
    _git(repo, "commit", "-q", "-m", "division")
    private = root / "hr-private"
    private.mkdir()
    (private / "people.yaml").write_text(PRIVATE, encoding="utf-8")
    return repo, private


@pytest.fixture(scope="module")
def built(project: tuple[Path, Path]) -> tuple[Path, str]:
    repo, private = project
    proc = _itreport(repo, "build", "content", "--private", str(private))
    assert proc.returncode == 0, proc.stderr
    return repo / "output", proc.stdout + proc.stderr


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        reader = PdfReader(path)
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        return "\n".join(page.extract_text() for page in reader.pages) + meta
    return path.read_text(encoding="utf-8")


def test_validate_does_not_blame_the_tracked_file(project: tuple[Path, Path]) -> None:
    repo, private = project
    proc = _itreport(repo, "validate", "content", "--private", str(private))
    assert proc.returncode == 0, proc.stdout
    assert "restricted field" not in proc.stdout + proc.stderr
    assert "content: no problems" in proc.stdout
    for marker in MARKERS:
        assert marker not in proc.stdout + proc.stderr


def test_markers_reach_the_hr_edition_only(built: tuple[Path, str]) -> None:
    out, printed = built
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draft"] is False  # the private folder is outside the repository
    by_edition: dict[str, list[Path]] = {}
    for entry in manifest["files"]:
        by_edition.setdefault(entry["edition"], []).append(out / entry["file"])
    assert sorted(by_edition) == ["board", "executive", "finance", "hr", "management"]
    for edition, paths in by_edition.items():
        assert sorted(p.suffix for p in paths) == [".html", ".pdf"]
        for path in paths:
            text = _text(path)
            if edition == "hr":
                assert DISCIPLINARY in text and "913,577" in text, path.name
            else:
                assert not any(m in text for m in MARKERS), path.name
            assert not any(m.encode() in path.read_bytes() for m in MARKERS) or edition == "hr"
    raw_manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert not any(m in raw_manifest for m in MARKERS)
    assert not any(m in printed for m in MARKERS)


def test_restricted_field_in_a_tracked_file_is_still_an_error(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    repo = tmp_path / "division"
    shutil.copytree(project[0], repo)
    people = repo / "content" / "people.yaml"
    people.write_text(
        people.read_text().replace("    title: Engineer\n", "    title: Engineer\n    salary: 51000\n", 1)
    )
    _git(repo, "commit", "-q", "-am", "oops")
    proc = _itreport(repo, "validate", "content", "--private", str(project[1]))
    assert proc.returncode == 1
    assert (
        "content/people.yaml:32:5: error: restricted field 'salary' is in a file that git tracks"
        in proc.stdout
    )
    assert proc.stdout.count("restricted field") == 1  # the private folder's fields are not blamed


def test_private_folder_tracked_by_git_is_an_error(project: tuple[Path, Path], tmp_path: Path) -> None:
    """A private folder committed into the repository defeats its purpose: said at its file."""
    repo = tmp_path / "division"
    shutil.copytree(project[0], repo)
    shutil.copytree(project[1], repo / "private")
    _git(repo, "add", "private")
    _git(repo, "commit", "-q", "-m", "oops")
    proc = _itreport(repo, "validate", "content", "--private", "private")
    assert proc.returncode == 1
    assert (
        "private/people.yaml:4:5: error: restricted field 'disciplinary' is in a file that git tracks"
        in proc.stdout
    )
    assert DISCIPLINARY not in proc.stdout  # the private folder's lines are never echoed


def test_private_values_never_reach_a_message(project: tuple[Path, Path], tmp_path: Path) -> None:
    """A CI log must not show a salary, even when the private file has a mistake in it."""
    private = tmp_path / "hr-private"
    private.mkdir()
    (private / "people.yaml").write_text(
        "people:\n  - id: dan.lund\n    salary: 51777 SEK\n  - id: eva.berg\n    disciplinary: [MARKER-LIST-8812]\n",
        encoding="utf-8",
    )
    proc = _itreport(project[0], "validate", "content", "--private", str(private), "--format", "text")
    assert proc.returncode == 1
    assert f"{private}/people.yaml:3:13: error:" in proc.stdout
    assert f"{private}/people.yaml:5:19: error:" in proc.stdout
    assert "51777" not in proc.stdout and "MARKER-LIST-8812" not in proc.stdout
    assert "Traceback" not in proc.stderr
