"""The `itreport` command: parses options, calls the library, maps its errors to exit codes.

Exit codes: 0 fine, 1 bad data (or warnings with --strict), 2 bad usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from itreport.controls import for_terminal
from itreport.problems import ProblemsFound
from itreport.report import FORMATS
from itreport.source.confine import folder_refusal

if TYPE_CHECKING:  # imported where used: a build with nothing changed must start fast
    from itreport.validate import Validation

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

content_arg = click.argument(
    "content",
    default="content",
    type=click.Path(file_okay=False, path_type=Path),
)


private_option = click.option(
    "--private",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    envvar="ITREPORT_PRIVATE",
    default=None,
    help="Folder outside the repository with restricted personal data (env ITREPORT_PRIVATE).",
)


def _load(content: Path, private: Path | None) -> Validation:
    from itreport.validate import validate_folder

    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    return validate_folder(content, private)


def _colour() -> bool:
    """Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _emit(result: Validation, fmt: str) -> None:
    if fmt == "text" and not result.problems:
        return
    text = FORMATS[fmt](result.problems, result.sources)
    if fmt == "text" and _colour():
        text = text.replace(": error:", ": " + click.style("error", fg="red", bold=True) + ":").replace(
            ": warning:", ": " + click.style("warning", fg="yellow", bold=True) + ":"
        )
    click.echo(text, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="itreport")
def main() -> None:
    """itreport: an IT division's staff, projects and budgets as YAML, rendered into briefings."""


@main.command("validate")
@content_arg
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for pull-request annotations.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@private_option
def validate_cmd(content: Path, fmt: str, strict: bool, private: Path | None) -> None:
    """Check every content file and report all problems at once.

    Exits 0 when the data is clean, 1 when it has errors (or warnings with --strict).

    Example: itreport validate content --format github
    """
    result = _load(content, private)
    _emit(result, fmt)
    if fmt == "text" and not result.problems:
        click.echo(f"{content}: no problems")
    sys.exit(EXIT_DATA if result.failed(strict) else EXIT_OK)


@main.command("schema")
@content_arg
@click.option("--check", is_flag=True, help="Only check that the schemas are current (exit 1 if not).")
def schema_cmd(content: Path, check: bool) -> None:
    """Write JSON Schemas for every kind of content file into CONTENT/schemas.

    Editors with the YAML language server use them (through the modeline at the top of each
    file) to autocomplete keys and flag mistakes while you type.

    Example: itreport schema content
    """
    from itreport.schema import stale_schemas, write_schemas

    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    refused = folder_refusal(content, "content folder")
    if refused is not None:
        click.echo(f"{content}: error: {refused.reason}\n  hint: {refused.hint}", err=True)
        sys.exit(EXIT_DATA)
    files = stale_schemas(content) if check else write_schemas(content)
    for f in files:
        if f.status == "refused":
            click.echo(f"{f.path}: error: {f.reason}; nothing was written there", err=True)
        elif f.status == "stale":
            click.echo(f"{f.path}: out of date; run `itreport schema {content}`")
        else:
            click.echo(f"{f.status} {f.path}")
    sys.exit(EXIT_DATA if any(f.status in ("refused", "stale") for f in files) else EXIT_OK)


@main.command("build")
@content_arg
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder the briefings are written to.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "all"]),
    default="all",
    show_default=True,
    help="Which outputs to write.",
)
@click.option(
    "--edition",
    "editions",
    multiple=True,
    metavar="ID",
    help="Build only this edition (repeatable); default: every edition in briefings.yaml.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of template overrides (default: templates/ beside CONTENT, if any).",
)
@click.option("--strict", is_flag=True, help="Refuse to build when the data has warnings.")
@private_option
@click.option(
    "--since",
    metavar="REF",
    default=None,
    help="Compare with the data at this git revision (default: the newest briefing/* tag).",
)
@click.option("--tag", is_flag=True, help="After building, tag HEAD as briefing/<as-of> (the next baseline).")
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes laying out PDFs at once; 0 is one per core (memory permitting).",
)
def build_cmd(
    content: Path,
    out: Path,
    fmt: str,
    editions: tuple[str, ...],
    templates: Path | None,
    strict: bool,
    private: Path | None,
    since: str | None,
    tag: bool,
    jobs: int,
) -> None:
    """Validate CONTENT, then write the briefings (HTML and PDF) into --out.

    A data error stops the build with the same report as `validate`; earlier outputs are left
    untouched. Editions whose inputs did not change are not rendered again, and a build with
    nothing changed only repeats the last report. The outputs are published as one set: a failed
    or killed build leaves the previous set whole. A second build into the same folder waits.

    Example: itreport build content --out output --edition board
    """
    from itreport import buildcache

    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    formats = ("html", "pdf") if fmt == "all" else (fmt,)
    key = None
    if not tag:  # a tagging build always runs: tagging is its point
        beside = content.resolve().parent / "templates"
        settings: dict[str, object] = {"out": out.resolve(), "formats": formats, "editions": editions}
        settings |= {"strict": strict, "templates": templates, "private": private, "since": since}
        key = buildcache.build_key(settings, content, private, templates or beside, since)
        lines = buildcache.previous_build(out, key)
        if lines is not None:
            click.echo("itreport: nothing changed since the last build", err=True)
            for to_stderr, text in lines:
                click.echo(text, err=to_stderr)
            return
    _build(content, out, formats, editions, strict, templates, private, since, tag, jobs, key)


def _build(
    content: Path,
    out: Path,
    formats: tuple[str, ...],
    editions: tuple[str, ...],
    strict: bool,
    templates: Path | None,
    private: Path | None,
    since: str | None,
    tag: bool,
    jobs: int,
    key: str | None,
) -> None:
    from itreport import buildcache
    from itreport.build import BuildOptions, TemplateProblem, UsageProblem, build
    from itreport.progress import build_progress
    from itreport.publish.stage import PublishError
    from itreport.validate import Validation

    options = BuildOptions(content, out, formats, editions, strict, templates, private, since, tag, jobs)
    options.on_wait = lambda: click.echo(
        f"waiting for another itreport build to finish writing into '{out}'…", err=True
    )
    try:
        with build_progress() as progress:
            result = build(options, progress)
    except ProblemsFound as exc:
        _emit(Validation(None, exc.problems, exc.sources), "text")
        what = "errors" if any(p.is_error for p in exc.problems) else "warnings (--strict)"
        click.echo(f"build stopped: fix the {what} above; earlier outputs were left as they were", err=True)
        sys.exit(EXIT_DATA)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except TemplateProblem as exc:
        click.echo(for_terminal(f"error: {exc}"), err=True)
        click.echo("build stopped; earlier outputs were left as they were", err=True)
        sys.exit(EXIT_DATA)
    except PublishError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_DATA)
    lines: list[tuple[bool, str]] = []
    for p in result.problems:
        if not p.is_error:
            where = f"{p.file}:{p.line}:{p.col}" if p.line else p.file  # as `validate` says it
            lines.append((True, for_terminal(f"{where}: warning: {p.message}")))
    lines += [(True, for_terminal(f"warning: {warning}")) for warning in result.warnings]
    written = [
        (False, for_terminal(f"{'wrote' if w.changed else 'unchanged'} {w.path}")) for w in result.written
    ]
    after: list[tuple[bool, str]] = []
    if result.draft:
        after.append((True, "note: built from uncommitted changes; every page is marked DRAFT"))
    if not result.versioned:
        after.append((True, "note: the content is not under version control; every page says so"))
    if result.baseline:
        after.append((True, for_terminal(f"compared with {result.baseline}")))
    for to_stderr, text in [*lines, *written, *after]:
        click.echo(text, err=to_stderr)
    if result.tag:
        click.echo(f"tagged {result.tag}")
    elif key is not None:
        same = [(False, for_terminal(f"unchanged {w.path}")) for w in result.written]
        files = [*(w.path for w in result.written), out / "manifest.json"]
        buildcache.remember_build(out, key, files, [*lines, *same, *after])


@main.command("diff")
@content_arg
@click.option(
    "--since",
    metavar="REF",
    default=None,
    help="Compare with the data at this git revision (default: the newest briefing/* tag).",
)
@private_option
def diff_cmd(content: Path, since: str | None, private: Path | None) -> None:
    """Print what changed since the last briefing: status, dates, money, risks, people.

    Colours when the output is a terminal, plain text otherwise. Exits 1 when the current data
    has errors, 2 when the baseline revision does not exist.

    Example: itreport diff content --since briefing/2026-09-30
    """
    from rich.console import Console
    from rich.markup import escape

    from itreport.analyse import analyse
    from itreport.baseline import BaselineError, changes_since, load_baseline
    from itreport.describe import describe_all, mark
    from itreport.render.formatting import Formatter
    from itreport.render.i18n import Translator

    result = _load(content, private)
    if result.content is None:
        _emit(result, "text")
        sys.exit(EXIT_DATA)
    try:
        baseline = load_baseline(content, since)
    except BaselineError as exc:
        raise click.UsageError(str(exc)) from None
    console = Console(highlight=False, soft_wrap=True, no_color=not _colour(), force_terminal=_colour())
    if baseline.warning:
        click.echo(for_terminal(f"warning: {baseline.warning}"), err=True)
    changes = changes_since(baseline, analyse(result.content))
    if changes is None:
        if not baseline.warning:
            click.echo("no baseline: tag a briefing with `itreport build --tag`, or pass --since REF")
        sys.exit(EXIT_OK)
    div = result.content.division
    fmt, tr = Formatter(div.locale, div.currency), Translator(div.locale)
    console.print(
        f"[bold]{escape(tr('section_changes'))}[/bold] ({escape(for_terminal(changes.baseline_label))}, "
        f"{escape(fmt.date(changes.baseline_as_of))} → {escape(fmt.date(div.as_of))})"
    )
    if not changes.items:
        console.print(escape(tr("no_changes")))
    for title, rows in describe_all(changes, fmt, tr):
        console.print(f"\n[bold]{escape(for_terminal(title))}[/bold]")
        for change, text in rows:
            symbol, style = mark(change)
            console.print(f"  [{style}]{symbol}[/{style}] {escape(for_terminal(text))}")


def _printable(text: str) -> str:
    """Names and server replies shown on a terminal: control characters as visible escapes."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


@main.command("distribute")
@content_arg
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder holding the build (manifest.json); the outbox and log are written here.",
)
@click.option("--edition", "editions", multiple=True, metavar="ID", help="Only this edition (repeatable).")
@click.option("--send", is_flag=True, help="Send the messages over SMTP (settings from ITREPORT_SMTP_*).")
@click.option("--dry-run", is_flag=True, help="Only show who would get which copy; write and send nothing.")
@click.option("--resend", is_flag=True, help="With --send: send copies that were sent before again.")
@click.option("--allow-draft", is_flag=True, help="Distribute a build made from uncommitted changes (DRAFT).")
@click.option(
    "--passwords",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    envvar="ITREPORT_PASSWORDS",
    default=None,
    help="YAML file outside the repository: PDF passwords per edition or recipient (env ITREPORT_PASSWORDS).",
)
@private_option
def distribute_cmd(
    content: Path,
    out: Path,
    editions: tuple[str, ...],
    send: bool,
    dry_run: bool,
    resend: bool,
    allow_draft: bool,
    passwords: Path | None,
    private: Path | None,
) -> None:
    """Give each person in recipients.yaml a personal copy of the built PDFs.

    Each copy carries the person's name and a copy id on every page; copies go into
    OUT/outbox as one .eml per person (or are sent with --send) and every copy is logged in
    OUT/distribution.jsonl. Exits 1 when the data has errors or a message could not be sent.

    Example: itreport distribute content --out output --send
    """
    from datetime import UTC, datetime

    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    if dry_run and send:
        raise click.UsageError("--dry-run and --send exclude each other")
    if resend and not send:
        raise click.UsageError("--resend only makes sense with --send")

    def now() -> datetime:
        return datetime.now(UTC)

    from contextlib import ExitStack

    from itreport.publish.lock import output_lock

    with ExitStack() as stack:
        if out.is_dir() and not out.is_symlink():
            # One writer at a time: a build must not swap the folder while copies are made from it.
            stack.enter_context(
                output_lock(out, lambda: click.echo("waiting for another itreport build…", err=True))
            )
        _distribute(content, out, editions, private, allow_draft, passwords, send, dry_run, resend, now)


def _distribute(
    content: Path,
    out: Path,
    editions: tuple[str, ...],
    private: Path | None,
    allow_draft: bool,
    passwords: Path | None,
    send: bool,
    dry_run: bool,
    resend: bool,
    now: Any,
) -> None:
    """The body of `distribute`, run while the output folder's lock is held."""
    from itreport.publish import distribute as dist
    from itreport.publish.passwords import PasswordError, load_passwords
    from itreport.publish.smtp import SmtpConfigError, settings_from_env
    from itreport.publish.watermark import StampError

    try:
        settings = settings_from_env(os.environ) if send else None
        secrets = load_passwords(passwords, content, os.environ)
        plan = dist.plan(dist.Options(content, out, editions, private, allow_draft), secrets)
    except ProblemsFound as exc:
        from itreport.validate import Validation

        _emit(Validation(None, exc.problems, exc.sources), "text")
        click.echo("distribute stopped: an edition whose data has errors cannot be distributed", err=True)
        sys.exit(EXIT_DATA)
    except (dist.Refused, PasswordError, SmtpConfigError) as exc:
        raise click.UsageError(str(exc)) from None
    if plan.draft:
        click.echo("warning: distributing a DRAFT build (--allow-draft)", err=True)
    for m in plan.messages:
        person = f"{_printable(m.recipient.name)} <{_printable(m.recipient.email)}>"
        what = ", ".join(
            f"{c.built.edition} (copy {c.copy_id}{', encrypted' if c.password else ''})" for c in m.copies
        )
        click.echo(f"{'would send' if dry_run else 'to'} {person}: {what}")
    if dry_run:
        click.echo(f"dry run: {sum(len(m.copies) for m in plan.messages)} copies, nothing written or sent")
        return
    try:
        made = dist.write_outbox(plan, now)
    except (StampError, ValueError) as exc:  # ValueError: a header the email package refuses
        click.echo(f"error: {_printable(str(exc))}", err=True)
        sys.exit(EXIT_DATA)
    click.echo(f"wrote {len(made)} messages to {out / dist.OUTBOX}, logged in {out / 'distribution.jsonl'}")
    deliveries = dist.deliver(plan, made, settings, resend=resend, now=now) if settings else None
    dist.record_in_manifest(plan, made, deliveries)
    if deliveries is None:
        return
    for d in deliveries:
        who = f"{_printable(d.made.planned.recipient.name)} <{_printable(d.made.planned.recipient.email)}>"
        click.echo(f"{d.status.replace('failed', 'NOT SENT')}: {who}: {_printable(d.detail)}")
    failed = [d for d in deliveries if d.status == "failed"]
    counts = {s: sum(d.status == s for d in deliveries) for s in ("sent", "skipped", "failed")}
    click.echo(f"{counts['sent']} sent, {counts['skipped']} already sent, {counts['failed']} not sent")
    if failed:
        sys.exit(EXIT_DATA)


@main.command("trace")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder holding distribution.jsonl.",
)
def trace_cmd(file: Path, out: Path) -> None:
    """Say whom a personal copy of a briefing was given to.

    Looks the file up in OUT/distribution.jsonl by its digest, then by the copy id in its
    metadata or printed on its pages (an encrypted copy asks for its password). Exits 1 when
    the copy is not in the log.

    Example: itreport trace leaked.pdf --out output
    """
    from itreport.publish.log import trace
    from itreport.publish.stage import sha256
    from itreport.publish.watermark import StampError, copy_ids_in, is_encrypted

    data = file.read_bytes()
    entries, how = trace(out, [], sha256(data))
    if not entries:
        password = click.prompt("password", hide_input=True, err=True) if is_encrypted(data) else None
        try:
            candidates, where = copy_ids_in(data, password)
        except StampError as exc:
            click.echo(for_terminal(f"{file}: {exc}"), err=True)
            sys.exit(EXIT_DATA)
        entries, how = trace(out, candidates, "")
        how = f"copy id in the {where}" if entries else how
        if not entries:
            shown = ", ".join(candidates) or "no copy id"
            # The copy id is the leaked file's own (a leaker can write anything in its metadata).
            click.echo(for_terminal(f"{file}: {shown}; not in {out / 'distribution.jsonl'}"), err=True)
            sys.exit(EXIT_DATA)
    first = entries[0]
    click.echo(
        for_terminal(
            f"{file}: copy {first.copy_id} of edition '{first.edition}' (as of {first.as_of}, "
            f"commit {(first.commit or 'none')[:12]}{', DRAFT' if first.draft else ''}), found by {how}"
        )
    )
    click.echo(f"given to: {_printable(first.name)} <{_printable(first.email)}> ({first.recipient})")
    for e in entries:
        click.echo(f"  {e.event} {e.time}")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(value: str | None, label: str, default: str) -> str:
    """An option's value: as given; else asked for on a terminal; else the default (scripts, CI)."""
    if value is not None:
        return value
    if _interactive():
        return str(click.prompt(label, default=default))
    return default


@main.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The division's name (default: IT).")
@click.option("--organisation", default=None, help="The company it belongs to.")
@click.option("--head", "head", default=None, help="The head of the division's full name.")
@click.option("--currency", default=None, help="ISO 4217 currency code (default: EUR).")
@click.option("--locale", "locale_name", default=None, help="Language of the briefings: en_GB or sv_SE.")
@click.option("--fiscal-year-start", type=int, default=None, help="Month number the fiscal year starts in.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The first briefing's date (default: the end of last month).",
)
@click.option("--no-git", is_flag=True, help="Do not run `git init` in the new folder.")
def new_cmd(
    folder: Path,
    name: str | None,
    organisation: str | None,
    head: str | None,
    currency: str | None,
    locale_name: str | None,
    fiscal_year_start: int | None,
    as_of: Any,
    no_git: bool,
) -> None:
    """Start a new division in FOLDER: valid, commented content, ready for git and CI.

    On a terminal it asks for what the options do not say; in scripts the defaults apply.
    Then `cd FOLDER && itreport build` writes a first briefing at once.

    Example: itreport new it-division --name "Group IT" --currency SEK --locale sv_SE
    """
    from datetime import date

    from itreport.scaffold import ScaffoldError, Settings, create_division, last_month_end

    settings = Settings(
        name=_ask(name, "Division name", "IT"),
        organisation=_ask(organisation, "Organisation", "Example Ltd"),
        head_name=_ask(head, "Head of the division (full name)", "Head of IT"),
        currency=_ask(currency, "Currency (ISO 4217)", "EUR").upper(),
        locale=_ask(locale_name, "Locale (en_GB, sv_SE)", "en_GB"),
        fiscal_year_start=int(
            _ask(
                None if fiscal_year_start is None else str(fiscal_year_start),
                "Fiscal year starts in month",
                "1",
            )
        ),
        as_of=as_of.date() if as_of is not None else last_month_end(date.today()),
    )
    try:
        written = create_division(folder, settings, git=not no_git)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    except ValueError:
        raise click.UsageError("--fiscal-year-start must be a month number 1-12") from None
    click.echo(f"created {folder} ({len(written)} files)")
    click.echo(f"next: cd {folder} && itreport validate && itreport build")


@main.group("add")
def add_group() -> None:
    """Write a new, valid, commented entry: a project, or this period's status report.

    Example: itreport add status erp-s4hana
    """


@add_group.command("project")
@click.argument("project_id", metavar="ID")
@content_arg
@click.option("--name", default=None, help="The project's name (default: from the id).")
def add_project_cmd(project_id: str, content: Path, name: str | None) -> None:
    """Start CONTENT/projects/ID.yaml, dated from division.yaml's as-of and period.

    Example: itreport add project crm-upgrade --name "CRM upgrade"
    """
    from itreport.scaffold import ScaffoldError
    from itreport.scaffold.entries import add_project

    try:
        path = add_project(content, project_id, name)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}")


@add_group.command("status")
@click.argument("project_id", metavar="PROJECT")
@content_arg
def add_status_cmd(project_id: str, content: Path) -> None:
    """Add a status report dated as-of to a project, colours carried from the last one.

    Edit its colours and comments, then validate. Nothing is written if the result would not
    validate, or if a report with that date exists.

    Example: itreport add status erp-s4hana
    """
    from itreport.scaffold import ScaffoldError
    from itreport.scaffold.entries import add_status

    try:
        path = add_status(content, project_id)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"updated {path}")


@main.command("demo")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--scale",
    type=click.Choice(["small", "medium", "large"]),
    default="small",
    show_default=True,
    help="small ≈ the example; medium ≈ 400 people, 80 projects; large ≈ 2,000 people, 400 projects.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Another seed gives another division.")
def demo_cmd(directory: Path, scale: str, seed: int) -> None:
    """Write a generated, valid division of the chosen size into DIRECTORY (new or empty).

    The same scale and seed always give the same files: use it to try itreport at the size of
    a large IT function, and to benchmark it.

    Example: itreport demo /tmp/division --scale medium
    """
    from itreport.demo import DemoError, write_demo

    try:
        written = write_demo(directory, scale, seed)
    except DemoError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {len(written)} content files into {directory}")


@main.command("serve")
@content_arg
@click.option(
    "--edition", "edition", metavar="ID", default=None, help="The edition to preview (default: the first)."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1; 0 picks a free one.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of template overrides (default: templates/ beside CONTENT, if any).",
)
@private_option
def serve_cmd(
    content: Path, edition: str | None, port: int, templates: Path | None, private: Path | None
) -> None:
    """Preview an edition in the browser; it rebuilds on every save and the page reloads itself.

    Serves on 127.0.0.1 only. Invalid data shows the located problems as the page, with the last
    good preview one click away; "Print preview" shows the paged PDF layout. Ctrl-C stops it.

    Example: itreport serve content --edition board --port 8000
    """
    import threading

    from itreport.serve import start, stop
    from itreport.serve.preview import PreviewOptions

    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    try:
        server, watcher = start(
            PreviewOptions(content, edition, templates, private), port, lambda m: click.echo(m, err=True)
        )
    except OSError as exc:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    click.echo(f"serving {server.url} (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        stop(server, watcher)


@main.group("theme")
def theme_group() -> None:
    """The default theme's templates: list them with their blocks, or copy one to override it.

    Example: itreport theme eject sections/cover.html
    """


def _override_folder(content: Path, templates: Path | None) -> Path:
    return templates if templates is not None else content.resolve().parent / "templates"


templates_folder_option = click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of template overrides (default: templates/ beside CONTENT).",
)


@theme_group.command("list")
@content_arg
@templates_folder_option
def theme_list_cmd(content: Path, templates: Path | None) -> None:
    """List the default templates, the blocks each offers, and which ones CONTENT overrides.

    Example: itreport theme list content
    """
    from itreport.render.theme import blocks_of, default_templates

    folder = _override_folder(content, templates)
    for name in default_templates():
        blocks = ", ".join(blocks_of(name)) if name.endswith(".html") else ""
        mark = " (overridden)" if (folder / name).is_file() else ""
        click.echo(f"{name}{mark}" + (f"  blocks: {blocks}" if blocks else ""))


@theme_group.command("eject")
@click.argument("name")
@content_arg
@templates_folder_option
def theme_eject_cmd(name: str, content: Path, templates: Path | None) -> None:
    """Copy the default template NAME into the override folder, to change it there.

    Better still, override only a block: a file that starts with
    {% extends "default:NAME" %} and redefines the blocks it changes keeps up with the default.

    Example: itreport theme eject sections/cover.html
    """
    from itreport.render.theme import ThemeError, eject

    try:
        path = eject(name, _override_folder(content, templates))
    except ThemeError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}")
