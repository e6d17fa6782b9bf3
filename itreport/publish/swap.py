"""Swap two folders in one step: renameat2(RENAME_EXCHANGE) on Linux.

After the call, each path names the other's folder; no reader can see a moment with neither or
with a mix. Where the exchange is not available (not Linux, or a file system without it), two
renames are used instead: for an instant the output path does not exist, and a build killed in
that instant leaves the old set beside it, which the next build puts back (`restore_orphan`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
from pathlib import Path
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
OLD_TAG = "old"


def _renameat2() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load (not a POSIX system)
        return None
    fn = getattr(libc, "renameat2", None)
    if fn is None:  # pragma: no cover - glibc older than 2.28, or not Linux
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_EXCHANGE = _renameat2()


def exchange(staged: Path, target: Path, prefix: str) -> Path:
    """Put `staged` at `target`; returns where the previous `target` now is (to be removed)."""
    if _EXCHANGE is not None:
        rc = _EXCHANGE(_AT_FDCWD, os.fsencode(staged), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
        if rc == 0:
            return staged
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err))
    old = target.parent / f"{prefix}{OLD_TAG}-{secrets.token_hex(4)}"
    os.rename(target, old)
    os.rename(staged, target)
    return old


def restore_orphan(target: Path, prefix: str) -> None:
    """After a kill between the two fallback renames, put the old set back where it belongs."""
    if os.path.lexists(target):
        return
    olds = sorted(p for p in target.parent.glob(f"{prefix}{OLD_TAG}-*") if p.is_dir() and not p.is_symlink())
    if len(olds) == 1:
        os.rename(olds[0], target)
