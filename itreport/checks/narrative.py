"""narrative.yaml: asks that stand for a project decision must name one that exists, once."""

from __future__ import annotations

from itreport.checks import Checker
from itreport.models.projects import DecisionState, Project
from itreport.models.strategy import split_ref
from itreport.problems import did_you_mean


def check(ctx: Checker) -> None:
    c = ctx.content
    if c.narrative is None:
        return
    projects: dict[str, Project] = {}
    for p in c.projects:
        projects.setdefault(p.id, p)  # a duplicate id is reported by the reference rules
    first: dict[str, int] = {}
    for i, ask in enumerate(c.narrative.asks):
        if ask.decision is None:
            continue
        ref = split_ref(ask.decision)
        if ref is None:
            ctx.error(
                ask,
                "decision",
                message=f"'{ask.decision}' is not a decision reference",
                hint="write '<project id>/<decision id>', e.g. 'erp-s4hana/d1-funding'",
                rule="refs.decision",
            )
            continue
        if ask.decision in first:
            ctx.error(
                ask,
                "decision",
                message=f"decision '{ask.decision}' is already the subject of ask {first[ask.decision] + 1}",
                hint="one ask per decision; merge the two asks",
                rule="refs.decision",
            )
            continue
        first[ask.decision] = i
        pid, did = ref
        if "project" in c.incomplete:
            continue
        project = projects.get(pid)
        if project is None:
            ctx.error(
                ask,
                "decision",
                message=f"unknown project '{pid}'{did_you_mean(pid, projects)}",
                hint="project ids are the 'id' in projects/*.yaml",
                rule="refs.decision",
            )
            continue
        decisions = {d.id: d for d in project.decisions}
        decision = decisions.get(did)
        if decision is None:
            known = ", ".join(sorted(decisions)) or "none"
            ctx.error(
                ask,
                "decision",
                message=f"project '{pid}' has no decision '{did}'{did_you_mean(did, decisions)}",
                hint=f"its decisions: {known}",
                rule="refs.decision",
            )
            continue
        if decision.state is not DecisionState.PENDING:
            ctx.warning(
                ask,
                "decision",
                message=f"decision '{ask.decision}' is already {decision.state.value}",
                hint="remove the ask, or set the decision back to pending if it is open again",
                rule="narrative.decided",
            )
        elif ask.decide_by and decision.needed_by and ask.decide_by != decision.needed_by:
            ctx.error(
                ask,
                "decide_by",
                message=f"decide_by {ask.decide_by} contradicts the decision's needed_by "
                f"{decision.needed_by}",
                hint="give one date: remove decide_by here (the decision's date is used) "
                "or correct one of them",
                rule="narrative.date",
            )
