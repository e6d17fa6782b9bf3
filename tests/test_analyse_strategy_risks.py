"""analyse/strategy.py and analyse/risks.py, with hand-computed figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itreport.analyse.risks import analyse_risks
from itreport.analyse.strategy import _split, analyse_strategy
from itreport.content import Content, load_folder
from itreport.models.division import Division
from itreport.models.projects import Project
from itreport.models.strategy import StrategyFile

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def minimal() -> Content:
    result = load_folder(MINIMAL)
    assert result.problems == []
    assert result.content is not None
    return result.content


def division() -> Division:
    return Division.model_validate(
        {
            "name": "Test IT",
            "organisation": "Test AB",
            "head": "boss",
            "as_of": "2026-10-31",
            "period": {"start": "2026-10-01", "end": "2026-10-31"},
            "currency": "SEK",
        }
    )


def project(id: str, state: str = "active", **extra: Any) -> Project:
    data: dict[str, Any] = {
        "id": id,
        "name": id,
        "sponsor": "S",
        "owner": "boss",
        "investment_class": "run",
        "phase": "execution",
        "state": state,
        "schedule": {"baseline": {"start": "2026-01-01", "end": "2026-12-31"}},
        "budget": {"capex": 0, "opex": 0},
    }
    data.update(extra)
    return Project.model_validate(data)


def D(value: str) -> Decimal:
    return Decimal(value)


# --- _split --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "parts", "expected"),
    [
        ("100.01", 2, ["50.01", "50.00"]),  # 10001 cents = 2 × 5000 + 1 → first part gets the cent
        ("100", 3, ["33.34", "33.33", "33.33"]),  # 10000 = 3 × 3333 + 1
        ("0.05", 3, ["0.02", "0.02", "0.01"]),  # 5 = 3 × 1 + 2
        ("0.01", 2, ["0.01", "0.00"]),  # 1 = 2 × 0 + 1
        ("7", 1, ["7.00"]),
        ("0", 2, ["0.00", "0.00"]),
    ],
)
def test_split_adds_up_to_the_cent(amount: str, parts: int, expected: list[str]) -> None:
    out = _split(D(amount), parts)
    assert out == [D(e) for e in expected]
    assert sum(out) == D(amount)


# --- strategy: the minimal fixture ---------------------------------------------------------


def test_minimal_strategy(minimal: Content) -> None:
    s = analyse_strategy(minimal)
    assert [(x.key, x.label, x.budget, x.actual, x.projects) for x in s.by_objective] == [
        ("obj-cloud", "Cloud first", D("1200000"), D("800000"), 1),  # alpha
        ("unassigned", "unassigned", D("300000"), D("290000"), 1),  # beta: no objective; 0 + 300 000
    ]
    assert [(x.key, x.budget, x.actual, x.projects) for x in s.by_class] == [
        ("run", D("300000"), D("290000"), 1),  # beta
        ("grow", D("1200000"), D("800000"), 1),  # alpha
        ("transform", D("0"), D("0"), 0),
    ]
    assert (s.benefits_planned, s.benefits_realised) == (D("500000"), D("100000"))  # alpha b1
    assert s.benefits_pct == D("20.0")  # 100 000 / 500 000
    assert [c.id for c in s.coordination] == ["c1"]
    assert s.problems_open == ()
    assert [p.id for p in s.problems_resolved] == ["p1"]  # resolved 2026-10-01 = period start


# --- strategy: constructed -----------------------------------------------------------------


def strategy_content() -> Content:
    strategy = StrategyFile.model_validate(
        {
            "objectives": [
                {"id": "o1", "title": "Cloud", "horizon": "2026", "owner": "boss"},
                {"id": "o2", "title": "Security", "horizon": "2026", "owner": "boss"},
                {"id": "o3", "title": "Data", "horizon": "2026", "owner": "boss"},
                {"id": "o4", "title": "Unused", "horizon": "2026", "owner": "boss"},
            ],
            "coordination": [
                {"id": "c-none", "topic": "T", "counterpart": "HR", "owner": "boss"},
                {
                    "id": "c-late",
                    "topic": "T",
                    "counterpart": "HR",
                    "owner": "boss",
                    "next_date": "2026-12-01",
                },
                {
                    "id": "c-early",
                    "topic": "T",
                    "counterpart": "HR",
                    "owner": "boss",
                    "next_date": "2026-11-01",
                },
                {
                    "id": "a-early",
                    "topic": "T",
                    "counterpart": "HR",
                    "owner": "boss",
                    "next_date": "2026-11-01",
                },
                {"id": "c-closed", "topic": "T", "counterpart": "HR", "owner": "boss", "state": "closed"},
            ],
            "problems": [
                {
                    "id": "p-open",
                    "title": "T",
                    "impact": "I",
                    "action": "A",
                    "owner": "boss",
                    "raised": "2026-01-01",
                },
                {
                    "id": "p-mit",
                    "title": "T",
                    "impact": "I",
                    "action": "A",
                    "owner": "boss",
                    "raised": "2026-01-01",
                    "state": "mitigating",
                },
                {
                    "id": "p-new",
                    "title": "T",
                    "impact": "I",
                    "action": "A",
                    "owner": "boss",
                    "raised": "2026-01-01",
                    "state": "resolved",
                    "resolved": "2026-10-01",
                },
                {
                    "id": "p-old",
                    "title": "T",
                    "impact": "I",
                    "action": "A",
                    "owner": "boss",
                    "raised": "2026-01-01",
                    "state": "resolved",
                    "resolved": "2026-09-30",
                },
            ],
        }
    )
    benefit = {"id": "b1", "description": "D", "planned": 1000, "realised": 300}
    projects = [
        project(
            "pa",
            investment_class="grow",
            objectives=["o1", "o2"],
            budget={"capex": "100.01", "opex": 0, "total": "100.01", "actual_to_date": "0.03"},
            benefits=[
                benefit,
                {"id": "b2", "description": "D", "financial": False, "planned": 50, "realised": 50},
            ],
        ),
        project(
            "pb",
            state="completed",
            investment_class="transform",
            objectives=["o2"],
            budget={"capex": 40, "opex": "9.99", "actual_to_date": 45},
        ),
        project("pc", budget={"capex": 0, "opex": 10, "actual_to_date": 1}),
        project(
            "pd",
            state="proposed",
            objectives=["o1"],
            budget={"capex": 0, "opex": 999},
            benefits=[{"id": "b9", "description": "D", "planned": 500}],
        ),
        project("pe", state="cancelled", objectives=["o1", "o2", "o3"], budget={"capex": 0, "opex": 100}),
    ]
    return Content(division=division(), projects=projects, strategy=strategy)


def test_spend_split_across_objectives() -> None:
    s = analyse_strategy(strategy_content())
    rows = [(x.key, x.label, x.budget, x.actual, x.projects) for x in s.by_objective]
    assert rows == [
        ("o1", "Cloud", D("83.35"), D("0.02"), 2),  # pa 100.01 → 50.01 (0.03 → 0.02); pe 100 → 33.34
        ("o2", "Security", D("133.32"), D("45.01"), 3),  # pa 50.00 (0.01) + pb 40 + 9.99 (45) + pe 33.33
        ("o3", "Data", D("33.33"), D("0"), 1),  # pe 33.33
        ("o4", "Unused", D("0"), D("0"), 0),
        ("unassigned", "unassigned", D("10"), D("1"), 1),  # pc; pd is only proposed
    ]
    # funded total 100.01 + 49.99 + 10 + 100 = 260.00; actual 0.03 + 45 + 1 + 0 = 46.03
    assert sum(x.budget for x in s.by_objective) == D("260.00")
    assert sum(x.actual for x in s.by_objective) == D("46.03")


def test_spend_by_investment_class() -> None:
    s = analyse_strategy(strategy_content())
    assert [(x.key, x.budget, x.actual, x.projects) for x in s.by_class] == [
        ("run", D("110"), D("1"), 2),  # pc 10 + pe 100 (cancelled still counts); pd proposed
        ("grow", D("100.01"), D("0.03"), 1),  # pa
        ("transform", D("49.99"), D("45"), 1),  # pb 40 + 9.99
    ]


def test_benefits_financial_and_funded_only() -> None:
    s = analyse_strategy(strategy_content())
    assert s.benefits_planned == D("1000")  # pa b1; b2 is not financial; pd is proposed
    assert s.benefits_realised == D("300")
    assert s.benefits_pct == D("30.0")  # 300 / 1000


def test_coordination_and_problems() -> None:
    s = analyse_strategy(strategy_content())
    # closed left out; by next date (ties by id), undated last
    assert [c.id for c in s.coordination] == ["a-early", "c-early", "c-late", "c-none"]
    assert [p.id for p in s.problems_open] == ["p-open", "p-mit"]
    assert [p.id for p in s.problems_resolved] == ["p-new"]  # p-old resolved before 2026-10-01


def test_no_projects_no_unassigned_row() -> None:
    s = analyse_strategy(Content(division=division()))
    assert s.by_objective == ()
    assert [(x.key, x.budget, x.projects) for x in s.by_class] == [
        ("run", D("0"), 0),
        ("grow", D("0"), 0),
        ("transform", D("0"), 0),
    ]
    assert s.benefits_pct is None  # nothing planned


# --- risks: the minimal fixture ------------------------------------------------------------


def test_minimal_risks(minimal: Content) -> None:
    reg = analyse_risks(minimal)
    assert [(v.project.id, v.risk.id, v.score) for v in reg.top] == [("alpha", "r1", 16)]  # 4 × 4
    assert reg.open_count == 1
    assert reg.heatmap == {(4, 4): 1}
    assert [(v.project.id, v.issue.id) for v in reg.critical_issues] == [("alpha", "i1")]  # high
    assert reg.open_issues == 1
    assert [(v.project.id, v.decision.id) for v in reg.decisions] == [("alpha", "d1")]


# --- risks: constructed --------------------------------------------------------------------


def risk(id: str, p: int, i: int, **extra: Any) -> dict[str, Any]:
    return {"id": id, "title": id, "probability": p, "impact": i, **extra}


def issue(id: str, priority: str, **extra: Any) -> dict[str, Any]:
    return {"id": id, "title": id, "priority": priority, **extra}


def decision(id: str, needed_by: str | None, state: str = "pending") -> dict[str, Any]:
    return {"id": id, "title": id, "requested_of": "Board", "needed_by": needed_by, "state": state}


def risk_content() -> Content:
    projects = [
        project(
            "pa",
            risks=[risk("r1", 3, 5), risk("r2", 5, 3), risk("r3", 4, 4), risk("r4", 5, 5, state="closed")],
            issues=[
                issue("i1", "critical", due="2026-11-10"),
                issue("i2", "high"),
                issue("i3", "low"),
                issue("i4", "critical", due="2026-01-01", state="resolved"),
            ],
            decisions=[decision("d9", None), decision("d8", "2026-01-01", state="approved")],
        ),
        project(
            "pb",
            state="on_hold",
            risks=[risk("r1", 5, 3)],
            issues=[issue("i1", "high", due="2026-10-01", state="in_progress")],
            decisions=[decision("d1", "2026-11-01")],
        ),
        project(
            "pc",
            state="completed",
            risks=[risk("r1", 5, 5)],
            issues=[issue("i1", "critical")],
            decisions=[decision("d1", "2026-10-15")],
        ),
        project("pd", state="proposed", risks=[risk("r1", 1, 1)]),
        project("pe", state="cancelled", risks=[risk("r1", 5, 4)], issues=[issue("i1", "critical")]),
    ]
    return Content(division=division(), projects=projects)


def test_top_risks_sorted_and_heatmap() -> None:
    reg = analyse_risks(risk_content())
    # score desc, then impact desc, then project, then risk; live projects only (active, on hold):
    # pc completed, pd proposed and pe cancelled are left out
    assert [(v.project.id, v.risk.id, v.score) for v in reg.top] == [
        ("pa", "r3", 16),  # 4 × 4
        ("pa", "r1", 15),  # 3 × 5: impact 5 before impact 3
        ("pa", "r2", 15),  # 5 × 3
        ("pb", "r1", 15),  # 5 × 3 (on hold is live)
    ]
    assert reg.open_count == 4
    assert reg.heatmap == {(4, 4): 1, (3, 5): 1, (5, 3): 2}  # (probability, impact); pd's (1, 1) not


def test_top_n_limits_the_list_not_the_count() -> None:
    reg = analyse_risks(risk_content(), top_n=3)
    assert [(v.project.id, v.risk.id) for v in reg.top] == [("pa", "r3"), ("pa", "r1"), ("pa", "r2")]
    assert reg.open_count == 4
    assert sum(reg.heatmap.values()) == 4


def test_critical_issues_and_open_issues() -> None:
    reg = analyse_risks(risk_content())
    # critical first, then high by due date (undated counts as as-of 2026-10-31)
    assert [(v.project.id, v.issue.id) for v in reg.critical_issues] == [
        ("pa", "i1"),  # critical
        ("pb", "i1"),  # high, due 2026-10-01
        ("pa", "i2"),  # high, undated → 2026-10-31
    ]
    assert reg.open_issues == 4  # pa i1 i2 i3 + pb i1 (i4 resolved; pc, pe not live)


def test_pending_decisions_sorted_by_needed_by() -> None:
    reg = analyse_risks(risk_content())
    # all projects' pending decisions (pc is completed); undated counts as 2026-10-31
    assert [(v.project.id, v.decision.id) for v in reg.decisions] == [
        ("pc", "d1"),  # 2026-10-15
        ("pa", "d9"),  # undated → 2026-10-31
        ("pb", "d1"),  # 2026-11-01
    ]


def test_problems_resolved_this_period_stop_at_the_period_end() -> None:
    content = strategy_content()
    content.division = content.division.model_copy(
        update={
            "as_of": date(2026, 11, 5),
            "period": content.division.period.model_copy(
                update={"start": date(2026, 9, 30), "end": date(2026, 9, 30)}
            ),
        }
    )
    s = analyse_strategy(content)
    assert [p.id for p in s.problems_resolved] == ["p-old"]  # 30 Sep in; p-new (1 Oct) is after
