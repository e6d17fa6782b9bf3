"""Templates and theme assets read through `Root`: nothing outside the theme folders is loaded.

Jinja's FileSystemLoader follows symbolic links wherever they point, so a `templates/` override
linked to a file outside the project would be rendered into the briefing. This loader resolves
every name inside its folder and refuses links out, pipes, devices and folders by name.
"""

from __future__ import annotations

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


class ConfinedLoader(BaseLoader):
    """Loads templates from one folder, refusing anything that resolves outside it."""

    def __init__(self, folder: Path, what: str = "templates folder") -> None:
        self.root = Root(folder, what)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        rel = "/".join(split_template_path(template))  # '..' in a name is "not found"
        if not self.root.exists(rel):
            raise TemplateNotFound(template)
        shown = _shown(self.root, rel)
        try:
            data = self.root.read(rel, MAX_TEMPLATE_BYTES)
        except Refused as exc:
            raise TemplateRefused(f"{shown}: {exc.reason}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateRefused(f"{shown}: is not valid UTF-8") from None
        return text, shown, lambda: True

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
