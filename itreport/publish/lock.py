"""One build at a time per output folder: an advisory lock that the kernel releases on death.

`flock` is tied to the open file, so a build killed with SIGKILL never leaves a stale lock. The
lock file is carried into every new set as a hard link, so the locked inode stays the one at
`<out>/.itreport.lock` when the folder is swapped; a waiter still checks it locked that file and
tries again if the folder changed under it.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".itreport.lock"


@contextmanager
def output_lock(folder: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the folder's lock; calls `on_wait` once if another build holds it, then waits."""
    waited = False
    while True:
        path = folder / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                if not waited:
                    on_wait()
                    waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                yield
                return
        finally:
            os.close(fd)  # closing releases the lock
