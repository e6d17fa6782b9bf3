"""Rules that span files: references, hierarchies, dates, totals and freshness.

Each rule module exposes `check(ctx)`; every finding goes through `Checker.error`/`warning`, which
locate it through the positions the loader kept. All rules run; nothing stops at the first problem.

A long-lived preview (`itreport.load.remembering`) rebuilds after every save, and most files did
not change. Models are frozen, and the loader hands out the very same model object for a file
whose bytes did not change, so a rule's work is split by the files it reads: `per_entity` replays
what a rule found in an entity (a file, a project) that is the same object as in the last build,
`each` does the same for values read from each entity (the ids of a file, say), and `kept_for`
(`kept_with_findings`, with the findings reported on the way) keeps a value worked out from
several of those while each of them is the very same object. Each keeps what it last worked out,
with the entities it came from, under the memo of the `remembering` block, and compares entities
by identity only: an equal model from edited bytes (a comment added) stands at other lines, and
its findings are worked out again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress, count, groupby
from operator import eq, is_, is_not
from typing import Any, NamedTuple, TypeVar

from itreport.content import Content
from itreport.load import active_memo
from itreport.models.base import Model
from itreport.problems import Note, Problem, Severity

E = TypeVar("E")
M = TypeVar("M", bound=Model)
T = TypeVar("T")
V = TypeVar("V")

KEPT = "itreport.checks"
"""The key under which a build's checks leave what the next build may reuse (`ParseMemo.keep`)."""

_SHARED = 32
"""Rows this long are compared with the last build's once per build, whichever rule asks first."""

_FEW = 16
"""More entities than this moved or changed since the last build: match them by identity instead
of by position (a project renamed so that it sorts elsewhere shifts all that follow)."""


class _Each(NamedTuple):
    """What `Checker.each` worked out in one build: the entities, the key, each entity's values
    and all of them in a row. Holding the entities keeps their ids from being reused."""

    entities: tuple[object, ...]
    key: Hashable
    values: tuple[tuple[Any, ...], ...]
    flat: tuple[Any, ...]


class _Kept(NamedTuple):
    parts: tuple[object, ...]
    key: Hashable
    value: Any


def _both_empty(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Findings are never compared (a Problem's equality is its place only): only "none" equals "none"."""
    return not a and not b


@dataclass
class Checker:
    content: Content
    problems: list[Problem] = field(default_factory=list)
    last: dict[str, Any] | None = field(default=None, repr=False)
    """What the last build's checks kept (`KEPT`); None outside `remembering`: nothing is kept."""
    now: dict[str, Any] = field(default_factory=dict, repr=False)
    """What this build keeps for the next one, by purpose: what the last build kept, updated.
    An entry holds the entities it was worked out from, so one kept from an older build (work
    that a kept value above it made unnecessary since) is still checked by identity."""
    _kept: set[str] = field(default_factory=set, repr=False)
    _by_type: dict[type, list[Any]] | None = field(default=None, repr=False)
    _rows: dict[int, tuple[Sequence[Any], tuple[Any, ...]]] = field(default_factory=dict, repr=False)
    _moved: dict[tuple[int, int], list[int]] = field(default_factory=dict, repr=False)

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

    def files_of(self, model: type[M]) -> list[M]:
        """The content files whose model is `model` (exactly), in file order."""
        if self._by_type is None:
            by_type: dict[type, list[Any]] = {}
            for kind, files in groupby(self.content.files, type):  # runs of one kind: few groups
                by_type.setdefault(kind, []).extend(files)
            self._by_type = by_type
        return self._by_type.get(model, [])

    def per_entity(
        self, purpose: str, entities: Sequence[E], key: Hashable, rule: Callable[[Checker, E], None]
    ) -> None:
        """Run `rule(self, entity)` for each entity: a rule that reads that entity alone and the
        settings in `key` (`key` must hold everything else it reads).

        Under `remembering`, what it found in an entity that is the very object of the last build
        is replayed while the key is equal: the same object comes from the same document, so its
        findings stand at the same places.
        """
        if self.last is None:
            for entity in entities:
                rule(self, entity)
            return
        found = self.each(purpose, entities, key, partial(_record, self.content, rule), same=_both_empty)
        self.problems.extend(found)

    def each(
        self,
        purpose: str,
        entities: Sequence[E],
        key: Hashable,
        compute: Callable[[E], tuple[V, ...]],
        *,
        same: Callable[[tuple[V, ...], tuple[V, ...]], bool] = eq,
    ) -> tuple[V, ...]:
        """`compute(entity)` for each entity, all in a row: values read from that entity alone and
        `key`.

        Under `remembering`, an entity that is the very object of the last build (at the same
        place, or anywhere after many moved) gives the values of the last build while the key
        is equal, and the row is the very tuple of the last build while its values are the
        same (`same`): a key holding it then compares at once.
        """
        if self.last is None:
            return tuple(chain.from_iterable(map(compute, entities)))
        now = self._row(entities)
        last: _Each | None = self.last.get(purpose)
        values: tuple[tuple[V, ...], ...]
        if last is None or not (last.key is key or last.key == key):
            values = tuple(map(compute, now))
            flat = tuple(chain.from_iterable(values))
        else:
            moved = self._moved_since(last.entities, now)
            if moved is not None and not moved:
                values, flat = last.values, last.flat
            elif moved is not None and len(moved) <= _FEW:
                changed = list(last.values)
                for i in moved:
                    changed[i] = compute(now[i])
                values = tuple(changed)
                unchanged = all(same(values[i], last.values[i]) for i in moved)
                flat = last.flat if unchanged else tuple(chain.from_iterable(values))
            else:
                # Entities of the last build are still held by `last`: an id found among them
                # is that very object.
                before = {id(e): v for e, v in zip(last.entities, last.values, strict=True)}
                values = tuple(before[id(e)] if id(e) in before else compute(e) for e in now)
                flat = tuple(chain.from_iterable(values))
        if last is not None and flat is not last.flat and same(flat, last.flat):
            flat = last.flat
        self._keep(purpose, _Each(now, key, values, flat))
        return flat

    def _row(self, entities: Sequence[E]) -> tuple[E, ...]:
        """The entities as a tuple, the same tuple for the same sequence within one build (several
        rules go through `content.projects`): the next build then compares them once."""
        found = self._rows.get(id(entities))
        if found is not None and found[0] is entities:
            row: tuple[E, ...] = found[1]
            return row
        row = tuple(entities)
        self._rows[id(entities)] = (entities, row)  # the sequence is held: its id is not reused
        return row

    def _moved_since(self, before: tuple[object, ...], now: tuple[object, ...]) -> list[int] | None:
        """The places where `now` holds another object than `before` (None: not as many)."""
        if len(now) != len(before):
            return None
        if len(now) < _SHARED:
            return list(compress(count(), map(is_not, now, before)))
        pair = (id(before), id(now))  # both are held by the caller's entries: ids are not reused
        moved = self._moved.get(pair)
        if moved is None:
            moved = self._moved[pair] = list(compress(count(), map(is_not, now, before)))
        return moved

    def kept_for(
        self, purpose: str, parts: tuple[object, ...], compute: Callable[[], T], key: Hashable = None
    ) -> T:
        """`compute()`, a value worked out from `parts` and `key` alone; under `remembering` the
        value of the last build while each part is the very object it was then (a row from
        `each`, a model) and the key is equal (settings such as as_of)."""
        if self.last is None:
            return compute()
        last = self._still(purpose, parts, key)
        if last is not None:
            value: T = last.value
            return value
        value = compute()
        self._keep(purpose, _Kept(parts, key, value))
        return value

    def kept_findings(
        self, purpose: str, parts: tuple[object, ...], rule: Callable[[Checker], None], key: Hashable = None
    ) -> None:
        """Run `rule(self)`, a rule that reads `parts` and `key` alone; under `remembering` its
        findings of the last build are replayed while each part is the very object it was then
        and the key is equal. The parts must include the entities the findings stand in: the
        same object, the same places."""
        self.kept_with_findings(purpose, parts, partial(rule, self), key)

    def kept_with_findings(
        self, purpose: str, parts: tuple[object, ...], compute: Callable[[], T], key: Hashable = None
    ) -> T:
        """`compute()` as `kept_for`, for a computation that also reports findings: they are
        replayed with the value. What the work inside it keeps of its own stays for a later
        build that runs it again."""
        if self.last is None:
            return compute()
        last = self._still(purpose, parts, key)
        if last is not None:
            value: T
            value, found = last.value
            self.problems.extend(found)
            return value
        start = len(self.problems)
        value = compute()
        self._keep(purpose, _Kept(parts, key, (value, tuple(self.problems[start:]))))
        return value

    def _still(self, purpose: str, parts: tuple[object, ...], key: Hashable) -> _Kept | None:
        """What was kept for `purpose`, if each part is the very object it was then and the key
        is equal (None: work it out again)."""
        assert self.last is not None
        last: _Kept | None = self.last.get(purpose)
        if (
            last is not None
            and len(last.parts) == len(parts)
            and all(map(is_, parts, last.parts))
            and (last.key is key or last.key == key)
        ):
            return last
        return None

    def _keep(self, purpose: str, entry: _Each | _Kept) -> None:
        if purpose in self._kept:
            raise ValueError(f"{purpose!r} is kept twice in one build")  # one would undo the other
        self._kept.add(purpose)
        self.now[purpose] = entry


def _record(content: Content, rule: Callable[[Checker, E], None], entity: E) -> tuple[Problem, ...]:
    recorder = Checker(content)
    rule(recorder, entity)
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
    memo = active_memo()
    last = memo.kept_round(KEPT) if memo is not None else None
    last = last if isinstance(last, dict) else {}
    ctx = Checker(content, last=None if memo is None else last, now=dict(last))
    for rule in rules:
        rule(ctx)
    if memo is not None:
        memo.keep(KEPT, ctx.now)
    return ctx.problems
