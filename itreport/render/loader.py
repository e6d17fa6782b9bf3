"""Templates and theme assets read through `Root`: nothing outside the theme folders is loaded.

Jinja's FileSystemLoader follows symbolic links wherever they point, so a `templates/` override
linked to a file outside the project would be rendered into the briefing. This loader resolves
every name inside its folder and refuses links out, pipes, devices and folders by name.

A compiled template is kept (by Jinja, within an environment that `itreport serve` keeps from
one rebuild to the next) only while the file is what it was when it was read: the same name
leading to the same file, with the same size, times and inode. Anything else (an edit, a
file swapped for a link, a folder on the way replaced) makes Jinja ask this loader again, which
reads and checks the file afresh. Which files exist is `listing`: an override added beside the
default theme gives another listing, and so another environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateError, TemplateNotFound
from jinja2.loaders import split_template_path

from itreport.source.confine import Refused, Root

MAX_TEMPLATE_BYTES = 1024 * 1024
"""A template larger than 1 MiB is refused: no theme needs more, and it bounds compile time."""


class TemplateRefused(TemplateError):
    """A template or asset exists but may not be read (link out, pipe, folder, unreadable)."""


def _shown(root: Root, rel: str) -> str:
    return str(Path(root.path) / rel)


Signature = tuple[object, ...]


def signature(root: Root, rel: str) -> Signature | None:
    """What a name in the root is now: where it leads (links resolved, confined), the name's own
    entry (a file swapped for a link differs) and the file it reaches; None when it cannot be read."""
    try:
        target = root.locate(rel)
        entry = os.lstat(os.path.join(root.real, rel))
        st = os.stat(target)
    except (Refused, OSError):
        return None
    return (
        target,
        entry.st_mode,
        entry.st_ino,
        st.st_dev,
        st.st_ino,
        st.st_mode,
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
    )


def listing(folder: Path | None) -> tuple[tuple[str, int], ...]:
    """The template names in a folder and the kind of each (file, link, pipe...): what decides
    which folder a name is loaded from."""
    if folder is None:
        return ()
    root = Root(folder, "templates folder")
    out = []
    for rel in root.files((".html", ".css", ".svg", ".txt")):
        try:
            mode = os.lstat(os.path.join(root.real, rel)).st_mode
        except OSError:
            mode = -1
        out.append((rel, mode))
    return tuple(out)


class ConfinedLoader(BaseLoader):
    """Loads templates from one folder, refusing anything that resolves outside it."""

    def __init__(self, folder: Path, what: str = "templates folder") -> None:
        self.root = Root(folder, what)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        rel = "/".join(split_template_path(template))  # '..' in a name is "not found"
        if not self.root.exists(rel):
            raise TemplateNotFound(template)
        shown = _shown(self.root, rel)
        # Taken before reading: a change during the read gives another signature later, so the
        # template is read again rather than kept.
        read_as = signature(self.root, rel)
        try:
            data = self.root.read(rel, MAX_TEMPLATE_BYTES)
        except Refused as exc:
            raise TemplateRefused(f"{shown}: {exc.reason}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateRefused(f"{shown}: is not valid UTF-8") from None

        def uptodate() -> bool:
            return read_as is not None and signature(self.root, rel) == read_as

        return text, shown, uptodate

    def list_templates(self) -> list[str]:
        return self.root.files((".html", ".css", ".svg", ".txt"))


def read_asset(dirs: list[Path], name: str) -> bytes:
    """A theme file (font, image) from the first folder that has it, confined to that folder."""
    rel = "/".join(split_template_path(name))
    for base in dirs:
        root = Root(base, "templates folder")
        if root.exists(rel):
            try:
                return root.read(rel)
            except Refused as exc:
                raise TemplateRefused(f"{_shown(root, rel)}: {exc.reason}") from None
    raise TemplateNotFound(name)
