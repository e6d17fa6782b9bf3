"""Changes since the last briefing, from real git repositories with several commits."""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from itreport.analyse import Analysis, analyse
from itreport.analyse.changes import Changes
from itreport.analyse.rag import Rag
from itreport.baseline import changes_since, load_baseline
from itreport.cli import main
from itreport.content import Content
from itreport.render import jobs as render_jobs
from itreport.render.layout import Layout, Rendered
from itreport.validate import validate_folder
from tests.conftest import FIXTURES, replace_in

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "PATH": "/usr/bin:/bin",
}


def git(cwd: Path, *args: str) -> str:
    env = {**ENV, "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


EXTRA_MILESTONE = """  - id: test-done
    name: Test complete
    baseline: 2026-10-15
"""
GUS = """  - id: gus.berg
    name: Gus Berg
    title: Developer
    role: engineer
    team: dev
    manager: cleo.holm
    start: 2026-10-15
"""
NEW_POSITION = """  - id: pos-ops-2
    role: engineer
    team: ops
    status: advertised
    opened: 2026-10-20
"""


def second_briefing(c: Path) -> None:
    """Every kind of change a manager reports, applied to the minimal division."""
    replace_in(
        c,
        "projects/alpha.yaml",
        "forecast: {start: 2026-01-01, end: 2027-01-31}",
        "forecast: {start: 2026-01-01, end: 2027-03-31}",
    )
    replace_in(c, "projects/alpha.yaml", "estimate_at_completion: 1300000", "estimate_at_completion: 1450000")
    replace_in(c, "projects/alpha.yaml", "    forecast: 2027-01-31\n", "    forecast: 2027-03-31\n")
    replace_in(
        c,
        "projects/alpha.yaml",
        "    baseline: 2026-10-15\n",
        "    baseline: 2026-10-15\n    actual: 2026-10-20\n",
    )
    replace_in(c, "projects/alpha.yaml", "    probability: 4\n", "    probability: 5\n")
    replace_in(
        c,
        "projects/alpha.yaml",
        "issues:\n",
        "  - id: r2\n    title: Data migration quality\n"
        "    probability: 3\n    impact: 3\n    mitigation: Trial loads\nissues:\n",
    )
    replace_in(
        c, "projects/alpha.yaml", "    due: 2026-11-15\n", "    due: 2026-11-15\n    state: resolved\n"
    )
    replace_in(
        c,
        "projects/alpha.yaml",
        "    needed_by: 2026-11-30\n",
        "    needed_by: 2026-11-30\n    state: approved\n    decided: 2026-10-30\n",
    )
    replace_in(c, "projects/beta.yaml", "id: beta\n", "id: beta-rollout\n")
    replace_in(
        c,
        "budget/2026.yaml",
        "forecast: {2026-11: 1100000, 2026-12: 1100000}",
        "forecast: {2026-11: 1200000, 2026-12: 1200000}",
    )
    replace_in(
        c,
        "people.yaml",
        "    team: ops\n    manager: bo.ek\n    start: 2023-09-01",
        "    team: dev\n    manager: bo.ek\n    start: 2023-09-01",
    )
    (c / "people.yaml").write_text((c / "people.yaml").read_text() + GUS)
    replace_in(
        c, "positions.yaml", "    status: interviewing\n", "    status: filled\n    filled_by: gus.berg\n"
    )
    (c / "positions.yaml").write_text((c / "positions.yaml").read_text() + NEW_POSITION)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    replace_in(content, "projects/alpha.yaml", "risks:\n", EXTRA_MILESTONE + "risks:\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "September briefing")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def changes_of(repo: Path, since: str) -> Changes:
    current = validate_folder(Path("content"))
    assert current.content is not None, current.problems
    changes = changes_since(load_baseline(Path("content"), since), analyse(current.content))
    assert changes is not None
    return changes


def test_every_kind_of_change(repo: Path) -> None:
    second_briefing(repo / "content")
    git(repo, "commit", "-q", "-am", "October briefing")
    c = changes_of(repo, "HEAD~1")
    got = {(ch.kind, ch.key, ch.context): ch for ch in c.items}

    end = got[("end_moved", "alpha", "")]
    assert (str(end.before), str(end.after), end.delta, end.worse) == ("2027-01-31", "2027-03-31", 59, True)
    eac = got[("eac_moved", "alpha", "")]
    assert (eac.delta, eac.worse) == (Decimal(150000), True)  # 1,450,000 − 1,300,000
    # Cost overrun 100,000/1,200,000 = 8.3 % (amber) → 250,000/1,200,000 = 20.8 % (red).
    cost = got[("rag", "alpha", "cost")]
    assert (cost.before, cost.after, cost.worse) == (Rag.AMBER, Rag.RED, True)
    assert ("rag", "alpha", "overall") not in got  # red before and after (schedule)
    moved = got[("milestone_moved", "golive", "Alpha platform")]
    assert (moved.delta, moved.worse) == (59, True)
    assert str(got[("milestone_done", "test-done", "Alpha platform")].after) == "2026-10-20"
    rescored = got[("risk_rescored", "r1", "Alpha platform")]
    assert (rescored.before, rescored.after, rescored.delta) == (16, 20, 4)  # 4×4 → 5×4
    assert got[("risk_opened", "r2", "Alpha platform")].after == 9  # 3×3
    assert got[("issue_closed", "i1", "Alpha platform")].after == "resolved"
    assert got[("decision_taken", "d1", "Alpha platform")].after == "approved"
    # A renamed id is a removal and an addition.
    assert ("project_removed", "beta", "beta") in got and (
        "project_added",
        "beta-rollout",
        "beta-rollout",
    ) in got
    # Personnel forecast: Nov and Dec 1,100,000 → 1,200,000 each: +200,000, and so is the total.
    assert got[("forecast_moved", "personnel", "")].delta == Decimal(200000)
    assert got[("forecast_moved", "total", "")].delta == Decimal(200000)
    assert ("plan_moved", "personnel", "") not in got
    assert str(got[("person_joined", "gus.berg", "")].after) == "2026-10-15"
    moved_team = got[("person_moved", "dan.lund", "")]
    assert (moved_team.before, moved_team.after) == ("Operations", "Development")
    assert ("position_filled", "pos-dev-1", "") in got and ("position_opened", "pos-ops-2", "") in got


def test_no_changes_between_identical_revisions(repo: Path) -> None:
    assert changes_of(repo, "HEAD").items == ()


def test_diff_command_plain_text(repo: Path) -> None:
    second_briefing(repo / "content")
    git(repo, "commit", "-q", "-am", "October")
    result = CliRunner().invoke(main, ["diff", "content", "--since", "HEAD~1"])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output  # no colour codes when not a terminal
    assert "Alpha platform: forecast end 31 Jan 27 → 31 Mar 27 (+59 days)" in result.output
    assert "  ▼ Alpha platform: Cost: Amber → Red" in result.output  # down towards red, for the worse
    assert "  ▲ Vendor capacity (Alpha platform): score 16 → 20" in result.output
    assert "▲ Personnel: 12.30\u00a0MSEK → 12.50\u00a0MSEK (+0.20\u00a0MSEK)" in result.output
    assert "Beta rollout (beta): no longer in the portfolio (removed or renamed)" in result.output
    assert "Gus Berg: joined 15 Oct 26" in result.output


def test_diff_with_unknown_revision_is_usage_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "content", "--since", "no-such-ref"])
    assert result.exit_code == 2
    assert "no such revision" in result.output


def test_diff_without_baseline_says_how_to_get_one(repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "content"])
    assert result.exit_code == 0
    assert "no baseline" in result.output and "--tag" in result.output


def test_baseline_that_no_longer_validates(repo: Path) -> None:
    replace_in(repo / "content", "projects/alpha.yaml", "manager: bo.ek", "manager: nobody")
    git(repo, "commit", "-q", "-am", "broken")
    replace_in(repo / "content", "projects/alpha.yaml", "manager: nobody", "manager: bo.ek")
    git(repo, "commit", "-q", "-am", "fixed")
    result = CliRunner().invoke(main, ["build", "content", "--since", "HEAD~1", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (
        "baseline HEAD~1 does not validate (1 error(s), first: HEAD~1:content/projects/alpha.yaml:5: "
        "unknown person 'nobody'" in result.output
    )
    html = Path("output/briefing-2026-10.html").read_text()
    assert 'id="changes"' not in html
    # The appendix's data-quality notes say it in words; the location is for `validate`'s output.
    assert "The data of the last briefing (HEAD~1) could not be read" in html
    assert "alpha.yaml" not in html


def test_tag_then_build_compares_with_the_tag(repo: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["build", "content", "--format", "html", "--tag"])
    assert first.exit_code == 0, first.output
    assert "tagged briefing/2026-10-31" in first.output
    assert git(repo, "tag", "--list").split() == ["briefing/2026-10-31"]
    second_briefing(repo / "content")
    git(repo, "commit", "-q", "-am", "October")
    second = runner.invoke(main, ["build", "content", "--format", "html"])
    assert second.exit_code == 0
    assert json.loads(Path("output/manifest.json").read_text())["baseline"] == "briefing/2026-10-31"
    html = Path("output/briefing-2026-10.html").read_text()
    assert 'id="changes"' in html and "Since the last briefing" in html
    # The executive edition sees totals only: named joiners stay out of its change list.
    assert "Gus Berg" not in html
    # Trend marks beside the portfolio and finance figures.
    assert re.search(r'trend-worse" title="Since 31 Oct 2026: \+59 d">▲', html)
    assert re.search(r'trend-worse" title="Since 31 Oct 2026: \+150 kSEK">▲', html)


def test_tag_refuses_uncommitted_data(repo: Path) -> None:
    replace_in(repo / "content", "narrative.yaml", "on track", "nearly on track")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html", "--tag"])
    assert result.exit_code == 2
    assert "uncommitted changes" in result.output
    assert git(repo, "tag", "--list") == ""


def test_pdf_shows_the_change(repo: Path) -> None:
    second_briefing(repo / "content")
    git(repo, "commit", "-q", "-am", "October")
    result = CliRunner().invoke(main, ["build", "content", "--since", "HEAD~1", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    reader = PdfReader(Path("output/briefing-2026-10.pdf"))
    assert "Since the last briefing" in [str(o.title) for o in reader.outline]
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Since the last briefing" in text and "+59 days" in text


def test_a_tag_moved_while_the_baseline_is_read_does_not_mix_two_commits(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The baseline is read from the commit the tag named when the build looked: a tag moved
    meanwhile (another `build --tag`, a fetch) does not make the build read the newer tree."""
    from itreport import baseline

    git(repo, "tag", "briefing/2026-10-31")
    replace_in(repo / "content", "projects/alpha.yaml", "\nname: ", "\nname: Moved ")
    git(repo, "commit", "-q", "-am", "later")
    real_git = baseline._git

    def moving(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        answer = real_git(root, *args)
        if args[:2] == ("rev-parse", "--verify"):  # the tag is resolved: now it moves
            git(repo, "tag", "-f", "briefing/2026-10-31", "HEAD")
        return answer

    monkeypatch.setattr(baseline, "_git", moving)
    loaded = load_baseline(Path("content"), None)
    assert loaded.rev == "briefing/2026-10-31" and loaded.analysis is not None
    names = [p.name for p in loaded.analysis.content.projects]
    assert names and not any(name.startswith("Moved ") for name in names)


def test_a_file_name_that_is_not_utf8_in_git_is_no_traceback(repo: Path) -> None:
    """A contributor commits a project file with a Latin-1 name: git prints it as raw bytes.
    Validating (which asks git what it tracks) and building against a briefing tag that holds it
    (which reads the tag's tree) work as for any other name."""
    import os

    odd = os.path.join(b"content", b"projects", b"caf\xe9.yaml")
    try:
        with open(odd, "wb") as fh:
            fh.write(
                (repo / "content" / "projects" / "alpha.yaml").read_bytes().replace(b"id: alpha", b"id: cafe")
            )
    except OSError:  # pragma: no cover - a file system that takes UTF-8 names only (macOS)
        pytest.skip("this file system does not take a name that is not UTF-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a Latin-1 name")
    git(repo, "tag", "briefing/2026-10-31")
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", "content"])
    assert checked.exit_code == 0 and checked.exception is None, checked.output
    replace_in(repo / "content", "projects/alpha.yaml", "\nname: ", "\nname: Renamed ")
    built = runner.invoke(main, ["build", "content", "--format", "html"])
    assert built.exit_code == 0 and built.exception is None, built.output
    assert "compared with briefing/2026-10-31" in built.output


def test_the_newest_briefing_is_the_latest_dated_tag_not_a_hand_made_one(repo: Path) -> None:
    """`briefing/test`, made by hand after the dated tags, sorts after every date by name: it
    must not silently become the baseline of every later build."""
    from itreport.baseline import latest_tag

    git(repo, "tag", "briefing/2026-09-30")
    replace_in(repo / "content", "projects/alpha.yaml", "\nname: ", "\nname: Later ")
    git(repo, "commit", "-q", "-am", "October")
    git(repo, "tag", "briefing/2026-10-31")
    git(repo, "tag", "briefing/test")
    assert latest_tag(repo) == "briefing/2026-10-31"
    git(repo, "tag", "-d", "briefing/2026-09-30", "briefing/2026-10-31")
    assert latest_tag(repo) == "briefing/test"  # with no dated tag, the newest made


def test_the_build_lets_the_divisions_and_their_analyses_go_before_laying_out(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the PDFs are laid out (most of a large build's time and all of its peak memory),
    the build holds neither division (this one, the last briefing's), their analyses nor the
    views: two thirds of the build process's memory on the large demo."""
    git(repo, "tag", "briefing/2026-10-31")
    second_briefing(repo / "content")
    git(repo, "commit", "-q", "-am", "October")
    held: list[tuple[int, int]] = []

    def lay_out(task: Layout) -> Rendered:
        gc.collect()
        objects = gc.get_objects()
        held.append(
            (sum(isinstance(o, Content) for o in objects), sum(isinstance(o, Analysis) for o in objects))
        )
        return Rendered(task.edition, task.html, b"%PDF-1.7 test", pdf_source="k", pdf_seconds=0.1)

    monkeypatch.setattr(render_jobs, "lay_out", lay_out)
    result = CliRunner().invoke(main, ["build", "content", "--jobs", "1", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "compared with briefing/2026-10-31" in result.output
    assert held == [(0, 0)]
