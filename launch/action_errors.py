"""The action server's answers to bad requests: short, in French, never the request echoed back.

rasa_sdk 3.6 answers any unexpected exception with a 500 that echoes the whole request body (a conversation: minors'
messages) and a 30-line traceback in the log; an unknown path also gets that 500. Its plugin hook
(`attach_sanic_app_extensions`, called by `rasa_sdk.endpoint.run` on the app it built) is the door used here:
- an unknown path is a 404, a wrong method a 405;
- a call that is not an action call (no `next_action` name, a `tracker` that is not an object with a sender id) is
  a 400 before any action runs;
- anything else that fails is a 500 saying so, logged in one line (bot/log_privacy.py shortens it);
- a head that leaves the body's length in doubt is refused before it freezes the server (common/http_framing.py);
- an action name no action answers to is a 404 that does not repeat it (rasa_sdk's echoes it, in English);
- a body announced as deflate that does not inflate is a 400; a body over `MAX_BODY_BYTES` a 413 (Rasa's calls carry
  one conversation: far below it).
"""
from __future__ import annotations

import json
import logging
import zlib
from typing import Any

import pluggy
from sanic import Sanic, response
from sanic.exceptions import InvalidUsage, MethodNotSupported, NotFound, PayloadTooLarge
from sanic.request import Request
from sanic_cors.core import SANIC_CORS_EVALUATED

from common.http_framing import refuse_bad_framing

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")

NOT_FOUND = "Adresse inconnue du serveur d'actions."
NOT_ALLOWED = "Méthode non acceptée à cette adresse."
BAD_CALL = ("Appel d'action invalide : il faut un objet JSON avec « next_action » et un « tracker » "
            "(objet avec « sender_id »).")
MALFORMED = "Requête mal formée."
FAILED = "L'action a échoué ; l'erreur est dans le journal du serveur d'actions."
UNKNOWN_ACTION = "Aucune action de ce nom sur ce serveur d'actions."
TOO_LARGE = "Requête trop volumineuse pour le serveur d'actions."
MAX_BODY_BYTES = 4_000_000  # a call carries one conversation's tracker (tens of kB); Sanic's default is 100 MB


_NOT_INFLATED = object()  # a body announced as deflate that does not inflate


def _announced_length(request: Request) -> int:
    """The body's length the head announces (0 when none; common/http_framing.py refuses malformed ones first)."""
    value = request.headers.get("Content-Length") or "0"
    return int(value) if value.isdigit() else 0


def _call_body(request: Request) -> Any:
    """The webhook's JSON body (inflated as rasa_sdk does when Rasa compresses it); None when it is not JSON."""
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            try:
                raw = zlib.decompress(request.body)
            except zlib.error:
                return _NOT_INFLATED
            return json.loads(raw)
        return request.json
    except Exception:  # Sanic raises its own 400 type; ours is in French
        return None


def bad_action_call(body: Any) -> bool:
    """Whether a webhook body is not an action call rasa_sdk can read (checked before it runs an action)."""
    if not isinstance(body, dict) or not isinstance(body.get("next_action"), str):
        return True
    tracker = body.get("tracker")
    return not isinstance(tracker, dict) or not isinstance(tracker.get("sender_id"), str) or not isinstance(
        tracker.get("events", []), list) or not isinstance(tracker.get("slots", {}), dict)


class ActionServerErrors:
    """rasa_sdk plugin: the handlers above, registered on the action server's Sanic app."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        refuse_bad_framing(app)  # "Content-Length: -1" would freeze the server (common/http_framing.py)
        app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

        @app.on_request
        async def check_action_call(request: Request) -> Any:
            # rasa_sdk allows no web origin here (cors_origins=""), so sanic_cors's reply middleware, run on every
            # reply, adds nothing: marked as done, it is skipped (a twentieth of the server's CPU per action call)
            setattr(request.ctx, SANIC_CORS_EVALUATED, "1")
            if _announced_length(request) > MAX_BODY_BYTES:  # refused before the body is read
                return response.json({"error": TOO_LARGE}, status=413)
            if request.path == "/webhook" and request.method == "POST":
                body = _call_body(request)
                if body is _NOT_INFLATED:
                    return response.json({"error": MALFORMED}, status=400)
                if bad_action_call(body):
                    return response.json({"error": BAD_CALL}, status=400)
            return None

        @app.on_response
        async def unknown_action(request: Request, reply: Any) -> Any:
            # rasa_sdk's own 404 for an unknown action repeats the name asked, in English
            if request.path == "/webhook" and reply.status == 404:
                return response.json({"error": UNKNOWN_ACTION}, status=404)
            return None

        @app.exception(PayloadTooLarge)
        async def too_large(request: Request, exception: Exception) -> Any:
            return response.json({"error": TOO_LARGE}, status=413)

        @app.exception(NotFound)
        async def not_found(request: Request, exception: Exception) -> Any:
            return response.json({"error": NOT_FOUND}, status=404)

        @app.exception(MethodNotSupported)
        async def not_allowed(request: Request, exception: Exception) -> Any:
            return response.json({"error": NOT_ALLOWED}, status=405)

        @app.exception(InvalidUsage)
        async def malformed(request: Request, exception: Exception) -> Any:
            return response.json({"error": MALFORMED}, status=400)

        @app.exception(Exception)  # replaces rasa_sdk's, which echoes the request body
        async def failed(request: Request, exception: Exception) -> Any:
            logger.error("Action server error on %s: %s: %s", request.path, type(exception).__name__, exception)
            return response.json({"error": FAILED}, status=500)


def register() -> None:
    """Register the plugin with rasa_sdk's plugin manager (before `rasa_sdk.endpoint.run` builds the app)."""
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    if not any(isinstance(plugin, ActionServerErrors) for plugin in manager.get_plugins()):
        manager.register(ActionServerErrors())
