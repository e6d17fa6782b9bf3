"""analyse/people.py and the people rule of analyse/summary.py, with hand-computed figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itreport.analyse.people import PeopleFigures, analyse_people
from itreport.analyse.rag import Rag
from itreport.analyse.summary import people_status
from itreport.content import Content, load_folder
from itreport.models.division import Division
from itreport.models.people import Person, Position, Role

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
NO_TYPES = {"employee": 0, "contractor": 0, "consultant": 0}


@pytest.fixture(scope="module")
def minimal() -> PeopleFigures:
    result = load_folder(MINIMAL)
    assert result.problems == []
    assert result.content is not None
    return analyse_people(result.content)


def division(as_of: str = "2026-10-31", start: str = "2026-10-01", end: str = "2026-10-31") -> Division:
    return Division.model_validate(
        {
            "name": "Test IT",
            "organisation": "Test AB",
            "head": "boss",
            "as_of": as_of,
            "period": {"start": start, "end": end},
            "currency": "SEK",
        }
    )


def person(id: str, **extra: Any) -> Person:
    return Person.model_validate(
        {"id": id, "name": id, "title": "T", "team": "t", "start": "2020-01-01", **extra}
    )


def people(persons: list[Person], **div: Any) -> PeopleFigures:
    return analyse_people(Content(division=division(**div), people=persons))


def D(value: str) -> Decimal:
    return Decimal(value)


# --- the minimal fixture (as-of 2026-10-31, period October 2026) -----------------------------


def test_minimal_headcount(minimal: PeopleFigures) -> None:
    # on staff: ada, bo, cleo, dan (employees) and eva (contractor from 2026-10-01); finn left 2026-06-30
    assert minimal.headcount == 5
    assert minimal.fte == D("4.8")  # 1 + 1 + 1 + 0.8 + 1
    assert minimal.by_type == {"employee": 4, "contractor": 1, "consultant": 0}


def test_minimal_teams(minimal: PeopleFigures) -> None:
    it, ops, dev = minimal.teams
    assert (it.team_id, it.team_name) == ("it", "IT Division")
    assert it.headcount == {**NO_TYPES, "employee": 1}  # ada
    assert it.fte == {"employee": D("1"), "contractor": D("0"), "consultant": D("0")}
    assert ops.headcount == {**NO_TYPES, "employee": 2}  # bo, dan
    assert ops.fte == {"employee": D("1.8"), "contractor": D("0"), "consultant": D("0")}  # 1 + 0.8
    assert (ops.total_headcount, ops.total_fte) == (2, D("1.8"))
    assert dev.headcount == {**NO_TYPES, "employee": 1, "contractor": 1}  # cleo, eva (finn has left)
    assert (dev.total_headcount, dev.total_fte) == (2, D("2"))


def test_minimal_positions_joiners_leavers(minimal: PeopleFigures) -> None:
    (open_role,) = minimal.open_positions  # pos-ops-1 is filled
    assert open_role.position.id == "pos-dev-1"
    assert open_role.days_open == 91  # 2026-08-01 → 2026-10-31: 31 + 30 + 30
    assert minimal.open_fte == D("1")
    assert [p.id for p in minimal.joiners] == ["eva.sten"]  # started 2026-10-01
    assert minimal.leavers == ()  # finn left in June, outside October


def test_minimal_attrition(minimal: PeopleFigures) -> None:
    # year ago = 2025-10-31: employees ada, bo, cleo, dan, finn = 5; now ada, bo, cleo, dan = 4
    # left in (2025-10-31, 2026-10-31]: finn → 1; 1 / ((5 + 4) / 2) = 1 / 4.5 = 22.2…
    assert minimal.leavers_12m == 1
    assert minimal.attrition_12m_pct == D(100) / D("4.5")


def test_minimal_span_reviews_training_certs(minimal: PeopleFigures) -> None:
    # reports on staff: ada ← bo, cleo; bo ← dan; cleo ← eva (finn has left) → 4 reports, 3 managers
    assert (minimal.managers, minimal.span_max) == (3, 2)
    assert minimal.span_average == D("1.3")  # 4 / 3 = 1.33…
    assert minimal.reviews_overdue == ()  # next reviews 2027-03-01, 04-01, 02-01, 02-15
    assert (minimal.training_assigned, minimal.training_completed, minimal.training_overdue) == (1, 1, 0)
    assert minimal.training_completion_pct == D("100.0")
    assert minimal.certs_expired == ()
    assert minimal.certs_expiring == ()  # itil4 expires 2027-06-01: 213 days > 90
    (cov,) = minimal.coverage  # only "manager" requires a certification
    assert (cov.role_id, cov.role_title, cov.certification) == ("manager", "Team manager", "itil4")
    assert (cov.holders, cov.required) == (1, 2)  # bo holds itil4; cleo does not
    assert people_status(minimal) is Rag.GREEN  # 1×2 = 2, not < 2; no overdue reviews


# --- attrition ------------------------------------------------------------------------------


def attrition_people() -> list[Person]:
    # as-of 2026-06-30; 365 days earlier = 2025-06-30
    return [
        person("e1"),  # then ✓ now ✓
        person("e2", end="2025-06-30"),  # then ✓ (last day = year ago); left on, not after, year ago
        person("e3", end="2025-07-01"),  # then ✓; left ✓
        person("e4", end="2026-06-30"),  # then ✓ now ✓ (last day = as-of); left ✓
        person("e5", start="2025-07-01"),  # now ✓
        person("e6", start="2025-08-01", end="2026-01-31"),  # joined and left inside the year: left ✓
        person("c1", employment="contractor", end="2026-01-01"),  # contractors do not count
        person("c2", employment="contractor", start="2026-06-10"),  # joiner in June
        person("e7", start="2026-07-01"),  # starts after as-of
    ]


def test_attrition_with_average_headcount() -> None:
    fig = people(attrition_people(), as_of="2026-06-30", start="2026-06-01", end="2026-06-30")
    assert fig.leavers_12m == 3  # e3, e4, e6
    # average employees = (then e1 e2 e3 e4 = 4 + now e1 e4 e5 = 3) / 2 = 3.5; 3 / 3.5 = 85.71…
    assert fig.attrition_12m_pct == D(300) / D("3.5")
    assert fig.headcount == 4  # e1, e4, e5, c2
    assert fig.by_type == {"employee": 3, "contractor": 1, "consultant": 0}
    assert [p.id for p in fig.joiners] == ["c2"]  # e7 starts in July
    assert [p.id for p in fig.leavers] == ["e4"]  # last day 30 June


def test_attrition_without_employees_is_none() -> None:
    fig = people([person("c", employment="consultant")])
    assert fig.leavers_12m == 0
    assert fig.attrition_12m_pct is None  # average headcount 0


def test_attrition_window_is_twelve_months_in_a_leap_year() -> None:
    fig = people(
        [person("y"), person("z", end="2027-03-02")], as_of="2028-03-01", start="2028-03-01", end="2028-03-31"
    )
    # 12 months before 2028-03-01 is 2027-03-01; z left 2027-03-02, inside (2027-03-01, 2028-03-01]
    assert fig.leavers_12m == 1
    # then y, z = 2; now y = 1; 1 / 1.5 = 66.66…
    assert fig.attrition_12m_pct == D(100) / D("1.5")


# --- span of control ------------------------------------------------------------------------


def test_span_of_control() -> None:
    staff = [
        person("a"),
        person("b"),
        *(person(f"r{i}", manager="a") for i in (1, 2, 3)),  # a: 3
        *(person(f"r{i}", manager="b") for i in (4, 5, 6)),  # b: 3
        person("r7", manager="b", end="2026-09-30"),  # left: not counted
        person("x1", manager="r1"),
        person("x2", manager="r1"),  # r1: 2
        person("x3", manager="r4"),  # r4: 1
        person("x4", manager="r4", start="2026-11-01"),  # not started: not counted
    ]
    fig = people(staff)
    assert fig.managers == 4  # a, b, r1, r4
    assert fig.span_max == 3
    assert fig.span_average == D("2.3")  # (3 + 3 + 2 + 1) / 4 = 2.25 → half up 2.3


def test_no_reports_no_span() -> None:
    fig = people([person("solo")])
    assert (fig.span_average, fig.span_max, fig.managers) == (None, 0, 0)


# --- reviews --------------------------------------------------------------------------------


def test_reviews_overdue() -> None:
    staff = [
        person("r-none-old", start="2026-04-30"),  # no review, 184 days on staff (> 183)
        person("r-none-new", start="2026-05-01"),  # no review, 183 days: not yet
        person("r-late", review={"last": "2025-10-30"}),  # due 2026-10-30 → 1 day overdue
        person("r-ontime", review={"last": "2025-10-31"}),  # due 2026-10-31 = as-of: not overdue
        person("r-clamp", review={"last": "2026-03-31", "cycle_months": 6}),  # due 2026-09-30 (31 Sep → 30)
        person("c", employment="contractor", start="2020-01-01"),  # contractors are not reviewed
        person("gone", end="2026-09-30", review={"last": "2020-01-01"}),  # not on staff
    ]
    fig = people(staff)
    # sorted by due (none first), then id
    assert [(r.person.id, r.due, r.days_overdue) for r in fig.reviews_overdue] == [
        ("r-none-old", None, None),
        ("r-clamp", date(2026, 9, 30), 31),  # 30 Sep → 31 Oct
        ("r-late", date(2026, 10, 30), 1),
    ]
    # 5 employees on staff, 3 overdue: 3×5 = 15 > 5 → amber
    assert fig.by_type["employee"] == 5
    assert people_status(fig) is Rag.AMBER


def test_people_status_review_boundary(minimal: PeopleFigures) -> None:
    overdue = people([person("x", review={"last": "2025-01-01"})]).reviews_overdue
    exactly_a_fifth = replace(minimal, by_type={**NO_TYPES, "employee": 5}, reviews_overdue=overdue)
    assert people_status(exactly_a_fifth) is Rag.GREEN  # 1×5 = 5, not > 5
    more = replace(exactly_a_fifth, by_type={**NO_TYPES, "employee": 4})
    assert people_status(more) is Rag.AMBER  # 1×5 = 5 > 4


# --- training ------------------------------------------------------------------------------


def training(programme: str, **extra: Any) -> dict[str, Any]:
    return {"programme": programme, "assigned": "2026-01-01", **extra}


def test_training_completion() -> None:
    staff = [
        person(
            "p1",
            training=[
                training("t1", completed="2026-02-01"),
                training("t2", due="2026-10-30"),  # overdue
                training("t3", due="2026-10-31"),  # due today: not overdue
                training("t4"),  # no due date
            ],
        ),
        person(
            "p2",
            training=[
                training("t5", completed="2026-03-01"),
                training("t6", due="2026-01-15", completed="2026-02-01"),  # late but completed
                training("t7", due="2026-12-01"),
            ],
        ),
        person("p3", end="2026-09-30", training=[training("t8", due="2026-05-01"), training("t9")]),  # left
    ]
    fig = people(staff)
    assert fig.training_assigned == 7  # 4 + 3 (p3 not on staff)
    assert fig.training_completed == 3  # t1, t5, t6
    assert fig.training_overdue == 1  # t2
    assert fig.training_completion_pct == D(300) / D(7)  # 3 / 7 = 42.857…


def test_training_completion_without_assignments_is_none() -> None:
    assert people([person("p")]).training_completion_pct is None


# --- certifications and coverage ------------------------------------------------------------


def cert(id: str, expires: str | None) -> dict[str, Any]:
    return {"certification": id, "issued": "2024-01-01", "expires": expires}


def test_certification_expiry_windows_and_coverage() -> None:
    staff = [
        person("p1", role="dba", certifications=[cert("cert-a", "2027-01-29"), cert("cert-b", "2026-10-30")]),
        person("p2", role="dba", certifications=[cert("cert-a", "2026-10-31"), cert("cert-b", "2027-01-30")]),
        person("p3", role="dba", certifications=[cert("cert-a", None)]),
        person("p4", role="dba", end="2026-09-30", certifications=[cert("cert-a", "2026-01-01")]),  # left
        person("p5", role="ops", certifications=[cert("cert-b", "2026-11-15")]),
    ]
    roles = [
        Role.model_validate({"id": "dba", "title": "DBA", "required_certifications": ["cert-a", "cert-b"]}),
        Role.model_validate({"id": "ops", "title": "Ops"}),
    ]
    fig = analyse_people(Content(division=division(), people=staff, roles=roles))
    # as-of 2026-10-31, window 90 days: 2027-01-29 is 30 + 31 + 29 = 90 days away
    assert [(c.person.id, c.certification, c.days_left) for c in fig.certs_expired] == [("p1", "cert-b", -1)]
    assert [(c.person.id, c.certification, c.expires, c.days_left) for c in fig.certs_expiring] == [
        ("p2", "cert-a", date(2026, 10, 31), 0),  # expires on as-of: not yet expired
        ("p5", "cert-b", date(2026, 11, 15), 15),
        ("p1", "cert-a", date(2027, 1, 29), 90),  # exactly 90 days → expiring
    ]  # p2 cert-b (91 days) and p3 (no expiry) are not expiring
    assert [(c.role_id, c.certification, c.holders, c.required) for c in fig.coverage] == [
        ("dba", "cert-a", 3, 3),  # p1, p2 (expiring still counts), p3; p4 has left
        ("dba", "cert-b", 1, 3),  # p2 only: p1's has expired
    ]
    assert people_status(fig) is Rag.AMBER  # cert-b: 1×2 = 2 < 3


# --- open positions -------------------------------------------------------------------------


def test_open_positions() -> None:
    statuses = ["draft", "approved", "advertised", "interviewing", "offer", "filled", "cancelled"]
    positions = [
        Position.model_validate(
            {
                "id": f"pos-{s}",
                "role": "r",
                "team": "t",
                "status": s,
                "opened": "2026-10-01",
                "fte": "0.5" if s == "draft" else "1",
            }
        )
        for s in statuses
    ]
    fig = analyse_people(Content(division=division(), positions=positions))
    assert [o.position.id for o in fig.open_positions] == [f"pos-{s}" for s in statuses[:5]]
    assert {o.days_open for o in fig.open_positions} == {30}  # 1 Oct → 31 Oct
    assert fig.open_fte == D("4.5")  # 0.5 + 4 × 1


def test_this_period_is_the_reporting_period_not_up_to_as_of() -> None:
    # Period October 2026, as-of 5 November 2026: each list at the edges and one day outside.
    staff = [
        person("j-before", start="2026-09-30"),
        person("j-first", start="2026-10-01"),
        person("j-last", start="2026-10-31"),
        person("j-after", start="2026-11-01"),
        person("l-before", end="2026-09-30"),
        person("l-first", end="2026-10-01"),
        person("l-last", end="2026-10-31"),
        person("l-after", end="2026-11-01"),
    ]
    positions = [
        Position.model_validate({"id": pid, "role": "r", "team": "t", "status": "advertised", "opened": day})
        for pid, day in [
            ("o-before", "2026-09-30"),
            ("o-first", "2026-10-01"),
            ("o-last", "2026-10-31"),
            ("o-after", "2026-11-01"),
        ]
    ]
    fig = analyse_people(Content(division=division(as_of="2026-11-05"), people=staff, positions=positions))
    assert [p.id for p in fig.joiners] == ["j-first", "j-last"]
    assert [p.id for p in fig.leavers] == ["l-first", "l-last"]
    assert [p.id for p in fig.opened] == ["o-first", "o-last"]
    assert len(fig.open_positions) == 4  # open as of 5 November, whenever opened
