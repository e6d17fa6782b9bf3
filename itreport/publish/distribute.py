"""`itreport distribute`: personal copies of a finished build for the people in recipients.yaml.

The briefings are not computed again: each copy is stamped from the PDF that `build` wrote, after
checking it against manifest.json. Before anything is written the run is refused when the content
has errors, when the build is a DRAFT (unless allowed), when the build is from another commit than
the content, or when a built PDF no longer matches its manifest entry. Clearance is checked again
here against the audience the manifest recorded, so a stale or edited build cannot slip through.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from itreport.build import default_templates
from itreport.gitrepo import provenance
from itreport.models.briefings import DEFAULT_EDITION, Audience
from itreport.models.recipients import Recipient, RecipientsFile
from itreport.problems import ProblemsFound
from itreport.publish import log
from itreport.publish.copyid import copy_id as make_copy_id
from itreport.publish.outbox import Attachment, Letter, compose, message_id
from itreport.publish.passwords import Passwords
from itreport.publish.smtp import FIRST_PAUSE, SmtpSettings, send
from itreport.publish.stage import atomic_write, sha256
from itreport.publish.watermark import encrypt_pdf, stamp_pdf
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator
from itreport.validate import validate_folder

OUTBOX = "outbox"


class Refused(Exception):
    """The distribution must not happen as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Built:
    """One edition's PDF from manifest.json, checked against the file on disk."""

    edition: str
    title: str
    audience: Audience
    file: str
    sha256: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class PlannedCopy:
    built: Built
    copy_id: str
    password: str | None = field(repr=False)


@dataclass(frozen=True)
class PlannedMessage:
    recipient: Recipient
    copies: tuple[PlannedCopy, ...]


@dataclass
class Plan:
    out: Path
    sender_name: str
    sender_email: str
    locale: str
    organisation: str
    division: str
    period: str
    as_of: str
    as_of_date: date
    commit: str | None
    draft: bool
    messages: list[PlannedMessage]


@dataclass(frozen=True)
class Options:
    content: Path
    out: Path
    editions: tuple[str, ...] = ()
    private: Path | None = None
    allow_draft: bool = False


def _manifest(out: Path) -> dict[str, Any]:
    path = out / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(f"{path} does not exist: build the briefings first (itreport build)") from None
    except (OSError, ValueError) as exc:
        raise Refused(f"{path} cannot be read ({exc}); build the briefings again") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise Refused(f"{path} is not an itreport manifest; build the briefings again")
    return data


def _built(out: Path, manifest: dict[str, Any]) -> dict[str, Built]:
    found: dict[str, Built] = {}
    for entry in manifest["files"]:
        if not isinstance(entry, dict) or entry.get("format") != "pdf":
            continue
        name = str(entry.get("file", ""))
        path = out / name
        if Path(name).name != name or not path.is_file():
            raise Refused(f"{path}: listed in manifest.json but missing; build the briefings again")
        data = path.read_bytes()
        if sha256(data) != entry.get("sha256"):
            raise Refused(
                f"{path} differs from the build recorded in manifest.json; build the briefings again"
            )
        try:
            audience = Audience(str(entry.get("audience")))
        except ValueError:
            raise Refused(f"{out / 'manifest.json'}: unknown audience for {name}; build again") from None
        edition = str(entry.get("edition"))
        found[edition] = Built(edition, str(entry.get("title", edition)), audience, name, sha256(data), data)
    return found


def plan(options: Options, passwords: Passwords) -> Plan:
    """Who gets which copy of which built edition; raises ProblemsFound or Refused."""
    validation = validate_folder(options.content, options.private)
    if validation.failed() or validation.content is None:
        raise ProblemsFound(validation.problems, validation.sources)
    content = validation.content
    recipients: RecipientsFile | None = content.recipients
    if recipients is None:
        raise Refused(f"{options.content}/recipients.yaml does not exist: list who receives which edition")
    manifest = _manifest(options.out)
    templates = default_templates(options.content)
    prov = provenance(options.content, [options.content, *([templates] if templates else [])])
    if manifest.get("commit") != prov.commit:
        raise Refused(
            f"the briefings in {options.out} were built from commit {manifest.get('commit') or 'none'}, "
            f"the content is at {prov.commit or 'none'}: build again before distributing"
        )
    draft = bool(manifest.get("draft"))
    if draft and not options.allow_draft:
        raise Refused(
            "the briefings were built from uncommitted changes (every page says DRAFT): commit, "
            "build again, or pass --allow-draft to send the DRAFT on purpose"
        )
    built = _built(options.out, manifest)
    editions = {e.id: e for e in (content.editions or [DEFAULT_EDITION])}
    wanted = set(options.editions or editions)
    unknown = sorted(wanted - set(editions))
    if unknown:
        raise Refused(f"unknown edition {', '.join(unknown)}; editions: {', '.join(sorted(editions))}")
    messages: list[PlannedMessage] = []
    for person in recipients.recipients:
        copies: list[PlannedCopy] = []
        for edition_id in dict.fromkeys(person.editions):
            if edition_id not in wanted:
                continue
            b = built.get(edition_id)
            if b is None:
                raise Refused(
                    f"edition '{edition_id}' (for {person.id}) is not in the build in {options.out}: "
                    f"build it, or distribute other editions with --edition"
                )
            if b.audience is not editions[edition_id].audience:
                raise Refused(f"edition '{edition_id}' was built for another audience; build again")
            if b.audience not in person.cleared:  # validation checks this too; never rely on one check
                raise Refused(f"recipient '{person.id}' is not cleared for edition '{edition_id}'")
            cid = make_copy_id(prov.commit, edition_id, person.email, b.sha256)
            copies.append(PlannedCopy(b, cid, passwords.for_copy(person.id, edition_id)))
        if copies:
            messages.append(PlannedMessage(person, tuple(copies)))
    div = content.division
    fmt = Formatter(div.locale, div.currency)
    return Plan(
        out=options.out,
        sender_name=recipients.sender.name,
        sender_email=recipients.sender.email,
        locale=div.locale,
        organisation=div.organisation,
        division=div.name,
        period=div.period.label or fmt.month(f"{div.period.end:%Y-%m}", "MMMM yyyy"),
        as_of=fmt.date(div.as_of, "long"),
        as_of_date=div.as_of,
        commit=prov.commit,
        draft=draft,
        messages=messages,
    )


@dataclass(frozen=True)
class Made:
    """One message as written to the outbox."""

    planned: PlannedMessage
    eml: Path
    data: bytes
    message_id: str
    entries: tuple[log.Entry, ...]
    letter: Letter


def _stamp_text(plan: Plan, name: str, cid: str) -> str:
    return Translator(plan.locale)("copy_stamp", name=name, copy_id=cid)


def write_outbox(plan: Plan, now: Callable[[], datetime]) -> list[Made]:
    """Stamp, encrypt and compose every message into a fresh outbox (replacing the last run's),
    then log each copy as written."""
    out = plan.out
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".outbox."))
    made: list[Made] = []
    try:
        for pm in plan.messages:
            person = pm.recipient
            attachments: list[Attachment] = []
            records: list[tuple[PlannedCopy, str, str, str]] = []
            for c in pm.copies:
                plain = stamp_pdf(
                    c.built.data,
                    _stamp_text(plan, person.name, c.copy_id),
                    c.copy_id,
                    person.name,
                    lang=plan.locale.split("_")[0],
                    as_of=plan.as_of_date,
                )
                data = encrypt_pdf(plain, c.password) if c.password else plain
                rel = f"{OUTBOX}/copies/{person.id}/{c.built.file}"
                atomic_write(staging / "copies" / person.id / c.built.file, data)
                attachments.append(Attachment(c.built.file, data, c.built.title, c.copy_id, bool(c.password)))
                records.append((c, rel, sha256(data), sha256(plain)))
            letter = Letter(
                plan.sender_name,
                plan.sender_email,
                person.name,
                person.email,
                plan.locale,
                plan.organisation,
                plan.division,
                plan.period,
                plan.as_of,
                tuple(attachments),
            )
            msg = compose(letter, plan.as_of_date)
            data = msg.as_bytes()
            atomic_write(staging / f"{person.id}.eml", data)
            when = now().isoformat(timespec="seconds")
            entries = tuple(
                _entry(plan, "written", when, pm, c, rel, digest, plain_digest, message_id(letter))
                for c, rel, digest, plain_digest in records
            )
            made.append(
                Made(pm, out / OUTBOX / f"{person.id}.eml", data, message_id(letter), entries, letter)
            )
        _swap(staging, out / OUTBOX)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.append(out, [e for m in made for e in m.entries])
    return made


def _swap(staging: Path, target: Path) -> None:
    """Replace the outbox folder as a whole, so it never mixes two runs' messages."""
    os.chmod(staging, 0o700)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=".outbox-old."))
        os.replace(target, old / "outbox")
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _entry(
    plan: Plan,
    event: str,
    when: str,
    pm: PlannedMessage,
    c: PlannedCopy,
    rel: str,
    digest: str,
    plain_digest: str,
    mid: str,
) -> log.Entry:
    person = pm.recipient
    return log.Entry(
        event=event,
        time=when,
        recipient=person.id,
        name=person.name,
        email=person.email,
        edition=c.built.edition,
        copy_id=c.copy_id,
        file=rel,
        sha256=digest,
        plain_sha256=plain_digest,
        source_sha256=c.built.sha256,
        commit=plan.commit,
        as_of=str(plan.as_of_date),
        draft=plan.draft,
        encrypted=c.password is not None,
        message_id=mid,
    )


@dataclass
class Delivery:
    made: Made
    status: str
    """'sent', 'failed' or 'skipped' (already sent; --resend sends again)."""
    detail: str
    attempts: int = 0
    copies: tuple[str, ...] = ()
    """The copy ids this delivery sent (or tried to send)."""


def deliver(
    plan: Plan,
    made: list[Made],
    settings: SmtpSettings,
    *,
    resend: bool,
    now: Callable[[], datetime],
    sleep: Callable[[float], None] = time.sleep,
    pause: float = FIRST_PAUSE,
) -> list[Delivery]:
    """Send every written message. Copies the log records as sent go again only with `resend`;
    a message with some copies sent before carries only the others (composed afresh)."""
    previous = log.sent_before(log.read(plan.out))
    results: list[Delivery] = []
    for m in made:
        todo = m.entries if resend else tuple(e for e in m.entries if e.copy_id not in previous)
        if not todo:
            first = previous[m.entries[0].copy_id].time
            results.append(Delivery(m, "skipped", f"already sent {first}; --resend sends it again"))
            continue
        data, mid, note = m.data, m.message_id, ""
        if len(todo) < len(m.entries):
            ids = {e.copy_id for e in todo}
            letter = replace(m.letter, attachments=tuple(a for a in m.letter.attachments if a.copy_id in ids))
            data, mid = compose(letter, plan.as_of_date).as_bytes(), message_id(letter)
            note = f" (only {', '.join(e.edition for e in todo)}: the other copies were sent before)"
        outcome = send(settings, plan.sender_email, m.planned.recipient.email, data, sleep=sleep, pause=pause)
        copies = tuple(e.copy_id for e in todo)
        if outcome.sent:
            when = now().isoformat(timespec="seconds")
            log.append(plan.out, [replace(e, event="sent", time=when, message_id=mid) for e in todo])
        status = "sent" if outcome.sent else "failed"
        results.append(Delivery(m, status, outcome.detail + note, outcome.attempts, copies))
    return results


def record_in_manifest(plan: Plan, made: list[Made], deliveries: list[Delivery] | None) -> None:
    """The 'distribution' section of manifest.json: this run's copies (addresses stay in the log)."""
    path = plan.out / "manifest.json"
    manifest = _manifest(plan.out)
    status = {c: d.status for d in deliveries or [] for c in d.copies}
    skipped = "skipped" if deliveries is not None else "written"
    manifest["distribution"] = [
        {
            "recipient": e.recipient,
            "name": e.name,
            "edition": e.edition,
            "copy_id": e.copy_id,
            "file": e.file,
            "sha256": e.sha256,
            "encrypted": e.encrypted,
            "status": status.get(e.copy_id, skipped),
        }
        for m in made
        for e in m.entries
    ]
    atomic_write(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
