"""Load, validate and check content in one call: what `validate` and `build` both start with."""

from __future__ import annotations

from dataclasses import dataclass

from itreport.checks import run_checks
from itreport.content import Content, load_content
from itreport.load import ContentSource
from itreport.problems import Problem, sort_problems


@dataclass
class Validation:
    content: Content | None
    problems: list[Problem]
    sources: dict[str, str]

    def failed(self, strict: bool = False) -> bool:
        """True when the data must not be used: any error, or any warning in strict mode."""
        return self.content is None or any(p.is_error or strict for p in self.problems)


def validate(source: ContentSource) -> Validation:
    """Every problem in the content at once: YAML, model, then cross-file rules.

    Cross-file rules run on whatever loaded, but references into a kind of file that failed to
    load are not checked (they would be misleading "unknown" errors). Content with any error is
    not handed on.
    """
    result = load_content(source)
    problems = list(result.problems)
    content = result.content
    if content is not None:
        problems.extend(run_checks(content))
        if any(p.is_error for p in problems):
            content = None
    sources = {name: doc.text for name, doc in result.documents.items()}
    return Validation(content, sort_problems(problems), sources)
