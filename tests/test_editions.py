"""Editions and personal data: each marker reaches exactly the editions allowed to hold it."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from itreport.build import BuildOptions, build
from itreport.cli import main
from tests.conftest import FIXTURES

BRIEFINGS = """\
editions:
  - {id: board, title: Board briefing, audience: board, classification: Confidential — Board,
     filename: "board-{period}", recipients: [Board]}
  - {id: executive, title: CIO briefing, audience: executive}
  - {id: finance, title: Finance pack, audience: finance}
  - {id: management, title: Management report, audience: management, recipients: [Team leads]}
  - {id: hr, title: HR report, audience: hr, sections: [people, appendix]}
"""
# A person whose name, review and certification status are management-tier facts; she holds no
# project role, so her name has no internal-tier reason to appear anywhere.
MARA = """\
  - id: mara.markerfelt
    name: Mara Markerfelt
    title: Engineer
    role: engineer
    team: ops
    manager: bo.ek
    start: 2020-01-01
    review: {cycle_months: 12, last: 2024-02-13}
    certifications:
      - {certification: itil4, issued: 2023-11-19, expires: 2026-11-19}
"""
PRIVATE = """\
people:
  - id: dan.lund
    performance_rating: 4
    disciplinary: MARKER-DISCIPLINARY-7731
    salary: 987654
"""
# marker → editions that may show it
MARKERS = {
    "Mara Markerfelt": {"management", "hr"},
    "mara.markerfelt": set(),  # ids and file locations stay in `validate`; notes name the person
    "13 Feb 25": {"management", "hr"},  # her review was due 12 months after 13 Feb 2024
    "19 Nov 26": {"management", "hr"},  # her certification expires
    "MARKER-DISCIPLINARY-7731": {"hr"},
    "987,654": {"hr"},
}
EDITIONS = ["board", "executive", "finance", "management", "hr"]


def _division(root: Path) -> tuple[Path, Path]:
    content = root / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "briefings.yaml").write_text(BRIEFINGS, encoding="utf-8")
    with (content / "people.yaml").open("a", encoding="utf-8") as fh:
        fh.write(MARA)
    private = root / "private"
    private.mkdir()
    (private / "people.yaml").write_text(PRIVATE, encoding="utf-8")
    return content, private


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editions")
    content, private = _division(root)
    result = build(BuildOptions(content, root / "output", private=private))
    assert result.warnings == []
    return root / "output"


def _pdf_text_and_meta(path: Path) -> str:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    outline = " ".join(str(item.title) for item in reader.outline if not isinstance(item, list))
    return f"{text}\n{meta}\n{outline}"


def _files(out: Path, edition: str) -> list[Path]:
    manifest = json.loads((out / "manifest.json").read_text())
    return [out / f["file"] for f in manifest["files"] if f["edition"] == edition]


@pytest.mark.parametrize("marker", sorted(MARKERS))
def test_marker_reaches_exactly_the_allowed_editions(editions: Path, marker: str) -> None:
    found = set()
    for edition in EDITIONS:
        for path in _files(editions, edition):
            text = _pdf_text_and_meta(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
            if marker in text:
                found.add(edition)
            if path.suffix == ".html":
                assert "<!--" not in text  # no HTML comments that could carry data
            assert marker not in path.name
    assert found == MARKERS[marker]


def test_every_edition_has_html_and_pdf(editions: Path) -> None:
    names = sorted(p.name for p in editions.iterdir())
    assert names == sorted(
        [".itreport.lock", "manifest.json", "board-2026-10.html", "board-2026-10.pdf"]
        + [f"{e}-2026-10.{ext}" for e in EDITIONS[1:] for ext in ("html", "pdf")]
    )


def _headcount_desc(html: str) -> str:
    match = re.search(r'<desc id="headcount-desc">(.*?)</desc>', html, re.S)
    assert match
    return match.group(1)


def test_small_teams_are_not_broken_out_for_the_board(editions: Path) -> None:
    board = (editions / "board-2026-10.html").read_text()
    management = (editions / "management-2026-10.html").read_text()
    # Teams: IT Division 1, Operations 3 (Bo, Dan, Mara), Development 2 (Cleo, Eva): all below 5,
    # merged into one group of 6 people with 1 + 1 + 0.8 + 1 + 1 + 1 = 5.8 FTE.
    assert "Other teams 5.8" in _headcount_desc(board)
    for team in ("Operations", "Development", "IT Division"):
        assert team not in _headcount_desc(board)
    assert "Development" in _headcount_desc(management)
    # One joiner in October (Eva): below five, so the board sees "<5", management sees 1.
    assert re.search(r"Joiners this period</th><td class=\"num\">&lt;5<", board)
    assert re.search(r"Joiners this period</th><td class=\"num\">1<", management)


def test_manifest_traces_each_file(editions: Path) -> None:
    manifest = json.loads((editions / "manifest.json").read_text())
    board = [f for f in manifest["files"] if f["edition"] == "board"]
    assert {f["format"] for f in board} == {"html", "pdf"}
    for entry in manifest["files"]:
        data = (editions / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert board[0]["audience"] == "board" and board[0]["recipients"] == ["Board"]
    assert board[0]["classification"] == "Confidential — Board"
    exec_entry = next(f for f in manifest["files"] if f["edition"] == "executive")
    assert exec_entry["classification"] == "Internal"  # the division's default


def test_classification_on_every_page(editions: Path) -> None:
    reader = PdfReader(editions / "board-2026-10.pdf")
    for page in reader.pages:
        assert "Confidential — Board · As of 31 Oct 2026" in page.extract_text()


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin",
        },
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "content")
    _git(tmp_path, "commit", "-q", "-m", "division")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_restricted_field_in_tracked_file_is_an_error(repo: Path) -> None:
    people = repo / "content" / "people.yaml"
    people.write_text(
        people.read_text().replace("    title: Engineer\n", "    title: Engineer\n    salary: 51000\n", 1)
    )
    _git(repo, "commit", "-q", "-am", "oops")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert (
        "content/people.yaml:32:5: error: restricted field 'salary' is in a file that git tracks"
        in result.output
    )


def test_restricted_field_in_untracked_file_is_a_warning(repo: Path) -> None:
    (repo / "content" / "people.yaml").rename(repo / "content" / "people.yaml.bak")
    text = (repo / "content" / "people.yaml.bak").read_text()
    (repo / "content" / "people.yaml").write_text(
        text.replace("    title: Engineer\n", "    title: Engineer\n    disciplinary: x\n", 1)
    )
    _git(repo, "rm", "-q", "--cached", "content/people.yaml")
    (repo / "content" / "people.yaml.bak").unlink()
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0
    assert (
        "content/people.yaml:32:5: warning: restricted field 'disciplinary' is in the content folder"
        in result.output
    )


def test_tracked_is_judged_through_links(repo: Path) -> None:
    """A content folder named through a link: its files are still the ones git tracks."""
    people = repo / "content" / "people.yaml"
    people.write_text(
        people.read_text().replace("    title: Engineer\n", "    title: Engineer\n    salary: 51000\n", 1)
    )
    _git(repo, "commit", "-q", "-am", "oops")
    (repo / "linked").symlink_to("content")
    result = CliRunner().invoke(main, ["validate", "linked"])
    assert result.exit_code == 1
    assert (
        "linked/people.yaml:32:5: error: restricted field 'salary' is in a file that git tracks"
        in result.output
    )


def test_a_tracked_symlink_loop_is_no_traceback(repo: Path) -> None:
    """A link to itself committed in the content folder (not a content file): validation goes on."""
    (repo / "content" / "loop").symlink_to("loop")
    _git(repo, "add", "content/loop")
    _git(repo, "commit", "-q", "-m", "a loop")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0, result.output
    assert result.exception is None


def test_resolver_gives_what_path_resolve_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders resolved once, files only when they are links: the same answers as Path.resolve."""
    from itreport.gitrepo import real_paths

    real = real_paths()

    def resolve(path: Path) -> Path:
        return Path(real(str(path)))

    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "a.yaml").write_text("a")
    (tmp_path / "real" / "b.yaml").symlink_to("sub/a.yaml")
    (tmp_path / "linked").symlink_to("real")
    (tmp_path / "real" / "loop.yaml").symlink_to("loop.yaml")
    monkeypatch.chdir(tmp_path)
    for name in ("real/sub/a.yaml", "real/b.yaml", "linked/b.yaml", "linked/sub/a.yaml", "linked/gone.yaml"):
        for path in (Path(name), tmp_path / name):
            assert resolve(path) == path.resolve(), path
    assert resolve(Path("linked/b.yaml")) == tmp_path / "real" / "sub" / "a.yaml"
    assert resolve(Path("real/loop.yaml")).name == "loop.yaml"  # a loop is no crash (resolve raises)


def test_private_folder_errors_are_located(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    private = tmp_path_factory.mktemp("private")
    (private / "people.yaml").write_text("people:\n  - id: dan.lundd\n    salary: lots\n")
    result = CliRunner().invoke(main, ["validate", "content", "--private", str(private)])
    assert result.exit_code == 1
    # Located, but the restricted value is not repeated (validation output may land in a CI log).
    assert f"{private}/people.yaml:3:13: error: '…' is not a number" in result.output
    assert "lots" not in result.output
    (private / "people.yaml").write_text("people:\n  - id: dan.lundd\n    salary: 1\n")
    result = CliRunner().invoke(main, ["validate", "content"], env={"ITREPORT_PRIVATE": str(private)})
    assert (
        f"{private}/people.yaml:2:9: error: unknown person 'dan.lundd' (did you mean 'dan.lund'?)"
        in result.output
    )


def test_commit_in_footer_and_draft_marking(repo: Path) -> None:
    head = _git(repo, "rev-parse", "HEAD")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "content", "--format", "pdf"]).exit_code == 0
    reader = PdfReader(repo / "output" / "briefing-2026-10.pdf")
    assert all(head[:12] in p.extract_text() for p in reader.pages)
    assert not any(re.search(r"D\s?R\s?A\s?F\s?T", p.extract_text()) for p in reader.pages)
    manifest = json.loads((repo / "output" / "manifest.json").read_text())
    assert manifest["commit"] == head and manifest["draft"] is False

    narrative = repo / "content" / "narrative.yaml"
    narrative.write_text(narrative.read_text().replace("on track", "nearly on track"))
    result = runner.invoke(main, ["build", "content", "--format", "pdf"])
    assert result.exit_code == 0 and "DRAFT" in result.output
    reader = PdfReader(repo / "output" / "briefing-2026-10.pdf")
    assert all(re.search(r"D\s?R\s?A\s?F\s?T", p.extract_text()) for p in reader.pages)
    assert json.loads((repo / "output" / "manifest.json").read_text())["draft"] is True
