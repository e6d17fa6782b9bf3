"""Load, validate and check content in one call: what `validate` and `build` both start with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from itreport.checks import run_checks
from itreport.content import Content, load_content
from itreport.gcpause import paused_gc
from itreport.gitrepo import tracked_files
from itreport.load import ContentSource, FolderSource, refusal_problem
from itreport.problems import Problem, sort_problems
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
    source: ContentSource, private: ContentSource | None = None, tracked: set[str] | None = None
) -> Validation:
    """Every problem in the content at once: YAML, model, then cross-file rules.

    Cross-file rules run on whatever loaded, but references into a kind of file that failed to
    load are not checked (they would be misleading "unknown" errors). Content with any error is
    not handed on.
    """
    with paused_gc():
        result = load_content(source, private)
        problems = list(result.problems)
        content = result.content
        if content is not None:
            content.tracked = tracked
            problems.extend(run_checks(content))
        if any(p.is_error for p in problems):
            content = None
    sources = {name: doc.text for name, doc in result.documents.items()}
    return Validation(content, sort_problems(problems), sources)


def validate_folder(content: Path, private: Path | None = None) -> Validation:
    """Validate a content folder as the user named it, with git's view of which files are tracked."""
    refused = folder_refusal(content, "content folder")
    if refused is not None:
        return Validation(None, [refusal_problem(str(content), refused)], {})
    source = FolderSource(content, shown_as=str(content))
    tracked_paths = tracked_files(content)
    tracked = None
    if tracked_paths is not None:
        tracked = {
            source.display(rel) for rel in source.files() if (content / rel).resolve() in tracked_paths
        }
    private_source = (
        FolderSource(private, shown_as=str(private), what="private folder") if private is not None else None
    )
    return validate(source, private_source, tracked)
