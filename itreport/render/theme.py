"""Where the default theme lives: inside the installed package, or in the repository it came from.

A wheel maps the repository's top-level `templates/` folder to the package folder `itreport/theme`
(see setup.py). An editable install or a plain checkout has no such folder and reads `templates/`
directly, so the repository stays the theme's single source.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def find_default_theme(package: Path = _PACKAGE) -> Path:
    """The packaged theme when installed from a wheel, else the repository's `templates/`."""
    installed = package / "theme"
    if (installed / "base.html").is_file():
        return installed
    return package.parent / "templates"


DEFAULT_THEME = find_default_theme()


class ThemeError(Exception):
    """A theme command cannot be carried out as asked (unknown template, file exists...)."""


def default_templates(theme: Path = DEFAULT_THEME) -> list[str]:
    """The default theme's templates and stylesheets, as names an override folder uses."""
    return sorted(
        p.relative_to(theme).as_posix()
        for p in theme.rglob("*")
        if p.suffix in (".html", ".css") and p.is_file() and not p.is_symlink()
    )


def blocks_of(name: str, theme: Path = DEFAULT_THEME) -> list[str]:
    """The named blocks a template offers to an override that extends it."""
    from jinja2 import Environment, nodes

    source = (theme / name).read_text(encoding="utf-8")
    return [block.name for block in Environment().parse(source).find_all(nodes.Block)]


def eject(name: str, folder: Path, theme: Path = DEFAULT_THEME) -> Path:
    """Copy one default template into the override folder, to start an override from it."""
    if name not in default_templates(theme):
        raise ThemeError(f"'{name}' is not a default template; `itreport theme list` shows them")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ThemeError(f"'{folder}' is not a folder")
    target = folder / name
    for parent in [target, *target.parents]:
        if parent == folder.parent:
            break
        if parent.is_symlink():
            raise ThemeError(f"'{parent}' is a link; an ejected template is never written through one")
    if target.exists():
        raise ThemeError(f"'{target}' exists already; edit it, or remove it to start again")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((theme / name).read_text(encoding="utf-8"), encoding="utf-8")
    return target
