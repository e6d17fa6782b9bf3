"""The preview in a real browser (Debian's headless Chromium): it reads at 1280 and 390 px and
reloads by itself after an edit. Skipped, with the way to install it, where Chromium is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import replace_in
from .test_serve import serving, wait_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs Chromium: `sudo apt-get install chromium` (Debian/Ubuntu); .ci/run installs it",
)

# The flags a sandboxed, offline machine needs (no first-run, no background network traffic).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_preview_reads_on_desktop_and_phone_and_reloads_after_an_edit(content: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with serving(content) as (fetch, _proc, url), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(url)
                assert "Test IT" in page.content()
                # Nothing runs off the side: wide tables scroll inside their own box.
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{width} px: the page is {overflow} px wider than the window"
                # The contents stay at hand after scrolling to the end.
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                box = page.locator("nav.toc").bounding_box()
                assert box is not None and 0 <= box["y"] < 900, f"{width} px: contents out of view {box}"
                # KPI tiles reflow: side by side on a desktop, wrapped onto rows on a phone.
                tops = page.evaluate(
                    "[...document.querySelector('.kpis').children].map(e => e.getBoundingClientRect().top)"
                )
                rows = len({round(t) for t in tops})
                assert (rows == 1) if width == 1280 else (rows > 1), f"{width} px: {rows} rows of tiles"
                page.screenshot(path=str(tmp_path / f"preview-{width}.png"), full_page=False)
                assert (tmp_path / f"preview-{width}.png").read_bytes().startswith(b"\x89PNG")
                page.close()

            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.evaluate("window.itreportMarker = 'before the edit'")
            replace_in(
                content, "narrative.yaml", "The division is **on track** overall", "RELOADED-BY-ITSELF"
            )
            page.wait_for_function(
                "document.body && document.body.innerText.includes('RELOADED-BY-ITSELF')", timeout=60_000
            )
            assert page.evaluate("window.itreportMarker === undefined")  # a real reload, not a patch
            wait_for(fetch, "RELOADED-BY-ITSELF")
        finally:
            browser.close()
