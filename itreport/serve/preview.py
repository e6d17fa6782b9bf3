"""The preview's state: the last page built, the last good one, and a version that readers wait on.

A rebuild goes through the same `build()` as `itreport build`, into a private temporary folder,
so the preview shows exactly what a build would write. Whatever goes wrong (bad YAML, a template
error, anything else), the preview turns it into a page: the server never dies on bad input.
"""

from __future__ import annotations

import html
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from itreport.load import ParseMemo, remembering
from itreport.problems import ProblemsFound
from itreport.report import format_text


@dataclass(frozen=True)
class PreviewOptions:
    content: Path
    edition: str | None = None
    templates: Path | None = None
    private: Path | None = None


@dataclass
class Page:
    """One state of the preview: a briefing (ok) or a problem page, with its build time."""

    body: str
    ok: bool
    seconds: float
    version: int = 0


@dataclass
class Preview:
    options: PreviewOptions
    current: Page = field(default_factory=lambda: Page("", False, 0.0))
    last_good: Page | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)
    _workdir: tempfile.TemporaryDirectory[str] = field(default_factory=tempfile.TemporaryDirectory)
    _pdf: tuple[int, bytes] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    parses: ParseMemo = field(default_factory=ParseMemo)
    """Parsed and validated files kept between rebuilds (and what the checks found per unchanged
    entity): after an edit only the changed file is parsed and validated again."""

    @property
    def version(self) -> int:
        return self.current.version

    def rebuild(self, changed: Iterable[str] = (), *, complete: bool = False) -> Page:
        """Build the edition's HTML now; publish the result (or the problem page) as a new version.

        `changed`: the paths the file watcher reported; they are read again whatever their
        stamps say (see `ParseMemo.suspect`). `complete`: they are every change since the last
        build, so the files they do not name are not looked at (see `itreport.content._records`);
        a file that changed without a report (the watcher lost an event) is caught right after,
        by a build that looks at every file, before the page is published.
        """
        from itreport.content import stale_rounds

        with self._lock:
            self.parses.suspect(changed, complete=complete)
            start = time.perf_counter()
            body, ok = self._build("html")
            # Checked under the same lock: a print preview built in between would look at every
            # file and keep what it saw, and the stale page would pass the check.
            if complete and stale_rounds(self.parses):
                body, ok = self._build("html")
            page = Page(body.decode("utf-8"), ok, time.perf_counter() - start)
            with self.changed:
                page.version = self.current.version + 1
                self.current = page
                if ok:
                    self.last_good = page
                self.changed.notify_all()
            return page

    def pdf(self) -> tuple[bytes, bool]:
        """The paged layout (the real PDF) for the current version, built once per version."""
        with self._lock:
            version = self.current.version
            if self._pdf is not None and self._pdf[0] == version:
                return self._pdf[1], True
            body, ok = self._build("pdf")
            if ok:
                self._pdf = (version, body)
            return body, ok

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the version differs from `seen` (or the timeout); returns the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.current.version != seen, timeout=timeout)
            return self.current.version

    def close(self) -> None:
        self._workdir.cleanup()

    def _build(self, fmt: str) -> tuple[bytes, bool]:
        # Imported here: the build pulls in the renderer, which the CLI should not load for --help.
        from itreport.build import BuildOptions, TemplateProblem, UsageProblem, build

        out = Path(self._workdir.name) / fmt
        o = self.options
        edition = o.edition or first_edition(o.content)
        editions = (edition,) if edition else ()
        try:
            with remembering(self.parses):
                result = build(BuildOptions(o.content, out, (fmt,), editions, False, o.templates, o.private))
        except ProblemsFound as exc:
            text = format_text(exc.problems, exc.sources)
            return problem_page("The data has problems", text, self.last_good is not None).encode(), False
        except (UsageProblem, TemplateProblem) as exc:
            return problem_page(
                "The briefing could not be built", str(exc), self.last_good is not None
            ).encode(), False
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            return problem_page(
                "The briefing could not be built", message, self.last_good is not None
            ).encode(), False
        path = next(w.path for w in result.written if w.kind == fmt)
        return path.read_bytes(), True


def first_edition(content: Path) -> str | None:
    """The edition previewed when none is named: the first in briefings.yaml (read each time, so
    editing that file is previewed too); None builds the default edition."""
    from itreport.load import parse
    from itreport.source.confine import Refused, Root

    path = content / "briefings.yaml"
    if path.is_symlink() or not path.is_file():
        return None  # the build itself reports what is wrong with such a file
    try:
        # Read confined, as the build reads it: a link swapped in after the check above is
        # refused, not followed out of the content folder.
        raw = Root(content, "content folder").read("briefings.yaml")
    except Refused:
        return None
    doc, _problems = parse(str(path), raw)
    editions = doc.data.get("editions") if doc is not None and isinstance(doc.data, dict) else None
    if isinstance(editions, list) and editions and isinstance(editions[0], dict):
        first = editions[0].get("id")
        return first if isinstance(first, str) else None
    return None


def problem_page(title: str, text: str, has_last_good: bool) -> str:
    """A self-contained page with the located problems, and a link to the last good preview."""
    link = '<p><a href="/last-good">Show the last good preview</a></p>' if has_last_good else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>itreport preview: {html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 0; padding: 56px 24px 24px; color: #1f2933; }}
h1 {{ font-size: 20px; color: #c62828; }}
pre {{ background: #f3f5f8; padding: 12px; overflow-x: auto; white-space: pre; font-size: 13px; }}
</style></head>
<body class="problems"><h1>{html.escape(title)}</h1>
<p>Fix the files and save: this page reloads by itself.</p>{link}
<pre>{html.escape(text)}</pre>
</body></html>
"""
