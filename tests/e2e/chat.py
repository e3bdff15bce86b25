"""A tiny REST client for the running bot (tests and benchmark)."""
from __future__ import annotations

import json
import urllib.request
import uuid

from knowledge.text import fold  # how user text is compared, shared with the bot (tests import it from here)


class Chat:
    """One conversation (one sender id) with the bot over the REST channel."""

    def __init__(self, rasa_url: str, sender: str | None = None):
        self.url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.sender = sender or f"test-{uuid.uuid4().hex[:10]}"

    def post(self, body: bytes, content_type: str = "application/json", timeout: float = 30) -> tuple[int, object]:
        request = urllib.request.Request(self.url, body, {"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def say(self, text) -> list[dict]:
        status, messages = self.post(json.dumps({"sender": self.sender, "message": text}).encode())
        assert status == 200, (status, messages)
        return messages

    def ask(self, text) -> str:
        """Send a message; return the reply's texts and button titles, folded (lowercase, no accents)."""
        return reply_text(self.say(text))


def reply_text(messages: list[dict]) -> str:
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts += [button.get("title", "") for button in message.get("buttons") or []]
    return fold(" ".join(parts))


def stored_events(tracker_db_url: str, sender: str) -> list[tuple[str, dict]]:
    """(type, data) of every event the tracker store holds for `sender`, in order, read straight from SQL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(tracker_db_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": sender}).all()
    finally:
        engine.dispose()
    return [(type_name, json.loads(data)) for type_name, data in rows]
