"""What one request may make the bot store: sender id, metadata, body size, one conversation's length.

Without limits three requests with a 1 MB sender id grew the conversations database by 45 MiB, a 500 kB
metadata was stored twice, and a missing sender fell into one `default` conversation shared by everyone.
The channels (bot/channels.py) refuse such requests before Rasa stores anything.
"""
from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

MAX_SENDER_CHARS = 64  # the chat page's ids are 32 hex characters
MAX_METADATA_BYTES = 2_000  # as JSON; the page sends none
MAX_BODY_BYTES = 128_000  # a request or socket.io packet: room for a long message to get its French refusal
# socket.io long-polling: the packets one POST may carry (engine.io drops a batch of more than its default 16 without a
# word); as many as the body limit can hold (a packet is 20 bytes at least), so none is dropped for their number
MAX_POLLING_PACKETS = MAX_BODY_BYTES // 20
MAX_CONVERSATION_EVENTS = 3_000  # about 300 messages with their answers
RECOUNT_EVERY = 20  # messages of one conversation between two counts of its stored events
_SENDER = re.compile(r"[A-Za-z0-9_.:@-]+")


def sender_problem(sender: Any) -> str | None:
    """Why `sender` cannot name a conversation (None when it can)."""
    if sender is None or (isinstance(sender, str) and not sender.strip()):
        return ("« sender » est obligatoire : l'identifiant de la conversation, en lettres, chiffres, '_', '-', '.', "
                "':' ou '@'")
    if not isinstance(sender, str):
        return "« sender » doit être du texte"
    if len(sender) > MAX_SENDER_CHARS:
        return f"« sender » dépasse {MAX_SENDER_CHARS} caractères"
    if not _SENDER.fullmatch(sender):
        return "« sender » ne peut contenir que des lettres, des chiffres, '_', '-', '.', ':' ou '@'"
    return None


def metadata_problem(metadata: Any) -> str | None:
    """Why `metadata` is refused (None when it is absent or a small JSON object)."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return "« metadata » doit être un objet JSON"
    try:
        size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError):
        return "« metadata » doit être un objet JSON"
    if size > MAX_METADATA_BYTES:
        return f"« metadata » dépasse {MAX_METADATA_BYTES} octets"
    return None


class ConversationLength:
    """Tells when a conversation has reached `limit` stored events, counting them in the tracker store
    on a conversation's first message seen by this process and then every `recount_every` messages
    (a message adds at most a few dozen events, so the limit is met within a few hundred events)."""

    def __init__(self, count_events: Callable[[str], Awaitable[int]], limit: int = MAX_CONVERSATION_EVENTS,
                 recount_every: int = RECOUNT_EVERY, remembered: int = 10_000):
        self.count_events, self.limit = count_events, limit
        self.recount_every, self.remembered = recount_every, remembered
        self._seen: OrderedDict[str, list[int]] = OrderedDict()  # sender -> [events at last count, messages since]

    async def is_full(self, sender: str) -> bool:
        entry = self._seen.get(sender)
        if entry is None or entry[1] >= self.recount_every:
            entry = [await self.count_events(sender), 0]
        entry[1] += 1
        self._seen[sender] = entry
        self._seen.move_to_end(sender)
        while len(self._seen) > self.remembered:
            self._seen.popitem(last=False)
        return entry[0] >= self.limit


async def stored_events(app: Any, sender: str) -> int:
    """How many events the tracker store holds for `sender` (0 before the agent is loaded)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return 0
    inner = store
    while not hasattr(inner, "fingerprint") and hasattr(inner, "_tracker_store"):  # Rasa's wrappers
        inner = inner._tracker_store
    if hasattr(inner, "fingerprint"):  # bot.tracker_store: one COUNT query instead of reading every event
        return inner.fingerprint(sender).count
    tracker = await store.retrieve_full_tracker(sender)
    return len(tracker.events) if tracker is not None else 0
