"""briefings.yaml: the editions built from one dataset, each for one audience."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

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


class SectionChoice(Model):
    section: SectionId
    depth: Depth = Depth.FULL


class Edition(Model):
    id: Id
    title: Label
    audience: Audience
    classification: Label | None = Field(
        default=None, description="Defaults to the division's classification."
    )
    sections: list[SectionId | SectionChoice] = Field(default=list(ALL_SECTIONS), min_length=1)
    filename: Annotated[str, Field(pattern=r"^[A-Za-z0-9{}._-]+$")] = Field(
        default="{id}-{period}", description="Output name without extension; {id}, {period}, {as_of} expand."
    )
    recipients: list[Label] = []
    pdf_variant: Annotated[str, Field(pattern=r"^pdf/(a-[1-4][abu]|ua-[12])$")] | None = None


class BriefingsFile(Model):
    editions: list[Edition] = Field(min_length=1)


DEFAULT_EDITION = Edition(id="briefing", title="IT division briefing", audience=Audience.EXECUTIVE)
