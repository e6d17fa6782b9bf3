"""Every edition writes its own files: no two editions may share an output name.

An HR edition named like the board's would put salaries into the board's PDF. Names are
compared without case, because macOS and Windows file systems do not distinguish them.
"""

from __future__ import annotations

from functools import partial

from itreport.checks import Checker
from itreport.models.base import month_of
from itreport.models.briefings import BriefingsFile, Edition


def check(ctx: Checker) -> None:
    c = ctx.content
    names = (month_of(c.division.period.end), c.division.as_of.isoformat())
    # A preview replays what an unchanged briefings.yaml gave while the period and as_of are the same.
    ctx.kept_findings("outputs", tuple(ctx.files_of(BriefingsFile)), partial(_check, names=names), names)


def _check(ctx: Checker, names: tuple[str, str]) -> None:
    period, as_of = names
    seen: dict[str, Edition] = {}
    for edition in ctx.content.editions:
        name = edition.output_name(period, as_of)
        first = seen.setdefault(name.casefold(), edition)
        if first is edition:
            continue
        ctx.error(
            edition,
            "filename",
            message=f"edition '{edition.id}' would write the same files as edition '{first.id}' "
            f"({name}.html, {name}.pdf)",
            hint="give each edition its own filename; keeping {id} in the pattern keeps them apart",
            rule="outputs.collision",
        )
