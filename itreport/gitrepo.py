"""Facts about the git repository the content lives in: root, commit, uncommitted changes."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def _git(cwd: Path, *args: str) -> str | None:
    try:
        res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return res.stdout.strip() if res.returncode == 0 else None


@dataclass(frozen=True)
class Provenance:
    """Where a build's data came from: the commit, and whether the work tree differs from it."""

    root: Path | None
    commit: str | None
    dirty: bool

    @property
    def versioned(self) -> bool:
        """False outside any git repository: such a build is marked, never shown as clean."""
        return self.root is not None


def provenance(path: Path, watched: list[Path]) -> Provenance:
    """The repository holding `path`; dirty when any `watched` path has uncommitted changes."""
    top = _git(path, "rev-parse", "--show-toplevel")
    if top is None:
        return Provenance(None, None, False)
    root = Path(top)
    commit = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    rel = [
        str(p.resolve().relative_to(root.resolve()))
        for p in watched
        if p.exists() and (p.resolve() == root.resolve() or root.resolve() in p.resolve().parents)
    ]
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *rel) if rel else ""
    return Provenance(root, commit, commit is None or bool(status))


def relative_to_root(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def tracked_files(folder: Path) -> set[Path] | None:
    """Absolute paths of the files git tracks below `folder`, or None outside a repository."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    listing = _git(folder, "ls-files", "-z", "--full-name", ".")
    if listing is None:
        return None
    root = Path(top)
    resolve = resolver()
    return {resolve(root / name) for name in listing.split("\0") if name}


def resolver() -> Callable[[Path], Path]:
    """`Path.resolve()` for many files: each folder is resolved once, and a file itself only when
    it is a symbolic link. The same answers (a name is never '.' or '..' here), with a fraction
    of the system calls: a large division has hundreds of files in a few folders."""
    folders: dict[str, str] = {}

    def resolve(path: Path) -> Path:
        head, name = os.path.split(path)
        real = folders.get(head)
        if real is None:
            real = folders[head] = os.path.realpath(head)
        joined = os.path.join(real, name)
        return Path(os.path.realpath(joined) if os.path.islink(joined) else joined)

    return resolve
