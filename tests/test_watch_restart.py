"""The preview's watcher keeps following edits when watchfiles gives up, its folder goes away,
or its default filter would drop the report.

A real watcher (watchfiles, inotify) on a temporary folder: watchfiles raises on a file name
that is not UTF-8 and ends its watch, a watch on a folder that was removed and made again
hears nothing more, and the default filter drops whatever lies below a folder named
`node_modules`. Either way the preview must still show what `itreport build` would.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from watchfiles import Change

from itreport import serve
from itreport.serve.preview import Preview, PreviewOptions
from itreport.serve.relevant import Relevant

from .conftest import FIXTURES, replace_in

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


@contextmanager
def watching(content: Path) -> Iterator[tuple[Preview, list[str]]]:
    """The preview's watcher thread, as `itreport serve` runs it, once it is in place."""
    preview = Preview(PreviewOptions(content))
    stop, ready, said = threading.Event(), threading.Event(), list[str]()
    thread = threading.Thread(target=serve._watch_guarded, args=(preview, stop, said.append, ready))
    thread.start()
    try:
        assert ready.wait(30), said
        yield preview, said
    finally:
        stop.set()
        thread.join(10)
        preview.close()


def shows(preview: Preview, text: str, *, ok: bool = True, seconds: float = 15) -> bool:
    """Whether the preview comes to show `text` (on a good page, or a problem page) in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = preview.current
        if text in page.body and page.ok is ok:
            return True
        preview.wait(page.version, 0.1)
    return False


def test_a_file_name_that_is_not_utf8_does_not_stop_the_preview(content: Path) -> None:
    with watching(content) as (preview, said):
        (content / os.fsdecode(b"notes-\xff.yaml")).write_bytes(b"x: 1\n")
        time.sleep(0.3)  # watchfiles meets the name (and gave up on it)
        replace_in(content, "narrative.yaml", "The division is **on track** overall", "AFTER-ODD-NAME")
        assert shows(preview, "AFTER-ODD-NAME"), said
        assert not any(line.startswith("stopped following") for line in said), said


def test_a_content_folder_removed_and_made_again_is_followed(content: Path) -> None:
    with watching(content) as (preview, said):
        shutil.rmtree(content)
        assert shows(preview, "division.yaml is missing", ok=False), said
        shutil.copytree(FIXTURES / "minimal", content)
        assert shows(preview, "on track"), said
        replace_in(content, "narrative.yaml", "The division is **on track** overall", "IN-THE-NEW-FOLDER")
        assert shows(preview, "IN-THE-NEW-FOLDER"), said


def test_a_content_folder_below_a_tool_folder_is_followed(tmp_path: Path) -> None:
    """watchfiles' default filter dropped every report under a folder named `node_modules`
    (or `.venv`, `.git`...) anywhere on the path: such a content folder was never followed."""
    content = tmp_path / "node_modules" / "board" / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    with watching(content) as (preview, said):
        replace_in(content, "narrative.yaml", "The division is **on track** overall", "UNDER-A-TOOL-FOLDER")
        assert shows(preview, "UNDER-A-TOOL-FOLDER"), said


def test_only_editors_files_and_tool_folders_below_the_watched_folder_are_passed_over(
    tmp_path: Path,
) -> None:
    content = tmp_path / ".venv" / "content"
    relevant = Relevant([content, tmp_path / "templates"])
    changed = Change.modified
    assert relevant(changed, str(content / "projects" / "alpha.yaml"))
    assert relevant(changed, str(content / ".git" / "gamma.yaml"))  # the build reads it
    assert relevant(changed, str(content / "node_modules" / "x.YAML "))  # said as misnamed
    assert relevant(changed, str(content / "projects"))
    assert not relevant(changed, str(content / "node_modules"))
    assert not relevant(changed, str(content / ".git" / "index"))
    assert not relevant(changed, str(tmp_path / "templates" / "__pycache__" / "x.html"))
    assert relevant(changed, str(tmp_path / "templates" / "page.html"))
    for editor in (".alpha.yaml.swp", "alpha.yaml~", ".#alpha.yaml", "alpha.yaml.___jb_old___"):
        assert not relevant(changed, str(content / "projects" / editor)), editor
