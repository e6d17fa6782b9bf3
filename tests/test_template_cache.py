"""Compiled templates are kept between builds in one process (`itreport serve`), never a stale or
swapped one: an edited template is read again even when its size and time are kept, a template
swapped for a link out of the folder is refused on the next build, and an override added beside
the default theme is used at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itreport.build import BuildOptions, TemplateProblem, build
from itreport.render.html import cached_env
from tests.conftest import replace_in

SECRET = "SECRET-TEMPLATE-9313"
OVERRIDE = "{% extends 'default:briefing.html' %}{% block extra_css %}h1 { color: teal }{% endblock %}"


def _html(content: Path) -> str:
    result = build(BuildOptions(content, content.parent / "out", formats=("html",), jobs=1))
    page = next(w.path for w in result.written if w.kind == "html")
    return page.read_text(encoding="utf-8")


def test_a_kept_environment_rereads_changed_and_swapped_templates(content: Path, tmp_path: Path) -> None:
    templates = content.parent / "templates"
    templates.mkdir()
    first = _html(content)
    assert "color: teal" not in first

    # An override added after the first build shadows the default theme's template.
    override = templates / "briefing.html"
    override.write_text(OVERRIDE, encoding="utf-8")
    assert "h1 { color: teal }" in _html(content)

    # Same size, same modification time: still read again (another inode and change time).
    before = override.stat()
    replacement = templates / "new.tmp"
    replacement.write_text(OVERRIDE.replace("teal", "navy"), encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, override)
    assert override.stat().st_size == before.st_size
    assert "h1 { color: navy }" in _html(content)

    # Only the data changes: the environment (and its compiled templates) is kept.
    hits = cached_env.cache_info().hits
    replace_in(content, "division.yaml", "name: Test IT", "name: Test IT Renamed")
    assert "h1 { color: navy }" in _html(content)
    assert cached_env.cache_info().hits > hits

    # The template is swapped for a link to a file outside the project: refused, never rendered.
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "briefing.html"
    secret.write_text(OVERRIDE.replace("teal", SECRET), encoding="utf-8")
    override.unlink()
    override.symlink_to(secret)
    with pytest.raises(TemplateProblem) as refused:
        _html(content)
    assert "briefing.html: is a symbolic link to a file outside the templates folder" in str(refused.value)
    assert SECRET not in str(refused.value)
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in (content.parent / "out").glob("*.html"))


def test_a_folder_swapped_for_a_link_out_is_refused_on_the_next_build(content: Path, tmp_path: Path) -> None:
    sections = content.parent / "templates" / "sections"
    sections.mkdir(parents=True)
    (sections / "problems.html").write_text("<p>our own problems section</p>\n", encoding="utf-8")
    _html(content)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "problems.html").write_text(f"<p>{SECRET}</p>\n", encoding="utf-8")
    (sections / "problems.html").unlink()
    sections.rmdir()
    sections.symlink_to(outside)
    with pytest.raises(TemplateProblem) as refused:
        _html(content)
    assert "a symbolic link to a folder outside the templates folder" in str(refused.value)
    assert SECRET not in str(refused.value)
