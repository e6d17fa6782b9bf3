"""Locale-aware formatting of money, numbers, percentages and dates (Babel), as Jinja filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from itreport.analyse.money import shown_difference
from itreport.models.base import month_start

THOUSAND = Decimal(1000)
MILLION = Decimal(1_000_000)


class Formatter:
    """All number and date formatting for one document, bound to its locale and currency."""

    def __init__(self, locale: str, currency: str) -> None:
        from itreport.render.i18n import Translator

        self.locale = Locale.parse(locale)
        self.currency = currency
        tr = Translator(locale)
        # The edition's own words for the units: Swedish tables say "tSEK", and a chart or a
        # sentence beside them saying "kSEK" would read as another unit.
        self.kilo_unit = tr("unit_k", currency=currency)
        self.mega_unit = tr("unit_m", currency=currency)

    def number(self, value: Decimal | int | None, places: int = 0) -> str:
        if value is None:
            return "–"
        q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        text = format_decimal(abs(q), format=pattern, locale=self.locale)
        return f"−{text}" if q < 0 else text  # a true minus sign, in every locale

    def signed(self, value: Decimal | int | None, places: int = 0, sign_of: Decimal | None = None) -> str:
        """'+40', '−3', '±0'. With `sign_of` (the exact amount behind a rounded one), a zero keeps
        that amount's sign: a +98 SEK variance in a kSEK table prints "+0", not "±0"."""
        if value is None:
            return "–"
        text = self.number(abs(Decimal(value)), places)
        q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if q == 0 and sign_of:
            q = Decimal(sign_of)
        return ("+" if q > 0 else "−" if q < 0 else "±") + text

    def kilo(self, value: Decimal | None) -> str:
        """Amount in thousands, whole numbers (table cells; the caption names the unit)."""
        return "–" if value is None else self.number(value / THOUSAND)

    def signed_kilo(self, value: Decimal | None) -> str:
        return "–" if value is None else self.signed(value / THOUSAND)

    def amount(self, value: Decimal | None, scale: Any) -> str:
        """An amount in a table's or tile group's unit (`render.units.Scale`), without the unit."""
        return "–" if value is None else self.number(Decimal(value) / scale.factor, scale.places)

    def signed_amount(self, value: Decimal | None, scale: Any) -> str:
        """The same with its sign, for variance columns ('+40', '−3')."""
        return "–" if value is None else self.signed(Decimal(value) / scale.factor, scale.places)

    def amount_unit(self, value: Decimal | None, scale: Any, signed: bool = False) -> str:
        """An amount with its unit, for tiles and sentences: '13.0 MSEK', '+40 kEUR'."""
        if value is None:
            return "–"
        text = self.signed_amount(value, scale) if signed else self.amount(value, scale)
        return f"{text}\u00a0{scale.label}"

    def difference(
        self, minuend: Decimal | None, subtrahend: Decimal | None, scale: Any, unit: bool = False
    ) -> str:
        """`forecast|difference(plan, scales.tiles, true)`: the variance as the difference of the
        two amounts as printed in that unit: beside forecast 108.6 and plan 107.2 MSEK it prints
        "+1.4 MSEK", not the exact +1.487 rounded to "+1.5". A zero keeps the exact sign ("+0")."""
        if minuend is None or subtrahend is None:
            return "–"
        a, b = Decimal(minuend), Decimal(subtrahend)
        shown = shown_difference(a, b, scale.factor, scale.places)
        text = self.signed(shown / scale.factor, scale.places, sign_of=a - b)
        return f"{text}\u00a0{scale.label}" if unit else text

    def mega(self, value: Decimal | None, places: int = 1) -> str:
        """Amount in millions with the unit, for headline figures: '98.1 MSEK'."""
        return "–" if value is None else f"{self.number(value / MILLION, places)}\u00a0{self.mega_unit}"

    def signed_mega(self, value: Decimal | None, places: int = 1) -> str:
        return "–" if value is None else f"{self.signed(value / MILLION, places)}\u00a0{self.mega_unit}"

    def percent(self, value: Decimal | None, places: int = 1, signed: bool = False) -> str:
        """`value` is already in percent (12.5 → '12.5%' or '12,5 %').

        Cut toward zero, not rounded: the value is compared with thresholds of at most `places`
        decimals, and 9.96 % printed as "10.0 %" beside an amber colour would contradict it. A
        non-zero value never prints as zero: 0.04 % prints as "<0.1 %".
        """
        if value is None:
            return "–"
        exact = Decimal(value)
        step = Decimal(1).scaleb(-places)
        q = exact.quantize(step, rounding=ROUND_DOWN)
        tiny = q == 0 and exact != 0
        text = format_percent(
            (step if tiny else abs(q)) / 100, format=self._percent_pattern(places), locale=self.locale
        )
        if tiny:
            text = "<" + text
        if signed:
            return ("+" if exact > 0 else "−" if exact < 0 else "±") + text
        return ("−" if exact < 0 else "") + text

    def _percent_pattern(self, places: int) -> str:
        """The locale's own percent pattern ("#,##0 %" in Swedish) with `places` decimals."""
        fmt = self.locale.percent_formats[None]
        base = str(getattr(fmt, "pattern", "#,##0%"))
        return re.sub(r"0(?=[^0#]*$)", "0" + ("." + "0" * places if places else ""), base, count=1)

    def date(self, value: dt.date | None, style: str = "medium") -> str:
        if value is None:
            return "–"
        return format_date(value, format=style, locale=self.locale)

    def short_date(self, value: dt.date | None) -> str:
        return "–" if value is None else format_date(value, format="d MMM yy", locale=self.locale)

    def month(self, value: str, style: str = "MMM yyyy") -> str:
        return format_date(month_start(value), format=style, locale=self.locale)

    def month_short(self, value: str) -> str:
        return format_date(month_start(value), format="MMM", locale=self.locale)

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "number": self.number,
            "signed": self.signed,
            "kilo": self.kilo,
            "signed_kilo": self.signed_kilo,
            "mega": self.mega,
            "amount": self.amount,
            "signed_amount": self.signed_amount,
            "amount_unit": self.amount_unit,
            "difference": self.difference,
            "signed_mega": self.signed_mega,
            "percent": self.percent,
            "date": self.date,
            "short_date": self.short_date,
            "month": self.month,
        }
