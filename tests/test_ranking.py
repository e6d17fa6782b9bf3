"""Worst first and a bounded number (analyse/ranking.py), and how an edition counts the rest.

Every expected order and count below is worked out by hand from the figures written in the test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from itreport.analyse import analyse
from itreport.analyse.decisions import DecisionRow
from itreport.analyse.people import TeamCount, rolled_up, top_level
from itreport.analyse.portfolio import Health, rag_counts, rag_counts_by_class
from itreport.analyse.rag import Rag
from itreport.analyse.ranking import (
    bounded,
    exception_counts,
    exceptions,
    problem_size,
    rank_decisions,
    rank_projects,
)
from itreport.cli import main
from itreport.edition import bounded_people, build_view, complete_in
from itreport.models.briefings import Audience, Edition
from itreport.models.projects import InvestmentClass
from itreport.privacy import Cell
from itreport.render.html import render_html
from itreport.render.i18n import Translator
from itreport.validate import validate_folder
from tests.conftest import REPO
from tests.rendered import text_of
from tests.test_analyse_portfolio import health, project

D = Decimal


# --- bounded ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "limit", "shown", "more"),
    [
        (0, 3, 0, 0),
        (3, 3, 3, 0),  # exactly the limit: all shown, no "and 0 more"
        (4, 3, 3, 1),  # one over: "and 1 more"
        (12, 10, 10, 2),
        (5, None, 5, 0),  # no limit
        (2, 0, 0, 2),
    ],
)
def test_bounded_shows_at_most_the_limit_and_counts_the_rest(
    count: int, limit: int | None, shown: int, more: int
) -> None:
    items = list(range(count))
    b = bounded(items, limit)
    assert (len(b.shown), b.more, b.total) == (shown, more, count)
    assert list(b.shown) == items[:shown]  # the first ones, in the order given


def test_bounded_refuses_a_negative_limit() -> None:
    with pytest.raises(ValueError):
        bounded([1], -1)


# --- project severity -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Health:
    return health(project("base"))


def _h(
    base: Health,
    name: str,
    colour: Rag,
    overrun: str | None = None,
    slip: str | None = None,
    days: int = 0,
    stale: bool = False,
    live: bool = True,
) -> Health:
    return replace(
        base,
        project=base.project.model_copy(update={"id": name.lower(), "name": name}),
        live=live,
        stale=stale,
        computed=Rag.GREY if stale or not live else colour,
        assessed=colour,
        overrun_pct=D(overrun) if overrun is not None else None,
        slip_pct=D(slip) if slip is not None else None,
        slip_days=days,
    )


def test_problem_size_is_the_larger_known_percentage(base: Health) -> None:
    assert problem_size(_h(base, "A", Rag.RED, overrun="12.5", slip="30")) == D("30")
    assert problem_size(_h(base, "A", Rag.RED, overrun="12.5", slip=None)) == D("12.5")
    assert problem_size(_h(base, "A", Rag.RED, overrun="-4", slip="-1")) == D("-1")
    assert problem_size(_h(base, "A", Rag.RED)) is None


def test_projects_rank_by_colour_then_size_then_days_then_name(base: Health) -> None:
    rows = [
        _h(base, "Green big", Rag.GREEN, overrun="90"),
        _h(base, "Amber", Rag.AMBER, overrun="6"),
        _h(base, "Red small", Rag.RED, overrun="11", slip="2"),  # size 11
        _h(base, "Red large", Rag.RED, overrun="4", slip="40"),  # size 40
        _h(base, "Red unknown", Rag.RED),  # no size: after the red ones with one
        _h(base, "Red same b", Rag.RED, overrun="20", days=10),  # size 20, 10 days
        _h(base, "Red same a", Rag.RED, overrun="20", days=10),  # tie: by name
        _h(base, "Red same late", Rag.RED, overrun="20", days=45),  # size 20, more days first
        # Not reporting: ranks by its facts and at least as amber, before amber with a size 1 larger.
        _h(base, "Stale green", Rag.GREEN, overrun="7", stale=True),
        _h(base, "Stale red", Rag.RED, overrun="1", stale=True),
    ]
    assert [h.project.name for h in rank_projects(rows)] == [
        "Red large",
        "Red same late",
        "Red same a",
        "Red same b",
        "Red small",
        "Stale red",
        "Red unknown",
        "Stale green",
        "Amber",
        "Green big",
    ]


def test_exceptions_are_live_red_amber_or_stale_and_their_counts_add_up(base: Health) -> None:
    rows = [
        _h(base, "R1", Rag.RED, overrun="15"),
        _h(base, "R2", Rag.RED, overrun="30"),
        _h(base, "A1", Rag.AMBER, overrun="6"),
        _h(base, "G1", Rag.GREEN),
        _h(base, "S1", Rag.GREEN, stale=True),
        _h(base, "S2", Rag.RED, overrun="0", stale=True),
        _h(base, "Closed red", Rag.RED, live=False),
    ]
    found = exceptions(rows)
    # S2 ranks as red (its facts), size 0 < 15; S1 as amber, with no size after A1 (6 %).
    assert [h.project.name for h in found] == ["R2", "R1", "S2", "A1", "S1"]
    counts = exception_counts(found)
    assert counts == {"red": 2, "amber": 1, "stale": 2}
    assert sum(counts.values()) == len(found) == 5


def test_counts_by_class_add_up_to_the_portfolio_counts(base: Health) -> None:
    grow = base.project.model_copy(update={"investment_class": InvestmentClass.GROW})
    rows = (
        _h(base, "R", Rag.RED),
        _h(base, "A", Rag.AMBER),
        _h(base, "S", Rag.AMBER, stale=True),
        replace(_h(base, "G", Rag.GREEN), project=grow),
        replace(_h(base, "Closed", Rag.RED, live=False), project=grow),
    )
    by_class = dict(rag_counts_by_class(rows))
    assert by_class == {
        "run": {"green": 0, "amber": 1, "red": 1, "grey": 1},
        "grow": {"green": 1, "amber": 0, "red": 0, "grey": 0},
    }
    totals = rag_counts(rows)
    assert {c: sum(n[c] for n in by_class.values()) for c in totals} == totals


# --- decisions --------------------------------------------------------------------------------


def _row(title: str, needed: date | None, project_id: str = "", ask: bool = False) -> DecisionRow:
    return DecisionRow(title, "", "", project_id, needed, False, ask=ask, project_id=project_id)


def test_decisions_asks_first_then_project_colour_then_date() -> None:
    as_of = date(2026, 10, 31)
    colours = {"red": Rag.RED, "amber": Rag.AMBER, "green": Rag.GREEN}
    rows = [
        _row("green early", date(2026, 11, 1), "green"),
        _row("amber undated", None, "amber"),
        _row("amber late", date(2026, 10, 1), "amber"),
        _row("red later", date(2027, 1, 15), "red"),
        _row("red sooner", date(2026, 12, 1), "red"),
        _row("ask undated", None, ask=True),
        _row("ask on an amber project", date(2027, 3, 1), "amber", ask=True),
        _row("ask soon", date(2026, 11, 5), ask=True),
    ]
    assert [r.title for r in rank_decisions(rows, colours, as_of)] == [
        "ask soon",
        "ask on an amber project",
        "ask undated",
        "red sooner",
        "red later",
        "amber late",
        "amber undated",
        "green early",
    ]


# --- teams rolled up for a summary ------------------------------------------------------------


def test_teams_roll_up_to_their_top_level_unit() -> None:
    parents: dict[str, str | None] = {"cio": None, "ops": "cio", "net": "ops", "dc": "net", "apps": "cio"}
    assert [top_level(t, parents) for t in ("cio", "ops", "net", "dc", "apps")] == [
        "cio",
        "ops",
        "ops",
        "ops",
        "apps",
    ]
    teams = (
        TeamCount(
            "cio", "Office", {"employee": 2, "contractor": 0}, {"employee": D("2"), "contractor": D(0)}
        ),
        TeamCount(
            "ops", "Ops", {"employee": 3, "contractor": 1}, {"employee": D("3"), "contractor": D("0.5")}
        ),
        TeamCount("net", "Net", {"employee": 4, "contractor": 0}, {"employee": D("3.5"), "contractor": D(0)}),
        TeamCount(
            "apps", "Apps", {"employee": 5, "contractor": 2}, {"employee": D("5"), "contractor": D("2")}
        ),
        TeamCount("dc", "DC", {"employee": 1, "contractor": 1}, {"employee": D("1"), "contractor": D("0.8")}),
    )
    units = rolled_up(teams, parents)
    assert [(u.team_id, u.team_name, u.headcount, u.fte) for u in units] == [
        ("cio", "Office", {"employee": 2, "contractor": 0}, {"employee": D("2"), "contractor": D(0)}),
        # ops 3+1, net 4+0, dc 1+1 → 8 employees, 2 contractors; FTE 3+3.5+1 = 7.5, 0.5+0.8 = 1.3
        ("ops", "Ops", {"employee": 8, "contractor": 2}, {"employee": D("7.5"), "contractor": D("1.3")}),
        ("apps", "Apps", {"employee": 5, "contractor": 2}, {"employee": D("5"), "contractor": D("2")}),
    ]
    assert sum(u.total_headcount for u in units) == sum(t.total_headcount for t in teams) == 19


# --- the limit in briefings.yaml ------------------------------------------------------------


def _edition(**extra: object) -> Edition:
    return Edition.model_validate({"id": "e", "title": "E", "audience": "board", **extra})


@pytest.mark.parametrize(
    ("audience", "limit", "expected"),
    [
        ("board", None, 10),  # the board's default
        ("executive", None, None),
        ("management", None, None),
        ("board", "all", None),
        ("board", 1, 1),
        ("management", 1000, 1000),
    ],
)
def test_list_limit_defaults_by_audience(audience: str, limit: object, expected: int | None) -> None:
    assert _edition(audience=audience, limit=limit).list_limit == expected


@pytest.mark.parametrize("bad", [0, -3, 1001, "1001", "most", True, 2.5, "2.5"])
def test_limit_outside_its_bounds_is_one_clear_error(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        _edition(limit=bad)
    (error,) = caught.value.errors()
    assert error["loc"] == ("limit",)
    assert error["msg"].startswith("must be a whole number from 1 to 1000, or 'all'")


# --- "and N more", in both languages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "key", "count", "text"),
    [
        ("en_GB", "more_projects", 1, "And 1 more live project, ranked lower."),
        ("en_GB", "more_projects", 2, "And 2 more live projects, ranked lower."),
        ("en_GB", "more_decisions", 1, "And 1 more decision, ranked lower."),
        ("en_GB", "more_decisions", 21, "And 21 more decisions, ranked lower."),
        ("en_GB", "more_positions", 1, "And 1 more open position, open for a shorter time."),
        ("sv_SE", "more_positions", 1, "Och ytterligare 1 öppen tjänst, öppen kortare tid."),
        ("sv_SE", "more_positions", 3, "Och ytterligare 3 öppna tjänster, öppna kortare tid."),
        (
            "sv_SE",
            "more_exceptions",
            1,
            "Och ytterligare 1 projekt som kräver uppmärksamhet, lägre rangordnat.",
        ),
        (
            "sv_SE",
            "more_exceptions",
            2,
            "Och ytterligare 2 projekt som kräver uppmärksamhet, lägre rangordnade.",
        ),
    ],
)
def test_more_lines_use_the_languages_plural_forms(locale: str, key: str, count: int, text: str) -> None:
    assert Translator(locale)(key, count=count) == text


# --- an edition's bounded lists, rendered ------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> object:
    validation = validate_folder(REPO / "content")
    assert validation.content is not None
    return analyse(validation.content)


def test_edition_shows_the_limit_and_counts_the_rest(example: object) -> None:
    """The example has N exceptions: a limit of N shows them all with no "more" line; N − 1 hides
    exactly the lowest-ranked one and says "And 1 more", pointing to an edition with every one."""
    full = build_view(example, Edition(id="x", title="X", audience=Audience.BOARD, limit="all"))  # type: ignore[arg-type]
    n = len(full.exceptions)
    assert n >= 2 and full.exceptions_more == 0
    assert sum(full.exception_counts.values()) == n

    exact = build_view(example, Edition(id="x", title="X", audience=Audience.BOARD, limit=n))  # type: ignore[arg-type]
    assert (exact.exceptions, exact.exceptions_more) == (full.exceptions, 0)
    assert "more project" not in text_of(render_html(exact))

    one_less = build_view(example, Edition(id="x", title="X", audience=Audience.BOARD, limit=n - 1))  # type: ignore[arg-type]
    assert one_less.exceptions == full.exceptions[:-1] and one_less.exceptions_more == 1
    assert one_less.exception_counts == full.exception_counts  # the counts are of every exception
    assert one_less.more_in["exceptions"] == "CIO briefing"  # the first edition without a limit
    text = text_of(render_html(one_less))
    assert "And 1 more project needing attention, ranked lower. The full list is in “CIO briefing”." in text


def test_board_summary_lists_the_worst_projects_and_keeps_the_totals(example: object) -> None:
    view = build_view(
        example,
        Edition.model_validate(
            {
                "id": "b",
                "title": "B",
                "audience": "board",
                "limit": 2,
                "sections": [{"section": "portfolio", "depth": "summary"}, "exceptions"],
            }
        ),
    )  # type: ignore[arg-type]
    live = [h for h in view.portfolio if h.live]
    assert view.projects == rank_projects(live)[:2]
    assert len(view.projects) + view.projects_more == len(live)
    assert sum(sum(n.values()) for _k, n in view.by_class) == len(live)


def test_full_portfolio_lists_every_live_project_worst_first(example: object) -> None:
    view = build_view(
        example,
        Edition.model_validate(
            {"id": "m", "title": "M", "audience": "management", "limit": 1, "sections": ["portfolio"]}
        ),
    )  # type: ignore[arg-type]
    live = [h for h in view.portfolio if h.live]
    assert view.projects == rank_projects(live) and view.projects_more == 0


def test_pointer_names_only_an_edition_that_lists_everything() -> None:
    board = _edition(
        id="board", sections=["summary", "exceptions", {"section": "portfolio", "depth": "summary"}]
    )
    cio = _edition(
        id="cio", title="CIO", audience="executive", limit=20, sections=["exceptions", "portfolio"]
    )
    mgmt = _edition(id="mgmt", title="Management", audience="management", sections=["summary", "exceptions"])
    # cio has a limit but a full portfolio; management has no limit but no portfolio section.
    assert complete_in([board, cio, mgmt], board, False) == {
        "summary": "Management",
        "exceptions": "Management",
        "portfolio": "CIO",
    }
    assert complete_in([board], board, False) == {}


def test_summary_people_lists_the_longest_open_positions_and_merges_small_units(example: object) -> None:
    base = build_view(example, Edition(id="x", title="X", audience=Audience.BOARD)).people  # type: ignore[arg-type]
    people = replace(
        base,
        open_positions=(
            ("dev", "Apps", "advertised", D("1"), 5),
            ("ops", "Infra", "draft", D("0.5"), 30),
            ("sec", "Security", "offer", D("1"), 10),
        ),
        teams=(
            Cell("Apps", 20, D("19.5")),
            Cell("Infra", 12, D("11")),
            Cell("Security", 6, D("6")),
            Cell("other", 7, D("6.5"), ("PMO", "Data")),
        ),
    )
    shown = bounded_people(people, 2)
    # Longest open first: 30, 10 days shown; the 5-day one counted.
    assert [p[4] for p in shown.open_positions] == [30, 10] and shown.open_positions_more == 1
    # Two groups at most: the largest (Apps) and "other" = Infra + Security + the earlier other.
    assert shown.teams == (
        Cell("Apps", 20, D("19.5")),
        Cell("other", 25, D("23.5"), ("Infra", "Security", "PMO", "Data")),
    )
    assert sum(c.count for c in shown.teams) == sum(c.count for c in people.teams) == 45
    unbounded = bounded_people(people, None)
    assert [p[4] for p in unbounded.open_positions] == [30, 10, 5] and unbounded.teams == people.teams


def test_limit_is_read_from_briefings_yaml(content: Path) -> None:
    """Through the loader (which hands numbers over as text), as a user writes it."""
    (content / "briefings.yaml").write_text(
        "editions:\n"
        "  - {id: board, title: Board, audience: board, limit: 3}\n"
        "  - {id: cio, title: CIO, audience: executive, limit: all}\n"
        "  - {id: mgmt, title: Management, audience: management}\n",
        encoding="utf-8",
    )
    v = validate_folder(content)
    assert v.content is not None and not [p for p in v.problems if p.severity.value == "error"], v.problems
    assert [e.list_limit for e in v.content.editions] == [3, None, None]
    (content / "briefings.yaml").write_text(
        "editions:\n  - {id: board, title: Board, audience: board, limit: 0}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(content)])
    assert result.exit_code == 1
    assert (
        "briefings.yaml:2:55: error: limit: must be a whole number from 1 to 1000, or 'all' (got 0)"
        in result.output
    )
