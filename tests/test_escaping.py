"""Control characters in data are escaped for HTML, CSS and the terminal; integrity marks hold.

Each case is a real project (a git repository where the marks depend on it) with a hostile value
written into its YAML, built or validated through the CLI.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tinycss2
from click.testing import CliRunner
from pypdf import PdfReader

from itreport.cli import main
from itreport.controls import css_string_body, for_html, for_terminal
from tests.conftest import FIXTURES, replace_in

# A name that, unescaped, ends the CSS string, hides the DRAFT mark and fakes the footer's commit.
INJECT = (
    'Evil\r"; } @page { @top-center { content: none } '
    '@bottom-left { content: "Internal 0badc0ffee00" } } x { y: "'
)
SHOWN = INJECT.replace("\r", "\ufffd")
CONTROLS = "\x1b[2J\x1b[31m\x07\x9b\u202eTFARD\u2066\u2028\x7f"


def _git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    replace_in(tmp_path / "content", "division.yaml", "name: Test IT", f"name: {json.dumps(INJECT)}")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "content")
    _git(tmp_path, "commit", "-q", "-m", "division")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _page_boxes(html: str) -> dict[str, list[str]]:
    """The margin boxes of the main @page rule and the strings in each, as a browser parses them."""
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    rules = tinycss2.parse_stylesheet(css.group(1), skip_whitespace=True, skip_comments=True)
    page = next(
        r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "page" and not r.prelude[1:]
    )
    boxes: dict[str, list[str]] = {}
    for item in tinycss2.parse_blocks_contents(page.content, skip_whitespace=True):
        if item.type == "at-rule":
            declarations = tinycss2.parse_blocks_contents(item.content, skip_whitespace=True)
            content = next(d for d in declarations if d.type == "declaration" and d.lower_name == "content")
            boxes[item.lower_at_keyword] = [t.value for t in content.value if t.type == "string"]
    return boxes


def _spaced(text: str) -> re.Pattern[str]:
    """`text` as extracted from a letter-spaced PDF line (a space may fall between letters)."""
    return re.compile(r"\s?".join(re.escape(c) for c in text))


def _pages(pdf: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(pdf).pages]


def test_hostile_name_cannot_hide_draft(repo: Path) -> None:
    replace_in(repo / "content", "narrative.yaml", "on track", "nearly on track")  # uncommitted: DRAFT
    result = CliRunner().invoke(main, ["build", "content"])
    assert result.exit_code == 0, result.output
    boxes = _page_boxes(Path("output/briefing-2026-10.html").read_text())
    assert sorted(boxes) == ["bottom-left", "bottom-right", "top-center", "top-left", "top-right"]
    assert boxes["top-center"] == ["DRAFT"]
    assert boxes["top-right"] == [SHOWN]  # the whole name, as text
    pages = _pages(Path("output/briefing-2026-10.pdf"))
    assert all(_spaced("DRAFT").search(text) for text in pages)


def test_hostile_name_cannot_fake_the_commit(repo: Path) -> None:
    head = _git(repo, "rev-parse", "HEAD")
    result = CliRunner().invoke(main, ["build", "content"])
    assert result.exit_code == 0, result.output
    boxes = _page_boxes(Path("output/briefing-2026-10.html").read_text())
    assert "top-center" not in boxes
    assert boxes["bottom-left"] == [f"Internal · As of 31 Oct 2026 · {head[:12]}"]
    assert all(head[:12] in text for text in _pages(Path("output/briefing-2026-10.pdf")))
    manifest = json.loads(Path("output/manifest.json").read_text())
    assert manifest["vcs"] == "git" and manifest["commit"] == head and manifest["draft"] is False


def test_hostile_classification_stays_text(content: Path) -> None:
    replace_in(content, "division.yaml", "classification: Internal", f"classification: {json.dumps(INJECT)}")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 0, result.output
    boxes = _page_boxes(Path("output/briefing-2026-10.html").read_text())
    assert boxes["top-center"] == ["NOT UNDER VERSION CONTROL"]
    assert boxes["bottom-left"][0].startswith(SHOWN + " · As of")


def test_outside_git_every_page_says_so(content: Path) -> None:
    result = CliRunner().invoke(main, ["build", "content"])
    assert result.exit_code == 0, result.output
    assert "not under version control" in result.output
    manifest = json.loads(Path("output/manifest.json").read_text())
    assert manifest["vcs"] is None and manifest["commit"] is None
    pages = _pages(Path("output/briefing-2026-10.pdf"))
    assert all(_spaced("NOT UNDER VERSION CONTROL").search(text) for text in pages)
    assert all("not under version control" in text for text in pages)  # footer, or cover on page 1


def test_control_characters_never_reach_html(content: Path) -> None:
    value = json.dumps(f"Alpha{CONTROLS}platform")
    replace_in(content, "projects/alpha.yaml", "name: Alpha platform", f"name: {value}")
    replace_in(content, "division.yaml", "name: Test IT", f"name: {json.dumps('Test' + CONTROLS)}")
    result = CliRunner().invoke(main, ["build", "content", "--format", "html"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", html)
    assert "Alpha\ufffd[2J\ufffd[31m" in html


def test_validate_shows_control_characters_escaped(content: Path) -> None:
    replace_in(content, "projects/alpha.yaml", "manager: bo.ek", 'manager: "bo\\e[2J\\u202eek"')
    result = CliRunner().invoke(main, ["validate", "content"])
    assert result.exit_code == 1
    out = result.output
    assert "\x1b" not in out and "\u202e" not in out
    assert "'bo\\x1b[2J\\u202eek' is not a valid id" in out
    source = next(line for line in out.splitlines() if "manager:" in line)
    caret = out.splitlines()[out.splitlines().index(source) + 1]
    assert source.endswith('manager: "bo\\e[2J\\u202eek"')  # the line as written in the file
    assert caret.index("^") == source.index('"bo')
    for fmt in ("json", "github"):
        out = CliRunner().invoke(main, ["validate", "content", "--format", fmt]).output
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out)


def test_caret_stays_under_the_value_after_escapes(content: Path) -> None:
    # Raw bidi overrides before the wrong value on the same line: the shown line is longer.
    replace_in(
        content,
        "projects/alpha.yaml",
        "overall: {rag: amber, comment: Vendor late}",
        'overall: {comment: "\u202e\u202eVendor late", rag: purple}',
    )
    out = CliRunner().invoke(main, ["validate", "content"]).output
    assert "\u202e" not in out
    lines = out.splitlines()
    source = next(line for line in lines if line.startswith(" 25 | "))
    assert '{comment: "\\u202e\\u202eVendor late", rag: purple}' in source
    assert lines[lines.index(source) + 1].index("^") == source.index("purple")


def test_build_messages_escape_control_characters(content: Path) -> None:
    templates = content.parent / "templates" / "sections"
    templates.mkdir(parents=True)
    (templates / "problems.html").write_text("{{ view.no_such_\x1b[2J }}")
    proc = subprocess.run(
        [sys.executable, "-m", "itreport", "build", "content", "--format", "html"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_context_functions() -> None:
    assert for_terminal("a\x1b[31mb\u202ec\n") == "a\\x1b[31mb\\u202ec\\x0a"
    assert for_html("a\x1bb\u202ec\nd\te") == "a\ufffdb\ufffdc\nd\te"
    assert css_string_body('a\r"b\\c</style>') == "a\ufffd\\22 b\\5c c\\3c /style\\3e "


def test_diff_shows_control_characters_escaped(repo: Path) -> None:
    value = json.dumps(f"Alpha{CONTROLS}")
    replace_in(repo / "content", "projects/alpha.yaml", "name: Alpha platform", f"name: {value}")
    _git(repo, "commit", "-q", "-am", "September")
    replace_in(
        repo / "content",
        "projects/alpha.yaml",
        "forecast: {start: 2026-01-01, end: 2027-01-31}",
        "forecast: {start: 2026-01-01, end: 2027-03-31}",
    )
    _git(repo, "commit", "-q", "-am", "October")
    result = CliRunner().invoke(main, ["diff", "content", "--since", "HEAD~1"])
    assert result.exit_code == 0, result.output
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", result.output)
    assert "Alpha\\x1b[2J\\x1b[31m\\x07\\x9b\\u202eTFARD\\u2066\\u2028\\x7f: forecast end" in result.output
