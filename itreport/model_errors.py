"""Turn pydantic validation errors into located, human `Problem`s.

Pydantic reports a `loc` path into the data; the loader kept a position for each path, so every
error points at the exact line and column. Wording lives in `_MESSAGES` (one entry per pydantic
error type) so it can be reviewed in one place, as rendercv does with its error dictionary.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel import localedata
from babel.numbers import list_currencies
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from itreport.load import Document, PathKey
from itreport.models.base import DATE_MAX, DATE_MIN, ID_PATTERN, MAX_AMOUNT, MONTH_PATTERN
from itreport.problems import Problem, Severity, did_you_mean


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional around a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def type_at(model: type[BaseModel], path: PathKey) -> Any:
    """The declared type at a data path inside `model` (None if the path leaves the model)."""
    tp: Any = model
    for step in path:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(step, str):
            field = tp.model_fields.get(step)
            if field is None:
                return None
            tp = field.annotation
        elif origin is list and isinstance(step, int):
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    return _unwrap(tp)


def allowed_keys(model: type[BaseModel], path: PathKey) -> list[str]:
    tp = type_at(model, path)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _data_path(data: Any, loc: tuple[int | str, ...]) -> tuple[PathKey, bool]:
    """Keep the loc elements that index into the data (drop union tags); flag '[key]' errors."""
    path: list[str | int] = []
    node = data
    is_key = False
    for step in loc:
        if step == "[key]":
            is_key = True
            continue
        if isinstance(node, dict) and isinstance(step, str):
            # A key that is absent (missing or unknown) is kept for the message; we stop descending.
            node = node.get(step)
            path.append(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            path.append(step)
    return tuple(path), is_key


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _pattern_text(err: ErrorDetails) -> tuple[str, str]:
    pattern = (err.get("ctx") or {}).get("pattern", "")
    value = err["input"]
    if pattern == ID_PATTERN:
        return (
            f"{_shown(value)} is not a valid id",
            "ids use lower-case letters, digits, '.', '_' and '-', e.g. 'erp-upgrade'",
        )
    if pattern == MONTH_PATTERN:
        return f"{_shown(value)} is not a month", "write months as YYYY-MM, e.g. 2026-03"
    return f"{_shown(value)} does not have the expected form", f"expected text matching {pattern}"


def is_date_text(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", value))


Msg = Callable[[ErrorDetails, str], tuple[str, str]]


def _ctx(err: ErrorDetails, key: str) -> Any:
    return (err.get("ctx") or {}).get(key)


def _not_mapping(e: ErrorDetails, f: str) -> tuple[str, str]:
    return (
        f"{f} must be a mapping of keys to values, got {_shown(e['input'])}",
        "write 'key: value' pairs, one per line, indented under this key",
    )


def _not_whole(e: ErrorDetails, f: str) -> tuple[str, str]:
    return f"{_shown(e['input'])} is not a whole number", "write a whole number, e.g. 3"


def _limit(value: Any) -> str:
    """A bound as readers write it: 10^15 rather than 1000000000000000."""
    if isinstance(value, Decimal | int) and abs(value) == MAX_AMOUNT:
        return ("-" if value < 0 else "") + "10^15"
    return str(value)


def _bound_hint(e: ErrorDetails) -> str:
    ctx = e.get("ctx") or {}
    if any(abs(v) == MAX_AMOUNT for v in ctx.values() if isinstance(v, Decimal | int)):
        return "amounts lie between -10^15 and 10^15; check for a typo or a missing decimal point"
    if any(isinstance(v, str) and is_date_text(v) for v in ctx.values()):
        return f"dates lie between {DATE_MIN} and {DATE_MAX}; check the year"
    return ""


def _at_least(e: ErrorDetails, f: str) -> tuple[str, str]:
    return f"{f} must be at least {_limit(_ctx(e, 'ge'))}, got {_shown(e['input'])}", _bound_hint(e)


def _above(e: ErrorDetails, f: str) -> tuple[str, str]:
    return f"{f} must be more than {_limit(_ctx(e, 'gt'))}, got {_shown(e['input'])}", _bound_hint(e)


def _at_most(e: ErrorDetails, f: str) -> tuple[str, str]:
    return f"{f} must be at most {_limit(_ctx(e, 'le'))}, got {_shown(e['input'])}", _bound_hint(e)


def _below(e: ErrorDetails, f: str) -> tuple[str, str]:
    return f"{f} must be less than {_limit(_ctx(e, 'lt'))}, got {_shown(e['input'])}", _bound_hint(e)


def _locales() -> list[str]:
    return localedata.locale_identifiers()


_MESSAGES: dict[str, Msg] = {
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), _not_mapping),
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float"), _not_whole),
    "enum": lambda e, f: (
        f"{_shown(e['input'])} is not a valid {f}",
        f"use one of: {_ctx(e, 'expected')}",
    ),
    "date_from_datetime_parsing": lambda e, f: (
        f"{_shown(e['input'])} is not a valid date ({_ctx(e, 'error')})",
        "write dates as YYYY-MM-DD and check that the day exists in that month",
    ),
    "date_parsing": lambda e, f: (
        f"{_shown(e['input'])} is not a valid date ({_ctx(e, 'error')})",
        "write dates as YYYY-MM-DD",
    ),
    "date_type": lambda e, f: (f"{_shown(e['input'])} is not a date", "write dates as YYYY-MM-DD"),
    "date_from_datetime_inexact": lambda e, f: (
        f"{_shown(e['input'])} has a time of day where a date is expected",
        "write dates as YYYY-MM-DD",
    ),
    "decimal_parsing": lambda e, f: (
        f"{_shown(e['input'])} is not a number",
        "write amounts as plain numbers, e.g. 125000 or 1250.50 (no currency, spaces or separators)",
    ),
    "decimal_type": lambda e, f: (
        f"{_shown(e['input'])} is not a number",
        "write a plain number, e.g. 125000",
    ),
    "finite_number": lambda e, f: (f"{_shown(e['input'])} is not a finite number", "write a plain number"),
    "bool_parsing": lambda e, f: (f"{_shown(e['input'])} is not true or false", "write true or false"),
    "bool_type": lambda e, f: (f"{_shown(e['input'])} is not true or false", "write true or false"),
    "string_type": lambda e, f: (
        f"expected text, got {_shown(e['input'])}",
        "put the value in quotes if it should be read as text",
    ),
    "string_pattern_mismatch": lambda e, f: _pattern_text(e),
    "string_too_short": lambda e, f: (f"{f} must not be empty", "fill in a value"),
    "list_type": lambda e, f: (
        f"{f} must be a list, got {_shown(e['input'])}",
        "write one item per line, each starting with '- '",
    ),
    "greater_than_equal": _at_least,
    "less_than_equal": _at_most,
    "less_than": _below,
    "greater_than": _above,
    "decimal_max_places": lambda e, f: (
        f"{f} has more than {_ctx(e, 'decimal_places')} decimals, got {_shown(e['input'])}",
        f"round it to {_ctx(e, 'decimal_places')} decimals",
    ),
    "string_too_long": lambda e, f: (
        f"{f} is too long ({len(str(e['input']))} characters; at most {_ctx(e, 'max_length')})",
        "shorten it; longer text belongs in a Markdown field such as a summary or description",
    ),
    "markdown_nesting": lambda e, f: (
        f"{f}: {e['msg']}",
        "flatten the quotes or lists; a briefing reads best with one or two levels",
    ),
    "markdown_markup": lambda e, f: (
        f"{f}: {e['msg']}",
        "shorten the text or move the links to a specification document",
    ),
    "unknown_locale": lambda e, f: (
        f"unknown locale {_shown(e['input'])}{did_you_mean(str(e['input']), _locales())}",
        "use a language and country code that Babel knows, e.g. en_GB, sv_SE or de_DE",
    ),
    "unknown_currency": lambda e, f: (
        f"unknown currency {_shown(e['input'])}{did_you_mean(str(e['input']), list_currencies())}",
        "use an ISO 4217 currency code, e.g. SEK, EUR or USD",
    ),
    "output_name": lambda e, f: (
        f"{f} {_shown(e['input'])}: {_ctx(e, 'reason')}",
        "use letters, digits, '.', '-' and '_', and the placeholders {id}, {period} and {as_of}",
    ),
    "too_long": lambda e, f: (
        f"{f} has too many items (at most {_ctx(e, 'max_length')})",
        "keep the strongest ones; a briefing reader remembers three to five",
    ),
}


def problems_from_validation(exc: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        path, is_key = _data_path(doc.data, err["loc"])
        kind = err["type"]
        field = str(next((p for p in reversed(path) if isinstance(p, str)), "value"))
        if kind == "extra_forbidden":
            pos = doc.position(path, key=True)
            allowed = allowed_keys(model, path[:-1])
            message = f"unknown key '{path[-1]}'{did_you_mean(str(path[-1]), allowed)}"
            hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "remove this key"
            rule = "model.unknown-key"
        elif kind == "missing":
            parent = path[:-1]
            pos = doc.position(parent)
            message = f"missing required key '{path[-1]}'"
            hint = f"add '{path[-1]}: …' to this entry"
            rule = "model.missing"
        else:
            pos = doc.position(path, key=is_key)
            maker = _MESSAGES.get(kind)
            if maker is not None:
                message, hint = maker(err, field)
            else:
                message, hint = f"{field}: {err['msg']}", ""
            if is_key:
                message = f"key {message}"
            rule = f"model.{kind}"
        if not path and kind in ("model_type", "model_attributes_type", "dict_type"):
            message = "the file must hold a mapping of keys to values" + (
                " but is empty" if doc.data is None else ""
            )
            hint = f"expected keys: {', '.join(model.model_fields)}"
        out.append(
            Problem(
                doc.name, pos.line, pos.col, Severity.ERROR, message, hint=hint, width=pos.width, rule=rule
            )
        )
    return out
