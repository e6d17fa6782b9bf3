"""How much memory a build may still use: the system's, and its control group's if that is less.

Each PDF layout of a large edition takes about 600 MB (WeasyPrint's box tree for 125 pages), so
the number of layouts run at once depends on it. In a container (Docker, Kubernetes, a CI
runner) the system's figure (`MemAvailable`) is the host's: a build that trusted it started two
workers under a 1 GB limit and was killed. The limit of the process's control group (v2
`memory.max`, v1 `memory.limit_in_bytes`, the tightest of it and its parents) minus what the
group already uses (page cache it could drop not counted) is taken when it is smaller.
"""

from __future__ import annotations

from pathlib import Path

UNLIMITED = 1 << 60
"""Above this a cgroup v1 limit means "none" (the kernel writes 2^63 rounded to pages)."""


def available_memory(proc: Path = Path("/proc"), cgroups: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Bytes of memory available now (Linux), or None where the system does not say."""
    found = [m for m in (_meminfo(proc), _cgroup_headroom(proc, cgroups)) if m is not None]
    return min(found) if found else None


def _meminfo(proc: Path) -> int | None:
    try:
        for line in (proc / "meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_headroom(proc: Path, cgroups: Path) -> int | None:
    """The least room left under any memory limit of this process's cgroups (v2 and v1)."""
    try:
        lines = (proc / "self" / "cgroup").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    rooms: list[int] = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _id, controllers, path = parts
        if controllers == "":  # v2: one unified tree
            rooms.extend(_rooms(cgroups, path, "memory.max", "memory.current", "inactive_file"))
        elif "memory" in controllers.split(","):  # v1: the memory controller's own tree
            rooms.extend(
                _rooms(
                    cgroups / "memory",
                    path,
                    "memory.limit_in_bytes",
                    "memory.usage_in_bytes",
                    "total_inactive_file",
                )
            )
    return min(rooms) if rooms else None


def _rooms(root: Path, path: str, limit_file: str, usage_file: str, cache_key: str) -> list[int]:
    """Room left under the limit of the group at `path` and of each group above it."""
    rooms: list[int] = []
    group = (root / path.lstrip("/")).resolve()
    top = root.resolve()
    while group == top or top in group.parents:
        limit = _number(group / limit_file)
        if limit is not None and limit < UNLIMITED:
            usage = _number(group / usage_file) or 0
            rooms.append(max(0, limit - usage + _stat(group / "memory.stat", cache_key)))
        if group == top:
            break
        group = group.parent
    return rooms


def _number(path: Path) -> int | None:
    """An integer file's value; None when absent, unreadable or "max" (no limit)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _stat(path: Path, key: str) -> int:
    """One value of a memory.stat file (0 when absent)."""
    try:
        for line in path.read_text(encoding="ascii").splitlines():
            name, _, value = line.partition(" ")
            if name == key and value.strip().isdigit():
                return int(value)
    except OSError:
        return 0
    return 0
