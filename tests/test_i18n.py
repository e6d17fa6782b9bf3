"""Every label the theme uses exists in every language, with the same placeholders."""

from __future__ import annotations

import re
import shutil
import string
from decimal import Decimal as D
from pathlib import Path

import pytest

from itreport.build import BuildOptions, build
from itreport.render.formatting import Formatter
from itreport.render.i18n import Translator, _read, languages
from tests.conftest import REPO

LITERAL_KEY = re.compile(r"""_\(\s*['"]([a-z0-9_.]+)['"]\s*[,)]""")
PREFIX_KEY = re.compile(r"""_\(\s*['"]([a-z0-9_]+_)['"]\s*~""")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_languages_have_the_same_keys_and_placeholders() -> None:
    english = _read("en")
    assert languages() == ["en", "sv"]
    for lang in languages():
        other = _read(lang)
        assert set(other) == set(english), lang
        for key, text in english.items():
            assert _fields(other[key]) == _fields(text), (lang, key)


def test_every_literal_label_in_templates_exists() -> None:
    english = _read("en")
    used = set()
    for path in (REPO / "templates").rglob("*.html"):
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "the theme uses labels"
    assert sorted(k for k in used - set(english) if f"{k}.other" not in english) == []


def test_plural_labels_have_every_form_their_language_needs() -> None:
    """English and Swedish both have 'one' and 'other' (CLDR); a label with plurals has both."""
    for lang in languages():
        labels = _read(lang)
        for key in [k.removesuffix(".other") for k in labels if k.endswith(".other")]:
            assert f"{key}.one" in labels, (lang, key)


@pytest.mark.parametrize(
    ("lang", "call", "text"),
    [
        ("en", ("open_risks", {"count": 1}), "1 open risk in live projects."),
        ("en", ("open_risks", {"count": 0}), "0 open risks in live projects."),
        ("en", ("open_risks", {"count": 2}), "2 open risks in live projects."),
        ("sv", ("open_issues", {"count": 1}), "1 öppet ärende i pågående projekt."),
        ("sv", ("open_issues", {"count": 3}), "3 öppna ärenden i pågående projekt."),
        # A number already formatted ("+1", "−1") chooses its form by `plural`.
        ("en", ("days", {"n": "+1", "plural": 1}), "+1 day"),
        ("en", ("days", {"n": "−1", "plural": -1}), "−1 day"),
        ("en", ("days", {"n": "1,000", "plural": 1000}), "1,000 days"),
        ("sv", ("days", {"n": "1", "plural": D(1)}), "1 dag"),
        ("en", ("chg_points", {"n": "+1.5", "plural": D("1.5")}), "+1.5 points"),  # not a whole number
        ("en", ("kpi_leavers_12m", {"count": "<5"}), "<5 leavers"),  # suppressed: a text, not a number
        ("en", ("stale_report", {"days": "–", "plural": None}), "Status report is – days old"),
    ],
)
def test_plural_forms_follow_the_number(lang: str, call: tuple[str, dict[str, object]], text: str) -> None:
    key, values = call
    assert Translator(lang)(key, **values) == text


def test_every_enum_label_exists() -> None:
    """Templates build keys like _('state_' ~ value): every value of each enum needs its label."""
    from itreport.analyse.gaps import GAPS
    from itreport.analyse.portfolio import DIMENSIONS
    from itreport.analyse.rag import Rag
    from itreport.models.briefings import SectionId
    from itreport.models.budget import Category, Nature, SavingState
    from itreport.models.people import PositionStatus
    from itreport.models.projects import DecisionState, InvestmentClass, Phase, Priority, ProjectState
    from itreport.models.strategy import CoordinationState, ProblemState

    values: dict[str, list[str]] = {
        "section_": [s.value for s in SectionId],
        "rag_": [r.value for r in Rag],
        "dim_": list(DIMENSIONS),
        "class_": [c.value for c in InvestmentClass],
        "phase_": [p.value for p in Phase],
        "state_": [s.value for s in ProjectState],
        "priority_": [p.value for p in Priority],
        "saving_": [s.value for s in SavingState],
        "position_": [p.value for p in PositionStatus],
        "coord_": [c.value for c in CoordinationState],
        "problem_": [p.value for p in ProblemState],
        "cat_": [c.value for c in Category],
        "nature_": [n.value for n in Nature],
        "named_": ["reviews_overdue", "certs_expired", "certs_expiring", "joiners", "leavers"],
        "def_": [],
        "chg_": ["project_added", "project_removed", "project_closed", "project_cancelled", "project_state"],
        "ms_": [],
        "gap_": list(GAPS),
        "abbr_": ["EAC", "BAC", "PV", "EV", "AC", "CPI", "SPI", "FTE", "RAG"],
        "decision_": [d.value for d in DecisionState],
    }
    english = _read("en")
    used = set()
    for path in (REPO / "templates").rglob("*.html"):
        used |= set(PREFIX_KEY.findall(path.read_text(encoding="utf-8")))
    assert used <= set(values), sorted(used - set(values))
    missing = [prefix + v for prefix in used for v in values[prefix] if prefix + v not in english]
    assert missing == []


def test_every_reason_the_analysis_gives_has_words_in_every_language() -> None:
    keys = set()
    for path in (REPO / "itreport").rglob("*.py"):
        keys |= set(re.findall(r'Reason\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    assert {"slip", "overrun", "no_manager", "comment"} <= keys
    for lang in languages():
        labels = _read(lang)
        missing = {
            k for k in keys - {"comment"} if f"reason.{k}" not in labels and f"reason.{k}.other" not in labels
        }
        assert not missing, (lang, missing)


def test_exception_causes_are_in_the_editions_language() -> None:
    from itreport.analyse.portfolio import Reason
    from itreport.render.causes import cause_text
    from itreport.render.formatting import Formatter

    sv = Formatter("sv_SE", "SEK"), Translator("sv_SE")
    assert cause_text(Reason("slip", (("days", 1),)), *sv) == "+1 dag mot baslinjen"
    assert cause_text(Reason("slip", (("days", -12),)), *sv) == "−12 dagar mot baslinjen"
    # 8.333 % is cut toward zero, as the colour's threshold compares it; Swedish decimal comma.
    assert cause_text(Reason("overrun", (("pct", D("8.333")),)), *sv) == "EAC +8,3\u00a0% mot budget"
    assert cause_text(Reason("risk", (("title", "Leverantör"), ("score", 16))), *sv) == (
        "oåtgärdad risk: Leverantör (poäng 16)"
    )
    assert cause_text(Reason("comment", (("text", "Scope creep"),)), *sv) == "Scope creep"  # as written
    # Causes are joined by "; ": a comment's closing full stop or semicolon would print ".;".
    assert cause_text(Reason("comment", (("text", "Owner covering. "),)), *sv) == "Owner covering"
    assert cause_text(Reason("comment", (("text", "Owner covering;"),)), *sv) == "Owner covering"
    assert cause_text(Reason("comment", (("text", "Waiting..."),)), *sv) == "Waiting..."


def test_swedish_editions_name_thousands_one_way(tmp_path: Path) -> None:
    """Swedish tables say "tSEK"; a chart label or a cited figure saying "kSEK" beside them would
    read as another unit. Every edition of the example, in Swedish, uses the catalogue's unit."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    division = content / "division.yaml"
    division.write_text(division.read_text().replace("locale: en_GB", "locale: sv_SE"))
    for path in content.rglob("*.yaml"):  # units the content itself writes are its own affair
        path.write_text(path.read_text().replace("kSEK", "tusen kronor"))
    result = build(BuildOptions(content, tmp_path / "out", formats=("html",), jobs=1))
    pages = [w.path.read_text() for w in result.written]
    assert len(pages) == 4
    text = "\n".join(pages)
    assert "\u00a0tSEK" in text
    assert "kSEK" not in text
    assert Formatter("sv_SE", "SEK").mega(D(2_500_000)) == "2,5\u00a0MSEK"
