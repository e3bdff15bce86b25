"""The button payloads the bot offers; any other slash-command from a student is refused.

Rasa reads a message starting with "/" as an intent with entities (`/ask_skills{"job": "middle-office"}`),
which would let anyone set any slot to any value (a conversation "poisoned" with `{"job": 123}`). The
channels accept a payload only when it has the shape of the bot's own buttons: a topic, a job, the
comparison, and at most a `job` entity naming a job of the knowledge base.
"""
from __future__ import annotations

import json
import re

from knowledge import queries

_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)
_PLAIN_INTENTS = {"inform_job", "compare_jobs", "greet", "help", "ask_advisor"}
# What chat widgets send when they open, before the student types anything: rasa-webchat's usual initPayload
# ("/get_started"), Telegram's "/start", Messenger's "get started" postback. Each is the greeting. Rasa's own
# "/restart" and "/session_start" are not: they would reset the conversation, and stay refused.
START_PAYLOADS = frozenset({"/get_started", "/getstarted", "/get_start", "/start", "get_started"})
GREETING_PAYLOAD = "/greet"


def offered_intents() -> set[str]:
    """Intents a button of the bot may carry."""
    return _PLAIN_INTENTS | {f"ask_{topic}" for topic in queries.topics()}


def start_payload_as_greeting(text: str) -> str:
    """A widget's start payload as the greeting intent's payload (any case, spaces around); other texts unchanged."""
    return GREETING_PAYLOAD if text.strip().lower() in START_PAYLOADS else text


def is_offered_payload(text: str) -> bool:
    """Whether a "/..." message is one of the bot's own button payloads (False when unsure)."""
    try:
        return _is_offered(text)
    except Exception:  # the knowledge base unreadable: refuse rather than fail the message
        return False


def _is_offered(text: str) -> bool:
    match = _PAYLOAD.match(text.strip())
    if not match or match["intent"] not in offered_intents():
        return False
    if not match["entities"]:
        return True
    try:
        entities = json.loads(match["entities"])
    except ValueError:
        return False
    known = {job.id for job in queries.list_jobs()}
    return isinstance(entities, dict) and set(entities) == {"job"} and entities["job"] in known
