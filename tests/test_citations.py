"""Narrative citations: `{name}` / `{name:id}` resolved from the data, in the edition's locale and
for its audience; unknown names are located errors; nothing in the narrative is ever evaluated."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from itreport.analyse import analyse
from itreport.citations import BY_NAME, CITATION, SPECS, Cited, Figure, parse
from itreport.cli import main
from itreport.edition import build_view
from itreport.models.briefings import Audience, Edition
from itreport.render.cited import figure_text, money, resolve
from itreport.render.formatting import Formatter
from itreport.render.html import render_html
from itreport.render.i18n import Translator
from itreport.render.markdown import render_markdown
from itreport.validate import validate_folder
from tests.conftest import REPO, replace_in
from tests.rendered import example_html, section, text_of

EN = Formatter("en_GB", "SEK"), Translator("en_GB")
SV = Formatter("sv_SE", "SEK"), Translator("sv_SE")


# --- syntax -------------------------------------------------------------------------------


def test_parse_names_and_arguments() -> None:
    cites = parse("a {live_projects} b {eac:alpha} c {milestone:alpha/golive} \\{literal}")
    assert [(c.raw, c.spec.name if c.spec else None, c.arg, c.error) for c in cites] == [
        ("{live_projects}", "live_projects", "", ""),
        ("{eac:alpha}", "eac", "alpha", ""),
        ("{milestone:alpha/golive}", "milestone", "alpha/golive", ""),
    ]


@pytest.mark.parametrize(
    ("text", "error", "hint"),
    [
        ("{live_project}", "unknown figure 'live_project' (did you mean 'live_projects'?)", "Citing figures"),
        ("{{ live_projects }}", "'{ live_projects }' is not a citation", "write {live_projects}"),
        ("{{live_projects}}", "'{live_projects}' is not a citation", "write {live_projects}"),
        ("{ headcount }", "'{ headcount }' is not a citation", "write {headcount}"),
        ("{eac}", "figure 'eac' needs a project", "write {eac:<project id>}"),
        ("{live_projects:alpha}", "figure 'live_projects' takes no argument", "write {live_projects}"),
        ("{milestone:alpha}", "'alpha' is not a milestone reference", "<project id>/<milestone id>"),
        # What a hostile contributor might try: none of it is a name, none of it is evaluated.
        ("{__class__}", "unknown figure '__class__'", ""),
        ("{0.__class__.__mro__}", "unknown figure '0.__class__.__mro__'", ""),
        ("{% for x in range(9) %}", "unknown figure '% for x in range(9) %'", ""),
        ("{fte.__class__}", "unknown figure 'fte.__class__'", ""),
    ],
)
def test_bad_citations(text: str, error: str, hint: str) -> None:
    (c,) = parse(text)
    assert c.spec is None and c.error == error and hint in c.hint


def test_narrative_is_never_evaluated_as_a_template() -> None:
    text = "{{ 7+7 }} {% if true %}yes{% endif %} {{ range }} ${7+7} %(x)s {0} {live_projects}"
    fmt, tr = EN
    html = render_markdown(resolve(Cited((text, Figure("count", 3))), fmt, tr))
    assert html == (
        "<p>{{ 7+7 }} {% if true %}yes{% endif %} {{ range }} ${7+7} %(x)s {0} {live_projects}3</p>"
    )


# --- values, locale, audience -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("108637303"), "108.6\u00a0MSEK"),
        (Decimal("1000000"), "1.0\u00a0MSEK"),
        (Decimal("999999"), "1.00\u00a0MSEK"),  # 0.999999 MSEK: two decimals below a million
        (Decimal("450000"), "0.45\u00a0MSEK"),
        (Decimal("100000"), "0.10\u00a0MSEK"),
        (Decimal("99999"), "100\u00a0kSEK"),
        (Decimal("45000"), "45\u00a0kSEK"),
        (Decimal("9999"), "10.0\u00a0kSEK"),
        (Decimal("4500"), "4.5\u00a0kSEK"),
        (Decimal("999"), "999\u00a0SEK"),
        (Decimal("0"), "0\u00a0SEK"),
        (Decimal("-450000"), "−0.45\u00a0MSEK"),
    ],
)
def test_money_in_prose_keeps_two_significant_digits(value: Decimal, text: str) -> None:
    assert money(value, EN[0]) == text


def test_money_in_swedish_prose_names_the_units_as_swedish_tables_do() -> None:
    assert money(Decimal("45000"), SV[0]) == "45\u00a0tSEK"
    assert money(Decimal("4500"), SV[0]) == "4,5\u00a0tSEK"
    assert money(Decimal("450000"), SV[0]) == "0,45\u00a0MSEK"


def test_figure_text_by_kind_in_english_and_swedish() -> None:
    from datetime import date

    cases = [
        (Figure("percent", Decimal("58")), "58%", "58\u00a0%"),
        (Figure("signed_percent", Decimal("8.3333")), "+8.3%", "+8,3\u00a0%"),
        (Figure("fte", Decimal("36.6")), "36.6", "36,6"),
        (Figure("count", 1234), "1,234", "1\u00a0234"),
        (Figure("date", date(2027, 5, 3)), "3 May 2027", "3 maj 2027"),
        (Figure("money", Decimal("12500000")), "12.5\u00a0MSEK", "12,5\u00a0MSEK"),
        (Figure("count", None, 5), "<5", "<5"),
        (Figure("percent", None, 5), "(withheld)", "(visas ej)"),
        (Figure("money", None), "–", "–"),
    ]
    for fig, en, sv in cases:
        assert (figure_text(fig, *EN), figure_text(fig, *SV)) == (en, sv), fig


NARRATIVE = """\
executive_summary: |
  {live_projects} live project; Alpha's EAC is {eac:alpha} against {budget:alpha}
  ({eac_variance_pct:alpha}), go-live {milestone:alpha/golive}.
key_messages:
  - "Staff: {headcount} ({fte} FTE); joiners this period: {joiners}; contractors: {contractors}."
asks:
  - title: Approve {eac_variance:alpha} for Alpha
    decision: alpha/d1
"""


def _views(content: Path, locale: str) -> dict[str, str]:
    (content / "narrative.yaml").write_text(NARRATIVE, encoding="utf-8")
    replace_in(content, "division.yaml", "locale: en_GB", f"locale: {locale}")
    v = validate_folder(content)
    assert v.content is not None, [p.message for p in v.problems]
    a = analyse(v.content)
    out = {}
    for audience in (Audience.BOARD, Audience.MANAGEMENT):
        edition = Edition(id=audience.value, title="T", audience=audience)
        html = render_html(build_view(a, edition))
        parts = [section(html, c) for c in ("narrative", "key-messages", "data asks")]
        out[audience.value] = " | ".join(text_of(p) for p in parts)
    return out


def test_cited_figures_in_english_with_audience_rules(content: Path) -> None:
    # Hand-computed from tests/fixtures/minimal: alpha is the one live project (beta completed);
    # EAC 1,300,000 against 1,200,000 is +8.33 %; go-live forecast 2027-01-31; on staff on
    # 2026-10-31: 5 people (Finn Ahl left), 4.8 FTE (Dan Lund 0.8); Eva Sten joined 2026-10-01,
    # a contractor. Board editions suppress counts below 5 like the tables do.
    views = _views(content, "en_GB")
    assert (
        "1 live project; Alpha's EAC is 1.3 MSEK against 1.2 MSEK (+8.3%), go-live 31 January 2027."
        in (views["management"])
    )
    assert "Staff: 5 (4.8 FTE); joiners this period: 1; contractors: 1." in views["management"]
    assert "Staff: 5 (4.8 FTE); joiners this period: <5; contractors: <5." in views["board"]
    assert "Approve 0.10 MSEK for Alpha" in views["board"]


def test_cited_figures_in_swedish(content: Path) -> None:
    views = _views(content, "sv_SE")
    assert (
        "1 live project; Alpha's EAC is 1,3 MSEK against 1,2 MSEK (+8,3 %), go-live 31 januari 2027."
        in (views["management"])
    )
    assert "Staff: 5 (4,8 FTE)" in views["management"]


# --- validation: located errors -------------------------------------------------------------


def _validate(content: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", "content"])
    return result.exit_code, result.output.splitlines()


def test_unknown_name_in_a_block_scalar_is_located_in_the_string(content: Path) -> None:
    replace_in(content, "narrative.yaml", "Alpha slips one month.", "Alpha slips; {live_project} live.")
    code, lines = _validate(content)
    assert code == 1
    assert lines[:4] == [
        "content/narrative.yaml:2:54: error: unknown figure 'live_project' (did you mean 'live_projects'?)",
        " 2 |   The division is **on track** overall; Alpha slips; {live_project} live.",
        "   |                                                      ^~~~~~~~~~~~~~",
        "  hint: the figures that can be cited are listed in docs/content.md, 'Citing figures'; "
        "write \\{ for a literal brace",
    ]


def test_errors_in_a_list_item_and_a_second_occurrence_are_each_located(content: Path) -> None:
    replace_in(
        content, "narrative.yaml", "  - Spend is 1 % over plan.", '  - "{fte} and {ftes}, again {ftes}"'
    )
    code, lines = _validate(content)
    errors = [line for line in lines if ": error: " in line]
    assert code == 1
    assert errors == [
        "content/narrative.yaml:5:16: error: unknown figure 'ftes' (did you mean 'fte'?)",
        "content/narrative.yaml:5:30: error: unknown figure 'ftes' (did you mean 'fte'?)",
    ]


@pytest.mark.parametrize(
    ("cite", "message"),
    [
        ("{eac:alpah}", "unknown project 'alpah' (did you mean 'alpha'?)"),
        ("{milestone:alpha/go-live}", "project 'alpha' has no milestone 'go-live' (did you mean 'golive'?)"),
        ("{saving_target:nope}", "unknown saving 'nope'"),
    ],
)
def test_unknown_argument_is_located(content: Path, cite: str, message: str) -> None:
    replace_in(content, "narrative.yaml", "Approve extra budget for Alpha", f"Approve {cite} for Alpha")
    code, lines = _validate(content)
    assert code == 1
    assert lines[0] == f"content/narrative.yaml:7:20: error: {message}"


def test_literal_brace_is_not_a_citation(content: Path) -> None:
    replace_in(content, "narrative.yaml", "Alpha slips one month.", "Alpha slips \\{one} month.")
    assert CliRunner().invoke(main, ["validate", "content", "--strict"]).exit_code == 0


# --- the example and the docs ---------------------------------------------------------------


def test_example_narrative_cites_every_figure_it_states() -> None:
    data = yaml.safe_load((REPO / "content" / "narrative.yaml").read_text(encoding="utf-8"))
    texts = [data["executive_summary"], *data["key_messages"]]
    texts += [t for a in data["asks"] for t in (a["title"], a.get("detail") or "")]
    left = " ".join(CITATION.sub("", t) for t in texts)
    # Names with digits (S/4HANA, 24/7) and calendar years are words, not figures from the data.
    figures = set(re.findall(r"\d[\d.,]*", left)) - {"4", "24", "7", "2027", "2028"}
    assert figures == set()
    assert all(c.spec is not None for t in texts for c in parse(t))


def test_example_narrative_agrees_with_the_summary_tile() -> None:
    page = example_html()["board"]
    tile = text_of(page[page.index('<div class="kpis">') : page.index('<div class="narrative">')])
    assert "Live projects 8 4 red, 1 amber" in tile
    assert "4 of the 8 live projects are red" in text_of(section(page, "narrative"))


def test_docs_list_every_citable_figure() -> None:
    doc = (REPO / "docs" / "content.md").read_text(encoding="utf-8")
    part = doc[doc.index("### Citing figures") :]
    part = part[: part.index("\n## ")]
    rows = re.findall(r"^\| `\{([a-z0-9_]+)(?::[^}]*)?\}` \| (.*?) \|$", part, re.M)
    assert [(name, meaning) for name, meaning in rows] == [(s.name, s.meaning) for s in SPECS]
    assert len(BY_NAME) == len(SPECS)


def test_citation_after_a_yaml_line_separator_is_located_on_its_yaml_line(content: Path) -> None:
    # U+2028 breaks a line for YAML (and for every position `validate` gives); a form feed would
    # not, but Python's splitlines() breaks at both.
    narrative = content / "narrative.yaml"
    narrative.write_text("#\u2028# note\n" + narrative.read_text(encoding="utf-8"), encoding="utf-8")
    replace_in(content, "narrative.yaml", "Alpha slips one month.", "Alpha slips; {live_project} live.")
    code, lines = _validate(content)
    assert code == 1
    assert lines[0].startswith("content/narrative.yaml:4:54: error: unknown figure 'live_project'")
