"""Load, validate and check content in one call: what `validate` and `build` both start with."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, replace
from pathlib import Path

from itreport.checks import run_checks
from itreport.content import Content, load_content
from itreport.gcpause import paused_gc
from itreport.load import ContentSource, Document, FolderSource, refusal_problem
from itreport.models.people import RESTRICTED_FIELDS
from itreport.problems import Problem, sort_problems
from itreport.source.confine import folder_refusal
from itreport.tracked import tracked_files


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
    private_source = (
        FolderSource(private, shown_as=str(private), what="private folder") if private is not None else None
    )
    tracked, git_refused = tracked_files(source, private_source)
    result = validate(source, private_source, tracked)
    if git_refused is not None:
        result.problems = sort_problems([*result.problems, git_refused])
    return result


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
