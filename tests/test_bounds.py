"""Bounds: every value `validate` accepts can be built; each limit tested at and just past its edge.

The minimal division has as_of 2026-10-31 and currency SEK (two decimals), so the date window is
1976-10-31 .. 2076-10-31 and amounts may have two decimals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itreport.build import BuildOptions, build
from itreport.problems import Problem
from itreport.validate import validate_folder
from tests.conftest import replace_in


def problems(content: Path) -> list[Problem]:
    """Problems with files named as the user typed the folder ('content', the working directory's)."""
    return validate_folder(Path(content.name)).problems


def lines(content: Path) -> list[str]:
    return [f"{p.file}:{p.line}:{p.col}: {p.severity}: {p.message}" for p in problems(content)]


def builds_html(content: Path) -> None:
    result = build(BuildOptions(content, content.parent / "out", formats=("html",)))
    assert [w.path.suffix for w in result.written] == [".html"]


# --- money: magnitude and the currency's decimals --------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("250.00", []),
        ("250.5", []),
        (
            "250.000",
            ["content/projects/alpha.yaml:17:10: error: 250.000 has 3 decimals; SEK amounts have 2 decimals"],
        ),
        (
            "250.001",
            ["content/projects/alpha.yaml:17:10: error: 250.001 has 3 decimals; SEK amounts have 2 decimals"],
        ),
    ],
)
def test_sek_amounts_have_two_decimals(content: Path, written: str, expected: list[str]) -> None:
    replace_in(content, "projects/alpha.yaml", "capex: 1000000", f"capex: {written}")
    replace_in(content, "projects/alpha.yaml", "  total: 1200000\n", "")
    found = [line for line in lines(content) if "decimals" in line]
    assert found == expected


def test_three_decimals_hint_at_a_thousands_separator(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "capex: 1000000", "capex: 250.000")
    replace_in(content, "projects/alpha.yaml", "  total: 1200000\n", "")
    [problem] = problems(content)
    assert problem.rule == "bounds.money-places"
    assert problem.hint.startswith("did you mean 250000? ")
    assert "if 250.000 is meant, round it to 250.00" in problem.hint


def test_yen_amounts_are_whole(content: Path) -> None:
    replace_in(content, "division.yaml", "currency: SEK", "currency: JPY")
    replace_in(content, "budget/2026.yaml", "currency: SEK", "currency: JPY")
    # The fixture's plan has öre (505000.50): wrong in yen, each located at its month.
    found = lines(content)
    assert found == [
        "content/budget/2026.yaml:21:21: error: 505000.50 has 2 decimals; JPY amounts have no decimals",
        "content/budget/2026.yaml:21:41: error: 494999.50 has 2 decimals; JPY amounts have no decimals",
    ]
    assert [p.hint for p in problems(content)] == ["round it to 505001", "round it to 495000"]
    replace_in(content, "budget/2026.yaml", "505000.50, 2026-06: 494999.50", "505001, 2026-06: 494999")
    assert lines(content) == []


def test_three_decimal_currency_takes_three(content: Path) -> None:
    replace_in(content, "division.yaml", "currency: SEK", "currency: KWD")
    replace_in(content, "budget/2026.yaml", "currency: SEK", "currency: KWD")
    replace_in(content, "projects/alpha.yaml", "opex: 200000", "opex: 199999.999")
    replace_in(content, "projects/alpha.yaml", "total: 1200000", "total: 1199999.999")
    assert lines(content) == []
    replace_in(content, "projects/alpha.yaml", "opex: 199999.999", "opex: 199999.9990")
    assert lines(content) == [
        "content/projects/alpha.yaml:18:9: error: 199999.9990 has 4 decimals; KWD amounts have 3 decimals"
    ]


def test_private_salary_decimals_are_located_in_the_private_file(content: Path) -> None:
    private = content.parent / "private"
    private.mkdir()
    (private / "people.yaml").write_text("people:\n  - id: bo.ek\n    salary: 41.500\n", encoding="utf-8")
    found = validate_folder(content, private).problems
    assert [(p.file, p.line, p.col, p.message) for p in found if p.rule.startswith("bounds")] == [
        # Located in the private file; the salary itself is redacted (messages may land in a CI log).
        (str(private / "people.yaml"), 3, 13, "… has 3 decimals; SEK amounts have 2 decimals")
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("999999999999999.99", []),
        (
            "1000000000000000",
            [
                "content/projects/alpha.yaml:17:10: error: capex must be less than 10^15, got '1000000000000000'"
            ],
        ),
        ("1e26", ["content/projects/alpha.yaml:17:10: error: capex must be less than 10^15, got '1e26'"]),
    ],
)
def test_amount_magnitude(content: Path, written: str, expected: list[str]) -> None:
    replace_in(content, "projects/alpha.yaml", "capex: 1000000", f"capex: {written}")
    replace_in(content, "projects/alpha.yaml", "  total: 1200000\n", "")
    assert [line for line in lines(content) if "capex" in line] == expected


def test_largest_amounts_build(content: Path) -> None:
    """At the limit, the sums and percentages still compute exactly and the briefing renders."""
    replace_in(content, "projects/alpha.yaml", "capex: 1000000", "capex: 999999999999999.99")
    replace_in(content, "projects/alpha.yaml", "opex: 200000", "opex: 999999999999999.99")
    replace_in(content, "projects/alpha.yaml", "  total: 1200000\n", "")
    replace_in(content, "projects/alpha.yaml", "estimate_at_completion: 1300000", "estimate_at_completion: 1")
    replace_in(content, "projects/alpha.yaml", "actual_to_date: 800000", "actual_to_date: 0")
    replace_in(content, "budget/2026.yaml", "target: 1000000", "target: 999999999999999.99")
    assert lines(content) == []
    builds_html(content)


# --- dates: a fixed range, and a window of 50 years around as_of -----------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("1976-10-31", []),
        (
            "1976-10-30",
            [
                "content/people.yaml:7:12: error: start 1976-10-30 is more than 50 years before as_of (2026-10-31)"
            ],
        ),
        ("2076-10-31", []),
        (
            "2076-11-01",
            [
                "content/people.yaml:7:12: error: start 2076-11-01 is more than 50 years after as_of (2026-10-31)"
            ],
        ),
    ],
)
def test_dates_within_fifty_years_of_as_of(content: Path, start: str, expected: list[str]) -> None:
    replace_in(content, "people.yaml", "start: 2020-01-01", f"start: {start}")
    assert [line for line in lines(content) if "years" in line] == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2199-12-31", []),
        (
            "2200-01-01",
            ["content/division.yaml:4:8: error: as_of must be at most 2199-12-31, got '2200-01-01'"],
        ),
        (
            "9999-12-31",
            ["content/division.yaml:4:8: error: as_of must be at most 2199-12-31, got '9999-12-31'"],
        ),
        (
            "1899-12-31",
            ["content/division.yaml:4:8: error: as_of must be at least 1900-01-01, got '1899-12-31'"],
        ),
    ],
)
def test_as_of_range(content: Path, as_of: str, expected: list[str]) -> None:
    replace_in(content, "division.yaml", "as_of: 2026-10-31", f"as_of: {as_of}")
    assert [line for line in lines(content) if "as_of must" in line] == expected


def test_latest_dates_build(content: Path) -> None:
    """The whole division moved 172 years on (as_of 2198-10-31, the last fiscal year allowed) with
    the longest horizon still validates and builds: no date arithmetic leaves the calendar."""
    for path in content.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"\b20(\d\d)(?=[-\n])", lambda m: str(2172 + int(m.group(1))), text), encoding="utf-8"
        )
    replace_in(
        content, "division.yaml", "cost_overrun_pct:", "milestone_horizon_days: 3650\n  cost_overrun_pct:"
    )
    assert "as_of: 2198-10-31" in (content / "division.yaml").read_text(encoding="utf-8")
    (content / "budget" / "2026.yaml").rename(content / "budget" / "2198.yaml")
    assert lines(content) == []
    builds_html(content)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("3650", []),
        (
            "3651",
            ["content/division.yaml:15:27: error: milestone_horizon_days must be at most 3650, got '3651'"],
        ),
        ("0", ["content/division.yaml:15:27: error: milestone_horizon_days must be at least 1, got '0'"]),
    ],
)
def test_horizon_range(content: Path, days: str, expected: list[str]) -> None:
    replace_in(
        content, "division.yaml", "cost_overrun_pct:", f"milestone_horizon_days: {days}\n  cost_overrun_pct:"
    )
    assert lines(content) == expected


# --- locale and currency known to Babel -----------------------------------------------------------


def test_unknown_locale_is_located(content: Path) -> None:
    replace_in(content, "division.yaml", "locale: en_GB", "locale: sv_SV")
    [problem] = problems(content)
    assert (problem.line, problem.col, problem.message) == (
        11,
        9,
        "unknown locale 'sv_SV' (did you mean 'sv_SE'?)",
    )


def test_known_locale_builds(content: Path) -> None:
    replace_in(content, "division.yaml", "locale: en_GB", "locale: de_DE")
    assert lines(content) == []
    builds_html(content)


def test_unknown_currency_is_located(content: Path) -> None:
    replace_in(content, "division.yaml", "currency: SEK", "currency: SEQ")
    found = lines(content)
    assert found[0].startswith("content/division.yaml:10:11: error: unknown currency 'SEQ'")


# --- issue 9: cost to date against the estimate at completion --------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("1300000", []),
        (
            "1300000.01",
            [
                "content/projects/alpha.yaml:21:27: error: estimate_at_completion 1300000 is below the cost "
                "to date (actual_to_date 1300000.01)"
            ],
        ),
    ],
)
def test_cost_to_date_above_estimate(content: Path, actual: str, expected: list[str]) -> None:
    replace_in(content, "projects/alpha.yaml", "actual_to_date: 800000", f"actual_to_date: {actual}")
    assert lines(content) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("1200000", []),
        (
            "1200000.01",
            [
                "content/projects/alpha.yaml:20:19: error: cost to date 1200000.01 is above the budget 1200000, "
                "which is the estimate at completion while none is given"
            ],
        ),
    ],
)
def test_cost_to_date_above_budget_without_estimate(content: Path, actual: str, expected: list[str]) -> None:
    replace_in(content, "projects/alpha.yaml", "  estimate_at_completion: 1300000\n", "")
    replace_in(content, "projects/alpha.yaml", "actual_to_date: 800000", f"actual_to_date: {actual}")
    assert lines(content) == expected


def test_completed_project_may_end_above_budget(content: Path) -> None:
    """A completed project's estimate is what it cost, so spend above budget is an overrun, not an error."""
    replace_in(content, "projects/beta.yaml", "actual_to_date: 290000", "actual_to_date: 300000.01")
    assert lines(content) == []


# --- issue 9: percent complete written as a fraction ----------------------------------------------


@pytest.mark.parametrize(
    ("written", "warned"),
    [("0", False), ("0.01", True), ("0.6", True), ("1", False), ("1.0", True), ("1.5", False), ("60", False)],
)
def test_percent_complete_as_fraction_warns(content: Path, written: str, warned: bool) -> None:
    replace_in(content, "projects/alpha.yaml", "percent_complete: 60", f"percent_complete: {written}")
    found = problems(content)
    assert [p.rule for p in found] == (["figures.percent-fraction"] if warned else [])
    if warned:
        assert (found[0].line, found[0].col, found[0].severity) == (15, 19, "warning")
        assert (
            found[0].message == f"percent_complete {written} looks like a fraction; it is read as {written} %"
        )


def test_percent_fraction_hint_names_the_percent(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "percent_complete: 60", "percent_complete: 0.6")
    [problem] = problems(content)
    assert problem.hint == "percent_complete is 0 to 100: write 60 for 60 %"
