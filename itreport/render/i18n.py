"""The theme's labels in each language: a message catalogue per language, not `if` in templates."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources

import yaml
from babel import Locale

DEFAULT_LANGUAGE = "en"


@cache
def catalogue(language: str) -> dict[str, str]:
    """Labels for a language code ('sv', 'en'); unknown languages fall back to English."""
    base = _read(DEFAULT_LANGUAGE)
    if language == DEFAULT_LANGUAGE:
        return base
    try:
        own = _read(language)
    except FileNotFoundError:
        return base
    return {**base, **own}


def _read(language: str) -> dict[str, str]:
    text = resources.files("itreport").joinpath(f"locale/{language}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): str(v) for k, v in data.items()}


def languages() -> list[str]:
    return sorted(
        p.name.removesuffix(".yaml")
        for p in resources.files("itreport").joinpath("locale").iterdir()
        if p.name.endswith(".yaml")
    )


@cache
def plural_form(language: str, count: int) -> str:
    """CLDR plural category of `count` in `language` ('one', 'other', ...)."""
    return str(Locale.parse(language).plural_form(abs(count)))


def _form(language: str, count: object) -> str:
    if isinstance(count, bool) or not isinstance(count, int | Decimal):
        return "other"
    if isinstance(count, Decimal) and (not count.is_finite() or count != count.to_integral_value()):
        return "other"
    return plural_form(language, int(count))


class Translator:
    """`_('key')` in templates. A missing key is an error in tests (strict) so no label is lost.

    A label with plural forms is kept as `key.one`, `key.other` (CLDR categories) and chosen by
    the `count` value: `_('more_projects', count=1)` → "and 1 more project"; when the number is
    passed already formatted, `plural=` gives the number itself: `_('days', n='+1', plural=1)`.
    A count that is not a whole number ("fewer than 5", 1.5) takes the `other` form.
    """

    def __init__(self, locale: str, strict: bool = True) -> None:
        self.language = locale.split("_")[0]
        self.labels = catalogue(self.language)
        self.strict = strict

    def __call__(self, key: str, plural: object = None, **values: object) -> str:
        if key not in self.labels and f"{key}.other" in self.labels:
            form = _form(self.language, values.get("count") if plural is None else plural)
            key = f"{key}.{form}" if f"{key}.{form}" in self.labels else f"{key}.other"
        try:
            text = self.labels[key]
        except KeyError:
            if self.strict:
                raise KeyError(f"label '{key}' is missing from the message catalogue") from None
            text = key
        return text.format(**values) if values else text
