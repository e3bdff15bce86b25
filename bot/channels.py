"""Input channels that refuse bad input politely and never leave a student without a reply.

They wrap Rasa's REST and socket.io channels (same URLs: /webhooks/rest/webhook, /socket.io):
- a body that is not a JSON object, or a message that is not text, gets a 400 (REST);
- an empty, blank or too long message gets a French explanation and is not processed;
- a slash-command that is not one of the bot's own button payloads is refused (bot/payloads.py);
- when processing sends nothing (action server down, an error, a timeout), the student gets a French apology;
- limits (bot/limits.py): a valid sender id is required, metadata and bodies are small, and a conversation
  that reached its length limit is asked to start a new one;
- every socket.io payload that is not {"message": str, "session_id": str} gets an explicit refusal;
- message texts and conversation ids never reach the logs (bot/log_privacy.py).
The sentences are domain.yml responses, read once at start-up.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import engineio.payload
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.exceptions import InvalidUsage, MethodNotSupported, NotFound, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot import limits
from bot.action_timeout import install_action_timeout
from bot.heap import trim_heap_after_start
from bot.log_privacy import remember
from bot.model_reload import reload_models_after_start
from bot.nlg import jobs_values
from bot.payloads import is_offered_payload, start_payload_as_greeting
from bot.rasa_compat import engineio_answers_its_own_cors, socketio_session_fix_needed
from common.advisor_queue import AdvisorQueue
from common.feedback import FeedbackRefused, FeedbackStore
from common.http_framing import refuse_bad_framing
from common.settings import get_settings
from common.wording import response_text

logger = logging.getLogger(__name__)
_FALLBACK_WORDING = {
    "utter_empty_message": "Ton message est vide 🙂 Pose-moi une question sur ces métiers : {known_jobs}.",
    "utter_message_too_long": "Ton message est trop long (plus de {max_chars} caractères). "
                              "Pose ta question en une ou deux phrases.",
    "utter_action_failed": "Oups, je n'arrive pas à consulter les fiches métiers pour le moment 😕. "
                           "Réessaie dans un instant.",
    "utter_payload_refused": "Je n'ai pas compris ce message. Pose ta question avec tes mots, "
                             "ou utilise les boutons 🙂",
    "utter_conversation_full": "Cette conversation est devenue très longue : commence une nouvelle conversation "
                               "(bouton « Nouvelle conversation ») pour continuer à poser tes questions 🙂",
    "utter_advisor_answer": "💬 Réponse d'un conseiller à ta question « {question} » :\n{answer}",
}
install_action_timeout()  # a hung action server is given up after a few seconds (bot/action_timeout.py)


async def replay_advisor_answers(emit: Callable[[dict[str, Any]], Awaitable[Any]], session_id: str,
                                  queue: AdvisorQueue) -> int:
    """Send a student coming back the advisors' answers to their questions (the page skips those it has shown: each
    carries its `advisor_answer` id). Returns how many were sent; none when the database cannot be read."""
    try:
        replies = await asyncio.to_thread(queue.replies, session_id)
    except SQLAlchemyError:
        logger.exception("Advisors' answers could not be read for a returning student.")
        return 0
    for question in replies:
        await emit({"text": say("utter_advisor_answer", question=question.question, answer=question.answer),
                    "advisor_answer": question.id})
    return len(replies)


async def save_feedback(store: FeedbackStore, sender: object, data: dict[str, Any]) -> str | None:
    """Store one rating of an answer; the reason it was refused (None when saved). A database failure is logged and
    reported as a refusal the client can show ("réessaie")."""
    problem = limits.sender_problem(sender)
    if problem:
        return problem
    try:
        await asyncio.to_thread(store.add, str(sender), data.get("rating"), data.get("reason"), data.get("answer"))
    except FeedbackRefused as refusal:
        return str(refusal)
    except SQLAlchemyError:
        logger.exception("A rating could not be stored.")
        return "the rating could not be stored, try again later"
    return None


def say(key: str, **values: object) -> str:
    return response_text(key, _FALLBACK_WORDING[key], **{**jobs_values(), **values})


class _CountingOutput(OutputChannel):
    """Passes messages through to the real channel and counts them."""

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # channel-specific responses still apply
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def well_formed(text: str) -> str:
    """The text with any lone UTF-16 surrogate ("\ud800", valid JSON, invalid Unicode) replaced by U+FFFD: the NLU
    reads it instead of failing, and the student gets an answer rather than "réessaie" (which could not help)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def guard(on_new_message: Callable[[UserMessage], Awaitable[Any]], max_chars: int,
          conversations: limits.ConversationLength | None = None) -> Callable[[UserMessage], Awaitable[None]]:
    """Wrap Rasa's message handler with the input checks and the no-silence guarantee."""

    async def guarded(message: UserMessage) -> None:
        if isinstance(message.text, str):
            message.text = well_formed(message.text)
        output, text = message.output_channel, message.text
        remember(text, message.sender_id)  # hidden from every log line from now on
        if not isinstance(text, str) or not text.strip():
            await output.send_text_message(message.sender_id, say("utter_empty_message"))
            return
        if len(text) > max_chars:
            await output.send_text_message(message.sender_id, say("utter_message_too_long", max_chars=max_chars))
            return
        message.text = text = start_payload_as_greeting(text)  # a widget's first message ("/get_started")
        if text.lstrip().startswith("/") and not is_offered_payload(text):
            await output.send_text_message(message.sender_id, say("utter_payload_refused"))
            return
        counting = _CountingOutput(output)
        message.output_channel = counting
        try:
            # inside the guard: a tracker store that fails here still ends in the apology, never in silence
            if conversations is not None and await conversations.is_full(message.sender_id):
                await counting.send_response(message.sender_id, {"text": say("utter_conversation_full")})
                return
            await on_new_message(message)
        except asyncio.CancelledError:  # the server's response timeout: apologise, then let it cancel
            logger.error("message handling was cancelled (timeout): sending the apology")
            if counting.sent == 0:
                await output.send_text_message(message.sender_id, say("utter_action_failed"))
            raise
        except Exception:  # the student must get a reply whatever failed
            logger.exception("message handling failed")
            # nothing stored means nothing claimed: an answer whose message could not be saved (the database
            # failed after the reply was built) is replaced by the apology where the channel still holds it (REST),
            # and followed by it where it is already sent (socket.io)
            collected = getattr(output, "messages", None)
            if isinstance(collected, list):
                collected.clear()
            await output.send_text_message(message.sender_id, say("utter_action_failed"))
            return
        if counting.sent == 0:
            logger.warning("no reply was produced: sending the apology")
            await output.send_text_message(message.sender_id, say("utter_action_failed"))

    return guarded


def _limited(blueprint: Blueprint) -> limits.ConversationLength:
    """Cap request bodies on the blueprint's app and count conversations' events in its tracker store."""
    app_of_blueprint: dict[str, Sanic] = {}

    @blueprint.listener("main_process_start")
    async def set_frame_limit(app: Sanic, _loop: Any) -> None:
        # read once, when the server is built (after this listener, before `before_server_start`): a larger
        # websocket frame closes the connection with 1009 "message too big", not a bare 1000 OK from engine.io
        app.config.WEBSOCKET_MAX_SIZE = limits.MAX_BODY_BYTES

    @blueprint.listener("before_server_start")
    async def set_body_limits(app: Sanic, _loop: Any) -> None:
        app.config.REQUEST_MAX_SIZE = limits.MAX_BODY_BYTES  # read per connection: a larger body gets a 413
        app_of_blueprint["app"] = app
        french_refusals(app)

    async def count(sender: str) -> int:
        return await limits.stored_events(app_of_blueprint.get("app"), sender)

    return limits.ConversationLength(count)


# Sanic's own refusals on Rasa's whole app (its English text or HTML, a 404 that repeats the path), said in French
REFUSALS: dict[type[Exception], tuple[int, str]] = {
    NotFound: (404, "Adresse inconnue de ce serveur."),
    MethodNotSupported: (405, "Méthode non acceptée à cette adresse."),
    PayloadTooLarge: (413, "Requête trop volumineuse."),
}


def french_refusals(app: Sanic) -> None:
    """Register the refusals above on the app (once): a blueprint's handlers only see its own routes."""
    if getattr(app.ctx, "french_refusals", False):
        return
    app.ctx.french_refusals = True
    for kind, (status, text) in REFUSALS.items():
        def refuse(request: Request, exception: Exception, status: int = status, text: str = text) -> Any:
            return response.json({"error": text}, status=status)
        app.error_handler.add(kind, refuse)


NOT_ONE_OBJECT = "le contenu doit être un seul objet JSON"
NOT_AN_OBJECT = 'Le corps de la requête doit être un objet JSON : {"sender": "…", "message": "…"}'


def _json_object(request: Request) -> dict:
    try:
        body = request.json
    except Exception:  # sanic raises on invalid JSON or invalid UTF-8
        raise InvalidUsage(NOT_AN_OBJECT) from None
    if not isinstance(body, dict):
        raise InvalidUsage(NOT_AN_OBJECT)
    return body


class GuardedRestInput(RestInput):
    """Rasa's REST channel with input checks (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _json_object(req).get("sender")
        sender = str(sender) if isinstance(sender, int) and not isinstance(sender, bool) else sender
        problem = limits.sender_problem(sender)
        if problem:
            raise InvalidUsage(problem)  # no shared "default" conversation for requests without a sender
        return sender

    def _extract_message(self, req: Request) -> str | None:
        message = _json_object(req).get("message")
        if message is not None and not isinstance(message, str):
            raise InvalidUsage("« message » doit être du texte")
        return message

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _json_object(request).get("metadata")
        problem = limits.metadata_problem(metadata)
        if problem:
            raise InvalidUsage(problem)
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]):
        handler: dict[str, Any] = {}

        async def checked(message: UserMessage) -> None:
            await handler["guarded"](message)

        blueprint = super().blueprint(checked)
        refuse_bad_framing(blueprint)  # "Content-Length: -1" would freeze Rasa's server (common/http_framing.py)

        @blueprint.exception(InvalidUsage)
        async def refused(request: Request, exception: Exception) -> HTTPResponse:
            """A refused request gets its reason as JSON, in French (not Sanic's English HTML page)."""
            return response.json({"error": str(exception)}, status=400)
        handler["guarded"] = guard(on_new_message, get_settings().max_message_chars, _limited(blueprint))

        feedback = FeedbackStore(get_settings().tracker_db_url)

        @blueprint.route("/feedback", methods=["POST"])
        async def rate(request: Request) -> HTTPResponse:
            """👍 / 👎 on an answer: {"sender", "rating": "up"|"down", "reason"?, "answer": the answer's text}."""
            body = _json_object(request)
            problem = await save_feedback(feedback, body.get("sender"), body)
            if problem:
                return response.json({"status": "refused", "error": problem}, status=400)
            return response.json({"status": "saved"})

        @blueprint.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            """The conversations' database as this server last found it: 503 while it fails (probes, supervisor);
            the model in use (a retrained one goes live by itself: bot/model_reload.py)."""
            from bot.model_reload import model_in_use
            from bot.tracker_store import HEALTH

            model = model_in_use(getattr(request.app.ctx, "agent", None))
            body, status = health_report(model.name if model else None, HEALTH.ok, HEALTH.failures)
            return response.json(body, status=status)

        return reload_models_after_start(trim_heap_after_start(blueprint))


def health_report(model: str | None, store_ok: bool, store_failures: int) -> tuple[dict[str, Any], int]:
    """The health route's body and status: 503 while the conversations' database fails, and while no model is
    loaded (a server started without one answers every student with an apology)."""
    status = "failing" if not store_ok else "no_model" if model is None else "ok"
    return ({"status": status, "tracker_store_failures": store_failures, "model": model},
            200 if status == "ok" else 503)


def _socket_payload_problem(data: Any, extra: tuple, metadata_key: str, session_persistence: bool) -> str | None:
    """Why a socket.io `user_uttered` payload is refused (None when it is well formed)."""
    if extra or not isinstance(data, dict):
        return 'le message doit être un seul objet : {"message": "…", "session_id": "…"}'
    if session_persistence:
        problem = limits.sender_problem(data.get("session_id"))
        if problem:
            return problem.replace("« sender »", "« session_id »")
    if "message" in data and data["message"] is not None and not isinstance(data["message"], str):
        return "« message » doit être du texte"
    return limits.metadata_problem(data.get(metadata_key))


class WholeAnswerSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, one message per answer: Rasa splits a text at every blank line, and an answer's
    Markdown list is set apart by blank lines (knowledge/render.py): its title, list and source would arrive as
    three bubbles (three ratings, the quick replies under the last). One message keeps them together; Markdown
    clients (rasa-webchat) and the chat page render its paragraphs and list."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text.strip()})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        replies = [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._send_message(recipient_id, {"text": text.strip(), "quick_replies": replies})


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with input checks, accepting connections from the chat page only."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> Any:
        """The output Rasa recreates for pushed messages (an advisor's answer): one message per answer too."""
        channel = super().get_output_channel()
        return WholeAnswerSocketIOOutput(self.sio, self.bot_message_evt) if channel is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        settings = get_settings()
        advisors = AdvisorQueue(settings.tracker_db_url)
        feedback = FeedbackStore(settings.tracker_db_url)
        blueprint = reload_models_after_start(trim_heap_after_start(super().blueprint(on_new_message)))
        refuse_bad_framing(blueprint)
        guarded = guard(on_new_message, settings.max_message_chars, _limited(blueprint))
        # Rasa lets any origin open the socket: the chat page's origin and ALLOWED_ORIGINS only (as REST's CORS)
        self.sio.eio.cors_allowed_origins = list(settings.origins)
        self.sio.eio.max_http_buffer_size = limits.MAX_BODY_BYTES
        # python-engineio's documented setting (a class attribute): a batch of more than 16 emits was dropped silently
        engineio.payload.Payload.max_decode_packets = limits.MAX_POLLING_PACKETS
        engineio_answers_its_own_cors(self.sio.eio)  # one Access-Control-Allow-Origin on long-polling (rasa-webchat)
        sio = self.sio

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None, *extra: Any) -> None:
            # Replaces Rasa's handler, which ignores some malformed payloads silently and fails on others:
            # every payload gets an answer, a refusal when it is not {"message": str, "session_id": str}.
            problem = _socket_payload_problem(data, extra, self.metadata_key, self.session_persistence)
            if problem:
                logger.info("socket.io message refused: %s", problem)
                await sio.emit(self.bot_message_evt, {"text": say("utter_payload_refused"), "error": problem},
                               room=sid, namespace=self.namespace)
                return
            sender = data["session_id"] if self.session_persistence else sid
            message = UserMessage(data.get("message"), WholeAnswerSocketIOOutput(sio, self.bot_message_evt), sender,
                                  input_channel=self.name(), metadata=data.get(self.metadata_key))
            await guarded(message)

        @sio.on("feedback", namespace=self.namespace)
        async def rate(sid: str, data: Any = None, *extra: Any) -> None:
            # 👍 / 👎 from the chat page: {"session_id", "rating", "reason"?, "answer"}; answered with feedback_saved
            # or feedback_refused (never silence)
            payload = data if isinstance(data, dict) and not extra else {}
            sender = payload.get("session_id") if self.session_persistence else sid
            problem = await save_feedback(feedback, sender, payload) if payload else NOT_ONE_OBJECT
            if problem:
                await sio.emit("feedback_refused", {"error": problem}, room=sid, namespace=self.namespace)
            else:
                await sio.emit("feedback_saved", {"answer": payload.get("answer")}, room=sid, namespace=self.namespace)

        if not socketio_session_fix_needed():  # written for Rasa 3.6 (bot/rasa_compat.py)
            return blueprint

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None, *extra: Any) -> None:
            # Replaces Rasa 3.6's handler, which calls the coroutine `enter_room` without awaiting it with
            # python-socketio 5, so replies never reached the page (RasaHQ/rasa#13027).
            data = data if isinstance(data, dict) else {}  # none at all: a new session (was a TypeError, no answer)
            session_id = data.get("session_id") or uuid.uuid4().hex
            problem = limits.sender_problem(session_id)
            if problem:  # no room named by a megabyte of text, no session the bot could not store
                await sio.emit(self.bot_message_evt, {"text": say("utter_payload_refused"),
                                                      "error": problem.replace("« sender »", "« session_id »")},
                               room=sid, namespace=self.namespace)
                return
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            if self.session_persistence:  # answers given while the page was closed

                async def emit(message: dict[str, Any]) -> None:
                    await sio.emit(self.bot_message_evt, message, room=sid, namespace=self.namespace)

                await replay_advisor_answers(emit, session_id, advisors)

        return blueprint
