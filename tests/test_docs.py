"""The docs must follow the code: commands, options, fields, enum values, tiers and examples.

README.md documents every command and option of the CLI; docs/content.md documents every field of
every content model (one section per model, its heading naming the model as `Name`), every enum
value, the data tier of every personal field, and carries YAML examples that parse and validate.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from itreport.cli import main
from itreport.load import parse
from itreport.models import KINDS
from itreport.models.briefings import AUDIENCE_TIERS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CONTENT_DOC = ROOT / "docs" / "content.md"

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
FENCE = re.compile(r"^```(\w*)\s*$")


# --- Markdown helpers ----------------------------------------------------------------------------


def sections(path: Path) -> list[tuple[str, list[str]]]:
    """(heading, lines) for every heading; a section runs to the next heading of any level.

    Lines inside fenced code blocks never count as headings (YAML comments start with '#').
    """
    out: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            out.append((match.group(2), []))
        else:
            out[-1][1].append(line)
    return out


def section_tree(path: Path, title: str) -> list[str]:
    """The lines under the heading containing `title`, down to the next heading of the same level."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fenced = False
    start, level = None, 0
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if not match:
            continue
        if start is None and title in match.group(2):
            start, level = i + 1, len(match.group(1))
        elif start is not None and len(match.group(1)) <= level:
            return lines[start:i]
    assert start is not None, f"{path.name} has no heading containing {title!r}"
    return lines[start:]


def code_blocks(lines: list[str], language: str | None = None) -> list[str]:
    """Fenced code blocks in `lines` (only those in `language` when given)."""
    blocks: list[str] = []
    current: list[str] | None = None
    lang = ""
    for line in lines:
        match = FENCE.match(line)
        if match and current is None:
            current, lang = [], match.group(1)
        elif match and current is not None:
            if language is None or lang == language:
                blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def table_rows(lines: list[str]) -> dict[str, list[str]]:
    """Table rows whose first cell is a single `name`, keyed by that name."""
    rows: dict[str, list[str]] = {}
    for line in lines:
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([A-Za-z0-9_.]+)`", cells[0])
        if match:
            rows[match.group(1)] = cells
    return rows


# --- Models --------------------------------------------------------------------------------------


def types_in(tp: Any) -> Iterator[type]:
    """Every class named in an annotation, through Annotated, Optional, unions, list and dict."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        yield from types_in(typing.get_args(tp)[0])
    elif origin is not None:
        for arg in typing.get_args(tp):
            yield from types_in(arg)
    elif isinstance(tp, type):
        yield tp


def reachable_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [model for model, _pattern in KINDS.values()]
    while todo:
        model = todo.pop(0)
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            todo.extend(t for t in types_in(info.annotation) if issubclass(t, BaseModel))
    return found


MODELS = reachable_models()


def enums_of(info: FieldInfo) -> list[type[StrEnum]]:
    return [t for t in types_in(info.annotation) if issubclass(t, StrEnum)]


def tier_of(info: FieldInfo) -> str | None:
    extra = info.json_schema_extra
    return str(extra["x-tier"]) if isinstance(extra, dict) and "x-tier" in extra else None


ENUM_FIELDS = [
    (model, name, enum)
    for model in MODELS
    for name, info in model.model_fields.items()
    for enum in enums_of(info)
]


def model_section(model: type[BaseModel]) -> list[str]:
    """The lines of the one docs/content.md section whose heading names the model as `Name`."""
    found = [lines for heading, lines in sections(CONTENT_DOC) if f"`{model.__name__}`" in heading]
    assert len(found) == 1, (
        f"docs/content.md needs exactly one heading naming `{model.__name__}`, found {len(found)}"
    )
    return found[0]


# --- README: commands, options, quick start --------------------------------------------------------


def test_readme_documents_the_group_options() -> None:
    text = README.read_text(encoding="utf-8")
    flags = [f for p in main.params if isinstance(p, click.Option) for f in p.opts if f.startswith("--")]
    assert flags, "the itreport group should have options (at least --version)"
    for flag in [*flags, "--help"]:
        assert flag in text, f"README.md does not mention `itreport {flag}`"


def leaf_commands(group: click.Group = main, prefix: str = "") -> dict[str, click.Command]:
    """Every command a user can run, by its full name ('add project'); groups are not leaves."""
    out: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out.update(leaf_commands(command, f"{full} "))
        else:
            out[full] = command
    return out


COMMANDS = leaf_commands()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_readme_documents_command_and_its_options(name: str) -> None:
    command = COMMANDS[name]
    text = "\n".join(section_tree(README, f"`itreport {name}`"))
    for param in command.params:
        if isinstance(param, click.Argument):
            assert param.human_readable_name in text, (
                f"`itreport {name}`: argument {param.human_readable_name}"
            )
            continue
        if not isinstance(param, click.Option):
            continue
        long_flags = [f for f in (*param.opts, *param.secondary_opts) if f.startswith("--")]
        assert long_flags, f"`itreport {name}`: option {param.name} has no long flag to document"
        for flag in long_flags:
            assert flag in text, f"README.md section for `itreport {name}` does not mention {flag}"
        if isinstance(param.type, click.Choice):
            for choice in param.type.choices:
                assert f"`{choice}`" in text, (
                    f"`itreport {name} {long_flags[0]}`: value `{choice}` undocumented"
                )
    example = re.search(r"Example:\s*(.+)", command.help or "")
    assert example, f"`itreport {name}` has no 'Example:' in its docstring"
    assert example.group(1).strip() in text, f"README.md lacks the example of `itreport {name}`"


def test_readme_has_no_section_for_a_command_that_does_not_exist() -> None:
    reference = "\n".join(section_tree(README, "CLI reference"))
    documented = set(re.findall(r"^#+\s+`itreport ([\w ]+)`", reference, flags=re.M))
    groups = {name for name, c in main.commands.items() if isinstance(c, click.Group)}
    assert documented == set(COMMANDS) | groups


def test_readme_quick_start_is_make_build_and_make_test() -> None:
    blocks = code_blocks(section_tree(README, "Quick start"))[:1]
    commands = [
        line.strip().removeprefix("$ ")
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert commands == ["make build", "make test"]


# --- docs/content.md: fields, enums, tiers, examples ---------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_content_doc_lists_every_field(model: type[BaseModel]) -> None:
    rows = table_rows(model_section(model))
    fields = model.model_fields
    missing = [name for name in fields if name not in rows]
    unknown = [name for name in rows if name not in fields]
    assert not missing, f"`{model.__name__}` fields missing from docs/content.md: {missing}"
    assert not unknown, f"docs/content.md documents fields `{model.__name__}` does not have: {unknown}"
    for name, info in fields.items():
        required = rows[name][2] if len(rows[name]) > 2 else ""
        assert required in ("yes", "no"), f"`{model.__name__}.{name}`: Required column must be yes or no"
        assert (required == "yes") == info.is_required(), (
            f"`{model.__name__}.{name}` is {'required' if info.is_required() else 'optional'} in the model"
        )


@pytest.mark.parametrize(
    ("model", "name", "enum"), ENUM_FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _e in ENUM_FIELDS]
)
def test_content_doc_lists_every_enum_value(model: type[BaseModel], name: str, enum: type[StrEnum]) -> None:
    row = " | ".join(table_rows(model_section(model))[name])
    missing = [member.value for member in enum if f"`{member.value}`" not in row]
    assert not missing, (
        f"`{model.__name__}.{name}`: values missing from its row in docs/content.md: {missing}"
    )


def test_content_doc_lists_the_tier_of_every_personal_field() -> None:
    marked = {
        (name, tier)
        for model in MODELS
        for name, info in model.model_fields.items()
        if (tier := tier_of(info)) is not None
    }
    assert marked, "no field carries an x-tier marker any more; update this test and the docs"
    rows = table_rows(section_tree(CONTENT_DOC, "Personal data tiers"))
    audiences = {a.value for a in AUDIENCE_TIERS}
    documented = {
        (key.rsplit(".", 1)[-1], cells[1].strip("`")) for key, cells in rows.items() if key not in audiences
    }
    assert documented == marked


def test_content_doc_lists_the_tiers_each_audience_may_read() -> None:
    rows = table_rows(section_tree(CONTENT_DOC, "Personal data tiers"))
    for audience, tiers in AUDIENCE_TIERS.items():
        assert audience.value in rows, f"audience `{audience.value}` missing from the tiers section"
        listed = {t.strip() for t in rows[audience.value][1].split(",")}
        assert listed == {t.value for t in tiers}, f"audience `{audience.value}` reads {sorted(tiers)}"


def yaml_examples() -> list[tuple[str, str]]:
    return [
        (heading, block) for heading, lines in sections(CONTENT_DOC) for block in code_blocks(lines, "yaml")
    ]


def test_content_doc_has_an_example_for_every_model() -> None:
    headings = {heading for heading, _block in yaml_examples()}
    missing = [m.__name__ for m in MODELS if not any(f"`{m.__name__}`" in h for h in headings)]
    assert not missing, f"models without a YAML example in docs/content.md: {missing}"


@pytest.mark.parametrize(("heading", "block"), yaml_examples(), ids=lambda v: v[:40])
def test_content_doc_yaml_examples_are_valid(heading: str, block: str) -> None:
    yaml.safe_load(block)
    # Read the example as itreport reads content (YAML 1.2 core scalars, positions, duplicate keys).
    doc, problems = parse("example.yaml", block.encode("utf-8"))
    assert doc is not None and not problems, [p.message for p in problems]
    model = next((m for m in MODELS if f"`{m.__name__}`" in heading), None)
    if model is None:
        return
    if isinstance(doc.data, list):
        TypeAdapter(list[model]).validate_python(doc.data)  # type: ignore[valid-type]
    else:
        model.model_validate(doc.data)
