"""Why a project is not green, in the edition's language (`reason.<key>` in the catalogues).

The analysis says why as a message key and values (`analyse.portfolio.Reason`); only here are
they turned into words, so a Swedish edition does not print "days against baseline".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator


def cause_text(reason: Any, fmt: Formatter, tr: Translator) -> str:
    """The reason as a phrase; the manager's own comment is shown as written, but for a closing
    full stop or semicolon: causes are phrases joined by "; ", and "covering.; Risk: …" reads
    as a typo in a board pack. An ellipsis stays."""
    key, pairs = getattr(reason, "key", None), getattr(reason, "values", None)
    if not isinstance(key, str) or not isinstance(pairs, tuple):
        raise TypeError("the cause filter takes a project's reason, such as h.reasons['schedule']")
    values = dict(pairs)
    if key == "comment":
        text = str(values.get("text", "")).rstrip()
        return text[:-1].rstrip() if text.endswith((".", ";")) and not text.endswith("..") else text
    if key == "slip":
        days = int(values["days"])
        return tr("reason.slip", days=fmt.signed(days), plural=days)
    if key == "slip_share":
        days = int(values["days"])
        share = fmt.percent(Decimal(values["pct"]), 1)
        return tr("reason.slip_share", days=fmt.signed(days), pct=share, plural=days)
    if key == "overrun":
        return tr("reason.overrun", pct=fmt.percent(Decimal(values["pct"]), 1, signed=True))
    if key == "risk":
        return tr("reason.risk", title=str(values["title"]), score=fmt.number(values["score"]))
    return tr(f"reason.{key}", **{name: str(value) for name, value in values.items()})
