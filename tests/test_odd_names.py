"""Hostile file names in a division's repository: the name is the contributor's, every message
that shows it must still be a located problem, never a traceback, on any terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from tests.conftest import FIXTURES

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "PATH": "/usr/bin:/bin",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**ENV, "HOME": str(cwd)})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "first")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit_latin1_file(repo: Path, body: bytes) -> None:
    """A contributor's `café.yaml` saved with a Latin-1 name: bytes no UTF-8 decoder accepts."""
    try:
        with open(os.path.join(os.fsencode(repo), b"content", b"projects", b"caf\xe9.yaml"), "wb") as fh:
            fh.write(body)
    except OSError:  # pragma: no cover - a file system that takes UTF-8 names only (macOS)
        pytest.skip("this file system does not take a name that is not UTF-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a Latin-1 name")


def test_a_problem_in_a_file_whose_name_is_not_utf8_is_reported_in_every_format(repo: Path) -> None:
    """The name is kept as surrogate escapes; a UTF-8 stream refuses those, so printing the
    problem ended in a UnicodeEncodeError traceback. Shown now as the byte it is (`\\xe9`), and
    in JSON as an escape that gives the name back (valid JSON, ASCII)."""
    commit_latin1_file(repo, b"id: [oops\n")
    runner = CliRunner()
    text = runner.invoke(main, ["validate", "content"])
    assert text.exception is None or isinstance(text.exception, SystemExit), text.output
    assert text.exit_code == 1
    assert "content/projects/caf\\xe9.yaml:1:5: error: YAML syntax error" in text.output
    github = runner.invoke(main, ["validate", "content", "--format", "github"])
    assert github.exit_code == 1 and "file=content/projects/caf\\xe9.yaml,line=1" in github.output
    as_json = runner.invoke(main, ["validate", "content", "--format", "json"])
    assert as_json.exit_code == 1, as_json.output
    problem = json.loads(as_json.stdout_bytes.decode("utf-8"))[0]
    assert os.fsencode(problem["file"]) == b"content/projects/caf\xe9.yaml" and problem["line"] == 1
    # A terminal whose locale is UTF-8 (strict), as a real process; build stops the same way.
    for args in (["validate", "content"], ["build", "content", "--format", "html"]):
        proc = subprocess.run(
            [sys.executable, "-m", "itreport", *args],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
        out = (proc.stdout + proc.stderr).decode("utf-8")
        assert proc.returncode == 1 and "Traceback" not in out, out
        assert "caf\\xe9.yaml:1:5: error:" in out


def test_git_missing_from_path_builds_as_outside_a_repository(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI image without git (or a PATH that lost it), with a briefing tag in the repository:
    `diff` and `build` ended in a FileNotFoundError traceback while `validate` worked. They work
    as outside a repository now, and `--since`/`--tag` say why they cannot."""
    git(repo, "tag", "briefing/2026-09-30")
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    runner = CliRunner()
    diff = runner.invoke(main, ["diff", "content"])
    assert diff.exit_code == 0 and diff.exception is None, diff.output
    assert "no baseline" in diff.output
    built = runner.invoke(main, ["build", "content", "--format", "html"])
    assert built.exit_code == 0 and built.exception is None, built.output
    assert "not under version control" in built.output
    since = runner.invoke(main, ["diff", "content", "--since", "briefing/2026-09-30"])
    assert since.exit_code == 2 and "git is not installed, or not on PATH" in since.output
    tagged = runner.invoke(main, ["build", "content", "--format", "html", "--tag"])
    assert tagged.exit_code == 2 and "not in a git repository (git is not installed" in tagged.output


def test_trace_shows_a_leaked_files_own_copy_id_and_name_escaped(tmp_path: Path) -> None:
    """The leaked PDF is the leaker's: its metadata copy id and its file name can hold terminal
    escapes (retitle the window, clear the screen) and bidi overrides. `trace` printed them raw
    to the terminal of whoever investigates; they are shown as escapes now."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/ITReportCopyId": "\x1b]0;pwned\x07\x1b[2J\u202eabc"})
    leaked = tmp_path / "leak\x1b[31m.pdf"
    with leaked.open("wb") as fh:
        writer.write(fh)
    (tmp_path / "output").mkdir()
    result = CliRunner().invoke(main, ["trace", str(leaked), "--out", str(tmp_path / "output")], color=True)
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    assert "leak\\x1b[31m.pdf: \\x1b]0;pwned\\x07\\x1b[2J\\u202eabc; not in" in result.output


def test_the_preview_shows_a_problem_in_a_file_whose_name_is_not_utf8(repo: Path) -> None:
    """The preview's problem page is sent as UTF-8: a name that is not UTF-8 in it made the
    rebuild raise UnicodeEncodeError instead of showing the page."""
    from itreport.serve.preview import Preview, PreviewOptions

    commit_latin1_file(repo, b"id: [oops\n")
    preview = Preview(PreviewOptions(Path("content")))
    try:
        page = preview.rebuild()
    finally:
        preview.close()
    assert not page.ok
    assert "content/projects/caf\\xe9.yaml:1:5: error: YAML syntax error" in page.body


def test_a_checkout_git_refuses_keeps_a_committed_salary_an_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI container whose checkout belongs to another user: git refuses to read it
    (`safe.directory`). itreport took that for "outside git", so a salary committed in a pull
    request became a warning (exit 0) instead of an error. Now every file counts as tracked and a
    warning says why, with git's own command to trust the checkout."""
    people = repo / "content" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    first_person_ends = text.index("\n  - id:", text.index("  - id:") + 1)
    people.write_text(
        text[:first_person_ends] + "\n    salary: 50000" + text[first_person_ends:], encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "a salary, committed")
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own switch for this check
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1, result.output
    assert "restricted field 'salary' is in a file that git tracks" in result.output
    assert "content: warning: git refuses this repository (detected dubious ownership" in result.output
    assert "git config --global --add safe.directory" in result.output


def test_a_briefing_tag_that_cannot_be_read_is_not_called_compared(repo: Path) -> None:
    """A briefing tag on a blob (or on a tree without the content folder) cannot be compared
    with: the build warned so, then still printed "compared with briefing/…" and wrote that
    baseline into the manifest, contradicting its own warning and the pages."""
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], input=b"hi\n", cwd=repo, capture_output=True, check=True
    )
    git(repo, "tag", "-a", "-m", "not a commit", "briefing/2026-09-30", blob.stdout.decode().strip())
    built = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert built.exit_code == 0, built.output
    assert "warning: baseline briefing/2026-09-30 cannot be read" in built.output
    assert "compared with" not in built.output
    assert json.loads((repo / "output" / "manifest.json").read_text(encoding="utf-8"))["baseline"] is None


def test_a_work_tree_set_elsewhere_is_no_traceback(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_DIR and GIT_WORK_TREE naming another folder (a hook, a wrapper script): git's top
    level is not above the content folder, and `diff`/`build` ended in a ValueError traceback.
    They work as outside a repository now (the build was also said to be from git's commit)."""
    git(repo, "tag", "briefing/2026-09-30")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(elsewhere))
    runner = CliRunner()
    diff = runner.invoke(main, ["diff", "content"])
    assert diff.exit_code == 0 and diff.exception is None, diff.output
    assert "no baseline" in diff.output
    built = runner.invoke(main, ["build", "content", "--format", "html"])
    assert built.exit_code == 0 and built.exception is None, built.output
    # Nor is the build said to be from git's commit: git does not see this folder.
    assert "not under version control" in built.output


def test_a_file_named_like_yaml_but_for_case_or_a_space_is_said_not_silently_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`alpha.YAML` or `alpha.yaml ` (a trailing space from a copy and paste) is not read: a
    project would leave the board pack without a word. Each is a warning naming the fix, in
    the content folder and in the private folder."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    projects = tmp_path / "content" / "projects"
    (projects / "alpha.yaml").rename(projects / "alpha.YAML")
    (projects / "beta.yaml ").write_text("id: beta\n", encoding="utf-8")
    (tmp_path / "content" / "schemas").mkdir(exist_ok=True)
    (tmp_path / "content" / "schemas" / "x.JSON.YML").write_text(
        "", encoding="utf-8"
    )  # schemas are not content
    private = tmp_path / "private"
    private.mkdir()
    (private / "people.Yml").write_text("people: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "content", "--private", str(private)])
    assert result.exit_code == 1, result.output  # the budget's line for alpha names no project now
    assert "unknown project 'alpha'" in result.output
    assert (
        "content/projects/alpha.YAML: warning: file is named like YAML but ends in '.YAML'" in result.output
    )
    assert "rename it to 'alpha.yaml'" in result.output
    assert (
        "content/projects/beta.yaml : warning: file is named like YAML but ends in '.yaml '" in result.output
    )
    assert f"{private}/people.Yml: warning: file is named like YAML" in result.output
    assert "rename it to 'people.yml': the private folder reads" in result.output
    assert "x.JSON.YML" not in result.output


def test_a_misnamed_file_added_after_a_build_is_not_hidden_by_the_unchanged_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build with nothing changed repeats its last report; a `x.YAML` added since is a change."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ITREPORT_CACHE", str(tmp_path / "cache"))
    runner = CliRunner()
    assert runner.invoke(main, ["build", "content", "--format", "html"]).exit_code == 0
    (tmp_path / "content" / "projects" / "gamma.YAML").write_text("id: gamma\n", encoding="utf-8")
    again = runner.invoke(main, ["build", "content", "--format", "html"])
    assert again.exit_code == 0, again.output
    assert "content/projects/gamma.YAML: warning: file is named like YAML" in again.output  # no :0:0
