"""The `itreport` command: parses options, calls the library, maps its errors to exit codes.

Exit codes: 0 fine, 1 bad data (or warnings with --strict), 2 bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from itreport.problems import ProblemsFound
from itreport.report import FORMATS
from itreport.schema import stale_schemas, write_schemas
from itreport.validate import Validation, validate_folder

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
    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    return validate_folder(content, private)


def _emit(result: Validation, fmt: str) -> None:
    if fmt == "text" and not result.problems:
        return
    text = FORMATS[fmt](result.problems, result.sources)
    if fmt == "text" and sys.stdout.isatty():
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
    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    if check:
        stale = stale_schemas(content)
        for name in stale:
            click.echo(f"{content / name}: out of date; run `itreport schema {content}`")
        sys.exit(EXIT_DATA if stale else EXIT_OK)
    for path, changed in write_schemas(content):
        click.echo(f"{'wrote' if changed else 'unchanged'} {path}")


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
) -> None:
    """Validate CONTENT, then write the briefings (HTML and PDF) into --out.

    A data error stops the build with the same report as `validate`; earlier outputs are left
    untouched.

    Example: itreport build content --out output --edition board
    """
    from itreport.build import FORMATS as OUTPUT_FORMATS  # WeasyPrint is slow to import: only here
    from itreport.build import BuildOptions, TemplateProblem, UsageProblem, build

    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    formats = OUTPUT_FORMATS if fmt == "all" else (fmt,)
    options = BuildOptions(content, out, formats, editions, strict, templates, private, since, tag)
    try:
        result = build(options)
    except ProblemsFound as exc:
        _emit(Validation(None, exc.problems, exc.sources), "text")
        what = "errors" if any(p.is_error for p in exc.problems) else "warnings (--strict)"
        click.echo(f"build stopped: fix the {what} above; earlier outputs were left as they were", err=True)
        sys.exit(EXIT_DATA)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except TemplateProblem as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("build stopped; earlier outputs were left as they were", err=True)
        sys.exit(EXIT_DATA)
    for p in result.validation.problems:
        if not p.is_error:
            click.echo(f"{p.file}:{p.line}:{p.col}: warning: {p.message}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for w in result.written:
        click.echo(f"{'wrote' if w.changed else 'unchanged'} {w.path}")
    if result.draft:
        click.echo("note: built from uncommitted changes; every page is marked DRAFT", err=True)
    if result.baseline:
        click.echo(f"compared with {result.baseline}", err=True)
    if result.tag:
        click.echo(f"tagged {result.tag}")


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
    console = Console(
        highlight=False, soft_wrap=True, no_color=not sys.stdout.isatty(), force_terminal=sys.stdout.isatty()
    )
    if baseline.warning:
        click.echo(f"warning: {baseline.warning}", err=True)
    changes = changes_since(baseline, analyse(result.content))
    if changes is None:
        if not baseline.warning:
            click.echo("no baseline: tag a briefing with `itreport build --tag`, or pass --since REF")
        sys.exit(EXIT_OK)
    div = result.content.division
    fmt, tr = Formatter(div.locale, div.currency), Translator(div.locale)
    console.print(
        f"[bold]{escape(tr('section_changes'))}[/bold] ({escape(changes.baseline_label)}, "
        f"{escape(fmt.date(changes.baseline_as_of))} → {escape(fmt.date(div.as_of))})"
    )
    if not changes.items:
        console.print(escape(tr("no_changes")))
    for title, rows in describe_all(changes, fmt, tr):
        console.print(f"\n[bold]{escape(title)}[/bold]")
        for change, text in rows:
            symbol, style = mark(change)
            console.print(f"  [{style}]{symbol}[/{style}] {escape(text)}")


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
