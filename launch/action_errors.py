"""The action server's answers to bad requests: short, in French, never the request echoed back.

rasa_sdk 3.6 answers any unexpected exception with a 500 that echoes the whole request body (a conversation: minors'
messages) and a 30-line traceback in the log; an unknown path also gets that 500. Its plugin hook
(`attach_sanic_app_extensions`, called by `rasa_sdk.endpoint.run` on the app it built) is the door used here:
- an unknown path is a 404, a wrong method a 405;
- a call that is not an action call (no `next_action` name, a `tracker` that is not an object with a sender id) is
  a 400 before any action runs;
- anything else that fails is a 500 saying so, logged in one line (bot/log_privacy.py shortens it);
- a head that leaves the body's length in doubt is refused before it freezes the server (common/http_framing.py).
"""
from __future__ import annotations

import logging
from typing import Any

import pluggy
from sanic import Sanic, response
from sanic.exceptions import InvalidUsage, MethodNotSupported, NotFound
from sanic.request import Request

from common.http_framing import refuse_bad_framing

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")

NOT_FOUND = "Adresse inconnue du serveur d'actions."
NOT_ALLOWED = "Méthode non acceptée à cette adresse."
BAD_CALL = ("Appel d'action invalide : il faut un objet JSON avec « next_action » et un « tracker » "
            "(objet avec « sender_id »).")
MALFORMED = "Requête mal formée."
FAILED = "L'action a échoué ; l'erreur est dans le journal du serveur d'actions."


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

        @app.on_request
        async def check_action_call(request: Request) -> Any:
            if request.path == "/webhook" and request.method == "POST" and \
                    request.headers.get("Content-Encoding") != "deflate":
                try:
                    body = request.json
                except Exception:  # Sanic raises its own 400 type; ours is in French
                    body = None
                if bad_action_call(body):
                    return response.json({"error": BAD_CALL}, status=400)
            return None

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
