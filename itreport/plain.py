"""The data templates see: plain, immutable values and nothing that can act.

Templates may come from an untrusted pull request, so the edition's view is converted here into
strings, numbers, `Decimal`, dates, booleans, `None`, tuples, read-only mappings and frozen
dataclasses of these. Models, enums, paths, modules and methods never reach a template: a
model or dataclass becomes a frozen view type with the same field names (and its computed
properties as ready values), so templates keep writing `h.project.name` or `row.variance_fy`.
An enum becomes a `Choice` whose `value` is the plain string (`h.computed.value`).
Every string is cleaned of control characters (see `controls.for_html`) on the way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any, Protocol

from markupsafe import Markup
from pydantic import BaseModel

from itreport.controls import for_html

LEAVES = (bool, int, float, Decimal, dt.date)


@dataclasses.dataclass(frozen=True, slots=True)
class Choice:
    """An enum member as data: `value` is its string; printing it prints the value."""

    value: str

    def __str__(self) -> str:
        return self.value


Choice.__view_fields__ = frozenset({"value"})  # type: ignore[attr-defined]

_TYPES: dict[type, type] = {}


def view_fields(obj: object) -> frozenset[str]:
    """Names a template may read on `obj` (empty for anything that is not a view type)."""
    fields = type(obj).__dict__.get("__view_fields__")
    return fields if isinstance(fields, frozenset) else frozenset()


class ModelCache(Protocol):
    """Where frozen models are kept between builds (`itreport.load.ObjectMemo`)."""

    def get(self, obj: object, key: Hashable, compute: Callable[[], Any]) -> Any: ...


def freeze(obj: Any, models: ModelCache | None = None) -> Any:
    """`obj` as plain immutable data (see module doc); anything else is a programming error.

    `models` keeps each model's frozen form for the next build: models are frozen and their
    properties read their own fields only, so the same model object freezes the same way, and
    the frozen form cannot be changed by anyone. A large division's board holds thousands.
    """
    return _freeze(obj, {}, models)


def _freeze(obj: Any, memo: dict[int, tuple[Any, Any]], models: ModelCache | None = None) -> Any:
    if obj is None or isinstance(obj, LEAVES):
        return obj
    if isinstance(obj, Enum):
        return Choice(for_html(str(obj.value)))
    if isinstance(obj, Markup):
        return Markup(for_html(str(obj)))
    if isinstance(obj, str):
        return for_html(str(obj))
    key = id(obj)
    seen = memo.get(key)
    if seen is not None and seen[0] is obj:
        return seen[1]
    out: Any
    if isinstance(obj, Mapping):
        out = MappingProxyType({_key(k): _freeze(v, memo, models) for k, v in obj.items()})
    elif isinstance(obj, list | tuple):
        out = tuple(_freeze(v, memo, models) for v in obj)
    elif isinstance(obj, set | frozenset):
        out = tuple(sorted((_freeze(v, memo, models) for v in obj), key=repr))
    elif isinstance(obj, BaseModel) and models is not None:
        out = models.get(obj, None, lambda: _record(obj, memo, models))
    elif isinstance(obj, BaseModel) or (dataclasses.is_dataclass(obj) and not isinstance(obj, type)):
        out = _record(obj, memo, models)
    else:
        raise TypeError(f"a {type(obj).__name__} cannot be handed to a template")
    # The object is kept with its frozen form: a property that returns a new container each
    # time would otherwise free it, and another object could then be given its id.
    memo[key] = (obj, out)
    return out


def _record(obj: Any, memo: dict[int, tuple[Any, Any]], models: ModelCache | None) -> Any:
    """A model or dataclass as its frozen view type."""
    kind = _view_type(type(obj))
    values = {name: _freeze(getattr(obj, name), memo, models) for name in view_fields_of(kind)}
    if "__html__" in vars(kind):
        values["_html"] = Markup(for_html(str(obj.__html__())))
    return kind(**values)


def view_fields_of(kind: type) -> frozenset[str]:
    fields: frozenset[str] = kind.__dict__["__view_fields__"]
    return fields


def _key(k: Any) -> Any:
    if isinstance(k, Enum):
        return for_html(str(k.value))
    if isinstance(k, str):
        return for_html(str(k))
    if k is None or isinstance(k, LEAVES):
        return k
    if isinstance(k, tuple):
        return tuple(_key(x) for x in k)
    raise TypeError(f"a {type(k).__name__} cannot be a key in a template's data")


def _public_names(cls: type) -> list[str]:
    """Data fields, then computed properties (defined by the class itself, not by pydantic)."""
    if issubclass(cls, BaseModel):
        names = list(cls.model_fields)
    else:
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    for klass in cls.__mro__:
        if klass in (object, BaseModel) or klass.__module__.startswith("pydantic"):
            continue
        for name, member in vars(klass).items():
            if isinstance(member, property) and name not in names and name != "source":
                names.append(name)
    return [n for n in names if not n.startswith("_")]


def _view_type(cls: type) -> type:
    """A frozen dataclass with the public fields and properties of `cls` (one per class)."""
    kind = _TYPES.get(cls)
    if kind is None:
        names = _public_names(cls)
        fields: list[Any] = [(n, Any) for n in names]
        namespace: dict[str, Any] = {"__view_fields__": frozenset(names)}
        if hasattr(cls, "__html__"):
            fields.append(("_html", Markup, dataclasses.field(repr=False)))
            namespace["__html__"] = lambda self: self._html
        kind = dataclasses.make_dataclass(cls.__name__, fields, frozen=True, slots=True, namespace=namespace)
        kind.__module__ = __name__
        _TYPES[cls] = kind
    return kind
