"""The Jinja environment: sandboxed, autoescaped, strict; user templates first, default theme after.

A project's own `templates/` folder overrides any default template by file name and can extend
the default one with `{% extends "default:base.html" %}` (the datasette pattern).
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator
from itreport.render.markdown import render_markdown
from itreport.render.theme import DEFAULT_THEME as DEFAULT_THEME  # re-exported


def theme_dirs(user_templates: Path | None) -> list[Path]:
    """Search path for templates and assets: the user's folder (if any, and not the default)."""
    dirs = []
    if user_templates is not None and user_templates.is_dir() and user_templates.resolve() != DEFAULT_THEME:
        dirs.append(user_templates.resolve())
    dirs.append(DEFAULT_THEME)
    return dirs


def css_string(value: object) -> Markup:
    """A value as a quoted CSS string (for running headers and footers built from data)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return Markup(f'"{text}"')


class AssetReader:
    """Embeds theme files (fonts, images) as data: URIs so the HTML fetches nothing."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = dirs

    def __call__(self, name: str) -> str:
        for base in self.dirs:
            path = (base / name).resolve()
            if base in path.parents and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or (
                    "font/woff" if path.suffix == ".woff" else "application/octet-stream"
                )
                return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
        raise TemplateNotFound(name)


def make_env(
    formatter: Formatter, translator: Translator, user_templates: Path | None
) -> ImmutableSandboxedEnvironment:
    dirs = theme_dirs(user_templates)
    default = FileSystemLoader(str(DEFAULT_THEME))
    loader = ChoiceLoader(
        [PrefixLoader({"default": default}, delimiter=":"), *(FileSystemLoader(str(d)) for d in dirs)]
    )
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formatter.filters())
    env.filters["markdown"] = render_markdown
    env.filters["inline_markdown"] = lambda text: render_markdown(text, inline=True)
    env.filters["css_string"] = css_string
    env.globals["_"] = translator
    env.globals["asset"] = AssetReader(dirs)
    return env
