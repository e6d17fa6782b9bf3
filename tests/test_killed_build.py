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

from tests.conftest import REPO


def _tagged(tag: str, marker: bytes = b"") -> list[int]:
    """Processes whose environment carries the tag: the build, its resource tracker, fork server
    and workers, and any short-lived helper such as git; with `marker`, only those whose command
    line holds it."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"ITREPORT_TEST_TAG={tag}".encode() not in environ.split(b"\0"):
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a build starts no workers")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    tag = uuid.uuid4().hex
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "ITREPORT_CACHE": str(tmp_path / "cache"),  # nothing to replay: the PDFs are laid out
        "ITREPORT_TEST_TAG": tag,
    }
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "itreport",
            "build",
            str(content),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        # Workers fork from the fork server and keep its command line: the server and two workers.
        # Counting every tagged process would also count a passing git, and race with it.
        while (
            len(_tagged(tag, b"forkserver")) < 3
            and build.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.1)
        assert build.poll() is None, "the build ended before it could be killed"
        assert len(_tagged(tag, b"forkserver")) >= 3, "the build never started its workers"
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
