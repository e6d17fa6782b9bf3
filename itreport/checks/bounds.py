"""Bounds that depend on other files: dates near `as_of`, amounts in the currency's minor unit.

The models already hold every value to fixed limits (docs/content.md "Bounds"); the two rules here
need the division: how many decimals its currency has, and which day is "today". Both walk every
field of every entity by its declared type, so a new date or amount field is covered without a
change here.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from babel.numbers import get_currency_precision

from itreport.checks import Checker
from itreport.models.base import DATE_WINDOW_YEARS, Model, add_months_to_date, is_money
from itreport.models.people import RESTRICTED_FIELDS, Person

Keys = tuple[str | int, ...]


@cache
def _hints(model: type[Model]) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


def leaves(entity: Model) -> Iterator[tuple[Model, Keys, Any, Any]]:
    """(owning entity, keys below it, declared type, value) for every non-model value in an entity."""
    hints = _hints(type(entity))
    for name in type(entity).model_fields:
        value = getattr(entity, name)
        yield from _below(entity, (name,), hints[name], value)


def _below(owner: Model, keys: Keys, hint: Any, value: Any) -> Iterator[tuple[Model, Keys, Any, Any]]:
    if isinstance(value, Model):
        yield from leaves(value)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _below(owner, (*keys, i), _item_hint(hint, 0), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _below(owner, (*keys, key), _item_hint(hint, 1), item)
    elif value is not None:
        yield owner, keys, hint, value


def _item_hint(hint: Any, index: int) -> Any:
    """The element type of a list (index 0) or the value type of a dict (index 1)."""
    for arg in (hint, *typing.get_args(hint)):
        origin = typing.get_origin(arg)
        if origin in (list, dict):
            args = typing.get_args(arg)
            return args[min(index, len(args) - 1)]
    return hint


def entities(ctx: Checker) -> Iterator[Model]:
    """Every top-level entity whose fields were read from a file."""
    c = ctx.content
    yield c.division
    yield from c.teams
    yield from c.roles
    yield from c.certifications
    yield from c.programmes
    yield from c.positions
    yield from c.projects
    yield from c.budgets
    yield c.strategy
    if c.narrative is not None:
        yield c.narrative
    yield from c.editions
    yield from c.people
    # Restricted fields merged from the private folder are located in the private file.
    yield from c.private_sources.values()


def _skip(owner: Model, keys: Keys, ctx: Checker) -> bool:
    """Restricted fields of a person with a private record are checked in the private file."""
    return (
        isinstance(owner, Person)
        and owner.id in ctx.content.private_sources
        and bool(keys)
        and keys[0] in RESTRICTED_FIELDS
    )


def check(ctx: Checker) -> None:
    div = ctx.content.division
    earliest = add_months_to_date(div.as_of, -12 * DATE_WINDOW_YEARS)
    latest = add_months_to_date(div.as_of, 12 * DATE_WINDOW_YEARS)
    places = get_currency_precision(div.currency)
    for entity in entities(ctx):
        for owner, keys, hint, value in leaves(entity):
            if _skip(owner, keys, ctx):
                continue
            if isinstance(value, date) and not earliest <= value <= latest:
                ctx.error(
                    owner,
                    *keys,
                    message=f"{_name(keys)} {value} is more than {DATE_WINDOW_YEARS} years "
                    f"{'before' if value < earliest else 'after'} as_of ({div.as_of})",
                    hint=f"dates lie between {earliest} and {latest}; check the year",
                    rule="bounds.date-window",
                )
            elif isinstance(value, Decimal) and is_money(hint):
                _check_places(ctx, owner, keys, value, places, div.currency)


def _name(keys: Keys) -> str:
    return str(next((k for k in reversed(keys) if isinstance(k, str)), "date"))


def decimals(value: Decimal) -> int:
    """How many decimals the amount was written with (250.000 has three)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _check_places(ctx: Checker, owner: Model, keys: Keys, value: Decimal, places: int, currency: str) -> None:
    written = decimals(value)
    if written <= places:
        return
    allowed = f"{places} decimals" if places != 1 else "1 decimal"
    if places == 0:
        allowed = "no decimals"
    ctx.error(
        owner,
        *keys,
        message=f"{value} has {written} decimals; {currency} amounts have {allowed}",
        hint=places_hint(value, places),
        rule="bounds.money-places",
    )


def places_hint(value: Decimal, places: int) -> str:
    """Three decimals usually mean a thousands separator (250.000 for 250000): say so."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if decimals(value) == 3 and places < 3:
        meant = value.scaleb(3).quantize(Decimal(1))
        return (
            f"did you mean {meant}? Amounts take no thousands separators and '.' is the decimal point; "
            f"if {value} is meant, round it to {rounded}"
        )
    return f"round it to {rounded}"
