"""Requests whose body length is in doubt, refused before Sanic 21.12 reads them (every server of the project).

Sanic 21.12 takes `Content-Length: -1`: its worker then spins on that connection and answers nobody while it stays
open (measured on the action server: health checks time out, a core at 100 %). It also serves the rest of a body as
a new request when two Content-Length headers disagree. `refuse_bad_framing(app)` hooks Sanic's own
`http.lifecycle.request` signal (the head is read, the body not yet): such a request gets a 400 and its connection
is closed. Used by the console (ops/console/web.py), the action server (launch/action_errors.py), Rasa's server
(bot/channels.py) and the chat page's server.
"""
from __future__ import annotations

import re
from typing import Any

FIELD_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")  # RFC 9110's token (Sanic has lowered the names)


def bad_framing(headers: Any) -> str | None:
    """Why a request's head leaves its body's length in doubt, or None: a negative, signed, underscored or repeated
    Content-Length, `Transfer-Encoding` other than plain `chunked` or beside a length, a malformed field name."""
    if any(not FIELD_NAME.fullmatch(name) for name in headers):
        return "field name"
    lengths, codings = headers.getall("content-length", []), headers.getall("transfer-encoding", [])
    if len(lengths) > 1 or any(not (v.isascii() and v.isdigit() and len(v) <= 12) for v in lengths):
        return "content-length"
    if codings and (codings != ["chunked"] or lengths):
        return "transfer-encoding"
    return None


def refuse_bad_framing(app: Any) -> None:
    """Register the check on a Sanic app or blueprint (once each; a blueprint's runs for every request of its app:
    Sanic registers blueprint signals as non-exclusive)."""
    from sanic.exceptions import InvalidUsage

    if getattr(app.ctx, "refuses_bad_framing", False):
        return
    app.ctx.refuses_bad_framing = True

    @app.signal("http.lifecycle.request")
    async def framing(request: Any) -> None:
        if bad_framing(request.headers):
            raise InvalidUsage("Bad framing")
