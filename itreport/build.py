"""The build: validate, analyse, and for each edition filter, render and write atomically.

Nothing is written unless the data validates; every file is written through a temporary file
and a rename, so a failed build leaves the previous briefings as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from itreport.analyse import Analysis, analyse
from itreport.analyse.changes import Changes
from itreport.baseline import BaselineError, changes_since, create_tag, load_baseline
from itreport.buildcache import EditionRecords, edition_key, renderer_fingerprint
from itreport.edition import build_view
from itreport.gitrepo import Provenance, provenance
from itreport.models.base import month_of
from itreport.models.briefings import DEFAULT_EDITION, Edition
from itreport.problems import Note, Problem, ProblemsFound, Severity
from itreport.publish.stage import NewFile, check_folder, publish, sha256
from itreport.render.jobs import Job, prepare_workers, render_all
from itreport.render.theme import DEFAULT_THEME
from itreport.source.confine import folder_refusal
from itreport.validate import Validation, validate_folder
from itreport.viewdigest import view_digest

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
    problems: list[Problem]
    """What validation found (warnings only: a build with errors raises `ProblemsFound`)."""
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
    jobs: int = 0
    """Worker processes for rendering; 0 is one per core (memory permitting), 1 renders here."""
    on_wait: Callable[[], None] | None = None
    """Called once when another build holds the output folder's lock (this one then waits)."""


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
    """Validate, analyse, render every edition whose inputs changed, and write the set."""
    validation = validate_folder(options.content, options.private)
    progress(f"validated {len(validation.sources)} files")
    if validation.failed(options.strict) or validation.content is None:
        raise ProblemsFound(validation.problems, validation.sources)
    content = validation.content
    check_folder(options.out)  # before rendering: `--out .` is refused at once, not after minutes
    editions = content.editions or [DEFAULT_EDITION]
    if options.editions:
        known = {e.id for e in editions}
        unknown = [e for e in options.editions if e not in known]
        if unknown:
            raise UsageProblem(f"unknown edition {', '.join(unknown)}; editions: {', '.join(sorted(known))}")
        editions = [e for e in editions if e.id in options.editions]
    if "pdf" in options.formats:
        prepare_workers(len(editions), options.jobs)

    templates = options.templates or default_templates(options.content)
    prov = provenance(options.content, [options.content, *([templates] if templates else [])])
    analysis = analyse(content)
    try:
        baseline = load_baseline(options.content, options.since)
    except BaselineError as exc:
        raise UsageProblem(str(exc)) from None
    changes = changes_since(baseline, analysis)
    compared = baseline.rev if changes is not None else None  # an unreadable baseline is not compared
    baseline_rev, baseline_warning = baseline.rev, baseline.warning
    # The last briefing's division and analysis (a third of the build's memory on the large demo)
    # are done with once compared: freed now, not held while the PDFs are laid out.
    del baseline
    progress("analysed" + (f" and compared with {compared}" if compared else ""))
    quality = _quality(validation)
    if baseline_warning:
        quality += (("baseline", Note("dq_baseline_unreadable", (("rev", baseline_rev or ""),))),)
    roots = [DEFAULT_THEME, *([templates.resolve()] if templates else [])]
    result = BuildResult(
        validation.problems, commit=prov.commit, draft=prov.dirty, versioned=prov.versioned, baseline=compared
    )
    if baseline_warning:
        result.warnings.append(baseline_warning)
    div = content.division
    declared = {e.id for e in content.editions or [DEFAULT_EDITION]}
    formats = tuple(f for f in FORMATS if f in options.formats)
    records = EditionRecords(options.out)
    renderer = renderer_fingerprint(templates)
    plans, jobs = _plan(
        editions, analysis, quality, prov, changes, templates, formats, tuple(roots), records, renderer
    )
    # From here on only the jobs hold the division, through the editions' views, and
    # `render_all` lets each go once its HTML is rendered: the division, its analysis and the
    # views are two thirds of the build's own memory on the large demo, not to be kept while the
    # PDFs are laid out.
    del analysis, changes, content, validation
    progress(
        f"rendering {len(jobs)} of {len(plans)} editions"
        + (" (the others are unchanged)" if len(jobs) < len(plans) else "")
    )
    rendered = {
        r.edition: r
        for r in render_all(
            jobs,
            options.jobs,
            lambda r: progress(f"rendered {r.edition}" + (" (its PDF is unchanged)" if r.pdf_reused else "")),
        )
    }
    failed = next((r.error for r in rendered.values() if r.error), None)
    if failed:
        raise TemplateProblem(failed)
    files: list[NewFile] = []  # published as one set below, with the manifest
    remember: list[tuple[str, str, dict[str, str], list[str], str, float | None]] = []
    for edition, classification, names, key, kept in plans:
        if kept is not None:
            for kind, name in names.items():
                result.written.append(
                    Written(options.out / name, edition, classification, kind, kept["files"][name], False)
                )
            result.warnings.extend(kept["warnings"])
            continue
        made = rendered[edition.id]
        warnings = [f"{edition.id}: WeasyPrint: {w}" for w in made.warnings]
        if made.pdf_reused:  # same HTML as last time: the PDF was kept, and so were its warnings
            warnings = records.entries[edition.id]["warnings"]
        result.warnings.extend(warnings)
        digests = {}
        for kind, name in names.items():
            data = made.html if kind == "html" else made.pdf
            assert data is not None
            digests[name] = sha256(data)
            result.written.append(
                Written(options.out / name, edition, classification, kind, digests[name], True)
            )
            files.append(_output(result.written[-1], data, div.as_of.isoformat(), result.commit))
        seconds = records.pdf_seconds(edition.id) if made.pdf_reused else made.pdf_seconds
        remember.append((edition.id, key, digests, warnings, made.pdf_source, seconds))
    head = {
        "as_of": div.as_of.isoformat(),
        "vcs": "git" if result.versioned else None,
        "commit": result.commit,
        "draft": result.draft,
        "baseline": result.baseline,
    }
    new_names = {f.name for f in files}
    changed = publish(
        options.out,
        files,
        head,
        rebuilt={(w.edition.id, w.kind) for w in result.written if w.path.name in new_names},
        declared=declared,
        on_wait=options.on_wait or (lambda: None),
    )
    result.written = [replace(w, changed=changed.get(w.path.name, w.changed)) for w in result.written]
    for args in remember:
        records.remember(*args)
    records.save()
    progress(f"wrote {sum(w.changed for w in result.written)} files into {options.out}")
    if options.tag:
        if prov.versioned and (prov.dirty or prov.commit is None):  # outside git: create_tag says so
            raise UsageProblem("--tag: the data has uncommitted changes; commit them, then build with --tag")
        try:
            result.tag = create_tag(options.content, div.as_of.isoformat())
        except BaselineError as exc:
            raise UsageProblem(str(exc)) from None
    return result


Plan = tuple[Edition, str, dict[str, str], str, dict[str, Any] | None]
"""An edition, its classification, its files by format, its key, and its earlier record when
the edition is unchanged."""


def _plan(
    editions: list[Edition],
    analysis: Analysis,
    quality: tuple[tuple[str, Note | None], ...],
    prov: Provenance,
    changes: Changes | None,
    templates: Path | None,
    formats: tuple[str, ...],
    roots: tuple[Path, ...],
    records: EditionRecords,
    renderer: str,
) -> tuple[list[Plan], list[Job]]:
    """Each edition's view and key, and a job for each edition whose inputs changed."""
    div = analysis.content.division
    plans: list[Plan] = []
    jobs: list[Job] = []
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
        base = edition.output_name(month_of(div.period.end), div.as_of.isoformat())
        names = {kind: f"{base}.{kind}" for kind in formats}
        key = edition_key(view_digest(view), renderer, formats)
        kept = records.unchanged(edition.id, key)
        if kept is not None and set(kept["files"]) != set(names.values()):
            kept = None
        plans.append((edition, view.classification, names, key, kept))
        if kept is None:
            jobs.append(
                Job(
                    edition.id,
                    view,
                    templates,
                    formats,
                    roots,
                    div.as_of,
                    edition.pdf_variant,
                    records.earlier_pdf(edition.id, names["pdf"]) if "pdf" in names else None,
                    records.pdf_seconds(edition.id),
                    renderer,
                )
            )
    return plans, jobs


class TemplateProblem(Exception):
    """A template failed (syntax, missing label, sandbox violation): exit code 1 with the place."""


def _output(written: Written, data: bytes, as_of: str, commit: str | None) -> NewFile:
    """An output waiting to be published, with its manifest entry (as-of and commit per file,
    because a partial build keeps other editions' entries from earlier builds)."""
    entry = {
        "format": written.kind,
        "edition": written.edition.id,
        "title": written.edition.title,
        "audience": written.edition.audience.value,
        "classification": written.classification,
        "recipients": written.edition.recipients,
        "as_of": as_of,
        "commit": commit,
    }
    return NewFile(written.path.name, data, entry)
