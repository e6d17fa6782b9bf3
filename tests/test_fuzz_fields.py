"""Extreme and adversarial values in every field of every model, in real content folders (issue 8.5).

The fields come from the models themselves (`model_slots`), so a new field is fuzzed without a
change here; tests/fixtures/fuzz-seed holds at least one of every entity with every field, and
`test_every_field_is_in_the_seed` fails when a new field has no place in it yet. Each example sets
one to three fields to values a hostile or careless contributor might write, then asserts the
fuzzers' property (tests/fuzzing.py): `validate` reports located problems or passes, and what
passes builds HTML. `make test` runs the "ci" Hypothesis profile, `make fuzz` the "fuzz" one.
"""

from __future__ import annotations

import tempfile
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from pydantic import BaseModel

from itreport.model_errors import _unwrap
from itreport.models import KINDS
from tests.fuzzing import BASES, content_files, fuzz_case, validate_then_build

SEED = BASES["seed"]
SEED_FILES = content_files(SEED)


@dataclass(frozen=True)
class Slot:
    """One leaf field of a model: `[]` steps into list items, `{}` into mapping values and
    `{key}` names a mapping's keys."""

    kind: str
    path: tuple[str, ...]
    type: Any

    def __str__(self) -> str:
        return f"{self.kind}:{'.'.join(self.path)}"


def _slots(kind: str, tp: Any, path: tuple[str, ...]) -> list[Slot]:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        out: list[Slot] = []
        for name, field in tp.model_fields.items():
            out.extend(_slots(kind, field.annotation, (*path, name)))
        return out
    if origin is list:
        return _slots(kind, typing.get_args(tp)[0], (*path, "[]"))
    if origin is dict:
        key, value = typing.get_args(tp)
        return [Slot(kind, (*path, "{key}"), _unwrap(key)), *_slots(kind, value, (*path, "{}"))]
    return [Slot(kind, path, tp)]


def model_slots() -> list[Slot]:
    return [slot for kind, (model, _pattern) in KINDS.items() for slot in _slots(kind, model, ())]


SLOTS = model_slots()


def _files_of(kind: str) -> list[str]:
    pattern = KINDS[kind][1]
    return sorted(
        rel for rel in content_files(SEED) if fnmatch(rel, pattern) and rel.count("/") == pattern.count("/")
    )


def _place(node: Any, path: tuple[str, ...]) -> tuple[Any, Any] | None:
    """The first (container, key) in `node` where the slot's value sits (None if there is none)."""
    step, rest = path[0], path[1:]
    if step == "[]":
        items = list(enumerate(node)) if isinstance(node, list) else []
    elif step in ("{}", "{key}"):
        items = list(node.items()) if isinstance(node, dict) else []
    else:
        items = [(step, node[step])] if isinstance(node, dict) and step in node else []
        if not rest and isinstance(node, dict):
            return node, step  # an optional field that is absent can be set
    for key, child in items:
        if not rest:
            return node, key
        found = _place(child, rest)
        if found is not None:
            return found
    return None


def test_every_field_is_in_the_seed() -> None:
    """A field the seed does not hold would never be fuzzed: add it to tests/fixtures/fuzz-seed."""
    missing = []
    for slot in SLOTS:
        datas = [yaml.safe_load(SEED_FILES[rel]) for rel in _files_of(slot.kind)]
        if not any(_place(data, slot.path) is not None for data in datas):
            missing.append(str(slot))
    assert missing == []
    assert len(SLOTS) > 250


# --- values ---------------------------------------------------------------------------------------

NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "1.0",
    "250.000",
    "1e26",
    "-1e26",
    "1e-30",
    "1E+999999",
    "1e-999999",
    "999999999999999.99",
    "1000000000000000",
    "-999999999999999.99",
    "99999999999999999999999999999999",
    "NaN",
    "Infinity",
    "-inf",
    ".inf",
    "1_000",
    "0x1F",
    "0o17",
    "+5",
    ".5",
    "5.",
    "1,5",
    "12 000",
    "１２",
    "٣",
    str(2**64),
    str(-(2**63)),
    "3650",
    "3651",
    "100",
    "100.01",
    "25",
    "10000",
    "10000.00001",
]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "2199-12-31",
    "2200-01-01",
    "1976-10-30",
    "1976-10-31",
    "2076-10-31",
    "2076-11-01",
    "2026-02-30",
    "2026-10-31T23:59:59",
    "2026-10-31 10:00",
    "20261031",
    "2026-10",
    "31/10/2026",
    "2026-13-01",
]
TEXTS = [
    "",
    " ",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "\u202eevil",
    "\r\nx",
    "{{ 7*7 }}",
    "{% include 'x' %}",
    "<script>alert(1)</script>",
    "</style><style>*{display:none}</style>",
    "'\"",
    "\\",
    "x" * 5001,
    "![" * 101,
    ">" * 40,
    "- " * 40,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\ufeff",
    "\u200b",
    "ﷺ" * 100,
    "\n" * 100,
    "# heading",
    "[link](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "%s%n",
    "${HOME}",
    "../../etc/passwd",
    "file:///etc/passwd",
    "http://127.0.0.1:1/",
    "*a",
    "&a",
    "!!python/object:os.system",
    "---",
    "true",
    "null",
    "2026-10-31",
    "{id}",
    "{period}-{as_of}",
    "a/b",
    "CON",
    ".",
    "..",
]
SWAPS: list[Any] = [None, [], {}, ["a"], {"a": "b"}, True, False, [[[]]], {"": None}]


def _scalar_text(value: Any) -> Any:
    return value if isinstance(value, str) else str(value)


def values_for(tp: Any) -> st.SearchStrategy[Any]:
    """Values to write for a field of type `tp`: edge cases, random ones and wrong types."""
    swaps = st.sampled_from(SWAPS)
    texts = st.one_of(
        st.sampled_from(TEXTS),
        st.text(max_size=40),
        st.text(min_size=1, max_size=12).map(lambda t: (t * 250)[:2500]),
    )
    if isinstance(tp, type) and issubclass(tp, Enum):
        own = st.sampled_from([str(m.value) for m in tp])
        return st.one_of(own, own, texts, swaps)
    if tp is bool:
        return st.one_of(st.sampled_from([True, False, "yes", "no", "1", "on", "TRUE"]), swaps)
    if tp is int or tp is Decimal:
        numbers = st.one_of(
            st.sampled_from(NUMBERS),
            st.integers().map(str),
            st.integers(-(10**30), 10**30).map(str),
            st.decimals(allow_nan=False, allow_infinity=False).map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
        )
        # Values inside the bounds too, so that many cases pass validation and reach the build.
        plausible = st.one_of(
            st.integers(0, 3650).map(str),
            st.decimals(min_value=0, max_value=10**15 - 1, places=2).map(str),
        )
        return st.one_of(numbers, plausible, plausible, texts, swaps)
    if tp is date:
        dates = st.one_of(
            st.sampled_from(DATES),
            st.dates().map(date.isoformat),
            st.dates(date(1976, 10, 31), date(2076, 10, 31)).map(date.isoformat),
            st.datetimes().map(lambda d: d.isoformat()),
        )
        return st.one_of(dates, dates, texts, swaps)
    if tp is str:
        months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 13))
        return st.one_of(texts, texts, months, st.sampled_from(NUMBERS), swaps)
    # Unions (a section name or a section choice) and anything else: every kind of value.
    return st.one_of(texts, st.sampled_from(NUMBERS), st.sampled_from(DATES), swaps)


def apply(files: dict[str, bytes], slot: Slot, value: Any) -> None:
    rel, data, place = next(
        (rel, data, place)
        for rel in _files_of(slot.kind)
        if (place := _place(data := yaml.safe_load(files[rel]), slot.path)) is not None
    )
    container, key = place
    if slot.path[-1] == "{key}":
        container[_scalar_text(value) if not isinstance(value, list | dict) else "[]"] = container.pop(key)
    else:
        container[key] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    files[rel] = text.encode("utf-8")


@given(st.data())
def test_extreme_values_validate_or_build(data: st.DataObject) -> None:
    files = dict(SEED_FILES)
    chosen = data.draw(st.lists(st.sampled_from(SLOTS), min_size=1, max_size=3, unique=True), label="fields")
    for slot in chosen:
        apply(files, slot, data.draw(values_for(slot.type), label=str(slot)))
    with tempfile.TemporaryDirectory() as tmp, fuzz_case("seed", files):
        event("built" if validate_then_build(Path(tmp) / "content", files) else "refused")


@pytest.mark.parametrize("slot", SLOTS, ids=str)
def test_each_field_refuses_a_structure(slot: Slot, tmp_path: Path) -> None:
    """Every field once holding a list with a mapping in it: a located error, never a crash."""
    files = dict(SEED_FILES)
    apply(files, slot, ["a", {"b": None}])
    with fuzz_case("seed", files):
        validate_then_build(tmp_path / "content", files)
