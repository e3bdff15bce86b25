"""Keeps students' messages (and conversation ids) out of every log line, Rasa's own loggers included.

Students may be minors: what they type is stored in the tracker store only (deleted by `make purge` /
`make forget`), never in a log, which nothing deletes. Rasa 3.6 writes message texts in several places
at ERROR level: the REST timeout and failure events (`text=`), the action server's error body echoed in
the traceback of a failed action (rasa_sdk answers a 500 with the whole request, tracker included),
warnings about slash-commands it cannot parse. `PrivacyFilter`, set on the handlers of
`bot/logging.yml` (`rasa run --logging-config-file`), rewrites every record before it is written:
1. Rasa's structured events (JSON lines): the fields Rasa itself lists as personal (text, slots,
   entities, events…) and the conversation ids are replaced by "[hidden]";
2. exceptions keep their type and stack, but their message loses any response body and is shortened;
3. any text the channels saw recently (`remember`, called by bot/channels.py for each message and
   conversation id) is replaced wherever it appears, raw or JSON-escaped.
The filter also routes Python warnings through logging (so through the filter).
"""
from __future__ import annotations

import json
import logging
import re
import threading
import traceback
from collections import OrderedDict

HIDDEN = "[hidden]"
# Rasa's own list of personal fields (rasa.utils.log_utils._anonymizer) plus conversation ids.
PERSONAL_KEYS = {
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response", "slot_candidates",
    "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states", "successes", "current_entity",
    "next_entity", "states", "entity", "token_text", "user_message", "json_message", "sender_id",
    "conversation_id", "tracker", "events", "metadata", "request_body", "body",
}
MAX_EXCEPTION_MESSAGE = 200
_REMEMBERED = 2000  # the texts of the last messages: enough for the ones still being processed
_MIN_LENGTH = 3  # "ok" in a log line reveals nothing, and hiding it would hide common words
_BODY = re.compile(r"(body=|\"request_body\"|'request_body').*", re.DOTALL)

_lock = threading.Lock()
_recent: OrderedDict[str, None] = OrderedDict()


def remember(*texts: object) -> None:
    """Mark texts (a message, a conversation id) to be hidden from every later log line of this process."""
    with _lock:
        for text in texts:
            if not isinstance(text, str) or len(text.strip()) < _MIN_LENGTH:
                continue
            for form in _forms(text.strip()):
                _recent[form] = None
                _recent.move_to_end(form)
        while len(_recent) > _REMEMBERED:
            _recent.popitem(last=False)


def _forms(text: str) -> set[str]:
    """The ways a text appears in a log: as is, JSON-escaped (with or without ASCII escapes), repr'd."""
    return {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1], repr(text)[1:-1]}


def hide_remembered(line: str) -> str:
    with _lock:
        found = [text for text in _recent if text in line]  # usually none: sort only what a line contains
    for text in sorted(found, key=len, reverse=True):  # longest first: a text containing another goes whole
        line = line.replace(text, HIDDEN)
    return line


def _hide_fields(value: object) -> object:
    if isinstance(value, dict):
        return {key: HIDDEN if key in PERSONAL_KEYS else _hide_fields(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_hide_fields(item) for item in value]
    return value


def hide_structured(line: str) -> str:
    """A JSON event line (Rasa's structlog output) with its personal fields hidden; other lines unchanged."""
    stripped = line.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return line
    try:
        event = json.loads(stripped)
    except ValueError:
        return line
    return json.dumps(_hide_fields(event), ensure_ascii=False) if isinstance(event, dict) else line


def exception_summary(error: BaseException) -> str:
    """Type and short message of an exception (no response body), for each exception of its chain."""
    message = _BODY.sub(r"\1[not logged]", str(error))
    if len(message) > MAX_EXCEPTION_MESSAGE:
        message = message[:MAX_EXCEPTION_MESSAGE] + "…"
    return f"{type(error).__module__}.{type(error).__qualname__}: {message}"


def format_exception(error: BaseException) -> str:
    """A traceback with every frame, where each exception's message is its `exception_summary`."""
    parts = []
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        stack = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{stack}{exception_summary(error)}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n\nThe exception above led to the one below:\n".join(parts[::-1]) if len(parts) > 1 else parts[0]


def clean(line: str) -> str:
    return hide_remembered(hide_structured(line))


class PrivacyFilter(logging.Filter):
    """Rewrites each record (message, arguments, exception) without student texts; never drops a record."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        logging.captureWarnings(True)  # warnings (e.g. a slash-command Rasa cannot parse) go through here too
        # Records of loggers without a handler that do not propagate (Rasa sets that for sanic's and
        # socket.io's) end in logging.lastResort: filter those too.
        if not any(isinstance(f, PrivacyFilter) for f in getattr(logging.lastResort, "filters", [])):
            last_resort = logging.StreamHandler()  # stderr, like the default one
            last_resort.setLevel(logging.WARNING)
            last_resort.addFilter(self)
            logging.lastResort = last_resort

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template only
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            message += "\n" + format_exception(record.exc_info[1])
        elif record.exc_text:
            message += "\n" + record.exc_text
        record.msg, record.args = clean(message), None
        record.exc_info, record.exc_text = None, None
        if record.stack_info:
            record.stack_info = clean(record.stack_info)
        return True
