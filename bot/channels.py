"""Input channels that refuse bad input politely and never leave a student without a reply.

They wrap Rasa's REST and socket.io channels (same URLs: /webhooks/rest/webhook, /socket.io):
- a body that is not a JSON object, or a message that is not text, gets a 400 (REST);
- an empty, blank or too long message gets a French explanation and is not processed;
- a slash-command that is not one of the bot's own button payloads is refused (bot/payloads.py);
- when processing sends nothing (action server down, an error), the student gets a French apology.
The sentences are domain.yml responses, read once at start-up.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.heap import trim_heap_after_start
from bot.nlg import jobs_values
from bot.payloads import is_offered_payload
from bot.rasa_compat import socketio_session_fix_needed
from common.settings import get_settings
from common.wording import response_text

logger = logging.getLogger(__name__)
_FALLBACK_WORDING = {
    "utter_empty_message": "Ton message est vide : pose-moi une question sur ces métiers : {known_jobs}.",
    "utter_message_too_long": "Ton message est trop long (plus de {max_chars} caractères). Pose ta question en une ou deux phrases.",
    "utter_action_failed": "Oups, je n'arrive pas à répondre pour le moment. Réessaie dans un instant.",
    "utter_payload_refused": "Je n'ai pas compris ce message. Pose ta question avec tes mots, ou utilise les boutons.",
}


class _CountingOutput(OutputChannel):
    """Passes messages through to the real channel and counts them."""

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # channel-specific responses still apply
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def guard(on_new_message: Callable[[UserMessage], Awaitable[Any]], max_chars: int) -> Callable[[UserMessage], Awaitable[None]]:
    """Wrap Rasa's message handler with the input checks and the no-silence guarantee."""
    def say(key: str, **values: object) -> str:
        return response_text(key, _FALLBACK_WORDING[key], **{**jobs_values(), **values})

    async def guarded(message: UserMessage) -> None:
        output, text = message.output_channel, message.text
        if not isinstance(text, str) or not text.strip():
            await output.send_text_message(message.sender_id, say("utter_empty_message"))
            return
        if len(text) > max_chars:
            await output.send_text_message(message.sender_id, say("utter_message_too_long", max_chars=max_chars))
            return
        if text.lstrip().startswith("/") and not is_offered_payload(text):
            await output.send_text_message(message.sender_id, say("utter_payload_refused"))
            return
        counting = _CountingOutput(output)
        message.output_channel = counting
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - the student must get a reply whatever failed
            logger.exception("message handling failed for sender %s", message.sender_id)
        if counting.sent == 0:
            logger.warning("no reply was produced for sender %s: sending the apology", message.sender_id)
            await output.send_text_message(message.sender_id, say("utter_action_failed"))

    return guarded


def _json_object(request: Request) -> dict:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - sanic raises on invalid JSON or invalid UTF-8
        raise InvalidUsage("The body must be a JSON object: {\"sender\": \"...\", \"message\": \"...\"}") from None
    if not isinstance(body, dict):
        raise InvalidUsage("The body must be a JSON object: {\"sender\": \"...\", \"message\": \"...\"}")
    return body


class GuardedRestInput(RestInput):
    """Rasa's REST channel with input checks (see module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = _json_object(req).get("sender")
        if sender is not None and not isinstance(sender, (str, int)):
            raise InvalidUsage("`sender` must be a string")
        return str(sender) if sender is not None else None

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = _json_object(req).get("message")
        if message is not None and not isinstance(message, str):
            raise InvalidUsage("`message` must be a string")
        return message

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = _json_object(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]):
        return trim_heap_after_start(super().blueprint(guard(on_new_message, get_settings().max_message_chars)))


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with input checks, accepting connections from the chat page only."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        settings = get_settings()
        blueprint = trim_heap_after_start(super().blueprint(guard(on_new_message, settings.max_message_chars)))
        # Rasa lets any origin open the socket; allow the chat page's origin only.
        page = settings.web_url.rstrip("/")
        self.sio.eio.cors_allowed_origins = [page, page.replace("127.0.0.1", "localhost")]
        sio = self.sio
        if not socketio_session_fix_needed():  # written for Rasa 3.6 (bot/rasa_compat.py)
            return blueprint

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            # Replaces Rasa 3.6's handler, which calls the coroutine `enter_room` without awaiting it with
            # python-socketio 5, so replies never reached the page (RasaHQ/rasa#13027).
            data = data if isinstance(data, dict) else {}
            session_id = str(data.get("session_id") or uuid.uuid4().hex)
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
