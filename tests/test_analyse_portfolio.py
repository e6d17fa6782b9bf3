"""analyse/portfolio.py, analyse/rag.py and the portfolio rule of analyse/summary.py.

Default thresholds unless said otherwise: schedule slip 10/30 days and 5/15 %, cost overrun 5/10 %,
risk score 12/16, status report stale after 45 days, milestone horizon 90 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itreport.analyse import analyse
from itreport.analyse.portfolio import (
    Health,
    analyse_milestones,
    analyse_portfolio,
    earned_value,
    rag_counts,
    red_causes,
)
from itreport.analyse.rag import Rag, better_than, by_threshold, worst
from itreport.analyse.summary import Status, portfolio_status
from itreport.content import Content, load_folder
from itreport.models.division import Division, Threshold
from itreport.models.people import Person
from itreport.models.projects import Project
from itreport.render.causes import cause_text
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
GREEN_DIMS = {
    "schedule": Rag.GREEN,
    "cost": Rag.GREEN,
    "scope": Rag.GREEN,
    "resources": Rag.GREEN,
    "risk": Rag.GREEN,
}


def said(h: Health) -> dict[str, str]:
    """The reasons as an English edition prints them (the analysis keeps keys and values)."""
    fmt, tr = Formatter("en_GB", "SEK"), Translator("en")
    return {dim: cause_text(reason, fmt, tr) for dim, reason in h.reasons.items()}


@pytest.fixture(scope="module")
def minimal() -> Content:
    result = load_folder(MINIMAL)
    assert result.problems == []
    assert result.content is not None
    return result.content


@pytest.fixture(scope="module")
def minimal_health(minimal: Content) -> dict[str, Health]:
    return {h.project.id: h for h in analyse_portfolio(minimal)}


def division(**extra: Any) -> Division:
    data: dict[str, Any] = {
        "name": "Test IT",
        "organisation": "Test AB",
        "head": "boss",
        "as_of": "2026-10-31",
        "period": {"start": "2026-10-01", "end": "2026-10-31"},
        "currency": "SEK",
    }
    data.update(extra)
    return Division.model_validate(data)


def person(id: str, name: str, **extra: Any) -> Person:
    return Person.model_validate(
        {"id": id, "name": name, "title": "T", "team": "t", "start": "2020-01-01", **extra}
    )


def project(id: str = "p", **extra: Any) -> Project:
    """Active, on baseline 2026-01-01..2026-12-31, budget 1000, reported green on 2026-10-20."""
    data: dict[str, Any] = {
        "id": id,
        "name": id.upper(),
        "sponsor": "S",
        "owner": "boss",
        "manager": "pm",
        "investment_class": "run",
        "phase": "execution",
        "state": "active",
        "schedule": {"baseline": {"start": "2026-01-01", "end": "2026-12-31"}},
        "budget": {"capex": 0, "opex": 1000},
        "status": [{"date": "2026-10-20", "overall": {"rag": "green"}}],
    }
    data.update(extra)
    return Project.model_validate(data)


def health(p: Project, people: list[Person] | None = None, **div: Any) -> Health:
    people = [person("pm", "Pat Lee")] if people is None else people
    (h,) = analyse_portfolio(Content(division=division(**div), people=people, projects=[p]))
    return h


def D(value: str) -> Decimal:
    return Decimal(value)


# --- rag.py ----------------------------------------------------------------------------------


def test_by_threshold_boundaries() -> None:
    t = Threshold(amber=D("10"), red=D("30"))
    assert by_threshold(9, t) is Rag.GREEN
    assert by_threshold(10, t) is Rag.AMBER  # at amber → amber
    assert by_threshold(D("29.9"), t) is Rag.AMBER
    assert by_threshold(30, t) is Rag.RED  # at red → red
    assert by_threshold(-50, t) is Rag.GREEN
    assert by_threshold(None, t) is Rag.GREEN


def test_worst_and_better_than() -> None:
    assert worst([]) is Rag.GREEN
    assert worst([Rag.GREEN, Rag.GREY]) is Rag.GREY  # grey ranks between green and amber
    assert worst([Rag.GREY, Rag.AMBER, Rag.GREEN]) is Rag.AMBER
    assert worst([Rag.AMBER, Rag.RED]) is Rag.RED
    assert better_than(Rag.GREEN, Rag.AMBER)
    assert better_than(Rag.AMBER, Rag.RED)
    assert not better_than(Rag.RED, Rag.AMBER)
    assert not better_than(Rag.AMBER, Rag.AMBER)
    assert not better_than(Rag.GREEN, Rag.GREY)  # grey never counts
    assert not better_than(Rag.GREY, Rag.RED)


# --- the minimal fixture ---------------------------------------------------------------------


def test_minimal_alpha_health(minimal_health: dict[str, Health]) -> None:
    h = minimal_health["alpha"]
    assert h.live
    assert h.report_age_days == 11  # 2026-10-20 → 2026-10-31
    assert not h.stale
    assert h.baseline_end == date(2026, 12, 31)
    assert h.forecast_end == date(2027, 1, 31)  # no actual end → forecast end
    assert h.slip_days == 31  # 31 Dec → 31 Jan
    assert h.slip_pct == D(31) * 100 / D(364)  # 31 / 364 (2026-01-01 → 2026-12-31) = 8.516…
    assert h.budget == D("1200000")
    assert h.eac == D("1300000")
    assert h.overrun_pct == D(100_000) * 100 / D(1_200_000)  # 100 000 / 1 200 000 = 8.33…
    assert h.dimensions == {
        "schedule": Rag.RED,  # 31 days ≥ 30 (8.5 % alone would be amber)
        "cost": Rag.AMBER,  # 5 ≤ 8.3 < 10
        "scope": Rag.GREEN,  # no scope assessment; decision needed 2026-11-30 is not late
        "resources": Rag.GREEN,  # bo.ek is on staff
        "risk": Rag.GREEN,  # r1 scores 4×4 = 16 but is mitigated; i1 is high, not critical
    }
    assert said(h) == {"schedule": "+31 days against baseline", "cost": "EAC +8.3% against budget"}
    assert h.computed is Rag.RED
    assert h.reported is Rag.AMBER
    assert h.flagged  # amber reported, red computed


def test_minimal_alpha_earned_value(minimal_health: dict[str, Health]) -> None:
    ev = minimal_health["alpha"].earned_value
    assert ev is not None
    assert ev.bac == D("1200000")
    # baseline 2026-01-01 → 2026-12-31 = 364 days; elapsed to 2026-10-31 = 273 (to 1 Oct) + 30 = 303
    assert ev.pv == D("998901.10")  # 1 200 000 × 303 / 364 = 998 901.0989…
    assert ev.ev == D("720000.00")  # 1 200 000 × 60 %
    assert ev.ac == D("800000")
    assert ev.cpi == D("0.90")  # 720 000 / 800 000
    assert ev.spi == D("0.72")  # 720 000 / 998 901.10 = 0.7208
    assert ev.eac == D("1333333.33")  # 1 200 000 / 0.90


def test_minimal_beta_completed(minimal_health: dict[str, Health]) -> None:
    h = minimal_health["beta"]
    assert not h.live
    assert h.report_age_days == 123  # 2026-06-30 → 2026-10-31: 31 + 31 + 30 + 31
    assert not h.stale  # only live projects go stale
    assert h.computed is Rag.GREY  # not live
    assert h.reported is Rag.GREEN
    assert not h.flagged
    assert h.slip_days == 0  # actual end 2026-06-30 = baseline end
    assert h.slip_pct == D("0.0")  # 0 / 180
    assert h.budget == D("300000")  # capex 0 + opex 300 000
    assert h.eac == D("290000")  # completed without EAC → actual cost
    assert h.overrun_pct == D(-10_000) * 100 / D(300_000)  # −10 000 / 300 000
    assert h.earned_value is None  # not live


def test_minimal_rag_counts_and_status(minimal: Content, minimal_health: dict[str, Health]) -> None:
    hs = tuple(minimal_health.values())
    assert rag_counts(hs) == {"green": 0, "amber": 0, "red": 1, "grey": 0}  # beta is not live
    assert portfolio_status(hs) is Rag.RED  # 1 red of 1 live: 1×4 > 1
    status = analyse(minimal).status
    # finance −2.3 % → green; people: no overdue reviews, itil4 held by 1 of 2 managers (not < half)
    assert status == Status(portfolio=Rag.RED, finance=Rag.GREEN, people=Rag.GREEN)
    assert status.overall is Rag.RED


def test_minimal_milestones(minimal: Content) -> None:
    ms = analyse_milestones(minimal)
    # design done 2026-04-10 (before the October period); go-live due 2027-01-31, past the
    # horizon 2026-10-31 + 90 = 2027-01-29
    assert (ms.completed, ms.upcoming, ms.missed) == ((), (), ())


# --- a plain green project -------------------------------------------------------------------


def test_on_track_project_is_green() -> None:
    h = health(project())
    assert h.dimensions == GREEN_DIMS
    assert h.reasons == {}
    assert h.computed is Rag.GREEN
    assert (h.slip_days, h.slip_pct, h.overrun_pct) == (0, D("0.0"), D("0.0"))
    assert not h.flagged


# --- staleness -------------------------------------------------------------------------------


def test_no_status_report_is_stale_grey() -> None:
    h = health(project(status=[]))
    assert h.latest is None
    assert h.report_age_days is None
    assert h.stale
    assert h.computed is Rag.GREY
    assert h.reported is None
    assert not h.flagged


def test_stale_boundary() -> None:
    h = health(project(status=[{"date": "2026-09-16", "overall": {"rag": "green"}}]))
    assert h.report_age_days == 45  # 16 Sep → 16 Oct = 30, → 31 Oct = 15
    assert not h.stale  # 45 is not older than 45
    assert h.computed is Rag.GREEN
    h = health(project(status=[{"date": "2026-09-15", "overall": {"rag": "green"}}]))
    assert h.report_age_days == 46
    assert h.stale
    assert h.computed is Rag.GREY


def test_stale_report_with_red_dimension_is_grey_and_not_flagged() -> None:
    p = project(
        status=[{"date": "2026-08-01", "overall": {"rag": "green"}}],
        schedule={
            "baseline": {"start": "2026-01-01", "end": "2026-12-31"},
            "forecast": {"end": "2027-03-01"},
        },
    )
    h = health(p)
    assert h.dimensions["schedule"] is Rag.RED  # 60 days late
    assert h.computed is Rag.GREY  # 91 days old
    assert h.assessed is Rag.RED  # what the facts say, kept for Exceptions and the portfolio status
    assert said(h)["schedule"] == "+60 days against baseline"  # 31 Dec → 1 Mar: 31 + 29... = 60
    assert not h.flagged  # grey never counts


def test_latest_report_wins_whatever_the_order() -> None:
    reports = [
        {"date": "2026-10-20", "overall": {"rag": "amber"}},
        {"date": "2026-08-01", "overall": {"rag": "green"}},
        {"date": "2026-09-30", "overall": {"rag": "red"}},
    ]
    h = health(project(status=reports))
    assert h.latest is not None
    assert h.latest.date == date(2026, 10, 20)
    assert h.reported is Rag.AMBER
    assert h.report_age_days == 11


# --- reported vs computed --------------------------------------------------------------------


def test_reported_better_than_computed_is_flagged() -> None:
    late = {"baseline": {"start": "2026-01-01", "end": "2026-12-31"}, "forecast": {"end": "2027-01-30"}}
    h = health(project(schedule=late))
    assert h.slip_days == 30  # 31 Dec → 30 Jan
    assert h.computed is Rag.RED
    assert h.reported is Rag.GREEN
    assert h.flagged

    h = health(project(status=[{"date": "2026-10-20", "overall": {"rag": "red"}}]))
    assert h.computed is Rag.GREEN
    assert h.reported is Rag.RED
    assert not h.flagged  # more pessimistic than computed: not flagged


# --- schedule --------------------------------------------------------------------------------


def sched(end: str, start: str = "2026-01-01", **extra: Any) -> dict[str, Any]:
    return {"baseline": {"start": start, "end": end}, **extra}


def test_schedule_slip_day_thresholds() -> None:
    h = health(project(schedule=sched("2026-12-31", forecast={"end": "2027-01-09"})))
    assert (h.slip_days, h.slip_pct) == (9, D(900) / D(364))  # 9 / 364 = 2.47…
    assert h.dimensions["schedule"] is Rag.GREEN

    h = health(project(schedule=sched("2026-12-31", forecast={"end": "2027-01-10"})))
    assert (h.slip_days, h.slip_pct) == (10, D(1000) / D(364))  # 10 / 364 = 2.747…
    assert h.dimensions["schedule"] is Rag.AMBER  # 10 days = amber threshold
    assert said(h)["schedule"] == "+10 days against baseline"


def test_schedule_slip_pct_threshold() -> None:
    # 20-day baseline, 3 days late: 3 days is green, but 3 / 20 = 15 % is red
    h = health(project(schedule=sched("2026-10-21", start="2026-10-01", forecast={"end": "2026-10-24"})))
    assert (h.slip_days, h.slip_pct) == (3, D("15.0"))
    assert h.dimensions["schedule"] is Rag.RED


def test_actual_end_wins_over_forecast_and_early_finish_is_negative() -> None:
    s = sched("2026-12-31", forecast={"end": "2027-03-01"}, actual={"end": "2026-12-26"})
    h = health(project(schedule=s))
    assert h.forecast_end == date(2026, 12, 26)
    assert h.slip_days == -5
    assert h.slip_pct == D(-500) / D(364)  # −5 / 364 = −1.37…
    assert h.dimensions["schedule"] is Rag.GREEN


def test_key_milestone_overdue_makes_schedule_red() -> None:
    milestones = [
        {"id": "m1", "name": "Cut-over", "baseline": "2026-10-30", "key": True},  # due yesterday
        {"id": "m2", "name": "Later", "baseline": "2026-12-01", "key": True},
    ]
    h = health(project(milestones=milestones))
    assert h.slip_days == 0
    assert h.dimensions["schedule"] is Rag.RED
    assert said(h)["schedule"] == "key milestone overdue: Cut-over"
    assert h.computed is Rag.RED


@pytest.mark.parametrize(
    "milestone",
    [
        {"id": "m", "name": "M", "baseline": "2026-10-01"},  # overdue but not key
        {"id": "m", "name": "M", "baseline": "2026-10-31", "key": True},  # due today: not past due
        {
            "id": "m",
            "name": "M",
            "baseline": "2026-10-01",
            "forecast": "2026-11-05",
            "key": True,
        },  # re-forecast
        {"id": "m", "name": "M", "baseline": "2026-10-01", "actual": "2026-10-20", "key": True},  # done late
    ],
)
def test_milestones_that_do_not_turn_schedule_red(milestone: dict[str, Any]) -> None:
    assert health(project(milestones=[milestone])).dimensions["schedule"] is Rag.GREEN


# --- cost ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eac", "overrun", "rag"),
    [
        ("1049", "4.9", Rag.GREEN),  # 49 / 1000
        ("1050", "5.0", Rag.AMBER),  # 50 / 1000 = amber threshold
        ("1099", "9.9", Rag.AMBER),
        ("1100", "10.0", Rag.RED),  # 100 / 1000 = red threshold
        ("900", "-10.0", Rag.GREEN),  # underspend
    ],
)
def test_cost_overrun(eac: str, overrun: str, rag: Rag) -> None:
    h = health(project(budget={"capex": 600, "opex": 400, "estimate_at_completion": eac}))
    assert h.budget == D("1000")  # 600 + 400
    assert h.overrun_pct == D(overrun)
    assert h.dimensions["cost"] is rag


def test_total_budget_is_used_when_given() -> None:
    h = health(project(budget={"capex": 600, "opex": 400, "total": 1000, "estimate_at_completion": 1080}))
    assert (h.budget, h.overrun_pct) == (D("1000"), D("8.0"))  # 80 / 1000
    assert said(h)["cost"] == "EAC +8.0% against budget"


def test_cancelled_project_eac_is_actual_cost() -> None:
    p = project(
        state="cancelled",
        budget={"capex": 0, "opex": 1000, "actual_to_date": 120, "estimate_at_completion": 900},
    )
    h = health(p)
    assert (h.budget, h.eac) == (D("1000"), D("120"))  # cancelled: what was spent, not the stated 900
    assert h.overrun_pct == D("-88.0")  # (120 − 1000) / 1000
    assert not h.live
    assert h.computed is Rag.GREY


def test_zero_budget() -> None:
    h = health(project(budget={"capex": 0, "opex": 0, "actual_to_date": 50}))
    assert (h.budget, h.eac) == (D("0"), D("0"))  # active without EAC → EAC = budget
    assert h.overrun_pct is None
    assert h.dimensions["cost"] is Rag.GREEN
    assert h.earned_value is None  # BAC 0


# --- scope -----------------------------------------------------------------------------------


def decision(id: str, needed_by: str, state: str = "pending") -> dict[str, Any]:
    return {
        "id": id,
        "title": f"Decide {id}",
        "requested_of": "Board",
        "needed_by": needed_by,
        "state": state,
    }


def test_late_pending_decision_makes_scope_amber() -> None:
    h = health(project(decisions=[decision("d0", "2026-11-15"), decision("d1", "2026-10-30")]))
    assert h.dimensions["scope"] is Rag.AMBER
    assert said(h)["scope"] == "decision overdue: Decide d1"


def test_decisions_that_do_not_affect_scope() -> None:
    decisions = [decision("d1", "2026-10-31"), decision("d2", "2026-09-01", state="approved")]
    assert health(project(decisions=decisions)).dimensions["scope"] is Rag.GREEN  # due today; decided


def test_reported_comment_explains_a_colour_not_computed() -> None:
    report = {
        "date": "2026-10-20",
        "overall": {"rag": "amber"},
        "scope": {"rag": "amber", "comment": "Scope creep"},
        "resources": {"rag": "green", "comment": "Fully staffed"},
    }
    h = health(project(status=[report]))
    assert h.dimensions["scope"] is Rag.AMBER
    assert said(h) == {"scope": "Scope creep"}  # green resources: its comment is not a reason

    report["resources"] = {"rag": "amber", "comment": "Hiring"}
    h = health(project(manager=None, status=[report]))
    assert said(h)["resources"] == "no project manager"  # a computed reason wins over the comment


def test_reported_scope_red_stays_red_with_late_decision() -> None:
    report = {"date": "2026-10-20", "overall": {"rag": "red"}, "scope": {"rag": "red"}}
    h = health(project(status=[report], decisions=[decision("d1", "2026-10-01")]))
    assert h.dimensions["scope"] is Rag.RED  # worst(red, amber)


# --- resources -------------------------------------------------------------------------------


def test_no_project_manager_is_amber() -> None:
    h = health(project(manager=None))
    assert h.dimensions["resources"] is Rag.AMBER
    assert said(h)["resources"] == "no project manager"
    assert h.computed is Rag.AMBER


def test_project_manager_who_has_left_is_red() -> None:
    h = health(project(), people=[person("pm", "Pat Lee", end="2026-10-30")])
    assert h.dimensions["resources"] is Rag.RED
    assert said(h)["resources"] == "project manager Pat Lee has left"


def test_project_manager_leaving_today_has_not_left() -> None:
    h = health(project(), people=[person("pm", "Pat Lee", end="2026-10-31")])
    assert h.dimensions["resources"] is Rag.GREEN  # last day is as-of


def test_reported_resources_red_without_manager_stays_red() -> None:
    report = {"date": "2026-10-20", "overall": {"rag": "red"}, "resources": {"rag": "red"}}
    h = health(project(manager=None, status=[report]))
    assert h.dimensions["resources"] is Rag.RED
    # The rule gives amber without a manager; the red is the report's, and it gave no comment:
    # the cause prints the colour alone, never "no project manager" beside a red.
    assert "resources" not in said(h)


@pytest.mark.parametrize(
    ("reported", "rag", "reason"),
    [
        ("green", Rag.AMBER, "no project manager"),  # the rule sets the colour
        ("amber", Rag.AMBER, "no project manager"),  # boundary: the rule and the report agree
        ("red", Rag.RED, "Nobody to run the roll-out"),  # the report sets it: its comment says why
    ],
)
def test_resources_reason_is_what_sets_the_colour(reported: str, rag: Rag, reason: str) -> None:
    """The example's field-service app: no manager, resources reported red. The appendix says a
    missing manager gives amber, so "no project manager" beside the red dot contradicted it."""
    report = {
        "date": "2026-10-20",
        "overall": {"rag": reported},
        "resources": {"rag": reported, "comment": "Nobody to run the roll-out"},
    }
    h = health(project(manager=None, status=[report]))
    assert (h.dimensions["resources"], said(h)["resources"]) == (rag, reason)


@pytest.mark.parametrize(
    ("reported", "rag", "reason"),
    [
        ("green", Rag.AMBER, "decision overdue: Decide d1"),
        ("amber", Rag.AMBER, "decision overdue: Decide d1"),  # boundary: both amber
        ("red", Rag.RED, "Half the scope is new"),
    ],
)
def test_scope_reason_is_what_sets_the_colour(reported: str, rag: Rag, reason: str) -> None:
    report = {
        "date": "2026-10-20",
        "overall": {"rag": reported},
        "scope": {"rag": reported, "comment": "Half the scope is new"},
    }
    h = health(project(status=[report], decisions=[decision("d1", "2026-10-01")]))
    assert (h.dimensions["scope"], said(h)["scope"]) == (rag, reason)


# --- risk ------------------------------------------------------------------------------------


def risk(id: str, p: int, i: int, **extra: Any) -> dict[str, Any]:
    return {"id": id, "title": f"Risk {id}", "probability": p, "impact": i, **extra}


def issue(id: str, priority: str, **extra: Any) -> dict[str, Any]:
    return {"id": id, "title": f"Issue {id}", "priority": priority, **extra}


@pytest.mark.parametrize(
    ("risks", "rag"),
    [
        ([risk("r", 4, 4)], Rag.RED),  # 16 ≥ 16 unmitigated
        ([risk("r", 3, 4)], Rag.AMBER),  # 12 ≥ 12 unmitigated
        ([risk("r", 3, 5)], Rag.AMBER),  # 15: amber, below red
        ([risk("r", 2, 5)], Rag.GREEN),  # 10 < 12
        ([risk("r", 5, 5, mitigation="Second supplier")], Rag.GREEN),  # mitigated
        ([risk("r", 4, 4, mitigation="   ")], Rag.RED),  # blank mitigation counts as none
        ([risk("r", 5, 5, state="closed")], Rag.GREEN),  # closed
    ],
)
def test_risk_dimension_from_risks(risks: list[dict[str, Any]], rag: Rag) -> None:
    assert health(project(risks=risks)).dimensions["risk"] is rag


def test_risk_reason_names_the_worst_unmitigated_risk() -> None:
    h = health(project(risks=[risk("a", 3, 4), risk("b", 4, 4)]))
    assert h.dimensions["risk"] is Rag.RED
    assert said(h)["risk"] == "unmitigated risk: Risk b (score 16)"  # 4 × 4


@pytest.mark.parametrize(
    ("issues", "rag"),
    [
        ([issue("i", "critical", due="2026-10-30")], Rag.RED),  # critical, past due
        ([issue("i", "critical", due="2026-10-31", state="in_progress")], Rag.AMBER),  # due today
        ([issue("i", "critical")], Rag.AMBER),  # critical without due date
        ([issue("i", "critical", due="2026-01-01", state="resolved")], Rag.GREEN),  # resolved
        ([issue("i", "high", due="2026-01-01")], Rag.GREEN),  # not critical
    ],
)
def test_risk_dimension_from_critical_issues(issues: list[dict[str, Any]], rag: Rag) -> None:
    assert health(project(issues=issues)).dimensions["risk"] is rag


def test_critical_issue_reason() -> None:
    h = health(project(issues=[issue("i9", "critical", due="2026-10-30")]))
    assert said(h)["risk"] == "critical issue: Issue i9"


# --- live states ----------------------------------------------------------------------------


def test_on_hold_is_live_and_proposed_is_not() -> None:
    h = health(project(state="on_hold"))
    assert h.live
    assert h.computed is Rag.GREEN
    assert h.earned_value is not None

    h = health(project(state="proposed", status=[]))
    assert not h.live
    assert not h.stale  # only live projects go stale
    assert h.computed is Rag.GREY
    assert h.earned_value is None


# --- earned value ----------------------------------------------------------------------------


def ev_project(percent: int, actual: int, bac: int = 2000) -> Project:
    # baseline 2026-01-01 → 2026-04-11 = 31 + 28 + 31 + 10 = 100 days
    return project(
        schedule=sched("2026-04-11"),
        percent_complete=percent,
        budget={"capex": 0, "opex": bac, "actual_to_date": actual},
    )


def test_earned_value_by_hand() -> None:
    ev = earned_value(ev_project(40, 1000), D("2000"), date(2026, 2, 20))
    assert ev is not None
    # elapsed 2026-01-01 → 2026-02-20 = 31 + 19 = 50 of 100 days
    assert ev.pv == D("1000.00")  # 2000 × 50 / 100
    assert ev.ev == D("800.00")  # 2000 × 40 %
    assert ev.ac == D("1000")
    assert ev.cpi == D("0.80")  # 800 / 1000
    assert ev.spi == D("0.80")  # 800 / 1000
    assert ev.eac == D("2500.00")  # 2000 / 0.80


def test_earned_value_clamps_elapsed_time() -> None:
    before = earned_value(ev_project(0, 0), D("2000"), date(2025, 12, 15))
    assert before is not None
    assert before.pv == D("0.00")  # elapsed −17 days → 0
    assert before.spi is None  # PV 0
    assert before.cpi is None  # AC 0
    assert before.eac is None  # no CPI

    after = earned_value(ev_project(90, 2400), D("2000"), date(2026, 6, 1))
    assert after is not None
    assert after.pv == D("2000.00")  # elapsed 151 days, capped at 100
    assert after.ev == D("1800.00")  # 2000 × 90 %
    assert after.cpi == D("0.75")  # 1800 / 2400
    assert after.spi == D("0.90")  # 1800 / 2000
    assert after.eac == D("2666.67")  # 2000 / 0.75 = 2666.66…


def test_earned_value_not_computable() -> None:
    as_of = date(2026, 2, 20)
    assert earned_value(ev_project(40, 1000), D("0"), as_of) is None  # BAC 0
    no_start = project(schedule={"baseline": {"end": "2026-12-31"}})
    assert earned_value(no_start, D("1000"), as_of) is None
    backwards = project(schedule=sched("2026-01-01", start="2026-01-01"))
    assert earned_value(backwards, D("1000"), as_of) is None  # zero-length baseline


def test_earned_value_eac_uses_unrounded_cpi() -> None:
    # regression: EAC was once BAC divided by the CPI already rounded to 0.33 → 3030.30
    ev = earned_value(ev_project(10, 300, bac=1000), D("1000"), date(2026, 2, 20))
    assert ev is not None
    assert ev.ev == D("100.00")  # 1000 × 10 %
    assert ev.cpi == D("0.33")  # 100 / 300 = 0.333… (as shown)
    assert ev.eac == D("3000.00")  # BAC / CPI = 1000 × 300 / 100


# --- milestone lists ------------------------------------------------------------------------


def test_milestone_lists() -> None:
    a = project(
        "a",
        milestones=[
            {"id": "m1", "name": "M1", "baseline": "2026-09-30", "actual": "2026-10-05"},  # done in period
            {
                "id": "m2",
                "name": "M2",
                "baseline": "2026-09-30",
                "actual": "2026-09-30",
            },  # done before period
            {"id": "m3", "name": "M3", "baseline": "2026-10-15"},  # missed
            {"id": "m4", "name": "M4", "baseline": "2026-10-01", "forecast": "2026-11-15"},  # upcoming
            {"id": "m5", "name": "M5", "baseline": "2027-01-29"},  # upcoming: exactly the horizon
            {"id": "m6", "name": "M6", "baseline": "2027-01-30"},  # beyond the horizon
            {"id": "m7", "name": "M7", "baseline": "2026-10-31"},  # due today: upcoming
            {"id": "m8", "name": "M8", "baseline": "2026-10-20", "forecast": "2026-10-25"},  # missed
        ],
    )
    cancelled = project(
        "b", state="cancelled", milestones=[{"id": "x", "name": "X", "baseline": "2026-10-01"}]
    )
    done = project(
        "c",
        state="completed",
        milestones=[{"id": "y", "name": "Y", "baseline": "2026-10-31", "actual": "2026-10-31"}],
    )
    ms = analyse_milestones(Content(division=division(), projects=[a, cancelled, done]))
    # horizon: 2026-10-31 + 90 days = 2027-01-29 (30 to Nov 30, 31 to Dec 31, 29 to Jan 29)
    assert [(v.project.id, v.milestone.id, v.due, v.slip_days) for v in ms.completed] == [
        ("a", "m1", date(2026, 10, 5), 5),  # 30 Sep → 5 Oct
        ("c", "y", date(2026, 10, 31), 0),  # on as-of: still in the period
    ]
    assert [(v.milestone.id, v.due, v.slip_days) for v in ms.missed] == [
        ("m3", date(2026, 10, 15), 0),
        ("m8", date(2026, 10, 25), 5),  # forecast 25 Oct vs baseline 20 Oct
    ]
    assert [(v.milestone.id, v.due, v.slip_days) for v in ms.upcoming] == [
        ("m7", date(2026, 10, 31), 0),
        ("m4", date(2026, 11, 15), 45),  # 1 Oct → 1 Nov = 31, → 15 Nov = 14
        ("m5", date(2027, 1, 29), 0),
    ]


# --- portfolio status (summary.py) ----------------------------------------------------------


def with_colours(base: Health, live: Sequence[Rag], dead: Sequence[Rag] = ()) -> tuple[Health, ...]:
    return tuple(replace(base, live=True, computed=c) for c in live) + tuple(
        replace(base, live=False, computed=c) for c in dead
    )


@pytest.mark.parametrize(
    ("live", "dead", "expected"),
    [
        ([], [Rag.RED], Rag.GREY),  # nothing live: not assessed, never green
        ([Rag.GREEN] * 4, [], Rag.GREEN),
        ([Rag.RED, Rag.GREEN, Rag.GREEN, Rag.GREEN], [], Rag.AMBER),  # 1×4 = 4, not > 4 → amber
        ([Rag.RED, Rag.RED, Rag.GREEN, Rag.GREEN], [], Rag.RED),  # 2×4 = 8 > 4
        ([Rag.RED, Rag.GREEN, Rag.GREEN], [], Rag.RED),  # 1×4 = 4 > 3
        ([Rag.RED, *[Rag.GREEN] * 4], [], Rag.AMBER),  # 1×4 = 4, not > 5
        ([Rag.AMBER, Rag.GREEN, Rag.GREEN, Rag.GREEN], [], Rag.GREEN),  # 1 amber: 4, not > 4
        ([Rag.AMBER, Rag.AMBER, Rag.GREEN, Rag.GREEN], [], Rag.AMBER),  # 2×4 = 8 > 4
        ([Rag.GREY, Rag.GREY, Rag.GREEN, Rag.GREEN], [], Rag.GREEN),  # grey counts as neither
        ([Rag.GREEN] * 4, [Rag.RED, Rag.RED], Rag.GREEN),  # projects not live are ignored
    ],
)
def test_portfolio_status(
    minimal_health: dict[str, Health], live: list[Rag], dead: list[Rag], expected: Rag
) -> None:
    assert portfolio_status(with_colours(minimal_health["alpha"], live, dead)) is expected


def test_rag_counts_only_live() -> None:
    base = health(project())
    hs = with_colours(base, [Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.GREY], [Rag.RED])
    assert rag_counts(hs) == {"green": 2, "amber": 1, "red": 0, "grey": 1}


@pytest.mark.parametrize(
    ("eac", "overrun", "rag"),
    [
        ("1049998", "4.9998", Rag.GREEN),  # 49 998 / 1 000 000: rounds to 5.0 but is below amber 5
        ("1049999", "4.9999", Rag.GREEN),  # one unit below the amber threshold
        ("1050000", "5", Rag.AMBER),  # exactly at amber
        ("1050001", "5.0001", Rag.AMBER),  # one unit above
        ("1099999", "9.9999", Rag.AMBER),  # one unit below red (printed 9.9 %, never 10.0 %)
        ("1100000", "10", Rag.RED),  # exactly at red
    ],
)
def test_cost_threshold_compares_the_exact_overrun(eac: str, overrun: str, rag: Rag) -> None:
    h = health(project(budget={"capex": 1_000_000, "opex": 0, "estimate_at_completion": eac}))
    assert h.overrun_pct == D(overrun)
    assert h.dimensions["cost"] is rag


def test_cost_reason_is_cut_toward_zero_so_it_agrees_with_the_colour() -> None:
    h = health(project(budget={"capex": 1_000_000, "opex": 0, "estimate_at_completion": "1099999"}))
    assert h.dimensions["cost"] is Rag.AMBER
    assert said(h)["cost"] == "EAC +9.9% against budget"  # 9.9999 % cut, not rounded to 10.0 %


def test_achieved_this_period_is_the_reporting_period_not_up_to_as_of() -> None:
    # Period October 2026, as-of 5 November 2026.
    a = project(
        "a",
        milestones=[
            {"id": "before", "name": "B", "baseline": "2026-09-30", "actual": "2026-09-30"},  # day before
            {"id": "first", "name": "F", "baseline": "2026-10-01", "actual": "2026-10-01"},  # period start
            {"id": "last", "name": "L", "baseline": "2026-10-31", "actual": "2026-10-31"},  # period end
            {"id": "after", "name": "A", "baseline": "2026-11-01", "actual": "2026-11-01"},  # day after
        ],
    )
    ms = analyse_milestones(Content(division=division(as_of="2026-11-05"), projects=[a]))
    assert [v.milestone.id for v in ms.completed] == ["first", "last"]


@pytest.mark.parametrize(
    ("projects", "expected"),
    [
        # four live projects as (colour its facts give, has a current report)
        ([(Rag.GREEN, True)] * 4, Rag.GREEN),
        ([(Rag.GREEN, True)] * 3 + [(Rag.GREEN, False)], Rag.GREEN),  # 1 stale → amber: 4, not > 4
        ([(Rag.GREEN, True)] * 2 + [(Rag.GREEN, False)] * 2, Rag.AMBER),  # 2 stale → amber: 8 > 4
        ([(Rag.GREEN, True)] * 3 + [(Rag.RED, False)], Rag.AMBER),  # stale red counts red: any red
        ([(Rag.RED, True)] + [(Rag.GREEN, True)] * 2 + [(Rag.RED, False)], Rag.RED),  # 2 red: 8 > 4
    ],
)
def test_stale_project_counts_by_its_facts_and_at_least_amber(
    minimal_health: dict[str, Health], projects: list[tuple[Rag, bool]], expected: Rag
) -> None:
    base = minimal_health["alpha"]
    health = tuple(
        replace(base, live=True, stale=not current, computed=c if current else Rag.GREY, assessed=c)
        for c, current in projects
    )
    assert portfolio_status(health) is expected


# --- why projects are red ----------------------------------------------------------------------


def late(days: int, **extra: Any) -> Project:
    """Forecast end `days` after the baseline end of 2026-12-31 (red from 30 days)."""
    end = date(2026, 12, 31) + timedelta(days=days)
    schedule = {"baseline": {"start": "2026-01-01", "end": "2026-12-31"}, "forecast": {"end": str(end)}}
    return project(schedule=schedule, **extra)


def causes(*projects: Project) -> dict[str, int]:
    people = [person("pm", "Pat Lee")]
    return red_causes(analyse_portfolio(Content(division=division(), people=people, projects=list(projects))))


def test_red_causes_when_every_red_project_is_late() -> None:
    # Two projects 30 and 45 days late (red at 30), on budget: the cause is the same for all.
    assert causes(late(30, id="a"), late(45, id="b")) == {
        "schedule": 2,
        "cost": 0,
        "scope": 0,
        "resources": 0,
        "risk": 0,
    }


def test_red_causes_mixed_and_at_the_cost_boundary() -> None:
    # a: 30 days late; b: 30 days late and EAC 1,100 on 1,000 (+10.0 %, red at 10 %);
    # c: 40 days late, EAC 1,099 (+9.9 %: amber, not red on cost); d: on time, EAC 1,100.
    over = {"capex": 0, "opex": 1000, "estimate_at_completion": 1100}
    under = {"capex": 0, "opex": 1000, "estimate_at_completion": 1099}
    projects = (
        late(30, id="a"),
        late(30, id="b", budget=over),
        late(40, id="c", budget=under),
        project("d", budget=over),
    )
    got = causes(*projects)
    assert got == {"schedule": 3, "cost": 2, "scope": 0, "resources": 0, "risk": 0}
    # 4 red projects, 5 counts: b is red on both, so "all because of schedule slips" is false
    content = Content(division=division(), people=[person("pm", "Pat Lee")], projects=list(projects))
    assert rag_counts(analyse_portfolio(content))["red"] == 4


def test_red_causes_leave_out_projects_not_shown_red() -> None:
    # 29 days late is amber; a stale report shows grey; a completed project is not live.
    stale = [{"date": "2026-08-01", "overall": {"rag": "green"}}]
    got = causes(late(29, id="a"), late(60, id="b", status=stale), late(60, id="c", state="completed"))
    assert got == dict.fromkeys(("schedule", "cost", "scope", "resources", "risk"), 0)


@pytest.mark.parametrize(
    ("risks", "issues", "rag", "reason"),
    [
        # An amber-scoring risk (3 × 4 = 12) beside a critical issue past due: red, and the reason
        # is the issue (the appendix: a risk scoring 12 gives amber).
        ([risk("a", 3, 4)], [issue("i1", "critical", due="2026-10-30")], Rag.RED, "critical issue: Issue i1"),
        # Boundary: due today is not past due, so amber from both; the risk is named.
        (
            [risk("a", 3, 4)],
            [issue("i1", "critical", due="2026-10-31")],
            Rag.AMBER,
            "unmitigated risk: Risk a (score 12)",
        ),
        # A red-scoring risk (4 × 4) sets red itself: it is named.
        (
            [risk("b", 4, 4)],
            [issue("i1", "critical", due="2026-10-30")],
            Rag.RED,
            "unmitigated risk: Risk b (score 16)",
        ),
        # Two critical issues, the second past due: the one that makes it red is named.
        (
            [],
            [issue("i1", "critical"), issue("i2", "critical", due="2026-10-01")],
            Rag.RED,
            "critical issue: Issue i2",
        ),
    ],
)
def test_risk_reason_is_what_sets_the_colour(
    risks: list[dict[str, Any]], issues: list[dict[str, Any]], rag: Rag, reason: str
) -> None:
    h = health(project(risks=risks, issues=issues))
    assert (h.dimensions["risk"], said(h)["risk"]) == (rag, reason)


@pytest.mark.parametrize(
    ("start", "days", "rag", "reason"),
    [
        # 60-day baseline (1 Nov – 31 Dec): 9 days is 15.0 % (red at 15 %), green by days (10/30).
        ("2026-11-01", 9, Rag.RED, "+9 days against baseline, 15.0% of its duration"),
        ("2026-11-01", 8, Rag.AMBER, "+8 days against baseline, 13.3% of its duration"),  # 13.33 %
        ("2026-11-01", 10, Rag.RED, "+10 days against baseline, 16.6% of its duration"),  # amber by days
        # 200-day baseline: 30 days is 15.0 %, red both ways: the days say it.
        ("2026-06-14", 30, Rag.RED, "+30 days against baseline"),
        # A year: 30 days is 8.2 %, amber by share, red by days: the days set it.
        ("2026-01-01", 30, Rag.RED, "+30 days against baseline"),
    ],
)
def test_schedule_reason_gives_the_share_when_the_share_sets_the_colour(
    start: str, days: int, rag: Rag, reason: str
) -> None:
    end = date(2026, 12, 31) + timedelta(days=days)
    schedule = {"baseline": {"start": start, "end": "2026-12-31"}, "forecast": {"end": str(end)}}
    h = health(project(schedule=schedule))
    assert (h.dimensions["schedule"], said(h)["schedule"]) == (rag, reason)


def test_schedule_share_reason_in_swedish() -> None:
    end = date(2026, 12, 31) + timedelta(days=9)
    schedule = {"baseline": {"start": "2026-11-01", "end": "2026-12-31"}, "forecast": {"end": str(end)}}
    h = health(project(schedule=schedule))
    text = cause_text(h.reasons["schedule"], Formatter("sv_SE", "SEK"), Translator("sv"))
    assert text == "+9 dagar mot baslinjen, 15,0\u00a0% av dess längd"
