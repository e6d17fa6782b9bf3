"""Cheap evidence that a file has not changed since it was last read: what `lstat` says of it.

A long-lived process (`itreport serve`) rebuilds after every save; reading and hashing every
file of a large division to find the one that changed cost more than validating that file.
"""

from __future__ import annotations

import os
from typing import NamedTuple

RACY_NS = 2_000_000_000
"""Two seconds: coarser than the timestamps of any file system itreport runs on (FAT has 2 s)."""


class FileStamp(NamedTuple):
    """Identity, size, owner, mode and times of a file. Any write moves its change time (ctime),
    which no user call can set back; a file replaced by a rename has another inode. A tuple:
    one is made and compared for every file of a division at every preview rebuild."""

    dev: int
    ino: int
    size: int
    uid: int
    mode: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStamp:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_uid, st.st_mode, st.st_mtime_ns, st.st_ctime_ns)


def settled(stamp: FileStamp, seen_ns: int) -> bool:
    """Whether a stamp taken at `seen_ns` can stand for the file's bytes from then on.

    A file changed in the same tick of the file system's clock as it was read could change again
    within that tick with the same size and times (git's "racy" entries). So a file whose last
    change is less than RACY_NS before the moment it was stamped is read again next time.
    """
    return stamp.ctime_ns < seen_ns - RACY_NS
