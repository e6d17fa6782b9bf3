"""analyse/finance.py and the finance rule of analyse/summary.py, with hand-computed figures."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from itreport.analyse.finance import Figures, Finance, analyse_finance, project_costs
from itreport.analyse.rag import Rag
from itreport.analyse.summary import finance_status
from itreport.content import Content, load_folder
from itreport.models.budget import BudgetFile
from itreport.models.division import Division, Thresholds
from itreport.models.projects import Project

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def minimal() -> Content:
    result = load_folder(MINIMAL)
    assert result.problems == []
    assert result.content is not None
    return result.content


@pytest.fixture(scope="module")
def fin(minimal: Content) -> Finance:
    finance = analyse_finance(minimal)
    assert finance is not None
    return finance


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


def budget(year: int, lines: list[dict[str, Any]], **extra: Any) -> BudgetFile:
    return BudgetFile.model_validate({"fiscal_year": year, "currency": "SEK", "lines": lines, **extra})


def line(id: str, plan: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": id,
        "name": id,
        "category": "other",
        "nature": "opex",
        "cost_centre": "cc",
        "plan": plan,
        **extra,
    }


def project(id: str, state: str, budget: dict[str, Any]) -> Project:
    return Project.model_validate(
        {
            "id": id,
            "name": id,
            "sponsor": "S",
            "owner": "boss",
            "investment_class": "run",
            "phase": "execution",
            "state": state,
            "schedule": {"baseline": {"start": "2026-01-01", "end": "2026-12-31"}},
            "budget": budget,
        }
    )


def D(value: str) -> Decimal:
    return Decimal(value)


# --- the minimal fixture: calendar fiscal year, as-of 2026-10-31 ----------------------------


def test_minimal_months_and_ytd(fin: Finance) -> None:
    assert fin.fiscal_year == 2026  # as-of October, FY starts in January
    assert fin.months == tuple(f"2026-{m:02d}" for m in range(1, 13))
    assert fin.ytd_months == tuple(f"2026-{m:02d}" for m in range(1, 11))  # January..October


def test_minimal_line_figures(fin: Finance) -> None:
    staff, alpha = fin.lines
    assert staff.line.id == "staff"
    assert staff.figures == Figures(
        plan_ytd=D("10000000"),  # 10 × 1 000 000
        actual_ytd=D("10100000"),  # 9 × 1 000 000 + 1 100 000 (October)
        plan_fy=D("12000000"),  # 12 × 1 000 000
        forecast_fy=D("12300000"),  # 10 100 000 actual + 1 100 000 (Nov) + 1 100 000 (Dec)
    )
    assert staff.figures.variance_ytd == D("100000")  # 10 100 000 − 10 000 000
    assert staff.figures.variance_ytd_pct == D("1.0")  # 100 000 / 10 000 000
    assert staff.figures.variance_fy == D("300000")  # 12 300 000 − 12 000 000
    assert staff.figures.variance_fy_pct == D("2.5")  # 300 000 / 12 000 000
    assert staff.missing_actuals == ()

    assert alpha.line.id == "alpha-capex"
    assert alpha.figures == Figures(
        plan_ytd=D("1000000.00"),  # 505 000.50 (Jan) + 494 999.50 (Jun)
        actual_ytd=D("400000"),  # Jan 400 000 + Jun 0 (booked: nothing spent)
        plan_fy=D("1000000.00"),  # nothing planned after October
        forecast_fy=D("400000"),  # 400 000 + Nov 0 + Dec 0 (no forecast, no plan)
        missing=0,
    )
    assert alpha.figures.variance_ytd == D("-600000.00")  # 400 000 − 1 000 000.00
    assert alpha.figures.variance_ytd_pct == D("-60.0")  # −600 000 / 1 000 000
    assert alpha.missing_actuals == ()  # Jan and Jun booked; Feb–May, Jul–Oct have no plan


def test_minimal_missing_actual_is_warned(fin: Finance) -> None:
    assert fin.missing == ()  # June's actual is booked as 0: nothing spent, nothing missing


def test_minimal_total(fin: Finance) -> None:
    assert fin.total == Figures(
        plan_ytd=D("11000000.00"),  # 10 000 000 + 1 000 000.00
        actual_ytd=D("10500000"),  # 10 100 000 + 400 000
        plan_fy=D("13000000.00"),  # 12 000 000 + 1 000 000.00
        forecast_fy=D("12700000"),  # 12 300 000 + 400 000
    )
    assert fin.total.variance_ytd == D("-500000.00")  # 10 500 000 − 11 000 000
    assert fin.total.variance_ytd_pct == D(-500_000) * 100 / D(11_000_000)  # −500 000 / 11 000 000 = −4.545…
    assert fin.total.variance_fy == D("-300000.00")  # 12 700 000 − 13 000 000
    assert fin.total.variance_fy_pct == D(-300_000) * 100 / D(13_000_000)  # −300 000 / 13 000 000 = −2.307…


def test_minimal_groups(fin: Finance) -> None:
    staff = Figures(D("10000000"), D("10100000"), D("12000000"), D("12300000"))
    alpha = Figures(D("1000000.00"), D("400000"), D("1000000.00"), D("400000"))
    # categories in the enum's order: personnel before contractors
    assert [(g.key, g.figures) for g in fin.by_category] == [("personnel", staff), ("contractors", alpha)]
    # cost centres in division.yaml's order: cc-ops, cc-dev
    assert [(g.key, g.figures) for g in fin.by_cost_centre] == [("cc-ops", staff), ("cc-dev", alpha)]
    # capex before opex
    assert [(g.key, g.figures) for g in fin.by_nature] == [("capex", alpha), ("opex", staff)]


def test_minimal_monthly_series(fin: Finance) -> None:
    m = fin.monthly
    assert m.months == fin.months
    # staff 1 000 000 every month; alpha 505 000.50 in Jan and 494 999.50 in Jun
    assert m.plan == (
        D("1505000.50"),  # 1 000 000 + 505 000.50
        *[D("1000000")] * 4,  # Feb–May
        D("1494999.50"),  # 1 000 000 + 494 999.50
        *[D("1000000")] * 6,  # Jul–Dec
    )
    assert sum(m.plan) == D("13000000.00")  # equals plan_fy
    assert m.actual == (
        D("1400000"),  # 1 000 000 + 400 000
        *[D("1000000")] * 8,  # Feb–Sep (alpha's June booked as 0)
        D("1100000"),  # October
        None,  # November: after as-of
        None,  # December
    )
    # staff forecast; alpha has nothing later
    assert m.forecast == (*[None] * 10, D("1100000"), D("1100000"))


def test_minimal_revenue_and_savings(fin: Finance) -> None:
    (rev,) = fin.revenue
    assert rev.revenue.id == "rev-retail"
    # January only: plan 100 000, actual 100 000
    assert (rev.plan_ytd, rev.actual_ytd, rev.plan_fy) == (D("100000"), D("100000"), D("100000"))
    assert fin.revenue_by_unit == (("retail", D("100000"), D("100000")),)
    assert [s.id for s in fin.savings] == ["s1"]
    assert fin.savings_target == D("1000000")
    assert fin.savings_realised == D("400000")
    assert fin.savings_pct == D("40.0")  # 400 000 / 1 000 000


def test_minimal_project_costs(fin: Finance) -> None:
    alpha, beta = fin.projects
    assert alpha.project.id == "alpha"
    assert alpha.budget == D("1200000")  # total given
    assert alpha.actual_to_date == D("800000")
    assert alpha.eac == D("1300000")  # EAC given
    assert alpha.variance == D("100000")  # 1 300 000 − 1 200 000
    assert alpha.variance_pct == D(100_000) * 100 / D(1_200_000)  # 100 000 / 1 200 000 = 8.33…

    assert beta.project.id == "beta"
    assert beta.budget == D("300000")  # no total: capex 0 + opex 300 000
    assert beta.eac == D("290000")  # completed without EAC → actual cost
    assert beta.variance == D("-10000")  # 290 000 − 300 000
    assert beta.variance_pct == D(-10_000) * 100 / D(300_000)  # −10 000 / 300 000 = −3.33…


# --- fiscal year starting in April -----------------------------------------------------------


def april_content() -> Content:
    div = division(
        as_of="2027-01-10",
        period={"start": "2027-01-01", "end": "2027-01-31"},
        fiscal_year_start=4,
        cost_centres=[{"id": "cc-b", "name": "B"}, {"id": "cc-a", "name": "A"}],
    )
    fy = [f"2026-{m:02d}" for m in range(4, 13)] + ["2027-01", "2027-02", "2027-03"]
    l1 = line(
        "l1",
        {m: 10 for m in fy},
        category="personnel",
        cost_centre="cc-a",
        actual={**{f"2026-{m:02d}": 10 for m in range(4, 12)}, "2026-12": 16, "2027-01": 12},
        forecast={"2027-02": 25},
    )
    l2 = line(
        "l2",
        {"2026-05": 300, "2026-06": 0, "2027-01": 200, "2027-03": 100},
        category="hardware",
        nature="capex",
        cost_centre="cc-z",
        actual={"2026-05": 310},
    )
    l3 = line(
        "l3",
        {"2026-04": 50},
        category="licences",
        cost_centre="cc-b",
        actual={"2026-04": 50, "2026-07": 5},
        forecast={"2027-03": 20},
    )
    return Content(
        division=div,
        budgets=[
            budget(2025, [line("old", {"2025-04": 999, "2026-03": 1}, actual={"2025-04": 1000})]),
            budget(2026, [l1, l2, l3]),
            budget(2027, [line("next", {"2027-04": 777})]),
        ],
    )


def test_april_fiscal_year_months_and_ytd() -> None:
    fin = analyse_finance(april_content())
    assert fin is not None
    assert fin.fiscal_year == 2026  # January 2027 < April → FY named 2026
    assert fin.months[0] == "2026-04"
    assert fin.months[-1] == "2027-03"
    assert len(fin.months) == 12
    # April 2026 .. January 2027 = 9 + 1 = 10 months
    assert fin.ytd_months == (*[f"2026-{m:02d}" for m in range(4, 13)], "2027-01")


def test_april_fiscal_year_lines() -> None:
    fin = analyse_finance(april_content())
    assert fin is not None
    l1, l2, l3 = (r.figures for r in fin.lines)
    assert l1 == Figures(
        plan_ytd=D("100"),  # 10 months × 10
        actual_ytd=D("108"),  # Apr–Nov 8 × 10 + Dec 16 + Jan 12
        plan_fy=D("120"),  # 12 × 10
        forecast_fy=D("143"),  # 108 + Feb forecast 25 + Mar plan 10 (no forecast → plan)
    )
    assert l1.variance_fy_pct == D(23) * 100 / D(120)  # (143 − 120) / 120 = 19.166…
    assert l2 == Figures(
        plan_ytd=D("500"),  # May 300 + Jun 0 + Jan 200
        actual_ytd=D("310"),  # May only: what is booked (January is missing)
        plan_fy=D("600"),  # 300 + 0 + 200 + 100
        forecast_fy=D("610"),  # 310 + January's plan 200 in place of its missing actual + Mar plan 100
        missing=1,  # January 2027
    )
    assert l3 == Figures(
        plan_ytd=D("50"),  # April
        actual_ytd=D("55"),  # April 50 + July 5 (an actual without a plan still counts)
        plan_fy=D("50"),
        forecast_fy=D("75"),  # 55 + March forecast 20 (a forecast without a plan still counts)
    )
    assert fin.total == Figures(
        plan_ytd=D("650"),  # 100 + 500 + 50
        actual_ytd=D("473"),  # 108 + 310 + 55
        plan_fy=D("770"),  # 120 + 600 + 50
        forecast_fy=D("828"),  # 143 + 610 + 75
        missing=1,
    )
    # only l2 January: June has plan 0, so no actual is expected
    assert [(r.line.id, r.missing_actuals) for r in fin.missing] == [("l2", ("2027-01",))]


def test_april_fiscal_year_groups() -> None:
    fin = analyse_finance(april_content())
    assert fin is not None
    # division lists cc-b then cc-a; cc-z is not listed so it comes last
    assert [g.key for g in fin.by_cost_centre] == ["cc-b", "cc-a", "cc-z"]
    # enum order: personnel, …, licences, …, hardware
    assert [g.key for g in fin.by_category] == ["personnel", "licences", "hardware"]
    capex, opex = fin.by_nature
    assert (capex.key, capex.figures.plan_fy, capex.figures.forecast_fy) == ("capex", D("600"), D("610"))
    assert (capex.figures.incomplete, opex.figures.incomplete) == (True, False)
    assert (opex.key, opex.figures.plan_fy, opex.figures.forecast_fy) == ("opex", D("170"), D("218"))
    # opex plan 120 + 50 = 170, forecast 143 + 75 = 218


def test_april_fiscal_year_monthly_series() -> None:
    fin = analyse_finance(april_content())
    assert fin is not None
    m = fin.monthly
    assert m.plan == (
        D("60"),  # Apr: 10 + 50
        D("310"),  # May: 10 + 300
        D("10"),  # Jun: 10 + 0
        *[D("10")] * 6,  # Jul–Dec
        D("210"),  # Jan: 10 + 200
        D("10"),  # Feb
        D("110"),  # Mar: 10 + 100
    )
    assert m.actual == (
        D("60"),  # Apr: 10 + 50
        D("320"),  # May: 10 + 310
        D("10"),  # Jun
        D("15"),  # Jul: 10 + 5
        *[D("10")] * 4,  # Aug–Nov
        D("16"),  # Dec
        D("12"),  # Jan: 12 + l2's missing 0
        None,
        None,
    )
    assert m.forecast == (
        *[None] * 10,
        D("25"),  # Feb: l1 forecast 25
        D("130"),  # Mar: l1 plan 10 + l2 plan 100 + l3 forecast 20
    )
    assert sum(a for a in m.actual if a is not None) == D("473")  # = actual_ytd
    assert sum(f for f in m.forecast if f is not None) == D("155")  # 628 − 473


def test_given_past_budget_is_all_ytd() -> None:
    content = april_content()
    fin = analyse_finance(content, content.budgets[0])
    assert fin is not None
    assert fin.fiscal_year == 2025
    assert len(fin.ytd_months) == 12  # 2025-04 .. 2026-03 all before January 2027
    assert fin.total == Figures(D("1000"), D("1000"), D("1000"), D("1001"), missing=1)
    # plan 999 + 1; actual 1000; March 2026 has no actual, so its plan 1 stands in the forecast
    assert [(r.line.id, r.missing_actuals) for r in fin.missing] == [("old", ("2026-03",))]


def test_no_budget_for_the_fiscal_year() -> None:
    content = Content(division=division(), budgets=[budget(2025, [line("x", {"2025-01": 1})])])
    assert analyse_finance(content) is None  # as-of 2026-10-31 → FY 2026, no file


def test_zero_plan_gives_no_percentages() -> None:
    content = Content(
        division=division(), budgets=[budget(2026, [line("z", {"2026-01": 0}, actual={"2026-01": 5})])]
    )
    fin = analyse_finance(content)
    assert fin is not None
    assert fin.total == Figures(D("0"), D("5"), D("0"), D("5"))
    assert fin.total.variance_ytd == D("5")
    assert fin.total.variance_ytd_pct is None  # plan 0
    assert fin.total.variance_fy_pct is None
    assert fin.missing == ()  # plan 0 → no actual expected
    assert not fin.total.incomplete
    assert fin.savings_pct is None  # no savings: target 0


# --- revenue and savings --------------------------------------------------------------------


def test_revenue_by_business_unit() -> None:
    revenue = [
        {
            "id": "r1",
            "business_unit": "retail",
            "kind": "chargeback",
            "service": "Workplace",
            "plan": {"2026-01": 10, "2026-02": 20, "2026-11": 50},
            "actual": {"2026-01": 9, "2026-02": 21},
        },
        {
            "id": "r2",
            "business_unit": "grid",
            "kind": "showback",
            "service": "Hosting",
            "plan": {"2026-01": 5},
            "actual": {"2026-01": 6},
        },
        {
            "id": "r3",
            "business_unit": "retail",
            "kind": "chargeback",
            "service": "Network",
            "plan": {"2026-03": 7},
        },
    ]
    content = Content(
        division=division(as_of="2026-03-31", period={"start": "2026-03-01", "end": "2026-03-31"}),
        budgets=[budget(2026, [line("l", {"2026-01": 1}, actual={"2026-01": 1})], revenue=revenue)],
    )
    fin = analyse_finance(content)
    assert fin is not None
    r1, r2, r3 = fin.revenue
    assert (r1.plan_ytd, r1.actual_ytd, r1.plan_fy) == (D("30"), D("30"), D("80"))  # 10+20; 9+21; 10+20+50
    assert (r2.plan_ytd, r2.actual_ytd, r2.plan_fy) == (D("5"), D("6"), D("5"))
    assert (r3.plan_ytd, r3.actual_ytd, r3.plan_fy) == (D("7"), D("0"), D("7"))  # no actual yet
    # sorted by unit: grid (r2); retail = r1 + r3: plan 30 + 7 = 37, actual 30 + 0 = 30
    assert fin.revenue_by_unit == (("grid", D("5"), D("6")), ("retail", D("37"), D("30")))


def test_dropped_saving_stays_in_the_list_and_the_target_total() -> None:
    savings = [
        {
            "id": "a",
            "title": "A",
            "target": 100,
            "realised": 50,
            "owner": "x",
            "due": "2026-12-31",
            "state": "achieved",
        },
        {
            "id": "b",
            "title": "B",
            "target": 200,
            "realised": 30,
            "owner": "x",
            "due": "2026-12-31",
            "state": "dropped",
        },
        {
            "id": "c",
            "title": "C",
            "target": 300,
            "realised": 25,
            "owner": "x",
            "due": "2026-12-31",
            "state": "at_risk",
        },
    ]
    content = Content(
        division=division(), budgets=[budget(2026, [line("l", {"2026-01": 1})], savings=savings)]
    )
    fin = analyse_finance(content)
    assert fin is not None
    # A dropped saving is a saving not delivered: it stays, with its state, and in the totals.
    assert [(s.id, s.state.value) for s in fin.savings] == [
        ("a", "achieved"),
        ("b", "dropped"),
        ("c", "at_risk"),
    ]
    assert fin.savings_target == D("600")  # 100 + 200 + 300
    assert fin.savings_realised == D("105")  # 50 + 30 + 25
    assert fin.savings_pct == D("17.5")  # 105 / 600 = 17.5


# --- project costs ----------------------------------------------------------------------------


def test_project_costs_budget_and_eac_defaults() -> None:
    projects = [
        project("p-prop", "proposed", {"capex": 0, "opex": 999}),
        project("p-total", "active", {"capex": 300, "opex": 200, "total": 500, "actual_to_date": 100}),
        project("p-sum", "on_hold", {"capex": 100, "opex": 50, "estimate_at_completion": 180}),
        project("p-done", "completed", {"capex": 0, "opex": 400, "actual_to_date": 380}),
        project(
            "p-done-eac",
            "completed",
            {"capex": 0, "opex": 400, "actual_to_date": 380, "estimate_at_completion": 410},
        ),
        project("p-zero", "active", {"capex": 0, "opex": 0, "actual_to_date": 10}),
        project(
            "p-cancel",
            "cancelled",
            {"capex": 0, "opex": 1000, "actual_to_date": 120, "estimate_at_completion": 900},
        ),
    ]
    costs = {c.project.id: c for c in project_costs(projects)}
    assert list(costs) == [
        "p-total",
        "p-sum",
        "p-done",
        "p-done-eac",
        "p-zero",
        "p-cancel",
    ]  # proposed left out

    c = costs["p-total"]
    assert (c.budget, c.actual_to_date, c.eac) == (D("500"), D("100"), D("500"))  # active, no EAC → budget
    assert (c.variance, c.variance_pct) == (D("0"), D("0.0"))
    c = costs["p-sum"]
    assert (c.budget, c.eac) == (D("150"), D("180"))  # 100 + 50; EAC given
    assert (c.variance, c.variance_pct) == (D("30"), D("20.0"))  # 30 / 150
    c = costs["p-done"]
    assert (c.budget, c.eac) == (D("400"), D("380"))  # completed, no EAC → actual cost
    assert (c.variance, c.variance_pct) == (D("-20"), D("-5.0"))  # −20 / 400
    c = costs["p-done-eac"]
    assert c.eac == D("410")  # an explicit EAC wins even when completed
    c = costs["p-cancel"]
    assert (c.budget, c.eac) == (D("1000"), D("120"))  # cancelled: what was spent, even with an EAC
    assert (c.variance, c.variance_pct) == (D("-880"), D("-88.0"))  # 120 − 1000; −880 / 1000
    c = costs["p-zero"]
    assert (c.budget, c.eac, c.variance) == (D("0"), D("0"), D("0"))
    assert c.variance_pct is None  # zero budget


# --- finance status (summary.py) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("forecast_fy", "expected"),
    [
        ("1029", Rag.GREEN),  # +29 / 1000 = 2.9 % < 3
        ("1030", Rag.AMBER),  # +3.0 % = amber threshold
        ("1079", Rag.AMBER),  # +7.9 %
        ("1080", Rag.RED),  # +8.0 % = red threshold
        ("900", Rag.GREEN),  # −10 %: underspend does not colour the status
        ("1029.9996", Rag.GREEN),  # +2.99996 %: rounds to 3.0 % but is below amber
        ("1029.99", Rag.GREEN),  # one cent below amber (+2.999 %)
        ("1030.01", Rag.AMBER),  # one cent above amber (+3.001 %)
        ("1079.9996", Rag.AMBER),  # +7.99996 %: rounds to 8.0 % but is below red
        ("1080.01", Rag.RED),  # one cent above red
    ],
)
def test_finance_status_thresholds(fin: Finance, forecast_fy: str, expected: Rag) -> None:
    figures = Figures(plan_fy=D("1000"), forecast_fy=D(forecast_fy))
    assert finance_status(replace(fin, total=figures), Thresholds()) is expected  # defaults 3 % / 8 %


def test_finance_status_grey_without_figures(fin: Finance) -> None:
    assert finance_status(None, Thresholds()) is Rag.GREY
    assert finance_status(replace(fin, total=Figures(forecast_fy=D("5"))), Thresholds()) is Rag.GREY  # plan 0


def test_finance_status_minimal(fin: Finance, minimal: Content) -> None:
    # −2.3 % (underspend) → counted as 0 → green
    assert finance_status(fin, minimal.division.thresholds) is Rag.GREEN


# --- year to date ends with the reporting period --------------------------------------------


def test_ytd_ends_with_the_period_not_the_as_of_month() -> None:
    # Period October, as-of 5 November: November is after the period, so it is forecast.
    div = division(as_of="2026-11-05")
    ln = line(
        "l",
        {f"2026-{m:02d}": 100 for m in range(1, 13)},
        actual={f"2026-{m:02d}": 90 for m in range(1, 12)},  # November already booked (part month)
        forecast={"2026-12": 120},
    )
    fin = analyse_finance(Content(division=div, budgets=[budget(2026, [ln])]))
    assert fin is not None
    assert fin.ytd_months[-1] == "2026-10"  # not 2026-11
    assert len(fin.ytd_months) == 10
    (r,) = fin.lines
    assert r.figures == Figures(
        plan_ytd=D("1000"),  # 10 × 100
        actual_ytd=D("900"),  # 10 × 90; November's 90 is not year to date
        plan_fy=D("1200"),
        forecast_fy=D("1120"),  # 900 + November plan 100 (no forecast) + December forecast 120
    )
    assert fin.monthly.actual[10] is None  # November: forecast side of the chart
    assert fin.monthly.forecast[10] == D("100")


def test_april_year_whose_period_ended_before_the_year_turned() -> None:
    # April–March year; period March 2027 (last month of FY 2026/27), as-of 5 April 2027 (FY 2027/28).
    div = division(
        fiscal_year_start=4, as_of="2027-04-05", period={"start": "2027-03-01", "end": "2027-03-31"}
    )
    this = budget(
        2026,
        [line("l", {f"{y}-{m:02d}": 10 for y, m in april_months(2026)}, actual={"2027-03": 12})],
    )
    nxt = budget(2027, [line("n", {"2027-04": 999})])
    fin = analyse_finance(Content(division=div, budgets=[this, nxt]))
    assert fin is not None
    assert fin.fiscal_year == 2026  # the year of the period, not of as-of
    assert fin.ytd_months == fin.months  # all twelve months, April 2026 – March 2027
    assert fin.total.plan_ytd == D("120")  # 12 × 10


def april_months(year: int) -> list[tuple[int, int]]:
    return [(year, m) for m in range(4, 13)] + [(year + 1, m) for m in range(1, 4)]


def test_missing_actual_stands_in_for_the_chart_so_it_ends_at_the_forecast() -> None:
    fin = analyse_finance(april_content())
    assert fin is not None
    m = fin.monthly
    assert m.stand_in == D("200")  # l2's January plan, in place of its missing actual
    booked = sum((a for a in m.actual if a is not None), D(0))
    later = sum((f for f in m.forecast if f is not None), D(0))
    assert booked + m.stand_in + later == fin.total.forecast_fy  # 473 + 200 + 155 = 828
