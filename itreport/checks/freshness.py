"""Soft findings (warnings): stale status, overdue reviews, expiring certificates, missing managers."""

from __future__ import annotations

from datetime import date
from functools import partial

from itreport.checks import Checker
from itreport.models.base import add_months_to_date
from itreport.models.people import PeopleFile, TrainingFile
from itreport.models.projects import Project, ProjectState
from itreport.problems import Note


def check(ctx: Checker) -> None:
    c = ctx.content
    as_of = c.division.as_of
    limits = c.division.thresholds
    # The same tuple as in the last build while no certificate's name changed: the key compares at once.
    cert_names = ctx.each("freshness.certs", ctx.files_of(TrainingFile), None, _cert_names)
    # File by file: a preview replays an unchanged file's warnings while what they read is the same.
    stale = (as_of, limits.status_stale_days)
    ctx.per_entity("freshness.project", c.projects, stale, partial(_project, settings=stale))
    due = (as_of, limits.certification_expiry_days, cert_names)
    ctx.per_entity("freshness.people", ctx.files_of(PeopleFile), due, partial(_people, settings=due))


def _cert_names(file: TrainingFile) -> tuple[tuple[str, str], ...]:
    return tuple((cert.id, cert.name) for cert in file.certifications)


def _project(ctx: Checker, project: Project, settings: tuple[date, int]) -> None:
    """A live project without a manager, or with no current status report."""
    as_of, stale_days = settings
    live = project.state in (ProjectState.ACTIVE, ProjectState.ON_HOLD)
    if not live:
        return
    if project.manager is None:
        ctx.warning(
            project,
            "owner",
            message=f"project '{project.id}' has no project manager",
            hint="add 'manager: <person id>' (the owner stays accountable)",
            rule="projects.manager",
            note=Note("dq_no_manager", (("project", project.name),)),
        )
    if not project.status:
        ctx.warning(
            project,
            "id",
            message=f"project '{project.id}' has no status report",
            hint="add a dated entry under 'status:'",
            rule="projects.stale",
            note=Note("dq_no_status", (("project", project.name),)),
        )
        return
    latest = max(project.status, key=lambda r: r.date)
    age = (as_of - latest.date).days
    if age > stale_days:
        ctx.warning(
            latest,
            "date",
            message=f"latest status report is {age} days old (limit {stale_days})",
            hint="add a current status report; the briefing shows this project grey",
            rule="projects.stale",
            note=Note(
                "dq_stale_status",
                (("project", project.name), ("date", latest.date), ("days", age)),
            ),
        )


def _people(ctx: Checker, file: PeopleFile, settings: tuple[date, int, tuple[tuple[str, str], ...]]) -> None:
    """Reviews overdue and certificates expired or expiring, for the staff of one file."""
    as_of, expiry_days, certs = settings
    cert_names = dict(certs)
    for person in file.people:
        if person.end is not None and person.end < as_of:
            continue
        if person.employment.value == "employee":
            last = person.review.last
            due = add_months_to_date(last, person.review.cycle_months) if last else None
            if due is None and (as_of - person.start).days > 183:
                ctx.warning(
                    person,
                    "review",
                    message=f"{person.id} has no recorded performance review",
                    hint="record review: last: <date>",
                    rule="people.review",
                    at_key=True,
                    note=Note("dq_no_review", (("person", person.name),)),
                )
            elif due is not None and due < as_of:
                ctx.warning(
                    person.review,
                    "last",
                    message=f"review for {person.id} overdue since {due}",
                    hint="hold the review and update review.last",
                    rule="people.review",
                    note=Note("dq_review_overdue", (("person", person.name), ("date", due))),
                )
        for held in person.certifications:
            if held.expires is None:
                continue
            cert = cert_names.get(held.certification, held.certification)
            days = (held.expires - as_of).days
            if days < 0:
                ctx.warning(
                    held,
                    "expires",
                    message=f"{person.id}: certification '{held.certification}' expired on {held.expires}",
                    hint="renew it or remove it",
                    rule="people.certification",
                    note=Note(
                        "dq_cert_expired",
                        (("person", person.name), ("certification", cert), ("date", held.expires)),
                    ),
                )
            elif days <= expiry_days:
                ctx.warning(
                    held,
                    "expires",
                    message=f"{person.id}: certification '{held.certification}' expires in {days} days",
                    hint="plan the renewal",
                    rule="people.certification",
                    note=Note(
                        "dq_cert_expiring",
                        (("person", person.name), ("certification", cert), ("date", held.expires)),
                    ),
                )
