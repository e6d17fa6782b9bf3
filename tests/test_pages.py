"""Every page of every edition, in both languages, passes the page check (tests/pagecheck.py).

The divisions are built once per session, each `itreport build` in its own process and two at a
time (the machine has two cores): the example division, each test fixture
and the generated medium division (`itreport demo --scale medium`: 80 projects, 400 people),
each in English and in Swedish, and the board edition of the large one (400 projects) in English;
`make pages-large` checks every edition of the large division in both languages. A failure lists every broken page as
"division/locale/edition page N: kind: what, where".
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.divisions import LOCALES, localised, page_count
from tests.pagecheck import Finding, Limits, check_pdf, report

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def _sources() -> dict[str, Path]:
    sources = {"example": REPO / "content"}
    for fixture in sorted(p for p in FIXTURES.iterdir() if (p / "division.yaml").is_file()):
        sources[fixture.name] = fixture
    return sources


def _build(content: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "itreport", "build", str(content), "--out", str(out), *extra]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(command, capture_output=True, text=True, cwd=content.parent, env=env, timeout=600)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Label "division/locale" → its edition PDFs; every division built once for the session."""
    root = tmp_path_factory.mktemp("pages")
    jobs: dict[str, Path] = {}
    for name, source in _sources().items():
        for locale in LOCALES:
            jobs[f"{name}/{locale[:2]}"] = localised(source, root / f"{name}-{locale}" / "content", locale)
    medium = root / "medium-source"
    demo = [sys.executable, "-m", "itreport", "demo", str(medium), "--scale", "medium"]
    subprocess.run(demo, check=True, capture_output=True, timeout=300)
    for locale in LOCALES:
        jobs[f"medium/{locale[:2]}"] = localised(medium, root / f"medium-{locale}" / "content", locale)
    # The large division (400 projects): its board edition only here; every edition in both
    # languages is `make pages-large` (minutes).
    large = root / "large-en" / "content"
    demo = [sys.executable, "-m", "itreport", "demo", str(large), "--scale", "large"]
    subprocess.run(demo, check=True, capture_output=True, timeout=300)
    jobs["large/en"] = large
    extra = {"large/en": ("--edition", "board", "--format", "pdf")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = {
            label: pool.submit(_build, content, content.parent / "out", *extra.get(label, ()))
            for label, content in jobs.items()
        }
    pdfs: dict[str, list[Path]] = {}
    for label, future in results.items():
        done = future.result()
        assert done.returncode == 0, f"{label}: build failed\n{done.stdout}\n{done.stderr}"
        pdfs[label] = sorted((jobs[label].parent / "out").glob("*.pdf"))
        assert pdfs[label], f"{label}: no PDF written"
    return pdfs


def _findings(pdfs: list[Path], label: str) -> Iterator[str]:
    for pdf in pdfs:
        yield from report(f"{label}/{pdf.stem}", check_pdf(pdf))


@pytest.mark.parametrize("locale", [loc[:2] for loc in LOCALES])
@pytest.mark.parametrize("division", [*_sources(), "medium"])
def test_every_page_passes_the_page_check(built: dict[str, list[Path]], division: str, locale: str) -> None:
    label = f"{division}/{locale}"
    problems = list(_findings(built[label], label))
    assert not problems, f"{len(problems)} page problem(s):\n" + "\n".join(problems)


def test_large_division_board_edition_is_a_few_clean_pages(built: dict[str, list[Path]]) -> None:
    """At 400 projects the board edition stays a board pack: worst items first, the rest counted
    (the edition's limit), in about as many pages as the example's board edition (13)."""
    (pdf,) = built["large/en"]
    assert page_count(pdf) <= 14, f"{pdf.name}: {page_count(pdf)} pages"
    problems = list(_findings([pdf], "large/en"))
    assert not problems, f"{len(problems)} page problem(s):\n" + "\n".join(problems)


def test_large_board_counts_add_up(built: dict[str, list[Path]]) -> None:
    """What the large board edition prints adds up: the 10 items it lists plus "And N more" are
    the totals printed beside them, and the exceptions' colours sum to their total."""
    import pypdfium2 as pdfium

    (pdf,) = built["large/en"]
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    text = re.sub(r"\s+", " ", text)
    found = re.search(
        r"needing attention: (\d+) \(red: (\d+), amber: (\d+), status not reported: (\d+)\)", text
    )
    assert found, "exception counts not found"
    total, red, amber, stale = map(int, found.groups())
    assert red + amber + stale == total
    more = {
        m[1]: int(m[0])
        for m in re.findall(r"And (\d+) more (decisions|live projects|projects needing)", text)
    }
    assert more["projects needing"] + 10 == total
    by_class_total = re.search(r"Total (?:\d+ ){4}(\d+)", text)  # red, amber, green, grey, all
    assert by_class_total, "counts by investment class not found"
    live = int(by_class_total.group(1))
    assert f"{live} projects" in text  # the status chart's total
    assert more["live projects"] + 10 == live
    assert more["decisions"] > 0


def test_every_edition_is_checked(built: dict[str, list[Path]]) -> None:
    """The example's four editions, and at least one per fixture, reach the check in both languages."""
    for label, pdfs in built.items():
        assert len(pdfs) >= (4 if label.startswith(("example/", "medium/")) else 1), label


def test_larger_division_spans_more_pages(built: dict[str, list[Path]]) -> None:
    """The generated medium division (80 projects) is larger where layout breaks first, except
    the board edition, whose long lists are bounded."""
    import pypdfium2 as pdfium

    def pages(pdf: Path) -> int:
        document = pdfium.PdfDocument(str(pdf))
        try:
            return len(document)
        finally:
            document.close()

    example = {p.stem: pages(p) for p in built["example/en"]}
    large = {p.stem: pages(p) for p in built["medium/en"]}
    assert example.keys() == large.keys()
    # The board edition bounds its lists (10 items, the rest counted): it stays about as long.
    unbounded = [k for k in example if not k.startswith("board-")]
    assert all(large[k] > example[k] for k in unbounded), (example, large)
    assert large["board-2026-10"] <= example["board-2026-10"] + 1, (example, large)


def test_findings_name_division_locale_edition_and_page() -> None:
    finding = Finding(3, "margin", "text 'EAC' 6.7 mm from the right edge")
    assert report("example/sv/board-2026-10", [finding]) == [
        "example/sv/board-2026-10 page 3: margin: text 'EAC' 6.7 mm from the right edge"
    ]
    assert Limits().min_side_mm == 12.0 and Limits().min_size_pt == 6.0


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        (
            "en",
            (
                "108.6 MSEK",
                "plan 107.2 MSEK",
                "+1.4 MSEK",
                "Spend by cost centre, kSEK",
                "add up to 16 for 11 projects",
                "4 of them are red on schedule, 2 on cost and 2 on risk",
                "at least amber without a project manager",
            ),
        ),
        (
            "sv",
            (
                "108,6 MSEK",
                "plan 107,2 MSEK",
                "+1,4 MSEK",
                "Kostnader per kostnadsställe, tSEK",
                "summerar till 16 för 11 projekt",
                "4 of them are red on schedule, 2 on cost and 2 on risk",
                "minst gul när projektledare saknas",
            ),
        ),
    ],
)
def test_example_pdfs_print_figures_that_agree(
    built: dict[str, list[Path]], locale: str, says: tuple[str, ...]
) -> None:
    """The CIO edition's PDF, read back: the variance tile is the printed forecast less the printed
    plan (not +1.5), the cost-centre table is in the edition's unit, the Strategy page says why its
    counts differ, the summary counts causes, and the appendix gives the rule the colours follow."""
    import pypdfium2 as pdfium

    (pdf,) = [p for p in built[f"example/{locale}"] if p.stem.startswith("cio-")]
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\ufffe", "").replace("\u00ad", ""))
    for phrase in says:
        assert phrase.replace("\u00a0", " ") in text, phrase
    assert "+1.5 MSEK" not in text and "+1,5 MSEK" not in text
