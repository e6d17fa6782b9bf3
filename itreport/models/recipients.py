"""recipients.yaml: who receives which edition, and which audiences each person is cleared for.

Two lists per person on purpose: `editions` says what they get, `cleared` what they may read. A
mismatch (someone put on the board edition who is not cleared for board papers) is a located error,
so a slip in one list cannot send a pack to the wrong reader.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from itreport.models.base import Id, Label, Model, Tier, tier
from itreport.models.briefings import Audience

# RFC 5321's longest address; the check for its form is `recipients.email` (checks/recipients.py).
Email = Annotated[str, StringConstraints(max_length=254)]


class Sender(Model):
    name: Label = Field(description="Shown as the sender of every message, e.g. 'Group IT'.")
    email: Email = Field(description="The From address of every message.")


class Recipient(Model):
    id: Id
    name: Label = Field(
        description="Full name, printed on every page of the person's copy.",
        json_schema_extra=tier(Tier.INTERNAL),
    )
    email: Email = Field(
        description="Where the copies are sent; never printed in a briefing.",
        json_schema_extra=tier(Tier.MANAGEMENT),
    )
    cleared: list[Audience] = Field(min_length=1, description="Audiences this person may read.")
    editions: list[Id] = Field(min_length=1, description="Edition ids (briefings.yaml) this person receives.")


class RecipientsFile(Model):
    sender: Sender
    recipients: list[Recipient] = Field(min_length=1)
