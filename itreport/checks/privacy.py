"""Restricted personal data (performance, discipline, salary) must not live in the repository."""

from __future__ import annotations

from itreport.checks import Checker
from itreport.models.people import RESTRICTED_FIELDS, PeopleFile, Person
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
    for person, name in _written(ctx):
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


def _written(ctx: Checker) -> tuple[tuple[Person, str], ...]:
    """Each (person, restricted field) a content file wrote (not merged from the private folder).

    Looked for file by file: a preview remembers the answer for a people file that did not change
    (there is seldom any, and 2,000 people are not looked through again at every rebuild).
    """
    return ctx.each("privacy.written", ctx.files_of(PeopleFile), None, _in_file)


def _in_file(file: PeopleFile) -> tuple[tuple[Person, str], ...]:
    return tuple(
        (person, name)
        for person in file.people
        for name in RESTRICTED_FIELDS
        if name in person.model_fields_set
    )
