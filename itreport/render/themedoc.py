"""docs/theme.md's reference: every variable, type, filter and helper a template receives.

Generated from the view types themselves (the `Briefing` dataclass and what it holds, walked
through their type hints) and from the environment's filters, so the reference cannot drift:
a test regenerates it and compares. Run `python -m itreport.render.themedoc docs/theme.md` to
rewrite the generated part of that file after changing the view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import sys
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

BEGIN = "<!-- BEGIN GENERATED REFERENCE: python -m itreport.render.themedoc docs/theme.md -->"
END = "<!-- END GENERATED REFERENCE -->"

# The variables `render_html` puts beside `view`; a test checks this list against the real context.
CONTEXT: dict[str, str] = {
    "view": "The edition's data: a [`Briefing`](#briefing). Everything else is derived from it.",
    "lang": "Language code of the division's locale (`en`, `sv`), for `<html lang>`.",
    "period_label": "The reporting period as shown on the cover (`October 2026`).",
    "unit_k": "Caption unit for tables in thousands (`kSEK`).",
    "footer_text": "The running footer: classification, as-of date and commit.",
    "page_counter": "CSS `content` value for 'Page N of M' in the edition's language.",
    "counts": "Live projects by computed colour: `green`, `amber`, `red`, `grey` and `live`.",
    "dimensions": "The status dimensions in table order (`overall`, `schedule`, ...).",
    "trends": "Change marks against the last briefing, by figure (empty without a baseline).",
    "charts": "The edition's SVG charts by name (`cumulative`, `portfolio_rag`, ...): "
    "`{{ charts.cumulative }}`.",
    "finance_tables": "Finance tables as (caption, rows, total, label column heading).",
    "objective_rows": "Project spend by objective (rows rounded so they add up to the total).",
    "objective_total": "The total row of `objective_rows`.",
    "class_rows": "Project spend by investment class (rounded to add up).",
    "class_total": "The total row of `class_rows`.",
    "roles": "Role titles by role id.",
    "change_groups": "The groups of 'Since the last briefing' as (title key, change kinds), in order; "
    "the same groups `itreport diff` prints.",
    "data_quality": "Data-quality notes this audience may read, as sentences in its language.",
    "scales": "The unit of each table and tile group (`scales.tiles`, `scales.category`, "
    "`scales.savings`, ...): `factor`, `places` and the printed `label`; use with the `amount`, "
    "`signed_amount` and `amount_unit` filters.",
    "saving_rows": "Every saving (dropped ones too) with `title`, `state`, `target` and `realised` in "
    "`scales.savings`, rounded to add up to `saving_total`.",
    "saving_total": "The total row of `saving_rows`.",
    "side_by_side": "True when the savings and revenue tables are short enough to stand side by side "
    "(a flex row cannot break across pages); otherwise they are printed one after the other.",
    "full_year_label": "The fiscal year's name: `Full year 2026`, or `FY 2026/27` when it does not start "
    "in January.",
    "incomplete_items": "The budget lines and months without actuals, as one text for the "
    "'incomplete' note beside totals that lack them.",
}

GLOBALS: dict[str, str] = {
    "_": "`_('key', name=value)`: the text for a message key in the edition's language "
    "(`itreport/locale/*.yaml`). A key with plural forms (`key.one`, `key.other`) is chosen by "
    "`count=`, or by `plural=` when the number is passed already formatted: "
    '`_(\'days\', n=d|signed, plural=d)` gives "+1 day" or "+3 days".',
    "asset": "`asset('path')`: a file of the override folder or the default theme as a `data:` URI "
    "(images, fonts). Confined to those folders; works in the HTML and the PDF alike.",
}

_LEAF_NAMES: dict[Any, str] = {
    str: "text",
    int: "whole number",
    float: "number",
    Decimal: "decimal",
    bool: "yes/no",
    dt.date: "date",
    type(None): "none",
    Any: "any value",
    object: "any value",
}


def _hints(obj: Any) -> dict[str, Any]:
    module = sys.modules.get(getattr(obj, "__module__", ""), None)
    try:
        return typing.get_type_hints(obj, globalns=vars(module) if module else None)
    except Exception:
        return dict(getattr(obj, "__annotations__", {}))


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and ((dataclasses.is_dataclass(tp)) or issubclass(tp, BaseModel))


def fields_of(cls: type) -> list[tuple[str, Any]]:
    """Public fields, then computed properties, as templates see them (see `plain`)."""
    hints = _hints(cls)
    if issubclass(cls, BaseModel):
        names = [n for n in cls.model_fields]
    else:
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    out = [(n, hints.get(n, Any)) for n in names if not n.startswith("_")]
    seen = {n for n, _ in out}
    for klass in cls.__mro__:
        if klass in (object, BaseModel) or klass.__module__.startswith("pydantic"):
            continue
        for name, member in vars(klass).items():
            if (
                isinstance(member, property)
                and name not in seen
                and name != "source"
                and not name.startswith("_")
            ):
                ret = _hints(member.fget).get("return", Any) if member.fget else Any
                out.append((name, ret))
                seen.add(name)
    return out


def describe(tp: Any, found: dict[str, type]) -> str:
    """A type as a reader of templates needs it; records are linked and collected in `found`."""
    if isinstance(tp, str):
        return tp
    if tp in _LEAF_NAMES:
        return _LEAF_NAMES[tp]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        text = " or ".join(describe(a, found) for a in real)
        return f"{text} or none" if len(real) < len(args) else text
    if origin in (tuple, list, set, frozenset):
        items = [a for a in args if a is not Ellipsis]
        if origin is tuple and len(items) > 1 and Ellipsis not in args:
            return "(" + ", ".join(describe(a, found) for a in items) + ")"
        return f"list of {describe(items[0], found)}" if items else "list"
    if origin in (dict, Mapping) or origin is typing.get_origin(Mapping[str, str]):
        if len(args) == 2:
            return f"mapping of {describe(args[0], found)} → {describe(args[1], found)}"
        return "mapping"
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if isinstance(tp, type) and issubclass(tp, Enum):
        values = ", ".join(f"`{m.value}`" for m in tp)
        return f"choice (`.value` is one of {values})"
    if _is_record(tp):
        found.setdefault(tp.__name__, tp)
        return f"[`{tp.__name__}`](#{tp.__name__.lower()})"
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _summary(obj: Any) -> str:
    """The first paragraph of an object's own docstring (not one inherited from a base class)."""
    own = vars(obj).get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    doc = inspect.cleandoc(own) if isinstance(own, str) else ""
    return doc.split("\n\n")[0].replace("\n", " ")


def type_sections(root: type) -> list[str]:
    found: dict[str, type] = {root.__name__: root}
    done: set[str] = set()
    lines: list[str] = []
    while len(done) < len(found):
        name = next(n for n in found if n not in done)
        done.add(name)
        cls = found[name]
        rows = [(field, describe(tp, found)) for field, tp in fields_of(cls)]
        lines += [f"### `{name}`", ""]
        summary = _summary(cls)
        if summary and not summary.startswith(f"{name}("):
            lines += [summary, ""]
        lines += ["| Field | Type |", "|-------|------|"]
        lines += [f"| `{field}` | {text} |" for field, text in rows]
        lines.append("")
    return lines


OUR_FILTERS: dict[str, str] = {
    "number": "`x|number(places)`: a number in the edition's locale (`1,234.5`, `1 234,5`).",
    "signed": "`x|signed(places)`: the same with its sign (`+12`, `−3`); zero has none.",
    "signed_kilo": "An amount in thousands with its sign, for variance columns.",
    "signed_mega": "An amount in millions with its sign and unit: '+1.5 MSEK'.",
    "date": "`d|date('long')`: a date in the edition's language ('31 October 2026').",
    "short_date": "A date for table cells ('31 Oct 26').",
    "month": "`'2026-10'|month`: a month's name in the edition's language.",
    "markdown": "Narrative Markdown → sanitised HTML, with cited figures filled in.",
    "inline_markdown": "The same for one line (no paragraph).",
    "plain": "Narrative text with cited figures filled in, without Markdown.",
    "css_string": "A value as a quoted CSS string, control characters removed (running headers).",
    "cause": "Why a project's dimension is not green (`h.reasons[d]`), in the edition's language: "
    "`+31 days against baseline`, or the manager's own comment as written.",
}


def filter_rows() -> list[tuple[str, str]]:
    """Every filter the real environment has: ours with their purpose, then Jinja's built-ins."""
    from itreport.render.env import make_env
    from itreport.render.formatting import Formatter
    from itreport.render.i18n import Translator

    fmt = Formatter("en_GB", "EUR")
    env = make_env(fmt, Translator("en_GB"), None)
    ours = {name: _summary(fn) for name, fn in fmt.filters().items()}
    ours = {name: text for name, text in ours.items() if text} | OUR_FILTERS
    names = sorted(n for n in env.filters if not n.startswith("itreport_"))
    rows = [(n, ours[n]) for n in names if n in ours]
    rows += [(n, "Jinja's built-in filter (allowed in the sandbox).") for n in names if n not in ours]
    return rows


def reference() -> str:
    from itreport.edition import Briefing

    lines = [BEGIN, "", "## Variables", "", "| Name | What it holds |", "|------|---------------|"]
    lines += [f"| `{name}` | {text} |" for name, text in CONTEXT.items()]
    lines += ["", "## Helpers", "", "| Name | What it does |", "|------|--------------|"]
    lines += [f"| `{name}` | {text} |" for name, text in GLOBALS.items()]
    lines += ["", "## Filters", "", "| Filter | What it does |", "|--------|--------------|"]
    lines += [f"| `{name}` | {text or '–'} |" for name, text in filter_rows()]
    lines += ["", "## Types", "", "Every value is plain, read-only data. A choice prints as its value.", ""]
    lines += type_sections(Briefing)
    lines.append(END)
    return "\n".join(lines) + "\n"


def rewrite(path: Path) -> bool:
    """Replace the generated part of `path`; returns True when it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END) + 1
    new = text[:start] + reference() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print("updated" if rewrite(Path(sys.argv[1])) else "unchanged", sys.argv[1])
