"""No briefing fetches anything: `file:` and `http://127.0.0.1` references in every HTML, CSS and
SVG place are refused with the template's line (templates) or removed (Markdown in the data).

A real HTTP server on 127.0.0.1 records every request; each test asserts it received none, for
HTML and PDF builds alike.
"""

from __future__ import annotations

import re
import threading
import urllib.request
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from itreport.cli import main
from itreport.render.pdf import RenderError, html_to_pdf
from itreport.render.references import external_references
from itreport.render.theme import DEFAULT_THEME
from tests.conftest import replace_in


class Recorder(ThreadingHTTPServer):
    requests: list[str]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        assert isinstance(self.server, Recorder)
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Recorder]:
    httpd = Recorder(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _base(server: Recorder) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_the_recording_server_records(server: Recorder) -> None:
    with urllib.request.urlopen(f"{_base(server)}/probe", timeout=5) as response:
        assert response.status == 200
    assert server.requests == ["/probe"]


# Every place a template can name a resource; {u} is the URL.
PLACES = [
    '<img src="{u}/img" alt="">',
    '<img srcset="data:image/png;base64,AA 1x, {u}/srcset 2x" alt="">',
    '<link rel="stylesheet" href="{u}/css">',
    "<style>.x { background: url({u}/bg) }</style>",
    "<style>.x { background: url('{u}/bg-quoted') }</style>",
    '<style>@import "{u}/import";</style>',
    '<style>@font-face { font-family: X; src: url("{u}/font") format("woff") }</style>',
    '<style>.x { background: image-set("{u}/image-set" 1x) }</style>',
    "<style>.x { background: u\\72l({u}/escaped) }</style>",
    "<p style=\"background-image: url('{u}/style-attr')\">x</p>",
    '<svg width="9" height="9"><image href="{u}/svg-image" width="9" height="9"/></svg>',
    '<svg width="9" height="9"><image xlink:href="{u}/xlink" width="9" height="9"/></svg>',
    '<svg width="9" height="9"><use href="{u}/use#a"/></svg>',
    '<svg width="9" height="9"><rect fill="url({u}/fill#g)" width="9" height="9"/></svg>',
    '<svg width="9" height="9"><style>@import "{u}/svg-style";</style></svg>',
    '<svg width="9" height="9"><set attributeName="href" to="{u}/set"/></svg>',
    '<object data="{u}/object"></object>',
    '<iframe src="{u}/iframe"></iframe>',
    '<script src="{u}/script"></script>',
    '<video poster="{u}/poster"></video>',
    '<meta http-equiv="refresh" content="0;url={u}/refresh">',
    '<a href="{u}/link">a link</a>',
]


def _schemes(server: Recorder, secret: Path) -> list[str]:
    host = _base(server)
    return [host, host.removeprefix("http:"), secret.as_uri().removesuffix("/" + secret.name)]


@pytest.mark.parametrize("index", range(len(PLACES)))
def test_template_reference_is_refused_with_its_line(content: Path, server: Recorder, index: int) -> None:
    secret = content.parent / "secret.txt"
    secret.write_text("TOP-SECRET-BYTES")
    url = _schemes(server, secret)[index % 3]
    place = PLACES[index].replace("{u}", url)
    override = content.parent / "templates" / "sections" / "problems.html"
    override.parent.mkdir(parents=True)
    override.write_text(f"<section>\n<h2>Problems</h2>\n{place}\n</section>\n")
    for fmt in ("html", "pdf") if index % 4 == 0 else ("html",):
        result = CliRunner().invoke(main, ["build", "content", "--format", fmt])
        assert result.exit_code == 1, result.output
        assert "error: templates/sections/problems.html:3: template error: <" in result.output
        assert "a briefing fetches nothing" in result.output
        assert "TOP-SECRET-BYTES" not in result.output and "Traceback" not in result.output
        assert not Path("output").exists()
    assert server.requests == []


def test_reference_built_from_data_is_refused(content: Path, server: Recorder) -> None:
    replace_in(content, "division.yaml", "name: Test IT", f"name: {_base(server)}/name")
    override = content.parent / "templates" / "sections" / "problems.html"
    override.parent.mkdir(parents=True)
    override.write_text('<section>\n<img src="{{ view.division.name }}" alt="">\n</section>\n')
    for fmt in ("html", "pdf"):
        result = CliRunner().invoke(main, ["build", "content", "--format", fmt])
        assert result.exit_code == 1
        assert "templates/sections/problems.html:2: template error: <img src> refers to" in result.output
    assert server.requests == []


def test_markdown_references_are_removed(content: Path, server: Recorder) -> None:
    u = _base(server)
    hostile = (
        f"See [the plan]({u}/md-link), ![chart]({u}/md-image), <img src='{u}/raw-img'>, "
        f"[rel](//127.0.0.1:{server.server_address[1]}/md-proto), [file](file:///etc/hostname), "
        f"<a href='{u}/raw-a'>raw</a>, [ok](https://example.org/ok) and <{u}/autolink>."
    )
    replace_in(content, "narrative.yaml", "Alpha go-live moves to January.", hostile)
    result = CliRunner().invoke(main, ["build", "content"])
    assert result.exit_code == 0, result.output
    html = Path("output/briefing-2026-10.html").read_text()
    assert not re.search(r"(href|src)=[^>]*(127\.0\.0\.1|file:)", html)
    assert external_references(html) == []
    assert 'href="https://example.org/ok"' in html and "the plan" in html
    assert server.requests == []


def test_pdf_fetcher_still_refuses_the_network(tmp_path: Path, server: Recorder) -> None:
    html = f'<p>x</p><img src="{_base(server)}/direct" alt="">'
    assert external_references(html)  # the page check would refuse it before; the fetcher too
    with pytest.raises(RenderError, match="does not fetch from the network"):
        html_to_pdf(html, DEFAULT_THEME, [DEFAULT_THEME], date(2026, 10, 31))
    assert server.requests == []
