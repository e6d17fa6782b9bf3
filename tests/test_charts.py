"""Charts: valid, deterministic, accessible SVG whose geometry and words match the data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from decimal import Decimal as D

import pytest

from itreport import charts
from itreport.charts import (
    ACTUAL_COLOUR,
    AMBER,
    FORECAST_COLOUR,
    GREEN,
    GREY,
    MID_BLUE,
    NAVY,
    PLAN_COLOUR,
    RED,
    Chart,
    MilestoneRow,
    RiskBand,
)

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "R&D <script>alert('x')</script>"


def kr(value: D) -> str:
    """A formatter unlike the default, so tests prove the caller's formatter is used."""
    return f"{value:.2f} kr"


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def els(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(SVG + tag))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in els(root, "text")]


def num(el: ET.Element, attr: str) -> float:
    return float(el.attrib[attr])


def viewbox(root: ET.Element) -> tuple[float, float]:
    _, _, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return w, h


MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
PLAN = [D("7.9")] * 11 + [D("8.1")]
ACTUAL: list[D | None] = [D("7.1"), D("7.6"), D("8.0"), D("7.4"), D("7.9"), D("7.2"), D("6.1"), D("8.4")]
ACTUAL += [D("7.7"), D("6.6"), None, None]
FORECAST: list[D | None] = [None] * 10 + [D("12.0"), D("12.1")]

MILESTONES = [
    MilestoneRow("Design sign-off", date(2026, 2, 15), None, date(2026, 2, 20)),
    MilestoneRow("Go-live", date(2026, 9, 1), date(2026, 11, 15), None, True),
    MilestoneRow("Started last year", date(2025, 11, 1), None, date(2025, 12, 1)),
    MilestoneRow("Pushed into next year", date(2026, 11, 1), date(2027, 3, 1)),
    MilestoneRow("No forecast yet", date(2026, 6, 10)),
]
START, END, AS_OF = date(2026, 1, 1), date(2026, 12, 31), date(2026, 10, 3)
RISKS = {(4, 5): 2, (3, 3): 4, (1, 2): 1, (5, 1): 3}
TEAMS = [
    ("Platform", {"employee": D(10), "contractor": D("2.5")}),
    ("Service desk", {"employee": D(8), "consultant": D(1)}),
]

BUILDERS: dict[str, Callable[[], Chart]] = {
    "cumulative": lambda: charts.cumulative_spend(MONTHS, PLAN, ACTUAL, FORECAST, fmt=kr),
    "variance": lambda: charts.variance_by_category([("Hosting", D("3.1")), ("Licences", D("-1.2"))], fmt=kr),
    "rag": lambda: charts.portfolio_rag({"green": 7, "amber": 3, "red": 1, "grey": 1}),
    "timeline": lambda: charts.milestone_timeline(MILESTONES, start=START, end=END, as_of=AS_OF),
    "heatmap": lambda: charts.risk_heatmap(RISKS),
    "headcount": lambda: charts.headcount_by_team(TEAMS),
}


# --------------------------------------------------------------------------------------------------
# Properties every chart shares


@pytest.mark.parametrize("kind", BUILDERS)
def test_root_is_accessible_inline_svg(kind: str) -> None:
    chart = BUILDERS[kind]()
    root = parse(chart)
    assert root.tag == SVG + "svg"
    assert root.attrib["width"] == "100%" and root.attrib["role"] == "img"
    assert viewbox(root)[0] == 640
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    (title,) = [e for e in root if e.attrib.get("id") == title_id]
    (desc,) = [e for e in root if e.attrib.get("id") == desc_id]
    assert title.tag == SVG + "title" and title.text == chart.title
    assert desc.tag == SVG + "desc" and desc.text == chart.alt
    assert root.attrib["font-family"] == "'Source Sans 3', 'DejaVu Sans', sans-serif"
    assert chart.title in texts(root)  # the title is also visible
    assert chart.__html__() == chart.svg


@pytest.mark.parametrize("kind", BUILDERS)
def test_deterministic(kind: str) -> None:
    assert BUILDERS[kind]().svg == BUILDERS[kind]().svg


def test_default_ids_differ_between_charts_and_caller_ids_are_used() -> None:
    ids = {parse(b()).attrib["aria-labelledby"] for b in BUILDERS.values()}
    assert len(ids) == len(BUILDERS)
    chart = charts.portfolio_rag({"green": 1}, chart_id="rag 1")
    assert 'aria-labelledby="rag-1-title rag-1-desc"' in chart.svg


def test_font_family_passes_through_and_is_quoted() -> None:
    assert parse(charts.portfolio_rag({"red": 1}, font_family="inherit")).attrib["font-family"] == "inherit"
    root = parse(charts.portfolio_rag({"red": 1}, font_family='Noto Sans, "Open Sans", serif'))
    assert root.attrib["font-family"] == "'Noto Sans', 'Open Sans', serif"


def nasty_charts() -> list[Chart]:
    return [
        charts.cumulative_spend(["2026-01"], [D(1)], [D(1)], [None], title=NASTY, labels={"plan": NASTY}),
        charts.variance_by_category([(NASTY, D(1))], title=NASTY),
        charts.portfolio_rag({"green": 1}, title=NASTY, labels={"green": NASTY}),
        charts.milestone_timeline(
            [MilestoneRow(NASTY, date(2026, 3, 1))], title=NASTY, start=START, end=END, as_of=AS_OF
        ),
        charts.risk_heatmap({(1, 1): 1}, title=NASTY, labels={"impact": NASTY}),
        charts.headcount_by_team([(NASTY, {"employee": D(1)})], title=NASTY),
    ]


@pytest.mark.parametrize("chart", nasty_charts(), ids=list(BUILDERS))
def test_user_text_is_escaped(chart: Chart) -> None:
    assert "<script" not in chart.svg
    assert "R&amp;D &lt;script&gt;" in chart.svg
    root = parse(chart)
    assert root.find(SVG + "title").text == NASTY  # type: ignore[union-attr]
    assert any(t.startswith("R&D <script>") for t in texts(root))
    assert chart.title == NASTY


def test_user_labels_reach_the_text_alternative_unescaped() -> None:
    for chart in nasty_charts()[1:4] + nasty_charts()[5:]:
        assert NASTY in chart.alt


def test_characters_xml_forbids_are_dropped() -> None:
    chart = charts.variance_by_category([("Bad\x00\x1b label", D(1))], title="T\x07")
    root = parse(chart)
    assert "Bad label" in texts(root) and chart.title == "T"


EMPTY: dict[str, Callable[[], Chart]] = {
    "cumulative": lambda: charts.cumulative_spend([], [], [], [], title="Spend"),
    "variance": lambda: charts.variance_by_category([], title="Spend"),
    "rag": lambda: charts.portfolio_rag({"green": 0}, title="Spend"),
    "timeline": lambda: charts.milestone_timeline([], title="Spend", start=START, end=END, as_of=AS_OF),
    "heatmap": lambda: charts.risk_heatmap({}, title="Spend"),
    "headcount": lambda: charts.headcount_by_team([], title="Spend"),
}


@pytest.mark.parametrize("kind", EMPTY)
def test_empty_input_says_no_data(kind: str) -> None:
    chart = EMPTY[kind]()
    root = parse(chart)
    assert "No data" in texts(root) and "Spend" in texts(root)
    assert chart.alt == "Spend: no data."


def within(lo: float, hi: float, *values: float) -> bool:
    return all(lo <= v <= hi for v in values)


def every_chart() -> list[Chart]:
    long = "A team name that goes on and on, far longer than any label column could ever hold"
    return [
        *(b() for b in BUILDERS.values()),
        *nasty_charts(),
        *(b() for b in EMPTY.values()),
        charts.portfolio_rag({"green": 400, "amber": 1, "grey": 2}),
        charts.variance_by_category([(long, D("-12345678.9")), ("B", D("0.1"))]),
        charts.headcount_by_team([(long, {"employee": D("0.5"), "consultant": D("1000")})]),
        charts.cumulative_spend(MONTHS * 3, PLAN * 3, [D(-1)] * 36, [None] * 36, show_title=False),
        charts.milestone_timeline(
            [MilestoneRow(long, date(2020, 1, 1), date(2030, 1, 1), None, True)],
            start=date(2026, 1, 1),
            end=date(2026, 1, 20),
            as_of=date(2026, 1, 1),
        ),
    ]


@pytest.mark.parametrize("chart", every_chart())
def test_everything_inside_the_viewbox_and_text_readable(chart: Chart) -> None:
    root = parse(chart)
    w, h = viewbox(root)
    for r in els(root, "rect"):
        assert within(0, w, num(r, "x"), num(r, "x") + num(r, "width"))
        assert within(0, h, num(r, "y"), num(r, "y") + num(r, "height"))
    for ln in els(root, "line"):
        assert within(0, w, num(ln, "x1"), num(ln, "x2")) and within(0, h, num(ln, "y1"), num(ln, "y2"))
    for c in els(root, "circle"):
        r_ = num(c, "r")
        assert within(r_, w - r_, num(c, "cx")) and within(r_, h - r_, num(c, "cy"))
    for p in els(root, "polygon") + els(root, "polyline"):
        for pair in p.attrib["points"].split():
            x, y = (float(v) for v in pair.split(","))
            assert within(0, w, x) and within(0, h, y)
    for t in els(root, "text"):
        size = num(t, "font-size")
        assert size >= 9
        assert within(size * 0.7, h, num(t, "y"))
        if "transform" in t.attrib:
            continue
        width = charts.text_width(t.text or "", size, bold=t.attrib.get("font-weight") == "bold")
        left = (
            num(t, "x")
            - {"start": 0.0, "middle": width / 2, "end": width}[t.attrib.get("text-anchor", "start")]
        )
        assert within(-0.5, w + 0.5, left, left + width), t.text


def test_no_data_wording_follows_labels() -> None:
    chart = charts.risk_heatmap(
        {}, title="Risker", labels={"no_data": "Inga data", "alt_no_data": "{title}: inga."}
    )
    assert "Inga data" in texts(parse(chart)) and chart.alt == "Risker: inga."


# --------------------------------------------------------------------------------------------------
# Formatting helpers


def test_default_formatters() -> None:
    assert charts.default_fmt(D("1234.56")) == "1,234.6"
    assert charts.default_fmt(D("-3")) == "−3.0"
    assert charts.default_fmt(D("-0.04")) == "0.0"
    assert charts.default_count_fmt(D("12.0")) == "12"
    assert charts.default_count_fmt(D("2.5")) == "2.5"
    assert charts.default_month_label("2026-10") == "Oct"
    assert charts.default_month_name("2026-10") == "October 2026"
    assert charts.default_month_label("not a month") == "not a month"


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (D(0), D("98.1"), ["0", "20", "40", "60", "80", "100"]),
        (D(-3), D(7), ["-4", "-2", "0", "2", "4", "6", "8"]),
        (D(0), D(0), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        (D(5), D(9), ["0", "2", "4", "6", "8", "10"]),  # always includes zero
        (D(0), D("0.023"), ["0.000", "0.005", "0.010", "0.015", "0.020", "0.025"]),
    ],
)
def test_nice_ticks(lo: D, hi: D, expected: list[str]) -> None:
    assert [str(t) for t in charts.nice_ticks(lo, hi)] == expected


# --------------------------------------------------------------------------------------------------
# 1. Cumulative spend


def polylines(root: ET.Element) -> dict[str, list[tuple[float, float]]]:
    """Series by colour: plan slate (dashed), actual navy (solid), forecast violet (dotted)."""
    out = {}
    for p in els(root, "polyline"):
        pts = [tuple(float(v) for v in pair.split(",")) for pair in p.attrib["points"].split()]
        if len(pts) == 2 and pts[0][1] == pts[1][1] and pts[1][0] - pts[0][0] == pytest.approx(20):
            continue  # legend sample
        dash, stroke = p.attrib.get("stroke-dasharray"), p.attrib["stroke"]
        key = {PLAN_COLOUR: "plan", ACTUAL_COLOUR: "actual", FORECAST_COLOUR: "forecast"}[stroke]
        assert dash == {"plan": "6 4", "actual": None, "forecast": "1 4"}[key]
        out[key] = [(x, y) for x, y in pts]
    return out


def test_cumulative_alt_states_hand_summed_figures_with_callers_format() -> None:
    chart = BUILDERS["cumulative"]()
    # Hand sums: plan Jan-Oct 10 x 7.9 = 79.0; actual 7.1+7.6+8.0+7.4+7.9+7.2+6.1+8.4+7.7+6.6 = 74.0;
    # forecast 74.0 + 12.0 + 12.1 = 98.1; plan year 11 x 7.9 + 8.1 = 95.0.
    assert chart.alt == (
        "Cumulative spend to October 2026: plan 79.00 kr, actual 74.00 kr. "
        "Full-year forecast 98.10 kr against plan 95.00 kr."
    )
    words = texts(parse(chart))
    # End labels name their series, so they read without the legend.
    assert "Forecast 98.10 kr" in words and "Plan 95.00 kr" in words
    assert "0.00 kr" in words and "100.00 kr" in words  # round ticks, formatted by the caller


def test_cumulative_lines_follow_the_data() -> None:
    root = parse(BUILDERS["cumulative"]())
    lines = polylines(root)
    # Three series, three colours (plan, actual and forecast no longer share navy).
    assert {p.attrib["stroke"] for p in els(root, "polyline")} == {
        PLAN_COLOUR,
        ACTUAL_COLOUR,
        FORECAST_COLOUR,
    }
    assert len({PLAN_COLOUR, ACTUAL_COLOUR, FORECAST_COLOUR}) == 3
    plan, actual, forecast = lines["plan"], lines["actual"], lines["forecast"]
    assert len(plan) == 12 and len(actual) == 10 and len(forecast) == 3
    assert forecast[0] == actual[-1] and forecast[-1][0] == plan[-1][0]
    # Equal monthly plan steps rise by equal heights; the zero gridline sits one step below January.
    steps = [plan[i - 1][1] - plan[i][1] for i in range(1, 11)]
    assert max(steps) - min(steps) < 0.25
    assert forecast[-1][1] < plan[-1][1]  # 98.1 above 95.0 (SVG y grows downwards)
    zero_y = next(num(ln, "y1") for ln in els(root, "line") if ln.attrib["stroke"] == GREY)
    assert (zero_y - actual[-1][1]) / (zero_y - plan[-1][1]) == pytest.approx(74.0 / 95.0, abs=0.005)


def test_cumulative_gaps_single_month_negatives_and_swedish() -> None:
    # A missing actual in the middle counts as zero; a month without forecast falls back to plan.
    chart = charts.cumulative_spend(
        ["2026-01", "2026-02", "2026-03", "2026-04"],
        [D(10), D(10), D(10), D(10)],
        [D(8), None, D(-2), None],
        [None, None, None, None],
        labels={"alt_to_date": "Ackumulerat till {month}: budget {plan}, utfall {actual}.", "plan": "Budget"},
        month_name=lambda m: "mars" if m == "2026-03" else m,
    )
    assert chart.alt == "Ackumulerat till mars: budget 30.0, utfall 6.0. Full-year plan 40.0."
    assert "Budget" in texts(parse(chart)) and "Forecast" not in texts(parse(chart))
    chart = charts.cumulative_spend(["2026-01", "2026-02"], [D(5), D(5)], [None, None], [D(4), None])
    assert chart.alt == "Full-year forecast 9.0 against plan 10.0. No actuals yet."
    single = parse(charts.cumulative_spend(["2026-01"], [D(5)], [D(6)], [None]))
    assert len(els(single, "circle")) == 2 and not polylines(single)
    negative = parse(
        charts.cumulative_spend(["2026-01", "2026-02"], [D(-8), D(-1)], [None, None], [None, None])
    )
    assert {"−10.0", "0.0"} <= set(texts(negative))  # round ticks below zero
    zero_y = next(num(ln, "y1") for ln in els(negative, "line") if ln.attrib["stroke"] == GREY)
    assert all(y > zero_y for _, y in polylines(negative)["plan"])
    with pytest.raises(ValueError, match="same length"):
        charts.cumulative_spend(["2026-01"], [D(1), D(2)], [None], [None])


def test_cumulative_thins_month_labels_when_crowded() -> None:
    root = parse(charts.cumulative_spend(MONTHS * 4, PLAN * 4, [None] * 48, [None] * 48))
    shown = [t for t in texts(root) if t in {"Jan", "Feb", "Mar", "Oct"}]
    assert 0 < len(shown) < 16


# --------------------------------------------------------------------------------------------------
# 2. Variance by category


def bars(root: ET.Element, height: str) -> list[ET.Element]:
    return [r for r in els(root, "rect") if r.attrib["height"] == height]


def test_variance_bars_diverge_from_zero_in_proportion() -> None:
    items = [("Hosting", D("3.1")), ("Licences", D("-1.2")), ("Staff", D(0)), ("Data", D("-4.75"))]
    chart = charts.variance_by_category(items, fmt=kr)
    root = parse(chart)
    hosting, licences, data = bars(root, "14.0")
    assert hosting.attrib["fill"] == RED and licences.attrib["fill"] == GREEN == data.attrib["fill"]
    zero = next(num(ln, "x1") for ln in els(root, "line"))
    assert num(hosting, "x") == zero
    assert num(licences, "x") + num(licences, "width") == pytest.approx(zero, abs=0.1)
    assert num(data, "x") + num(data, "width") == pytest.approx(zero, abs=0.1)
    assert num(hosting, "width") / num(data, "width") == pytest.approx(3.1 / 4.75, abs=0.003)
    assert num(licences, "width") / num(data, "width") == pytest.approx(1.2 / 4.75, abs=0.003)
    assert {"+3.10 kr", "-1.20 kr", "±0.00 kr", "-4.75 kr"} <= set(texts(root))
    # Net: 3.1 - 1.2 + 0 - 4.75 = -2.85
    assert chart.alt == (
        "Forecast minus plan by category: Hosting 3.10 kr over plan; Licences 1.20 kr under plan; "
        "Staff on plan; Data 4.75 kr under plan. Net 2.85 kr under plan."
    )


def test_variance_that_rounds_to_zero_is_neither_plus_nor_minus() -> None:
    # 0.004 prints as 0.00: "+0.00 kr" beside a bar would claim an overspend nobody can see.
    root = parse(
        charts.variance_by_category([("A", D("0.004")), ("B", D("-0.004")), ("C", D("0.006"))], fmt=kr)
    )
    assert [t for t in texts(root) if "kr" in t] == ["±0.00 kr", "±0.00 kr", "+0.01 kr"]
    alt = charts.variance_by_category([("A", D("0.004")), ("B", D("-0.004"))], fmt=kr).alt
    assert alt == "Forecast minus plan by category: A on plan; B on plan. Net on plan."


def test_variance_all_zero_and_long_labels() -> None:
    long = "Infrastructure, hosting, networks and everything else that keeps the lights on"
    root = parse(charts.variance_by_category([(long, D(0)), ("B", D(0))]))
    assert not bars(root, "14.0")
    (label,) = [t for t in texts(root) if t.startswith("Infrastructure")]
    assert label.endswith("…") and len(label) < len(long)


# --------------------------------------------------------------------------------------------------
# 3. Portfolio RAG


def test_rag_segments_are_proportional_and_labelled() -> None:
    chart = BUILDERS["rag"]()
    root = parse(chart)
    segs = bars(root, "30.0")
    assert [s.attrib["fill"] for s in segs] == [GREEN, AMBER, RED, GREY]
    widths = [num(s, "width") for s in segs]
    assert sum(widths) == pytest.approx(640, abs=0.3)
    assert [w / widths[0] for w in widths] == pytest.approx([1, 3 / 7, 1 / 7, 1 / 7], abs=0.002)
    assert {"7", "3", "Green 7", "Not assessed 1", "12 projects"} <= set(texts(root))
    assert chart.alt == "12 projects by overall status: 7 Green, 3 Amber, 1 Red, 1 Not assessed."


def test_singular_wording_and_translated_plurals() -> None:
    one = charts.portfolio_rag({"red": 1})
    assert one.alt.startswith("1 project by overall status:") and "1 project" in texts(parse(one))
    assert charts.risk_heatmap({(1, 1): 1}).alt.startswith("1 risk by")
    # A translation of the plural alone is used for one too, rather than the English singular.
    sv = charts.portfolio_rag(
        {"red": 1}, labels={"total": "{total} projekt", "alt": "{total} projekt: {parts}."}
    )
    assert sv.alt.startswith("1 projekt: ") and "1 projekt" in texts(parse(sv))
    row = [MilestoneRow("M", date(2026, 3, 1), date(2026, 3, 2))]
    assert "1 day late" in charts.milestone_timeline(row, start=START, end=END, as_of=AS_OF).alt
    sv = charts.milestone_timeline(
        row, start=START, end=END, as_of=AS_OF, labels={"alt_late": "{days} d sen"}
    )
    assert "1 d sen" in sv.alt


def test_rag_states_zero_red_and_rejects_bad_input() -> None:
    chart = charts.portfolio_rag({"green": 4}, labels={"green": "Grön", "red": "Röd", "amber": "Gul"})
    assert chart.alt == "4 projects by overall status: 4 Grön, 0 Gul, 0 Röd."
    assert "Röd 0" in texts(parse(chart))
    with pytest.raises(ValueError, match="unknown"):
        charts.portfolio_rag({"blue": 1})
    with pytest.raises(ValueError, match="negative"):
        charts.portfolio_rag({"red": -1})


# --------------------------------------------------------------------------------------------------
# 4. Milestone timeline


def test_timeline_today_line_is_proportional_between_start_and_end() -> None:
    root = parse(BUILDERS["timeline"]())
    edges = sorted({num(ln, "x1") for ln in els(root, "line") if ln.attrib["stroke"] == GREY})
    x0, x1 = edges
    (today,) = [ln for ln in els(root, "line") if ln.attrib.get("stroke-dasharray") == "4 3"]
    expected = (date(2026, 10, 3) - date(2026, 1, 1)).days / (date(2026, 12, 31) - date(2026, 1, 1)).days
    assert (num(today, "x1") - x0) / (x1 - x0) == pytest.approx(expected, abs=0.001)
    assert "Today" in texts(root)


def diamonds(root: ET.Element) -> list[tuple[float, float, str]]:
    out = []
    for p in els(root, "polygon"):
        pts = [tuple(float(v) for v in pair.split(",")) for pair in p.attrib["points"].split()]
        if len(pts) == 4:
            out.append((pts[0][0], pts[1][1], p.attrib["fill"]))  # centre x, centre y, fill
    return out


def test_timeline_markers_slip_and_clipping() -> None:
    chart = BUILDERS["timeline"]()
    root = parse(chart)
    rows = sorted({y for _, y, _ in diamonds(root) if y > 60})
    by_row = {y: [(x, f) for x, yy, f in diamonds(root) if yy == y] for y in rows}
    # Row 2 "Go-live": hollow baseline then filled violet forecast to its right, red connector between.
    go_live = sorted(by_row[rows[1]])
    assert [f for _, f in go_live] == ["#fff", FORECAST_COLOUR]
    (connector,) = [ln for ln in els(root, "line") if ln.attrib["stroke"] == RED and num(ln, "y1") == rows[1]]
    assert num(connector, "x1") == go_live[0][0] and num(connector, "x2") == go_live[1][0]
    # Rows 1 and 5: actual is navy; no forecast means only the hollow baseline.
    assert [f for _, f in sorted(by_row[rows[0]])] == ["#fff", NAVY]  # baseline, then 5 days later
    assert [f for _, f in by_row[rows[-1]]] == ["#fff"]
    # Out-of-window dates become arrows (triangles) at the edges, not diamonds.
    arrows = [p for p in els(root, "polygon") if len(p.attrib["points"].split()) == 3]
    assert len(arrows) == 3  # baseline and actual before start, forecast after end
    assert "Go-live (key milestone): baseline 2026-09-01, forecast 2026-11-15, 75 days late" in chart.alt
    assert "Design sign-off: baseline 2026-02-15, achieved 2026-02-20, 5 days late" in chart.alt
    assert chart.alt.startswith("Milestones as of 2026-10-03:")


def test_timeline_truncates_labels_and_skips_today_outside_window() -> None:
    long = "Go-live of the new enterprise resource planning platform across all business units"
    chart = charts.milestone_timeline(
        [MilestoneRow(long, date(2026, 3, 1), date(2026, 2, 27))],
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        as_of=date(2026, 8, 1),
        date_text=lambda d: d.strftime("%d/%m"),
    )
    root = parse(chart)
    (label,) = [t for t in texts(root) if t.startswith("Go-live")]
    assert label.endswith("…") and long not in texts(root)
    assert f"{long}: baseline 01/03, forecast 27/02, 2 days early" in chart.alt
    assert not [ln for ln in els(root, "line") if ln.attrib.get("stroke-dasharray") == "4 3"]
    assert [ln.attrib["stroke"] for ln in els(root, "line") if ln.attrib["stroke-width"] == "2"] == [GREEN]
    with pytest.raises(ValueError):
        charts.milestone_timeline([], start=date(2026, 2, 1), end=date(2026, 1, 1), as_of=date(2026, 1, 1))


def test_timeline_month_ticks_use_date_label() -> None:
    root = parse(
        charts.milestone_timeline(
            MILESTONES, date_label=lambda d: f"M{d.month}", start=START, end=END, as_of=AS_OF
        )
    )
    assert [t for t in texts(root) if re.fullmatch(r"M\d+", t)] == [f"M{m}" for m in range(1, 13)]


# --------------------------------------------------------------------------------------------------
# 5. Risk heat map


def cells(root: ET.Element) -> dict[tuple[int, int], ET.Element]:
    grid = [r for r in els(root, "rect") if r.attrib.get("stroke") == "#fff"]
    xs = sorted({num(r, "x") for r in grid})
    ys = sorted({num(r, "y") for r in grid})
    return {(xs.index(num(r, "x")) + 1, 5 - ys.index(num(r, "y"))): r for r in grid}


def count_in(root: ET.Element, cell: ET.Element) -> str | None:
    x, y = num(cell, "x"), num(cell, "y")
    inside = [
        t.text
        for t in els(root, "text")
        if x < num(t, "x") < x + num(cell, "width") and y < num(t, "y") < y + num(cell, "height")
    ]
    return inside[0] if inside else None


def test_heatmap_cells_colour_and_count() -> None:
    chart = BUILDERS["heatmap"]()
    root = parse(chart)
    grid = cells(root)
    assert len(grid) == 25
    assert grid[(4, 5)].attrib["fill"] == RED and count_in(root, grid[(4, 5)]) == "2"
    assert grid[(3, 3)].attrib["fill"] == AMBER and count_in(root, grid[(3, 3)]) == "4"
    assert grid[(1, 2)].attrib["fill"] == GREEN and count_in(root, grid[(1, 2)]) == "1"
    assert grid[(5, 1)].attrib["fill"] == GREEN and count_in(root, grid[(5, 1)]) == "3"  # 5 x 1 = 5
    assert grid[(2, 4)].attrib["fill"] == AMBER and count_in(root, grid[(2, 4)]) is None  # 8, empty
    assert grid[(3, 5)].attrib["fill"] == RED and grid[(3, 5)].attrib["fill-opacity"] == "0.35"
    assert "fill-opacity" not in grid[(4, 5)].attrib
    assert {"Probability", "Impact", "High (15–25): 2", "Medium (8–12): 4", "Low (1–6): 4"} <= set(
        texts(root)
    )
    assert chart.alt.startswith("10 risks by probability and impact (1 to 5). High (score 15–25): 2;")
    assert "probability 4, impact 5: 2; probability 3, impact 3: 4" in chart.alt


def test_heatmap_bands_are_a_parameter_and_bad_cells_are_rejected() -> None:
    bands = (RiskBand(4, GREEN, "Lág"), RiskBand(9, AMBER, "medium"), RiskBand(25, RED, "high"))
    root = parse(charts.risk_heatmap({(2, 3): 1}, bands=bands))
    grid = cells(root)
    assert grid[(2, 3)].attrib["fill"] == AMBER and grid[(2, 2)].attrib["fill"] == GREEN
    assert grid[(2, 5)].attrib["fill"] == RED
    assert "Lág (1–4): 0" in texts(root)
    with pytest.raises(ValueError, match="outside"):
        charts.risk_heatmap({(0, 3): 1})
    with pytest.raises(ValueError, match="negative"):
        charts.risk_heatmap({(1, 3): -1})


# --------------------------------------------------------------------------------------------------
# 6. Headcount by team


def test_headcount_segments_share_one_scale_and_totals_are_shown() -> None:
    chart = BUILDERS["headcount"]()
    root = parse(chart)
    segs = bars(root, "16.0")
    assert [s.attrib["fill"] for s in segs] == [NAVY, MID_BLUE, NAVY, charts.LIGHT_BLUE]
    plat_emp, plat_con, desk_emp, desk_cons = (num(s, "width") for s in segs)
    assert plat_con / plat_emp == pytest.approx(2.5 / 10, abs=0.002)
    assert desk_emp / plat_emp == pytest.approx(8 / 10, abs=0.002)
    assert desk_cons / plat_emp == pytest.approx(1 / 10, abs=0.002)
    assert num(segs[1], "x") == pytest.approx(num(segs[0], "x") + plat_emp, abs=0.1)  # stacked
    assert num(segs[0], "x") == num(segs[2], "x")
    assert {"12.5", "9", "10", "2.5", "Employees", "Contractors", "Consultants"} <= set(texts(root))
    assert chart.alt == (
        "Full-time equivalents by team and employment type: Platform 12.5 (employees 10, contractors 2.5); "
        "Service desk 9 (employees 8, consultants 1). Total 21.5."
    )


def test_headcount_zeros_and_bad_input() -> None:
    root = parse(charts.headcount_by_team([("Empty", {}), ("Zero", {"employee": D(0)})]))
    assert not bars(root, "16.0") and texts(root).count("0") == 2
    with pytest.raises(ValueError, match="unknown employment types"):
        charts.headcount_by_team([("A", {"intern": D(1)})])
    with pytest.raises(ValueError, match="negative"):
        charts.headcount_by_team([("A", {"employee": D(-1)})])


TEXT_WIDTH_PT = 178 / 25.4 * 72  # the default theme's text width on A4, where every chart is placed


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_chart_text_prints_at_six_points_or_more_at_the_text_width(kind: str) -> None:
    root = parse(BUILDERS[kind]())
    sizes = [float(e.attrib["font-size"]) for e in root.iter() if "font-size" in e.attrib]
    assert sizes
    # 10 units x 504.6 pt / 640 units = 7.9 pt for the smallest text.
    assert min(sizes) * TEXT_WIDTH_PT / charts.WIDTH >= charts.MIN_PRINT_SIZE_PT
    # 6 pt / 10 units x 640 units = 384 pt = 135.5 mm: narrower than that, the smallest text is too small.
    assert round(charts.MIN_PRINT_WIDTH_MM, 1) == 135.5


def test_cumulative_forecast_starts_above_the_actual_by_the_stand_in() -> None:
    # Three months; January booked 10, February's actual missing (plan 20 stands in), March plan 30.
    months = ["2026-01", "2026-02", "2026-03"]
    plan = [D(10), D(20), D(30)]
    chart = charts.cumulative_spend(
        months, plan, [D(10), D(0), None], [None, None, D(30)], stand_in=D(20), fmt=lambda v: f"{v}"
    )
    # the forecast ends at 10 booked + 20 standing in + 30 later = 60, the full-year forecast
    assert "Full-year forecast 60 against plan 60." in chart.alt


@pytest.mark.parametrize(
    ("amber", "red", "expected"),
    [
        ("12", "16", [(11, "low"), (15, "medium"), (25, "high")]),  # the defaults: 12 amber, 16 red
        ("10", "20", [(9, "low"), (19, "medium"), (25, "high")]),  # configured thresholds move bands
        ("12.5", "16", [(12, "low"), (15, "medium"), (25, "high")]),  # 12 < 12.5: still low
        ("1", "16", [(15, "medium"), (25, "high")]),  # every score ≥ 1 is amber: no green band
        ("12", "30", [(11, "low"), (25, "medium")]),  # red out of reach (max score 25)
    ],
)
def test_risk_bands_follow_the_configured_thresholds(
    amber: str, red: str, expected: list[tuple[int, str]]
) -> None:
    assert [(b.upto, b.label) for b in charts.risk_bands(D(amber), D(red))] == expected


def test_heatmap_cell_at_each_threshold_takes_its_colour() -> None:
    bands = charts.risk_bands(D(12), D(16))
    # 11 one below amber, 12 at amber, 15 one below red, 16 at red
    assert [charts.band_for(s, bands).label for s in (11, 12, 15, 16)] == ["low", "medium", "medium", "high"]
