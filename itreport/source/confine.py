"""Read a file only when it lies inside its root: links resolved, regular files only, bounded size.

Content, templates and theme assets may come from an untrusted pull request. A link out of the
folder (to `/proc/self/environ`, a key file, another checkout), a named pipe that would block the
build, a device or a folder where a file belongs, an unreadable file: each is refused with a
reason that names the file as the user sees it, never the link's target, and says nothing of
what the target holds. Every file read of a build goes through `Root.read`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 32 * 1024 * 1024
"""No file a build reads (content, template, font, image) may be larger than this (32 MiB)."""


class Refused(Exception):
    """A file that may not be read. `reason` and `hint` are safe to print: no target, no content."""

    def __init__(self, rel: str, reason: str, hint: str = "") -> None:
        super().__init__(f"{rel}: {reason}")
        self.rel = rel
        self.reason = reason
        self.hint = hint


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def os_reason(exc: OSError) -> str:
    """An OSError in words, without the paths it carries (they may be a link's target)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno is not None:
        return os.strerror(exc.errno).lower()
    return "input/output error"


@dataclass(frozen=True)
class Root:
    """A folder whose files may be read: `what` names it in messages ("content folder")."""

    path: Path
    what: str
    real: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "real", os.path.realpath(self.path))

    def _link_out(self, rel: str) -> str:
        """The reason a path leads outside the root, naming the link by its own name."""
        probe = self.real
        parts = [p for p in rel.split("/") if p]
        for i, part in enumerate(parts):
            probe = os.path.join(probe, part)
            if os.path.islink(probe):
                if i == len(parts) - 1:
                    kind = "folder" if os.path.isdir(probe) else "file"
                    return f"is a symbolic link to a {kind} outside the {self.what}"
                folder = "/".join(parts[: i + 1])
                return f"is inside '{folder}', a symbolic link to a folder outside the {self.what}"
        return f"is outside the {self.what}"

    def locate(self, rel: str) -> str:
        """The real path of `rel` (links resolved); refused when it leads outside the root."""
        if rel.startswith("/") or rel in ("", "."):
            raise Refused(rel, f"is not a file inside the {self.what}")
        target = os.path.realpath(os.path.join(self.real, rel))
        if not _inside(target, self.real) or target == self.real:
            raise Refused(
                rel,
                self._link_out(rel),
                hint=f"copy the file into the {self.what}; itreport reads only files inside it",
            )
        return target

    def exists(self, rel: str) -> bool:
        """Whether anything (a file, a folder, a link, even a broken one) has this name."""
        return os.path.lexists(os.path.join(self.real, rel))

    def read(self, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
        """The bytes of a regular file inside the root, at most `limit` of them."""
        target = self.locate(rel)
        try:
            st = os.stat(target)
        except FileNotFoundError:
            broken = os.path.islink(os.path.join(self.real, rel))
            raise Refused(rel, "is a broken symbolic link" if broken else "does not exist") from None
        except OSError as exc:
            raise Refused(rel, f"cannot be read: {os_reason(exc)}") from None
        kind = _kind(st.st_mode)
        if kind == "a folder" and os.path.islink(os.path.join(self.real, rel)):
            raise Refused(
                rel,
                "is a symbolic link to a folder; linked folders are not read",
                hint="move the files into a real folder here",
            )
        if kind == "a folder":
            try:
                os.scandir(target).close()
            except OSError as exc:
                raise Refused(
                    rel,
                    f"is a folder that cannot be listed: {os_reason(exc)}",
                    hint="make the folder readable by the user who runs itreport",
                ) from None
        if kind is not None:
            raise Refused(rel, f"is {kind}, not a file", hint="replace it with a regular file, or remove it")
        if st.st_size > limit:
            raise Refused(
                rel,
                f"is larger than the limit of {limit // (1024 * 1024)} MiB",
                hint="split it into smaller files, or remove what does not belong in it",
            )
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(target, flags)
        except OSError as exc:
            raise Refused(rel, f"cannot be read: {os_reason(exc)}", hint=_READ_HINT) from None
        try:
            now = os.fstat(fd)
            if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
                raise Refused(rel, "changed while it was being read", hint="build again")
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            raise Refused(rel, f"cannot be read: {os_reason(exc)}", hint=_READ_HINT) from None
        finally:
            os.close(fd)
        if size > limit:
            raise Refused(rel, f"is larger than the limit of {limit // (1024 * 1024)} MiB")
        return b"".join(chunks)

    def files(self, suffixes: tuple[str, ...]) -> list[str]:
        """Relative POSIX names of the files ending in `suffixes`, sorted (see `listing`)."""
        return self.listing(suffixes)[0]

    def misnamed(self, suffixes: tuple[str, ...]) -> list[str]:
        """Relative names of files that end in one of `suffixes` only once case and trailing
        spaces are set aside (see `listing`)."""
        return self.listing(suffixes)[1]

    def listing(self, suffixes: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """The files ending in `suffixes`, and the misnamed ones, from one walk of the folder.

        Linked folders are listed (so that reading them is refused loudly) but never entered, so
        the listing cannot wander outside the root or loop. Named pipes, devices and folders
        with a matching name are listed too: reading them gives a located refusal, not a hang.
        Misnamed files end in one of `suffixes` only once case and trailing spaces are set aside
        (`x.YAML`, `x.yaml `): they are not read, and a file a contributor meant as content must
        not disappear without a word.
        """
        out: list[str] = []
        misnamed: list[str] = []

        def unlisted(exc: OSError) -> None:
            # A folder that cannot be listed (no read or search permission, an I/O error) is
            # listed itself: reading it gives a located refusal. `os.walk` would skip it without
            # a word, and every project in it would vanish from the briefings.
            if exc.filename is not None:
                rel = os.path.relpath(os.fsdecode(exc.filename), self.real)
                if rel != ".":
                    out.append(rel.replace(os.sep, "/"))

        for dirpath, dirnames, filenames in os.walk(self.real, onerror=unlisted, followlinks=False):
            rel_dir = os.path.relpath(dirpath, self.real)
            prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
            for name in dirnames:
                if os.path.islink(os.path.join(dirpath, name)) or name.endswith(suffixes):
                    out.append(prefix + name)
            for name in filenames:
                if name.startswith(".#") and editor_lock(os.path.join(dirpath, name)):
                    continue
                if name.endswith(suffixes):
                    out.append(prefix + name)
                elif name.rstrip().lower().endswith(suffixes):
                    misnamed.append(prefix + name)
        return sorted(out), sorted(misnamed)


_EMACS_LOCK = re.compile(r"[^/\s]+@[^/\s]+\.\d+(:\d+)?")


def editor_lock(path: str) -> bool:
    """Whether `path` is Emacs's lock of a file being edited: `.#people.yaml`, a link whose target
    names no file but the editing user, host and process (`anna@laptop.4242:1700000000`), and
    leads nowhere.

    While a buffer is modified, Emacs keeps one beside the file; listed as content, it made the
    preview refuse a link at every keystroke. Nothing is read from it, and a link to a real
    path, or a regular file, named so is listed as any other (and a link refused)."""
    try:
        target = os.readlink(path)
    except OSError:
        return False
    # Dangling too: a link whose target happens to exist beside it is content like any other.
    return _EMACS_LOCK.fullmatch(target) is not None and not os.path.lexists(
        os.path.join(os.path.dirname(path), target)
    )


_READ_HINT = "make the file readable by the user who runs itreport"


def folder_refusal(path: Path, what: str) -> Refused | None:
    """A folder found in a checkout (not named by the user) that is a link out of its parent.

    `content/` or `templates/` replaced by a link to `/` or a home folder would make every file
    there "inside"; such a folder is refused rather than followed.
    """
    lexical = Path(os.path.abspath(path))
    if not os.path.islink(lexical):
        return None
    parent = os.path.realpath(lexical.parent)
    if _inside(os.path.realpath(lexical), parent) and os.path.realpath(lexical) != parent:
        return None
    return Refused(
        str(path),
        "is a symbolic link to a folder outside the folder holding it",
        hint=f"make the {what} a real folder, or name the folder itself on the command line",
    )
