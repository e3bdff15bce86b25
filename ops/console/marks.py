"""The console's own state: which messages an operator reviewed, ignored or labelled, and the access log.

Kept apart from Rasa's `events` table (a small SQLite file under var/ by default). A mark is keyed by the
conversation and the message's timestamp, so it stays attached to its message whatever the events' row ids;
marks of messages past retention are deleted with them.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, delete, select
from sqlalchemy.engine import Engine

from common.settings import PROJECT_DIR

STATUSES = ("reviewed", "ignored", "labelled")
MARKS_FILE = PROJECT_DIR / "var" / "console.sqlite3"  # where `make console` keeps them (`make review` reads it)

_metadata = MetaData()
marks_table = Table(
    "console_marks", _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("message_ts", Float, nullable=False),
    Column("status", String(20), nullable=False),
    Column("intent", String(255)),          # the intent given when labelled
    Column("operator", String(100), nullable=False),
    Column("at", Float, nullable=False),
)


def _key(sender_id: str, timestamp: float) -> tuple[str, float]:
    return sender_id, round(timestamp, 6)


@dataclass(frozen=True)
class Mark:
    """Who marked a message, how and when (`at`: epoch seconds); `intent`: the one given when labelled."""

    status: str
    operator: str
    at: float
    intent: str | None = None

    def to_json(self) -> dict:
        """What the list and the export show: "revu par Anne le 2026-12-05 10:31"."""
        return {"status": self.status, "marked_by": self.operator,
                "marked_at": datetime.fromtimestamp(self.at).strftime("%Y-%m-%d %H:%M"), "label": self.intent or ""}


class Marks:
    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self._engine: Engine = create_engine(url, future=True)
        _metadata.create_all(self._engine)

    def all(self) -> dict[tuple[str, float], str]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(marks_table.c.sender_id, marks_table.c.message_ts, marks_table.c.status))
            return {_key(r.sender_id, r.message_ts): r.status for r in rows}

    def details(self, sender_id: str | None = None, timestamp: float | None = None) -> dict[tuple[str, float], Mark]:
        """Every mark with its operator and time, by (conversation, message timestamp); or those of one conversation,
        or of one message."""
        columns = marks_table.c
        query = select(columns.sender_id, columns.message_ts, columns.status, columns.operator, columns.at,
                       columns.intent)
        if sender_id is not None:
            query = query.where(columns.sender_id == sender_id)
        if timestamp is not None:
            query = query.where(columns.message_ts == round(timestamp, 6))
        with self._engine.connect() as connection:
            return {_key(r.sender_id, r.message_ts): Mark(r.status, r.operator, r.at, r.intent)
                    for r in connection.execute(query)}

    def set(self, sender_id: str, timestamp: float, status: str, operator: str, intent: str | None = None) -> None:
        """Mark one message; status "" removes the mark."""
        if status and status not in STATUSES:
            raise ValueError(status)
        sender_id, timestamp = _key(sender_id, timestamp)
        with self._engine.begin() as connection:
            connection.execute(delete(marks_table).where(marks_table.c.sender_id == sender_id,
                                                         marks_table.c.message_ts == timestamp))
            if status:
                connection.execute(marks_table.insert().values(sender_id=sender_id, message_ts=timestamp, status=status,
                                                               intent=intent, operator=operator[:100], at=time.time()))

    def get(self, sender_id: str, timestamp: float) -> Mark | None:
        return self.details(sender_id, timestamp).get(_key(sender_id, timestamp))

    def forget(self, sender_id: str) -> int:
        """Delete one conversation's marks (`make forget`: who reviewed which of its messages, and when)."""
        with self._engine.begin() as connection:
            return connection.execute(delete(marks_table).where(marks_table.c.sender_id == sender_id)).rowcount

    def purge_before(self, cutoff: float) -> int:
        """Delete the marks of messages older than the retention cutoff."""
        with self._engine.begin() as connection:
            return connection.execute(delete(marks_table).where(marks_table.c.message_ts < cutoff)).rowcount


def marked_keys(path: Path) -> set[tuple[str, float]]:
    """The messages the console's operators already reviewed, ignored or labelled (`make review` leaves them out);
    nothing when the console never ran (its file is not created from here)."""
    if not path.is_file():
        return set()
    return set(Marks(f"sqlite:///{path}").all())


def message_key(sender_id: str, timestamp: float) -> tuple[str, float]:
    """How a mark names its message: the conversation and the message's timestamp (rounded as stored)."""
    return _key(sender_id, timestamp)


class AccessLog:
    """One JSON line per access: when, who, from where, what (an action and ids, never a message's text)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def write(self, who: str, client: str, action: str, **details) -> None:
        line = json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "who": who, "client": client,
                           "action": action, **details}, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as log:
            log.write(line + "\n")
