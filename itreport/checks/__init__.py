"""Rules that span files: references, hierarchies, dates, totals and freshness.

Each rule module exposes `check(ctx)`; every finding goes through `Checker.error`/`warning`, which
locate it through the positions the loader kept. All rules run; nothing stops at the first problem.
A rule's part that looks at one entity alone can run through `Checker.per_entity`, so that a
long-lived preview does not redo it for entities of files that did not change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from itreport.content import Content
from itreport.load import MISSING, ObjectMemo, active_memo
from itreport.models.base import Model
from itreport.problems import Note, Problem, Severity

H = TypeVar("H", bound=Hashable)
T = TypeVar("T")


@dataclass
class Checker:
    content: Content
    problems: list[Problem] = field(default_factory=list)
    _objects: dict[str, ObjectMemo] = field(default_factory=dict, repr=False)

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

    def per_entity(self, purpose: str, entity: Model, key: Hashable, rule: Callable[[Checker], None]) -> None:
        """Run `rule(self)`, a rule that reads `entity` alone and the settings in `key`.

        Under `itreport.load.remembering` the problems it gave for this very entity and key are
        replayed instead: models are frozen, so the same object gives the same findings, and it
        comes from the same document, so they stand at the same places. `key` must hold
        everything else the rule reads.
        """
        objects = self._remembered(purpose)
        if objects is None:
            rule(self)
            return
        found = objects.lookup(entity, key)
        if found is MISSING:
            found = _record(self.content, rule)
            objects.store(entity, key, found)
        self.problems.extend(found)

    def remember(self, purpose: str, entity: Model, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, a value read from `entity` alone and `key`; under `remembering` the value
        computed for this very (frozen) entity and an equal key is handed out again."""
        objects = self._remembered(purpose)
        return compute() if objects is None else objects.get(entity, key, compute)

    def _remembered(self, purpose: str) -> ObjectMemo | None:
        """The memo of per-entity values for `purpose` (None outside `remembering`)."""
        objects = self._objects.get(purpose)
        if objects is None:
            memo = active_memo()
            if memo is None:
                return None
            objects = self._objects[purpose] = memo.objects(purpose)
        return objects

    def stable(self, purpose: str, value: H) -> H:
        """`value`, or the equal value kept under `purpose` from the last build.

        A key for `per_entity` that holds the same object as last time compares by identity:
        comparing two equal sets of 2,000 ids for each of 400 files would cost more than the
        rule. Outside `remembering` the value itself.
        """
        return self.kept(f"stable:{purpose}", value, lambda: value)

    def kept(self, purpose: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, a value that depends on `key` alone; under `remembering` the value of the
        last build is handed out again while the key is equal."""
        memo = active_memo()
        return compute() if memo is None else memo.kept(purpose, key, lambda: (compute(), True))


def _record(content: Content, rule: Callable[[Checker], None]) -> tuple[Problem, ...]:
    recorder = Checker(content)
    rule(recorder)
    return tuple(recorder.problems)


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
