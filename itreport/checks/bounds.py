"""Bounds that depend on other files: dates near `as_of`, amounts in the currency's minor unit.

The models already hold every value to fixed limits (docs/content.md "Bounds"); the two rules here
need the division: how many decimals its currency has, and which day is "today". Both walk every
field of every entity by its declared type, so a new date or amount field is covered without a
change here. In a long-lived preview (`itreport.load.remembering`) what the walk found is kept
per file (`Checker.each`): models are frozen, so an unchanged file is not walked again.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache, partial
from itertools import chain
from typing import Any

from babel.numbers import get_currency_precision

from itreport.checks import Checker
from itreport.models.base import DATE_WINDOW_YEARS, Model, add_months_to_date, is_money
from itreport.models.people import RESTRICTED_FIELDS, Person
from itreport.models.recipients import RecipientsFile

Keys = tuple[str | int, ...]
Suspect = tuple[Model, Keys, Any]
"""(owning entity, keys below it, value) of a date or amount that breaks a bound."""


@cache
def _hints(model: type[Model]) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


_PLAIN = (str, int, float, bool, type(None))
"""Types whose values are never a date, an amount or a model: fields of only these are skipped."""


@cache
def _can_hold(hint: Any) -> bool:
    """False when no value of this declared type can be (or contain) a date, a Decimal or a model.

    Anything not recognised counts as "can hold", so a new kind of type is walked, not skipped.
    """
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        return _can_hold(typing.get_args(hint)[0])
    if origin is not None:  # list[...], dict[...], unions: any argument that can hold counts
        return any(_can_hold(arg) for arg in typing.get_args(hint))
    return not (isinstance(hint, type) and (issubclass(hint, Enum) or hint in _PLAIN))


class _Shape:
    """A declared type, with the shapes of its list items and dict values worked out once.

    Walking every leaf asked typing for the element type again at each value; a large division
    has hundreds of thousands of leaves, and that was most of the time this check took.
    """

    __slots__ = ("_dict_item", "_list_item", "hint", "money")

    def __init__(self, hint: Any) -> None:
        self.hint = hint
        self.money = is_money(hint)
        self._list_item: _Shape | None = None
        self._dict_item: _Shape | None = None

    def item(self, index: int) -> _Shape:
        """The shape of a list's items (index 0) or a dict's values (index 1)."""
        if index == 0:
            if self._list_item is None:
                self._list_item = _shape(_item_hint(self.hint, 0))
            return self._list_item
        if self._dict_item is None:
            self._dict_item = _shape(_item_hint(self.hint, 1))
        return self._dict_item


_SHAPES: dict[int, tuple[Any, _Shape]] = {}


def _shape(hint: Any) -> _Shape:
    # Keyed by identity: hints with pydantic metadata are not always hashable; the hint is kept
    # beside its shape so the id cannot be reused by another object.
    found = _SHAPES.get(id(hint))
    if found is None or found[0] is not hint:
        found = (hint, _Shape(hint))
        _SHAPES[id(hint)] = found
    return found[1]


@cache
def _fields(model: type[Model]) -> tuple[tuple[str, _Shape], ...]:
    """The fields of a model that can hold a date, an amount or a model, with their shapes."""
    hints = _hints(model)
    return tuple((name, _shape(hints[name])) for name in model.model_fields if _can_hold(hints[name]))


@dataclass(frozen=True)
class _Limits:
    earliest: date
    latest: date
    min_exponent: int
    """-places: an amount written with more decimals has a smaller exponent."""


def _listed(entity: Model, limits: _Limits) -> list[Suspect]:
    """(owning entity, keys below it, value) for every date or amount in an entity that breaks a bound.

    The bounds are tested while walking, and keys are built only for a value that breaks one: a
    large division has some 150,000 amounts, nearly all of them fine.
    """
    found: list[Suspect] = []
    _walk(entity, limits, found)
    return found


def _walk(entity: Model, limits: _Limits, found: list[Suspect]) -> None:
    # Into a list rather than through generators: a preview walks each edited file, and
    # `yield from` at every level of a project's models cost a third of the walk.
    for name, shape in _fields(type(entity)):
        value = getattr(entity, name)
        if value is None:
            continue
        if isinstance(value, Decimal):
            if shape.money:
                exponent = value.as_tuple().exponent
                if isinstance(exponent, int) and exponent < limits.min_exponent:
                    found.append((entity, (name,), value))
        elif isinstance(value, date):
            if not limits.earliest <= value <= limits.latest:
                found.append((entity, (name,), value))
        else:
            _below(entity, (name,), shape, value, limits, found)


def _below(
    owner: Model, keys: Keys, shape: _Shape, value: Any, limits: _Limits, found: list[Suspect]
) -> None:
    if isinstance(value, Model):
        _walk(value, limits, found)
    elif isinstance(value, (list, dict)):
        item = shape.item(0 if isinstance(value, list) else 1)
        money = item.money
        pairs = enumerate(value) if isinstance(value, list) else value.items()
        for key, element in pairs:
            if isinstance(element, Decimal):
                if money:
                    exponent = element.as_tuple().exponent
                    if isinstance(exponent, int) and exponent < limits.min_exponent:
                        found.append((owner, (*keys, key), element))
            elif isinstance(element, date):
                if not limits.earliest <= element <= limits.latest:
                    found.append((owner, (*keys, key), element))
            elif isinstance(element, Model):
                _walk(element, limits, found)
            elif isinstance(element, (list, dict)):
                _below(owner, (*keys, key), item, element, limits, found)
    elif isinstance(value, Decimal):
        if shape.money:
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and exponent < limits.min_exponent:
                found.append((owner, keys, value))
    elif isinstance(value, date) and not limits.earliest <= value <= limits.latest:
        found.append((owner, keys, value))


def _item_hint(hint: Any, index: int) -> Any:
    """The element type of a list (index 0) or the value type of a dict (index 1)."""
    for arg in (hint, *typing.get_args(hint)):
        origin = typing.get_origin(arg)
        if origin in (list, dict):
            args = typing.get_args(arg)
            return args[min(index, len(args) - 1)]
    return hint


def _file_suspects(limits: _Limits, file: Model) -> tuple[Suspect, ...]:
    """What breaks a bound in one content file (or private record), walked down to its people,
    projects and lines."""
    if isinstance(file, RecipientsFile):  # names and addresses: no dates, no amounts
        return ()
    return tuple(_listed(file, limits))


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
    limits = _Limits(earliest, latest, -places)
    # Every model whose fields were read from a file: each content file's model (a preview walks
    # only the files that changed), and the private records merged into people, which are
    # located in the private file.
    found = chain(
        ctx.each("bounds.files", ctx.content.files, limits, partial(_file_suspects, limits)),
        ctx.each(
            "bounds.private",
            list(ctx.content.private_sources.values()),
            limits,
            partial(_file_suspects, limits),
        ),
    )
    for owner, keys, value in found:
        if _skip(owner, keys, ctx):
            continue
        if isinstance(value, Decimal):
            _check_places(ctx, owner, keys, value, places, div.currency)
        else:
            ctx.error(
                owner,
                *keys,
                message=f"{_name(keys)} {value} is more than {DATE_WINDOW_YEARS} years "
                f"{'before' if value < earliest else 'after'} as_of ({div.as_of})",
                hint=f"dates lie between {earliest} and {latest}; check the year",
                rule="bounds.date-window",
            )


def _name(keys: Keys) -> str:
    return str(next((k for k in reversed(keys) if isinstance(k, str)), "date"))


def decimals(value: Decimal) -> int:
    """How many decimals the amount was written with (250.000 has three)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _check_places(ctx: Checker, owner: Model, keys: Keys, value: Decimal, places: int, currency: str) -> None:
    written = decimals(value)
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
