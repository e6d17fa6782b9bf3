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
