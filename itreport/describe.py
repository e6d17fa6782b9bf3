"""Changes as plain sentences for the terminal (`itreport diff`), in the division's language."""

from __future__ import annotations

from itreport.analyse.changes import Change, Changes
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator

GROUPS = (
    (
        "chg_group_projects",
        ("project_added", "project_removed", "project_closed", "project_cancelled", "project_state"),
    ),
    ("chg_group_status", ("rag",)),
    ("chg_group_schedule", ("end_moved", "milestone_moved", "milestone_done", "milestone_added")),
    ("chg_group_money", ("forecast_moved", "plan_moved", "eac_moved")),
    (
        "chg_group_risks",
        ("risk_opened", "risk_closed", "risk_rescored", "issue_opened", "issue_closed", "decision_taken"),
    ),
    (
        "chg_group_people",
        ("person_joined", "person_left", "person_moved", "position_opened", "position_filled"),
    ),
)


def describe(c: Change, fmt: Formatter, tr: Translator) -> str:
    subject = c.subject
    if c.kind in ("forecast_moved", "plan_moved"):
        subject = tr("total") if c.key == "total" else tr("cat_" + c.key)
    where = f" ({c.context})" if c.context and c.kind != "rag" else ""
    if c.kind == "rag":
        dim = tr("col_overall") if c.context == "overall" else tr("dim_" + c.context)
        what = f"{dim}: {tr('rag_' + c.before.value)} → {tr('rag_' + c.after.value)}"
    elif c.kind in ("end_moved", "milestone_moved"):
        what = f"{fmt.short_date(c.before)} → {fmt.short_date(c.after)} ({tr('days', n=fmt.signed(c.delta))})"
    elif c.kind in ("eac_moved", "forecast_moved", "plan_moved"):
        what = f"{fmt.mega(c.before, 2)} → {fmt.mega(c.after, 2)} ({fmt.signed_mega(c.delta, 2)})"
    elif c.kind == "risk_rescored":
        what = tr("chg_risk_rescored", before=c.before, after=c.after)
    elif c.kind == "risk_opened":
        what = tr("chg_risk_opened", score=c.after)
    elif c.kind in ("milestone_done", "milestone_added", "person_joined"):
        what = tr("chg_" + c.kind, date=fmt.short_date(c.after))
    elif c.kind == "issue_opened":
        what = tr("chg_issue_opened", priority=tr("priority_" + str(c.after)))
    elif c.kind == "decision_taken":
        what = tr("chg_decision_taken", outcome=c.after)
    elif c.kind == "person_moved":
        what = f"{c.before} → {c.after}"
    else:
        what = tr("chg_" + c.kind)
    return f"{subject}{where}: {what}"


Grouped = list[tuple[str, list[tuple[Change, str]]]]


def mark(change: Change) -> tuple[str, str]:
    """(arrow, colour): the arrow is the direction of the value, red for the worse, green for the better."""
    colour = "red" if change.worse else "green" if change.worse is False else "dim"
    return change.arrow, colour


def describe_all(
    changes: Changes, fmt: Formatter, tr: Translator
) -> list[tuple[str, list[tuple[Change, str]]]]:
    """Grouped sentences: [(group title, [(change, sentence), …]), …], empty groups left out."""
    out = []
    for title, kinds in GROUPS:
        rows = [(c, describe(c, fmt, tr)) for c in changes.items if c.kind in kinds]
        if rows:
            out.append((tr(title), rows))
    return out
