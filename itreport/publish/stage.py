"""Publish a build's outputs as one set: whole or not at all.

Design (see docs/outputs.md): the new set is assembled in a staging folder beside the output
folder, `.<name>.itreport-new-<random>`, on the same file system: every new or changed file is
written and fsynced there, every file of the current set that this build does not replace is
hard-linked in (unchanged briefings, other editions, anything else kept in the folder), and
`manifest.json` is written last. Then one `renameat2(RENAME_EXCHANGE)` swaps the staging folder
and the output folder. Before the swap the output folder is untouched; after it, it holds the
whole new set. A failure or a `kill -9` at any moment therefore leaves either the whole old set
or the whole new one, each with the manifest that describes it. Leftover staging folders are
removed by the next build, under the lock.

The output folder stays a real folder of real files, so readers can open `output/board-….pdf`
directly, copy it or attach it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itreport.publish.lock import LOCK_NAME, output_lock
from itreport.publish.swap import exchange, restore_orphan

MANIFEST = "manifest.json"
NEW_TAG = "new"


class PublishError(Exception):
    """The outputs could not be published; the previous set is whole. The message says why."""


@dataclass(frozen=True)
class NewFile:
    """One output of this build: its file name in the output folder, bytes and manifest entry."""

    name: str
    data: bytes
    entry: dict[str, Any]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _prefix(out: Path) -> str:
    return f".{out.name}.itreport-"


def _reason(exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EBUSY: "the folder is a mount point or in use",
        errno.EXDEV: "the folder is on a different file system from the folder holding it",
    }
    if exc.errno in reasons:
        return reasons[exc.errno]
    return os.strerror(exc.errno).lower() if exc.errno else "input/output error"


def check_folder(out: Path) -> None:
    """Refuse an output path that is a link, not a folder, or a folder itreport did not make.

    The whole folder is replaced on publish, so `--out .` or `--out ~` must never be taken.
    """
    if os.path.islink(out):
        raise PublishError(
            f"output folder '{out}' is a symbolic link; name the folder itself with --out "
            "(itreport replaces the output folder as a whole and does not follow links)"
        )
    if os.path.lexists(out) and not out.is_dir():
        raise PublishError(f"output folder '{out}' is not a folder")
    if out.is_dir():
        names = set(os.listdir(out)) - {LOCK_NAME}
        if names and MANIFEST not in names:
            raise PublishError(
                f"'{out}' is not an itreport output folder: it holds files but no {MANIFEST}; "
                "name an empty or new folder with --out"
            )


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The current manifest, or None when there is none or it is not one of ours."""
    try:
        data = json.loads((out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else None


def _same(path: Path, data: bytes) -> bool:
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _carry(entry: os.DirEntry[str], dst: Path) -> None:
    """Bring a file the build does not replace into the new set (a hard link: no copy, no loss)."""
    if entry.is_symlink():
        os.symlink(os.readlink(entry.path), dst)
    elif entry.is_dir(follow_symlinks=False):
        shutil.copytree(entry.path, dst, symlinks=True, copy_function=_link_or_copy)
    elif entry.is_file(follow_symlinks=False):
        _link_or_copy(entry.path, str(dst))


def _write(path: Path, data: bytes) -> None:
    """A new file, created with the user's umask applied (0o666 before the mask), and fsynced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> bool:
    """One file replaced through a temporary file and a rename (mode from the umask, never forced);
    returns False when the file already held `data`. For single files beside a published set."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if _same(path, data):
        return False
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        _write(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _kept(
    old: dict[str, Any] | None, out: Path, rebuilt: set[tuple[str, str]], declared: set[str], names: set[str]
) -> list[dict[str, Any]]:
    """Manifest entries of the current set that this build does not replace and that still hold.

    An entry is kept when its edition is still declared, this build did not make its edition and
    format, its file is not overwritten, and the file on disk still has the recorded hash.
    """
    kept = []
    for entry in old["files"] if old else []:
        if not isinstance(entry, dict):
            continue
        name, edition, fmt = entry.get("file"), entry.get("edition"), entry.get("format")
        if not isinstance(name, str) or "/" in name or name in names or edition not in declared:
            continue
        if (edition, fmt) in rebuilt:
            continue
        try:
            digest = sha256((out / name).read_bytes())
        except OSError:
            continue
        if digest == entry.get("sha256"):
            kept.append(entry)
    return kept


def _stage(
    out: Path, stage: Path, files: Sequence[NewFile], head: dict[str, Any], kept_from: Callable[[], list[Any]]
) -> dict[str, bool]:
    names = {f.name for f in files}
    for entry in os.scandir(out):
        if entry.name not in names and entry.name != MANIFEST:
            _carry(entry, stage / entry.name)
    changed = {}
    for f in files:
        if _same(out / f.name, f.data):
            _link_or_copy(str(out / f.name), str(stage / f.name))
            changed[f.name] = False
        else:
            _write(stage / f.name, f.data)
            changed[f.name] = True
    entries = [*kept_from(), *({"file": f.name, **f.entry, "sha256": sha256(f.data)} for f in files)]
    manifest = {**head, "files": entries}
    _write(stage / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    _fsync_dir(stage)
    return changed


def _clean_leftovers(out: Path) -> None:
    """Staging folders of builds that were killed (only ever called under the lock)."""
    for leftover in out.parent.glob(f"{_prefix(out)}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def publish(
    out: Path,
    files: Sequence[NewFile],
    head: dict[str, Any],
    *,
    rebuilt: set[tuple[str, str]],
    declared: set[str],
    on_wait: Callable[[], None] = lambda: None,
) -> dict[str, bool]:
    """Replace the set in `out` by `files` plus what it keeps; returns file name → changed.

    `head` is the manifest's top (as_of, commit, …); `rebuilt` the (edition, format) pairs this
    build made and `declared` the editions briefings.yaml still has, for keeping the entries of
    a partial build's other editions. Raises PublishError, with the old set whole.
    """
    where = f"cannot write the briefings into '{out}'"
    keep = "; the previous briefings were left as they were"
    try:
        restore_orphan(out, _prefix(out))
        check_folder(out)
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"{where}: {_reason(exc)}{keep}") from None
    try:
        lock = output_lock(out, on_wait)
        lock.__enter__()
    except OSError as exc:
        raise PublishError(f"{where}: cannot lock it: {_reason(exc)}{keep}") from None
    try:
        _clean_leftovers(out)
        check_folder(out)
        stage = out.parent / f"{_prefix(out)}{NEW_TAG}-{secrets.token_hex(4)}"
        try:
            os.mkdir(stage)
        except OSError as exc:
            raise PublishError(
                f"cannot write the briefings beside '{out}': {_reason(exc)} (a new set is staged in "
                f"the folder holding '{out}', then swapped in whole){keep}"
            ) from None
        try:
            os.chmod(stage, stat.S_IMODE(os.stat(out).st_mode))
            old = read_manifest(out)
            names = {f.name for f in files}
            changed = _stage(out, stage, files, head, lambda: _kept(old, out, rebuilt, declared, names))
            previous = exchange(stage, out, _prefix(out))
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            raise PublishError(f"{where}: {_reason(exc)}{keep}") from None
        shutil.rmtree(previous, ignore_errors=True)
        with contextlib.suppress(OSError):  # the swap has happened; only durability is at stake
            _fsync_dir(out.parent)
        return changed
    finally:
        lock.__exit__(None, None, None)
