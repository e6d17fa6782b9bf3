"""Data-quality notes in a briefing are sentences in the edition's language; file locations are
for `validate` only."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from itreport.analyse import analyse
from itreport.build import _quality
from itreport.edition import build_view, visible_quality
from itreport.models.briefings import DEFAULT_EDITION, Audience
from itreport.problems import Note
from itreport.render.formatting import Formatter
from itreport.render.html import render_html
from itreport.render.i18n import Translator, catalogue
from itreport.render.notes import note_text
from itreport.validate import validate_folder
from tests.conftest import REPO, replace_in
from tests.rendered import example_html, section, text_of


def _notes(locale: str, edition: str) -> list[str]:
    ul = section(example_html(locale)[edition], "data-quality")
    return [text_of(li).strip() for li in re.findall(r"<li>(.*?)</li>", ul, re.S)]


@pytest.mark.parametrize("locale", ["en_GB", "sv_SE"])
@pytest.mark.parametrize("edition", ["board", "executive", "finance", "management"])
def test_notes_carry_no_file_locations(locale: str, edition: str) -> None:
    notes = _notes(locale, edition)
    assert notes
    for n in notes:
        assert ".yaml" not in n and "content/" not in n and not re.search(r":\d+:", n), n


def test_notes_are_sentences_in_english_and_swedish() -> None:
    stale_en = (
        "The latest status report for Campus and WAN network refresh is from 28 August 2026 "
        "(64 days ago), so the project is shown as not assessed."
    )
    stale_sv = (
        "Den senaste statusrapporten för Campus and WAN network refresh är från 28 augusti 2026 "
        "(64 dagar sedan), så projektet visas som ej bedömt."
    )
    assert stale_en in _notes("en_GB", "board")
    assert stale_sv in _notes("sv_SE", "board")
    assert "The performance review of Patrik Hansson has been due since 10 June 2026." in _notes(
        "en_GB", "management"
    )


def test_notes_about_people_only_for_management_tier() -> None:
    board = " ".join(_notes("en_GB", "board"))
    management = " ".join(_notes("en_GB", "management"))
    assert "Patrik Hansson" not in board and "certification" not in board
    assert "Patrik Hansson" in management


def test_warnings_without_wording_are_counted_not_dropped() -> None:
    stale = Note("dq_no_status", (("project", "Alpha"),))
    findings = (("projects.stale", stale), ("some.rule", None), ("other.rule", None), ("people.review", None))
    assert visible_quality(findings, Audience.BOARD) == (stale, Note("dq_other", (("count", 2),)))
    assert visible_quality(findings, Audience.MANAGEMENT)[-1] == Note("dq_other", (("count", 3),))
    assert visible_quality((("projects.stale", stale),), Audience.BOARD) == (stale,)


def test_note_values_are_formatted_in_the_locale() -> None:
    note = Note("dq_missing_actual", (("line", "Cloud"), ("month", "2026-06")))
    assert note_text(note, Formatter("sv_SE", "SEK"), Translator("sv_SE")) == (
        "Budgetraden Cloud saknar utfall för juni 2026; berörda summor markeras som ofullständiga (*) "
        "och prognosen räknar med månadens prognos eller plan."
    )
    note = Note("dq_review_overdue", (("person", "Bo Ek"), ("date", date(2026, 6, 10))))
    assert note_text(note, Formatter("en_GB", "SEK"), Translator("en_GB")) == (
        "The performance review of Bo Ek has been due since 10 June 2026."
    )


def test_every_note_key_in_the_code_is_in_every_catalogue() -> None:
    keys = set()
    for path in (REPO / "itreport").rglob("*.py"):
        keys |= set(re.findall(r'Note\(\s*"(dq_\w+)"', path.read_text(encoding="utf-8")))
    assert len(keys) >= 12
    for language in ("en", "sv"):
        labels = catalogue(language)
        missing = {k for k in keys if k not in labels and f"{k}.other" not in labels}
        assert not missing, (language, missing)


def test_note_with_one_further_finding_is_singular() -> None:
    fmt, tr = Formatter("en_GB", "SEK"), Translator("en_GB")
    assert note_text(Note("dq_other", (("count", 1),)), fmt, tr) == (
        "1 further finding is listed for the data's editors by `itreport validate`."
    )
    assert note_text(Note("dq_other", (("count", 1200),)), fmt, tr) == (
        "1,200 further findings are listed for the data's editors by `itreport validate`."
    )


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        (
            "en_GB",
            "The percent complete of Alpha platform is given as 0.6, which looks like a fraction; "
            "it is read as 0.6 percent.",
        ),
        (
            "sv_SE",
            "Färdigställandegraden för Alpha platform är angiven som 0,6, vilket ser ut som en andel; "
            "den läses som 0,6 procent.",
        ),
    ],
)
def test_a_new_warning_reaches_the_briefing_as_a_sentence(content: Path, locale: str, sentence: str) -> None:
    replace_in(content, "projects/alpha.yaml", "percent_complete: 60", "percent_complete: 0.6")
    replace_in(content, "division.yaml", "locale: en_GB", f"locale: {locale}")
    v = validate_folder(content)
    assert v.content is not None
    html = render_html(build_view(analyse(v.content), DEFAULT_EDITION, _quality(v)))
    notes = [text_of(li).strip() for li in re.findall(r"<li>(.*?)</li>", section(html, "data-quality"), re.S)]
    assert sentence in notes
