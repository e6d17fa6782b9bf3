"""Nothing redone: fingerprints of a build's inputs, and what they produced.

Two records per output folder, as JSON (never pickle), kept in the user's cache folder
(`ITREPORT_CACHE`, else `$XDG_CACHE_HOME/itreport`, else `~/.cache/itreport`), not in the
output folder: that folder is handed to readers, and the report of a build names people in
its warnings.

- `editions.json`: per edition, a hash of everything its files are made from (its
  view of the data, the templates, the theme, the code, the formats) and the files it made.
  An edition whose hash is unchanged and whose files are still there, byte for byte, is not
  rendered again: a change to one project re-renders only the editions that show it. The
  seconds its PDF layout took are kept too, so the next build starts the longest layout first.
- `build.json`: a hash of every input of the whole build (content and private files,
  templates, theme, code, options, the git commit, work-tree status and briefing tags) and
  what the build printed. When nothing changed, `itreport build` prints the same report and
  stops before importing anything heavy: no validation, no rendering, no WeasyPrint.

A record that is missing, unreadable or from another version is simply a miss. This module uses
the standard library only, so the check costs milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from itreport.publish.stage import atomic_write
from itreport.render.theme import DEFAULT_THEME

VERSION = 1
EDITIONS_RECORD = "editions.json"
BUILD_RECORD = "build.json"
PACKAGE = Path(__file__).resolve().parent
# Libraries whose version can change the bytes of an output.
RENDER_LIBRARIES = ("weasyprint", "jinja2", "markdown", "nh3", "babel", "pydyf", "fonttools", "pyyaml")


def _walk(root: Path, suffixes: tuple[str, ...] | None) -> Iterable[tuple[str, Path]]:
    """(relative name, path) of files below `root`, sorted; symbolic links are not followed."""
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            # `x.YAML` counts too: the build warns about it, so it must not look unchanged.
            if suffixes is None or name.rstrip().lower().endswith(suffixes):
                path = Path(folder) / name
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def folder_digest(root: Path | None, suffixes: tuple[str, ...] | None = None) -> str:
    """Hash of the names and bytes of the files in a folder (a link counts as its target's name)."""
    h = hashlib.sha256()
    if root is None:
        return "none"
    if not root.is_dir():
        return "missing"
    for rel, path in _walk(root, suffixes):
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        try:
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                h.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(info.st_mode):
                h.update(hashlib.sha256(path.read_bytes()).digest())
            else:  # a pipe or device is never opened (a pipe would block); the build refuses it
                h.update(f"special:{stat.S_IFMT(info.st_mode)}".encode())
        except OSError as exc:
            h.update(f"unreadable:{exc.errno}".encode())
        h.update(b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of itreport's own code and catalogues, the default theme and the rendering libraries."""
    h = hashlib.sha256(f"v{VERSION}".encode())
    h.update(folder_digest(PACKAGE, (".py", ".yaml")).encode())
    h.update(folder_digest(DEFAULT_THEME).encode())
    h.update(";".join(installed_versions(RENDER_LIBRARIES)).encode())
    return h.hexdigest()


def installed_versions(names: Iterable[str]) -> list[str]:
    """`name-version` of each installed distribution, from the names of its `.dist-info` folders.

    Reading folder names is milliseconds; importing `importlib.metadata` alone took a third of
    the time a build with nothing changed may take.
    """
    wanted = {n.lower().replace("-", "_") for n in names}
    found: set[str] = set()
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in listing:
            if folder.endswith(".dist-info"):
                name, _, version = folder[: -len(".dist-info")].partition("-")
                if name.lower().replace("-", "_") in wanted:
                    found.add(f"{name.lower()}-{version}")
    return sorted(found)


def _git(cwd: Path, *args: str) -> str:
    try:
        res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError:
        return "no git"
    return f"{res.returncode}:" + res.stdout.decode("utf-8", "replace")


def git_state(content: Path, watched: Sequence[Path], since: str | None) -> str:
    """The commit, the status of the watched folders and the briefing tags: what a build's
    provenance (commit, DRAFT) and baseline ("since the last briefing") are read from."""
    paths = [str(p.resolve()) for p in watched if p.exists()]
    parts = [
        _git(content, "status", "--porcelain=v2", "--branch", "--untracked-files=all", "--", *paths),
        _git(content, "for-each-ref", "--format=%(refname) %(objectname)", "refs/tags/briefing/"),
    ]
    if since:
        parts.append(_git(content, "rev-parse", "--verify", "-q", f"{since}^{{commit}}"))
    return "\n".join(parts)


def cache_folder(out: Path) -> Path:
    """Where the records for one output folder are kept (one folder per output path)."""
    base = os.environ.get("ITREPORT_CACHE") or ""
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(xdg) / "itreport")
    name = hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return Path(base) / "builds" / name


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file (never a link, pipe or device), or None."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps({**data, "version": VERSION}, indent=1, sort_keys=True, ensure_ascii=False)
    atomic_write(path, (text + "\n").encode("utf-8"))


def files_intact(out: Path, files: dict[str, str]) -> bool:
    """Every recorded output is still in place with the recorded bytes."""
    return all(
        "/" not in name and name not in ("", ".", "..") and file_digest(out / name) == digest
        for name, digest in files.items()
    )


# --- Per edition ------------------------------------------------------------------------------------


def renderer_fingerprint(templates: Path | None) -> str:
    """Hash of what renders every edition of a build: the code, the default theme, the rendering
    libraries and the template overrides. Computed once per build and handed to each edition."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(folder_digest(templates).encode())
    return h.hexdigest()


def edition_key(view_digest: str, renderer: str, formats: Sequence[str]) -> str:
    """Hash of an edition's inputs: its view (`itreport.viewdigest`), the renderer
    (`renderer_fingerprint`) and the formats."""
    h = hashlib.sha256(renderer.encode())
    h.update(repr(tuple(formats)).encode())
    h.update(view_digest.encode())
    return h.hexdigest()


class EditionRecords:
    """The editions made by earlier builds into one output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.record = cache_folder(out) / EDITIONS_RECORD
        self.entries: dict[str, Any] = _read(self.record).get("editions", {})

    def unchanged(self, edition: str, key: str) -> dict[str, Any] | None:
        """The record of an edition made from the same inputs whose files are intact, if any."""
        entry = self.entries.get(edition)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        files = entry.get("files")
        if not isinstance(files, dict) or not files_intact(self.out, files):
            return None
        return entry

    def earlier_pdf(self, edition: str, name: str) -> tuple[str, Path, str] | None:
        """(PDF source key, path, SHA-256) of the PDF an earlier build made for this edition."""
        entry = self.entries.get(edition)
        if not isinstance(entry, dict):
            return None
        source, digest = entry.get("pdf_source"), entry.get("files", {}).get(name)
        if not isinstance(source, str) or not isinstance(digest, str):
            return None
        return source, self.out / name, digest

    def pdf_seconds(self, edition: str) -> float | None:
        """Seconds the edition's PDF layout took last time (to lay out the longest first)."""
        entry = self.entries.get(edition)
        seconds = entry.get("pdf_seconds") if isinstance(entry, dict) else None
        if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and 0 <= seconds < 1e6:
            return float(seconds)
        return None

    def remember(
        self,
        edition: str,
        key: str,
        files: dict[str, str],
        warnings: Sequence[str],
        pdf_source: str,
        pdf_seconds: float | None = None,
    ) -> None:
        self.entries[edition] = {
            "key": key,
            "files": files,
            "warnings": list(warnings),
            "pdf_source": pdf_source,
            "pdf_seconds": pdf_seconds,
        }

    def save(self) -> None:
        _write(self.record, {"editions": self.entries})


# --- The whole build -----------------------------------------------------------------------------


def build_key(
    options: dict[str, Any], content: Path, private: Path | None, templates: Path | None, since: str | None
) -> str:
    """Hash of every input of a build, computed without loading anything."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    h.update(folder_digest(content, (".yaml", ".yml")).encode())
    h.update(folder_digest(private, (".yaml", ".yml")).encode())
    h.update(folder_digest(templates).encode())
    h.update(git_state(content, [content, *([templates] if templates else [])], since).encode())
    return h.hexdigest()


def previous_build(out: Path, key: str) -> list[tuple[bool, str]] | None:
    """What the last build printed, if it was made from exactly these inputs and its files are
    intact; the lines are (to standard error, text)."""
    record = _read(cache_folder(out) / BUILD_RECORD)
    files = record.get("files")
    lines = record.get("lines")
    if record.get("key") != key or not isinstance(files, dict) or not isinstance(lines, list):
        return None
    if not files_intact(out, files):
        return None
    return [(bool(err), str(text)) for err, text in lines]


def remember_build(out: Path, key: str, files: Sequence[Path], lines: Sequence[tuple[bool, str]]) -> None:
    digests = {p.name: file_digest(p) for p in files}
    if any(d is None for d in digests.values()):
        return
    _write(
        cache_folder(out) / BUILD_RECORD,
        {"key": key, "files": digests, "lines": [list(line) for line in lines]},
    )
