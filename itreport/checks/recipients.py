"""recipients.yaml: every copy goes to a valid address, of an edition the person is cleared for.

Names and addresses end up in mail headers and on every page of a personal copy, so anything that
could break a header (line breaks), hide text (control and format characters) or overflow a footer
is refused here, at its line, before `distribute` ever sees it.
"""

from __future__ import annotations

import re
import unicodedata

from itreport.checks import Checker
from itreport.models.base import Model
from itreport.models.briefings import DEFAULT_EDITION
from itreport.problems import did_you_mean

NAME_MAX = 80
EMAIL_MAX = 254
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_RE = re.compile(rf"[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+")


def unsafe_characters(text: str) -> list[str]:
    """Characters that must not reach a header or a page: controls, line/paragraph separators,
    and invisible format characters (bidirectional overrides can make a name read differently)."""
    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")]


def is_email(text: str) -> bool:
    return len(text) <= EMAIL_MAX and EMAIL_RE.fullmatch(text) is not None


def _name(ctx: Checker, entity: Model, name: str) -> None:
    bad = unsafe_characters(name)
    if bad:
        codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad}))
        ctx.error(
            entity,
            "name",
            message=f"name contains a line break or an invisible control character ({codes})",
            hint="write the name on one line with visible characters only",
            rule="recipients.name",
        )
    elif not name.strip():
        ctx.error(
            entity,
            "name",
            message="name is empty",
            hint="write the person's full name",
            rule="recipients.name",
        )
    elif len(name) > NAME_MAX:
        ctx.error(
            entity,
            "name",
            message=f"name is {len(name)} characters long (at most {NAME_MAX})",
            hint="it is printed in every page's footer; shorten it",
            rule="recipients.name",
        )


def _email(ctx: Checker, entity: Model, email: str) -> None:
    if not is_email(email):
        ctx.error(
            entity,
            "email",
            message=f"'{email!s}' is not an e-mail address"
            if not unsafe_characters(email)
            else "e-mail address contains a line break or a control character",
            hint="write a plain address such as anna.berg@example.com (no display name, no spaces)",
            rule="recipients.email",
        )


def check(ctx: Checker) -> None:
    c = ctx.content
    if c.recipients is None:
        return
    # Every finding stands in recipients.yaml: a preview replays them while it is the same object
    # and the editions (compared by value) and whether briefings.yaml loaded are the same.
    settings = (tuple(c.editions), "briefings" in c.incomplete)
    ctx.kept_findings("recipients", (c.recipients,), _check, settings)


def _check(ctx: Checker) -> None:
    c = ctx.content
    file = c.recipients
    assert file is not None
    _name(ctx, file.sender, file.sender.name)
    _email(ctx, file.sender, file.sender.email)
    editions = {e.id: e for e in (c.editions or [DEFAULT_EDITION])}
    skip_refs = "briefings" in c.incomplete
    seen_ids: dict[str, Model] = {}
    seen_emails: dict[str, Model] = {}
    for person in file.recipients:
        _name(ctx, person, person.name)
        _email(ctx, person, person.email)
        for seen, key, value in ((seen_ids, "id", person.id), (seen_emails, "email", person.email.lower())):
            if value in seen:
                first_file, first = c.where(seen[value], key)
                ctx.error(
                    person,
                    key,
                    message=f"recipient {key} '{value}' appears twice",
                    hint=f"first listed at {first_file}:{first.line}; list each person once, "
                    "with all their editions",
                    rule="recipients.unique",
                )
            else:
                seen[value] = person
        for i, edition_id in enumerate(person.editions):
            edition = editions.get(edition_id)
            if edition is None:
                if not skip_refs:
                    ctx.error(
                        person,
                        "editions",
                        i,
                        message=f"unknown edition '{edition_id}'{did_you_mean(edition_id, editions)}",
                        hint="edition ids are defined in briefings.yaml",
                        rule="refs.resolve",
                    )
            elif edition.audience not in person.cleared:
                ctx.error(
                    person,
                    "editions",
                    i,
                    message=f"recipient '{person.id}' is not cleared for edition '{edition_id}' "
                    f"(audience {edition.audience.value}); cleared for: "
                    + ", ".join(a.value for a in person.cleared),
                    hint=f"add {edition.audience.value} to 'cleared' only if this person may read "
                    f"{edition.audience.value} papers; otherwise remove the edition",
                    rule="recipients.not-cleared",
                )
