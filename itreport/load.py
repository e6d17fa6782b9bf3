"""Read YAML content with a position for every value, from a folder or from a git revision.

PyYAML's C parser gives us events with marks; `itreport.source.compose` builds plain Python values
from them so that (a) every value and key keeps its line and column, (b) duplicate keys are an error
instead of "last one wins", (c) scalars follow YAML 1.2 core rules: only true/false are booleans,
so `NO`, `on` or `yes` stay strings, and dates and numbers stay text for the models to parse
exactly (money never passes through float; `2026-02-30` becomes a located error, not a crash), and
(d) nesting, alias expansion, line length and value count stay within documented limits.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeVar

import yaml

from itreport.problems import Problem, Severity
from itreport.source import compose, fastyaml
from itreport.source.compose import Position as Position  # re-exported: callers import it from here
from itreport.source.confine import Refused, Root
from itreport.source.lines import char_index, locate, split_lines
from itreport.source.reported import entry_path
from itreport.source.stamps import FileStamp, settled

try:  # pragma: no cover - the C loader is present in PyYAML wheels; the fallback keeps it working anyway
    from yaml import CSafeLoader as _Loader

    _BYTE_OFFSETS = True  # libyaml reports a bad character's place in UTF-8 bytes
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _BYTE_OFFSETS = False

PathKey = tuple[str | int, ...]
T = TypeVar("T")


class Document:
    """One YAML file: its text, its plain-Python data and where each value and key stands.

    A file read by the fast path (`itreport.source.fastyaml`) has no positions until one is
    asked for: then the file alone is read again by the reference path, which keeps them.
    Most files of a division never need one, and positions cost more than the data.
    """

    __slots__ = ("_keys", "_values", "data", "name", "text")

    def __init__(
        self,
        name: str,
        text: str,
        data: Any = None,
        values: dict[PathKey, Position] | None = None,
        keys: dict[PathKey, Position] | None = None,
        *,
        located: bool = True,
    ) -> None:
        self.name = name
        self.text = text
        self.data = data
        self._values: dict[PathKey, Position] | None = values if values is not None or not located else {}
        self._keys: dict[PathKey, Position] | None = keys if keys is not None or not located else {}

    def __repr__(self) -> str:
        return f"Document({self.name!r}, located={self._values is not None})"

    def _locate(self) -> None:
        self._values, self._keys = _positions(self.text)

    @property
    def values(self) -> dict[PathKey, Position]:
        """Position of every value, by its path of keys and indexes."""
        if self._values is None:
            self._locate()
        assert self._values is not None
        return self._values

    @values.setter
    def values(self, table: dict[PathKey, Position]) -> None:
        self._values = table

    @property
    def keys(self) -> dict[PathKey, Position]:
        """Position of every mapping key, by the path of the value it names."""
        if self._keys is None:
            self._locate()
        assert self._keys is not None
        return self._keys

    @keys.setter
    def keys(self, table: dict[PathKey, Position]) -> None:
        self._keys = table

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of the value (or key) at `path`, or of its nearest located ancestor."""
        values = self.values
        table = self.keys if key else values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in values:
                return values[probe]
            probe = probe[:-1]
        return values.get((), Position(1, 1))


class ContentSource(Protocol):
    """Where content files come from: the working tree or a git revision."""

    @property
    def label(self) -> str: ...

    def files(self) -> list[str]:
        """Relative POSIX paths of every .yaml/.yml file, sorted."""
        ...

    def read(self, rel: str) -> bytes: ...

    def display(self, rel: str) -> str:
        """How a file is named in messages (as the user would type it)."""
        ...

    def misnamed(self) -> list[str]:
        """Files named like YAML but for case or trailing spaces (`x.YAML`): not read, and said."""
        ...

    def stamp(self, rel: str) -> Hashable | None:
        """What changes whenever the file's bytes do, cheaper than reading them (None: unknown).

        A long-lived process (`itreport serve`) reuses what it parsed from a file while its stamp
        stays the same, and reads only files whose stamp moved (see `ParseMemo.unchanged`).
        """
        ...


def _is_yaml(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))


@dataclass
class FolderSource:
    """Content in a folder: every read is confined to it (see `itreport.source.confine`)."""

    root: Path
    shown_as: str = ""
    what: str = "content folder"

    @property
    def label(self) -> str:
        return self.shown_as or str(self.root)

    @cached_property
    def _confined(self) -> Root:
        # Resolved once per source: a source lives for one load, and a large division has
        # hundreds of files (resolving the root again for each cost 3 ms on large).
        return Root(self.root, self.what)

    @cached_property
    def _listing(self) -> tuple[list[str], list[str]]:
        # One walk of the folder per load, for the files and the misnamed ones alike: the load,
        # the misnamed check and git's tracked files each asked for it again.
        return self._confined.listing((".yaml", ".yml"))

    def files(self) -> list[str]:
        return list(self._listing[0])

    def read(self, rel: str) -> bytes:
        return self._confined.read(rel)

    def misnamed(self) -> list[str]:
        return list(self._listing[1])

    def listing(self) -> tuple[list[str], list[str]]:
        """The files and the misnamed ones, as one walk found them (see `Root.listing`)."""
        return self._listing

    def adopt_listing(self, listing: tuple[list[str], list[str]]) -> None:
        """Take a listing found before instead of walking the folder: a preview whose watcher
        reported nothing that could change it (see `itreport.content._records`)."""
        self.__dict__["_listing"] = listing

    @property
    def base(self) -> str:
        """The resolved root folder with a trailing separator: `real(rel)` is `base + rel`."""
        return self._base

    @cached_property
    def _head(self) -> str:
        """What `display` puts before a relative name: the folder as the user named it, and '/'."""
        prefix = self.shown_as if self.shown_as else str(self.root)
        return "" if prefix in ("", ".") else str(PurePosixPath(prefix)).rstrip("/") + "/"

    @cached_property
    def _base(self) -> str:
        return self._confined.real.rstrip(os.sep) + os.sep

    def display(self, rel: str) -> str:
        # `rel` comes from `files()`: relative, no '.' or '..' parts, so joining is enough.
        return self._head + rel

    def relative(self, name: str) -> str | None:
        """The relative path `display` gave `name` (None: not a name of this folder's)."""
        head = self._head
        if not head:
            return name
        return name[len(head) :] if name.startswith(head) and len(name) > len(head) else None

    def real(self, rel: str) -> str:
        """Where a listed file is, in the resolved root folder (a link itself is not followed)."""
        return self._base + rel

    def stamp(self, rel: str) -> FileStamp | None:
        """The file's identity, size and change times, for a regular file only.

        A link, or anything else that is not a plain file, has no stamp: it goes through the
        confined read every time (a link's own times do not change when its target does).
        """
        try:
            st = os.lstat(self.real(rel))
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        return FileStamp.of(st)


class GitError(Exception):
    """A git revision or repository could not be read."""


@dataclass
class GitSource:
    """Content as it was at a git revision, read from git objects without touching the work tree."""

    repo: Path
    rev: str
    subdir: str = "content"
    shown_rev: str = ""
    """How the revision is named in messages (a tag, while `rev` is the commit it pointed to
    when the build looked, so that a tag moved meanwhile cannot mix two trees)."""
    _blobs: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _links: set[str] = field(default_factory=set, init=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.shown_rev or self.rev}:{self.subdir}"

    def _git(self, *args: str) -> bytes:
        try:
            res = subprocess.run(["git", *args], cwd=self.repo, capture_output=True, check=False)
        except OSError as exc:  # git itself missing
            raise GitError(f"cannot run git: {exc}") from exc
        if res.returncode != 0:
            raise GitError(res.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
        return res.stdout

    def files(self) -> list[str]:
        prefix = self.subdir.strip("/")
        out = self._git("ls-tree", "-r", "-z", "--full-tree", self.rev, "--", prefix or ".")
        names: list[str] = []
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.decode("utf-8", "surrogateescape").partition("\t")  # names as bytes
            mode, kind, sha = meta.split()
            if kind != "blob" or not _is_yaml(path):
                continue
            rel = path[len(prefix) + 1 :] if prefix else path
            self._blobs[rel] = sha
            if mode == "120000":  # a symbolic link: its blob is the target's path, never read
                self._links.add(rel)
            names.append(rel)
        return sorted(names)

    def read(self, rel: str) -> bytes:
        if not self._blobs:
            self.files()
        if rel in self._links:
            raise Refused(rel, "is a symbolic link in git", hint="commit the file itself, not a link to it")
        return self._git("cat-file", "blob", self._blobs[rel])

    def display(self, rel: str) -> str:
        return f"{self.shown_rev or self.rev}:{PurePosixPath(self.subdir) / rel}"

    def misnamed(self) -> list[str]:
        """None said: a git revision is the baseline, whose own warnings are not reported."""
        return []

    def stamp(self, rel: str) -> str | None:
        """The blob's id: git names a file's bytes by their hash, so it is exact."""
        if not self._blobs:
            self.files()
        return None if rel in self._links else self._blobs.get(rel)


def _decode(name: str, raw: bytes) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :]
        col = len(line_start.decode("utf-8", "replace")) + 1  # columns count characters, not bytes
        return None, Problem(
            name,
            line,
            col,
            Severity.ERROR,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            hint="save the file as UTF-8 (most editors: 'Save with encoding' → UTF-8)",
            rule="yaml.encoding",
        )
    return text, None


_YAML_HINTS = {
    "found character '\\t' that cannot start any token": "YAML indentation must use spaces, not tabs",
    "found character '\\t'": "YAML indentation must use spaces, not tabs",
    "mapping values are not allowed here": "a value containing ': ' must be quoted, or a key is mis-indented",
    "expected <block end>, but found": "check the indentation of this line against the lines above",
    "could not find expected ':'": "a key must be followed by ': ' (colon and space)",
    "found undefined alias": "define the anchor (&name) before using the alias (*name)",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "did not find expected '-' indicator": "list items must line up; check this line's indentation",
    "did not find expected key": "check the indentation of this line against the lines above",
    "this flow": "close the bracket, or quote the value if the bracket is part of the text",
}


def _yaml_problem(name: str, exc: yaml.YAMLError, text: str = "") -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_problem(name, exc, text)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context and "while" not in context:
        message += f" ({context})"
    at_end = mark is not None and mark.index >= len(mark.buffer or "") - 1
    if at_end and context_mark is not None and context and context.startswith("while parsing a flow"):
        # The file ended inside [ ] or { }: the useful place is where the bracket was opened.
        mark = context_mark
        message = f"YAML syntax error: this {context.removeprefix('while parsing a ')} is never closed"
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    lines = split_lines(text)
    if text and line > len(lines):
        # libyaml reports the end of a file without a final line break one line past it.
        line, col = len(lines), len(lines[-1]) + 1
    key = message.removeprefix("YAML syntax error: ")
    hint = next((h for k, h in _YAML_HINTS.items() if key.startswith(k)), "")
    if not hint and ("\t" in problem or "tab character" in problem):
        hint = _YAML_HINTS["found character '\\t'"]
    return Problem(name, line, col, Severity.ERROR, message, hint=hint, rule="yaml.syntax")


def _reader_problem(name: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML does not allow, at its own line and column (libyaml gives a byte offset)."""
    index = char_index(text, exc.position) if _BYTE_OFFSETS else exc.position
    line, col = locate(text, index)
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    escape = f"\\x{char:02x}" if char < 0x100 else f"\\u{char:04x}"
    return Problem(
        name,
        line,
        col,
        Severity.ERROR,
        f"YAML does not allow the control character U+{char:04X} here",
        hint="delete it (most editors do not show it); to keep it, write it inside double quotes "
        f'as "{escape}"',
        rule="yaml.syntax",
    )


MAX_LINE_CHARS = 10_000
"""Longest line read: past it a file is refused before parsing (docs/content.md "Input limits")."""
_SHOWN = 120


def _long_line(name: str, text: str) -> Problem | None:
    """The first line longer than MAX_LINE_CHARS, as a located problem."""
    if len(text) <= MAX_LINE_CHARS:
        return None
    for number, line in enumerate(split_lines(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            return Problem(
                name,
                number,
                1,
                Severity.ERROR,
                f"line is longer than {MAX_LINE_CHARS:,} characters ({len(line):,})",
                hint="break long text over several lines with a block scalar ('|' or '>')",
                rule="yaml.limit",
            )
    return None


MISSING: Any = object()
"""What `ObjectMemo.lookup` gives when nothing is kept (None can be a kept value)."""


class ObjectMemo:
    """Values computed from objects that do not change (frozen models), kept beside the object.

    Keyed by identity, with the object itself kept in the entry, so an id cannot be reused by
    another object while its entry lives. An entry lives through the round it was last used in
    and the next one (a round is one `remembering` block): objects of files that changed or
    went away are let go after one rebuild, not kept for the life of the process.
    """

    def __init__(self) -> None:
        self._now: dict[int, tuple[object, Hashable, Any]] = {}
        self._before: dict[int, tuple[object, Hashable, Any]] = {}
        self._lock = threading.Lock()

    def get(self, obj: object, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` for `obj` and `key`, or what it gave the last time for the same two."""
        found = self.lookup(obj, key)
        if found is not MISSING:
            value: T = found
            return value
        value = compute()
        self.store(obj, key, value)
        return value

    def lookup(self, obj: object, key: Hashable) -> Any:
        """What was stored for `obj` and an equal `key` (kept for this round too), or MISSING.

        Called for every file of a large division at every rebuild: one lock, and a key that is
        the very object of last time (see `Checker.stable`) is not compared.
        """
        ident = id(obj)
        with self._lock:
            found = self._now.get(ident) or self._before.get(ident)
            if found is not None and found[0] is obj and (found[1] is key or found[1] == key):
                self._now[ident] = found
                return found[2]
        return MISSING

    def store(self, obj: object, key: Hashable, value: Any) -> None:
        with self._lock:
            self._now[id(obj)] = (obj, key, value)

    def next_round(self) -> None:
        with self._lock:
            self._before, self._now = self._now, {}

    def __len__(self) -> int:
        return len(self._now.keys() | self._before.keys())


class ParseMemo:
    """Files parsed and validated by a long-lived process (`itreport serve`), kept for its next build.

    A rebuild after one edit then parses and validates only the edited file: an entry is used
    only for the same name and the same bytes (SHA-256), and a validated model only for the same
    model class too; in memory only (nothing is written or read back). Documents and models are
    shared between builds: nothing downstream changes a document's data, and models are frozen.
    """

    MAX_FILES = 20_000

    def __init__(self) -> None:
        self._files: dict[tuple[str, bool], tuple[bytes, Document | None, list[Problem]]] = {}
        self._stamps: dict[tuple[str, bool], tuple[Hashable, Document | None, list[Problem]]] = {}
        self._models: dict[tuple[str, type], tuple[Document, Any, list[Problem]]] = {}
        self._objects: dict[str, ObjectMemo] = {}
        self._kept: dict[str, tuple[Hashable, Any]] = {}
        self._suspects: set[str] = set()
        self._complete = False
        self._suspects_seen = False
        self._rounds: dict[Hashable, Any] = {}
        self._refreshed: set[Hashable] = set()
        self._lock = threading.Lock()
        self.parsed: list[str] = []
        """Names parsed (not found here) by the last `remembering` block: what a rebuild cost."""
        self.validated: list[str] = []
        """Names validated against their model (not found here) by the last `remembering` block."""

    def suspect(self, paths: Iterable[str], *, complete: bool = False) -> None:
        """Files reported changed (by the preview's file watcher): the next build reads them
        whatever their stamps say. On a network or virtual file system (NFS, FUSE, a container's
        shared folder) `lstat` can answer from a cache, and FAT keeps no change time at all.

        `complete`: the report holds every change since the last build (native events on a
        local file system): the next build may then take the files it does not name from here
        without looking at them (see `trusted`). Kept for the next build only.
        """
        with self._lock:
            self._suspects.update(entry_path(p) for p in paths)
            self._complete = complete and (self._complete or not self._suspects_seen)
            self._suspects_seen = True

    def suspected(self, path: str) -> bool:
        """Whether the file at this real path was reported changed since the last build."""
        return bool(self._suspects) and path in self._suspects

    def trusted(self, key: Hashable) -> tuple[Any, frozenset[str]] | None:
        """What the last build kept under `key` (see `keep`) and the paths reported changed
        since, when the report is complete; None when every file must be looked at."""
        with self._lock:
            if not self._complete:
                return None
            found = self._rounds.get(key)
            return None if found is None else (found, frozenset(self._suspects))

    def kept_round(self, key: Hashable) -> Any:
        """What the last build kept under `key` (None: nothing), trusted or not."""
        with self._lock:
            return self._rounds.get(key)

    def keep(self, key: Hashable, value: Any) -> None:
        """What a build worked out (a folder's records, the checks' state), for the next build to
        start from. What the next build does not keep again is let go when it ends."""
        with self._lock:
            self._rounds[key] = value
            self._refreshed.add(key)

    def rounds(self) -> list[Any]:
        """Everything the last build kept, for checking it against the files (see `serve`)."""
        with self._lock:
            return list(self._rounds.values())

    def unchanged(
        self, name: str, stamp: Hashable, fast: bool
    ) -> tuple[Document | None, list[Problem]] | None:
        """What the file parsed to when it last had this stamp, without reading it (None: read it).

        `fast`: whether the fast reader is on (`fastyaml.enabled()`, asked once per folder).
        """
        with self._lock:
            found = self._stamps.get((name, fast))
        if found is None or found[0] != stamp:
            return None
        return found[1], list(found[2])

    def stamped(
        self,
        name: str,
        stamp: Hashable,
        fast: bool,
        seen_ns: int,
        parsed: tuple[Document | None, list[Problem]],
    ) -> None:
        """Keep what the file with this stamp parsed to, if the stamp can stand for its bytes."""
        if isinstance(stamp, FileStamp) and not settled(stamp, seen_ns):
            return
        with self._lock:
            if len(self._stamps) >= self.MAX_FILES:
                self._stamps.clear()
            self._stamps[(name, fast)] = (stamp, parsed[0], list(parsed[1]))

    def kept(self, purpose: str, key: Hashable, compute: Callable[[], tuple[T, bool]]) -> T:
        """The value last computed for `purpose`, while `key` stays the same; else `compute()`,
        which also says whether its value may be kept (one value per purpose)."""
        with self._lock:
            found = self._kept.get(purpose)
        if found is not None and found[0] == key:
            value: T = found[1]
            return value
        value, keep = compute()
        with self._lock:
            if keep:
                self._kept[purpose] = (key, value)
            else:
                self._kept.pop(purpose, None)
        return value

    def parse(self, name: str, raw: bytes, fast: bool) -> tuple[Document | None, list[Problem]]:
        digest = hashlib.sha256(raw).digest()
        key = (name, fast and fastyaml.enabled())
        with self._lock:
            found = self._files.get(key)
        if found is not None and found[0] == digest:
            return found[1], list(found[2])
        doc, problems = _parse(name, raw, fast=fast)
        with self._lock:
            if len(self._files) >= self.MAX_FILES:
                self._files.clear()  # renamed files by the thousand: start again rather than grow
            self._files[key] = (digest, doc, list(problems))
            self.parsed.append(name)
        return doc, problems

    def validated_model(
        self, doc: Document, model: type[T], build: Callable[[], tuple[T | None, list[Problem]]]
    ) -> tuple[T | None, list[Problem]]:
        """`build()` (a file's model and its problems), or what it gave for this very document.

        The document stands for the name and bytes: `parse` hands out the same Document object
        only for the same name and SHA-256, and the entry keeps it, so its identity is not reused.
        """
        key = (doc.name, model)
        with self._lock:
            found = self._models.get(key)
        if found is not None and found[0] is doc:
            return found[1], list(found[2])
        obj, problems = build()
        with self._lock:
            if len(self._models) >= self.MAX_FILES:
                self._models.clear()
            self._models[key] = (doc, obj, list(problems))
            self.validated.append(doc.name)
        return obj, problems

    def objects(self, purpose: str) -> ObjectMemo:
        """The memo of values computed from unchanged objects for one purpose (one per check)."""
        with self._lock:
            return self._objects.setdefault(purpose, ObjectMemo())

    def end_round(self) -> None:
        """A build is over: the files reported changed before it have been read."""
        with self._lock:
            self._suspects.clear()
            self._complete = False
            self._suspects_seen = False
            # A folder the build no longer read (the content deleted, say) is not checked for
            # lost events: comparing it with files that are gone would build twice every time.
            self._rounds = {key: value for key, value in self._rounds.items() if key in self._refreshed}
            self._refreshed = set()

    def next_round(self) -> None:
        """A new build starts: per-object values not used in the last two builds are let go."""
        self.parsed = []
        self.validated = []
        with self._lock:
            memos = list(self._objects.values())
        for memo in memos:
            memo.next_round()


_MEMO: ContextVar[ParseMemo | None] = ContextVar("itreport_parse_memo", default=None)


@contextmanager
def remembering(memo: ParseMemo) -> Iterator[ParseMemo]:
    """Within the block, `parse` in this thread takes unchanged files from `memo`, and so do
    model validation (`itreport.content`) and the checks that remember per entity."""
    token = _MEMO.set(memo)
    memo.next_round()
    try:
        yield memo
    finally:
        _MEMO.reset(token)
        memo.end_round()


def active_memo() -> ParseMemo | None:
    """The memo of the enclosing `remembering` block; None in a one-shot run (nothing is kept)."""
    return _MEMO.get()


def parse(name: str, raw: bytes, *, fast: bool = True) -> tuple[Document | None, list[Problem]]:
    """Parse one file's bytes into a located Document, with the problems found on the way.

    The document is None only when the bytes are not text; after a syntax error or a limit it
    holds the text (for showing the line) and no data. With `fast`, a plain file is read by
    `itreport.source.fastyaml` and located only when a position is first asked for; the
    values, problems and positions are the same either way.
    """
    memo = _MEMO.get()
    if memo is not None:
        return memo.parse(name, raw, fast)
    return _parse(name, raw, fast=fast)


def _parse(name: str, raw: bytes, *, fast: bool) -> tuple[Document | None, list[Problem]]:
    text, problem = _decode(name, raw)
    if text is None:
        return None, [problem] if problem else []
    doc = Document(name=name, text=text)
    too_long = _long_line(name, text)
    if too_long is not None:
        # Keep the text for showing lines, each cut short: the file is not read any further.
        doc.text = "\n".join(
            line if len(line) <= _SHOWN else line[:_SHOWN] + " …" for line in split_lines(text)
        )
        return doc, [too_long]
    if fast:
        data = fastyaml.plain_data(text)
        if data is not fastyaml.NOT_PLAIN:
            return Document(name=name, text=text, data=data, located=False), []
    try:
        built = _build(text)
    except yaml.YAMLError as exc:
        return doc, [_yaml_problem(name, exc, text)]  # the text is kept to show the line
    except compose.LimitExceeded as exc:
        return doc, [_located(name, exc.where)]
    doc.data = built.data
    doc.values = built.values
    doc.keys = built.keys
    return doc, [_located(name, where) for where in built.problems]


def _build(text: str) -> compose.Built:
    """The reference path: libyaml's events, a position for every value (raises on bad YAML)."""
    loader = _Loader(text)
    try:
        return compose.build(loader)
    finally:
        loader.dispose()


def _positions(text: str) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
    """The reference path's positions for a file the fast path read ({} if it cannot build)."""
    loader = _Loader(text)
    try:
        return compose.positions(loader)
    except Exception:  # anything unexpected: the whole reference build decides
        pass
    finally:
        loader.dispose()
    try:
        built = _build(text)
    except (yaml.YAMLError, compose.LimitExceeded):  # pragma: no cover - the fast path declined those
        return {}, {}
    return built.values, built.keys


UNREADABLE_RULES = frozenset(("yaml.syntax", "yaml.limit", "yaml.alias"))


def unreadable(problems: list[Problem]) -> bool:
    """True when parsing stopped (syntax error or a limit): the file has no data to validate."""
    return any(p.rule in UNREADABLE_RULES for p in problems)


def _located(name: str, where: compose.Located) -> Problem:
    return Problem(
        name, where.line, where.col, Severity.ERROR, where.message, where.hint, where.width, where.rule
    )


def read_all(source: ContentSource) -> Iterator[tuple[str, Document | None, list[Problem]]]:
    """Every YAML file of a source, parsed: (relative path, document or None, problems).

    Under `remembering`, a file whose stamp has not moved is not read at all: what it parsed to
    last time is handed out again (a large division has hundreds of files, one was edited).
    """
    fast = fastyaml.enabled()
    for rel in source.files():
        doc, problems, _stamp = read_one(source, rel, fast)
        yield rel, doc, problems


def read_one(
    source: ContentSource, rel: str, fast: bool
) -> tuple[Document | None, list[Problem], Hashable | None]:
    """One listed file, parsed, with the stamp it had just before it was read (None: unknown).

    `fast`: whether the fast reader is on (`fastyaml.enabled()`, asked once per folder).
    """
    memo = _MEMO.get()
    name = source.display(rel)
    stamp = None
    if memo is not None:
        seen_ns = time.time_ns()  # before the stamp: see `settled`
        stamp = source.stamp(rel)
        # A file reported changed is read whatever its stamp says; what it reads is then kept
        # under that stamp, which the next build can trust again.
        suspected = isinstance(source, FolderSource) and memo.suspected(source.real(rel))
        kept = memo.unchanged(name, stamp, fast) if stamp is not None and not suspected else None
        if kept is not None:
            return kept[0], kept[1], stamp
    try:
        raw = source.read(rel)
    except Refused as exc:
        return None, [refusal_problem(name, exc)], None
    doc, problems = parse(name, raw)
    if memo is not None and stamp is not None:
        memo.stamped(name, stamp, fast, seen_ns, (doc, problems))
    return doc, problems, stamp


def refusal_problem(name: str, exc: Refused) -> Problem:
    """A refused read as a located problem: the file's own name, never its target or content."""
    return Problem(name, 0, 0, Severity.ERROR, exc.reason, hint=exc.hint, rule="file.refused")
