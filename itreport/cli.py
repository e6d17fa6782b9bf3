"""The `itreport` command: parses options, calls the library, maps its errors to exit codes.

Exit codes: 0 fine, 1 bad data (or warnings with --strict), 2 bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from itreport.load import FolderSource
from itreport.report import FORMATS
from itreport.schema import stale_schemas, write_schemas
from itreport.validate import Validation, validate

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

content_arg = click.argument(
    "content",
    default="content",
    type=click.Path(file_okay=False, path_type=Path),
)


def _load(content: Path) -> Validation:
    if not content.is_dir():
        raise click.UsageError(f"content folder '{content}' does not exist")
    return validate(FolderSource(content, shown_as=str(content)))


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
def validate_cmd(content: Path, fmt: str, strict: bool) -> None:
    """Check every content file and report all problems at once.

    Exits 0 when the data is clean, 1 when it has errors (or warnings with --strict).

    Example: itreport validate content --format github
    """
    result = _load(content)
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
    for path in write_schemas(content):
        click.echo(f"wrote {path}")
