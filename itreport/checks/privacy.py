"""Restricted personal data (performance, discipline, salary) must not live in the repository."""

from __future__ import annotations

from itreport.checks import Checker
from itreport.models.people import RESTRICTED_FIELDS
from itreport.problems import Note


def check(ctx: Checker) -> None:
    c = ctx.content
    for entry in c.private_sources.values():  # the private folder itself, committed by mistake
        if c.tracked is None or entry.source[0] not in c.tracked:
            continue
        for name in RESTRICTED_FIELDS:
            if name in entry.model_fields_set:
                ctx.error(
                    entry,
                    name,
                    at_key=True,
                    message=f"restricted field '{name}' is in a file that git tracks",
                    hint="keep the private folder outside the repository: move it, `git rm --cached` "
                    "the file and purge it from git history",
                    rule="privacy.restricted-tracked",
                )
    for person in c.people:
        for name in RESTRICTED_FIELDS:
            if name not in person.model_fields_set:
                continue  # not written in the content file (merged from the private folder, or absent)
            if c.tracked is not None and person.source[0] in c.tracked:
                ctx.error(
                    person,
                    name,
                    at_key=True,
                    message=f"restricted field '{name}' is in a file that git tracks",
                    hint="move it to people.yaml in the private folder (--private DIR or ITREPORT_PRIVATE), "
                    "remove it here, and purge it from git history",
                    rule="privacy.restricted-tracked",
                )
            else:
                ctx.warning(
                    person,
                    name,
                    at_key=True,
                    message=f"restricted field '{name}' is in the content folder",
                    hint="keep restricted fields in the private folder so they can never be committed",
                    rule="privacy.restricted-content",
                    note=Note("dq_restricted_in_content"),
                )
