"""`itreport serve` as a user runs it: a real process on a free port, real HTTP, real file edits."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import REPO, replace_in

Fetch = Callable[..., tuple[int, str]]


def fetch_from(port: int, key: str) -> Fetch:
    """GET as a browser that has opened the printed address (it holds the key's cookie)."""

    def fetch(path: str = "/", host: str | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": host or f"127.0.0.1:{port}", "Cookie": f"itreport-preview-{port}={key}"}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        kind = response.getheader("Content-Type") or ""
        return response.status, body.decode("utf-8") if "text" in kind else body.decode("latin-1")

    return fetch


@contextmanager
def serving(content: Path) -> Iterator[tuple[Fetch, subprocess.Popen[str], str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "itreport", "serve", "content", "--port", "0"],
        cwd=content.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/\?key=([A-Za-z0-9_-]{32})", line)
    assert match, line + (proc.stderr.read() if proc.stderr and proc.poll() is not None else "")
    try:
        yield fetch_from(int(match.group(1)), match.group(2)), proc, match.group(0)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)  # also closes the pipes


@pytest.fixture
def server(content: Path) -> Iterator[tuple[Fetch, subprocess.Popen[str]]]:
    with serving(content) as (fetch, proc, _url):
        yield fetch, proc


def wait_for(fetch: Fetch, text: str, path: str = "/", seconds: float = 60) -> str:
    """Poll until the served page holds `text` (the watcher rebuilds after each save)."""
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        _status, body = fetch(path)
        if text in body:
            return body
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared at {path}; last page:\n{body[:2000]}")


def test_preview_follows_edits_shows_problems_and_recovers(
    server: tuple[Fetch, subprocess.Popen[str]], content: Path
) -> None:
    fetch, proc = server
    status, page = fetch("/")
    assert status == 200
    assert "Test IT" in page
    assert 'new EventSource("/events' in page  # reloads itself; no external script
    assert "<script src" not in page

    replace_in(content, "narrative.yaml", "The division is **on track** overall", "EDITED-SUMMARY")
    wait_for(fetch, "EDITED-SUMMARY")

    broken = (content / "people.yaml").read_text(encoding="utf-8")
    (content / "people.yaml").write_text(
        broken.replace("team: ops\n    manager: ada.berg", "team: opz\n    manager: ada.berg", 1),
        encoding="utf-8",
    )
    problems = wait_for(fetch, "The data has problems")
    assert re.search(r"people\.yaml:\d+:\d+: error: .*opz", problems)
    assert 'href="/last-good"' in problems
    status, good = fetch("/last-good")
    assert status == 200 and "EDITED-SUMMARY" in good

    (content / "people.yaml").write_text("people: [unclosed\n", encoding="utf-8")
    wait_for(fetch, "people.yaml:1:")
    assert proc.poll() is None  # bad YAML never kills the server

    (content / "people.yaml").write_text(broken, encoding="utf-8")
    wait_for(fetch, "EDITED-SUMMARY")


def test_template_error_is_a_page_not_a_crash(content: Path) -> None:
    overrides = content.parent / "templates"
    overrides.mkdir()
    (overrides / "briefing.html").write_text("{% extends 'default:briefing.html' %}", encoding="utf-8")
    with serving(content) as (fetch, proc, _url):
        wait_for(fetch, "Test IT")
        (overrides / "briefing.html").write_text(
            "{% extends 'default:base.html' %}{% block body %}{{ nope( }}{% endblock %}", encoding="utf-8"
        )
        wait_for(fetch, "could not be built")
        assert proc.poll() is None
        (overrides / "briefing.html").write_text("{% extends 'default:briefing.html' %}", encoding="utf-8")
        wait_for(fetch, "Test IT")


def test_events_print_preview_and_host_check(
    server: tuple[Fetch, subprocess.Popen[str]], content: Path
) -> None:
    fetch, _proc = server
    status, _ = fetch("/", host="evil.example:80")
    assert status == 403  # DNS rebinding: only this server's own host name is answered
    status, _ = fetch("/../../etc/passwd")
    assert status == 404
    status, page = fetch("/print")
    assert status == 200 and "/preview.pdf" in page
    status, pdf = fetch("/preview.pdf")
    assert status == 200 and pdf.startswith("%PDF")


def test_preview_is_private_to_whoever_has_the_printed_address(content: Path) -> None:
    """Another account on the machine can reach 127.0.0.1 too: without the key it sees nothing."""
    with serving(content) as (fetch, _proc, url):
        wait_for(fetch, "Test IT")
        port = int(re.search(r":(\d+)/", url).group(1))  # type: ignore[union-attr]
        key = url.rsplit("=", 1)[1]

        def raw(path: str, cookie: str = "") -> http.client.HTTPResponse:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Host": f"127.0.0.1:{port}"} | ({"Cookie": cookie} if cookie else {})
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            return response

        for path in ("/", "/last-good", "/print", "/preview.pdf", "/events"):
            assert raw(path).status == 403, path
        assert raw("/?key=" + "x" * len(key)).status == 403
        assert raw("/", cookie=f"itreport-preview-{port}={key[:-1]}").status == 403
        assert raw("/", cookie=f"itreport-preview-{port + 1}={key}").status == 403  # another server's
        first = raw(f"/?key={key}")
        assert first.status == 303 and first.getheader("Location") == "/"  # the key leaves the address bar
        cookie = first.getheader("Set-Cookie") or ""
        assert cookie == f"itreport-preview-{port}={key}; Path=/; HttpOnly; SameSite=Strict"
        assert raw("/", cookie=cookie.split(";")[0]).status == 200
        for path in ("//evil.example/", "/\\evil.example/"):
            where = raw(f"{path}?key={key}").getheader("Location") or ""
            assert where.startswith("/") and not where.startswith(("//", "/\\")), where  # no open redirect


def test_a_rebuild_parses_only_the_edited_file(content: Path) -> None:
    """The preview keeps parsed files between rebuilds; an edit re-reads that one file only."""
    from itreport.serve.preview import Preview, PreviewOptions

    preview = Preview(PreviewOptions(Path("content")))
    try:
        assert preview.rebuild().ok
        everything = sorted(preview.parses.parsed)
        assert "content/projects/alpha.yaml" in everything and len(everything) > 5
        replace_in(content, "projects/alpha.yaml", "\nname: ", "\nname: Renamed ")
        page = preview.rebuild()
        assert page.ok and "Renamed " in page.body
        assert preview.parses.parsed == ["content/projects/alpha.yaml"]
        assert preview.parses.validated == ["content/projects/alpha.yaml"]
        assert preview.rebuild().ok and preview.parses.parsed == preview.parses.validated == []
    finally:
        preview.close()
