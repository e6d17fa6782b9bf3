"""Assemble a typed division from a content source: parse every file, validate it by kind.

This is the "model" stage: it knows which file holds which kind of content, validates each file
against its pydantic model, and collects every problem before giving up. Cross-file rules live in
`itreport.checks`.
"""

from __future__ import annotations

import time
from collections.abc import Container, Hashable, Iterable
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from itreport.load import (
    ContentSource,
    Document,
    FolderSource,
    ParseMemo,
    Position,
    active_memo,
    read_all,
    read_one,
    unreadable,
)
from itreport.model_errors import problems_from_validation
from itreport.models import KINDS, Model
from itreport.models.base import attach_sources
from itreport.models.briefings import BriefingsFile, Edition
from itreport.models.budget import BudgetFile
from itreport.models.division import Division
from itreport.models.people import (
    RESTRICTED_FIELDS,
    Certification,
    PeopleFile,
    Person,
    PositionsFile,
    PrivatePeopleFile,
    Programme,
    Role,
    RolesFile,
    Team,
    TeamsFile,
    TrainingFile,
)
from itreport.models.people import (
    Position as OpenPosition,
)
from itreport.models.projects import Project
from itreport.models.recipients import RecipientsFile
from itreport.models.strategy import NarrativeFile, StrategyFile
from itreport.problems import Note, Problem, Severity, did_you_mean
from itreport.source import fastyaml
from itreport.source.reported import changes_listing
from itreport.source.stamps import FileStamp, settled

IGNORED_DIRS = ("schemas/",)
M = TypeVar("M", bound=Model)


@lru_cache(maxsize=65_536)
def kind_of(rel: str) -> str | None:
    """Which kind of content a file holds, by its path (None: not a content file).

    Remembered: a long-lived preview asks again for every file at every rebuild."""
    for kind, (_model, pattern) in KINDS.items():
        if fnmatch(rel, pattern) and rel.count("/") == pattern.count("/"):
            return kind
    return None


@dataclass
class Content:
    """The whole division, typed, with the documents it was read from (for locating problems)."""

    division: Division
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    positions: list[OpenPosition] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    budgets: list[BudgetFile] = field(default_factory=list)
    strategy: StrategyFile = field(default_factory=StrategyFile)
    narrative: NarrativeFile | None = None
    editions: list[Edition] = field(default_factory=list)
    recipients: RecipientsFile | None = None
    documents: dict[str, Document] = field(default_factory=dict)
    label: str = ""
    incomplete: set[str] = field(default_factory=set)
    """Kinds with a file that failed to load: references into them are not checked."""
    tracked: Container[str] | None = None
    """Display names of content files that git tracks (None when not in a git repository)."""
    private_sources: dict[str, Model] = field(default_factory=dict)
    """Each private record merged into a person, by person id (located in the private file)."""
    files: list[Model] = field(default_factory=list)
    """The model of each content file that validated, in file order (not the private folder's):
    a rule that works file by file can be replayed for a file that did not change (`per_entity`)."""

    def where(self, entity: Model, *keys: str | int, at_key: bool = False) -> tuple[str, Position]:
        """File and position of an entity (or a value below it) for a problem message."""
        file, path = entity.source
        doc = self.documents.get(file)
        if doc is None:
            return file, Position(0, 0)
        return file, doc.position((*path, *keys), key=at_key)

    def budget_for(self, fiscal_year: int) -> BudgetFile | None:
        return next((b for b in self.budgets if b.fiscal_year == fiscal_year), None)


@dataclass
class LoadResult:
    content: Content | None
    problems: list[Problem]
    documents: dict[str, Document]


def _validate(doc: Document, model: type[M], problems: list[Problem]) -> M | None:
    """A file's model (None when invalid, with its problems added to `problems`).

    Under `itreport.load.remembering` an unchanged file's model is the one built before: models
    are frozen, so sharing them between builds cannot carry one build's changes into the next.
    """
    memo = active_memo()
    obj, found = (
        _validated(doc, model)
        if memo is None
        else memo.validated_model(doc, model, lambda: _validated(doc, model))
    )
    problems.extend(found)
    return obj


def _validated(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    try:
        obj = model.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation(exc, doc, model)
    attach_sources(obj, doc.name)
    return obj, []


@dataclass(frozen=True)
class FileRecord:
    """One content file as the load left it: parsed, validated against its kind's model, with
    every problem found on the way. A preview keeps the records of its last build, and takes
    those of files that did not change from there (see `_records`)."""

    rel: str
    doc: Document | None
    problems: tuple[Problem, ...]
    kind: str | None
    obj: Model | None
    incomplete: tuple[str, ...]
    """Kinds this file leaves incomplete (it failed to load): references into them are not checked."""
    stamp: Hashable | None
    """What the file's stamp was just before it was read (None: a link or a refused read, which
    is read again at every build)."""
    real: str
    racy: bool = False
    """The stamp was taken within a tick of the file's last change (see `settled`): a second
    write in that tick would leave it as it is, so the file is read again at every build until
    its stamp can stand for its bytes, as the stamp-based memo does (`ParseMemo.stamped`)."""


@dataclass(frozen=True)
class FolderRound:
    """What a build read from a content folder: its listing and a record per file, in order."""

    root: Path
    shown_as: str
    what: str
    listing: tuple[list[str], list[str]]
    records: tuple[FileRecord, ...]
    index: dict[str, int]
    """Each record's position by the real path of its file (what a watcher's report names)."""
    unstamped: frozenset[int]
    """Positions of records read at every build: links and refused reads (no stamp), and files
    whose stamp was racy when they were read."""

    @classmethod
    def of(
        cls, source: FolderSource, records: list[FileRecord], last: FolderRound | None, again: Iterable[int]
    ) -> FolderRound:
        """The round of `records`; with `last`, records that differ from its only at `again`
        (a trusted rebuild, whose `again` holds every record read at every build): its index
        stands, and only those positions are looked at, so that keeping a round costs what
        changed, not the number of files."""
        index = {rec.real: i for i, rec in enumerate(records)} if last is None else last.index
        positions = range(len(records)) if last is None else again
        unstamped = frozenset(i for i in positions if records[i].stamp is None or records[i].racy)
        listing = source.listing()
        return cls(source.root, source.shown_as, source.what, listing, tuple(records), index, unstamped)


def _record(
    source: ContentSource, rel: str, doc: Document | None, found: list[Problem], stamp: Hashable | None
) -> FileRecord:
    """A file's record from what reading it gave: its kind, its model, every problem."""
    real = source.real(rel) if isinstance(source, FolderSource) else rel
    problems = list(found)
    kind = kind_of(rel)
    if doc is None and any(p.rule == "file.refused" for p in found):
        # A refused file (or linked folder) leaves its kinds incomplete: references into
        # them are not checked, so the refusal is not buried under "unknown" errors.
        kinds = tuple(
            k for k, (_m, pattern) in KINDS.items() if fnmatch(rel, pattern) or pattern.startswith(rel + "/")
        )
        return FileRecord(rel, doc, tuple(problems), None, None, kinds, stamp, real)
    if kind is None:
        problems.append(
            Problem(
                source.display(rel),
                0,
                0,
                Severity.WARNING,
                "file is not a known kind of content and was ignored",
                hint="known files: " + ", ".join(pattern for _m, pattern in KINDS.values()),
                rule="content.unknown-file",
                note=Note("dq_unknown_file"),
            )
        )
        return FileRecord(rel, doc, tuple(problems), None, None, (), stamp, real)
    obj = None
    if doc is not None and not unreadable(found):
        obj = _validate(doc, KINDS[kind][0], problems)
    return FileRecord(rel, doc, tuple(problems), kind, obj, (kind,) if obj is None else (), stamp, real)


def _records(source: ContentSource) -> list[FileRecord]:
    """Every file of the source, read and validated.

    In a preview whose file watcher reported every change since the last build (native events
    on a local file system, `ParseMemo.suspect(..., complete=True)`), the files it did not name
    are taken from the last build's records without looking at them: on a large division,
    looking at 400 unchanged files cost ten times validating the one that changed. A report
    that may change the listing (a file added, removed, renamed; a folder; a link) makes the
    build look at every file, and the preview checks afterwards that the files are still what
    the records say (`stale_rounds`), for a watcher that lost events.
    """
    memo = active_memo()
    fast = fastyaml.enabled()
    if memo is None or not isinstance(source, FolderSource):
        return [_record(source, rel, *read_one(source, rel, fast)) for rel in _content_files(source)]
    key = ("content", source.base, source.shown_as, source.what, fast)
    trusted = memo.trusted(key)
    last: FolderRound | None = None
    reported: frozenset[str] = frozenset()
    if trusted is not None:
        kept, reported = trusted
        if isinstance(kept, FolderRound) and not changes_listing(
            reported, source.base, kept.listing, (".yaml", ".yml")
        ):
            last = kept
            source.adopt_listing(kept.listing)
    again: set[int] = set()
    if last is None:
        before = memo.kept_round(key)
        earlier = {rec.rel: rec for rec in before.records} if isinstance(before, FolderRound) else {}
        records = [_read_record(source, rel, fast, earlier.get(rel)) for rel in _content_files(source)]
    else:
        # Only the reported files and those read at every build (links, refused reads, racy
        # stamps) are looked at: the cost follows what changed, not the size of the division.
        records = list(last.records)
        again = {last.index[path] for path in reported if path in last.index} | last.unstamped
        for i in sorted(again):
            records[i] = _read_record(source, records[i].rel, fast)
    memo.keep(key, FolderRound.of(source, records, last, again))
    return records


def _read_record(source: FolderSource, rel: str, fast: bool, earlier: FileRecord | None = None) -> FileRecord:
    """A listed file read (or taken from the memo by its stamp) into its record, marked racy
    when its stamp cannot stand for its bytes yet. `earlier`: the last build's record of the
    file, kept when reading gave the very same document."""
    seen_ns = time.time_ns()  # before the stamp, as in `read_one`
    doc, found, stamp = read_one(source, rel, fast)
    racy = isinstance(stamp, FileStamp) and not settled(stamp, seen_ns)
    if (
        earlier is not None
        and earlier.doc is doc
        and doc is not None
        and not found
        and earlier.stamp is not None
    ):
        return replace(earlier, stamp=stamp, racy=racy)
    rec = _record(source, rel, doc, found, stamp)
    return replace(rec, racy=True) if racy else rec


def _content_files(source: ContentSource) -> list[str]:
    """The files a load reads: all listed ones but those in folders it ignores (schemas/)."""
    return [rel for rel in source.files() if not rel.startswith(IGNORED_DIRS)]


def stale_rounds(memo: ParseMemo) -> bool:
    """Whether a content folder a preview built from no longer matches what its last build kept:
    a file added, removed, or with another stamp than when it was read. A file watcher can lose
    events (inotify's queue overflows, and watchfiles does not pass the overflow on), so a
    preview that trusted its watcher checks, after building, that nothing slipped past it."""
    for kept in memo.rounds():
        if not isinstance(kept, FolderRound):
            continue
        fresh = FolderSource(kept.root, shown_as=kept.shown_as, what=kept.what)
        if fresh.listing() != kept.listing:
            return True
        for rec in kept.records:
            if rec.stamp is not None and fresh.stamp(rec.rel) != rec.stamp:
                return True
    return False


def load_content(source: ContentSource, private: ContentSource | None = None) -> LoadResult:
    """Parse and validate every content file (and the private folder); never raises for bad data."""
    by_kind: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    files: list[Model] = []
    records = _records(source)
    # Comprehensions, not one loop with four tests: a preview rebuild walks 400 records here.
    problems = [p for rec in records if rec.problems for p in rec.problems]
    documents = {rec.doc.name: rec.doc for rec in records if rec.doc is not None}
    incomplete = {kind for rec in records if rec.incomplete for kind in rec.incomplete}
    for rec in records:
        if rec.obj is not None and rec.kind is not None:
            by_kind[rec.kind].append(rec.obj)
            files.append(rec.obj)

    problems.extend(misnamed(source, "content folder"))
    divisions: list[Division] = by_kind["division"]
    if not divisions:
        if not any(kind_of(rel) == "division" for rel in source.files()):
            problems.append(
                Problem(
                    source.display("division.yaml"),
                    0,
                    0,
                    Severity.ERROR,
                    "division.yaml is missing",
                    hint="every content folder needs division.yaml (name, as_of, period, currency, …); "
                    "copy the example from the itreport repository",
                    rule="content.missing-division",
                )
            )
        return LoadResult(None, problems, documents)

    content = Content(
        division=divisions[0], documents=documents, label=source.label, incomplete=incomplete, files=files
    )
    for teams in _typed(by_kind["teams"], TeamsFile):
        content.teams.extend(teams.teams)
    for people in _typed(by_kind["people"], PeopleFile):
        content.people.extend(people.people)
    for roles in _typed(by_kind["roles"], RolesFile):
        content.roles.extend(roles.roles)
    for training in _typed(by_kind["training"], TrainingFile):
        content.certifications.extend(training.certifications)
        content.programmes.extend(training.programmes)
    for positions in _typed(by_kind["positions"], PositionsFile):
        content.positions.extend(positions.positions)
    content.projects = sorted(_typed(by_kind["project"], Project), key=attrgetter("id"))
    content.budgets = sorted(_typed(by_kind["budget"], BudgetFile), key=lambda b: b.fiscal_year)
    for strategy in _typed(by_kind["strategy"], StrategyFile):
        content.strategy = strategy
    if private is not None:
        _merge_private(content, private, problems, documents)
    for narrative in _typed(by_kind["narrative"], NarrativeFile):
        content.narrative = narrative
    for briefings in _typed(by_kind["briefings"], BriefingsFile):
        content.editions.extend(briefings.editions)
    for recipients in _typed(by_kind["recipients"], RecipientsFile):
        content.recipients = recipients
    return LoadResult(content, problems, documents)


def _merge_private(
    content: Content, private: ContentSource, problems: list[Problem], documents: dict[str, Document]
) -> None:
    """Add restricted fields from the private folder to the people they belong to (by id)."""
    people = {p.id: i for i, p in enumerate(content.people)}
    problems.extend(misnamed(private, "private folder"))
    for rel, doc, file_problems in read_all(private):
        problems.extend(file_problems)
        if doc is None or unreadable(file_problems):
            continue
        documents[doc.name] = doc
        if rel != "people.yaml":
            problems.append(
                Problem(
                    doc.name,
                    0,
                    0,
                    Severity.WARNING,
                    "file in the private folder is not known and was ignored",
                    hint="the private folder holds people.yaml with restricted fields",
                    rule="content.unknown-file",
                    note=Note("dq_unknown_file"),
                )
            )
            continue
        record = _validate(doc, PrivatePeopleFile, problems)
        if record is None:
            content.incomplete.add("private")
            continue
        for entry in record.people:
            if entry.id not in people:
                file, pos = doc.name, doc.position((*entry.source[1], "id"))
                problems.append(
                    Problem(
                        file,
                        pos.line,
                        pos.col,
                        Severity.ERROR,
                        f"unknown person '{entry.id}'{did_you_mean(entry.id, people)}",
                        hint="private records are matched to people.yaml in the content folder by id",
                        width=pos.width,
                        rule="refs.resolve",
                    )
                )
                continue
            index = people[entry.id]
            person = content.people[index]
            update = {f: getattr(entry, f) for f in RESTRICTED_FIELDS if getattr(entry, f) is not None}
            merged = person.model_copy(update=update)
            # model_copy counts the update as "set", but the content file did not write these
            # fields; the privacy check asks what the content file wrote (issue 8).
            object.__setattr__(merged, "__pydantic_fields_set__", set(person.model_fields_set))
            merged._file, merged._path = person.source
            content.people[index] = merged
            content.private_sources[entry.id] = entry


def misnamed(source: ContentSource, what: str) -> list[Problem]:
    """A warning for each file named like YAML but for case or trailing spaces: not read."""
    found = []
    for rel in source.misnamed():
        if rel.startswith(IGNORED_DIRS):
            continue
        name = rel.rsplit("/", 1)[-1]
        stem, _dot, suffix = name.rstrip().rpartition(".")
        fixed = f"{stem}.{suffix.lower()}"
        found.append(
            Problem(
                source.display(rel),
                0,
                0,
                Severity.WARNING,
                f"file is named like YAML but ends in '{name[len(stem) :]}', so it was not read",
                hint=f"rename it to '{fixed}': the {what} reads names ending in '.yaml' or '.yml' exactly",
                rule="content.misnamed",
                note=Note("dq_unknown_file"),
            )
        )
    return found


def _typed(items: list[Any], model: type[M]) -> list[M]:
    return [item for item in items if isinstance(item, model)]


def load_folder(path: Path) -> LoadResult:
    """Load content from a folder, naming files as the user gave the folder."""
    return load_content(FolderSource(path, shown_as=str(path)))
