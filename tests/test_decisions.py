"""Decisions asked of the readers: once each (an ask stands for the project decision it names),
the asks first, then by project status and the date needed (ordering: tests/test_ranking.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.analyse import analyse
from itreport.analyse.decisions import decision_rows
from itreport.cli import main
from itreport.models.strategy import Ask
from itreport.validate import validate_folder
from tests.conftest import replace_in
from tests.rendered import example_html, section, text_of


def _analysis(content: Path):  # type: ignore[no-untyped-def]
    v = validate_folder(content)
    assert v.content is not None, v.problems
    return analyse(v.content)


def test_an_ask_naming_a_decision_stands_for_it(content: Path) -> None:
    a = _analysis(content)
    asks = a.content.narrative.asks  # type: ignore[union-attr]
    rows = decision_rows(asks, a.risks.decisions, date(2026, 10, 31))
    assert [(r.title, r.project, r.requested_of, r.needed_by) for r in rows] == [
        ("Approve extra budget for Alpha", "Alpha platform", "Executive committee", date(2026, 11, 30))
    ]
    # Without the reference the same request is listed twice: the ask and the project's decision.
    plain = [Ask(title=x.title, detail=x.detail, decide_by=date(2026, 11, 30)) for x in asks]
    assert [r.title for r in decision_rows(plain, a.risks.decisions, date(2026, 10, 31))] == [
        "Approve extra budget for Alpha",
        "Approve extra budget",
    ]


def test_rows_sorted_by_date_needed_undated_last_and_late_before_as_of(content: Path) -> None:
    a = _analysis(content)
    as_of = date(2026, 10, 31)
    asks = [
        Ask(title="no date"),
        Ask(title="on as-of", decide_by=as_of),
        Ask(title="day before as-of", decide_by=date(2026, 10, 30)),
        Ask(title="later", decide_by=date(2027, 1, 15)),
    ]
    rows = decision_rows(asks, a.risks.decisions, as_of)
    assert [(r.title, r.late) for r in rows] == [
        ("day before as-of", True),
        ("on as-of", False),
        ("Approve extra budget", False),  # alpha/d1, needed 2026-11-30
        ("later", False),
        ("no date", False),
    ]
    assert rows[2].project == "Alpha platform" and rows[0].project == ""


CASES = [
    (
        "alpha-d1",
        "content/narrative.yaml:8:15: error: 'alpha-d1' is not a decision reference",
    ),
    (
        "alpah/d1",
        "content/narrative.yaml:8:15: error: unknown project 'alpah' (did you mean 'alpha'?)",
    ),
    (
        "alpha/d1x",
        "content/narrative.yaml:8:15: error: project 'alpha' has no decision 'd1x' (did you mean 'd1'?)",
    ),
]


@pytest.mark.parametrize(("ref", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_decision_reference_is_a_located_error(content: Path, ref: str, expected: str) -> None:
    replace_in(content, "narrative.yaml", "decision: alpha/d1", f"decision: {ref}")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == expected
    assert "hint: " in result.output


def test_two_asks_for_one_decision_is_an_error(content: Path) -> None:
    replace_in(
        content,
        "narrative.yaml",
        "    decision: alpha/d1\n",
        "    decision: alpha/d1\n  - title: Again\n    decision: alpha/d1\n",
    )
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert "content/narrative.yaml:10:15: error: decision 'alpha/d1' is already the subject of ask 1" in (
        result.output
    )


def test_ask_date_contradicting_the_decision_is_an_error(content: Path) -> None:
    replace_in(
        content,
        "narrative.yaml",
        "    decision: alpha/d1\n",
        "    decision: alpha/d1\n    decide_by: 2026-11-29\n",
    )
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert (
        "content/narrative.yaml:9:16: error: decide_by 2026-11-29 contradicts the decision's needed_by 2026-11-30"
        in result.output
    )
    # The same date twice is no contradiction.
    replace_in(content, "narrative.yaml", "decide_by: 2026-11-29", "decide_by: 2026-11-30")
    assert CliRunner().invoke(main, ["validate", "content", "--strict"]).exit_code == 0


def test_ask_for_a_decision_already_taken_is_a_warning(content: Path) -> None:
    replace_in(
        content,
        "projects/alpha.yaml",
        "    needed_by: 2026-11-30\n",
        "    needed_by: 2026-11-30\n    state: approved\n",
    )
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0
    assert "content/narrative.yaml:8:15: warning: decision 'alpha/d1' is already approved" in result.output


@pytest.mark.parametrize("edition", ["board", "executive", "finance", "management"])
def test_example_lists_each_decision_once_asks_first(edition: str) -> None:
    table = section(example_html()[edition], "data asks")
    rows = re.findall(
        r"<tr><td><strong>(.*?)</strong>.*?<td class=\"date[^\"]*\">(.*?)</td></tr>", table, re.S
    )
    titles = [text_of(t).strip() for t, _ in rows]
    # 3 asks + 5 pending project decisions, of which the asks name 3: five rows, none twice.
    assert len(titles) == 5 and len(set(titles)) == 5
    assert not any(t.startswith("Approve 5.5 MSEK additional funding and a go-live") for t in titles)
    # The three asks by date, then the two project decisions (see analyse/ranking.py).
    assert [text_of(d).strip() for _, d in rows] == [
        "20 Nov 26",
        "10 Dec 26",
        "15 Dec 26",
        "15 Nov 26",
        "15 Dec 26",
    ]
