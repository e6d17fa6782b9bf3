"""Decisions asked of the readers: the narrative's asks and the projects' pending decisions, once each.

An ask that names a project decision (`decision: <project>/<decision>`) stands for it, so the
decision is not listed a second time. Rows are sorted by the date the decision is needed; rows
without a date come last. An edition ranks them most pressing first (`ranking.rank_decisions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itreport.analyse.risks import DecisionView
from itreport.citations import Cited
from itreport.models.strategy import Ask


@dataclass(frozen=True)
class DecisionRow:
    title: str | Cited
    detail: str | Cited
    """Markdown (the ask's detail), or ''. The edition turns both into `Cited` text."""
    requested_of: str
    project: str
    """The project's name, or '' for a division-wide ask."""
    needed_by: date | None
    late: bool
    """Needed before the as-of date and still pending."""
    ask: bool = False
    """One of the head of IT's asks (narrative.yaml), not only a project's pending decision."""
    project_id: str = ""


def decision_rows(asks: list[Ask], pending: tuple[DecisionView, ...], as_of: date) -> tuple[DecisionRow, ...]:
    by_ref = {f"{v.project.id}/{v.decision.id}": v for v in pending}
    cited = {a.decision for a in asks if a.decision}
    rows = []
    for ask in asks:
        v = by_ref.get(ask.decision or "")
        needed = ask.decide_by or (v.decision.needed_by if v else None)
        rows.append(
            DecisionRow(
                ask.title,
                ask.detail or "",
                v.decision.requested_of if v else "",
                v.project.name if v else "",
                needed,
                needed is not None and needed < as_of,
                ask=True,
                project_id=v.project.id if v else "",
            )
        )
    for ref, v in by_ref.items():
        if ref in cited:
            continue
        d = v.decision
        late = d.needed_by is not None and d.needed_by < as_of
        rows.append(
            DecisionRow(
                d.title, "", d.requested_of, v.project.name, d.needed_by, late, project_id=v.project.id
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.needed_by is None, r.needed_by or as_of)))
