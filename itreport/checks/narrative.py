"""narrative.yaml: cited figures must exist; asks that stand for a project decision must name
one that exists, once."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from itreport.checks import Checker
from itreport.citations import Arg, Citation, parse
from itreport.models.base import Model
from itreport.models.budget import BudgetFile
from itreport.models.projects import DecisionState, Project
from itreport.models.strategy import NarrativeFile, split_ref
from itreport.problems import Note, Problem, Severity, did_you_mean
from itreport.source.lines import locate, offset


def check(ctx: Checker) -> None:
    c = ctx.content
    narrative = c.narrative
    if narrative is None:
        return
    # Everything the rule reads besides narrative.yaml: the project ids, the projects it names,
    # the saving ids and whether projects and budgets loaded. Its findings all stand in
    # narrative.yaml, so a preview replays them while each of these is what it was.
    named = ctx.kept_for("narrative.named", (narrative,), lambda: _named(narrative))
    parts = (
        narrative,
        ctx.each("narrative.ids", c.projects, None, _project_id),
        ctx.each("narrative.projects", c.projects, named, partial(_if_named, named)),
        ctx.each("narrative.savings", c.budgets, None, _saving_ids),
        "project" in c.incomplete,
        "budget" in c.incomplete,
    )
    ctx.kept_findings("narrative", parts, _check)


def _project_id(project: Project) -> tuple[str]:
    return (project.id,)


def _if_named(named: frozenset[str], project: Project) -> tuple[Project, ...]:
    """The project, if the narrative names it (compared by value: an equal project reads the same)."""
    return (project,) if project.id in named else ()


def _saving_ids(budget: BudgetFile) -> tuple[str, ...]:
    return tuple(saving.id for saving in budget.savings)


def _named(narrative: NarrativeFile) -> frozenset[str]:
    """Every project id the narrative may look into: of each ask's decision and each citation's
    argument (more than it reads is harmless; fewer would replay stale findings)."""
    named = {ask.decision.partition("/")[0] for ask in narrative.asks if ask.decision is not None}
    for _entity, _key, _sub, text in cited_texts(narrative):
        named.update(cite.arg.partition("/")[0] for cite in parse(text))
    return frozenset(named)


def _check(ctx: Checker) -> None:
    c = ctx.content
    assert c.narrative is not None
    _citations(ctx, c.narrative)
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
                note=Note("dq_ask_decided", (("decision", decision.title), ("project", project.name))),
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


def cited_texts(narrative: NarrativeFile) -> Iterator[tuple[Model, str | int, tuple[str | int, ...], str]]:
    """(entity, key, sub-key, text) of every narrative field that may cite figures."""
    yield narrative, "executive_summary", (), narrative.executive_summary
    for i, message in enumerate(narrative.key_messages):
        yield narrative, "key_messages", (i,), message
    for ask in narrative.asks:
        yield ask, "title", (), ask.title
        if ask.detail:
            yield ask, "detail", (), ask.detail


def _locate(text: str, start: int, raw: str, nth: int) -> tuple[int, int] | None:
    """Line and column of the nth occurrence of `raw` at or after `start` in the file's text.

    A citation has no characters that YAML escapes, so it stands in the source exactly as in the
    value, whatever the scalar style (plain, quoted, literal or folded block).
    """
    at = start - 1
    for _ in range(nth + 1):
        found = text.find(raw, at + 1)
        if found < 0:
            return None
        at = found
    return locate(text, at)


def _arg_problem(ctx: Checker, cite: Citation) -> tuple[str, str]:
    c = ctx.content
    assert cite.spec is not None
    if cite.spec.arg is Arg.PROJECT or cite.spec.arg is Arg.MILESTONE:
        if "project" in c.incomplete:
            return "", ""
        pid, _, mid = cite.arg.partition("/")
        projects = {p.id: p for p in reversed(c.projects)}
        project = projects.get(pid)
        if project is None:
            return (
                f"unknown project '{pid}'{did_you_mean(pid, projects)}",
                "project ids are the 'id' in projects/*.yaml",
            )
        if cite.spec.arg is Arg.MILESTONE:
            milestones = {m.id for m in project.milestones}
            if mid not in milestones:
                known = ", ".join(sorted(milestones)) or "none"
                return (
                    f"project '{pid}' has no milestone '{mid}'{did_you_mean(mid, milestones)}",
                    f"its milestones: {known}",
                )
    elif cite.spec.arg is Arg.SAVING:
        if "budget" in c.incomplete:
            return "", ""
        savings = {x.id for b in c.budgets for x in b.savings}
        if cite.arg not in savings:
            return (
                f"unknown saving '{cite.arg}'{did_you_mean(cite.arg, savings)}",
                "saving ids are in budget/*.yaml",
            )
    return "", ""


def _citations(ctx: Checker, narrative: NarrativeFile) -> None:
    """Every `{...}` in the narrative names a figure in the registry, located inside the string."""
    for entity, key, sub, text in cited_texts(narrative):
        file, pos = ctx.content.where(entity, key, *sub)
        doc = ctx.content.documents.get(file)
        seen: dict[str, int] = {}
        for cite in parse(text):
            nth = seen.get(cite.raw, 0)
            seen[cite.raw] = nth + 1
            message, hint = (cite.error, cite.hint) if cite.error else _arg_problem(ctx, cite)
            if not message:
                continue
            where = _locate(doc.text, offset(doc.text, pos.line, pos.col), cite.raw, nth) if doc else None
            line, col = where or (pos.line, pos.col)
            ctx.problems.append(
                Problem(file, line, col, Severity.ERROR, message, hint, len(cite.raw), "narrative.citation")
            )
