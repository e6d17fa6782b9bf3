"""One ready-to-send e-mail per recipient, with their personal copies attached.

Headers are built with the standard library's header objects (`Address`), which refuse line
breaks, so a name can never add a header. Date, Message-ID and the MIME boundary are derived from
the as-of date and the copy ids: the same copies always give the same message bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from itreport.render.i18n import Translator

# RFC 5322's hard line limit: folding at 78 splits encoded words inside names such as
# "Lindqvist-Åkesson", which mail clients then show with a stray space.
POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    edition_title: str
    copy_id: str
    encrypted: bool


@dataclass(frozen=True)
class Letter:
    """What one message says: who sends, who receives, and in which language."""

    sender_name: str
    sender_email: str
    name: str
    email: str
    locale: str
    organisation: str
    division: str
    period: str
    as_of: str
    attachments: tuple[Attachment, ...]


def message_id(letter: Letter) -> str:
    key = "\0".join(a.copy_id for a in letter.attachments) + "\0" + letter.email.lower()
    domain = letter.sender_email.rsplit("@", 1)[-1]
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def compose(letter: Letter, as_of: date) -> EmailMessage:
    """The message for one recipient; raises ValueError if a name or address would break a header."""
    tr = Translator(letter.locale)
    titles = tr("mail_and").join(a.edition_title for a in letter.attachments)
    msg = EmailMessage(policy=POLICY)
    msg["From"] = Address(display_name=letter.sender_name, addr_spec=letter.sender_email)
    msg["To"] = Address(display_name=letter.name, addr_spec=letter.email)
    # Division and edition titles are content: any line break or control character becomes a space.
    subject = tr("mail_subject", division=letter.division, titles=titles, period=letter.period)
    msg["Subject"] = " ".join("".join(ch if ch.isprintable() else " " for ch in subject).split())
    msg["Date"] = format_datetime(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC))
    msg["Message-ID"] = message_id(letter)
    msg["X-ITReport-Copy-Ids"] = ", ".join(a.copy_id for a in letter.attachments)
    lines = [
        tr("mail_greeting", name=letter.name),
        "",
        tr("mail_body", titles=titles, period=letter.period, as_of=letter.as_of),
        "",
    ]
    lines += [tr("mail_copy_line", file=a.filename, copy_id=a.copy_id) for a in letter.attachments]
    lines += ["", tr("mail_personal")]
    if any(a.encrypted for a in letter.attachments):
        lines += ["", tr("mail_password")]
    lines += ["", letter.sender_name]
    msg.set_content("\n".join(lines) + "\n", charset="utf-8", cte="quoted-printable")
    for a in letter.attachments:
        msg.add_attachment(a.data, maintype="application", subtype="pdf", filename=a.filename)
    msg.set_boundary("itreport-" + hashlib.sha256(msg["Message-ID"].encode()).hexdigest()[:24])
    return msg
