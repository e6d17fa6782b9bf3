"""Cited figures formatted in the edition's locale, put back into the narrative's Markdown."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from itreport.analyse.money import shown_difference
from itreport.citations import Cited, Figure, Kind
from itreport.render.formatting import MILLION, THOUSAND, Formatter
from itreport.render.i18n import Translator


def _unit(value: Decimal, fmt: Formatter) -> tuple[Decimal, int, str]:
    """(factor, decimals, label) for an amount in prose: two significant digits at least."""
    size = abs(value)
    if size >= MILLION:
        return MILLION, 1, fmt.mega_unit
    if size >= 100 * THOUSAND:
        return MILLION, 2, fmt.mega_unit
    if size >= 10 * THOUSAND:
        return THOUSAND, 0, fmt.kilo_unit
    if size >= THOUSAND:
        return THOUSAND, 1, fmt.kilo_unit
    return Decimal(1), 0, fmt.currency


def money(value: Decimal, fmt: Formatter, operands: tuple[Decimal, Decimal] | None = None) -> str:
    """Money for prose with at least two significant digits: '108.6 MSEK', '0.45 MSEK', '45 kSEK'
    (the units in the edition's language: '45 tSEK' in Swedish).

    Never prints a non-zero amount as zero. A difference whose `operands` print in its own unit
    prints as the difference of the printed operands (`money.shown_difference`, the tables'
    rule): "108.6 MSEK against 107.2 MSEK" is 1.4 MSEK more, not the exact 1.487 rounded to 1.5.
    """
    factor, places, label = _unit(value, fmt)
    if operands is not None and all(_unit(x, fmt)[:2] == (factor, places) for x in operands):
        value = shown_difference(operands[0], operands[1], factor, places)
    return f"{fmt.number(value / factor, places)}\u00a0{label}"


def figure_text(fig: Figure, fmt: Formatter, tr: Translator) -> str:
    """The figure as a reader sees it; withheld counts as '<5', like the tables."""
    v = fig.value
    if v is None:
        if fig.withheld_below is not None:
            return tr("fewer_than", k=fig.withheld_below) if fig.kind == Kind.COUNT else tr("withheld")
        return "–"
    if isinstance(v, date):
        return fmt.date(v, "long")
    kind = Kind(fig.kind)
    if kind is Kind.MONEY:
        return money(Decimal(v), fmt, getattr(fig, "operands", None))
    if kind is Kind.PERCENT:
        return fmt.percent(Decimal(v), 1 if Decimal(v) % 1 else 0)
    if kind is Kind.SIGNED_PERCENT:
        return fmt.percent(Decimal(v), 1, signed=True)
    if kind is Kind.FTE:
        return fmt.number(v, 1)
    return fmt.number(v)


def resolve(text: str | Cited | None, fmt: Formatter, tr: Translator, markdown: bool = True) -> str:
    """The text with each figure written in. For Markdown the values are HTML-escaped (Markdown
    keeps entities); plain text is left for the template's autoescaping.

    Templates hold the frozen copies `itreport.plain` makes of `Cited` and `Figure` (same fields,
    other classes), so this reads fields rather than testing classes.
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    parts: tuple[str | Figure, ...] = text.parts
    return "".join(
        p
        if isinstance(p, str)
        else html.escape(figure_text(p, fmt, tr), quote=False)
        if markdown
        else figure_text(p, fmt, tr)
        for p in parts
    )
