"""Figures that a reader checks against each other: a printed variance is the printed forecast
less the printed plan, and every money table is in the edition's unit."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from itreport.analyse import analyse
from itreport.analyse.money import shown_difference
from itreport.citations import Figure
from itreport.edition import build_view
from itreport.models.briefings import Audience, Edition
from itreport.render.cited import figure_text, money
from itreport.render.formatting import MILLION, THOUSAND, Formatter
from itreport.render.html import render_html
from itreport.render.i18n import Translator
from itreport.render.units import ONE, Scale
from itreport.validate import validate_folder
from tests.conftest import REPO, replace_in
from tests.rendered import example_html, text_of

MSEK = Scale(MILLION, 1, "MSEK")
KSEK = Scale(THOUSAND, 0, "kSEK")
EN = Formatter("en_GB", "SEK")
SV = Formatter("sv_SE", "SEK")


@pytest.mark.parametrize(
    ("minuend", "subtrahend", "factor", "places", "expected"),
    [
        # The example: forecast 108,637,303 prints 108.6, plan 107,150,000 prints 107.2 (half up):
        # 108.6 − 107.2 = 1.4, where the exact 1,487,303 would print 1.5.
        (D(108_637_303), D(107_150_000), MILLION, 1, D(1_400_000)),
        (D(107_150_000), D(108_637_303), MILLION, 1, D(-1_400_000)),  # an underspend, the same size
        (D(108_637_303), D(107_149_999), MILLION, 1, D(1_500_000)),  # plan one SEK below: 107.1
        (D(108_650_000), D(107_150_000), MILLION, 1, D(1_500_000)),  # 108.65 is a half: up to 108.7
        (D(2_040_600), D(2_000_400), THOUSAND, 0, D(41_000)),  # 2,041 − 2,000 (exact 40,200)
        (D(32_400_098), D(32_400_000), THOUSAND, 0, D(0)),  # +98 SEK is nothing in kSEK
        (D(1_498), D(1_502), ONE, 0, D(-4)),  # whole SEK: exact
    ],
)
def test_shown_difference_is_the_difference_of_the_printed_amounts(
    minuend: D, subtrahend: D, factor: D, places: int, expected: D
) -> None:
    assert shown_difference(minuend, subtrahend, factor, places) == expected


def test_difference_filter_prints_what_the_reader_subtracts() -> None:
    forecast, plan = D(108_637_303), D(107_150_000)
    assert EN.amount_unit(forecast, MSEK) == "108.6\u00a0MSEK"
    assert EN.amount_unit(plan, MSEK) == "107.2\u00a0MSEK"
    assert EN.difference(forecast, plan, MSEK, True) == "+1.4\u00a0MSEK"  # was "+1.5 MSEK"
    assert SV.difference(forecast, plan, MSEK, True) == "+1,4\u00a0MSEK"
    assert EN.difference(plan, forecast, MSEK) == "−1.4"
    # a zero keeps the sign of the exact difference; an exact zero is "±0"
    assert EN.difference(D(32_400_098), D(32_400_000), KSEK) == "+0"
    assert EN.difference(D(32_399_902), D(32_400_000), KSEK) == "−0"
    assert EN.difference(D(7_000_000), D(7_000_000), KSEK) == "±0"
    assert EN.difference(None, plan, KSEK) == "–"


def test_signed_keeps_the_exact_sign_only_for_a_zero() -> None:
    assert EN.signed(D(0), 0, sign_of=D(98)) == "+0"
    assert EN.signed(D(0), 0, sign_of=D(-1)) == "−0"
    assert EN.signed(D(0), 0, sign_of=D(0)) == "±0"
    assert EN.signed(D(-1), 0, sign_of=D(300)) == "−1"  # a non-zero printed value keeps its own sign
    assert EN.signed(D(0)) == "±0"


@pytest.mark.parametrize(
    ("value", "operands", "text"),
    [
        # {variance_fy} beside {forecast_fy} "108.6 MSEK" and {plan_fy} "107.2 MSEK": all three in
        # MSEK with one decimal, so the variance is their difference as printed.
        (D(1_487_303), (D(108_637_303), D(107_150_000)), "1.4\u00a0MSEK"),
        (D(-1_487_303), (D(107_150_000), D(108_637_303)), "−1.4\u00a0MSEK"),
        # 0.49 MSEK has two decimals, the operands one: not the same unit, so the exact value.
        (D(487_303), (D(107_637_303), D(107_150_000)), "0.49\u00a0MSEK"),
        # S/4HANA: EAC 43.5 − budget 38.0 = 5.5, exactly.
        (D(5_500_000), (D(43_500_000), D(38_000_000)), "5.5\u00a0MSEK"),
        (D(1_487_303), None, "1.5\u00a0MSEK"),  # not a difference: rounded on its own
    ],
)
def test_cited_variance_is_the_difference_of_the_cited_amounts(
    value: D, operands: tuple[D, D] | None, text: str
) -> None:
    assert money(value, EN, operands) == text
    assert figure_text(Figure("money", value, operands=operands), EN, Translator("en_GB")) == text


def _kpi(page: str, label: str) -> str:
    found = re.search(rf"{re.escape(label)}\s+(\S+\s\S+)", text_of(page))
    assert found, label
    return found.group(1)


@pytest.mark.parametrize(
    ("locale", "labels", "expected"),
    [
        ("en_GB", ("Full-year forecast", "plan", "Forecast variance"), ("108.6", "107.2", "+1.4")),
        ("sv_SE", ("Prognos helår", "plan", "Prognosavvikelse"), ("108,6", "107,2", "+1,4")),
    ],
)
def test_variance_tiles_agree_with_the_printed_plan_and_forecast(
    locale: str, labels: tuple[str, str, str], expected: tuple[str, str, str]
) -> None:
    """Every edition's summary tiles, and the finance section's, in English and Swedish."""
    for edition, page in example_html(locale).items():
        text = text_of(page)
        forecast, plan, variance = labels
        found = re.search(
            rf"{forecast} ([\d.,]+)\sMSEK {plan} ([\d.,]+)\sMSEK {variance} ([+−][\d.,]+)\sMSEK", text
        )
        assert found, edition
        assert found.groups() == expected, edition
        assert "+1.5\u00a0MSEK" not in page and "+1,5\u00a0MSEK" not in page, edition


@pytest.mark.parametrize(("locale", "unit"), [("en_GB", "kSEK"), ("sv_SE", "tSEK")])
def test_spend_by_cost_centre_is_in_the_editions_unit_and_adds_up(locale: str, unit: str) -> None:
    """The example's Infrastructure & Operations forecast is 98 SEK over plan: that variance put
    the whole table in whole SEK. It is in kSEK like every other table, printing "+0"."""
    page = example_html(locale)["finance"]
    start = page.index("Spend by cost centre" if locale == "en_GB" else "Kostnader per kostnadsställe")
    table = page[start : page.index("</table>", start)]
    assert (
        table.startswith(("Spend by cost centre, ", "Kostnader per kostnadsställe, "))
        and f", {unit}<" in table[:60]
    )
    cells = re.findall(r'<th scope="row">([^<]+)</th>((?:<td class="num[^"]*">[^<]*</td>){7})', table)
    rows = {label: re.findall(r">([^<]*)</td>", tds) for label, tds in cells}
    infra = next(v for k, v in rows.items() if k.startswith("Infrastructure"))
    assert infra[3:6] == ["32,400" if locale == "en_GB" else "32\u00a0400"] * 2 + ["+0"]

    def number(cell: str) -> int:
        return int(re.sub(r"[^\d−-]", "", cell).replace("−", "-"))

    total = rows.pop("Total" if locale == "en_GB" else "Summa")
    for col in range(6):  # every column, variances included, adds up to its printed total
        assert sum(number(r[col]) for r in rows.values()) == number(total[col]), col
    for r in [*rows.values(), total]:  # variance = printed actual/forecast less printed plan
        assert number(r[2]) == number(r[1]) - number(r[0])
        assert number(r[5]) == number(r[4]) - number(r[3])


def test_narrative_cites_the_variance_its_amounts_print(tmp_path: Path) -> None:
    """A sentence citing the forecast, the plan and the variance reads as a correct subtraction."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    replace_in(
        content,
        "narrative.yaml",
        "We forecast a full-year outturn of {forecast_fy}",
        "Outturn {forecast_fy} against {plan_fy}: {variance_fy} more. We forecast a full-year outturn of {forecast_fy}",
    )
    v = validate_folder(content)
    assert v.content is not None
    a = analyse(v.content)
    edition = next(e for e in v.content.editions if e.id == "board")
    text = text_of(render_html(build_view(a, edition)))
    assert "Outturn 108.6 MSEK against 107.2 MSEK: 1.4 MSEK more." in text  # exact 1,487,303


def _strategy(content: Path) -> str:
    v = validate_folder(content)
    assert v.content is not None, [p.message for p in v.problems]
    edition = Edition(id="executive", title="T", audience=Audience.EXECUTIVE)
    page = render_html(build_view(analyse(v.content), edition))
    start = page.index('aria-labelledby="strategy"')
    return text_of(page[start : page.index("</section>", start)])


def test_strategy_page_says_why_counts_by_objective_exceed_the_projects(content: Path) -> None:
    # The minimal division: alpha serves obj-cloud, beta no objective ("not linked"): 1 + 1 rows
    # for 2 projects, which add up, so no note (the boundary).
    text = _strategy(content)
    assert "Total 2 " in text  # the class table's total: 2 projects
    assert "counted under each" not in text
    # alpha serves a second objective: 1 + 1 + 1 = 3 rows for 2 projects, and the page says so.
    replace_in(
        content,
        "strategy.yaml",
        "coordination:",
        "  - {id: obj-two, title: Second aim, horizon: 2026, owner: ada.berg}\ncoordination:",
    )
    replace_in(content, "projects/alpha.yaml", "objectives: [obj-cloud]", "objectives: [obj-cloud, obj-two]")
    text = _strategy(content)
    assert (
        "A project that serves several objectives is counted under each of them, so the counts by "
        "objective add up to 3 for 2 projects; its budget and cost to date are split equally" in text
    )
    assert "Cloud first 1 " in text and "Second aim 1 " in text


@pytest.mark.parametrize(
    ("locale", "note"),
    [
        ("en_GB", "so the counts by objective add up to 16 for 11 projects"),
        ("sv_SE", "så antalen per mål summerar till 16 för 11 projekt"),
    ],
)
def test_example_strategy_note_in_both_languages(locale: str, note: str) -> None:
    # The example: objectives count 3 + 3 + 3 + 2 + 5 = 16; classes 5 + 4 + 2 = 11 projects.
    for edition in ("executive", "finance", "board"):
        assert note in text_of(example_html(locale)[edition]), edition


@pytest.mark.parametrize(
    ("locale", "cause", "rule"),
    [
        (
            "en_GB",
            "Resources: No project manager; owner covering",
            "at least amber without a project manager; red when the project manager has left",
        ),
        (
            "sv_SE",
            "Resurser: No project manager; owner covering",
            "minst gul när projektledare saknas; röd när projektledaren har slutat",
        ),
    ],
)
def test_red_resources_without_a_manager_agree_with_the_appendix(locale: str, cause: str, rule: str) -> None:
    """The example's field-service app has no manager and its report says red resources. Its red
    dot stood beside "Resources: no project manager" while the appendix said a missing manager
    gives amber. The cause is now the report's own comment, and the rule says "at least"."""
    page = example_html(locale)["executive"]
    begin = page.index('aria-labelledby="exceptions"')
    exceptions = text_of(page[begin : page.index("</section>", begin)])
    start = exceptions.index("Field-service mobile app")
    assert cause in exceptions[start : start + 600]
    assert "owner covering." not in exceptions  # causes are joined by "; ": no ".;" between them
    # its report's summary was written by the owner: it is not labelled "Project manager"
    assert ("Status report" if locale == "en_GB" else "Statusrapport") in exceptions[start : start + 600]
    assert "Project manager New sync" not in exceptions and "Projektledaren New sync" not in exceptions
    text = text_of(page)
    assert "Resources: no project manager" not in text and "Resurser: ingen projektledare" not in text
    assert rule in text


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        ("en_GB", "4 of them are red on schedule, 2 on cost and 2 on risk."),
        ("sv_SE", "4 of them are red on schedule, 2 on cost and 2 on risk."),  # the narrative is English
    ],
)
def test_example_summary_says_why_projects_are_red_with_counts(locale: str, sentence: str) -> None:
    """The example's summary said its 4 red projects were red "all because of schedule slips";
    S/4HANA and the field-service app are red on cost too (EAC +14.4 % and +17.7 %, red at 10 %)
    and on risk. It now cites the counts: schedule 4, cost 2, risk 2."""
    for edition in ("board", "executive", "finance", "management"):
        text = text_of(example_html(locale)[edition])
        assert "4 of the 8 live projects are red" in text
        assert sentence in text, edition
        assert "all because of" not in text
