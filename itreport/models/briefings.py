"""briefings.yaml: the editions built from one dataset, each for one audience."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PlainValidator, TypeAdapter, ValidationError, WithJsonSchema
from pydantic_core import PydanticCustomError

from itreport.models.base import Id, Label, Model, Tier


class Audience(StrEnum):
    BOARD = "board"
    EXECUTIVE = "executive"
    FINANCE = "finance"
    MANAGEMENT = "management"
    HR = "hr"


# Which data tiers each audience may read (documented in docs/content.md).
AUDIENCE_TIERS: dict[Audience, frozenset[Tier]] = {
    Audience.BOARD: frozenset({Tier.INTERNAL}),
    Audience.EXECUTIVE: frozenset({Tier.INTERNAL}),
    Audience.FINANCE: frozenset({Tier.INTERNAL}),
    Audience.MANAGEMENT: frozenset({Tier.INTERNAL, Tier.MANAGEMENT}),
    Audience.HR: frozenset({Tier.INTERNAL, Tier.MANAGEMENT, Tier.RESTRICTED}),
}
# Audiences that see people figures as totals only, with small counts suppressed.
TOTALS_ONLY = frozenset({Audience.BOARD, Audience.EXECUTIVE})


class SectionId(StrEnum):
    SUMMARY = "summary"
    CHANGES = "changes"
    PORTFOLIO = "portfolio"
    EXCEPTIONS = "exceptions"
    MILESTONES = "milestones"
    RISKS = "risks"
    FINANCE = "finance"
    PEOPLE = "people"
    STRATEGY = "strategy"
    PROBLEMS = "problems"
    APPENDIX = "appendix"


ALL_SECTIONS = tuple(SectionId)


class Depth(StrEnum):
    SUMMARY = "summary"
    FULL = "full"


# How many items the longest lists of an audience's edition show when briefings.yaml does not say.
DEFAULT_LIMITS: dict[Audience, int] = {Audience.BOARD: 10}
MAX_LIMIT = 1000


_WHOLE: TypeAdapter[int] = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_LIMIT)])


def _limit(value: object) -> int | str:
    """A whole number from 1 to MAX_LIMIT (read as other whole numbers are), or 'all': one clear
    error for anything else, instead of one per member of the union."""
    if value == "all":
        return "all"
    if not isinstance(value, bool):
        try:
            return _WHOLE.validate_python(value)
        except ValidationError:
            pass
    raise PydanticCustomError(
        "list_limit",
        "must be a whole number from 1 to {most}, or 'all' (got {value})",
        {"most": MAX_LIMIT, "value": str(value)},
    )


ListLimit = Annotated[
    int | Literal["all"],
    PlainValidator(_limit),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, {"const": "all"}]}),
]


class SectionChoice(Model):
    section: SectionId
    depth: Depth = Depth.FULL


FILE_NAME = r"^[A-Za-z0-9._-]*(\{(id|period|as_of)\}[A-Za-z0-9._-]*)*$"
"""What editors are told a file name may be: letters, digits, '.', '-', '_' and the placeholders."""


PLACEHOLDER = re.compile(r"\{(id|period|as_of)\}")
"""A placeholder of a file name; `Edition.output_name` fills it in."""


def _file_name(value: str) -> str:
    """Only the known placeholders, and no name that is hidden or climbs out of the folder."""
    rest = PLACEHOLDER.sub("", value)
    reason = ""
    if "/" in value or "\\" in value:
        reason = "contains a path separator"
    elif (bad := re.search(r"[^A-Za-z0-9{}._-]", value)) is not None:
        reason = f"contains {bad.group()!r}"
    elif not value:
        reason = "is empty"
    elif (brace := re.search(r"\{[^{}]*\}", rest)) is not None:
        reason = f"unknown placeholder '{brace.group()}'"
    elif "{" in rest or "}" in rest:
        reason = "a '{' or '}' outside a placeholder"
    elif value.startswith("."):
        reason = "starts with '.' (a hidden file)"
    elif ".." in value:
        reason = "contains '..'"
    if reason:
        raise PydanticCustomError("output_name", "file name {reason}", {"reason": reason})
    return value


class Edition(Model):
    id: Id
    title: Label
    audience: Audience
    classification: Label | None = Field(
        default=None, description="Defaults to the division's classification."
    )
    sections: list[SectionId | SectionChoice] = Field(default=list(ALL_SECTIONS), min_length=1)
    filename: Annotated[str, AfterValidator(_file_name), Field(json_schema_extra={"pattern": FILE_NAME})] = (
        Field(
            default="{id}-{period}",
            description="Output name without extension; {id}, {period}, {as_of} expand.",
        )
    )
    recipients: list[Label] = []
    pdf_variant: Annotated[str, Field(pattern=r"^pdf/(a-[1-4][abu]|ua-[12])$")] | None = None
    limit: ListLimit | None = Field(
        default=None,
        description=(
            "Most items in each long list (decisions, exceptions, projects and open positions of a "
            "summary section), worst first, the rest counted; 'all' for every item. "
            "Default: 10 for the board audience, all for the others."
        ),
    )

    @property
    def list_limit(self) -> int | None:
        """The limit in force: None when every item is shown."""
        if self.limit == "all":
            return None
        return self.limit if self.limit is not None else DEFAULT_LIMITS.get(self.audience)

    def output_name(self, period_month: str, as_of: str) -> str:
        """The file name without extension: the pattern with its placeholders filled in."""
        values = {"id": self.id, "period": period_month, "as_of": as_of}
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], self.filename)


class BriefingsFile(Model):
    editions: list[Edition] = Field(min_length=1)


DEFAULT_EDITION = Edition(id="briefing", title="IT division briefing", audience=Audience.EXECUTIVE)
