"""Rules that span files: references, hierarchies, dates, totals and freshness.

Each rule module exposes `check(ctx)`; every finding goes through `Checker.error`/`warning`, which
locate it through the positions the loader kept. All rules run; nothing stops at the first problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from itreport.content import Content
from itreport.models.base import Model
from itreport.problems import Note, Problem, Severity


@dataclass
class Checker:
    content: Content
    problems: list[Problem] = field(default_factory=list)

    def _add(
        self,
        severity: Severity,
        entity: Model,
        keys: tuple[str | int, ...],
        message: str,
        hint: str,
        rule: str,
        at_key: bool,
        note: Note | None = None,
    ) -> None:
        file, pos = self.content.where(entity, *keys, at_key=at_key)
        self.problems.append(Problem(file, pos.line, pos.col, severity, message, hint, pos.width, rule, note))

    def error(
        self,
        entity: Model,
        *keys: str | int,
        message: str,
        hint: str = "",
        rule: str = "",
        at_key: bool = False,
    ) -> None:
        self._add(Severity.ERROR, entity, keys, message, hint, rule, at_key)

    def warning(
        self,
        entity: Model,
        *keys: str | int,
        message: str,
        hint: str = "",
        rule: str = "",
        at_key: bool = False,
        note: Note | None = None,
    ) -> None:
        """A warning; `note` words it for the briefing's readers (see `Note`)."""
        self._add(Severity.WARNING, entity, keys, message, hint, rule, at_key, note)


def run_checks(content: Content) -> list[Problem]:
    from itreport.checks import (
        actuals,
        bounds,
        consistency,
        freshness,
        hierarchy,
        narrative,
        outputs,
        plausibility,
        privacy,
        recipients,
        references,
    )

    rules: list[Callable[[Checker], None]] = [
        privacy.check,
        references.check,
        hierarchy.check,
        consistency.check,
        freshness.check,
        actuals.check,
        narrative.check,
        outputs.check,
        recipients.check,
        bounds.check,
        plausibility.check,
    ]
    ctx = Checker(content)
    for rule in rules:
        rule(ctx)
    return ctx.problems
