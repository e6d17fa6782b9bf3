"""Data-quality notes as sentences in the edition's language (dates and numbers in its locale)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from itreport.problems import Note, NoteValue
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator


def _value(key: str, value: NoteValue, fmt: Formatter) -> str:
    if isinstance(value, date):
        return fmt.date(value, "long")
    if isinstance(value, int):
        return fmt.number(value)
    if isinstance(value, Decimal):  # as written, up to two decimals: 0.6 stays 0.6 (0,6)
        exponent = value.as_tuple().exponent
        return fmt.number(value, min(2, max(0, -exponent)) if isinstance(exponent, int) else 2)
    if key == "month":  # 'YYYY-MM' from a budget file
        return fmt.month(value, "LLLL yyyy")
    return value


def note_text(note: Note, fmt: Formatter, tr: Translator) -> str:
    """The reader's sentence for one note: `dq_<name>` from the catalogue, values formatted."""
    raw = dict(note.values)
    return tr(note.key, plural=raw.get("count"), **{k: _value(k, v, fmt) for k, v in note.values})
