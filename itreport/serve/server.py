"""The preview's HTTP side: a few fixed routes on 127.0.0.1, live reload by server-sent events.

Routes: `/` the current page (briefing or problem list), `/last-good` the last briefing that
built, `/print` the paged layout (the real PDF, embedded), `/preview.pdf` that PDF, `/events` the
event stream that tells open pages to reload. Nothing else is served: no file is ever read from
a request path. Requests whose Host is not this server's loopback address are refused, so a web
page the user visits cannot reach the preview through DNS rebinding.

The preview shows the briefing's data (with `--private`, restricted fields too), and 127.0.0.1 is
open to every account on the machine: a shared build host, a terminal server. So each server makes
a random key; the address it prints carries it (`/?key=…`), the first visit trades it for a cookie
(HttpOnly, SameSite=Strict, named for the port) and moves to `/`, and every request without the
key is refused.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from itreport.serve.preview import Preview

HOST = "127.0.0.1"
KEEPALIVE_SECONDS = 15.0

# The only script on a preview page: reload when the server says the version moved.
RELOAD_SCRIPT = """<script>
(function () {
  var seen = %(version)d;
  var source = new EventSource("/events?v=" + seen);
  source.onmessage = function (e) { if (e.data !== String(seen)) { location.reload(); } };
})();
</script>"""

TOOLBAR = (
    '<nav class="itreport-preview" aria-label="Preview" style="position:fixed;top:0;right:0;'
    "z-index:10;font:12px/1.4 system-ui,sans-serif;background:#1f3a5f;color:#fff;padding:4px 10px;"
    'border-bottom-left-radius:6px">itreport preview · %(state)s · '
    '<a style="color:#fff" href="%(toggle_href)s">%(toggle)s</a></nav>'
)

PRINT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>itreport print preview</title>
<style>html,body{margin:0;height:100%%}object{width:100%%;height:100%%;border:0}</style></head>
<body>%(toolbar)s<object data="/preview.pdf?v=%(version)d" type="application/pdf">
<p>This browser shows no PDF inline: <a href="/preview.pdf">open the PDF</a>.</p></object>
%(script)s</body></html>
"""


ROUTES = ("/", "/last-good", "/print", "/preview.pdf", "/events")
NO_KEY = b"This preview is private: open the address that `itreport serve` printed (it carries a key).\n"


def decorate(page: str, version: int, *, state: str, printing: bool = False) -> str:
    """The page as served: a small toolbar after <body> and the reload script before </body>."""
    toolbar = TOOLBAR % {
        "state": state,
        "toggle_href": "/" if printing else "/print",
        "toggle": "Screen view" if printing else "Print preview",
    }
    script = RELOAD_SCRIPT % {"version": version}
    match = re.search(r"<body[^>]*>", page)
    if match:
        page = page[: match.end()] + toolbar + page[match.end() :]
    end = page.rfind("</body>")
    return page[:end] + script + page[end:] if end >= 0 else page + script


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview

    def __init__(self, preview: Preview, port: int = 0) -> None:
        super().__init__((HOST, port), PreviewHandler)
        self.preview = preview
        self.stopping = threading.Event()
        self.key = secrets.token_urlsafe(24)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def cookie_name(self) -> str:
        return f"itreport-preview-{self.port}"  # cookies ignore ports: one name per server

    @property
    def url(self) -> str:
        """The address to open: it carries the key."""
        return f"http://{HOST}:{self.port}/?key={self.key}"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows rebuilds, not every request."""

    def do_GET(self) -> None:
        if not self._host_ok():
            self._send(HTTPStatus.FORBIDDEN, "text/plain", b"forbidden host\n")
            return
        url = urlsplit(self.path)
        path = url.path
        if not self._has_cookie():
            if not self._matches(parse_qs(url.query).get("key", [""])[0]):
                self._send(HTTPStatus.FORBIDDEN, "text/plain", NO_KEY)
                return
            # The key came in the address: keep it in a cookie and take it out of the address bar.
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header(
                "Set-Cookie",
                f"{self.server.cookie_name}={self.server.key}; Path=/; HttpOnly; SameSite=Strict",
            )
            self.send_header("Location", path if path in ROUTES else "/")  # never somewhere else
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            return
        preview = self.server.preview
        page = preview.current
        if path == "/":
            state = f"built in {page.seconds:.2f} s" if page.ok else "problems"
            self._html(decorate(page.body, page.version, state=state))
        elif path == "/last-good":
            good = preview.last_good
            if good is None:
                self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no good preview yet\n")
            else:
                self._html(decorate(good.body, page.version, state="last good preview"))
        elif path == "/print":
            toolbar = TOOLBAR % {"state": "print preview", "toggle_href": "/", "toggle": "Screen view"}
            script = RELOAD_SCRIPT % {"version": page.version}
            self._html(PRINT_PAGE % {"toolbar": toolbar, "version": page.version, "script": script})
        elif path == "/preview.pdf":
            body, ok = preview.pdf()
            if ok:
                self._send(HTTPStatus.OK, "application/pdf", body)
            else:
                self._html(decorate(body.decode("utf-8"), page.version, state="problems"))
        elif path == "/events":
            self._events()
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n")

    def _matches(self, offered: str) -> bool:
        return hmac.compare_digest(offered.encode("utf-8", "replace"), self.server.key.encode("ascii"))

    def _has_cookie(self) -> bool:
        cookies = SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie", ""))
        except CookieError:
            return False
        morsel = cookies.get(self.server.cookie_name)
        return morsel is not None and self._matches(morsel.value)

    def _host_ok(self) -> bool:
        host = self.headers.get("Host", "")
        port = self.server.port
        return host in (f"{HOST}:{port}", f"localhost:{port}")

    def _html(self, text: str) -> None:
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", text.encode("utf-8"))

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the current version now, then each new one as it is built."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview = self.server.preview
        seen = -1
        try:
            while not self.server.stopping.is_set():
                version = preview.wait(seen, KEEPALIVE_SECONDS)
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode("ascii"))
                    seen = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
