"""The edition stage: from the full analysis to what one audience may see.

Templates receive only the `Briefing` built here. Person records never reach a template: people
appear as `PersonRef` (internal tier: name, title, team); management-tier lists exist only for
audiences cleared for them; restricted fields only for HR. Board and executive editions get
people figures as totals with counts below five merged away (see `privacy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from itreport.analyse import Analysis
from itreport.analyse.changes import Changes
from itreport.analyse.decisions import DecisionRow, decision_rows
from itreport.analyse.finance import Finance
from itreport.analyse.people import PeopleFigures, rolled_up
from itreport.analyse.portfolio import Health, Milestones, rag_counts_by_class
from itreport.analyse.ranking import (
    bounded,
    exception_counts,
    exceptions,
    rank_costs,
    rank_decisions,
    rank_projects,
    severity_colour,
)
from itreport.analyse.risks import RiskRegister
from itreport.analyse.strategy import StrategyFigures
from itreport.analyse.summary import Status
from itreport.citations import Cited
from itreport.citing import cite
from itreport.load import active_memo
from itreport.models.base import Tier
from itreport.models.briefings import AUDIENCE_TIERS, TOTALS_ONLY, Audience, Depth, Edition, SectionChoice
from itreport.models.division import Division, Thresholds
from itreport.models.people import Person
from itreport.models.strategy import NarrativeFile
from itreport.plain import freeze
from itreport.privacy import K_MIN, Cell, merge_small, suppressed
from itreport.problems import Note


@dataclass(frozen=True)
class PersonRef:
    id: str
    name: str
    title: str
    team: str


@dataclass(frozen=True)
class DatedPerson:
    person: PersonRef
    what: str
    when: date | None
    days: int | None


@dataclass(frozen=True)
class RestrictedRow:
    person: PersonRef
    performance_rating: int | None
    disciplinary: str | None
    salary: Decimal | None


@dataclass(frozen=True)
class PeopleView:
    totals_only: bool
    k_min: int
    headcount: int
    fte: Decimal
    teams: tuple[Cell, ...]
    types: tuple[Cell, ...]
    open_positions: tuple[tuple[str, str, str, Decimal, int], ...]
    """Longest open first; bounded by the edition's limit in a summary section."""
    open_fte: Decimal
    opened: int
    filled: int
    """Positions filled this period; `filled_undated` more are filled without a date."""
    filled_undated: int
    joiners: int | None
    leavers: int | None
    leavers_12m: int | None
    attrition_pct: Decimal | None
    span_average: Decimal | None
    span_max: int | None
    managers: int
    reviews_overdue: int | None
    training_completion_pct: Decimal | None
    training_overdue: int | None
    certs_expired: int | None
    certs_expiring: int | None
    coverage: tuple[tuple[str, str, int, int], ...]
    fte_by_type: tuple[tuple[str, dict[str, Decimal]], ...] = ()
    """FTE per team and employment type; empty for totals-only audiences (cells would be small)."""
    named: dict[str, tuple[DatedPerson, ...]] | None = None
    restricted: tuple[RestrictedRow, ...] | None = None
    open_positions_more: int = 0
    """Open positions not listed (the edition's limit); `open_positions` + these = all open."""
    rolled_up: bool = False
    """Team figures are per top-level unit (a summary with more teams than the limit)."""


@dataclass(frozen=True)
class NarrativeView:
    """The head of IT's words with cited figures resolved for this edition's audience."""

    executive_summary: Cited
    key_messages: tuple[Cited, ...]


def narrative_view(narrative: NarrativeFile | None, a: Analysis, people: PeopleView) -> NarrativeView | None:
    if narrative is None:
        return None
    return NarrativeView(
        cite(narrative.executive_summary, a, people),
        tuple(cite(m, a, people) for m in narrative.key_messages),
    )


def decisions_view(
    a: Analysis, people: PeopleView, limit: int | None = None
) -> tuple[tuple[DecisionRow, ...], int]:
    """Asks and pending project decisions, each once, most pressing first (see `ranking`), at
    most `limit` of them; the asks' figures cited. Returns the rows and how many more there are."""
    c = a.content
    rows = decision_rows(c.narrative.asks if c.narrative else [], a.risks.decisions, c.division.as_of)
    colours = {h.project.id: severity_colour(h) for h in a.portfolio}
    shown = bounded(rank_decisions(rows, colours, c.division.as_of), limit)
    return (
        tuple(
            replace(r, title=cite(str(r.title), a, people), detail=cite(str(r.detail), a, people))
            for r in shown.shown
        ),
        shown.more,
    )


@dataclass(frozen=True)
class Section:
    id: str
    depth: str

    @property
    def full(self) -> bool:
        return self.depth == Depth.FULL.value


@dataclass(frozen=True)
class Briefing:
    edition: Edition
    audience: str
    classification: str
    sections: tuple[Section, ...]
    division: Division
    thresholds: Thresholds
    narrative: NarrativeView | None
    status: Status
    finance: Finance | None
    portfolio: tuple[Health, ...]
    exceptions: tuple[Health, ...]
    milestones: Milestones
    risks: RiskRegister
    people: PeopleView
    strategy: StrategyFigures
    names: dict[str, str]
    teams: dict[str, str]
    units: dict[str, str]
    centres: dict[str, str]
    objectives: dict[str, str]
    certifications: dict[str, str]
    roles: dict[str, str]
    data_quality: tuple[Note, ...]
    commit: str | None = None
    draft: bool = False
    versioned: bool = True  # False: built outside any git repository, every page says so
    changes: Changes | None = None
    charts: dict[str, object] = field(default_factory=dict)
    gaps: tuple[str, ...] = ()
    """Areas with nothing recorded yet: the briefing says so instead of showing empty figures."""
    decisions: tuple[DecisionRow, ...] = ()
    """Asks and pending project decisions, each once, most pressing first, at most `limit`."""
    decisions_more: int = 0
    limit: int | None = None
    """Most items a long list of this edition shows (None: all); the rest are counted."""
    exceptions_more: int = 0
    """Exceptions not shown (the limit); `exceptions` + these = every exception."""
    exception_counts: dict[str, int] = field(default_factory=dict)
    """Every exception (shown or not) by colour: red, amber, stale (not reported)."""
    projects: tuple[Health, ...] = ()
    """The live projects the portfolio table lists, worst first (bounded in a summary section)."""
    projects_more: int = 0
    by_class: tuple[tuple[str, dict[str, int]], ...] = ()
    """Live projects per investment class by colour; sums to the portfolio counts."""
    more_in: dict[str, str] = field(default_factory=dict)
    """Section id → title of another edition that lists what this one leaves out."""

    def has(self, section: str) -> bool:
        return any(s.id == section for s in self.sections)

    def depth(self, section: str) -> str:
        return next((s.depth for s in self.sections if s.id == section), "")


def _ref(p: Person, teams: dict[str, str]) -> PersonRef:
    return PersonRef(p.id, p.name, p.title, teams.get(p.team, p.team))


def _as_is(count: int) -> int | None:
    return count


def people_view(
    figs: PeopleFigures, people: list[Person], teams: dict[str, str], audience: Audience
) -> PeopleView:
    tiers = AUDIENCE_TIERS[audience]
    totals = audience in TOTALS_ONLY
    team_cells = [Cell(t.team_name, t.total_headcount, t.total_fte) for t in figs.teams]
    type_cells = [
        Cell(kind, count, sum((t.fte[kind] for t in figs.teams), Decimal(0)))
        for kind, count in figs.by_type.items()
    ]
    if totals:
        team_cells = merge_small(team_cells, K_MIN, "other")
        type_cells = merge_small(type_cells, K_MIN, "other")
    else:
        team_cells = [c for c in team_cells if c.count]
        type_cells = [c for c in type_cells if c.count]
    sup = suppressed if totals else _as_is
    leavers_12m = sup(figs.leavers_12m)
    named = None
    if Tier.MANAGEMENT in tiers:
        named = {
            "joiners": tuple(DatedPerson(_ref(p, teams), "", p.start, None) for p in figs.joiners),
            "leavers": tuple(DatedPerson(_ref(p, teams), "", p.end, None) for p in figs.leavers),
            "reviews_overdue": tuple(
                DatedPerson(_ref(r.person, teams), "", r.due, r.days_overdue) for r in figs.reviews_overdue
            ),
            "certs_expired": tuple(
                DatedPerson(_ref(c.person, teams), c.certification, c.expires, c.days_left)
                for c in figs.certs_expired
            ),
            "certs_expiring": tuple(
                DatedPerson(_ref(c.person, teams), c.certification, c.expires, c.days_left)
                for c in figs.certs_expiring
            ),
        }
    restricted = None
    if Tier.RESTRICTED in tiers:
        restricted = tuple(
            RestrictedRow(_ref(p, teams), p.performance_rating, p.disciplinary, p.salary)
            for p in people
            if p.performance_rating is not None or p.disciplinary or p.salary is not None
        )
    coverage = tuple((c.role_title, c.certification, c.holders, c.required) for c in figs.coverage)
    if totals:
        held = sum(c.holders for c in figs.coverage)
        needed = sum(c.required for c in figs.coverage)
        coverage = (("*", "*", held, needed),) if needed >= K_MIN else ()
    return PeopleView(
        totals_only=totals,
        k_min=K_MIN,
        headcount=figs.headcount,
        fte=figs.fte,
        teams=tuple(team_cells),
        types=tuple(type_cells),
        open_positions=tuple(
            (
                o.position.role,
                teams.get(o.position.team, o.position.team),
                o.position.status.value,
                o.position.fte,
                o.days_open,
            )
            for o in figs.open_positions
        ),
        open_fte=figs.open_fte,
        opened=len(figs.opened),
        filled=len(figs.filled),
        filled_undated=figs.filled_undated,
        joiners=sup(len(figs.joiners)),
        leavers=sup(len(figs.leavers)),
        leavers_12m=leavers_12m,
        attrition_pct=figs.attrition_12m_pct if leavers_12m is not None else None,
        span_average=figs.span_average,
        span_max=sup(figs.span_max) if totals else figs.span_max,
        managers=figs.managers,
        reviews_overdue=sup(len(figs.reviews_overdue)),
        training_completion_pct=figs.training_completion_pct
        if not totals or figs.training_assigned >= K_MIN
        else None,
        training_overdue=sup(figs.training_overdue),
        certs_expired=sup(len(figs.certs_expired)),
        certs_expiring=sup(len(figs.certs_expiring)),
        coverage=coverage,
        fte_by_type=()
        if totals
        else tuple((t.team_name, dict(t.fte)) for t in figs.teams if t.total_headcount),
        named=named,
        restricted=restricted,
    )


def sections_of(edition: Edition, has_baseline: bool) -> tuple[Section, ...]:
    """The edition's sections in order; "since the last briefing" only when there is a baseline."""
    out = []
    for s in edition.sections:
        section = (
            Section(s.section.value, s.depth.value)
            if isinstance(s, SectionChoice)
            else Section(s.value, Depth.FULL.value)
        )
        if section.id == "changes" and not has_baseline:
            continue
        out.append(section)
    return tuple(out)


# Findings that name a person's review, certification or restricted data: management tier.
PERSONAL_RULES = ("people.", "privacy.")


def visible_quality(findings: tuple[tuple[str, Note | None], ...], audience: Audience) -> tuple[Note, ...]:
    """Data-quality notes this audience may read; personal ones only with the management tier.

    Warnings without a reader's wording are counted in one closing note ("n further findings").
    """
    personal_ok = Tier.MANAGEMENT in AUDIENCE_TIERS[audience]
    seen = [(rule, note) for rule, note in findings if personal_ok or not rule.startswith(PERSONAL_RULES)]
    notes = tuple(note for _rule, note in seen if note is not None)
    others = sum(1 for _rule, note in seen if note is None)
    return notes + ((Note("dq_other", (("count", others),)),) if others else ())


def visible_changes(changes: Changes | None, audience: Audience) -> Changes | None:
    """Changes this audience may read (named joiners, leavers and moves need management tier)."""
    if changes is None:
        return None
    tiers = AUDIENCE_TIERS[audience]
    return replace(changes, items=tuple(c for c in changes.items if c.tier in tiers))


def build_view(
    analysis: Analysis,
    edition: Edition,
    data_quality: tuple[tuple[str, Note | None], ...] = (),
    commit: str | None = None,
    draft: bool = False,
    versioned: bool = True,
    changes: Changes | None = None,
) -> Briefing:
    c = analysis.content
    teams = {t.id: t.name for t in c.teams}
    sections = sections_of(edition, changes is not None)
    depth = {s.id: s.depth for s in sections}
    limit = edition.list_limit

    def summary_limit(section: str) -> int | None:
        """Projects and open positions are bounded where their section is a summary."""
        return limit if depth.get(section) == Depth.SUMMARY.value else None

    # Red and amber projects, and every live project without a current report (marked so, with
    # its computed reasons): a project does not leave Exceptions by not reporting. Worst first.
    every_exception = exceptions(analysis.portfolio)
    shown_exceptions = bounded(every_exception, limit)
    projects = bounded(rank_projects(h for h in analysis.portfolio if h.live), summary_limit("portfolio"))
    people_limit = summary_limit("people")
    figures = analysis.people
    roll_up = people_limit is not None and sum(1 for t in figures.teams if t.total_headcount) > people_limit
    if roll_up:
        figures = replace(figures, teams=rolled_up(figures.teams, {t.id: t.parent for t in c.teams}))
    people = bounded_people(
        replace(people_view(figures, c.people, teams, edition.audience), rolled_up=roll_up), people_limit
    )
    decisions, decisions_more = decisions_view(analysis, people, limit)
    return Briefing(
        edition=edition,
        audience=edition.audience.value,
        classification=edition.classification or c.division.classification,
        sections=sections,
        division=c.division,
        thresholds=c.division.thresholds,
        narrative=narrative_view(c.narrative, analysis, people),
        status=analysis.status,
        finance=replace(analysis.finance, projects=rank_costs(analysis.finance.projects))
        if analysis.finance is not None
        else None,
        portfolio=analysis.portfolio,
        exceptions=shown_exceptions.shown,
        exceptions_more=shown_exceptions.more,
        exception_counts=exception_counts(every_exception),
        projects=projects.shown,
        projects_more=projects.more,
        by_class=rag_counts_by_class(analysis.portfolio),
        milestones=analysis.milestones,
        risks=analysis.risks,
        people=people,
        strategy=analysis.strategy,
        names={p.id: p.name for p in c.people},
        teams=teams,
        units={u.id: u.name for u in c.division.business_units},
        centres={cc.id: cc.name for cc in c.division.cost_centres},
        objectives={o.id: o.title for o in c.strategy.objectives},
        certifications={x.id: x.name for x in c.certifications},
        roles={r.id: r.title for r in c.roles},
        data_quality=visible_quality(data_quality, edition.audience),
        commit=commit,
        draft=draft,
        versioned=versioned,
        changes=visible_changes(changes, edition.audience),
        gaps=analysis.gaps,
        decisions=decisions,
        decisions_more=decisions_more,
        limit=limit,
        more_in=complete_in(c.editions, edition, changes is not None),
    )


def bounded_people(people: PeopleView, limit: int | None) -> PeopleView:
    """Open positions longest open first; in a summary section at most `limit` of them, and
    at most `limit` team groups (the smallest merged into "other", totals unchanged)."""
    ranked = sorted(people.open_positions, key=lambda o: (-o[4], o[1], o[0]))
    positions = bounded(ranked, limit)
    teams = people.teams
    if limit is not None and len(teams) > limit:
        by_size = sorted(teams, key=lambda t: (t.label == "other", -t.fte, -t.count, t.label))
        kept, rest = by_size[: limit - 1], by_size[limit - 1 :]
        merged = tuple(m for t in rest for m in (t.merged or (t.label,)))
        other = Cell("other", sum(t.count for t in rest), sum((t.fte for t in rest), Decimal(0)), merged)
        teams = (*sorted(kept, key=lambda t: teams.index(t)), other)
    return replace(people, open_positions=positions.shown, open_positions_more=positions.more, teams=teams)


def complete_in(editions: list[Edition], edition: Edition, has_baseline: bool) -> dict[str, str]:
    """For each list this edition bounds, the title of the first other edition showing it whole.

    Decisions (summary), exceptions, the portfolio's projects and the open positions (people)
    are whole in an edition without a limit, or with the section at full depth (portfolio, people).
    """
    out: dict[str, str] = {}
    for section in ("summary", "exceptions", "portfolio", "people"):
        for other in editions:
            if other.id == edition.id:
                continue
            depth = {s.id: s.depth for s in sections_of(other, has_baseline)}
            whole = other.list_limit is None or (
                section in ("portfolio", "people") and depth.get(section) == Depth.FULL.value
            )
            if section in depth and whole:
                out[section] = other.title
                break
    return out


def template_view(values: dict[str, Any]) -> Mapping[str, Any]:
    """What templates receive: the briefing and its render values as plain, immutable data.

    The trust boundary (see `plain`): no model, path, enum or method crosses it, only values.
    """
    memo = active_memo()  # a preview keeps unchanged models' frozen forms between builds
    frozen: Mapping[str, Any] = freeze(values, memo.objects("plain.models") if memo is not None else None)
    return frozen
