"""Plain values with positions, built straight from PyYAML's event stream, within fixed limits.

PyYAML's composer would turn the events into a node graph first; its C version recurses without a
bound (deep nesting can exhaust the stack), and an alias is the same node reached again, so a
"billion laughs" file of a few hundred bytes expands into billions of values once walked. Here the
events are read one at a time (libyaml parses iteratively) and every limit is checked as values
are made, so a hostile file stops early, in bounded time and memory, with a located problem:

- `MAX_DEPTH` levels of nesting (mappings and lists inside each other);
- `MAX_VALUES` values in one file, counting every value an alias repeats;
- `MAX_ALIAS_VALUES` of those made by repeating an anchored value through aliases.

Scalars follow YAML 1.2 core rules: only true/false are booleans, null is null, and everything
else stays text for the models to parse exactly (money never passes through float).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.resolver import Resolver

PathKey = tuple[str | int, ...]

MAX_DEPTH = 64
MAX_VALUES = 1_000_000
MAX_ALIAS_VALUES = 10_000

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_MERGE = "tag:yaml.org,2002:merge"
_RESOLVER = Resolver()


class Position(NamedTuple):
    """Where a value or key stands: 1-based line and column, and its width on that line."""

    line: int
    col: int
    width: int = 1


@dataclass(frozen=True)
class Located:
    """A problem found while building, at a 1-based line and column."""

    line: int
    col: int
    message: str
    hint: str
    rule: str
    width: int = 1


class LimitExceeded(Exception):
    """Building stopped: the file is beyond a limit (or holds a structure we cannot build)."""

    def __init__(self, where: Located) -> None:
        super().__init__(where.message)
        self.where = where


@dataclass
class Built:
    data: Any = None
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    problems: list[Located] = field(default_factory=list)


def _place(start: Any, end: Any) -> Position:
    """(line, column, width) of a node from its start and end marks (C or Python marks)."""
    if start is None:
        return Position(1, 1, 1)
    width = max(1, end.index - start.index) if end is not None and start.line == end.line else 1
    return Position(start.line + 1, start.column + 1, width)


class _Builder:
    def __init__(self, pull: Callable[[], Event]) -> None:
        self._pull_source = pull
        self.out = Built()
        self.anchors: dict[str, list[Event]] = {}
        self._recording: list[tuple[str, list[Event]]] = []
        self._replay: list[Iterator[Event]] = []
        self.count = 0
        self.alias_count = 0
        self._alias_site: Any = None

    # --- events -------------------------------------------------------------------------------

    def pull(self) -> Event:
        """The next event: from an alias being repeated, else from the parser (and recorded)."""
        if self._replay:
            return next(self._replay[-1])
        event = self._pull_source()
        for _anchor, events in self._recording:
            events.append(event)
        return event

    def _stop(self, mark: Any, message: str, hint: str, rule: str) -> LimitExceeded:
        line, col, _width = _place(mark, None)
        return LimitExceeded(Located(line, col, message, hint, rule))

    def _counted(self, event: Event) -> None:
        self.count += 1
        if self._replay:
            self.alias_count += 1
            if self.alias_count > MAX_ALIAS_VALUES:
                raise self._stop(
                    self._alias_site,
                    f"aliases expand to more than {MAX_ALIAS_VALUES:,} values",
                    "each alias (*name) repeats its anchored value; write the values out, or use "
                    "fewer aliases of large anchors",
                    "yaml.limit",
                )
        if self.count > MAX_VALUES:
            raise self._stop(
                event.start_mark,
                f"the file holds more than {MAX_VALUES:,} values",
                "split the content over several files (one per project or budget year)",
                "yaml.limit",
            )

    # --- nodes --------------------------------------------------------------------------------

    def node(self, event: Event, path: PathKey, depth: int) -> Any:
        if isinstance(event, AliasEvent):
            return self._alias(event, path, depth)
        assert isinstance(event, NodeEvent)
        # Anchors inside a value that an alias repeats were defined when it was first read.
        anchor = None if self._replay else event.anchor
        if anchor is not None:
            if isinstance(event, ScalarEvent):
                self.anchors[anchor] = [event]
            else:
                # Recording starts with this event; `pull` appends the rest until the node ends.
                self._recording.append((anchor, [event]))
        try:
            value = self._build(event, path, depth)
        finally:
            if anchor is not None and not isinstance(event, ScalarEvent):
                name, events = self._recording.pop()
                self.anchors[name] = events
        return value

    def _build(self, event: Event, path: PathKey, depth: int) -> Any:
        self._counted(event)
        if isinstance(event, ScalarEvent):
            self.out.values[path] = _place(event.start_mark, event.end_mark)
            return scalar(event)
        if depth >= MAX_DEPTH:
            raise self._stop(
                event.start_mark,
                f"nesting deeper than {MAX_DEPTH} levels",
                "content files nest a few levels (a project, its risks, a risk's fields); "
                "check the indentation and brackets",
                "yaml.limit",
            )
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(nxt := self.pull(), SequenceEndEvent):
                items.append(self.node(nxt, (*path, len(items)), depth + 1))
            self.out.values[path] = _place(event.start_mark, nxt.end_mark)
            return items
        assert isinstance(event, MappingStartEvent)
        self.out.values[path] = _place(event.start_mark, event.start_mark)
        mapping: dict[str, Any] = {}
        while not isinstance(key_event := self.pull(), MappingEndEvent):
            self._pair(key_event, mapping, path, depth)
        self.out.values[path] = _place(event.start_mark, key_event.end_mark)
        return mapping

    def _pair(self, key_event: Event, out: dict[str, Any], path: PathKey, depth: int) -> None:
        key_scalar = key_event
        if isinstance(key_event, AliasEvent):
            anchored = self.anchors.get(key_event.anchor or "")
            if anchored is not None and len(anchored) == 1:
                key_scalar = anchored[0]
        kpos = _place(key_event.start_mark, key_event.end_mark)
        if isinstance(key_event, CollectionStartEvent):
            self._skip(key_event)
        if not isinstance(key_scalar, ScalarEvent) or (
            key_scalar.value == "<<" and _tag(key_scalar) == _MERGE
        ):
            self.out.problems.append(
                Located(
                    *kpos[:2],
                    "merge keys and complex keys are not supported",
                    "write the keys out in full; each entry should stand on its own",
                    "yaml.key",
                    kpos[2],
                )
            )
            self._skip(self.pull())
            return
        key = str(key_scalar.value)
        value_event = self.pull()
        if key in out:
            first = self.out.keys[(*path, key)]
            self.out.problems.append(
                Located(
                    *kpos[:2],
                    f"duplicate key '{key}'",
                    f"'{key}' is already set on line {first[0]}; remove one of them",
                    "yaml.duplicate-key",
                    kpos[2],
                )
            )
            self._skip(value_event)
            return
        self.out.keys[(*path, key)] = kpos
        out[key] = self.node(value_event, (*path, key), depth + 1)

    def _skip(self, event: Event) -> None:
        """Consume the rest of a node that is not kept (a complex key, a duplicate's value)."""
        if not isinstance(event, CollectionStartEvent):
            return
        level = 1
        while level:
            nxt = self.pull()
            if isinstance(nxt, CollectionStartEvent):
                level += 1
            elif isinstance(nxt, SequenceEndEvent | MappingEndEvent):
                level -= 1

    def _alias(self, event: AliasEvent, path: PathKey, depth: int) -> Any:
        name = event.anchor or ""
        if any(open_name == name for open_name, _events in self._recording):
            raise self._stop(
                event.start_mark,
                f"alias *{name} refers to the value that contains it",
                "an alias can only repeat a value that is complete; this one would never end",
                "yaml.alias",
            )
        events = self.anchors.get(name)
        if events is None:
            raise self._stop(
                event.start_mark,
                f"alias *{name} is not defined",
                "define the anchor (&name) before using the alias (*name)",
                "yaml.alias",
            )
        if not self._replay:
            self._alias_site = event.start_mark  # where an expansion that grows too large began
        self._replay.append(iter(events))
        try:
            first = self.pull()
            return self._build(first, path, depth)
        finally:
            self._replay.pop()


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))


def _tag(event: ScalarEvent) -> str:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    return str(tag)


def scalar(event: ScalarEvent) -> Any:
    """A scalar's plain value: None, True/False, or the text as written."""
    value: str = event.value
    if event.style:  # quoted or block scalars are always strings
        return value
    if event.tag is not None and event.tag != "!":  # an explicit tag such as !!null or !!str
        tag = event.tag
        if tag == _NULL:
            return None
        return (value in _TRUE) if tag == _BOOL and value in _TRUE | _FALSE else value
    # The resolver's answer for plain scalars, without its regular expressions: null and the YAML
    # 1.2 booleans; everything else (NO, on, ints, floats, timestamps) stays text.
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value


def build(loader: Any) -> Built:
    """Build the single document of a loader's event stream (raises yaml.YAMLError, LimitExceeded)."""
    builder = _Builder(loader.get_event)
    event = builder.pull()
    assert isinstance(event, StreamStartEvent)
    event = builder.pull()
    if isinstance(event, StreamEndEvent):
        return builder.out  # an empty file
    assert isinstance(event, DocumentStartEvent)
    builder.out.data = builder.node(builder.pull(), (), 0)
    assert isinstance(builder.pull(), DocumentEndEvent)
    event = builder.pull()
    if not isinstance(event, StreamEndEvent):
        raise builder._stop(
            event.start_mark,
            "the file holds more than one YAML document",
            "a content file is one document: remove the '---' line and what follows, or move it "
            "to a file of its own",
            "yaml.syntax",
        )
    return builder.out


class _NotPlain(Exception):
    """An event `positions` does not handle (alias, complex key...): build instead."""


def positions(loader: Any) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
    """Only the positions (values, keys) of a plain document, as `build` would record them.

    For files the fast path has already read (no anchors, aliases, tags, complex or duplicate
    keys, one document, within the limits): the values are known, only where they stand is
    missing. Walking the events without building values or checking limits takes about half
    the time of `build`; an event outside that plain part raises `_NotPlain`.
    """
    values: dict[PathKey, Position] = {}
    keys: dict[PathKey, Position] = {}
    get = loader.get_event
    if not isinstance(get(), StreamStartEvent) or not isinstance(get(), DocumentStartEvent):
        raise _NotPlain
    # One frame per open collection: [is mapping, path, start mark, next index or pending key].
    stack: list[list[Any]] = []
    path: PathKey
    while True:
        event = get()
        kind = type(event)
        if stack:
            frame = stack[-1]
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                start, end = frame[2], event.end_mark
                width = max(1, end.index - start.index) if start.line == end.line else 1
                values[frame[1]] = Position(start.line + 1, start.column + 1, width)
                stack.pop()
                if not stack:
                    break
                continue
            if frame[0]:
                if frame[3] is None:  # a key
                    if kind is not ScalarEvent or event.anchor is not None:
                        raise _NotPlain
                    start, end = event.start_mark, event.end_mark
                    width = max(1, end.index - start.index) if start.line == end.line else 1
                    key_path: PathKey = (*frame[1], str(event.value))
                    keys[key_path] = Position(start.line + 1, start.column + 1, width)
                    frame[3] = key_path
                    continue
                path, frame[3] = frame[3], None
            else:
                path = (*frame[1], frame[3])
                frame[3] += 1
        else:
            path = ()
        if kind is ScalarEvent:
            start, end = event.start_mark, event.end_mark
            width = max(1, end.index - start.index) if start.line == end.line else 1
            values[path] = Position(start.line + 1, start.column + 1, width)
            if not stack:
                break
        elif kind is MappingStartEvent:
            stack.append([True, path, event.start_mark, None])
        elif kind is SequenceStartEvent:
            stack.append([False, path, event.start_mark, 0])
        else:
            raise _NotPlain
    return values, keys
