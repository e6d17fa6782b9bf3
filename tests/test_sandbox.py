"""Hostile template overrides: each reaches for something it must not have, or runs away.

Every case is a real project (content plus a `templates/` override) built through the CLI; each
must end with exit code 1, a `file:line:` message and no traceback, and write nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from itreport.analyse import analyse
from itreport.cli import main
from itreport.edition import build_view, template_view
from itreport.models.briefings import DEFAULT_EDITION
from itreport.plain import Choice, view_fields
from itreport.validate import validate_folder

PLACE = "templates/sections/problems.html"


def _override(content: Path, text: str, name: str = "sections/problems.html") -> Path:
    path = content.parent / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refused(content: Path, *, line: int = 1, place: str = PLACE) -> str:
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 1, result.output
    assert f"error: {place}:{line}: template error: " in result.output
    assert "Traceback" not in result.output
    assert not Path("output").exists() or not list(Path("output").glob("*.html"))
    return result.output


def _walk(value: Any, seen: set[int]) -> None:
    """Every value reachable in the view is plain data (see itreport.plain)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if value is None or isinstance(value, bool | int | Decimal | dt.date | str | Markup | float):
        return
    if isinstance(value, MappingProxyType):
        for k, v in value.items():
            _walk(k, seen)
            _walk(v, seen)
    elif type(value) is tuple:
        for v in value:
            _walk(v, seen)
    else:
        assert dataclasses.is_dataclass(value), type(value)
        assert type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert view_fields(value), type(value)
        for name in view_fields(value):
            _walk(getattr(value, name), seen)


def test_view_is_plain_immutable_data(content: Path) -> None:
    validation = validate_folder(content)
    assert validation.content is not None
    view = template_view({"view": build_view(analyse(validation.content), DEFAULT_EDITION)})
    _walk(view, set())
    briefing = view["view"]
    assert briefing.division.name == "Test IT"
    assert isinstance(briefing.portfolio[0].computed, Choice)
    assert str(briefing.portfolio[0].computed) == briefing.portfolio[0].computed.value
    with pytest.raises(dataclasses.FrozenInstanceError):
        briefing.division.name = "x"
    with pytest.raises(TypeError):
        briefing.names["x"] = "y"  # type: ignore[index]


@pytest.mark.parametrize(
    "template",
    [
        "{{ asset.__self__ }}",
        "{{ asset.dirs }}",
        "{{ _.labels }}",
        "{{ _.__closure__ }}",
        "{{ view.__class__.__mro__ }}",
        "{{ view.division.model_dump() }}",
        "{{ view.division.source }}",
        "{{ view.names.copy() }}",
        "{{ view.division.as_of.replace(year=1) }}",
        "{{ view.division.name.encode() }}",
        "{{ view.division.name.format(view) }}",
        "{{ range.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ lipsum() }}",
        "{{ cycler(1, 2).next() }}",
        "{{ view.portfolio[0].computed.severity }}",
        "{{ view.has('summary') }}",
        "{{ 'x'|center(10) }}",
        "{{ 'x'|tojson }}",
        "{% set f = view.names.get %}{{ f.__self__ }}",
    ],
)
def test_template_reaches_nothing_but_data(content: Path, template: str) -> None:
    _override(content, template)
    _refused(content)


def test_error_names_the_line(content: Path) -> None:
    _override(content, "<p>fine</p>\n{{ view.division.name }}\n\n{{ view.edition.model_copy() }}\n")
    assert "has no attribute 'model_copy'" in _refused(content, line=4)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% for i in range(10**6) %}{% endfor %}", "range() of 1,000,000 numbers"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "loops ran more than 1,000,000 times",
        ),
        (
            "{% for a in view.division.name * 9999 %}{% for b in view.division.name * 9999 %}"
            "{% endfor %}{% endfor %}",
            "loops ran more than",
        ),
        ("{{ 'x' * 10**9 }}", "would build a value of 1,000,000,000 items"),
        ("{{ [1] * 10**9 }}", "would build a value of 1,000,000,000 items"),
        ("{% set s = 'x' * 2000000 %}{{ s ~ s }}", "would build a value of 4,000,000"),
        ("{% set s = 'x' * 2000000 %}{{ s + s }}", "would build a value of 4,000,000"),
        ("{% set s = 'x' * 1000000 %}{{ [s, s, s]|join }}", "would build a value of 3,000,000"),
        ("{% set s = 'x' * 1000000 %}{{ s|replace('x', 'yyy') }}", "would build a value of 3,000,000"),
        (
            "{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "would build a value of",
        ),
        ("{% macro m(s) %}{{ m(s ~ s) }}{% endmacro %}{{ m('ab') }}", "would build a value of"),
        ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}", "calls nested more than 60 deep"),
        ("{{ (10 ** 1000) ** 1000 }}", "number too large"),
        ("{{ '%0999999999d' % 1 }}", "may not format strings with %"),
        ("{{ range(10)|batch(10**9, 'x')|list }}", "batch() takes a size"),
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
        (
            "{% macro m() %}{% for i in range(99999) %}{{ 'x' * 1999999 }}{% endfor %}{% endmacro %}{{ m() }}",
            "wrote more than 50,000,000 characters",
        ),
        ("{% include 'sections/problems.html' %}", "include or extend each other without end"),
    ],
)
def test_runaway_template_is_stopped(content: Path, template: str, message: str) -> None:
    _override(content, template)
    assert message in _refused(content)


def test_template_extending_itself(content: Path) -> None:
    _override(content, '{% extends "base.html" %}', "base.html")
    assert "include or extend each other without end" in _refused(content, place="templates/base.html")


def test_time_budget(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The runaway loop is the page's first statement, so the budget runs out inside it however
    # slow the machine is (a loaded CI machine must not move the error into another template).
    monkeypatch.setenv("ITREPORT_TEMPLATE_SECONDS", "0.5")
    _override(
        content,
        "{% set big = range(90000)|list %}"
        "{% for i in range(10) %}{% for j in range(90000) %}{{ big|sort|length }}{% endfor %}{% endfor %}",
        name="briefing.html",
    )
    output = _refused(content, place="templates/briefing.html")
    assert "the template ran for more than 0.5 seconds" in output


def test_hostile_template_in_subprocess(content: Path) -> None:
    _override(content, "<p>\n{{ 'x' * 10**10 }}</p>")
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "build", "content", "--format", "html"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 1
    assert f"error: {PLACE}:2: template error: the template would build a value of" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_default_theme_still_uses_loops_macros_and_imports(content: Path) -> None:
    _override(
        content,
        '{% import "macros.html" as m %}{% set ns = namespace(n=0) %}'
        "{% for h in view.portfolio %}{% set ns.n = ns.n + 1 %}{{ loop.index }}{{ m.rag(h.computed.value) }}"
        "{% endfor %}<p id='n'>{{ ns.n }} {{ view.names.get(view.division.head) }} "
        "{{ view.division.as_of.year }} {{ view.division.name.upper() }} {{ [1, 2]|join('-') }}</p>",
    )
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    assert "TEST IT" in html and "1-2" in html


@pytest.mark.parametrize("template", ["{{ 'x'|cause }}", "{{ {'key': 'slip'}|cause }}", "{{ none|cause }}"])
def test_cause_filter_on_anything_but_a_reason_is_a_located_error(content: Path, template: str) -> None:
    _override(content, template)
    assert "the cause filter takes a project's reason" in _refused(content)


def test_plural_takes_any_value_a_template_can_make(content: Path) -> None:
    _override(
        content,
        "{{ _('days', n='a', plural=10**300) }}|{{ _('days', n='b', plural='1') }}|"
        "{{ _('days', n='c', plural=none) }}|{{ _('days', n='d', plural=-1) }}|{{ _('reason.slip', plural=1) }}",
    )
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = next(Path("output").glob("*.html")).read_text(encoding="utf-8")
    # Only a whole number chooses a form; a text, none or no values at all fall back safely.
    assert "a days|b days|c days|d day|{days} day against baseline" in html


def test_a_property_that_makes_a_new_list_each_time_is_frozen_for_its_own_object() -> None:
    """Freezing remembers each object it froze; one freed at once (a new list from a property)
    must not hand its frozen form to the next object that gets its id."""
    from dataclasses import dataclass

    from itreport.plain import freeze

    @dataclass(frozen=True)
    class Row:
        x: int

        @property
        def pair(self) -> list[int]:
            return [self.x, self.x]

    out = freeze({"rows": [Row(i) for i in range(50)]})
    assert [tuple(row.pair) for row in out["rows"]] == [(i, i) for i in range(50)]
