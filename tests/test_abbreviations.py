"""Every abbreviation printed in an edition is defined in that edition's appendix, in its language;
earned value is labelled indicative, with its basis."""

from __future__ import annotations

import re

import pytest

from itreport.render.i18n import catalogue
from tests.rendered import example_html, text_of

ABBREVIATIONS = ("EAC", "BAC", "PV", "EV", "AC", "CPI", "SPI", "FTE", "FY", "RAG")
# Not abbreviations a reader needs spelled out: the division's own name, the draft stamp, PDF.
WORDS = {"IT", "HR", "DRAFT", "PDF", "NOT", "UNDER", "EJ"}  # words of the marks, not abbreviations
EDITIONS = ("board", "executive", "finance", "management")


def _split(page: str) -> tuple[str, dict[str, str]]:
    """(the edition's text outside the appendix, {abbreviation: definition} from its appendix)."""
    start = page.index('<section class="section appendix"')
    end = page.index("</section>", start)
    appendix = page[start:end]
    defined = {
        text_of(dt).strip(): text_of(dd).strip()
        for dt, dd in re.findall(
            r"<dt><abbr>(.*?)</abbr></dt><dd>(.*?)</dd>",
            appendix[appendix.index('class="definitions abbreviations"') :],
            re.S,
        )
    }
    return text_of(page[:start] + page[end:]), defined


@pytest.mark.parametrize("locale", ["en_GB", "sv_SE"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_each_abbreviation_on_a_page_is_defined_in_the_appendix(locale: str, edition: str) -> None:
    text, defined = _split(example_html(locale)[edition])
    present = {a for a in ABBREVIATIONS if re.search(rf"(?<![\w-]){a}(?![\w-])", text)}
    assert "FTE" in present  # the headcount tile, in every edition
    for abbr in present:
        assert abbr in defined, f"{edition}/{locale}: {abbr} is printed but not defined"
        assert len(defined[abbr]) > 20 and not defined[abbr].startswith("abbr_")
    if edition in ("executive", "management"):  # the full portfolio section has the EV table
        assert {"PV", "EV", "AC", "CPI", "SPI", "EAC"} <= present


@pytest.mark.parametrize("language", ["en", "sv"])
def test_labels_use_no_undefined_abbreviation(language: str) -> None:
    """A new label with an abbreviation must come with its definition in the appendix."""
    labels = catalogue(language)
    used = {
        tok
        for key, value in labels.items()
        if not key.startswith("abbr_") and value != value.upper()  # all-caps stamps are not prose
        for tok in re.findall(r"\b[A-ZÅÄÖ]{2,5}\b", value)
    }
    assert used - WORDS <= set(ABBREVIATIONS)
    assert all(f"abbr_{a}" in labels for a in ABBREVIATIONS)


@pytest.mark.parametrize(
    ("locale", "caption"),
    [
        (
            "en_GB",
            "Earned value, kSEK: indicative, from the reported percent complete and a straight-line "
            "plan over the baseline dates",
        ),
        (
            "sv_SE",
            "Intjänat värde, tSEK: indikativt, från rapporterad färdigställandegrad och en linjär plan "
            "över baslinjens datum",
        ),
    ],
)
def test_earned_value_is_labelled_indicative_with_its_basis(locale: str, caption: str) -> None:
    page = example_html(locale)["executive"]
    assert f"<caption>{caption}</caption>" in page
