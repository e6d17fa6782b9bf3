"""Build the minimal division for real (WeasyPrint) and read the PDF and HTML back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from itreport.build import BuildOptions, build
from itreport.cli import main
from itreport.render import pdf
from itreport.render.theme import DEFAULT_THEME
from itreport.render.uasheet import needs_stock
from tests.conftest import FIXTURES, replace_in

SECTIONS = [
    "Executive summary",
    "Portfolio overview",
    "Exceptions",
    "Milestones",
    "Risks, issues and decisions",
    "Financials",
    "People and capability",
    "Strategy and coordination",
    "Problems and actions",
    "Appendix",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(FIXTURES / "minimal", root / "content")
    result = build(BuildOptions(root / "content", root / "output"))
    assert result.warnings == []  # any WeasyPrint warning fails the build tests
    return root / "output"


def test_pdf_is_byte_for_byte_what_weasyprints_own_stylesheet_gives(built: Path) -> None:
    """The PDF is laid out without WeasyPrint's universal pseudo-element rules (`uasheet`), for
    memory; the pages must be exactly those of its stock stylesheet."""
    html = (built / "briefing-2026-10.html").read_text()
    assert not needs_stock(html)  # the default theme's editions take the narrowed sheet
    stock, _ = pdf._lay_out(html, DEFAULT_THEME, [DEFAULT_THEME], date(2026, 10, 31), None, narrowed=False)
    assert stock == (built / "briefing-2026-10.pdf").read_bytes()


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_outputs_and_manifest(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [
        ".itreport.lock",  # held while a build publishes: one build at a time per folder
        "briefing-2026-10.html",
        "briefing-2026-10.pdf",
        "manifest.json",
    ]
    manifest = json.loads((built / "manifest.json").read_text())
    assert [f["file"] for f in manifest["files"]] == ["briefing-2026-10.html", "briefing-2026-10.pdf"]
    assert manifest["as_of"] == "2026-10-31"


def test_pdf_metadata_and_bookmarks(built: Path) -> None:
    reader = PdfReader(built / "briefing-2026-10.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "IT division briefing — Test IT — October 2026"
    assert meta.author == "Test IT"
    assert meta.subject == "IT division briefing, October 2026 (Internal)"
    assert meta["/CreationDate"] == "D:20261031" and meta["/ModDate"] == "D:20261031"
    assert [item.title for item in reader.outline] == SECTIONS
    assert 10 <= len(reader.pages) <= 16


def test_pdf_is_archival_and_tagged(built: Path) -> None:
    reader = PdfReader(built / "briefing-2026-10.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert bool(root["/MarkInfo"]["/Marked"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp  # PDF/A-2a
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Subset fonts carry a six-letter tag before the name, e.g. ABCDEF+Source-Sans-3-Bold.
    assert fonts and all("+" in str(name) for name in fonts)
    assert any("Source-Sans-3" in str(name) for name in fonts)  # the theme font, embedded


def test_pdf_shows_hand_computed_key_figures(built: Path) -> None:
    text = _text(built / "briefing-2026-10.pdf")
    # Plan 12,000,000 + 1,000,000 = 13,000,000; forecast: staff 9×1,000,000 + 1,100,000 (Oct actual)
    # + 2×1,100,000 (Nov–Dec forecast) = 12,300,000, alpha 400,000 actual, no later plan → 12,700,000.
    # Variance 12,700,000 − 13,000,000 = −300,000: in MSEK that is "−0.3", one significant digit,
    # so the whole tile group is in kSEK; −300,000 / 13,000,000 = −2.307…% → −2.3%.
    assert "12,700 kSEK" in text and "plan 13,000 kSEK" in text
    assert "−300 kSEK" in text and "−2.3%" in text
    # Headcount on 31 Oct: five people on staff (Finn left in June); FTE 4 × 1 + 0.8 = 4.8.
    assert "4.8 FTE" in text
    for heading in SECTIONS:
        assert heading in text


def test_pdf_running_header_footer(built: Path) -> None:
    reader = PdfReader(built / "briefing-2026-10.pdf")
    pages = len(reader.pages)
    third = reader.pages[2].extract_text()
    assert f"Page 3 of {pages}" in third
    assert "Internal · As of 31 Oct 2026" in third
    assert "Executive summary" in third.splitlines()[0]


def test_portfolio_table_in_html(built: Path) -> None:
    html = (built / "briefing-2026-10.html").read_text()
    # Alpha: forecast end 31 Jan 27 vs baseline 31 Dec 26 → +31 days; EAC 1,300,000 vs 1,200,000 budget.
    assert "+31" in html and "1,300" in html and "1,200" in html
    assert '<html lang="en">' in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_html_golden(built: Path, update_golden: bool) -> None:
    golden = Path(__file__).parent / "golden" / "minimal-briefing.html"
    html = (built / "briefing-2026-10.html").read_text()
    # The commit and draft state depend on the checkout; normalise them out of the comparison.
    html = _normalise(html)
    if update_golden or not golden.exists():
        golden.write_text(html)
    assert html == golden.read_text(), "rendered HTML changed; review and run pytest --update-golden"


def _normalise(html: str) -> str:
    import re

    html = re.sub(r"\b[0-9a-f]{12}\b", "COMMIT", html)
    return html.replace(" draft", "").replace('content: "DRAFT"', "")


def test_second_build_is_byte_identical(built: Path, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    result = build(BuildOptions(tmp_path / "content", tmp_path / "again", formats=("pdf", "html")))
    for w in result.written:
        assert w.path.read_bytes() == (built / w.path.name).read_bytes(), w.path.name


def test_failed_build_keeps_previous_outputs(content: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", "content", "--format", "html"]).exit_code == 0
    before = Path("output/briefing-2026-10.html").read_bytes()
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek", "manager: bo.eck")
    replace_in(content, "narrative.yaml", "Alpha go-live moves to January.", "Changed message.")
    result = runner.invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 1
    assert "content/projects/alpha.yaml:5:10: error: unknown person 'bo.eck'" in result.output
    assert Path("output/briefing-2026-10.html").read_bytes() == before
    assert not [p for p in Path(".").iterdir() if ".itreport-" in p.name]  # no staging folder left


def test_template_override_and_extends_default(content: Path) -> None:
    templates = content.parent / "templates"
    (templates / "sections").mkdir(parents=True)
    (templates / "briefing.html").write_text(
        '{% extends "default:briefing.html" %}'
        '{% block body %}<p id="custom">OVERRIDE-MARK</p>{{ super() }}{% endblock %}'
        "{% block extra_css %}.cover-band { background: #7a0019; }{% endblock %}"
    )
    (templates / "sections" / "problems.html").write_text(
        '<section><h2 id="problems">Our own problems page</h2></section>'
    )
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    assert "OVERRIDE-MARK" in html and "Our own problems page" in html
    assert ".cover-band { background: #7a0019; }" in html
    assert "Executive summary" in html  # the rest of the default theme still renders


def test_sandbox_blocks_unsafe_template(content: Path) -> None:
    templates = content.parent / "templates" / "sections"
    templates.mkdir(parents=True)
    (templates / "problems.html").write_text("{{ view.__class__.__mro__ }}")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 1
    assert "template error" in result.output
    assert "Traceback" not in result.output


def test_pdf_refuses_files_outside_project(content: Path) -> None:
    templates = content.parent / "templates" / "sections"
    templates.mkdir(parents=True)
    (templates / "problems.html").write_text('<img src="file:///etc/hostname" alt="x">')
    result = CliRunner().invoke(main, ["build", "content", "--format", "pdf"])
    assert result.exit_code == 1
    assert (
        "templates/sections/problems.html:1: template error: <img src> refers to 'file:///etc/hostname'"
        in (result.output)
    )


def test_markdown_is_sanitised(content: Path) -> None:
    replace_in(
        content,
        "narrative.yaml",
        "The division is **on track** overall;",
        "The division <script>alert(1)</script> is [on track](javascript:alert(1)) <img src=x onerror=y>;",
    )
    assert CliRunner().invoke(main, ["build", "content", "--format", "html"]).exit_code == 0
    html = Path("output/briefing-2026-10.html").read_text()
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html
    assert "on track" in html


def test_swedish_locale(content: Path) -> None:
    replace_in(content, "division.yaml", "locale: en_GB", "locale: sv_SE")
    assert CliRunner().invoke(main, ["build", "content", "--format", "html"]).exit_code == 0
    html = Path("output/briefing-2026-10.html").read_text()
    assert '<html lang="sv">' in html
    assert "Sammanfattning" in html
    assert "12,7\u00a0MSEK" in html and "−2,3\u00a0%" in html  # Swedish decimal comma and spaced percent


def test_unknown_edition_is_usage_error(content: Path) -> None:
    result = CliRunner().invoke(main, ["build", "content", "--edition", "nope"])
    assert result.exit_code == 2
    assert "unknown edition nope" in result.output


def test_cli_subprocess_no_traceback_on_bad_data(content: Path) -> None:
    with (content / "people.yaml").open("a") as fh:
        fh.write("  - id: [broken\n")
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "build", "content"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "content/people.yaml:" in proc.stdout and "error: YAML syntax error" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_template_nesting_thousands_of_elements_is_an_error_not_a_traceback(content: Path) -> None:
    """WeasyPrint lays out nested boxes recursively; a hostile override that opens thousands of
    elements ended the build with a RecursionError traceback (review finding)."""
    templates = content.parent / "templates"
    templates.mkdir()
    (templates / "briefing.html").write_text(
        '{% extends "default:briefing.html" %}'
        "{% block body %}{% for i in range(3000) %}<div>{% endfor %}{{ super() }}{% endblock %}"
    )
    before = set(Path(".").iterdir())
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "build", "content", "--jobs", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "nests its elements too deeply to lay out" in proc.stderr
    assert "earlier outputs were left as they were" in proc.stderr
    assert set(Path(".").iterdir()) == before  # nothing written
