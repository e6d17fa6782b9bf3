"""Changes as plain sentences for the terminal (`itreport diff`), in the division's language."""

from __future__ import annotations

from itreport.analyse.changes import Change, Changes
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator

GROUPS = (
    ("chg_group_thresholds", ("threshold_moved",)),
    (
        "chg_group_projects",
        ("project_added", "project_removed", "project_closed", "project_cancelled", "project_state"),
    ),
    ("chg_group_status", ("rag", "status_reported")),
    (
        "chg_group_schedule",
        ("end_moved", "percent_moved", "milestone_moved", "milestone_done", "milestone_added"),
    ),
    ("chg_group_money", ("forecast_moved", "plan_moved", "eac_moved", "cost_moved")),
    (
        "chg_group_risks",
        ("risk_opened", "risk_closed", "risk_rescored", "issue_opened", "issue_closed", "decision_taken"),
    ),
    (
        "chg_group_people",
        ("person_joined", "person_left", "person_moved", "position_opened", "position_filled"),
    ),
)


def threshold_value(c: Change, value: object, fmt: Formatter, tr: Translator) -> str:
    if c.detail == "pct":
        return fmt.percent(value, 0)  # type: ignore[arg-type]
    if c.detail == "days":
        return tr("days", n=fmt.number(value), plural=value)  # type: ignore[arg-type]
    return fmt.number(value)  # type: ignore[arg-type]


def describe(c: Change, fmt: Formatter, tr: Translator) -> str:
    subject = c.subject
    if c.kind in ("forecast_moved", "plan_moved"):
        subject = tr("total") if c.key == "total" else tr("cat_" + c.key)
    where = f" ({c.context})" if c.context and c.kind not in ("rag", "threshold_moved") else ""
    if c.kind == "threshold_moved":
        subject = tr(c.subject) + (f", {tr('rag_' + c.context).lower()}" if c.context else "")
        before, after = threshold_value(c, c.before, fmt, tr), threshold_value(c, c.after, fmt, tr)
        what = f"{before} → {after}"
    elif c.kind == "rag":
        dim = tr("col_overall") if c.context == "overall" else tr("dim_" + c.context)
        what = f"{dim}: {tr('rag_' + c.before.value)} → {tr('rag_' + c.after.value)}"
        if c.detail == "threshold":
            what += f" ({tr('chg_by_threshold')})"
    elif c.kind == "status_reported":
        what = tr("chg_status_reported", date=fmt.short_date(c.after), rag=tr("rag_" + c.detail).lower())
    elif c.kind == "percent_moved":
        what = (
            f"{tr('chg_what_percent')} {fmt.percent(c.before, 0)} → {fmt.percent(c.after, 0)} "
            f"({tr('chg_points', n=fmt.signed(c.delta), plural=c.delta)})"
        )
    elif c.kind in ("end_moved", "milestone_moved"):
        days = tr("days", n=fmt.signed(c.delta), plural=c.delta)
        what = f"{fmt.short_date(c.before)} → {fmt.short_date(c.after)} ({days})"
        what = f"{tr('chg_what_end')} {what}" if c.kind == "end_moved" else what
    elif c.kind in ("eac_moved", "forecast_moved", "plan_moved", "cost_moved"):
        what = f"{fmt.mega(c.before, 2)} → {fmt.mega(c.after, 2)} ({fmt.signed_mega(c.delta, 2)})"
        label = {"eac_moved": "chg_what_eac", "cost_moved": "chg_what_cost"}.get(c.kind)
        what = f"{tr(label)} {what}" if label else what
    elif c.kind == "risk_rescored":
        what = tr("chg_risk_rescored", before=c.before, after=c.after)
    elif c.kind == "risk_opened":
        what = tr("chg_risk_opened", score=c.after)
    elif c.kind in ("milestone_done", "milestone_added", "person_joined"):
        what = tr("chg_" + c.kind, date=fmt.short_date(c.after))
    elif c.kind == "issue_opened":
        what = tr("chg_issue_opened", priority=tr("priority_" + str(c.after)))
    elif c.kind == "decision_taken":
        what = tr("chg_decision_taken", outcome=tr("decision_" + str(c.after)))
    elif c.kind == "person_moved":
        what = tr("chg_person_moved", before=c.before, after=c.after)
    else:
        what = tr("chg_" + c.kind)
    return f"{subject}{where}: {what}"


Grouped = list[tuple[str, list[tuple[Change, str]]]]


def mark(change: Change) -> tuple[str, str]:
    """(mark, colour): ▲/▼ the direction of a value, • an event (its words say what happened);
    red for the worse, green for the better."""
    colour = "red" if change.worse else "green" if change.worse is False else "dim"
    return change.arrow or "•", colour


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
