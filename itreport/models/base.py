"""Shared building blocks of the content models: strict base class, ids, money, months, tiers."""

from __future__ import annotations

import re
import typing
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, get_args

from babel import Locale, UnknownLocaleError
from babel.numbers import is_currency
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints
from pydantic_core import PydanticCustomError

# --- Bounds (docs/content.md "Bounds"): every value a briefing can compute with stays in range, so
# what `validate` accepts, `build` can always format and do date arithmetic on.
MAX_AMOUNT = Decimal(10) ** 15
"""Amounts and measures lie strictly between -10^15 and 10^15 (exact in 28-digit Decimal sums)."""
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
"""Every date lies in this range; the cross-file window around `as_of` is narrower."""
DATE_WINDOW_YEARS = 50
"""Dates may lie at most this many years before or after `as_of` (checks/bounds.py)."""
MAX_DAYS = 3650
"""Day-count settings (horizons, staleness) reach at most ten years."""
MAX_LABEL = 200
MAX_TEXT = 2000
MAX_MARKDOWN = 5000
MAX_MARKDOWN_NESTING = 16
"""Quote and list levels (and two-space indents) in Markdown; python-markdown recurses per level."""
MAX_MARKDOWN_MARKUP = 100
"""'[' and '<' per Markdown field: python-markdown's link and tag patterns are quadratic in them."""


class _MoneyMark:
    """Marks a Decimal as an amount in the division's currency (see `is_money`)."""

    def __repr__(self) -> str:
        return "MONEY"


MONEY = _MoneyMark()

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    Field(
        description="Identifier: lower-case letters, digits, '.', '_' or '-'; referenced from other files."
    ),
]
MONTH_PATTERN = r"^(19|2[01])\d\d-(0[1-9]|1[0-2])$"
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN), Field(description="A month as YYYY-MM.")]
Money = Annotated[
    Decimal,
    MONEY,
    Field(
        allow_inf_nan=False,
        gt=-MAX_AMOUNT,
        lt=MAX_AMOUNT,
        description="An amount in the division's currency, read exactly (never float); "
        "at most as many decimals as the currency has.",
    ),
]
Measure = Annotated[
    Decimal,
    Field(allow_inf_nan=False, gt=-MAX_AMOUNT, lt=MAX_AMOUNT, decimal_places=6, description="A number."),
]
Percent = Annotated[
    Decimal, Field(ge=0, le=100, decimal_places=2, allow_inf_nan=False, description="0 to 100.")
]
Score = Annotated[int, Field(ge=1, le=5, description="1 (lowest) to 5 (highest).")]
Days = Annotated[int, Field(ge=1, le=MAX_DAYS, description=f"Days, 1 to {MAX_DAYS}.")]
Date = Annotated[
    date,
    Field(
        ge=DATE_MIN,
        le=DATE_MAX,
        json_schema_extra={"formatMinimum": DATE_MIN.isoformat(), "formatMaximum": DATE_MAX.isoformat()},
    ),
]
Label = Annotated[str, StringConstraints(max_length=MAX_LABEL)]
"""A name or title: one line on a page."""
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
"""A sentence or short paragraph of plain text."""
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")


def markdown_nesting(line: str) -> int:
    """How deeply a Markdown line nests: quote and list markers, plus two spaces of indent each."""
    expanded = line.expandtabs(4)
    depth = (len(expanded) - len(expanded.lstrip(" "))) // 2
    pos = 0
    while match := _CONTAINER.match(expanded, pos):
        depth += 1
        pos = match.end()
    return depth


def _markdown_limits(value: str) -> str:
    """Refuse Markdown that would take the renderer (python-markdown) too deep or too long."""
    for number, line in enumerate(value.splitlines(), start=1):
        if markdown_nesting(line) > MAX_MARKDOWN_NESTING:
            raise PydanticCustomError(
                "markdown_nesting",
                "Markdown nested more than {limit} levels deep (line {line} of the text)",
                {"limit": MAX_MARKDOWN_NESTING, "line": number},
            )
    for char, name in (("[", "links or '[' brackets"), ("<", "'<' characters")):
        if value.count(char) > MAX_MARKDOWN_MARKUP:
            raise PydanticCustomError(
                "markdown_markup",
                "Markdown with more than {limit} {name}",
                {"limit": MAX_MARKDOWN_MARKUP, "name": name},
            )
    return value


Markdown = Annotated[
    str,
    StringConstraints(max_length=MAX_MARKDOWN),
    AfterValidator(_markdown_limits),
    Field(description="Markdown text (rendered and sanitised)."),
]


def is_money(hint: Any) -> bool:
    """True when a type hint (with extras) is or contains `Money`."""
    if typing.get_origin(hint) is Annotated:
        return MONEY in hint.__metadata__ or is_money(typing.get_args(hint)[0])
    return any(is_money(arg) for arg in typing.get_args(hint))


def _known_locale(value: str) -> str:
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        raise PydanticCustomError("unknown_locale", "unknown locale {value}", {"value": value}) from None
    return value


def _known_currency(value: str) -> str:
    if not is_currency(value):
        raise PydanticCustomError("unknown_currency", "unknown currency {value}", {"value": value})
    return value


LocaleName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2}(_[A-Z]{2})?$"),
    AfterValidator(_known_locale),
    Field(description="A locale Babel knows, e.g. sv_SE or en_GB."),
]
Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    AfterValidator(_known_currency),
    Field(description="ISO 4217 code, e.g. SEK."),
]


class Tier(StrEnum):
    """Who may read a field that describes a person (see issue 4 and docs/content.md)."""

    INTERNAL = "internal"
    MANAGEMENT = "management"
    RESTRICTED = "restricted"


def tier(level: Tier) -> dict[str, Any]:
    """`json_schema_extra` marking a field's data tier; kept in the schema so editors show it."""
    return {"x-tier": level.value}


class RAG(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Model(BaseModel):
    """Base for every content model: unknown keys are errors; each instance knows where it was read."""

    model_config = ConfigDict(extra="forbid", validate_default=True, use_enum_values=False, frozen=True)

    _file: str = PrivateAttr(default="")
    _path: tuple[str | int, ...] = PrivateAttr(default=())

    @property
    def source(self) -> tuple[str, tuple[str | int, ...]]:
        return self._file, self._path


def _may_hold_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    return any(_may_hold_model(arg) for arg in get_args(annotation))


@cache
def _model_fields(cls: type[Model]) -> tuple[str, ...]:
    """The fields of a model that can hold other models (the only ones worth walking into)."""
    return tuple(n for n, info in cls.model_fields.items() if _may_hold_model(info.annotation))


def attach_sources(obj: Any, file: str, path: tuple[str | int, ...] = ()) -> None:
    """Record file and YAML path on every model instance so checks can point at the line.

    Only fields that can hold models are walked: a budget line's months of amounts cannot,
    and walking them was most of the time this took for a large division.
    """
    if isinstance(obj, Model):
        obj._file = file
        obj._path = path
        for name in _model_fields(type(obj)):
            attach_sources(getattr(obj, name), file, (*path, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            attach_sources(item, file, (*path, i))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            attach_sources(item, file, (*path, str(key)))


_MONTH_RE = re.compile(MONTH_PATTERN)


def month_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_start(month: str) -> date:
    y, m = month.split("-")
    return date(int(y), int(m), 1)


def add_months(month: str, n: int) -> str:
    y, m = (int(x) for x in month.split("-"))
    idx = y * 12 + (m - 1) + n
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def add_months_to_date(d: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    idx = d.year * 12 + (d.month - 1) + months
    year, month = divmod(idx, 12)
    month += 1
    # Clamp to the month's last day (e.g. 31 Jan + 1 month → 28/29 Feb).
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def fiscal_months(fiscal_year: int, start_month: int) -> list[str]:
    """The twelve months (YYYY-MM) of a fiscal year that starts in `start_month` of `fiscal_year`."""
    first = f"{fiscal_year:04d}-{start_month:02d}"
    return [add_months(first, i) for i in range(12)]


def fiscal_year_of(d: date, start_month: int) -> int:
    """The fiscal year (named by the calendar year it starts in) that contains `d`."""
    return d.year if d.month >= start_month else d.year - 1


def is_month(value: str) -> bool:
    return bool(_MONTH_RE.match(value))
