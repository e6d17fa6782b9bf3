"""The faster load keeps every guarantee: YAML 1.2 scalars, positions, model sources, gc state."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from itreport.load import FolderSource, parse
from itreport.models.base import Model
from itreport.validate import validate

REPO = Path(__file__).resolve().parent.parent


SCALARS = """\
plain_no: NO
plain_on: on
yes_word: yes
true_word: true
True_word: True
quoted_true: "true"
null_word: null
tilde: ~
empty:
number: 1.50
int: 0012
date: 2026-02-30
hex: 0x1F
inf: .inf
quoted_null: 'null'
"""


def test_scalars_follow_yaml_1_2_core_and_stay_text() -> None:
    doc, problems = parse("s.yaml", SCALARS.encode())
    assert doc is not None and problems == []
    assert doc.data == {
        "plain_no": "NO",
        "plain_on": "on",
        "yes_word": "yes",
        "true_word": True,
        "True_word": True,
        "quoted_true": "true",
        "null_word": None,
        "tilde": None,
        "empty": None,
        "number": "1.50",
        "int": "0012",
        "date": "2026-02-30",
        "hex": "0x1F",
        "inf": ".inf",
        "quoted_null": "null",
    }


def test_merge_keys_and_duplicate_keys_are_still_located_errors() -> None:
    text = "base: &b {x: 1}\nthing:\n  <<: *b\n  y: 2\n  y: 3\n"
    doc, problems = parse("m.yaml", text.encode())
    assert doc is not None
    assert [(p.line, p.col, p.rule) for p in problems] == [
        (3, 3, "yaml.key"),
        (5, 3, "yaml.duplicate-key"),
    ]
    assert "already set on line 4" in problems[1].hint
    assert doc.data == {"base": {"x": "1"}, "thing": {"y": "2"}}


def test_positions_are_found_when_asked_for() -> None:
    text = "people:\n  - id: a\n    name: 'Anna'\n  - id: b\n"
    doc, _ = parse("p.yaml", text.encode())
    assert doc is not None
    assert doc.position(("people", 1, "id")) == doc.values[("people", 1, "id")]
    assert (doc.position(("people", 0, "name")).line, doc.position(("people", 0, "name")).col) == (3, 11)
    assert (doc.position(("people", 1, "id"), key=True).line, doc.keys[("people", 1, "id")].col) == (4, 5)
    # A path below a value that does not exist points at its nearest located ancestor.
    assert doc.position(("people", 0, "nothing", 3)).line == 2


def _models(obj: Any) -> list[Model]:
    found: list[Model] = []
    if isinstance(obj, Model):
        found.append(obj)
        for name in type(obj).model_fields:
            found.extend(_models(getattr(obj, name)))
    elif isinstance(obj, list | tuple):
        for item in obj:
            found.extend(_models(item))
    elif isinstance(obj, dict):
        for item in obj.values():
            found.extend(_models(item))
    return found


def test_every_model_read_from_a_file_knows_its_file_and_path() -> None:
    validation = validate(FolderSource(REPO / "content", shown_as="content"))
    content = validation.content
    assert content is not None
    every = _models([content.division, content.teams, content.people, content.projects, content.budgets])
    every += _models([content.strategy, content.narrative, content.editions, content.roles])
    assert len(every) > 500
    missing = [m for m in every if not m.source[0]]
    assert missing == []
    project = next(p for p in content.projects if len(p.risks) > 1)
    assert project.risks[1].source == (f"content/projects/{project.id}.yaml", ("risks", 1))


@pytest.mark.parametrize("enabled", [True, False])
def test_validation_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        validate(FolderSource(REPO / "content"))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
