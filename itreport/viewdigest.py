"""A fingerprint of an edition's view: what decides whether its files must be made again.

The view of a large division holds thousands of models and analysis records; its `repr` was 16 MB
and took 0.36 s per edition. Models are frozen, so each is serialised by pydantic's own
serialiser (in Rust) and hashed once; a long-lived preview (`itreport.load.remembering`) keeps
the hash of every model that did not change, and only the analysis records are walked again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from itreport.load import active_memo


def view_digest(view: Any) -> str:
    """SHA-256 over every value the view holds, with its type and place, in a stable order.

    Everything is included: each dataclass field (also those left out of `repr`), each model
    field pydantic serialises, dict items in order, set members sorted; anything else by `repr`.
    """
    h = hashlib.sha256()
    memo = active_memo()
    remembered = memo.objects("view.models") if memo is not None else None
    models: dict[int, bytes] = {}
    fields: dict[type, tuple[str, ...]] = {}

    def model_digest(model: BaseModel) -> bytes:
        found = models.get(id(model))
        if found is None:
            compute: Callable[[], bytes] = lambda: _model_digest(model)  # noqa: E731
            found = compute() if remembered is None else remembered.get(model, None, compute)
            models[id(model)] = found
        return found

    def walk(obj: Any) -> None:
        kind = type(obj)
        if isinstance(obj, BaseModel):
            h.update(b"M" + _name(kind) + model_digest(obj))
        elif isinstance(obj, dict):
            h.update(b"{%d:" % len(obj))
            for key, value in obj.items():
                walk(key)
                walk(value)
        elif kind in (list, tuple):
            h.update(b"[%d:" % len(obj))
            for value in obj:
                walk(value)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            names = fields.get(kind)
            if names is None:
                names = fields[kind] = tuple(f.name for f in dataclasses.fields(obj))
            h.update(b"D" + _name(kind))
            for name in names:
                walk(getattr(obj, name))
            h.update(b")")
        elif isinstance(obj, set | frozenset):
            h.update(b"S%d:" % len(obj))
            for text in sorted(repr(value) for value in obj):
                _leaf(h, text)
        else:
            _leaf(h, repr(obj))

    walk(view)
    return h.hexdigest()


def _name(kind: type) -> bytes:
    return f"{kind.__module__}.{kind.__qualname__}:".encode()


def _leaf(h: Any, text: str) -> None:
    raw = text.encode("utf-8", "surrogateescape")
    h.update(b"R%d:" % len(raw) + raw)


def _model_digest(model: BaseModel) -> bytes:
    try:
        raw = type(model).__pydantic_serializer__.to_json(model)
    except PydanticSerializationError:  # a value pydantic cannot write: its repr stands in
        raw = repr(model).encode("utf-8", "surrogateescape")
    return hashlib.sha256(raw).digest()
