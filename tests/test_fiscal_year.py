"""A fiscal year that starts in April, end to end: the built briefing names it "FY 2026/27"
(Swedish "Räkenskapsår 2026/27"), and its year to date runs April to the period's end."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from itreport.analyse import analyse
from itreport.build import BuildOptions, build
from itreport.validate import validate_folder

from .conftest import replace_in

MONTHS = [f"2026-{m:02d}" for m in range(4, 13)] + [f"2027-{m:02d}" for m in range(1, 4)]
BUDGET = f"""fiscal_year: 2026
currency: SEK
lines:
  - id: staff
    name: Staff costs
    category: personnel
    nature: opex
    cost_centre: cc-ops
    plan: {{{", ".join(f"{m}: 100000" for m in MONTHS)}}}
    actual: {{{", ".join(f"{m}: 110000" for m in MONTHS[:7])}}}
    forecast: {{{", ".join(f"{m}: 100000" for m in MONTHS[7:])}}}
"""


def april_year(content: Path, locale: str) -> None:
    replace_in(content, "division.yaml", "fiscal_year_start: 1", "fiscal_year_start: 4")
    replace_in(content, "division.yaml", "locale: en_GB", f"locale: {locale}")
    (content / "budget/2026.yaml").write_text(BUDGET, encoding="utf-8")


@pytest.mark.parametrize(("locale", "label"), [("en_GB", "FY 2026/27"), ("sv_SE", "Räkenskapsår 2026/27")])
def test_april_to_march_year_is_named_for_both_calendar_years(content: Path, locale: str, label: str) -> None:
    april_year(content, locale)
    validation = validate_folder(content)
    assert validation.content is not None, validation.problems
    finance = analyse(validation.content).finance
    assert finance is not None
    # Hand-computed: April–October is the year to date (7 months), the rest is forecast.
    assert finance.total.plan_ytd == Decimal(700000)
    assert finance.total.actual_ytd == Decimal(770000)
    assert finance.total.plan_fy == Decimal(1200000)
    assert finance.total.forecast_fy == Decimal(770000 + 5 * 100000)
    result = build(BuildOptions(content, content.parent / "out", ("html",)))
    html = result.written[0].path.read_text(encoding="utf-8")
    assert label in html
    assert "Full year 2026" not in html and "Helår 2026" not in html
