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


def _tagged(tag: str) -> list[int]:
    """Processes whose environment carries the tag (the build, its fork server and workers)."""
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
        while len(_tagged(tag)) < 4 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)  # the build, its fork server and two workers
        assert build.poll() is None and len(_tagged(tag)) >= 4, "the build never started its workers"
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
