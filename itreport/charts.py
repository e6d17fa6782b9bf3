"""Charts for the briefings: data in, accessible inline SVG out.

Every function is pure and deterministic (same input, byte-identical output): no randomness, no clock,
no I/O, stdlib only. Each returns a `Chart` whose `svg` is an inline-embeddable `<svg>` element (root
has `width="100%"`, a `viewBox` 640 units wide, `role="img"` and `aria-labelledby` pointing at its own
`<title>` and `<desc>`) and whose `alt` states the data in words.

Money and FTE arrive as `Decimal`; they are converted to float only to place pixels. Every number
shown (inside the chart and in `alt`) goes through the caller's `fmt`, and every word through the
caller's `labels` (merged over the English defaults in the `*_LABELS` constants), so a Swedish
document gets Swedish charts. Sentence templates in `labels` (keys starting with `alt_`) use
`str.format` fields such as `{month}`; unknown fields are left as written rather than failing.

Element ids are `<chart_id>-title` and `<chart_id>-desc`. Without a `chart_id` one is derived from a
hash of the chart's content, so two different charts on one page never collide; pass your own
`chart_id` if the same chart may appear twice in one HTML document.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple

# Palette: calm and print-friendly.
GREEN = "#2e7d32"
AMBER = "#ef8f00"
RED = "#c62828"
GREY = "#9e9e9e"
NAVY = "#1f3a5f"
MID_BLUE = "#5b8db8"
LIGHT_BLUE = "#a9c6e0"
# Plan, actual and forecast are told apart by colour as well as by dash, so a reader never has to
# match line styles to a legend: plan a neutral slate, actual navy, forecast violet (not a RAG hue).
PLAN_COLOUR = "#6b7785"
ACTUAL_COLOUR = NAVY
FORECAST_COLOUR = "#7b3fa0"
GRIDLINE = "#d9dde3"
TEXT = "#333"
RAG_COLOURS: Mapping[str, str] = MappingProxyType({"green": GREEN, "amber": AMBER, "red": RED, "grey": GREY})

WIDTH = 640
DEFAULT_FONT = "Source Sans 3, DejaVu Sans, sans-serif"
# Type sizes in viewBox units. The default theme places every chart at the full text width of an A4
# page (178 mm = 504.6 pt), so one unit prints as 504.6 / 640 = 0.79 pt and the smallest text
# (SMALL_SIZE) as 7.9 pt. Placed at less than MIN_PRINT_WIDTH_MM a chart would print text under
# the 6 pt minimum: lay charts out one above the other, never side by side on a page.
TITLE_SIZE = 15
LABEL_SIZE = 11
SMALL_SIZE = 10
MIN_PRINT_SIZE_PT = 6.0
MIN_PRINT_WIDTH_MM = MIN_PRINT_SIZE_PT / SMALL_SIZE * WIDTH * 25.4 / 72

Fmt = Callable[[Decimal], str]

_COMMON_LABELS = {"no_data": "No data", "alt_no_data": "{title}: no data."}

CUMULATIVE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **_COMMON_LABELS,
        "plan": "Plan",
        "actual": "Actual",
        "forecast": "Forecast",
        "alt_to_date": "Cumulative spend to {month}: plan {plan}, actual {actual}.",
        "alt_forecast": "Full-year forecast {forecast} against plan {plan_total}.",
        "alt_plan": "Full-year plan {plan_total}.",
        "alt_no_actuals": "No actuals yet.",
    }
)
VARIANCE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **_COMMON_LABELS,
        "over": "Over plan",
        "under": "Under plan",
        "alt_intro": "Forecast minus plan by category:",
        "alt_over": "{value} over plan",
        "alt_under": "{value} under plan",
        "alt_on_plan": "on plan",
        "alt_item": "{label} {status}",
        "alt_net": "Net {status}.",
    }
)
RAG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **_COMMON_LABELS,
        "green": "Green",
        "amber": "Amber",
        "red": "Red",
        "grey": "Not assessed",
        "total": "{total} projects",
        "total_1": "1 project",
        "alt": "{total} projects by overall status: {parts}.",
        "alt_1": "1 project by overall status: {parts}.",
        "alt_part": "{count} {label}",
    }
)
TIMELINE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **_COMMON_LABELS,
        "baseline": "Baseline",
        "forecast": "Forecast",
        "actual": "Actual",
        "today": "Today",
        "alt_intro": "Milestones as of {date}:",
        "alt_item": "{label}: baseline {baseline}, {status}",
        "alt_key": "{label} (key milestone)",
        "alt_actual": "achieved {date}",
        "alt_forecast": "forecast {date}",
        "alt_no_forecast": "no forecast",
        "alt_late": "{days} days late",
        "alt_late_1": "1 day late",
        "alt_early": "{days} days early",
        "alt_early_1": "1 day early",
        "alt_on_time": "on time",
    }
)
HEATMAP_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **_COMMON_LABELS,
        "probability": "Probability",
        "impact": "Impact",
        "low": "Low",
        "medium": "Medium",
        "high": "High",
        "alt_intro": "{total} risks by probability and impact (1 to 5).",
        "alt_intro_1": "1 risk by probability and impact (1 to 5).",
        "alt_band": "{band} (score {scores}): {count}",
        "alt_cell": "probability {p}, impact {i}: {count}",
        "alt_cells": "By cell: {cells}.",
    }
)
HEADCOUNT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **_COMMON_LABELS,
        "employee": "Employees",
        "contractor": "Contractors",
        "consultant": "Consultants",
        "alt_intro": "Full-time equivalents by team and employment type:",
        "alt_employee": "employees",
        "alt_contractor": "contractors",
        "alt_consultant": "consultants",
        "alt_team": "{team} {total} ({parts})",
        "alt_team_only": "{team} {total}",
        "alt_part": "{label} {value}",
        "alt_total": "Total {total}.",
    }
)

EMPLOYMENT_TYPES = ("employee", "contractor", "consultant")
_SERIES_COLOURS = (NAVY, MID_BLUE, LIGHT_BLUE, GREY)
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAME = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Chart:
    """A rendered chart: `svg` is the inline element, `alt` its full text alternative."""

    title: str
    alt: str
    svg: str

    def __html__(self) -> str:
        """Jinja's `{{ chart }}` inserts the SVG unescaped (it is already escaped)."""
        return self.svg


class MilestoneRow(NamedTuple):
    """One row of `milestone_timeline`; a plain tuple in this order works as well."""

    label: str
    baseline: date
    forecast: date | None = None
    actual: date | None = None
    key: bool = False


class RiskBand(NamedTuple):
    """Scores up to and including `upto` get `colour`; `label` is a key into `labels` (or the text)."""

    upto: int
    colour: str
    label: str


DEFAULT_RISK_BANDS: tuple[RiskBand, ...] = (
    RiskBand(6, GREEN, "low"),
    RiskBand(12, AMBER, "medium"),
    RiskBand(25, RED, "high"),
)


def risk_bands(amber: Decimal, red: Decimal) -> tuple[RiskBand, ...]:
    """Bands from the division's risk-score threshold: a score at or above `amber` is amber, at or
    above `red` red (scores are whole numbers 1..25). A band no score can reach is left out."""
    out: list[RiskBand] = []
    for upto, colour, label in (
        (_last_below(amber), GREEN, "low"),
        (_last_below(red), AMBER, "medium"),
        (25, RED, "high"),
    ):
        upto = min(upto, 25)
        if upto >= 1 and (not out or upto > out[-1].upto):
            out.append(RiskBand(upto, colour, label))
    return tuple(out)


def _last_below(limit: Decimal) -> int:
    """The largest whole score below `limit` (12 → 11; 12.5 → 12)."""
    whole = int(limit.to_integral_value(rounding=ROUND_CEILING))
    return whole - 1


# --------------------------------------------------------------------------------------------------
# Default formatters


def default_fmt(value: Decimal) -> str:
    """One decimal, thousands separated by commas, a real minus sign: `1,234.5`, `−3.0`."""
    text = f"{value.quantize(Decimal('0.1')):,.1f}"
    if text == "-0.0":
        text = "0.0"
    return text.replace("-", "−")


def default_count_fmt(value: Decimal) -> str:
    """Counts and FTE: whole numbers without decimals, otherwise one decimal: `12`, `12.5`."""
    q = value.quantize(Decimal("0.1"))
    text = f"{q:,.0f}" if q == q.to_integral_value() else f"{q:,.1f}"
    if text in ("-0", "-0.0"):
        text = "0"
    return text.replace("-", "−")


def default_month_label(month: str) -> str:
    """`2026-10` -> `Oct` (axis ticks)."""
    m = _parse_month(month)
    return _MONTH_ABBR[m[1] - 1] if m else month


def default_month_name(month: str) -> str:
    """`2026-10` -> `October 2026` (text alternative)."""
    m = _parse_month(month)
    return f"{_MONTH_NAME[m[1] - 1]} {m[0]}" if m else month


def default_date_label(d: date) -> str:
    """Month tick on the timeline: `Oct`, with the year in January: `Jan 2027`."""
    return f"Jan {d.year}" if d.month == 1 else _MONTH_ABBR[d.month - 1]


def default_date_text(d: date) -> str:
    """A date in the text alternative: ISO 8601."""
    return d.isoformat()


def _parse_month(month: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


# --------------------------------------------------------------------------------------------------
# Text and SVG helpers

_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GENERIC_FONTS = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math"}
_CSS_WIDE = {"inherit", "initial", "unset", "revert"}


def _clean(text: str) -> str:
    """User text for display: no characters XML forbids, ASCII whitespace runs collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", _INVALID_XML.sub("", text)).strip()


def _esc(text: str) -> str:
    text = _INVALID_XML.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _font_family(family: str) -> str:
    """A CSS font-family list with names quoted (`Source Sans 3` is not a valid unquoted name)."""
    family = _clean(family)
    if family.lower() in _CSS_WIDE:
        return family
    names = []
    for raw in family.split(","):
        name = raw.strip().strip("'\"").strip()
        if not name:
            continue
        names.append(name if name.lower() in _GENERIC_FONTS else "'" + name.replace("'", "") + "'")
    return ", ".join(names) or "sans-serif"


# Advance widths of printable ASCII (space to tilde) in DejaVu Sans, in hundredths of an em. DejaVu is
# the widest font likely to be used, so estimates from it keep text inside the canvas.
# fmt: off
_WIDTHS = (
    32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79, 60, 79,
    69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28,
    58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84,
)
_WIDTHS_BOLD = (
    35, 46, 52, 84, 70, 100, 87, 31, 46, 46, 52, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70, 70, 70,
    70, 40, 40, 84, 84, 84, 58, 100, 77, 76, 73, 83, 68, 68, 82, 84, 37, 37, 77, 64, 100, 84, 85, 73,
    85, 77, 72, 68, 81, 77, 110, 77, 72, 73, 46, 37, 46, 84, 50, 50, 67, 72, 59, 72, 68, 44, 72, 71, 34,
    34, 67, 34, 104, 71, 69, 72, 72, 49, 60, 48, 71, 65, 92, 65, 65, 58, 71, 37, 71, 84,
)
# fmt: on


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str, bold: bool) -> float:
    table = _WIDTHS_BOLD if bold else _WIDTHS
    if " " <= ch <= "~":
        return table[ord(ch) - 32] / 100
    base = unicodedata.normalize("NFD", ch)[0]
    if " " <= base <= "~":  # accented Latin letters: as wide as the base letter
        return table[ord(base) - 32] / 100
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    return 0.85  # symbols such as … and −; generous


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated rendered width of `text` at font size `size` (DejaVu Sans metrics, plus 3 %)."""
    return sum(_char_width(ch, bold) for ch in text) * size * 1.03


def _truncate(text: str, max_width: float, size: float, *, bold: bool = False) -> str:
    """The longest start of `text` that fits with "…" appended (or all of it, if it fits).

    Each character is measured once (running sums), not the whole label again for every
    character removed: at 400 projects that re-measuring took over a second per chart.
    """
    text = _clean(text)
    if text_width(text, size, bold=bold) <= max_width:
        return text
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + _char_width(ch, bold))
    ellipsis = _char_width("…", bold)
    k = len(text)
    while k:
        kept = len(text[:k].rstrip())
        if (prefix[kept] + ellipsis) * size * 1.03 <= max_width:
            break
        k -= 1
    return text[:k].rstrip() + "…"


def _fill(template: str, **values: object) -> str:
    """`str.format_map` that leaves unknown fields as written instead of raising."""

    class _Keep(dict[str, object]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError):
        return template


def _plural(labels: Mapping[str, str], key: str, n: int) -> str:
    """`labels[key + "_1"]` for exactly one, when the caller's labels have it; else `labels[key]`."""
    return labels.get(f"{key}_1", labels[key]) if n == 1 else labels[key]


def _merge(defaults: Mapping[str, str], given: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's labels over the defaults. A caller's `key` without its own `key_1` drops the default
    (English) singular, so a translated plural template is used for one as well."""
    given = given or {}
    merged = {**defaults, **given}
    for key in given:
        if f"{key}_1" in defaults and f"{key}_1" not in given:
            del merged[f"{key}_1"]
    return merged


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = LABEL_SIZE,
    anchor: str = "start",
    bold: bool = False,
    fill: str | None = None,
    italic: bool = False,
    transform: str | None = None,
) -> str:
    attrs = f'x="{_f(x)}" y="{_f(y)}" font-size="{size:g}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if italic:
        attrs += ' font-style="italic"'
    if fill:
        attrs += f' fill="{fill}"'
    if transform:
        attrs += f' transform="{transform}"'
    return f"<text {attrs}>{_esc(_clean(text))}</text>"


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(w, 0.0))}" height="{_f(h)}" fill="{fill}"{extra}/>'


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, dash: str = "") -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{stroke}"'
        f' stroke-width="{width:g}"{d}/>'
    )


def _polyline(points: Sequence[tuple[float, float]], stroke: str, width: float, dash: str = "") -> str:
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    d = f' stroke-dasharray="{dash}" stroke-linecap="round"' if dash else ' stroke-linecap="round"'
    return (
        f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width:g}"'
        f' stroke-linejoin="round"{d}/>'
    )


def _polygon(points: Sequence[tuple[float, float]], fill: str, stroke: str = "", width: float = 1.5) -> str:
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    s = f' stroke="{stroke}" stroke-width="{width:g}"' if stroke else ""
    return f'<polygon points="{pts}" fill="{fill}"{s}/>'


def _circle(cx: float, cy: float, r: float, fill: str, stroke: str = "") -> str:
    s = f' stroke="{stroke}" stroke-width="1.5"' if stroke else ""
    return f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" fill="{fill}"{s}/>'


def _diamond(cx: float, cy: float, r: float, fill: str, stroke: str = "") -> str:
    return _polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill, stroke)


def _arrow(x: float, cy: float, r: float, pointing_left: bool, fill: str) -> str:
    tip = x - r if pointing_left else x + r
    back = x + r * 0.6 if pointing_left else x - r * 0.6
    return _polygon([(tip, cy), (back, cy - r), (back, cy + r)], fill)


def _baseline(cy: float, size: float) -> float:
    """The text baseline that centres a line of `size` text on `cy`."""
    return cy + size * 0.35


LegendSample = Callable[[float, float], str]


def _legend(
    entries: Sequence[tuple[LegendSample, str]], x: float, cy: float, limit: float = WIDTH
) -> list[str]:
    """A one-line legend: a 22-unit sample then the label, for each entry that fits before `limit`."""
    parts: list[str] = []
    for sample, label in entries:
        text = _truncate(label, 150, LABEL_SIZE)
        if x + 28 + text_width(text, LABEL_SIZE) > limit:
            break
        parts.append(sample(x, cy))
        parts.append(_text(x + 28, _baseline(cy, LABEL_SIZE), text))
        x += 28 + text_width(text, LABEL_SIZE) + 16
    return parts


def _line_sample(stroke: str, width: float, dash: str = "") -> LegendSample:
    return lambda x, cy: _polyline([(x + 1, cy), (x + 21, cy)], stroke, width, dash)


def _box_sample(fill: str) -> LegendSample:
    return lambda x, cy: _rect(x + 6, cy - 5, 10, 10, fill)


def _chart_id(chart_id: str | None, kind: str, payload: str) -> str:
    if chart_id:
        cid = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
        return cid if cid[0].isalpha() else "c-" + cid
    return f"{kind}-{hashlib.blake2s(payload.encode(), digest_size=5).hexdigest()}"


class _Frame(NamedTuple):
    chart_id: str | None
    font_family: str
    show_title: bool

    @property
    def top(self) -> float:
        """Where the chart body starts: below the visible title, if any."""
        return 30.0 if self.show_title else 4.0


def _finish(kind: str, title: str, alt: str, height: float, body: Iterable[str], frame: _Frame) -> Chart:
    title = _clean(title)
    alt = _clean(alt)
    inner = "".join(body)
    if frame.show_title:
        inner = (
            _text(0, 18, _truncate(title, WIDTH, TITLE_SIZE, bold=True), size=TITLE_SIZE, bold=True) + inner
        )
    h = math.ceil(height)
    cid = _chart_id(frame.chart_id, kind, f"{title}\n{alt}\n{h}\n{inner}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="100%"'
        f' role="img" aria-labelledby="{cid}-title {cid}-desc"'
        f' font-family="{_esc(_font_family(frame.font_family))}" font-size="{LABEL_SIZE}" fill="{TEXT}">'
        f'<title id="{cid}-title">{_esc(title)}</title><desc id="{cid}-desc">{_esc(alt)}</desc>'
        f"{inner}</svg>"
    )
    return Chart(title=title, alt=alt, svg=svg)


def _empty(kind: str, title: str, labels: Mapping[str, str], frame: _Frame) -> Chart:
    top = frame.top
    body = [
        _rect(0.5, top + 0.5, WIDTH - 1, 47, "none", f' stroke="{GRIDLINE}" stroke-dasharray="4 3"'),
        _text(WIDTH / 2, _baseline(top + 24, LABEL_SIZE), labels["no_data"], anchor="middle", italic=True),
    ]
    alt = _fill(labels["alt_no_data"], title=_clean(title))
    return _finish(kind, title, alt, top + 49, body, frame)


def nice_ticks(lo: Decimal, hi: Decimal, target: int = 5) -> list[Decimal]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [lo, hi] and zero."""
    lo, hi = min(lo, Decimal(0)), max(hi, Decimal(0))
    if lo == hi:
        hi = lo + 1
    span = hi - lo
    base = Decimal(1).scaleb((span / target).adjusted())
    step = base * 10
    for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if span / (base * m) <= target:
            step = base * m
            break
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING)
    exponent = step.normalize().as_tuple().exponent
    places = Decimal(1).scaleb(min(int(exponent), 0)) if isinstance(exponent, int) else Decimal(1)
    return [(k * step).quantize(places) for k in range(int(first), int(last) + 1)]


class _Scale:
    """Linear map from a Decimal domain to a float pixel range."""

    def __init__(self, lo: Decimal, hi: Decimal, p0: float, p1: float) -> None:
        self.lo, self.span = float(lo), float(hi - lo) or 1.0
        self.p0, self.p1 = p0, p1

    def __call__(self, v: Decimal) -> float:
        return self.p0 + (float(v) - self.lo) / self.span * (self.p1 - self.p0)


def _rounds_to_zero(text: str) -> bool:
    return not any(c in "123456789" for c in text)


def _signed(value: Decimal, fmt: Fmt) -> str:
    """The formatted value with its sign; a value that rounds to zero is "±0", never "+0" or "−0"."""
    text = fmt(value)
    if _rounds_to_zero(text):
        return "±" + text.lstrip("+-−")
    return "+" + text if value > 0 and not text.startswith("+") else text


# --------------------------------------------------------------------------------------------------
# 1. Cumulative spend


def cumulative_spend(
    months: Sequence[str],
    plan: Sequence[Decimal],
    actual: Sequence[Decimal | None],
    forecast: Sequence[Decimal | None],
    *,
    title: str = "Cumulative spend",
    fmt: Fmt = default_fmt,
    labels: Mapping[str, str] | None = None,
    month_label: Callable[[str], str] = default_month_label,
    month_name: Callable[[str], str] = default_month_name,
    chart_id: str | None = None,
    font_family: str = DEFAULT_FONT,
    show_title: bool = True,
    stand_in: Decimal = Decimal(0),
) -> Chart:
    """Cumulative plan (dashed slate), actual (solid navy) and forecast (dotted violet) over the year.

    `stand_in` is the forecast (or plan) put in place of actuals that are missing in year to date:
    the forecast line starts that much above the last actual, so it ends at the full-year forecast.

    Inputs are monthly amounts, one per month ("YYYY-MM"), all four sequences the same length.
    Actual runs to the last month with a value (earlier `None`s count as zero). Forecast continues
    from there to the last month; it is drawn when at least one later month has a forecast, and a
    later month without one falls back to its plan amount.
    """
    n = len(months)
    if not (len(plan) == len(actual) == len(forecast) == n):
        raise ValueError("months, plan, actual and forecast must have the same length")
    lab = _merge(CUMULATIVE_LABELS, labels)
    frame = _Frame(chart_id, font_family, show_title)
    if n == 0:
        return _empty("cumulative", title, lab, frame)

    cum_plan: list[Decimal] = []
    run = Decimal(0)
    for p in plan:
        run += p
        cum_plan.append(run)
    last = max((i for i, a in enumerate(actual) if a is not None), default=-1)
    cum_actual: list[Decimal] = []
    run = Decimal(0)
    for a in actual[: last + 1]:
        run += a if a is not None else Decimal(0)
        cum_actual.append(run)
    fc_points: list[tuple[int, Decimal]] = []
    if any(f is not None for f in forecast[last + 1 :]):
        run = (cum_actual[-1] if cum_actual else Decimal(0)) + stand_in
        if last >= 0:
            fc_points.append((last, run))
        for j in range(last + 1, n):
            f = forecast[j]
            run += f if f is not None else plan[j]
            fc_points.append((j, run))

    # Text alternative.
    sentences = []
    if last >= 0:
        sentences.append(
            _fill(
                lab["alt_to_date"],
                month=month_name(months[last]),
                plan=fmt(cum_plan[last]),
                actual=fmt(cum_actual[last]),
            )
        )
    if fc_points:
        sentences.append(
            _fill(lab["alt_forecast"], forecast=fmt(fc_points[-1][1]), plan_total=fmt(cum_plan[-1]))
        )
    elif last < n - 1:
        sentences.append(_fill(lab["alt_plan"], plan_total=fmt(cum_plan[-1])))
    if last < 0:
        sentences.append(lab["alt_no_actuals"])
    alt = " ".join(sentences)

    # Layout.
    top = frame.top
    legend_cy = top + 10
    plot_top = top + 30
    plot_bottom = plot_top + 200
    height = plot_bottom + 24
    values = cum_plan + cum_actual + [v for _, v in fc_points]
    ticks = nice_ticks(min(values), max(values))
    tick_texts = [fmt(t) for t in ticks]
    x0 = max(text_width(t, SMALL_SIZE) for t in tick_texts) + 8
    # Each end value names its series ("Plan 107.2 MSEK"), so the figures read without the legend.
    end_labels: list[tuple[Decimal, str, str, bool]] = [
        (cum_plan[-1], f"{lab['plan']} {fmt(cum_plan[-1])}", PLAN_COLOUR, False)
    ]
    if fc_points:
        end_labels.append(
            (fc_points[-1][1], f"{lab['forecast']} {fmt(fc_points[-1][1])}", FORECAST_COLOUR, True)
        )
    elif last == n - 1:
        end_labels.append((cum_actual[-1], f"{lab['actual']} {fmt(cum_actual[-1])}", ACTUAL_COLOUR, True))
    x1 = WIDTH - max(text_width(t, LABEL_SIZE, bold=b) for _, t, _, b in end_labels) - 8
    y = _Scale(ticks[0], ticks[-1], plot_bottom, plot_top)
    slot = (x1 - x0) / n

    def x(i: int) -> float:
        return x0 + (i + 0.5) * slot

    body: list[str] = []
    for t, text in zip(ticks, tick_texts, strict=True):
        yy = y(t)
        body.append(_line(x0, yy, x1, yy, GREY if t == 0 else GRIDLINE, 1))
        body.append(_text(x0 - 6, _baseline(yy, SMALL_SIZE), text, size=SMALL_SIZE, anchor="end"))
    month_texts = [_clean(month_label(m)) for m in months]
    widest = max(text_width(t, SMALL_SIZE) for t in month_texts)
    every = max(1, math.ceil((widest + 6) / slot))
    for i, text in enumerate(month_texts):
        if i % every == 0:
            w = text_width(text, SMALL_SIZE)
            cx = min(max(x(i), w / 2), WIDTH - w / 2)
            body.append(_text(cx, plot_bottom + 16, text, size=SMALL_SIZE, anchor="middle"))

    def series(points: Sequence[tuple[int, Decimal]], stroke: str, width: float, dash: str = "") -> None:
        if len(points) == 1:  # a line needs two points: show a lone value as a dot (hollow if dashed)
            fill = "#fff" if dash else stroke
            body.append(_circle(x(points[0][0]), y(points[0][1]), 3.5, fill, stroke))
        elif points:
            body.append(_polyline([(x(i), y(v)) for i, v in points], stroke, width, dash))

    series(list(enumerate(cum_plan)), PLAN_COLOUR, 1.5, "6 4")
    series(fc_points, FORECAST_COLOUR, 2.5, "1 4")
    series(list(enumerate(cum_actual)), ACTUAL_COLOUR, 2.5)
    if len(cum_actual) > 1:
        body.append(_circle(x(last), y(cum_actual[-1]), 3.5, ACTUAL_COLOUR))

    # End labels, pushed apart when they would overlap.
    placed = sorted(((y(v), text, colour, b) for v, text, colour, b in end_labels), key=lambda e: e[0])
    if len(placed) == 2 and placed[1][0] - placed[0][0] < 13:
        mid = (placed[0][0] + placed[1][0]) / 2
        placed = [(mid - 6.5, *placed[0][1:]), (mid + 6.5, *placed[1][1:])]
    for yy, text, colour, b in placed:
        yy = min(max(yy, plot_top - 4), plot_bottom + 4)
        body.append(_text(x1 + 6, _baseline(yy, LABEL_SIZE), text, fill=colour, bold=b))

    entries: list[tuple[LegendSample, str]] = [(_line_sample(PLAN_COLOUR, 1.5, "6 4"), lab["plan"])]
    if cum_actual:
        entries.append((_line_sample(ACTUAL_COLOUR, 2.5), lab["actual"]))
    if fc_points:
        entries.append((_line_sample(FORECAST_COLOUR, 2.5, "1 4"), lab["forecast"]))
    body.extend(_legend(entries, x0, legend_cy))
    return _finish("cumulative", title, alt, height, body, frame)


# --------------------------------------------------------------------------------------------------
# Helpers for charts with a label column and one bar per row


def _label_column(texts: Sequence[str], *, max_width: float = 190, bold: Sequence[bool] = ()) -> float:
    widths = [text_width(_clean(t), LABEL_SIZE, bold=bool(bold and bold[i])) for i, t in enumerate(texts)]
    return min(max(widths, default=0), max_width)


# --------------------------------------------------------------------------------------------------
# 2. Variance by category


def variance_by_category(
    items: Sequence[tuple[str, Decimal]],
    *,
    title: str = "Forecast variance by category",
    fmt: Fmt = default_fmt,
    labels: Mapping[str, str] | None = None,
    chart_id: str | None = None,
    font_family: str = DEFAULT_FONT,
    show_title: bool = True,
) -> Chart:
    """Diverging horizontal bars of variance (forecast − plan) per category, in the given order.

    Overspend (positive) is red and to the right of the zero line, underspend green and to the left;
    the signed value is written at the bar's end.
    """
    lab = _merge(VARIANCE_LABELS, labels)
    frame = _Frame(chart_id, font_family, show_title)
    if not items:
        return _empty("variance", title, lab, frame)

    def status(v: Decimal) -> str:
        if _rounds_to_zero(fmt(v)):
            return lab["alt_on_plan"]
        if v > 0:
            return _fill(lab["alt_over"], value=fmt(v))
        if v < 0:
            return _fill(lab["alt_under"], value=fmt(-v))
        return lab["alt_on_plan"]

    parts = [_fill(lab["alt_item"], label=_clean(name), status=status(v)) for name, v in items]
    net = sum((v for _, v in items), Decimal(0))
    alt = f"{lab['alt_intro']} {'; '.join(parts)}. {_fill(lab['alt_net'], status=status(net))}"

    top = frame.top
    rows_top = top + 28
    row_h, bar_h = 24.0, 14.0
    height = rows_top + row_h * len(items) + 6
    label_w = _label_column([name for name, _ in items])
    plot_x0 = label_w + 14
    plot_x1 = WIDTH - 2
    value_texts = [_signed(v, fmt) for _, v in items]
    widths = [(v, text_width(t, SMALL_SIZE) + 6) for (_, v), t in zip(items, value_texts, strict=True)]
    pos_w = max((w for v, w in widths if v >= 0), default=0.0)
    neg_w = max((w for v, w in widths if v < 0), default=0.0)
    lo = min(min(v for _, v in items), Decimal(0))
    hi = max(max(v for _, v in items), Decimal(0))
    if lo == hi:
        hi = Decimal(1)
    scale = _Scale(lo, hi, plot_x0 + neg_w, plot_x1 - pos_w)
    zero = scale(Decimal(0))

    body: list[str] = []
    for k, ((name, v), vt) in enumerate(zip(items, value_texts, strict=True)):
        cy = rows_top + row_h * (k + 0.5)
        body.append(
            _text(label_w + 2, _baseline(cy, LABEL_SIZE), _truncate(name, label_w, LABEL_SIZE), anchor="end")
        )
        end = scale(v)
        if v > 0:
            body.append(_rect(zero, cy - bar_h / 2, end - zero, bar_h, RED))
            body.append(_text(end + 4, _baseline(cy, SMALL_SIZE), vt, size=SMALL_SIZE))
        elif v < 0:
            body.append(_rect(end, cy - bar_h / 2, zero - end, bar_h, GREEN))
            body.append(_text(end - 4, _baseline(cy, SMALL_SIZE), vt, size=SMALL_SIZE, anchor="end"))
        else:
            body.append(_text(zero + 4, _baseline(cy, SMALL_SIZE), vt, size=SMALL_SIZE))
    body.append(_line(zero, rows_top - 2, zero, rows_top + row_h * len(items) + 2, TEXT, 1))
    body.extend(
        _legend([(_box_sample(RED), lab["over"]), (_box_sample(GREEN), lab["under"])], plot_x0, top + 10)
    )
    return _finish("variance", title, alt, height, body, frame)


# --------------------------------------------------------------------------------------------------
# 3. Portfolio RAG

RAG_ORDER = ("green", "amber", "red", "grey")
_RAG_TEXT = {"green": "#fff", "amber": TEXT, "red": "#fff", "grey": TEXT}


def portfolio_rag(
    counts: Mapping[str, int],
    *,
    title: str = "Projects by overall status",
    labels: Mapping[str, str] | None = None,
    chart_id: str | None = None,
    font_family: str = DEFAULT_FONT,
    show_title: bool = True,
) -> Chart:
    """One stacked bar of project counts by overall RAG ("green", "amber", "red", "grey"), with legend.

    Missing keys count as zero; unknown keys or negative counts are a ValueError.
    """
    unknown = set(counts) - set(RAG_ORDER)
    if unknown:
        raise ValueError(f"unknown RAG keys: {sorted(unknown)}")
    if any(c < 0 for c in counts.values()):
        raise ValueError("RAG counts must not be negative")
    lab = _merge(RAG_LABELS, labels)
    frame = _Frame(chart_id, font_family, show_title)
    # Green, amber and red are always stated (a board wants to read "0 red"); grey only when present.
    shown = [(k, counts.get(k, 0)) for k in RAG_ORDER if k != "grey" or counts.get(k, 0) > 0]
    present = [(k, c) for k, c in shown if c > 0]
    total = sum(c for _, c in present)
    if total == 0:
        return _empty("rag", title, lab, frame)

    parts = [_fill(lab["alt_part"], count=c, label=lab[k]) for k, c in shown]
    alt = _fill(_plural(lab, "alt", total), total=total, parts=", ".join(parts))

    top = frame.top
    bar_y, bar_h = top + 4, 30.0
    height = bar_y + bar_h + 30
    body: list[str] = []
    x = 0.0
    for k, c in present:
        w = WIDTH * c / total
        body.append(_rect(x, bar_y, w, bar_h, RAG_COLOURS[k]))
        text = str(c)
        if text_width(text, 13, bold=True) + 6 <= w:
            body.append(
                _text(
                    x + w / 2,
                    _baseline(bar_y + bar_h / 2, 13),
                    text,
                    size=13,
                    anchor="middle",
                    bold=True,
                    fill=_RAG_TEXT[k],
                )
            )
        x += w
    # White separators between segments keep them apart in greyscale print.
    x = 0.0
    for _, c in present[:-1]:
        x += WIDTH * c / total
        body.append(_line(x, bar_y, x, bar_y + bar_h, "#fff", 2))
    legend_cy = bar_y + bar_h + 16
    total_text = _fill(_plural(lab, "total", total), total=total)
    total_w = text_width(total_text, LABEL_SIZE, bold=True)
    entries = [(_box_sample(RAG_COLOURS[k]), f"{lab[k]} {c}") for k, c in shown]
    body.extend(_legend(entries, 0, legend_cy, limit=WIDTH - total_w - 8))
    body.append(_text(WIDTH, _baseline(legend_cy, LABEL_SIZE), total_text, anchor="end", bold=True))
    return _finish("rag", title, alt, height, body, frame)


# --------------------------------------------------------------------------------------------------
# 4. Milestone timeline


def _month_starts(start: date, end: date) -> list[date]:
    out = []
    d = date(start.year, start.month, 1)
    while d <= end:
        if d > start:
            out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def milestone_timeline(
    items: Sequence[MilestoneRow | tuple[str, date, date | None, date | None, bool]],
    *,
    start: date,
    end: date,
    as_of: date,
    title: str = "Milestones",
    labels: Mapping[str, str] | None = None,
    date_label: Callable[[date], str] = default_date_label,
    date_text: Callable[[date], str] = default_date_text,
    chart_id: str | None = None,
    font_family: str = DEFAULT_FONT,
    show_title: bool = True,
) -> Chart:
    """One row per milestone between `start` and `end`, with month ticks and a line at `as_of`.

    Baseline is a hollow navy diamond; actual a filled navy diamond, else forecast a filled violet
    one; a connector shows slip (red when later than baseline, green when earlier). Dates outside
    the window become an arrow at the edge. Key milestones have a bold label and larger markers.
    `date_label` formats the first day of each month for the ticks, `date_text` dates in `alt`.
    """
    if end <= start:
        raise ValueError("end must be after start")
    lab = _merge(TIMELINE_LABELS, labels)
    frame = _Frame(chart_id, font_family, show_title)
    rows = [MilestoneRow(*item) for item in items]
    if not rows:
        return _empty("timeline", title, lab, frame)

    def delta(base: date, other: date) -> str:
        days = (other - base).days
        if days == 0:
            return lab["alt_on_time"]
        word = "late" if days > 0 else "early"
        return _fill(_plural(lab, f"alt_{word}", abs(days)), days=abs(days))

    parts = []
    for r in rows:
        if r.actual is not None:
            st = f"{_fill(lab['alt_actual'], date=date_text(r.actual))}, {delta(r.baseline, r.actual)}"
        elif r.forecast is not None:
            st = f"{_fill(lab['alt_forecast'], date=date_text(r.forecast))}, {delta(r.baseline, r.forecast)}"
        else:
            st = lab["alt_no_forecast"]
        name = _fill(lab["alt_key"], label=_clean(r.label)) if r.key else _clean(r.label)
        parts.append(_fill(lab["alt_item"], label=name, baseline=date_text(r.baseline), status=st))
    alt = f"{_fill(lab['alt_intro'], date=date_text(as_of))} {'; '.join(parts)}."

    top = frame.top
    header_top = top + 26
    rows_top = header_top + 20
    row_h = 22.0
    rows_bottom = rows_top + row_h * len(rows)
    height = rows_bottom + 20
    label_w = _label_column([r.label for r in rows], max_width=180, bold=[r.key for r in rows])
    x0 = label_w + 18
    x1 = WIDTH - 10
    total_days = (end - start).days

    def x(d: date) -> float:
        return x0 + (d - start).days / total_days * (x1 - x0)

    body: list[str] = []
    # Month grid and header labels, centred on the visible part of each month.
    starts = _month_starts(start, end)
    bounds = [start, *starts, end] if (not starts or starts[-1] != end) else [start, *starts]
    texts = [_clean(date_label(date(a.year, a.month, 1))) for a in bounds[:-1]]
    body.append(_rect(x0, header_top, x1 - x0, rows_top - header_top - 2, "#f3f5f7"))
    # Month names centred on their month, left to right, skipping any that would collide or overhang.
    free_from = x0
    for text, (a, b) in zip(texts, pairwise(bounds), strict=True):
        half = text_width(text, SMALL_SIZE) / 2
        cx = min(max((x(a) + x(b)) / 2, x0 + half + 4), x1 - half - 4)  # nudged inside the plot,
        if x(a) <= cx <= x(b) and cx - half >= free_from:  # but never off its own month
            body.append(
                _text(cx, _baseline(header_top + 9, SMALL_SIZE), text, size=SMALL_SIZE, anchor="middle")
            )
            free_from = cx + half + 8
    for d in starts:
        if d < end:
            body.append(_line(x(d), rows_top, x(d), rows_bottom, GRIDLINE, 1))
    body.append(_line(x0, header_top, x0, rows_bottom, GREY, 1))
    body.append(_line(x1, header_top, x1, rows_bottom, GREY, 1))
    for k in range(len(rows) + 1):
        yy = rows_top + row_h * k
        body.append(_line(0 if k else x0, yy, x1, yy, GRIDLINE, 0.75))

    markers: list[str] = []
    for k, r in enumerate(rows):
        cy = rows_top + row_h * (k + 0.5)
        size_r = 6.5 if r.key else 5.0
        body.append(
            _text(
                label_w + 6,
                _baseline(cy, LABEL_SIZE),
                _truncate(r.label, label_w, LABEL_SIZE, bold=r.key),
                anchor="end",
                bold=r.key,
            )
        )
        done = r.actual
        effective = r.actual if r.actual is not None else r.forecast
        eff_colour = ACTUAL_COLOUR if done is not None else FORECAST_COLOUR
        if effective is not None and effective != r.baseline:
            xa, xb = sorted((x(r.baseline), x(effective)))
            xa, xb = max(xa, x0), min(xb, x1)
            if xb > xa:
                markers.append(_line(xa, cy, xb, cy, RED if effective > r.baseline else GREEN, 2))

        def mark(d: date, cy: float, r_: float, fill: str, stroke: str = "") -> None:
            if d < start:
                markers.append(_arrow(x0 + r_ * 0.6, cy, r_, True, stroke or fill))
            elif d > end:
                markers.append(_arrow(x1 - r_ * 0.6, cy, r_, False, stroke or fill))
            else:
                markers.append(_diamond(x(d), cy, r_, fill, stroke))

        mark(r.baseline, cy, size_r, "#fff", NAVY)
        if effective is not None:
            mark(effective, cy, size_r, eff_colour)
    body.extend(markers)

    if start <= as_of <= end:
        xt = x(as_of)
        body.append(_line(xt, header_top, xt, rows_bottom + 4, TEXT, 1.25, "4 3"))
        w = text_width(lab["today"], SMALL_SIZE, bold=True)
        body.append(
            _text(
                min(max(xt, w / 2), WIDTH - w / 2),
                rows_bottom + 15,
                lab["today"],
                size=SMALL_SIZE,
                anchor="middle",
                bold=True,
            )
        )

    entries: list[tuple[LegendSample, str]] = [
        (lambda lx, ly: _diamond(lx + 11, ly, 5, "#fff", NAVY), lab["baseline"]),
        (lambda lx, ly: _diamond(lx + 11, ly, 5, FORECAST_COLOUR), lab["forecast"]),
        (lambda lx, ly: _diamond(lx + 11, ly, 5, NAVY), lab["actual"]),
    ]
    body.extend(_legend(entries, x0, top + 10))
    return _finish("timeline", title, alt, height, body, frame)


# --------------------------------------------------------------------------------------------------
# 5. Risk heat map


def band_for(score: int, bands: Sequence[RiskBand] = DEFAULT_RISK_BANDS) -> RiskBand:
    """The band of a probability × impact score (the last band for anything above all bounds)."""
    for band in bands:
        if score <= band.upto:
            return band
    return bands[-1]


def risk_heatmap(
    cells: Mapping[tuple[int, int], int],
    *,
    title: str = "Risks by probability and impact",
    labels: Mapping[str, str] | None = None,
    bands: Sequence[RiskBand] = DEFAULT_RISK_BANDS,
    chart_id: str | None = None,
    font_family: str = DEFAULT_FONT,
    show_title: bool = True,
) -> Chart:
    """A 5×5 grid, probability 1..5 left to right, impact 1..5 bottom to top, coloured by band of p×i.

    `cells` maps (probability, impact) to a number of risks; cells with risks show the count and
    full colour, empty cells are paler. Keys outside 1..5 or negative counts are a ValueError.
    """
    if not bands:
        raise ValueError("at least one risk band is needed")
    for (p, i), c in cells.items():
        if not (1 <= p <= 5 and 1 <= i <= 5):
            raise ValueError(f"risk cell {(p, i)} is outside 1..5")
        if c < 0:
            raise ValueError("risk counts must not be negative")
    lab = _merge(HEATMAP_LABELS, labels)
    frame = _Frame(chart_id, font_family, show_title)
    total = sum(cells.values())
    if total == 0:
        return _empty("heatmap", title, lab, frame)

    scores_in: dict[RiskBand, list[int]] = {}
    for s in sorted({p * i for p in range(1, 6) for i in range(1, 6)}):
        scores_in.setdefault(band_for(s, bands), []).append(s)
    band_count = {b: 0 for b in bands}
    for (p, i), c in cells.items():
        band_count[band_for(p * i, bands)] += c

    def band_name(b: RiskBand) -> str:
        return lab.get(b.label, b.label)

    def score_range(b: RiskBand) -> str:
        s = scores_in.get(b, [])
        if not s:
            return "–"
        return str(s[0]) if s[0] == s[-1] else f"{s[0]}–{s[-1]}"

    band_parts = [
        _fill(lab["alt_band"], band=band_name(b), scores=score_range(b), count=band_count[b])
        for b in reversed(bands)
        if b in scores_in
    ]
    occupied = sorted(
        ((p, i, c) for (p, i), c in cells.items() if c > 0), key=lambda t: (-t[0] * t[1], -t[1])
    )
    cell_parts = [_fill(lab["alt_cell"], p=p, i=i, count=c) for p, i, c in occupied]
    alt = " ".join(
        [
            _fill(_plural(lab, "alt_intro", total), total=total),
            "; ".join(band_parts) + ".",
            _fill(lab["alt_cells"], cells="; ".join(cell_parts)),
        ]
    )

    top = frame.top
    cw, ch = 72.0, 38.0
    gx0, gy0 = 58.0, top + 8
    height = gy0 + 5 * ch + 38
    body: list[str] = []
    for p in range(1, 6):
        for i in range(1, 6):
            c = cells.get((p, i), 0)
            cx, cy = gx0 + (p - 1) * cw, gy0 + (5 - i) * ch
            band = band_for(p * i, bands)
            extra = ' stroke="#fff" stroke-width="2"' + ("" if c else ' fill-opacity="0.35"')
            body.append(_rect(cx, cy, cw, ch, band.colour, extra))
            if c:
                body.append(_circle(cx + cw / 2, cy + ch / 2, 12, "#fff"))
                body.append(
                    _text(
                        cx + cw / 2, _baseline(cy + ch / 2, 12), str(c), size=12, anchor="middle", bold=True
                    )
                )
    for k in range(1, 6):
        body.append(_text(gx0 + (k - 0.5) * cw, gy0 + 5 * ch + 14, str(k), size=SMALL_SIZE, anchor="middle"))
        body.append(
            _text(
                gx0 - 8,
                _baseline(gy0 + (5 - k + 0.5) * ch, SMALL_SIZE),
                str(k),
                size=SMALL_SIZE,
                anchor="end",
            )
        )
    body.append(
        _text(
            gx0 + 2.5 * cw,
            gy0 + 5 * ch + 32,
            _truncate(lab["probability"], 5 * cw, LABEL_SIZE, bold=True),
            anchor="middle",
            bold=True,
        )
    )
    ay = gy0 + 2.5 * ch
    body.append(
        _text(
            24,
            ay,
            _truncate(lab["impact"], 5 * ch, LABEL_SIZE, bold=True),
            anchor="middle",
            bold=True,
            transform=f"rotate(-90 {_f(24)} {_f(ay)})",
        )
    )
    lx = gx0 + 5 * cw + 28
    for k, b in enumerate(b for b in reversed(bands) if b in scores_in):
        ly = gy0 + 10 + k * 22
        body.append(_rect(lx, ly - 6, 12, 12, b.colour))
        text = f"{band_name(b)} ({score_range(b)}): {band_count[b]}"
        body.append(_text(lx + 18, _baseline(ly, LABEL_SIZE), _truncate(text, WIDTH - lx - 20, LABEL_SIZE)))
    return _finish("heatmap", title, alt, height, body, frame)


# --------------------------------------------------------------------------------------------------
# 6. Headcount by team


def headcount_by_team(
    rows: Sequence[tuple[str, Mapping[str, Decimal]]],
    *,
    title: str = "Headcount by team (FTE)",
    labels: Mapping[str, str] | None = None,
    fmt: Fmt = default_count_fmt,
    types: Sequence[str] = EMPLOYMENT_TYPES,
    chart_id: str | None = None,
    font_family: str = DEFAULT_FONT,
    show_title: bool = True,
) -> Chart:
    """Horizontal stacked bars of FTE per team, by employment type in `types` order; total at bar end.

    Missing types count as zero; a type not in `types` or a negative FTE is a ValueError.
    """
    for team, by_type in rows:
        extra = set(by_type) - set(types)
        if extra:
            raise ValueError(f"team {team!r}: unknown employment types {sorted(extra)}")
        if any(v < 0 for v in by_type.values()):
            raise ValueError(f"team {team!r}: FTE must not be negative")
    lab = _merge(HEADCOUNT_LABELS, labels)
    frame = _Frame(chart_id, font_family, show_title)
    if not rows:
        return _empty("headcount", title, lab, frame)

    colours = {t: _SERIES_COLOURS[k % len(_SERIES_COLOURS)] for k, t in enumerate(types)}
    ink = {t: "#fff" if colours[t] in (NAVY, MID_BLUE) else TEXT for t in types}
    totals = [sum((by_type.get(t, Decimal(0)) for t in types), Decimal(0)) for _, by_type in rows]
    grand = sum(totals, Decimal(0))

    team_parts = []
    for (team, by_type), tot in zip(rows, totals, strict=True):
        bits = [
            _fill(lab["alt_part"], label=lab.get(f"alt_{t}", lab.get(t, t)), value=fmt(by_type[t]))
            for t in types
            if by_type.get(t, Decimal(0)) > 0
        ]
        template = lab["alt_team"] if bits else lab["alt_team_only"]
        team_parts.append(_fill(template, team=_clean(team), total=fmt(tot), parts=", ".join(bits)))
    alt = f"{lab['alt_intro']} {'; '.join(team_parts)}. {_fill(lab['alt_total'], total=fmt(grand))}"

    top = frame.top
    rows_top = top + 28
    row_h, bar_h = 26.0, 16.0
    height = rows_top + row_h * len(rows) + 6
    label_w = _label_column([team for team, _ in rows])
    plot_x0 = label_w + 14
    total_texts = [fmt(t) for t in totals]
    total_w = max(text_width(t, LABEL_SIZE, bold=True) for t in total_texts) + 8
    plot_x1 = WIDTH - total_w
    top_total = max(totals)
    scale = _Scale(Decimal(0), top_total if top_total > 0 else Decimal(1), plot_x0, plot_x1)

    body: list[str] = [_line(plot_x0, rows_top - 2, plot_x0, rows_top + row_h * len(rows) + 2, GREY, 1)]
    for k, ((team, by_type), tot, tt) in enumerate(zip(rows, totals, total_texts, strict=True)):
        cy = rows_top + row_h * (k + 0.5)
        body.append(
            _text(label_w + 2, _baseline(cy, LABEL_SIZE), _truncate(team, label_w, LABEL_SIZE), anchor="end")
        )
        run = Decimal(0)
        for t in types:
            v = by_type.get(t, Decimal(0))
            if v <= 0:
                continue
            xa, xb = scale(run), scale(run + v)
            body.append(_rect(xa, cy - bar_h / 2, xb - xa, bar_h, colours[t]))
            vt = fmt(v)
            if text_width(vt, SMALL_SIZE) + 6 <= xb - xa:
                body.append(
                    _text(
                        (xa + xb) / 2,
                        _baseline(cy, SMALL_SIZE),
                        vt,
                        size=SMALL_SIZE,
                        anchor="middle",
                        fill=ink[t],
                    )
                )
            run += v
        body.append(_text(scale(tot) + 5, _baseline(cy, LABEL_SIZE), tt, bold=True))
    entries = [(_box_sample(colours[t]), lab.get(t, t)) for t in types]
    body.extend(_legend(entries, plot_x0, top + 10))
    return _finish("headcount", title, alt, height, body, frame)
