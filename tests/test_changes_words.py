"""Since the last briefing: threshold changes (and colours they alone changed), new status reports,
percent complete and cost to date; events in words, not arrows. Real git repositories."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.analyse.changes import EVENTS, THRESHOLD_LABELS
from itreport.analyse.rag import Rag
from itreport.cli import main
from itreport.models.division import Thresholds
from tests.conftest import FIXTURES, replace_in
from tests.test_changes import EXTRA_MILESTONE, changes_of, git, second_briefing


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal division committed once, as in test_changes (the 'September briefing')."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    replace_in(content, "projects/alpha.yaml", "risks:\n", EXTRA_MILESTONE + "risks:\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "September briefing")
    monkeypatch.chdir(tmp_path)
    return tmp_path


RED_8 = "cost_overrun_pct: {amber: 5, red: 8}"


def _diff() -> list[str]:
    result = CliRunner().invoke(main, ["diff", "content", "--since", "HEAD~1"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_a_colour_changed_only_by_a_threshold_says_so(repo: Path) -> None:
    # Alpha's EAC 1,300,000 against a budget of 1,200,000 is an 8.33 % overrun: amber while red
    # starts at 10 %, red once red starts at 8 %. The data did not change; the threshold did.
    replace_in(repo / "content", "division.yaml", "cost_overrun_pct: {amber: 5, red: 10}", RED_8)
    git(repo, "commit", "-q", "-am", "Stricter cost threshold")
    got = {(c.kind, c.key, c.context): c for c in changes_of(repo, "HEAD~1").items}
    moved = got[("threshold_moved", "cost_overrun_pct", "red")]
    assert (moved.before, moved.after, moved.delta, moved.detail) == (10, 8, -2, "pct")
    cost = got[("rag", "alpha", "cost")]
    assert (cost.before, cost.after, cost.detail) == (Rag.AMBER, Rag.RED, "threshold")
    lines = _diff()
    assert "Thresholds" in lines
    assert "  ▼ Cost overrun against budget, red: 10% → 8%" in lines
    assert "  ▼ Alpha platform: Cost: Amber → Red (only because a threshold changed)" in lines

    result = CliRunner().invoke(main, ["build", "content", "--since", "HEAD~1", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    assert "<caption>Thresholds</caption>" in html
    assert "(only because a threshold changed)" in html


def test_the_status_mark_beside_a_project_names_the_threshold(repo: Path) -> None:
    # Alpha's forecast end is 31 days after its baseline end (2026-12-31 → 2027-01-31): red while
    # red starts at 30 days, amber once it starts at 40. Overall follows the schedule, red → amber.
    replace_in(
        repo / "content",
        "division.yaml",
        "schedule_slip_days: {amber: 10, red: 30}",
        "schedule_slip_days: {amber: 10, red: 40}",
    )
    git(repo, "commit", "-q", "-am", "Looser schedule threshold")
    got = {(c.kind, c.key, c.context): c for c in changes_of(repo, "HEAD~1").items}
    for dim in ("schedule", "overall"):
        change = got[("rag", "alpha", dim)]
        assert (change.before, change.after, change.detail) == (Rag.RED, Rag.AMBER, "threshold")
    assert "  ▲ Alpha platform: Overall: Red → Amber (only because a threshold changed)" in _diff()
    result = CliRunner().invoke(main, ["build", "content", "--since", "HEAD~1", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    # The mark beside the project's colour in the portfolio table says why, too.
    assert re.search(r'title="Since 31 Oct 2026: Red → Amber \(only because a threshold changed\)"', html)


def test_a_colour_changed_by_the_data_too_is_not_put_on_the_threshold(repo: Path) -> None:
    # EAC 1,450,000: 20.8 % over, red under the old red (10 %) as under the new (8 %).
    replace_in(repo / "content", "division.yaml", "cost_overrun_pct: {amber: 5, red: 10}", RED_8)
    replace_in(
        repo / "content",
        "projects/alpha.yaml",
        "estimate_at_completion: 1300000",
        "estimate_at_completion: 1450000",
    )
    git(repo, "commit", "-q", "-am", "Stricter threshold and a higher EAC")
    cost = next(c for c in changes_of(repo, "HEAD~1").items if c.kind == "rag" and c.context == "cost")
    assert (cost.before, cost.after, cost.detail) == (Rag.AMBER, Rag.RED, "")


def test_a_threshold_that_moves_no_colour_is_listed_alone(repo: Path) -> None:
    # Amber 5 % → 8 %: 8.33 % is still amber (at or above 8, below 10). One unit more would not be.
    replace_in(
        repo / "content",
        "division.yaml",
        "cost_overrun_pct: {amber: 5, red: 10}",
        "cost_overrun_pct: {amber: 8, red: 10}",
    )
    git(repo, "commit", "-q", "-am", "Looser amber")
    items = changes_of(repo, "HEAD~1").items
    assert [(c.kind, c.key, c.context, c.before, c.after) for c in items] == [
        ("threshold_moved", "cost_overrun_pct", "amber", 5, 8)
    ]


def test_status_reports_percent_complete_and_cost_to_date(repo: Path) -> None:
    c = repo / "content"
    replace_in(c, "projects/alpha.yaml", "percent_complete: 60", "percent_complete: 70")
    replace_in(c, "projects/alpha.yaml", "actual_to_date: 800000", "actual_to_date: 950000")
    replace_in(
        c,
        "projects/alpha.yaml",
        "status:\n",
        "status:\n  - date: 2026-10-28\n    author: bo.ek\n    overall: {rag: red, comment: Vendor later still}\n",
    )
    git(repo, "commit", "-q", "-am", "October report")
    got = {c.kind: c for c in changes_of(repo, "HEAD~1").items}
    report = got["status_reported"]
    assert (str(report.after), report.detail, report.arrow) == ("2026-10-28", "red", "")
    pct = got["percent_moved"]
    assert (pct.before, pct.after, pct.delta, pct.worse) == (60, 70, 10, False)
    cost = got["cost_moved"]
    assert (cost.before, cost.after, cost.delta, cost.worse) == (800000, 950000, Decimal(150000), None)
    lines = _diff()
    assert "  • Alpha platform: new status report of 28 Oct 26, reported red" in lines
    assert "  ▲ Alpha platform: percent complete 60% → 70% (+10 points)" in lines
    assert "  ▲ Alpha platform: cost to date 0.80\u00a0MSEK → 0.95\u00a0MSEK (+0.15\u00a0MSEK)" in lines


def test_events_are_said_in_words_not_arrows(repo: Path) -> None:
    second_briefing(repo / "content")
    replace_in(
        repo / "content",
        "people.yaml",
        "    start: 2026-10-01\n",
        "    start: 2026-10-01\n    end: 2026-10-25\n",
    )
    git(repo, "commit", "-q", "-am", "October")
    items = changes_of(repo, "HEAD~1").items
    assert {c.kind for c in items if c.kind in EVENTS} >= {
        "person_joined",
        "person_left",
        "person_moved",
        "position_filled",
        "position_opened",
        "risk_opened",
        "issue_closed",
        "decision_taken",
        "milestone_done",
    }
    assert all(c.arrow == "" for c in items if c.kind in EVENTS)
    lines = _diff()
    for line in (
        "  • Eva Sten: left",
        "  • Gus Berg: joined 15 Oct 26",
        "  • Dan Lund: moved from Operations to Development",
        "  • Data migration quality (Alpha platform): new open risk, score 9",
    ):
        assert line in lines
    assert not [x for x in lines if ("▲" in x or "▼" in x) and ("left" in x or "position filled" in x)]
    result = CliRunner().invoke(main, ["build", "content", "--since", "HEAD~1", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    assert '<span class="trend trend-better">•</span></td>\n<th scope="row">Engineer' in html  # filled


def test_changes_in_swedish(repo: Path) -> None:
    c = repo / "content"
    replace_in(c, "division.yaml", "locale: en_GB", "locale: sv_SE")
    git(repo, "commit", "-q", "-am", "Swedish")
    replace_in(c, "division.yaml", "cost_overrun_pct: {amber: 5, red: 10}", RED_8)
    replace_in(c, "projects/alpha.yaml", "percent_complete: 60", "percent_complete: 70")
    git(repo, "commit", "-q", "-am", "Stricter cost threshold")
    lines = _diff()
    assert "Tröskelvärden" in lines
    assert "  ▼ Kostnadsöverskridande mot budget, röd: 10\u00a0% → 8\u00a0%" in lines
    assert "  ▼ Alpha platform: Kostnad: Gul → Röd (enbart för att ett tröskelvärde ändrats)" in lines
    assert "  ▲ Alpha platform: färdigställandegrad 60\u00a0% → 70\u00a0% (+10 procentenheter)" in lines


def test_every_threshold_has_a_label_in_the_changes() -> None:
    assert set(THRESHOLD_LABELS) == set(Thresholds.model_fields)
