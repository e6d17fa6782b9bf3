"""The build: validate, analyse, and for each edition filter, render and write atomically.

Nothing is written unless the data validates; every file is written through a temporary file
and a rename, so a failed build leaves the previous briefings as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itreport.analyse import analyse
from itreport.baseline import BaselineError, changes_since, create_tag, load_baseline
from itreport.edition import build_view
from itreport.gitrepo import provenance
from itreport.models.base import month_of
from itreport.models.briefings import DEFAULT_EDITION, Edition
from itreport.problems import Note, ProblemsFound, Severity
from itreport.render.html import render_html
from itreport.render.pdf import RenderError, html_to_pdf
from itreport.render.sandbox import TemplateFailure
from itreport.render.theme import DEFAULT_THEME
from itreport.source.confine import folder_refusal
from itreport.validate import Validation, validate_folder
from itreport.write import atomic_write, sha256

FORMATS = ("html", "pdf")


class UsageProblem(Exception):
    """The request cannot be carried out as asked (unknown edition, bad folder): exit code 2."""


@dataclass(frozen=True)
class Written:
    path: Path
    edition: Edition
    classification: str
    kind: str
    digest: str
    changed: bool


@dataclass
class BuildResult:
    validation: Validation
    written: list[Written] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    commit: str | None = None
    draft: bool = False
    versioned: bool = True
    baseline: str | None = None
    tag: str | None = None


@dataclass
class BuildOptions:
    content: Path
    out: Path
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ()
    strict: bool = False
    templates: Path | None = None
    private: Path | None = None
    since: str | None = None
    tag: bool = False


def output_name(edition: Edition, period_month: str, as_of: str) -> str:
    return (
        edition.filename.replace("{id}", edition.id)
        .replace("{period}", period_month)
        .replace("{as_of}", as_of)
    )


def default_templates(content: Path) -> Path | None:
    """A project's own templates/ beside its content folder (unless it is the default theme)."""
    candidate = content.resolve().parent / "templates"
    refused = folder_refusal(candidate, "templates folder")
    if refused is not None:  # a checkout's templates/ linked elsewhere is not a theme to trust
        raise TemplateProblem(f"{candidate}: {refused.reason}; {refused.hint}")
    return candidate if candidate.is_dir() and candidate.resolve() != DEFAULT_THEME else None


def _quality(validation: Validation) -> tuple[tuple[str, Note | None], ...]:
    """Warnings as (rule, reader's note); the edition stage decides who may read each.

    The note carries no file or line: locations belong in `validate`'s output, not in a briefing.
    """
    return tuple((p.rule, p.note) for p in validation.problems if p.severity is Severity.WARNING)


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _m: None) -> BuildResult:
    validation = validate_folder(options.content, options.private)
    if validation.failed(options.strict) or validation.content is None:
        raise ProblemsFound(validation.problems, validation.sources)
    content = validation.content
    editions = content.editions or [DEFAULT_EDITION]
    if options.editions:
        known = {e.id for e in editions}
        unknown = [e for e in options.editions if e not in known]
        if unknown:
            raise UsageProblem(f"unknown edition {', '.join(unknown)}; editions: {', '.join(sorted(known))}")
        editions = [e for e in editions if e.id in options.editions]

    templates = options.templates or default_templates(options.content)
    prov = provenance(options.content, [options.content, *([templates] if templates else [])])
    analysis = analyse(content)
    try:
        baseline = load_baseline(options.content, options.since)
    except BaselineError as exc:
        raise UsageProblem(str(exc)) from None
    changes = changes_since(baseline, analysis)
    quality = _quality(validation)
    if baseline.warning:
        quality += (("baseline", Note("dq_baseline_unreadable", (("rev", baseline.rev or ""),))),)
    roots = [DEFAULT_THEME, *([templates.resolve()] if templates else [])]
    result = BuildResult(
        validation, commit=prov.commit, draft=prov.dirty, versioned=prov.versioned, baseline=baseline.rev
    )
    if baseline.warning:
        result.warnings.append(baseline.warning)
    div = content.division
    for edition in editions:
        view = build_view(
            analysis,
            edition,
            quality,
            commit=prov.commit,
            draft=prov.dirty,
            versioned=prov.versioned,
            changes=changes,
        )
        html = _render(view, templates)
        base = output_name(edition, month_of(div.period.end), div.as_of.isoformat())
        if "html" in options.formats:
            data = html.encode("utf-8")
            path = options.out / f"{base}.html"
            result.written.append(
                Written(path, edition, view.classification, "html", sha256(data), atomic_write(path, data))
            )
        if "pdf" in options.formats:
            try:
                pdf, warnings = html_to_pdf(html, DEFAULT_THEME, roots, div.as_of, edition.pdf_variant)
            except RenderError as exc:
                raise TemplateProblem(f"edition '{edition.id}': {exc}") from None
            result.warnings.extend(f"{edition.id}: WeasyPrint: {w}" for w in warnings)
            path = options.out / f"{base}.pdf"
            result.written.append(
                Written(path, edition, view.classification, "pdf", sha256(pdf), atomic_write(path, pdf))
            )
        progress(edition.id)
    _write_manifest(options.out, result, content.division.as_of.isoformat())
    if options.tag:
        if prov.dirty or prov.commit is None:
            raise UsageProblem("--tag: the data has uncommitted changes; commit them, then build with --tag")
        try:
            result.tag = create_tag(options.content, content.division.as_of.isoformat())
        except BaselineError as exc:
            raise UsageProblem(str(exc)) from None
    return result


class TemplateProblem(Exception):
    """A template failed (syntax, missing label, sandbox violation): exit code 1 with the place."""


def _render(view: Any, templates: Path | None) -> str:
    try:
        return render_html(view, templates)
    except TemplateFailure as exc:
        raise TemplateProblem(f"{exc} (edition '{view.edition.id}')") from None


def _write_manifest(out: Path, result: BuildResult, as_of: str) -> None:
    """output/manifest.json: every file with its edition, audience, recipients, commit and hash."""
    entries = [
        {
            "file": w.path.name,
            "format": w.kind,
            "edition": w.edition.id,
            "title": w.edition.title,
            "audience": w.edition.audience.value,
            "classification": w.classification,
            "recipients": w.edition.recipients,
            "sha256": w.digest,
        }
        for w in result.written
    ]
    manifest = {
        "as_of": as_of,
        "vcs": "git" if result.versioned else None,
        "commit": result.commit,
        "draft": result.draft,
        "baseline": result.baseline,
        "files": entries,
    }
    atomic_write(out / "manifest.json", (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
