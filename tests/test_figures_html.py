"""Figures as a reader sees them in the built briefing: exceptions, heat map, savings, units, years."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from tests.conftest import REPO, replace_in


def _build(edition_html: str = "out/briefing-2026-10.html") -> str:
    result = CliRunner().invoke(main, ["build", "content", "--out", "out", "--format", "html"])
    assert result.exit_code == 0, result.output
    return Path(edition_html).read_text(encoding="utf-8")


def _section(html: str, section: str) -> str:
    start = html.index(f'aria-labelledby="{section}"')
    return html[start : html.index("</section>", start)]


def test_stale_project_stays_in_exceptions_with_its_reasons(content: Path) -> None:
    # Alpha's only report is from 20 Aug: 72 days before as-of 31 Oct (limit 45) → grey, not reported.
    replace_in(content, "projects/alpha.yaml", "date: 2026-10-20", "date: 2026-08-20")
    exceptions = _section(_build(), "exceptions")
    assert "Alpha platform" in exceptions
    assert "status not reported" in exceptions
    # the age first, then its computed reasons: forecast end 31 Jan 27 vs baseline 31 Dec 26 = +31 days
    assert re.search(
        r"Status report is 72 days old</span>\s*; <span class=\"cause\">Schedule: \+31 days against baseline",
        exceptions,
    )


def test_heat_map_counts_live_projects_only_and_says_so(content: Path) -> None:
    # A proposed project with a severe open risk: not yet the division's, so not counted.
    (content / "projects" / "gamma.yaml").write_text(
        "id: gamma\nname: Gamma idea\nsponsor: S\nowner: ada.berg\ninvestment_class: run\n"
        "phase: initiation\nstate: proposed\n"
        "schedule:\n  baseline: {start: 2027-01-01, end: 2027-06-30}\n"
        "budget: {capex: 0, opex: 100000}\n"
        "risks:\n  - {id: r9, title: Severe but proposed, probability: 5, impact: 5}\n",
        encoding="utf-8",
    )
    risks = _section(_build(), "risks")
    assert "Open risks of live projects by probability and impact" in risks
    assert "1 open risk in live projects." in risks  # alpha's r1 only; gamma is proposed
    assert "Severe but proposed" not in risks


def test_variance_chart_says_what_the_category_table_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example's "Other" forecast is 2,449,406 SEK against a plan of 2,400,000 (exact variance
    49,406): the table prints 2,400, 2,450 and +50 (kSEK), and the chart beside it said "+49".
    Each chart bar now carries the variance its table row prints."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["build", "content", "--out", "out", "--format", "html", "--edition", "finance"]
    )
    assert result.exit_code == 0, result.output
    html = Path("out/finance-2026-10.html").read_text(encoding="utf-8")
    chart = re.search(r"Forecast minus plan by category: ([^<]*)", html)
    assert chart is not None
    said = dict(re.findall(r"(\w[\w ]*?)\s([\d,]+)\skSEK\s(?:over|under) plan", chart.group(1)))
    rows = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th>(?:<td class="num[^"]*">[^<]*</td>){5}<td class="num[^"]*">[+−-]?([\d,]+)</td>',
            html,
        )
    )
    assert said["Other"] == rows["Other"] == "50"
    assert {k: v for k, v in said.items() if k != "Net"} == {k: rows[k] for k in said if k != "Net"}
