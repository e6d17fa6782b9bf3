"""The preview's watcher keeps following edits when watchfiles gives up or its folder goes away.

A real watcher (watchfiles, inotify) on a temporary folder: watchfiles raises on a file name
that is not UTF-8 and ends its watch, and a watch on a folder that was removed and made again
hears nothing more. Either way the preview must still show what `itreport build` would.
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

from itreport import serve
from itreport.serve.preview import Preview, PreviewOptions

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
