"""The Jinja environment: sandboxed, autoescaped, strict; user templates first, default theme after.

A project's own `templates/` folder overrides any default template by file name and can extend
the default one with `{% extends "default:base.html" %}` (the datasette pattern). The sandbox's
allow-list and budgets live in `sandbox`; this module chooses what a template is given: the
built-in filters that cannot be made to allocate without limit, the formatting filters and the
helpers `_` and `asset`, each a plain function with nothing of its own to reach into.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, PrefixLoader, StrictUndefined
from jinja2.filters import FILTERS, make_attrgetter, sync_do_join
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup

from itreport.controls import css_string_body
from itreport.render.causes import cause_text
from itreport.render.cited import resolve
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator
from itreport.render.loader import ConfinedLoader, read_asset
from itreport.render.markdown import render_markdown
from itreport.render.sandbox import BudgetExceeded, Limits, Sandbox, default_limits
from itreport.render.theme import DEFAULT_THEME as DEFAULT_THEME  # re-exported

# Jinja's built-in filters a template keeps. Left out: `center`, `indent`, `wordwrap`, `format`,
# `tojson` (sizes from arguments), `pprint` (object internals), `random` (output must be
# deterministic). `join`, `replace`, `batch` and `slice` are replaced by measured versions below.
BUILTIN_FILTERS = frozenset(
    {
        *("abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape"),
        *("filesizeformat", "first", "float", "forceescape", "groupby", "int", "items", "last"),
        *("length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse", "round"),
        *("safe", "select", "selectattr", "sort", "string", "striptags", "sum", "title", "trim"),
        *("truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "xmlattr"),
    }
)


def theme_dirs(user_templates: Path | None) -> list[Path]:
    """Search path for templates and assets: the user's folder (if any, and not the default)."""
    dirs = []
    if user_templates is not None and user_templates.is_dir() and user_templates.resolve() != DEFAULT_THEME:
        dirs.append(user_templates.resolve())
    dirs.append(DEFAULT_THEME)
    return dirs


def css_string(value: object) -> Markup:
    """A value as a quoted CSS string (running headers and footers built from data).

    Control characters, quotes, backslashes and angle brackets are escaped (`controls`), so
    data can neither end the string nor the rule: a name cannot hide the DRAFT mark.
    """
    return Markup(f'"{css_string_body(str(value))}"')


def asset_reader(dirs: list[Path]) -> Callable[[str], str]:
    """`asset(name)`: a theme file (font, image) as a data: URI, so the HTML fetches nothing."""

    def asset(name: str) -> str:
        data = read_asset(dirs, name)
        fallback = "font/woff" if name.endswith(".woff") else "application/octet-stream"
        mime = mimetypes.guess_type(name)[0] or fallback
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    return asset


def translator_function(translator: Translator) -> Callable[..., str]:
    """`_('key', name=value)` as a plain function (the Translator object stays out of reach)."""

    def translate(key: str, **values: object) -> str:
        return translator(str(key), **values)

    return translate


def _plain(method: Callable[..., Any]) -> Callable[..., Any]:
    """A bound method as a plain function, so a template cannot reach the object behind it."""

    def filter_(*args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    filter_.__name__ = getattr(method, "__name__", "filter")
    return filter_


def measured_filters(env: Sandbox) -> dict[str, Callable[..., Any]]:
    """`join`, `replace`, `batch`, `slice` that refuse to build more than the budget allows."""
    budget = env.budget
    limits = budget.limits

    @pass_eval_context
    def join(ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: str | int | None = None) -> str:
        items = list(value)
        if attribute is not None:
            getter = make_attrgetter(ctx.environment, attribute)
            items = [getter(x) for x in items]
        size = sum(len(str(x)) for x in items) + len(str(d)) * max(len(items) - 1, 0)
        budget.need(size)
        return sync_do_join(ctx, items, d)

    @pass_eval_context
    def replace(ctx: EvalContext, s: str, old: str, new: str, count: int | None = None) -> str:
        text, old_s, new_s = str(s), str(old), str(new)
        hits = text.count(old_s) if old_s else len(text) + 1
        if count is not None and count >= 0:
            hits = min(hits, count)
        budget.need(len(text) + hits * max(len(new_s) - len(old_s), 0))
        return FILTERS["replace"](ctx, s, old, new, count)  # type: ignore[no-any-return]

    def batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Any:
        if not 0 < linecount <= limits.range:
            raise BudgetExceeded(f"batch() takes a size from 1 to {limits.range:,}")
        return FILTERS["batch"](value, linecount, fill_with)

    def slice_(value: Iterable[Any], slices: int, fill_with: Any = None) -> Any:
        if not 0 < slices <= limits.range:
            raise BudgetExceeded(f"slice() takes a count from 1 to {limits.range:,}")
        return FILTERS["slice"](value, slices, fill_with)

    return {"join": join, "replace": replace, "batch": batch, "slice": slice_}


def make_env(
    formatter: Formatter,
    translator: Translator,
    user_templates: Path | None,
    limits: Limits | None = None,
) -> Sandbox:
    dirs = theme_dirs(user_templates)
    default = ConfinedLoader(DEFAULT_THEME)
    loader = ChoiceLoader(
        [PrefixLoader({"default": default}, delimiter=":"), *(ConfinedLoader(d) for d in dirs)]
    )
    env = Sandbox(
        limits or default_limits(),
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    guard = env.filters["itreport_guard"]
    env.filters.clear()
    env.filters.update({name: FILTERS[name] for name in BUILTIN_FILTERS})
    env.filters.update(measured_filters(env))
    env.filters.update({name: _plain(f) for name, f in formatter.filters().items()})
    env.filters["markdown"] = lambda text: render_markdown(resolve(text, formatter, translator))
    env.filters["inline_markdown"] = lambda text: render_markdown(
        resolve(text, formatter, translator), inline=True
    )
    env.filters["plain"] = lambda text: resolve(text, formatter, translator, markdown=False)
    env.filters["css_string"] = css_string
    env.filters["cause"] = lambda reason: cause_text(reason, formatter, translator)
    env.filters["itreport_guard"] = guard
    env.register("_", translator_function(translator))
    env.register("asset", asset_reader(dirs))
    return env
