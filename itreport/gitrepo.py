"""Facts about the git repository the content lives in: root, commit, uncommitted changes."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from itreport.source.stamps import FileStamp, settled


def run_git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git; without git on PATH, exit status 127 (as a shell says), never an exception.

    Git prints file names as the bytes they are; one that is not UTF-8 (a contributor's Latin-1
    name) is kept as the file system's own functions keep it, not a decoding error.
    """
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except OSError as exc:  # git not installed (or not on PATH): as outside a repository
        return subprocess.CompletedProcess(["git", *args], 127, "", f"cannot run git: {exc}")


def _git(cwd: Path, *args: str) -> str | None:
    res = run_git(cwd, *args)
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
    if not path.resolve().is_relative_to(root.resolve()):
        # A work tree set elsewhere (GIT_WORK_TREE, core.worktree): git knows nothing of `path`,
        # so its commit says nothing about this data.
        return Provenance(None, None, False)
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


@dataclass(frozen=True)
class Listing:
    """The files git tracks below a folder, as git names them: the index's answer alone.

    Kept as names, not as real paths: where a tracked name leads (a link, a folder replaced by
    a link) is the work tree's, which can change while the index stays the same, so a process
    that keeps a listing (`listing_key`) resolves it again for each build (`real`)."""

    top: str
    names: tuple[str, ...]

    def real(self) -> set[str]:
        """Real paths of the tracked files, with the links in the work tree as they are now."""
        real = real_paths()
        return {real(os.path.join(self.top, name)) for name in self.names}


def refusal(folder: Path) -> tuple[str, str] | None:
    """Why git refuses the repository holding `folder`, and the command that would let it read
    it; None when it does not. Git refuses a repository owned by another user unless it is listed
    in `safe.directory` (its config could run that user's commands): such a checkout is not
    "outside git", it is one whose tracked files and tags cannot be read."""
    if _dot_git(os.path.realpath(folder)) is None:  # no repository: git is not asked
        return None
    res = run_git(folder, "rev-parse", "--show-toplevel")
    lines = [line.strip() for line in res.stderr.splitlines() if line.strip()]
    if res.returncode == 0 or not lines or "safe.directory" not in res.stderr:
        return None
    command = next((line for line in lines if line.startswith("git config")), "")
    return lines[0].removeprefix("fatal: "), command


def tracked_listing(folder: Path) -> Listing | None:
    """The files git tracks below `folder` (None outside a repository)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    listing = _git(folder, "ls-files", "-z", "--full-name", ".")
    if listing is None:
        return None
    return Listing(top, tuple(name for name in listing.split("\0") if name))


_ELSEWHERE = frozenset(("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"))


def listing_key(folder: Path) -> Hashable | None:
    """What changes whenever `tracked_listing(folder)` could answer differently (None: cannot tell).

    Git finds the repository by looking for `.git` in the folder and each folder above it, and
    `ls-files` answers from the index alone. So the answer stands while the same `.git` folder
    is found, and it and its index keep their stamps; git rewrites the index by renaming a new
    one over it, which gives a new inode and new times. A repository or index named by the
    environment (GIT_DIR, GIT_INDEX_FILE…), a `.git` file (worktrees, submodules) or a stamp
    too recent to trust (see `itreport.source.stamps.settled`) give None: then git is asked
    every time.
    """
    settings = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("GIT_")))
    if any(k in _ELSEWHERE for k, _v in settings):
        return None
    seen_ns = time.time_ns()
    here = os.path.realpath(folder)
    dot_git = _dot_git(here)
    if dot_git is None:
        return (here, settings, None)  # no repository: git is asked again once a .git appears
    try:
        st = os.lstat(dot_git)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    stamps = [FileStamp.of(st)]
    try:
        stamps.append(FileStamp.of(os.lstat(os.path.join(dot_git, "index"))))
    except FileNotFoundError:
        pass  # a new repository: nothing added yet (adding creates the index, moving the folder)
    except OSError:
        return None
    if not all(settled(s, seen_ns) for s in stamps):
        return None
    return (here, settings, dot_git, tuple(stamps))


def _dot_git(real: str) -> str | None:
    """The `.git` git would find from the real folder `real`: in it or the nearest folder above."""
    probe = real
    while not os.path.lexists(os.path.join(probe, ".git")):
        if os.path.dirname(probe) == probe:
            return None
        probe = os.path.dirname(probe)
    return os.path.join(probe, ".git")


def real_paths() -> Callable[[str], str]:
    """`os.path.realpath` for many files: each folder is resolved once, and a file itself only
    when it is a symbolic link. The same answers (a name is never '.' or '..' here), with a
    fraction of the system calls: a large division has hundreds of files in a few folders."""
    folders: dict[str, str] = {}

    def real(path: str) -> str:
        head, name = os.path.split(path)
        found = folders.get(head)
        if found is None:
            found = folders[head] = os.path.realpath(head)
        joined = os.path.join(found, name)
        return os.path.realpath(joined) if os.path.islink(joined) else joined

    return real
