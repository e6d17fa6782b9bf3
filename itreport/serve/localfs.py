"""Whether the file watcher sees every change to a folder: native events on a local file system.

inotify reports the writes made through this machine's kernel. On a network or shared file
system (NFS, SMB, FUSE, a virtual machine's shared folder) another machine's writes pass it
by; with polling, two writes in one clock tick can look like one. There a preview looks at
every file at every rebuild, as it always did; elsewhere it trusts the watcher's report and
checks afterwards that it missed nothing (see `itreport.content.stale_rounds`).
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterable
from pathlib import Path

LOCAL_TYPES = frozenset(
    (
        "bcachefs",
        "btrfs",
        "ext2",
        "ext3",
        "ext4",
        "f2fs",
        "jfs",
        "nilfs2",
        "overlay",
        "ramfs",
        "reiserfs",
        "tmpfs",
        "xfs",
        "zfs",
    )
)
"""File systems written only through this machine's kernel, so inotify sees every write."""

MOUNTINFO = Path("/proc/self/mountinfo")
INOTIFY = Path("/proc/sys/fs/inotify")
"""Present when the kernel has inotify (its limits live there)."""


def _unescape(field: str) -> str:
    r"""A mountinfo path: spaces, tabs, newlines and backslashes are written as \040 and so on."""
    out, i = [], 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and all(c in "01234567" for c in code):
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_types(text: str) -> dict[str, str]:
    """Each mount point and its file system type, from /proc/self/mountinfo's text (a later
    mount on the same point hides an earlier one)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        before, sep, after = line.partition(" - ")
        fields = before.split()
        rest = after.split()
        if not sep or len(fields) < 5 or not rest:
            continue
        found[_unescape(fields[4])] = rest[0]
    return found


def type_of(path: str, mounts: dict[str, str]) -> str | None:
    """The file system type of the mount holding the (resolved) path."""
    probe = path
    while True:
        if probe in mounts:
            return mounts[probe]
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent


def local_below(path: str, mounts: dict[str, str]) -> bool:
    """Whether the (resolved) folder and every mount inside it are local file systems: a share
    mounted on a subfolder (`content/projects` on NFS) is watched through the folder too, and
    another machine's writes there pass inotify by."""
    inside = path.rstrip("/") + "/"
    return type_of(path, mounts) in LOCAL_TYPES and all(
        kind in LOCAL_TYPES for point, kind in mounts.items() if point.startswith(inside)
    )


def events_complete(folders: Iterable[Path], mountinfo: Path = MOUNTINFO, inotify: Path = INOTIFY) -> bool:
    """Whether native events report every change under `folders`: Linux with inotify, no polling
    (forced, or watchfiles' choice under WSL), and every folder on a local file system, with no
    other file system mounted inside it. Anything unknown answers False."""
    if not sys.platform.startswith("linux") or os.environ.get("WATCHFILES_FORCE_POLLING"):
        return False
    if not inotify.is_dir():
        return False  # a kernel without inotify: watchfiles polls instead, and does not say so
    if "microsoft-standard" in platform.release():
        return False
    try:
        mounts = mount_types(mountinfo.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False
    return all(local_below(os.path.realpath(folder), mounts) for folder in folders)
