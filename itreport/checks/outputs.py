"""Every edition writes its own files: no two editions may share an output name.

An HR edition named like the board's would put salaries into the board's PDF. Names are
compared without case, because macOS and Windows file systems do not distinguish them.
"""

from __future__ import annotations

from itreport.checks import Checker
from itreport.models.base import month_of
from itreport.models.briefings import Edition


def check(ctx: Checker) -> None:
    c = ctx.content
    period, as_of = month_of(c.division.period.end), c.division.as_of.isoformat()
    seen: dict[str, Edition] = {}
    for edition in c.editions:
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
