"""Serves the students' chat page (launch/web/) with the standard library only.

    python -m launch.web_server [--port N] [--host H]

Routes: the files of launch/web/ (/ is index.html), /vendor/socket.io.min.js (from node_modules, installed
by `npm ci`), and /config.js (the page's settings: Rasa's URL, the longest message, the retention period).
index.html is served with the knowledge base's jobs already in its header, so that nothing moves when the page's
script starts (no layout shift; app.js fills an empty list when another server serves the files as they are).
Everything else is a 404: no directory listing, nothing outside launch/web/, no hidden files.
Every answer, errors included (404, 501…), carries a strict Content-Security-Policy (scripts and styles
from this origin only, network connections to the Rasa server only, framed by the sites of ALLOWED_ORIGINS only)
and the other security headers.
Access logs are one short line without query strings. A connection idle for IDLE_TIMEOUT seconds is
closed and at most MAX_CONNECTIONS are served at once (the next ones wait in the listen backlog), so a
few hundred half-open connections hold neither hundreds of threads nor the page for long.
"""
from __future__ import annotations

import argparse
import html
import json
import posixpath
import re
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from common.settings import PROJECT_DIR, Settings, get_settings

IDLE_TIMEOUT = 10  # seconds a connection may stay silent (slow clients, half-open connections)
MAX_CONNECTIONS = 64  # connections served at once; the next ones wait in the listen backlog
LISTEN_BACKLOG = 128
WEB_DIR = PROJECT_DIR / "launch" / "web"
SOCKET_IO_CLIENT = PROJECT_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".map": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


def content_security_policy(settings: Settings) -> str:
    rasa = settings.browser_rasa_url
    websocket = "ws" + rasa[len("http"):] if rasa.startswith("http") else rasa
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src {rasa} {websocket}",
        "base-uri 'none'",
        "form-action 'none'",
        f"frame-ancestors {frame_ancestors(settings)}",
    ])


def frame_ancestors(settings: Settings) -> str:
    """Who may show the page in an <iframe>: nobody, or the sites of ALLOWED_ORIGINS (a school's site embedding it)."""
    return " ".join(settings.origins) if settings.allowed_origins else "'none'"


def jobs_config() -> dict:
    """The jobs of the knowledge base, for the page's header, welcome and starter buttons (none if unreadable)."""
    from knowledge import queries

    try:
        jobs = [{"id": job.id, "name": job.name} for job in queries.list_jobs()]
        wording = queries.jobs_wording()
    except Exception:  # the page still works, with its neutral wording
        return {}
    return {"jobs": jobs, "jobsText": wording["known_jobs"], "jobsCount": wording["jobs_count"]}


def config_js(settings: Settings) -> bytes:
    config = {"socketUrl": settings.browser_rasa_url, "maxChars": settings.max_message_chars,
              "retentionDays": settings.retention_days, **jobs_config()}
    return f"window.BOT_CONFIG = {json.dumps(config)};\n".encode()


def _fill(page: str, pattern: str, inner: str) -> str:
    """`page` with the text between the two groups of `pattern`'s first match replaced by `inner` (HTML)."""
    return re.sub(pattern, lambda match: match.group(1) + inner + match.group(2), page, count=1)


def index_html(jobs: dict, web_dir: Path = WEB_DIR) -> bytes:
    """index.html with the jobs in its header (`jobs_config()`'s; unchanged when the knowledge base is unreadable)."""
    page = (web_dir / "index.html").read_text(encoding="utf-8")
    if not jobs.get("jobs"):
        return page.encode()
    items = "".join(f"<li><strong>{html.escape(job['name'])}</strong></li>" for job in jobs["jobs"])
    page = _fill(page, r'(<ul class="jobs" id="jobs-list">)(</ul>)', items)
    page = _fill(page, r'(<span id="jobs-count">)[^<]*(</span>)', html.escape(jobs["jobsCount"]))
    return _fill(page, r"(<title>Orientation : )[^<]*(</title>)", html.escape(jobs["jobsText"])).encode()


def url_path(raw: str) -> str:
    """The path of a request target, without query string or fragment (also for "//x" targets)."""
    return raw.split("?", 1)[0].split("#", 1)[0]


def resolve_static(url_path: str, web_dir: Path = WEB_DIR) -> Path | None:
    """The file of `web_dir` that `url_path` names, or None (unknown, a directory, hidden or outside)."""
    path = unquote(url_path, errors="strict")
    if "\x00" in path or "\\" in path:
        return None
    if path in ("", "/"):
        path = "/index.html"
    parts = [part for part in posixpath.normpath(path).split("/") if part]
    if not parts or any(part.startswith(".") for part in parts):
        return None
    root = web_dir.resolve()
    candidate = root.joinpath(*parts).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


class ChatPageHandler(BaseHTTPRequestHandler):
    server_version = "orientation-chat"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT  # socket timeout of each connection (StreamRequestHandler.setup)

    def __init__(self, *args, settings: Settings, csp: str, config: bytes, index: bytes, **kwargs):
        self.settings, self.csp, self.config, self.index = settings, csp, config, index
        super().__init__(*args, **kwargs)

    def version_string(self) -> str:
        return self.server_version

    # --- routing -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        path = url_path(self.path)
        if path == "/config.js":
            return self._send(HTTPStatus.OK, self.config, CONTENT_TYPES[".js"], send_body)
        if path in ("/", "/index.html"):
            return self._send(HTTPStatus.OK, self.index, CONTENT_TYPES[".html"], send_body)
        if path == "/vendor/socket.io.min.js":
            return self._send_file(SOCKET_IO_CLIENT, send_body)
        try:
            target = resolve_static(path)
        except UnicodeDecodeError:
            target = None
        if target is None:
            return self._send(HTTPStatus.NOT_FOUND, b"Not found\n", CONTENT_TYPES[".txt"], send_body)
        return self._send_file(target, send_body)

    def _send_file(self, target: Path, send_body: bool) -> None:
        try:
            body = target.read_bytes()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, b"Not found\n", CONTENT_TYPES[".txt"], send_body)
        self._send(HTTPStatus.OK, body, CONTENT_TYPES.get(target.suffix, "application/octet-stream"), send_body)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def end_headers(self) -> None:
        """Every response gets the security headers, the base class's error pages (400, 501…) included."""
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if not self.settings.allowed_origins:  # older browsers' DENY; with allowed sites, frame-ancestors decides
            self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        super().end_headers()

    # --- quiet logs: method, path without its query string, status ------------------------------
    def log_request(self, code="-", size="-") -> None:
        method = (self.command or "-")[:10]
        path = url_path(getattr(self, "path", None) or "")[:200] if self.command else "-"
        status = code.value if isinstance(code, HTTPStatus) else code
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {method} {path} {status}\n")

    def log_error(self, format: str, *args) -> None:  # `format`: the base class's signature
        # The base class logs errors with the raw request line (query included): log the status only.
        pass


class ChatPageServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS at once, and a listen backlog of LISTEN_BACKLOG."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, *args, **kwargs):
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        # All slots busy: stop accepting (new connections wait in the listen backlog) until a connection ends,
        # at the latest when an idle one times out; close this one only if none ended meanwhile.
        if not self.slots.acquire(timeout=IDLE_TIMEOUT + 1):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def make_server(settings: Settings, port: int | None = None, host: str | None = None) -> ThreadingHTTPServer:
    handler = partial(ChatPageHandler, settings=settings, csp=content_security_policy(settings),
                      config=config_js(settings), index=index_html(jobs_config()))
    return ChatPageServer((host or settings.host, settings.web_port if port is None else port), handler)


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Serve the students' chat page (launch/web/).")
    parser.add_argument("--port", type=int, default=settings.web_port)
    parser.add_argument("--host", default=settings.host)
    args = parser.parse_args(argv)
    if not SOCKET_IO_CLIENT.is_file():
        print(f"Chat page not started: the socket.io client ({SOCKET_IO_CLIENT}) is missing; "
              "run make install (it runs npm ci).", file=sys.stderr)
        return 1
    if not (WEB_DIR / "index.html").is_file():
        print(f"Chat page not started: {WEB_DIR / 'index.html'} is missing.", file=sys.stderr)
        return 1
    try:
        server = make_server(settings, port=args.port, host=args.host)
    except OSError as error:
        print(f"Chat page not started: cannot listen on {args.host}:{args.port} ({error}).", file=sys.stderr)
        return 1
    print(f"Chat page on http://{args.host}:{args.port}/ (Rasa at {settings.rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
