"""Every file read stays inside its root: hostile links, pipes, folders and unreadable files.

Each fixture is a real project in a temporary folder; the CLI runs in-process (CliRunner) and
as a subprocess. A refusal names the file as the user sees it and nothing of the target: neither
its path nor a byte of what it holds reaches any message or output.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from itreport.cli import main
from itreport.load import FolderSource, GitSource
from itreport.render.pdf import RenderError, html_to_pdf
from itreport.render.theme import DEFAULT_THEME
from itreport.source.confine import Refused, Root
from itreport.validate import validate
from tests.conftest import FIXTURES

SECRET = "SECRET-MARKER-4471"


def _secret(tmp_path: Path) -> Path:
    """A fake secret outside the project: YAML that would validate as a people file."""
    outside = tmp_path / "elsewhere"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.yaml"
    secret.write_text(f"people:\n  - id: {SECRET.lower()}\n    name: {SECRET}\n", encoding="utf-8")
    return secret


def _clean(text: str, *forbidden: str) -> None:
    assert "Traceback" not in text
    for item in (SECRET, SECRET.lower(), *forbidden):
        assert item not in text, item


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess; a timeout fails the test instead of hanging it."""
    return subprocess.run(
        [sys.executable, "-m", "itreport", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_content_file_linked_out_is_refused(content: Path, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    (content / "people.yaml").unlink()
    (content / "people.yaml").symlink_to(secret)
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert (
        "content/people.yaml: error: is a symbolic link to a file outside the content folder" in result.output
    )
    assert "hint: copy the file into the content folder" in result.output
    _clean(result.output, str(secret), "elsewhere")
    proc = _run("validate", "content", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1 and '"rule": "file.refused"' in proc.stdout
    _clean(proc.stdout + proc.stderr, str(secret), "elsewhere")


def test_link_to_process_environment_is_refused(content: Path, tmp_path: Path) -> None:
    """A link to /proc/self/environ would print the build's environment (CI secrets)."""
    (content / "leak.yaml").symlink_to("/proc/self/environ")
    proc = _run("validate", "content", cwd=tmp_path, env={"ITREPORT_TEST_TOKEN": SECRET})
    assert proc.returncode == 1
    assert "content/leak.yaml: error: is a symbolic link to a file outside the content folder" in proc.stdout
    _clean(proc.stdout + proc.stderr, "/proc", "ITREPORT_TEST_TOKEN")


def test_an_emacs_lock_beside_a_file_is_not_content(content: Path, tmp_path: Path) -> None:
    """Emacs keeps `.#people.yaml` (a link to `user@host.pid:boot`) while a buffer is modified:
    it is not content. A link so named that leads to a file is still listed, and refused."""
    (content / ".#people.yaml").symlink_to("karin@laptop.4242:1700000000")
    (content / "projects" / ".#alpha.yaml").symlink_to("karin@laptop.4242")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0, result.output
    assert ".#" not in result.output
    # Shaped like a lock but leading to a file beside it: content, read through the link.
    (content / "projects" / "alpha.yaml").rename(content / "projects" / "karin@laptop.7")
    (content / "projects" / ".#alpha.yaml").unlink()
    (content / "projects" / ".#alpha.yaml").symlink_to("karin@laptop.7")
    result = CliRunner().invoke(main, ["validate", "content", "--format", "json"])
    assert "projects/.#alpha.yaml" not in result.output  # read, and valid
    assert "unknown project 'alpha'" not in result.output
    secret = _secret(tmp_path)
    (content / ".#teams.yaml").symlink_to(secret)
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert "content/.#teams.yaml: error: is a symbolic link to a file outside" in result.output
    _clean(result.output, str(secret))


def test_link_inside_the_folder_is_followed(content: Path) -> None:
    (content / "archive").mkdir()
    (content / "teams.yaml").rename(content / "archive" / "teams.yml.txt")
    (content / "teams.yaml").symlink_to(Path("archive") / "teams.yml.txt")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0, result.output


def test_folder_linked_out_is_not_entered(content: Path, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    (content / "projects").rename(tmp_path / "elsewhere" / "projects")
    shutil.copy(secret, tmp_path / "elsewhere" / "projects" / "gamma.yaml")
    (content / "projects").symlink_to(tmp_path / "elsewhere" / "projects")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert (
        "content/projects: error: is a symbolic link to a folder outside the content folder" in result.output
    )
    assert "gamma" not in result.output and "alpha" not in result.output  # nothing below it was read
    _clean(result.output, "elsewhere")


def test_path_through_a_linked_folder_names_the_link(tmp_path: Path) -> None:
    _secret(tmp_path)
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "sub").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(Refused) as info:
        Root(tmp_path / "root", "content folder").read("sub/secret.yaml")
    assert info.value.reason == "is inside 'sub', a symbolic link to a folder outside the content folder"


def test_fifo_does_not_hang(content: Path, tmp_path: Path) -> None:
    os.mkfifo(content / "pipe.yaml")
    proc = _run("validate", "content", cwd=tmp_path)
    assert proc.returncode == 1
    assert "content/pipe.yaml: error: is a named pipe (FIFO), not a file" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_folder_named_like_a_file(content: Path) -> None:
    (content / "narrative.yaml").unlink()
    (content / "narrative.yaml").mkdir()
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert "content/narrative.yaml: error: is a folder, not a file" in result.output
    assert "Traceback" not in result.output


def test_device_is_refused(content: Path) -> None:
    (content / "zero.yaml").symlink_to("/dev/zero")  # outside, and a device: refused either way
    (content / "null.yaml").symlink_to("/dev/null")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert (
        "content/zero.yaml: error: is a symbolic link to a file outside the content folder" in result.output
    )
    _clean(result.output, "/dev/")


def _failing(monkeypatch: pytest.MonkeyPatch, name: str, err: int) -> None:
    """Make os.open (or os.read) fail for one file: tests run as root, so chmod 000 would not."""
    real_open, real_read = os.open, os.read
    opened: set[int] = set()

    def fake_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if str(path).endswith(name) and err == errno.EACCES:
            raise PermissionError(err, os.strerror(err), str(path))
        fd = real_open(path, flags, *args, **kwargs)
        if str(path).endswith(name):
            opened.add(fd)
        return fd

    def fake_read(fd: int, n: int) -> bytes:
        if fd in opened:
            raise OSError(err, os.strerror(err))
        return real_read(fd, n)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "read", fake_read)


@pytest.mark.parametrize(
    ("err", "reason"), [(errno.EACCES, "permission denied"), (errno.EIO, "input/output error")]
)
def test_unreadable_file_is_located(
    content: Path, monkeypatch: pytest.MonkeyPatch, err: int, reason: str
) -> None:
    _failing(monkeypatch, "teams.yaml", err)
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert f"content/teams.yaml: error: cannot be read: {reason}" in result.output
    assert "Traceback" not in result.output and str(content.resolve()) not in result.output


def test_a_folder_that_cannot_be_listed_is_an_error_not_missing_projects(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`os.walk` skips a folder it cannot list without a word: the projects in it vanished from
    every briefing and `validate` passed. (Tests run as root, so chmod would not do.)"""
    real_scandir = os.scandir
    projects = str((content / "projects").resolve())

    def fake_scandir(path: Any = ".") -> Any:
        if os.fspath(path) == projects:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    for command in (["validate", "content"], ["build", "content", "--format", "html"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert (
            "content/projects: error: is a folder that cannot be listed: permission denied" in result.output
        )
        assert "make the folder readable by the user who runs itreport" in result.output
        assert "Traceback" not in result.output and projects not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file; the monkeypatched test covers it")
def test_mode_000_file_is_located(content: Path) -> None:
    (content / "teams.yaml").chmod(0)
    result = CliRunner().invoke(main, ["validate", "content"])
    assert "content/teams.yaml: error: cannot be read: permission denied" in result.output


def test_content_folder_linked_out_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`content` replaced by a link to another folder (in CI: anywhere on the machine)."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "elsewhere" / "division")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "content").symlink_to(tmp_path / "elsewhere" / "division")
    monkeypatch.chdir(tmp_path / "project")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert "content: error: is a symbolic link to a folder outside the folder holding it" in result.output
    _clean(result.output, "elsewhere")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 1 and not Path("output").exists()


def test_private_folder_is_confined(content: Path, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    private = tmp_path / "private"
    private.mkdir()
    (private / "people.yaml").symlink_to(secret)
    result = CliRunner().invoke(main, ["validate", "content", "--private", str(private)])
    assert result.exit_code == 1
    assert (
        f"{private}/people.yaml: error: is a symbolic link to a file outside the private folder"
        in result.output
    )
    _clean(result.output, str(secret))


def test_git_symlink_is_not_read(tmp_path: Path) -> None:
    """A baseline revision holding a committed link: the blob is the target's path, never read."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    secret = _secret(tmp_path)
    (tmp_path / "content" / "people.yaml").unlink()
    (tmp_path / "content" / "people.yaml").symlink_to(secret)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "content"], ["commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env={**os.environ, **env})
    result = validate(GitSource(tmp_path, "HEAD", "content"))
    refused = [p for p in result.problems if p.rule == "file.refused"]
    assert [(p.file, p.message) for p in refused] == [
        ("HEAD:content/people.yaml", "is a symbolic link in git")
    ]
    assert str(secret) not in repr(result.problems)


def test_folder_source_lists_without_following_links(tmp_path: Path) -> None:
    (tmp_path / "root" / "a").mkdir(parents=True)
    (tmp_path / "root" / "a" / "x.yaml").write_text("a: 1\n")
    (tmp_path / "root" / "loop").symlink_to(tmp_path / "root")  # would loop forever if followed
    (tmp_path / "root" / "up").symlink_to(tmp_path)
    assert FolderSource(tmp_path / "root").files() == ["a/x.yaml", "loop", "up"]


# Templates and theme assets ---------------------------------------------------------------------


def _templates(content: Path) -> Path:
    folder = content.parent / "templates" / "sections"
    folder.mkdir(parents=True)
    return folder.parent


def _build(*extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "content", *extra])
    return result.exit_code, result.output


def test_template_linked_out_is_refused(content: Path, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    templates = _templates(content)
    (templates / "sections" / "problems.html").symlink_to(secret)
    code, output = _build("--format", "html")
    assert code == 1
    assert (
        f"{templates.resolve()}/sections/problems.html: is a symbolic link to a file outside the templates folder"
        in output
    )
    assert "build stopped; earlier outputs were left as they were" in output
    _clean(output, str(secret))
    assert not Path("output").exists() or not any(Path("output").iterdir())


def test_templates_folder_linked_out_is_refused(
    content: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "theme"  # outside the project folder
    outside.mkdir(parents=True)
    (outside / "briefing.html").write_text(SECRET)
    (content.parent / "templates").symlink_to(outside)
    code, output = _build("--format", "html")
    assert code == 1
    assert "templates: is a symbolic link to a folder outside the folder holding it" in output
    _clean(output, str(outside))


def test_asset_linked_out_is_not_embedded(content: Path, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    fonts = _templates(content) / "fonts"
    fonts.mkdir()
    (fonts / "source-sans-3-latin-400-normal.woff").symlink_to(secret)
    code, output = _build("--format", "html")
    assert code == 1
    assert (
        "fonts/source-sans-3-latin-400-normal.woff: is a symbolic link to a file outside the templates folder"
        in output
    )
    _clean(output, str(secret))


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_pdf_fetcher_refuses_links_and_pipes(content: Path, tmp_path: Path, kind: str) -> None:
    secret = _secret(tmp_path)
    templates = _templates(content)
    image = templates / "logo.png"
    if kind == "link":
        image.symlink_to(secret)
    else:
        os.mkfifo(image)
    html = f'<img src="{(templates.resolve() / image.name).as_uri()}" alt="x">'
    (templates / "sections" / "problems.html").write_text(html)
    proc = _run("build", "content", "--format", "pdf", cwd=tmp_path)
    assert proc.returncode == 1
    # A file: reference never reaches the PDF renderer: the page check refuses it first.
    assert "templates/sections/problems.html:1: template error: <img src> refers to" in proc.stderr
    _clean(proc.stdout + proc.stderr, str(secret))
    # The renderer's own fetcher, reached directly, refuses too and names the file, not its target.
    with pytest.raises(RenderError) as refused:
        html_to_pdf(html, DEFAULT_THEME, [DEFAULT_THEME, templates], date(2026, 10, 31))
    reason = {
        "link": "is a symbolic link to a file outside the templates folder",
        "fifo": "is a named pipe (FIFO), not a file",
    }
    assert f"logo.png: {reason[kind]}" in str(refused.value)
    _clean(str(refused.value), str(secret))


# schema never writes through a link -------------------------------------------------------------


def test_schema_does_not_write_through_a_linked_folder(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(content / "schemas", ignore_errors=True)
    (content / "schemas").symlink_to(outside)
    result = CliRunner().invoke(main, ["schema", "content"])
    assert result.exit_code == 1
    assert result.output == (
        "content/schemas: error: is a symbolic link to a folder outside the content folder; "
        "nothing was written there\n"
    )
    assert list(outside.iterdir()) == []
    _clean(result.output, str(outside))


def test_schema_does_not_write_through_a_linked_file(content: Path, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    before = secret.read_bytes()
    (content / "schemas").mkdir(exist_ok=True)
    (content / "schemas" / "people.schema.json").symlink_to(secret)
    result = CliRunner().invoke(main, ["schema", "content"])
    assert result.exit_code == 1
    assert (
        "people.schema.json: error: is a symbolic link to a file outside the content folder" in result.output
    )
    assert "wrote content/schemas/project.schema.json" in result.output  # the others are written
    assert secret.read_bytes() == before
    result = CliRunner().invoke(main, ["schema", "content", "--check"])
    assert result.exit_code == 1 and "people.schema.json: error" in result.output
    _clean(result.output, str(secret))


def test_schema_check_does_not_hang_on_a_pipe(content: Path, tmp_path: Path) -> None:
    (content / "schemas").mkdir(exist_ok=True)
    os.mkfifo(content / "schemas" / "people.schema.json")
    proc = _run("schema", "content", "--check", cwd=tmp_path)
    assert proc.returncode == 1
    assert "people.schema.json: error: is a named pipe (FIFO), not a file" in proc.stderr
