"""How many PDF layouts run at once follows the memory a build may use, in a container too.

Measured on the large demo: under a 1 GB cgroup limit the build used to start two workers (the
host had 23 GB free) and one was killed by the kernel's out-of-memory killer; it now lays the
PDFs out one at a time and builds, at 0.88 GB. These tests give `available_memory` made-up
/proc and /sys/fs/cgroup trees (v1 and v2, nested limits, no limit, page cache).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from itreport.render import jobs
from itreport.render.memory import available_memory

GB = 1024**3
MB = 1024**2


def _tree(
    tmp_path: Path, cgroup: str, files: dict[str, str], free_kb: int = 20 * 1024 * 1024
) -> tuple[Path, Path]:
    proc, groups = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "meminfo").write_text(f"MemTotal: 24000000 kB\nMemAvailable: {free_kb} kB\n", encoding="ascii")
    (proc / "self" / "cgroup").write_text(cgroup, encoding="utf-8")
    for rel, text in files.items():
        path = groups / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="ascii")
    return proc, groups


def test_without_a_limit_the_system_figure_counts(tmp_path: Path) -> None:
    proc, groups = _tree(tmp_path, "0::/user.slice\n", {"user.slice/memory.max": "max\n"})
    assert available_memory(proc, groups) == 20 * GB
    v1 = _tree(tmp_path / "v1", "4:memory:/\n", {"memory/memory.limit_in_bytes": "9223372036854771712\n"})
    assert available_memory(*v1) == 20 * GB


def test_a_v2_limit_minus_what_the_group_uses_but_could_drop(tmp_path: Path) -> None:
    proc, groups = _tree(
        tmp_path,
        "0::/docker/abc\n",
        {
            "docker/abc/memory.max": f"{GB}\n",
            "docker/abc/memory.current": f"{300 * MB}\n",
            "docker/abc/memory.stat": f"anon 200\ninactive_file {100 * MB}\nactive_file 5\n",
        },
    )
    assert available_memory(proc, groups) == GB - 300 * MB + 100 * MB


def test_the_tightest_limit_of_the_group_and_those_above_it(tmp_path: Path) -> None:
    proc, groups = _tree(
        tmp_path,
        "0::/ci/job\n",
        {
            "ci/memory.max": f"{2 * GB}\n",
            "ci/memory.current": f"{1536 * MB}\n",  # the runner's other jobs
            "ci/job/memory.max": "max\n",
            "ci/job/memory.current": f"{100 * MB}\n",
        },
    )
    assert available_memory(proc, groups) == 512 * MB


def test_a_v1_memory_controller_in_a_hybrid_hierarchy(tmp_path: Path) -> None:
    proc, groups = _tree(
        tmp_path,
        "9:name=systemd:/\n4:memory:/runner/itreport\n0::/\n",
        {
            "memory/runner/itreport/memory.limit_in_bytes": f"{GB}\n",
            "memory/runner/itreport/memory.usage_in_bytes": f"{200 * MB}\n",
            "memory/runner/itreport/memory.stat": f"cache 1\ntotal_inactive_file {50 * MB}\n",
        },
    )
    assert available_memory(proc, groups) == GB - 150 * MB


def test_unreadable_or_missing_files_leave_the_other_figure(tmp_path: Path) -> None:
    proc, groups = _tree(tmp_path, "garbage\n0::/gone\n", {})
    assert available_memory(proc, groups) == 20 * GB
    (proc / "meminfo").unlink()
    assert available_memory(proc, groups) is None


def test_a_one_gigabyte_container_lays_out_one_pdf_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two 450 MB layouts beside the build's 250 MB do not fit in 1 GB: the build renders in
    its own process."""
    monkeypatch.setattr(jobs, "available_memory", lambda: GB)
    monkeypatch.setattr(jobs.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    assert jobs.worker_count(4) == 1
    monkeypatch.setattr(jobs, "available_memory", lambda: 3 * GB // 2)  # the build's own 250 MB, then two
    assert jobs.worker_count(4) == 2
    monkeypatch.setattr(jobs, "available_memory", lambda: 20 * GB)
    assert jobs.worker_count(4) == 4 and jobs.worker_count(2) == 2
    assert jobs.worker_count(4, requested=4) == 4  # --jobs asks for it: the user decides
