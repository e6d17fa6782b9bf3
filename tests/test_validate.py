"""Each rule: a broken copy of the minimal division and the exact problems it must produce."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from tests.conftest import replace_in


@dataclass
class Case:
    name: str
    edits: list[tuple[str, str, str]]
    expected: list[str]
    files: dict[str, str] = field(default_factory=dict)


CASES = [
    # --- YAML level -----------------------------------------------------------------------
    Case(
        "duplicate-key",
        [("teams.yaml", "    name: Operations\n", "    name: Operations\n    name: Ops\n")],
        ["content/teams.yaml:8:5: error: duplicate key 'name'"],
    ),
    Case(
        "syntax-error",
        [("strategy.yaml", "    owner: ada.berg\n    kpis:", "    owner: ada.berg\n   kpis:")],
        ["content/strategy.yaml:6:4: error: YAML syntax error: did not find expected '-' indicator"],
    ),
    Case(
        "tab-indent",
        [("roles.yaml", "  - id: engineer\n    title", "  - id: engineer\n\ttitle")],
        [
            "content/roles.yaml:10:1: error: YAML syntax error: found a tab character that violates indentation"
        ],
    ),
    Case(
        "impossible-date",
        [("people.yaml", "start: 2020-01-01", "start: 2020-02-30")],
        [
            "content/people.yaml:7:12: error: '2020-02-30' is not a valid date (day value is outside expected range)"
        ],
    ),
    Case("no-stays-string", [("people.yaml", "title: Head of IT", "title: NO")], []),
    # --- model level ----------------------------------------------------------------------
    Case(
        "unknown-key",
        [("projects/beta.yaml", "phase: closure", "phase: closure\ncolour: blue")],
        ["content/projects/beta.yaml:8:1: error: unknown key 'colour'"],
    ),
    Case(
        "unknown-key-near-miss",
        [("projects/beta.yaml", "sponsor:", "sponser:")],
        [
            "content/projects/beta.yaml:1:1: error: missing required key 'sponsor'",
            "content/projects/beta.yaml:3:1: error: unknown key 'sponser' (did you mean 'sponsor'?)",
        ],
    ),
    Case(
        "bad-enum",
        [("projects/beta.yaml", "state: completed", "state: done")],
        ["content/projects/beta.yaml:8:8: error: 'done' is not a valid state"],
    ),
    Case(
        "money-not-number",
        [("projects/beta.yaml", "opex: 300000", "opex: 300 000 kr")],
        ["content/projects/beta.yaml:15:9: error: '300 000 kr' is not a number"],
    ),
    Case(
        "percent-out-of-range",
        [("projects/alpha.yaml", "percent_complete: 60", "percent_complete: 160")],
        ["content/projects/alpha.yaml:15:19: error: percent_complete must be at most 100, got '160'"],
    ),
    Case(
        "bad-month",
        [("budget/2026.yaml", "plan: {2026-01: 505000.50", "plan: {2026-13: 505000.50")],
        ["content/budget/2026.yaml:21:12: error: key '2026-13' is not a month"],
    ),
    Case(
        "bad-id",
        [("teams.yaml", "id: dev", "id: Dev Team")],
        ["content/teams.yaml:11:9: error: 'Dev Team' is not a valid id"],
    ),
    Case(
        "empty-file",
        [],
        ["content/narrative.yaml:1:1: error: the file must hold a mapping of keys to values but is empty"],
        files={"narrative.yaml": ""},
    ),
    # --- cross-file rules -------------------------------------------------------------------
    Case(
        "unknown-person",
        [("projects/alpha.yaml", "manager: bo.ek", "manager: bo.eck")],
        ["content/projects/alpha.yaml:5:10: error: unknown person 'bo.eck' (did you mean 'bo.ek'?)"],
    ),
    Case(
        "unknown-team-in-list",
        [("projects/alpha.yaml", "business_units: [retail]", "business_units: [retail, grdi]")],
        ["content/projects/alpha.yaml:6:26: error: unknown business unit 'grdi' (did you mean 'grid'?)"],
    ),
    Case(
        "duplicate-id",
        [("projects/beta.yaml", "id: beta", "id: alpha")],
        [
            "content/projects/beta.yaml:1:5: error: duplicate project id 'alpha'",
            "content/projects/beta.yaml:21:14: error: a project cannot depend on itself",
        ],
    ),
    Case(
        "manager-cycle",
        [
            (
                "people.yaml",
                "    title: Head of IT\n    role: head\n    team: it\n",
                "    title: Head of IT\n    role: head\n    team: it\n    manager: cleo.holm\n",
            )
        ],
        ["content/people.yaml:7:14: error: reporting line forms a cycle: ada.berg → cleo.holm → ada.berg"],
    ),
    Case(
        "team-cycle",
        [("teams.yaml", "    name: IT Division\n", "    name: IT Division\n    parent: dev\n")],
        ["content/teams.yaml:4:13: error: team hierarchy forms a cycle: it → dev → it"],
    ),
    Case(
        "start-after-end",
        [("people.yaml", "end: 2026-06-30", "end: 2021-06-30")],
        ["content/people.yaml:57:10: error: end (2021-06-30) is before start (2022-01-01)"],
    ),
    Case(
        "actual-after-as-of",
        [("budget/2026.yaml", "2026-10: 1100000}", "2026-10: 1100000, 2026-11: 5}")],
        [
            "content/budget/2026.yaml:13:86: error: actual for 2026-11 is after the as-of month 2026-10",
            "content/budget/2026.yaml:14:16: warning: forecast given for 2026-11, which already has an actual; "
            "the actual is used",
        ],
    ),
    Case(
        "milestone-in-future",
        [("projects/alpha.yaml", "actual: 2026-04-10", "actual: 2026-11-10")],
        [
            "content/projects/alpha.yaml:32:13: error: milestone reached 2026-11-10 is after the as-of date 2026-10-31"
        ],
    ),
    Case(
        "plan-total",
        [("budget/2026.yaml", "annual_plan: 12000000", "annual_plan: 13000000")],
        [
            "content/budget/2026.yaml:9:18: error: annual_plan 13000000 is not the sum of the monthly plan (12000000)"
        ],
    ),
    Case(
        "capex-opex-total",
        [("projects/alpha.yaml", "total: 1200000", "total: 1250000")],
        ["content/projects/alpha.yaml:19:10: error: total 1250000 is not capex + opex (1200000)"],
    ),
    Case(
        "currency",
        [("budget/2026.yaml", "currency: SEK", "currency: EUR")],
        ["content/budget/2026.yaml:2:11: error: currency EUR differs from the division's SEK"],
    ),
    Case(
        "thresholds-order",
        [
            (
                "division.yaml",
                "cost_overrun_pct: {amber: 5, red: 10}",
                "cost_overrun_pct: {amber: 12, red: 10}",
            )
        ],
        ["content/division.yaml:15:38: error: threshold cost_overrun_pct: red (10) must be above amber (12)"],
    ),
    Case(
        "closed-not-complete",
        [("projects/beta.yaml", "percent_complete: 100", "percent_complete: 90")],
        ["content/projects/beta.yaml:12:19: error: a completed project must be 100% complete, not 90%"],
    ),
    Case(
        "month-outside-year",
        [("budget/2026.yaml", "2026-06: 494999.50}", "2026-06: 494999.50, 2027-01: 1}")],
        [
            "content/budget/2026.yaml:21:52: error: month 2027-01 is outside fiscal year 2026 (2026-01 to 2026-12)"
        ],
    ),
    # --- warnings ----------------------------------------------------------------------------
    Case(
        "stale-status",
        [("projects/alpha.yaml", "date: 2026-10-20", "date: 2026-08-20")],
        ["content/projects/alpha.yaml:23:11: warning: latest status report is 72 days old (limit 45)"],
    ),
    Case(
        "review-overdue",
        [("people.yaml", "last: 2026-04-01", "last: 2025-04-01")],
        ["content/people.yaml:16:38: warning: review for bo.ek overdue since 2026-04-01"],
    ),
    Case(
        "cert-expiring",
        [("people.yaml", "expires: 2027-06-01", "expires: 2026-12-01")],
        ["content/people.yaml:20:18: warning: bo.ek: certification 'itil4' expires in 31 days"],
    ),
    Case(
        "no-manager",
        [("projects/alpha.yaml", "manager: bo.ek\n", "")],
        ["content/projects/alpha.yaml:4:8: warning: project 'alpha' has no project manager"],
    ),
    Case(
        "missing-actual",
        [("budget/2026.yaml", "actual: {2026-01: 400000, 2026-06: 0}", "actual: {2026-01: 400000}")],
        [
            "content/budget/2026.yaml:21:32: warning: budget line 'alpha-capex' has no actual for "
            "2026-06, a month of the year to date (to 2026-10); the briefing marks its totals incomplete"
        ],
    ),
]


def _first_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule(content: Path, case: Case) -> None:
    for rel, old, new in case.edits:
        replace_in(content, rel, old, new)
    for rel, text in case.files.items():
        (content / rel).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    got = [line.split("\n")[0] for line in _first_lines(result.output)]
    assert [g.split(" (first")[0] for g in got] == case.expected
    has_error = any(": error: " in e for e in case.expected)
    assert result.exit_code == (1 if has_error else 0)


def test_clean_fixture_has_no_problems(content: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "content", "--strict"])
    assert result.output == "content: no problems\n"
    assert result.exit_code == 0


def test_text_report_shows_source_line_caret_and_hint(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek", "manager: bo.eck")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.output == (
        "content/projects/alpha.yaml:5:10: error: unknown person 'bo.eck' (did you mean 'bo.ek'?)\n"
        " 5 | manager: bo.eck\n"
        "   |          ^~~~~~\n"
        "  hint: person ids are defined in people.yaml\n"
        "\n"
        "1 error\n"
    )


def test_all_problems_reported_at_once_sorted(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek", "manager: nobody")
    replace_in(content, "people.yaml", "team: ops\n    manager: bo.ek", "team: opz\n    manager: bo.ek")
    replace_in(content, "strategy.yaml", "  - id: c1\n", "  - id: c1\n    colour: red\n")
    result = CliRunner().invoke(main, ["validate", "content"])
    firsts = _first_lines(result.output)
    assert [f.split(": error:")[0] for f in firsts] == [
        "content/people.yaml:33:11",
        "content/projects/alpha.yaml:5:10",
        "content/strategy.yaml:14:5",
    ]
    assert result.output.endswith("3 errors\n")


def test_strict_turns_warnings_into_failure(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek\n", "")
    assert CliRunner().invoke(main, ["validate", "content"]).exit_code == 0
    assert CliRunner().invoke(main, ["validate", "content", "--strict"]).exit_code == 1


def test_json_format(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek", "manager: bo.eck")
    result = CliRunner().invoke(main, ["validate", "content", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "file": "content/projects/alpha.yaml",
            "line": 5,
            "column": 10,
            "severity": "error",
            "message": "unknown person 'bo.eck' (did you mean 'bo.ek'?)",
            "hint": "person ids are defined in people.yaml",
            "rule": "refs.resolve",
        }
    ]


def test_json_format_clean_is_empty_list(content: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "content", "--format", "json"])
    assert (result.exit_code, json.loads(result.output)) == (0, [])


def test_github_format(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek\n", "")
    replace_in(content, "teams.yaml", "lead: bo.ek", "lead: bo,ek")
    result = CliRunner().invoke(main, ["validate", "content", "--format", "github"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::warning file=content/projects/alpha.yaml,line=4,col=8::project 'alpha' has no project manager"
        " — hint: add 'manager: <person id>' (the owner stays accountable)",
        "::error file=content/teams.yaml,line=9,col=11::'bo,ek' is not a valid id"
        " — hint: ids use lower-case letters, digits, '.', '_' and '-', e.g. 'erp-upgrade'",
    ]


def test_non_utf8_file_is_located(content: Path) -> None:
    (content / "strategy.yaml").write_bytes(
        "objectives: []\nproblems: []\n# Bjo\u0308rn\n".encode()[:-1] + b"\xe9\n"
    )
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert "content/strategy.yaml:3:9: error: file is not valid UTF-8 (byte 0xe9)" in result.output


def test_missing_division_file(content: Path) -> None:
    (content / "division.yaml").unlink()
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    assert "content/division.yaml: error: division.yaml is missing" in result.output


def test_unknown_file_is_a_warning(content: Path) -> None:
    (content / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 0
    assert "content/notes.yaml: warning: file is not a known kind of content and was ignored" in result.output


def test_bad_usage_exits_2(content: Path) -> None:
    assert CliRunner().invoke(main, ["validate", "nowhere"]).exit_code == 2
    assert CliRunner().invoke(main, ["validate", "content", "--format", "xml"]).exit_code == 2


def test_missing_actual_is_an_error_with_strict_and_marked_in_the_briefing(content: Path) -> None:
    replace_in(
        content, "budget/2026.yaml", "actual: {2026-01: 400000, 2026-06: 0}", "actual: {2026-01: 400000}"
    )
    strict = CliRunner().invoke(main, ["build", "content", "--out", "out", "--strict"])
    assert strict.exit_code == 1
    assert "has no actual for 2026-06" in strict.output
    assert not Path("out").exists()
    result = CliRunner().invoke(main, ["build", "content", "--out", "out", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("out/briefing-2026-10.html").read_text()
    # forecast 12,300,000 + 400,000 booked + June's plan 494,999.50 = 13,194,999.50, not 12,700,000;
    # the variance +194,999.50 is 0.19 MSEK, so the tiles are in kSEK: 13,194.9995 → 13,195
    assert "13,195\u00a0kSEK*" in html
    assert "Incomplete: no actual booked for Alpha build (Jun 2026)" in html
    assert html.count('<sup class="incomplete"') >= 3  # actual, YTD variance and forecast cells
    # and the appendix says so in a sentence, once (the check's note; the build adds no second one)
    assert html.count("Budget line Alpha build has no actual for June 2026") == 1
