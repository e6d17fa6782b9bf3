"""A build killed outright leaves no worker processes behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from itreport.render.layout import WORKER_NAME
from tests.conftest import REPO


def _tagged(tag: str) -> list[int]:
    """Processes whose environment carries the tag: the build, its resource tracker, fork server
    and workers, and any short-lived helper (git, or the compiler that ctypes runs to find a
    library while WeasyPrint is imported)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"ITREPORT_TEST_TAG={tag}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _parallel_build(tmp_path: Path, tag: str, output: int | None) -> subprocess.Popen[str]:
    """`itreport build content --out out --jobs 2` on a copy of the example, its processes tagged."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "ITREPORT_CACHE": str(tmp_path / "cache"),  # nothing to replay: the PDFs are laid out
        "ITREPORT_TEST_TAG": tag,
    }
    command = ["build", str(tmp_path / "content"), "--out", str(tmp_path / "out"), "--jobs", "2"]
    return subprocess.Popen(
        [sys.executable, "-m", "itreport", *command], env=env, stdout=output, stderr=output, text=True
    )


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a build starts no workers")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    tag = uuid.uuid4().hex
    build = _parallel_build(tmp_path, tag, subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        # Counting every tagged process would also count a passing git or compiler.
        while len(_workers(tag)) < 2 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert build.poll() is None, "the build ended before it could be killed"
        assert len(_workers(tag)) == 2, "the build never started its workers"
        build.send_signal(signal.SIGKILL)  # no clean-up runs at all
        build.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _tagged(tag) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _tagged(tag) == [], "worker processes outlived the killed build"
    finally:
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()
    assert not (tmp_path / "out").exists()  # and nothing half-written appeared


def _workers(tag: str) -> list[int]:
    """The build's layout workers, by the name they give themselves once started. A worker's
    layout child carries the same name for a moment after the fork: it is told apart by its
    parent, a worker."""
    found = []
    for pid in _tagged(tag):
        try:
            name = Path(f"/proc/{pid}/comm").read_bytes().strip()
            parent = int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[1])
            parent_name = Path(f"/proc/{parent}/comm").read_bytes().strip()
        except (OSError, IndexError, ValueError):
            continue
        if name == WORKER_NAME and parent_name != WORKER_NAME:
            found.append(pid)
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a build starts no workers")
def test_a_killed_worker_stops_the_build_with_a_clear_error(tmp_path: Path) -> None:
    """A worker killed mid-layout (the kernel's out-of-memory killer, say) is an error message
    naming the edition, not a traceback, and the previous outputs stay as they were."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "out"
    earlier = subprocess.run(
        [sys.executable, "-m", "itreport", "build", str(content), "--out", str(out), "--format", "html"],
        env={**os.environ, "PYTHONPATH": str(REPO), "ITREPORT_CACHE": str(tmp_path / "cache")},
        capture_output=True,
        check=False,
    )
    assert earlier.returncode == 0, earlier.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    tag = uuid.uuid4().hex
    build = _parallel_build(tmp_path, tag, subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while not workers and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _workers(tag)
        assert workers, "the build never started its workers"
        os.kill(workers[0], signal.SIGKILL)
        stdout, err = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 1, stdout + err
    assert "Traceback" not in err
    assert "ended unexpectedly (killed, out of memory, or crashed)" in err
    # Nothing is left laying out: not the other worker, nor the killed worker's child
    # (`itreport-pdf`, ended by the kernel with its worker).
    deadline = time.monotonic() + 30
    while _tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _tagged(tag) == [], "layout processes outlived the build"
    assert "earlier outputs were left as they were" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
