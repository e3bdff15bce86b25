"""The console's HTTP plumbing on Sanic: answers, refusals in French, request checks, security headers, the gate.

What every request goes through (install()): a loopback console answers only loopback Host names (no DNS rebinding)
and a POST whose Origin is not the page's own is refused (with SameSite=Strict cookies and JSON bodies only, what
keeps other sites from posting here). Sanic reads each body whole before the route runs (REQUEST_MAX_SIZE: MAX_BODY
bytes, 413 beyond, connection closed) and reads or discards it before the next request on the connection, so a body
is never parsed as a request; a head that leaves the body's length in doubt (bad_framing: two lengths, a signed
one…) is a 400 before any of the body is read, and the connection closes. JSON deeper than MAX_JSON_DEPTH is a
French 400 before it is parsed. Every answer carries the security headers; the server's own log is one line per
request without its query string (a search may be a student's words). API routes are wrapped by api(): session or
401, JSON object or 400, the work in a thread (the stores are synchronous), BadFilter a French 400, any other error
a French 500 with the cause on stderr.
Tripwires: tests/ops/test_console_server.py, tests/ops/test_console_limits.py.
"""
from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from sanic import Sanic
from sanic.exceptions import MethodNotSupported, NotFound, PayloadTooLarge, SanicException, ServiceUnavailable
from sanic.request import Request
from sanic.response import HTTPResponse

from common.http_framing import refuse_bad_framing
from ops.console.filters import BadFilter
from ops.console.state import Console

COOKIE = "console_session"
MAX_BODY = 20_000       # bytes of a request body (Sanic's REQUEST_MAX_SIZE)
MAX_JSON_DEPTH = 16     # nested arrays and objects; a story save needs 4
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
REFUSALS = {400: "Requête invalide.", 408: "Requête trop lente.",
            413: f"Requête trop grande ({MAX_BODY // 1000} ko au plus).", 417: "Requête invalide."}
JSON_TYPE = "application/json; charset=utf-8"


class BadBody(ValueError):
    """A POST body that is not a JSON object (the French reason is the message)."""


def answer(data: object, status: int = 200, cookie: str | None = None) -> HTTPResponse:
    headers = {"Set-Cookie": cookie} if cookie is not None else None
    return HTTPResponse(json.dumps(data, ensure_ascii=False), status=status, headers=headers, content_type=JSON_TYPE)


def refuse(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    return HTTPResponse(json.dumps({"error": message}, ensure_ascii=False), status=status, headers=headers,
                        content_type=JSON_TYPE)


def console_of(request: Request) -> Console:
    return request.app.ctx.console


def client_of(request: Request) -> str:
    """The peer's address (never a forwarded header: the console is reached directly)."""
    return request.ip or "-"


def too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays and objects deeper than `limit` (strings skipped), told without parsing it."""
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def json_object(request: Request) -> dict:
    """The request's JSON object body.

    Raises:
        BadBody: another content type (what keeps a cross-site form out), not JSON, too deep, not an object.
    """
    if (request.headers.get("content-type") or "").split(";")[0].strip() != "application/json":
        raise BadBody("Requête JSON attendue.")
    raw = request.body or b""
    if too_deep(raw):
        raise BadBody(f"Requête JSON trop imbriquée ({MAX_JSON_DEPTH} niveaux au plus).")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadBody("Requête JSON attendue.") from None
    if not isinstance(data, dict):
        raise BadBody("Requête JSON attendue.")
    return data


@dataclass
class Call:
    """An API call of a logged-in operator, as the route functions see it."""

    console: Console
    who: str
    client: str
    session: str | None
    path: str

    def log(self, action: str, **details) -> None:
        """A line of the access log: who, from where, what (never a message's text)."""
        self.console.access.write(self.who, self.client, action, **details)


Route = Callable[[Call, dict], HTTPResponse]


def api(route: Route) -> Callable:
    """A Sanic handler running `route(call, query or body)` for a logged-in operator, in a worker thread."""

    async def handler(request: Request) -> HTTPResponse:
        console = console_of(request)
        session = request.cookies.get(COOKIE)
        who = console.operator(session)
        if who is None:
            console.access.write("-", client_of(request), "refused", path=request.path[:100])
            return refuse(401, "Connexion requise.")
        if request.method == "POST":
            try:
                data = json_object(request)
            except BadBody as refusal:
                return refuse(400, str(refusal))
        else:
            data = dict(parse_qsl(request.query_string))
        call = Call(console, who, client_of(request), session, request.path)
        try:
            return await asyncio.to_thread(route, call, data)
        except BadFilter as refusal:  # a value the page never sends: said in French, never a crash
            call.log("bad_filter", path=call.path[:100])
            return refuse(400, str(refusal))
        except Exception as error:  # a French message, the cause in the server's log
            sys.stderr.write(f"console: {call.path[:100]}: {error.__class__.__name__}: {error}\n")
            return refuse(500, "Erreur en lisant les conversations (voir le journal).")

    handler.__name__ = handler.__qualname__ = route.__name__.lstrip("_")  # Sanic names routes after handlers
    return handler


def install(app: Sanic, bound_host: str, quiet: bool = False) -> None:
    """The checks, headers, log lines and French error answers every route of `app` shares."""
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.REQUEST_TIMEOUT = 15      # seconds to send a whole request (slow senders)
    app.config.KEEP_ALIVE_TIMEOUT = 5
    app.config.FALLBACK_ERROR_FORMAT = "json"

    refuse_bad_framing(app)  # the head is read, the body not yet: refused, the connection closes (common/)

    @app.on_request
    async def checks(request: Request) -> HTTPResponse | None:
        if request.method == "NONE":  # Sanic's stand-in for a request it could not parse: its own error follows
            return None
        if bound_host in LOOPBACK:  # on loopback, only loopback names (a page elsewhere cannot rebind DNS to here)
            host = urlsplit("//" + (request.headers.get("host") or "")).hostname or ""
            if host not in LOOPBACK:
                return refuse(403, "Hôte refusé.")
        origin = request.headers.get("origin")
        if request.method == "POST" and origin and urlsplit(origin).netloc != request.headers.get("host"):
            return refuse(403, "Origine refusée.")
        return None

    @app.on_response
    async def headers(request: Request, response: HTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not quiet:
            sys.stderr.write(f"{time.strftime('%H:%M:%S')} {request.method} {request.path[:100]} {response.status}\n")

    def not_found(request: Request, exception: Exception) -> HTTPResponse:
        """Outside /api/: a plain 404. Under it: the gate first (401), then "Inconnu." (a wrong method too)."""
        if not request.path.startswith("/api/"):
            return HTTPResponse("Not found\n", status=404, content_type="text/plain; charset=utf-8")
        console = console_of(request)
        if console.operator(request.cookies.get(COOKIE)) is None:
            console.access.write("-", client_of(request), "refused", path=request.path[:100])
            return refuse(401, "Connexion requise.")
        return refuse(404, "Inconnu.")

    def refused(request: Request, exception: SanicException) -> HTTPResponse:
        status = getattr(exception, "status_code", 500) or 500
        if status >= 500:
            return failed(request, exception)
        return refuse(status, REFUSALS.get(status, "Requête refusée."))

    def timed_out(request: Request, exception: Exception) -> HTTPResponse:
        """Sanic's response timeout: a body that never came in full is the client's (408), else the console's."""
        stream = getattr(request, "stream", None)
        if stream is not None and getattr(stream, "request_bytes_left", 0):
            return refuse(408, REFUSALS[408])
        return refuse(503, "La console a mis trop de temps à répondre ; réessaie.")

    def failed(request: Request, exception: Exception) -> HTTPResponse:
        sys.stderr.write(f"console: {request.path[:100]}: {exception.__class__.__name__}: {exception}\n")
        return refuse(500, "Erreur du serveur de la console (voir le journal).")

    app.error_handler.add(NotFound, not_found)
    app.error_handler.add(MethodNotSupported, not_found)
    app.error_handler.add(PayloadTooLarge, refused)
    app.error_handler.add(ServiceUnavailable, timed_out)
    app.error_handler.add(SanicException, refused)
    app.error_handler.add(Exception, failed)
