"""Shared building blocks of the content models: strict base class, ids, money, months, tiers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    Field(
        description="Identifier: lower-case letters, digits, '.', '_' or '-'; referenced from other files."
    ),
]
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN), Field(description="A month as YYYY-MM.")]
Money = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False, description="An amount in the division's currency, read exactly (never float)."
    ),
]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False, description="0 to 100.")]
Score = Annotated[int, Field(ge=1, le=5, description="1 (lowest) to 5 (highest).")]
Markdown = Annotated[str, Field(description="Markdown text (rendered and sanitised).")]


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

    model_config = ConfigDict(extra="forbid", validate_default=True, use_enum_values=False)

    _file: str = PrivateAttr(default="")
    _path: tuple[str | int, ...] = PrivateAttr(default=())

    @property
    def source(self) -> tuple[str, tuple[str | int, ...]]:
        return self._file, self._path


def _may_hold_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    return any(_may_hold_model(arg) for arg in get_args(annotation))


_MODEL_FIELDS: dict[type[Model], tuple[str, ...]] = {}


def _model_fields(cls: type[Model]) -> tuple[str, ...]:
    """The fields of a model that can hold other models (the only ones worth walking into)."""
    names = _MODEL_FIELDS.get(cls)
    if names is None:
        names = tuple(n for n, info in cls.model_fields.items() if _may_hold_model(info.annotation))
        _MODEL_FIELDS[cls] = names
    return names


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
