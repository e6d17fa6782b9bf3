"""Load, validate and check content in one call: what `validate` and `build` both start with."""

from __future__ import annotations

import os
import re
from collections.abc import Container
from dataclasses import dataclass, replace
from pathlib import Path

from itreport.checks import run_checks
from itreport.content import Content, load_content
from itreport.gcpause import paused_gc
from itreport.gitrepo import Listing, listing_key, real_paths, refusal, tracked_listing
from itreport.load import ContentSource, Document, FolderSource, active_memo, refusal_problem
from itreport.models.people import RESTRICTED_FIELDS
from itreport.problems import Problem, Severity, sort_problems
from itreport.source.confine import folder_refusal


@dataclass
class Validation:
    content: Content | None
    problems: list[Problem]
    sources: dict[str, str]

    def failed(self, strict: bool = False) -> bool:
        """True when the data must not be used: any error, or any warning in strict mode."""
        return self.content is None or any(p.is_error or strict for p in self.problems)


def validate(
    source: ContentSource, private: ContentSource | None = None, tracked: Container[str] | None = None
) -> Validation:
    """Every problem in the content at once: YAML, model, then cross-file rules.

    Cross-file rules run on whatever loaded, but references into a kind of file that failed to
    load are not checked (they would be misleading "unknown" errors). Content with any error is
    not handed on.
    """
    # Everything that allocates per problem stays inside the pause too: thousands of problems
    # made the collector scan the freshly loaded division while sorting them (0.4 s on large).
    with paused_gc():
        result = load_content(source, private)
        problems = list(result.problems)
        content = result.content
        if content is not None:
            content.tracked = tracked
            problems.extend(run_checks(content))
        if any(p.is_error for p in problems):
            content = None
        hidden = {private.display(rel) for rel in private.files()} if private is not None else set()
        secrets = restricted_values([doc for name, doc in result.documents.items() if name in hidden])
        if secrets:  # compiled once: a large division can have thousands of problems and of values
            patterns = _secret_patterns(secrets)
            problems = [redact(p, patterns, strict=p.file in hidden) for p in problems]
        # The private folder's lines are never echoed: validation output may end up in a CI log.
        sources = {name: doc.text for name, doc in result.documents.items() if name not in hidden}
        return Validation(content, sort_problems(problems), sources)


def validate_folder(content: Path, private: Path | None = None) -> Validation:
    """Validate a content folder as the user named it, with git's view of which files are tracked."""
    refused = folder_refusal(content, "content folder")
    if refused is not None:
        return Validation(None, [refusal_problem(str(content), refused)], {})
    source = FolderSource(content, shown_as=str(content))
    listing = _git_listing(content)
    git_refused = refusal(content) if listing is None else None
    if git_refused is not None:
        # Which files git tracks cannot be told: every file counts as tracked, so a restricted
        # field stays an error rather than becoming a warning because of who owns the checkout.
        listing = Listing(os.path.abspath(content), tuple(source.files()))
    private_source = None
    tracked = TrackedFiles([(source, content)], [listing]) if listing is not None else None
    if private is not None:
        private_source = FolderSource(private, shown_as=str(private), what="private folder")
        private_listing = _git_listing(private)
        if private_listing is not None and TrackedFiles([(private_source, private)], [private_listing]).any():
            # A private folder inside a repository, committed: said as an error.
            tracked = TrackedFiles(
                [*(tracked.folders if tracked else []), (private_source, private)],
                [private_listing, *([listing] if listing is not None else [])],
            )
    result = validate(source, private_source, tracked)
    if git_refused is not None:
        reason, command = git_refused
        result.problems = sort_problems(
            [
                *result.problems,
                Problem(
                    str(content),
                    0,
                    0,
                    Severity.WARNING,
                    f"git refuses this repository ({reason}): every file counts as tracked, there is "
                    "no baseline, and builds are marked as not under version control",
                    hint=f"if you trust whoever owns the checkout: {command or 'add it to safe.directory'}",
                    rule="git.refused",
                ),
            ]
        )
    return result


class TrackedFiles:
    """Which files git tracks, by the name messages give them, worked out for a name when asked.

    Only files that hold restricted fields are ever asked about (`itreport.checks.privacy`), so
    resolving every file of a large division up front was wasted on every preview rebuild.
    """

    def __init__(self, folders: list[tuple[FolderSource, Path]], listings: list[Listing]) -> None:
        self.folders = folders
        self._listings = listings
        self._paths: set[str] | None = None
        self._real = real_paths()

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if self._paths is None:
            # Resolved now, not when git was asked: a kept listing's names may lead elsewhere
            # since (a tracked link re-pointed), and the verdict must be a fresh run's.
            self._paths = set()
            for listing in self._listings:
                self._paths |= listing.real()
        for source, folder in self.folders:
            rel = source.relative(name)
            if rel is not None and self._real(os.path.join(os.path.abspath(folder), rel)) in self._paths:
                return True
        return False

    def any(self) -> bool:
        """Whether git tracks any YAML file of the folders."""
        return any(source.display(rel) in self for source, _f in self.folders for rel in source.files())


def _git_listing(folder: Path) -> Listing | None:
    """The files git tracks below the folder (None outside a repository).

    Under `remembering`, git's listing is kept while `listing_key` shows nothing that could change
    it: asking git costs a large division's preview more than validating the file that changed.
    """
    memo = active_memo()
    key = listing_key(folder) if memo is not None else None
    if memo is None or key is None:
        return tracked_listing(folder)

    def listing() -> tuple[Listing | None, bool]:
        found = tracked_listing(folder)
        # A failure inside a repository (an ownership check, a broken index) is not kept: what
        # fixes it need not touch what the key sees.
        return found, found is not None or not isinstance(key, tuple) or key[-1] is None

    return memo.kept(f"git.tracked:{os.path.realpath(folder)}", key, listing)


def restricted_values(private_docs: list[Document]) -> set[str]:
    """The restricted values written in the private folder, as text (to keep them out of messages)."""
    found: set[str] = set()
    for doc in private_docs:
        people = doc.data.get("people") if isinstance(doc.data, dict) else None
        for entry in people if isinstance(people, list) else []:
            if isinstance(entry, dict):
                found.update(
                    str(entry[k]).strip()
                    for k in RESTRICTED_FIELDS
                    if isinstance(entry.get(k), str | int | float) and str(entry[k]).strip()
                )
    return found


def _secret_patterns(secrets: set[str]) -> list[tuple[str, re.Pattern[str]]]:
    """Each restricted value with its pattern, longest first (a longer value is replaced whole)."""
    return [
        (value, re.compile(rf"(?<![\w]){re.escape(value)}(?![\w])"))
        for value in sorted(secrets, key=lambda v: (-len(v), v))
    ]


def redact(problem: Problem, patterns: list[tuple[str, re.Pattern[str]]], strict: bool) -> Problem:
    """The problem with every restricted value replaced by '…' (short ones only in private files)."""
    message, hint = problem.message, problem.hint
    for value, pattern in patterns:
        if len(value) < 3 and not strict:
            continue  # a rating of 4 is not recognisable in "at most 5 items"; in its own file it is
        if value in message or value in hint:
            message, hint = pattern.sub("…", message), pattern.sub("…", hint)
    return replace(problem, message=message, hint=hint)
