"""Pydantic models of every kind of content file; the JSON Schemas are generated from these."""

from __future__ import annotations

from itreport.models.base import Model
from itreport.models.briefings import BriefingsFile
from itreport.models.budget import BudgetFile
from itreport.models.division import Division
from itreport.models.people import PeopleFile, PositionsFile, RolesFile, TeamsFile, TrainingFile
from itreport.models.projects import Project
from itreport.models.recipients import RecipientsFile
from itreport.models.strategy import NarrativeFile, StrategyFile

# Kind name → (root model, how the file is found relative to the content folder).
KINDS: dict[str, tuple[type[Model], str]] = {
    "division": (Division, "division.yaml"),
    "teams": (TeamsFile, "teams.yaml"),
    "people": (PeopleFile, "people.yaml"),
    "roles": (RolesFile, "roles.yaml"),
    "training": (TrainingFile, "training.yaml"),
    "positions": (PositionsFile, "positions.yaml"),
    "project": (Project, "projects/*.yaml"),
    "budget": (BudgetFile, "budget/*.yaml"),
    "strategy": (StrategyFile, "strategy.yaml"),
    "narrative": (NarrativeFile, "narrative.yaml"),
    "briefings": (BriefingsFile, "briefings.yaml"),
    "recipients": (RecipientsFile, "recipients.yaml"),
}

__all__ = ["KINDS", "Model"]
