"""People metrics: headcount and FTE, hiring, joiners and leavers, attrition, reviews, skills.

Definitions: a person is on staff on a day when start ≤ day and (no end or end ≥ day).
"This period" is the reporting period (division.period start to end, both included), never up
to as-of: joiners, leavers and positions opened.
12-month attrition = employees who left in the 12 months to as-of ÷ average employee
headcount (of the day 12 months before as-of and as-of) × 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from itreport.analyse.money import ZERO, pct
from itreport.content import Content
from itreport.models.base import add_months_to_date
from itreport.models.people import Employment, Person, PositionStatus
from itreport.models.people import Position as OpenPosition

OPEN_STATUSES = (
    PositionStatus.DRAFT,
    PositionStatus.APPROVED,
    PositionStatus.ADVERTISED,
    PositionStatus.INTERVIEWING,
    PositionStatus.OFFER,
)


def on_staff(person: Person, day: date) -> bool:
    return person.start <= day and (person.end is None or person.end >= day)


@dataclass(frozen=True)
class TeamCount:
    team_id: str
    team_name: str
    headcount: dict[str, int]
    fte: dict[str, Decimal]

    @property
    def total_headcount(self) -> int:
        return sum(self.headcount.values())

    @property
    def total_fte(self) -> Decimal:
        return sum(self.fte.values(), ZERO)


@dataclass(frozen=True)
class OpenRole:
    position: OpenPosition
    days_open: int


@dataclass(frozen=True)
class CertStatus:
    person: Person
    certification: str
    expires: date
    days_left: int


@dataclass(frozen=True)
class Coverage:
    role_id: str
    role_title: str
    certification: str
    holders: int
    required: int


@dataclass(frozen=True)
class ReviewDue:
    person: Person
    due: date | None
    days_overdue: int | None


@dataclass(frozen=True)
class PeopleFigures:
    teams: tuple[TeamCount, ...]
    headcount: int
    fte: Decimal
    by_type: dict[str, int]
    open_positions: tuple[OpenRole, ...]
    open_fte: Decimal
    opened: tuple[OpenPosition, ...]
    """Positions opened in the reporting period (whatever their status now)."""
    filled: tuple[OpenPosition, ...]
    """Positions filled in the reporting period (by their `filled` date)."""
    filled_undated: int
    """Filled positions without a `filled` date: they cannot be placed in a period."""
    joiners: tuple[Person, ...]
    leavers: tuple[Person, ...]
    leavers_12m: int
    attrition_12m_pct: Decimal | None
    span_average: Decimal | None
    span_max: int
    managers: int
    reviews_overdue: tuple[ReviewDue, ...]
    training_assigned: int
    training_completed: int
    training_overdue: int
    certs_expired: tuple[CertStatus, ...]
    certs_expiring: tuple[CertStatus, ...]
    coverage: tuple[Coverage, ...]

    @property
    def training_completion_pct(self) -> Decimal | None:
        return pct(Decimal(self.training_completed), Decimal(self.training_assigned))


def analyse_people(content: Content) -> PeopleFigures:
    div = content.division
    as_of = div.as_of
    staff = [p for p in content.people if on_staff(p, as_of)]
    types = [e.value for e in Employment]

    teams = []
    for team in content.teams:
        members = [p for p in staff if p.team == team.id]
        teams.append(
            TeamCount(
                team.id,
                team.name,
                {t: sum(1 for p in members if p.employment.value == t) for t in types},
                {t: sum((p.fte for p in members if p.employment.value == t), ZERO) for t in types},
            )
        )

    positions = tuple(
        OpenRole(pos, (as_of - pos.opened).days) for pos in content.positions if pos.status in OPEN_STATUSES
    )
    period = div.period
    opened = tuple(pos for pos in content.positions if period.start <= pos.opened <= period.end)
    filled = tuple(
        pos
        for pos in content.positions
        if pos.status is PositionStatus.FILLED
        and pos.filled is not None
        and period.start <= pos.filled <= period.end
    )
    filled_undated = sum(
        1 for pos in content.positions if pos.status is PositionStatus.FILLED and pos.filled is None
    )
    joiners = tuple(p for p in content.people if period.start <= p.start <= period.end)
    leavers = tuple(p for p in content.people if p.end is not None and period.start <= p.end <= period.end)

    year_ago = add_months_to_date(as_of, -12)  # the same day a year earlier (29 Feb → 28 Feb)
    employees_then = sum(
        1 for p in content.people if p.employment is Employment.EMPLOYEE and on_staff(p, year_ago)
    )
    employees_now = sum(1 for p in staff if p.employment is Employment.EMPLOYEE)
    left_12m = sum(
        1
        for p in content.people
        if p.employment is Employment.EMPLOYEE and p.end is not None and year_ago < p.end <= as_of
    )
    average = Decimal(employees_then + employees_now) / 2
    attrition = pct(Decimal(left_12m), average)

    reports: dict[str, int] = {}
    for p in staff:
        if p.manager:
            reports[p.manager] = reports.get(p.manager, 0) + 1
    span_avg = (
        (Decimal(sum(reports.values())) / len(reports)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if reports
        else None
    )

    overdue = []
    for p in staff:
        if p.employment is not Employment.EMPLOYEE:
            continue
        if p.review.last is None:
            if (as_of - p.start).days > 183:
                overdue.append(ReviewDue(p, None, None))
            continue
        due = add_months_to_date(p.review.last, p.review.cycle_months)
        if due < as_of:
            overdue.append(ReviewDue(p, due, (as_of - due).days))

    assigned = [t for p in staff for t in p.training]
    completed = [t for t in assigned if t.completed is not None]
    late = [t for t in assigned if t.completed is None and t.due is not None and t.due < as_of]

    expired, expiring = [], []
    limit = div.thresholds.certification_expiry_days
    valid: dict[str, set[str]] = {}
    for p in staff:
        for held in p.certifications:
            if held.expires is not None and held.expires < as_of:
                expired.append(CertStatus(p, held.certification, held.expires, (held.expires - as_of).days))
                continue
            valid.setdefault(p.id, set()).add(held.certification)
            if held.expires is not None and (held.expires - as_of).days <= limit:
                expiring.append(CertStatus(p, held.certification, held.expires, (held.expires - as_of).days))

    coverage = []
    for role in content.roles:
        holders = [p for p in staff if p.role == role.id]
        for cert in role.required_certifications:
            have = sum(1 for p in holders if cert in valid.get(p.id, set()))
            coverage.append(Coverage(role.id, role.title, cert, have, len(holders)))

    by_cert = lambda c: (c.expires, c.person.id)  # noqa: E731
    return PeopleFigures(
        teams=tuple(teams),
        headcount=len(staff),
        fte=sum((p.fte for p in staff), ZERO),
        by_type={t: sum(1 for p in staff if p.employment.value == t) for t in types},
        open_positions=positions,
        open_fte=sum((o.position.fte for o in positions), ZERO),
        opened=opened,
        filled=filled,
        filled_undated=filled_undated,
        joiners=joiners,
        leavers=leavers,
        leavers_12m=left_12m,
        attrition_12m_pct=attrition,
        span_average=span_avg,
        span_max=max(reports.values(), default=0),
        managers=len(reports),
        reviews_overdue=tuple(sorted(overdue, key=lambda r: (r.due or date.min, r.person.id))),
        training_assigned=len(assigned),
        training_completed=len(completed),
        training_overdue=len(late),
        certs_expired=tuple(sorted(expired, key=by_cert)),
        certs_expiring=tuple(sorted(expiring, key=by_cert)),
        coverage=tuple(coverage),
    )


def top_level(team_id: str, parents: Mapping[str, str | None]) -> str:
    """The team's unit just below the top of its tree (a top team is its own unit)."""
    seen = {team_id}
    current = team_id
    while (parent := parents.get(current)) is not None and parents.get(parent) is not None:
        if parent in seen:  # a cycle is a data error reported by the checks; stop here
            break
        seen.add(parent)
        current = parent
    return current


def rolled_up(teams: tuple[TeamCount, ...], parents: Mapping[str, str | None]) -> tuple[TeamCount, ...]:
    """Each team's people counted in its top-level unit (`top_level`), in the order units first
    appear; headcount and FTE per employment type add up to the same totals."""
    units: dict[str, TeamCount] = {}
    names = {t.team_id: t.team_name for t in teams}
    for t in teams:
        unit = top_level(t.team_id, parents)
        before = units.get(unit)
        if before is None:
            units[unit] = TeamCount(unit, names.get(unit, unit), dict(t.headcount), dict(t.fte))
            continue
        units[unit] = TeamCount(
            unit,
            before.team_name,
            {k: before.headcount.get(k, 0) + v for k, v in t.headcount.items()},
            {k: before.fte.get(k, ZERO) + v for k, v in t.fte.items()},
        )
    return tuple(units.values())
