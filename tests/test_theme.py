"""A theme you can change without forking: blocks, theme list/eject, assets, and a reference that
cannot drift from what templates receive."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from itreport.build import BuildOptions, build
from itreport.cli import main
from itreport.render import html as html_module
from itreport.render.theme import blocks_of, default_templates
from itreport.render.themedoc import BEGIN, CONTEXT, END, filter_rows, reference

REPO = Path(__file__).resolve().parent.parent
THEME_DOC = REPO / "docs" / "theme.md"


def test_theme_doc_reference_is_generated_from_the_code() -> None:
    text = THEME_DOC.read_text(encoding="utf-8")
    current = text[text.index(BEGIN) : text.index(END) + len(END)] + "\n"
    assert current == reference(), "docs/theme.md is stale: python -m itreport.render.themedoc docs/theme.md"


def test_theme_doc_names_every_variable_a_template_receives(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[str]] = []
    real = html_module.render_template

    def spy(env: Any, name: str, context: Any, *args: Any) -> str:
        seen.append(set(context))
        return real(env, name, context, *args)

    monkeypatch.setattr(html_module, "render_template", spy)
    build(BuildOptions(content, content.parent / "out", ("html",)))
    assert seen
    assert seen[0] == set(CONTEXT)


def test_every_filter_is_described() -> None:
    rows = filter_rows()
    assert {"markdown", "mega", "date", "percent", "join"} <= {name for name, _ in rows}
    assert all(text for _name, text in rows)


@pytest.mark.parametrize(
    "name", [n for n in default_templates() if n.endswith(".html") and n != "macros.html"]
)
def test_every_page_template_has_documented_blocks(name: str) -> None:
    blocks = blocks_of(name)
    assert blocks, f"{name} has no block an override could redefine"
    doc = THEME_DOC.read_text(encoding="utf-8")
    for block in blocks:
        assert f"`{block}`" in doc or block.startswith("section_"), f"docs/theme.md lacks block {block}"


def test_theme_list_and_eject(content: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["theme", "list", str(content)])
    assert listed.exit_code == 0
    assert (
        "sections/cover.html  blocks: cover, cover_band, cover_title, cover_facts, cover_status"
        in listed.output
    )
    ejected = runner.invoke(main, ["theme", "eject", "sections/cover.html", str(content)])
    assert ejected.exit_code == 0, ejected.output
    copy = content.parent / "templates/sections/cover.html"
    assert copy.read_text(encoding="utf-8") == (REPO / "templates/sections/cover.html").read_text(
        encoding="utf-8"
    )
    assert "sections/cover.html (overridden)" in runner.invoke(main, ["theme", "list", str(content)]).output
    again = runner.invoke(main, ["theme", "eject", "sections/cover.html", str(content)])
    assert again.exit_code == 2 and "exists already" in again.output
    unknown = runner.invoke(main, ["theme", "eject", "../../../etc/passwd", str(content)])
    assert unknown.exit_code == 2 and "not a default template" in unknown.output


def test_eject_never_writes_through_a_link(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (content.parent / "templates").symlink_to(outside)
    result = CliRunner().invoke(main, ["theme", "eject", "base.html", str(content)])
    assert result.exit_code == 2
    assert list(outside.iterdir()) == []


def png(width: int = 4, height: int = 2) -> bytes:
    """A small valid PNG made here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x1f\x3a\x5f" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_a_block_override_with_a_logo_and_a_stylesheet_reaches_html_and_pdf(content: Path) -> None:
    overrides = content.parent / "templates"
    (overrides / "sections").mkdir(parents=True)
    (overrides / "logo.png").write_bytes(png())
    (overrides / "extra.css").write_text(".cover-title { letter-spacing: 0.031em; }\n", encoding="utf-8")
    (overrides / "sections/cover.html").write_text(
        '{% extends "default:sections/cover.html" %}\n'
        "{% block cover_band %}\n"
        '<div class="cover-band"><img class="logo" src="{{ asset(\'logo.png\') }}" alt="Logo">'
        "<p>{{ view.division.name }}</p></div>\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    (overrides / "base.html").write_text(
        '{% extends "default:base.html" %}{% block extra_css %}{% include "extra.css" %}{% endblock %}',
        encoding="utf-8",
    )
    result = build(BuildOptions(content, content.parent / "out", ("html", "pdf"), ("briefing",)))
    assert result.warnings == []
    html = next(w.path for w in result.written if w.kind == "html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    assert "letter-spacing: 0.031em" in html
    assert (
        "Testbolaget AB" not in html.split('class="cover-title"')[0].split("<body")[1]
    )  # the band was replaced
    assert 'class="cover-facts"' in html  # ... and the rest of the default cover kept
    pdf = next(w.path for w in result.written if w.kind == "pdf")
    cover = PdfReader(pdf).pages[0]
    assert len(cover.images) == 1
