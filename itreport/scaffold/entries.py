"""`itreport add project` and `itreport add status`: the monthly chores, written for the manager.

A new entry is built from the division's date context (as-of, period, head) and written as
commented YAML text, so the file keeps its comments and layout. Nothing is written unless the
edited file still parses and validates against its model.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from itreport.load import Document, parse
from itreport.models.base import ID_PATTERN
from itreport.models.division import Division
from itreport.models.projects import Project
from itreport.scaffold import ScaffoldError, yaml_string

PROJECT_SCHEMA = "# yaml-language-server: $schema=../schemas/project.schema.json"


@dataclass(frozen=True)
class Context:
    """What a new entry is dated and owned by: taken from division.yaml."""

    as_of: date
    period_start: date
    head: str


def read_context(content: Path) -> Context:
    path = content / "division.yaml"
    if path.is_symlink() or not path.is_file():
        raise ScaffoldError(f"{path}: no division.yaml here; is '{content}' a content folder?")
    doc, problems = parse(str(path), path.read_bytes())
    if doc is None or problems:
        raise ScaffoldError(f"{path} has errors; run `itreport validate {content}` first")
    try:
        division = Division.model_validate(doc.data)
    except ValidationError:
        raise ScaffoldError(f"{path} has errors; run `itreport validate {content}` first") from None
    return Context(division.as_of, division.period.start, division.head)


def project_text(project_id: str, name: str, ctx: Context) -> str:
    """A new project file: valid as written, every field explained."""
    end = ctx.period_start.replace(year=ctx.period_start.year + 1)
    return f"""{PROJECT_SCHEMA}
# One project. Fields are explained in docs/content.md ("projects/<id>.yaml").
id: {project_id}
name: {yaml_string(name)}
# The business sponsor outside IT (name and title), and the business users who will use it.
sponsor: "To be named"
business_users: []
# Person ids: the accountable owner in the division, and the delegated project manager.
owner: {ctx.head}
manager: {ctx.head}
# run, grow or transform
investment_class: run
# initiation, planning, execution or closure
phase: initiation
# proposed, active, on_hold, completed or cancelled. Only active projects count as live.
state: proposed
# Link or path to the specification.
# specification: https://...
schedule:
  # The approved plan; add `forecast:` when it moves and `actual:` when it starts and ends.
  baseline: {{start: {ctx.period_start.isoformat()}, end: {end.isoformat()}}}
percent_complete: 0
budget:
  capex: 0
  opex: 0
  actual_to_date: 0
# Dated status reports, newest first: `itreport add status {project_id}` writes the next one.
status: []
# Milestones (id, name, baseline date, key: true for the board), risks (probability and impact
# 1-5), issues, decisions asked of others, dependencies and benefits.
milestones: []
risks: []
issues: []
decisions: []
dependencies: []
benefits: []
"""


def _check_project(path: Path, text: str) -> Project:
    doc, problems = parse(str(path), text.encode("utf-8"))
    if doc is None or problems:
        raise ScaffoldError(f"{path}: the edited file would not parse; nothing was written")
    try:
        return Project.model_validate(doc.data)
    except ValidationError:
        raise ScaffoldError(
            f"{path}: the edited file would not validate; nothing was written "
            f"(run `itreport validate` to see why)"
        ) from None


def _atomic_write(path: Path, text: str, mode: int | None = None) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _project_path(content: Path, project_id: str) -> Path:
    if not re.fullmatch(ID_PATTERN, project_id) or len(project_id) > 64:
        raise ScaffoldError(f"'{project_id}' is not a valid id: lower-case letters, digits, '.', '_' and '-'")
    folder = content / "projects"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ScaffoldError(f"{folder}: not a folder inside the content folder")
    return folder / f"{project_id}.yaml"


def add_project(content: Path, project_id: str, name: str | None = None) -> Path:
    ctx = read_context(content)
    path = _project_path(content, project_id)
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists")
    text = project_text(project_id, name or project_id.replace("-", " ").capitalize(), ctx)
    _check_project(path, text)
    path.parent.mkdir(exist_ok=True)
    _atomic_write(path, text)
    return path


DIMENSIONS = ("overall", "schedule", "cost", "scope", "resources")


def status_entry(project: Project, ctx: Context, indent: str) -> list[str]:
    """The next status report as YAML lines: dated as-of, colours carried from the last report."""
    last = max(project.status, key=lambda s: s.date) if project.status else None
    author = project.manager or project.owner
    lines = [f"- date: {ctx.as_of.isoformat()}", f"  author: {author}"]
    lines.append("  # What happened this period, in a sentence or two (Markdown):")
    lines.append("  # summary: ...")
    for dim in DIMENSIONS:
        assessment = getattr(last, dim) if last is not None else None
        if dim == "overall" or assessment is not None:
            rag = assessment.rag.value if assessment is not None else "green"
            note = "  # green, amber or red; add `comment:` to say why" if dim == "overall" else ""
            lines.append(f"  {dim}: {{rag: {rag}}}{note}")
    if last is not None and last.recovery is not None:
        r = last.recovery
        lines.append("  # The recovery action from the last report; keep it while amber or red:")
        lines.append(
            f"  recovery: {{action: {yaml_string(r.action)}, owner: {r.owner}, due: {r.due.isoformat()}}}"
        )
    else:
        lines.append("  # When amber or red, say what is being done:")
        lines.append("  # recovery: {action: ..., owner: person.id, due: YYYY-MM-DD}")
    return [indent + line for line in lines]


def _insert_status(doc: Document, project: Project, ctx: Context) -> str:
    lines = doc.text.splitlines()
    data = doc.data if isinstance(doc.data, dict) else {}
    if "status" not in data:
        entry = status_entry(project, ctx, "  ")
        body = "\n".join(lines).rstrip("\n")
        return f"{body}\nstatus:\n" + "\n".join(entry) + "\n"
    key = doc.keys[("status",)]
    key_line = lines[key.line - 1]
    if not project.status:
        # `status: []` (or `status:` with nothing): rewrite that one line as a block list.
        if not re.fullmatch(r"\s*status:\s*(\[\s*\])?\s*(#.*)?", key_line):
            raise ScaffoldError("the status list is written in a form `add status` cannot edit")
        indent = " " * (key.col - 1)
        entry = status_entry(project, ctx, indent + "  ")
        return "\n".join([*lines[: key.line - 1], f"{indent}status:", *entry, *lines[key.line :]]) + "\n"
    first = doc.values[("status", 0)]
    dash = lines[first.line - 1].rfind("-", 0, first.col - 1)
    if first.line == key.line or dash < 0 or lines[first.line - 1][:dash].strip():
        raise ScaffoldError("the status list is written in a form `add status` cannot edit; add it by hand")
    entry = status_entry(project, ctx, " " * dash)
    return "\n".join([*lines[: first.line - 1], *entry, *lines[first.line - 1 :]]) + "\n"


def add_status(content: Path, project_id: str) -> Path:
    ctx = read_context(content)
    path = _project_path(content, project_id)
    if path.is_symlink() or not path.is_file():
        raise ScaffoldError(
            f"{path}: no such project file (start one with `itreport add project {project_id}`)"
        )
    doc, problems = parse(str(path), path.read_bytes())
    if doc is None or problems:
        raise ScaffoldError(f"{path} has errors; run `itreport validate` first")
    try:
        project = Project.model_validate(doc.data)
    except ValidationError:
        raise ScaffoldError(f"{path} has errors; run `itreport validate` first") from None
    if any(s.date == ctx.as_of for s in project.status):
        raise ScaffoldError(f"{path}: a status report dated {ctx.as_of.isoformat()} exists already")
    text = _insert_status(doc, project, ctx)
    updated = _check_project(path, text)
    if len(updated.status) != len(project.status) + 1:
        raise ScaffoldError(f"{path}: the status report could not be added; nothing was written")
    _atomic_write(path, text, path.stat().st_mode & 0o777)
    return path
