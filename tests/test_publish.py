"""Outputs are published as one set: whole or not at all, one build at a time.

Real processes are killed with SIGKILL at every step of a publish; after each kill the folder
must hold either the whole old set or the whole new one, each matching its manifest. Two real
builds contend for one folder; full and read-only file systems are simulated where root cannot
make them real.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from itreport.publish.stage import NewFile, PublishError, publish
from tests.conftest import replace_in

REPO = Path(__file__).resolve().parent.parent


def _set(out: Path) -> dict[str, str]:
    """The published set as {file: sha256}; asserts every manifest entry matches the disk."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    found = {}
    for entry in manifest["files"]:
        digest = hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], f"{entry['file']} does not match the manifest"
        found[entry["file"]] = digest
    return found


def _no_leftovers(out: Path) -> None:
    assert not [p.name for p in out.parent.iterdir() if ".itreport-" in p.name]


# In-process: the set and its manifest ----------------------------------------------------------


def _files(tag: str, editions: tuple[str, ...] = ("board", "hr")) -> list[NewFile]:
    return [
        NewFile(f"{e}.{fmt}", f"{tag} {e} {fmt}".encode() * 1000, {"edition": e, "format": fmt})
        for e in editions
        for fmt in ("html", "pdf")
    ]


def _publish(out: Path, files: list[NewFile], declared: tuple[str, ...] = ("board", "hr")) -> dict[str, bool]:
    return publish(
        out,
        files,
        {"as_of": "2026-10-31"},
        rebuilt={(f.entry["edition"], f.entry["format"]) for f in files},
        declared=set(declared),
    )


def test_publish_replaces_the_set_and_reports_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "output"
    assert _publish(out, _files("one")) == dict.fromkeys(
        ["board.html", "board.pdf", "hr.html", "hr.pdf"], True
    )
    files = _files("one")
    files[0] = NewFile("board.html", b"changed", files[0].entry)
    assert _publish(out, files) == {"board.html": True, "board.pdf": False, "hr.html": False, "hr.pdf": False}
    assert set(_set(out)) == {"board.html", "board.pdf", "hr.html", "hr.pdf"}
    assert (out / "board.html").read_bytes() == b"changed"
    _no_leftovers(out)


def test_partial_build_keeps_the_other_editions(tmp_path: Path) -> None:
    out = tmp_path / "output"
    _publish(out, _files("one"))
    before = _set(out)
    _publish(out, _files("two", ("board",)))
    after = _set(out)
    assert set(after) == set(before)
    assert after["hr.pdf"] == before["hr.pdf"] and after["board.pdf"] != before["board.pdf"]
    # An edition no longer declared in briefings.yaml leaves the manifest (its file stays on disk).
    _publish(out, _files("three", ("board",)), declared=("board",))
    assert set(_set(out)) == {"board.html", "board.pdf"}
    assert (out / "hr.pdf").exists()


def test_kept_entry_whose_file_changed_is_dropped(tmp_path: Path) -> None:
    out = tmp_path / "output"
    _publish(out, _files("one"))
    (out / "hr.pdf").write_bytes(b"edited by hand")
    _publish(out, _files("two", ("board",)))
    assert "hr.pdf" not in _set(out)


def test_files_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        _publish(tmp_path / "private-out", _files("one"))
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "private-out").iterdir()} == {0o600}
    old = os.umask(0o022)
    try:
        _publish(tmp_path / "shared-out", _files("one"))
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "shared-out").iterdir()}
    assert modes["board.pdf"] == 0o644 and modes["manifest.json"] == 0o644


@pytest.mark.parametrize(
    ("call", "err", "message"),
    [
        ("write", errno.ENOSPC, "no space left on the device"),
        ("write", errno.EDQUOT, "disk quota exceeded"),
        ("mkdir", errno.EROFS, "the file system is read-only"),
        ("fsync", errno.EIO, "input/output error"),
    ],
)
def test_full_or_read_only_folder_keeps_the_old_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, err: int, message: str
) -> None:
    out = tmp_path / "output"
    _publish(out, _files("one"))
    before = _set(out)
    real = getattr(os, call)

    def failing(*args: object, **kwargs: object) -> object:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, call, failing)
    with pytest.raises(PublishError) as info:
        _publish(out, _files("two"))
    monkeypatch.setattr(os, call, real)
    assert message in str(info.value) and "the previous briefings were left as they were" in str(info.value)
    assert _set(out) == before
    _no_leftovers(out)


def test_immutable_parent_is_a_clear_error(tmp_path: Path) -> None:
    """A real read-only place, as root: the immutable attribute (skipped where chattr cannot set it)."""
    out = tmp_path / "parent" / "output"
    _publish(out, _files("one"))
    before = _set(out)
    if subprocess.run(["chattr", "+i", str(out.parent)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        with pytest.raises(PublishError) as info:
            _publish(out, _files("two"))
    finally:
        subprocess.run(["chattr", "-i", str(out.parent)], check=True)
    assert "cannot write the briefings beside" in str(info.value)
    assert "operation not permitted" in str(info.value)
    assert _set(out) == before


def test_refuses_a_linked_or_foreign_output_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(PublishError, match="is a symbolic link; name the folder itself"):
        _publish(tmp_path / "link", _files("one"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("mine")
    with pytest.raises(PublishError, match="is not an itreport output folder"):
        _publish(tmp_path / "home", _files("one"))
    assert os.listdir(tmp_path / "home") == ["notes.txt"] and os.listdir(tmp_path / "real") == []


def test_other_files_in_the_folder_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "output"
    _publish(out, _files("one"))
    (out / "archive").mkdir()
    (out / "archive" / "board-2026-09.pdf").write_bytes(b"september")
    (out / "README").write_text("distribution list")
    _publish(out, _files("two"))
    assert (out / "archive" / "board-2026-09.pdf").read_bytes() == b"september"
    assert (out / "README").read_text() == "distribution list"


# Killed at every step ---------------------------------------------------------------------------

# Runs publish() in a real process that announces each file-system step on stdout and then waits
# for a line on stdin, so the test can SIGKILL it exactly after step k (no timing involved).
STEPPER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from itreport.publish import stage, swap

    def announce(name, fn):
        def wrapped(*args, **kwargs):
            result = fn(*args, **kwargs)
            print("STEP", name, flush=True)
            sys.stdin.readline()
            return result
        return wrapped

    for name in ("write", "fsync", "link", "mkdir", "rename", "symlink"):
        setattr(os, name, announce(name, getattr(os, name)))
    swap._EXCHANGE = announce("exchange", swap._EXCHANGE)
    tag = sys.argv[2]
    files = [stage.NewFile(f"{e}.{f}", f"{tag} {e} {f}".encode() * 5000, {"edition": e, "format": f})
             for e in ("board", "hr") for f in ("html", "pdf")]
    stage.publish(Path(sys.argv[1]), files, {"as_of": tag},
                  rebuilt={(e, f) for e in ("board", "hr") for f in ("html", "pdf")}, declared={"board", "hr"})
    print("DONE", flush=True)
    """
)


def _kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL, reap, and close the pipes (an open pipe would fail the test as a ResourceWarning)."""
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for stream in (proc.stdout, proc.stderr, proc.stdin):
        if stream is not None:
            stream.close()


def _stepper(out: Path, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", STEPPER, str(out), tag],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _until_step(proc: subprocess.Popen[str], k: int) -> int:
    """Let the process run until it has announced step k (or finished); returns the steps seen."""
    assert proc.stdout is not None and proc.stdin is not None
    seen = 0
    for line in proc.stdout:
        if not line.startswith("STEP"):
            break
        seen += 1
        if seen >= k:
            break
        proc.stdin.write("\n")
        proc.stdin.flush()
    return seen


def test_killed_at_every_step_leaves_a_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "output"
    for tag in ("first", "second"):  # the second run has the steps every later run has
        proc = _stepper(out, tag)
        stdout, _err = proc.communicate("\n" * 1000)
        assert proc.returncode == 0
    steps = stdout.count("STEP")
    exchange_step = stdout.splitlines().index("STEP exchange") + 1
    current, current_set = "second", _set(out)
    for k in range(1, steps + 1):
        proc = _stepper(out, f"new-{k}")
        assert _until_step(proc, k) == k
        _kill(proc)  # killed right after step k, before step k + 1
        now = _set(out)  # every manifest entry matches the file on disk
        manifest = json.loads((out / "manifest.json").read_text())
        expected = current if k < exchange_step else f"new-{k}"
        assert manifest["as_of"] == expected, (k, exchange_step, manifest["as_of"])
        assert all((out / name).read_bytes().startswith(expected.encode()) for name in now)
        if expected == current:
            assert now == current_set
        current, current_set = expected, now
    proc = _stepper(out, "final")
    proc.communicate("\n" * 1000)
    assert proc.returncode == 0
    assert json.loads((out / "manifest.json").read_text())["as_of"] == "final"
    _no_leftovers(out)


# Through the CLI: killed builds, two builds at once ----------------------------------------------

# The real command, announcing each fsync (one per file written, and the staging folder) and
# waiting for a line on stdin before going on.
CLI_STEPPER = textwrap.dedent(
    """
    import os, sys
    real = os.fsync
    def fsync(fd):
        real(fd)
        print("STEP", flush=True)
        sys.stdin.readline()
    os.fsync = fsync
    from itreport.cli import main
    main(sys.argv[1:])
    """
)


def _cli(tmp: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CLI_STEPPER, *args],
        cwd=tmp,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_cli_build_killed_while_publishing(content: Path, tmp_path: Path) -> None:
    args = ("build", "content", "--format", "html")
    assert CliRunner().invoke(main, list(args)).exit_code == 0
    old = _set(tmp_path / "output")
    replace_in(content, "narrative.yaml", "Alpha go-live moves to January.", "Alpha go-live moves to March.")
    # Steps: the HTML staged, the manifest staged, the staging folder synced; the swap comes next.
    for k in (1, 2, 3):
        proc = _cli(tmp_path, *args)
        assert _until_step(proc, k) == k
        _kill(proc)
        assert _set(tmp_path / "output") == old  # killed before the swap: the old set, whole
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    new = _set(tmp_path / "output")
    assert new != old and "March" in (tmp_path / "output" / "briefing-2026-10.html").read_text()
    _no_leftovers(tmp_path / "output")


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from itreport.publish.lock import output_lock
    with output_lock(Path(sys.argv[1]), lambda: None):
        print("LOCKED", flush=True)
        sys.stdin.readline()
    """
)


def test_second_build_waits_for_the_first(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline() == "LOCKED\n"
    build = subprocess.Popen(
        [sys.executable, "-m", "itreport", "build", "content", "--format", "html"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert build.stderr is not None
    waiting = f"waiting for another itreport build to finish writing into '{Path('output')}'…\n"
    for line in build.stderr:  # progress lines first, then the build reaches the lock and says so
        if line == waiting or "Traceback" in line:
            break
    assert line == waiting
    assert not (out / "manifest.json").exists()  # it waits: nothing was published meanwhile
    holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    _set(out)


def test_two_builds_at_once_leave_one_whole_set(content: Path, tmp_path: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "itreport", "build", "content", "--format", "html", "--out", "output"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert set(_set(tmp_path / "output")) == {"briefing-2026-10.html"}
    _no_leftovers(tmp_path / "output")


def test_cli_reports_a_full_disk(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert CliRunner().invoke(main, ["build", "content", "--format", "html"]).exit_code == 0
    before = _set(tmp_path / "output")
    replace_in(content, "narrative.yaml", "Alpha go-live moves to January.", "Alpha go-live moves to March.")

    def full(*args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    monkeypatch.undo()
    assert result.exit_code == 1
    assert (
        "error: cannot write the briefings into 'output': no space left on the device; "
        "the previous briefings were left as they were" in result.output
    )
    assert "Traceback" not in result.output
    assert _set(tmp_path / "output") == before


# Output names: known placeholders, no two editions on one file ---------------------------------

BRIEFINGS = """\
editions:
  - id: board
    title: Board briefing
    audience: board
    filename: "board-{period}"
  - id: hr
    title: HR report
    audience: hr
    filename: "{filename}"
"""


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        (
            "board-{period}",
            "error: edition 'hr' would write the same files as edition 'board' (board-2026-10.html, board-2026-10.pdf)",
        ),
        (
            "Board-2026-10",
            "error: edition 'hr' would write the same files as edition 'board' (Board-2026-10.html, Board-2026-10.pdf)",
        ),
        ("{id}-{year}", "error: filename '{id}-{year}': unknown placeholder '{year}'"),
        ("{id}-{period", "error: filename '{id}-{period': a '{' or '}' outside a placeholder"),
        ("..board", "error: filename '..board': starts with '.' (a hidden file)"),
        ("hr..{period}", "error: filename 'hr..{period}': contains '..'"),
    ],
)
def test_output_names_are_checked_at_the_edition(content: Path, filename: str, message: str) -> None:
    (content / "briefings.yaml").write_text(BRIEFINGS.replace("{filename}", filename), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 1
    assert f"content/briefings.yaml:9:15: {message}" in result.output
    assert "Traceback" not in result.output
    assert not Path("output").exists()


def test_path_separator_in_a_file_name_is_refused(content: Path) -> None:
    (content / "briefings.yaml").write_text(
        BRIEFINGS.replace("{filename}", "../board-{period}"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert (
        "content/briefings.yaml:9:15: error: filename '../board-{period}': contains a path separator"
        in result.output
    )


def test_partial_cli_build_keeps_the_other_edition(content: Path) -> None:
    (content / "briefings.yaml").write_text(BRIEFINGS.replace("{filename}", "hr-{period}"), encoding="utf-8")
    assert CliRunner().invoke(main, ["build", "content", "--format", "html"]).exit_code == 0
    before = _set(Path("output"))
    replace_in(content, "narrative.yaml", "Alpha go-live moves to January.", "Alpha go-live moves to March.")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html", "--edition", "board"])
    assert result.exit_code == 0, result.output
    after = _set(Path("output"))
    assert set(after) == {"board-2026-10.html", "hr-2026-10.html"}
    assert after["hr-2026-10.html"] == before["hr-2026-10.html"]
    assert after["board-2026-10.html"] != before["board-2026-10.html"]


def test_cli_outputs_follow_the_umask(content: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "build", "content", "--format", "html"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=lambda: os.umask(0o027),
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "output"
    assert stat.S_IMODE((out / "briefing-2026-10.html").stat().st_mode) == 0o640
    assert stat.S_IMODE((out / "manifest.json").stat().st_mode) == 0o640


def test_cli_refuses_a_folder_it_did_not_make(content: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "content", "--format", "html", "--out", "."])
    assert result.exit_code == 1
    assert "error: '.' is not an itreport output folder: it holds files but no manifest.json" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]
