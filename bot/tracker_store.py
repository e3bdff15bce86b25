"""Rasa's SQL tracker store with recent trackers kept in memory (named in endpoints.yml).

Rasa 3.6's `SQLTrackerStore` rebuilds the whole session from JSON on every message and, to save, counts the
stored events with a sub-query, then inserts them one ORM object at a time: ~40 % of the Rasa process's CPU
per message. `CachedSQLTrackerStore` writes the same rows in Rasa's own `events` table (so conversations
survive a restart, PostgreSQL works and `ops/conversations.py` sees them) but:

- keeps the trackers it saved in a bounded LRU and lends them back, without rebuilding them;
- appends only the new events, in one INSERT per save (SQLite: pooled connections, WAL journal);
- never lets a database that waits (a lock held by another process, PostgreSQL's network) stop the server's event
  loop, so other conversations, health checks and the supervisor's probes still get answers. SQLite in WAL mode
  (readers and a writer never wait for each other) is read and written on the loop by connections that never wait
  (busy timeout 0): when one would wait, nothing is written and the query goes to a worker thread, as every query
  of other databases does (the trip there and back was half the store's CPU per message);
- before lending a cached tracker, compares the sender's stored rows (count, last id, last timestamp: one
  indexed aggregate query) with what it wrote itself. Rows deleted by `forget`/`purge`, or appended by
  another server process on the same database (replicas behind Rasa's lock store), change that fingerprint:
  the tracker is then read from the database exactly as Rasa does, so a replica never serves a stale one.

A forget is final: `make forget` deletes the sender's rows and writes a tombstone (`forgotten_senders`: sender id,
time) in the same transaction. The fingerprint reads the tombstone too, and a save whose events go back to before
it (a message being handled while the conversation was forgotten) writes nothing: the tracker in memory, read
before the forget, never puts the forgotten messages back.

Whenever its own bookkeeping does not apply (a tracker it did not lend, rows it did not write), it falls
back to Rasa's own code path, so the rows it writes are the ones `SQLTrackerStore` would write.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine.url import make_url
from sqlalchemy.orm import sessionmaker

from bot.forgotten import forgotten_table

logger = logging.getLogger(__name__)

DEFAULT_CACHE_SIZE = 1000  # trackers kept in memory per server process
SAVE_RETRIES = (0.2, 0.5)  # seconds before the 2nd and 3rd attempt of a failed save (a lock, a brief outage)
CHECKPOINT_EVERY = 200  # SQLite: saves written on the event loop between two WAL checkpoints (in a worker thread)


class _NotNow(Exception):
    """A write the event loop does not do itself (a lock, rows changed elsewhere): the worker thread does it."""


@dataclass
class StoreHealth:
    """The database as this process last found it; one log line per failure episode, with its count.

    Read by the channels' health route (`GET /webhooks/rest/health`: 503 while failing) for the supervisor and for
    Kubernetes probes."""

    failing_since: float | None = None
    failures: int = 0  # failed operations in the current episode
    last_error: str = ""

    def failed(self, operation: str, error: Exception) -> None:
        self.failures += 1
        self.last_error = f"{operation}: {type(error).__name__}"
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            logger.error("Tracker store failing (%s): %s. Messages get the apology and are not stored until it "
                         "works again.", operation, error)

    def worked(self) -> None:
        if self.failing_since is not None:
            logger.warning("Tracker store works again after %.1f s and %d failed operations",
                           time.monotonic() - self.failing_since, self.failures)
        self.failing_since, self.failures, self.last_error = None, 0, ""

    @property
    def ok(self) -> bool:
        return self.failing_since is None


HEALTH = StoreHealth()  # one per server process (the tracker store is built once per Rasa server)
INSERT_CHUNK = 500  # rows per INSERT (SQLite allows 32766 bound parameters; 7 per row)


class Fingerprint(NamedTuple):
    """What the database holds for one sender: changes when anyone adds or deletes its rows."""

    count: int
    last_id: int | None
    last_timestamp: float | None
    forgotten_at: float | None = None  # the sender's conversation was forgotten then (make forget)


@dataclass
class _Entry:
    tracker: DialogueStateTracker
    stored: int  # how many of tracker.events are in the database
    last_event: Event | None  # tracker.events[-1] when stored: detects changes made after the save
    fingerprint: Fingerprint

    def unchanged_since_save(self) -> bool:
        events = self.tracker.events
        return len(events) == self.stored and (events[-1] if events else None) is self.last_event


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: str, value: _Entry) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


def _sqlite_parent(url: str | None) -> Path | None:
    if not url or "://" not in url:
        return None
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).parent
    return None


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_now_pragmas(dbapi_connection, connection_record) -> None:
    """The event loop's own connections (never waiting): a commit never waits for the disk (synchronous=NORMAL in
    WAL: no fsync; a checkpoint, which syncs, runs in a worker thread: CachedSQLTrackerStore._checkpoint). Writes
    are allowed only when the database is in WAL mode, where readers and a writer never wait for each other."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()
    cursor.close()
    connection_record.info["wal"] = bool(mode) and str(mode[0]).lower() == "wal"


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` + bounded in-memory trackers validated against the database, one INSERT per save.

    Endpoint file: `tracker_store: {type: bot.tracker_store.CachedSQLTrackerStore, url: <SQLAlchemy URL>,
    cache_size: 1000}` (a full URL in `url` is Rasa's own syntax; `dialect`, `db`, `username`… work too).
    Lending assumes what Rasa's lock store guarantees: one message of a conversation handled at a time.
    A tracker lent and not saved yet is never lent twice: a second reader gets its own copy from the DB.
    """

    def __init__(self, domain=None, host: str | None = None, cache_size: int | str = DEFAULT_CACHE_SIZE,
                 **kwargs: Any) -> None:
        folder = _sqlite_parent(host)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=host, **kwargs)
        self._now: sa.engine.Engine | None = None  # SQLite: connections that never wait (_fingerprint_now, _write_now)
        self._saves_since_checkpoint = 0
        if self.engine.dialect.name == "sqlite":
            self._tune_sqlite()
        size = int(cache_size)
        if size < 0:
            raise ValueError(f"cache_size must be 0 or more, got {cache_size!r}")
        self._saved = _LRU(size)  # sender -> tracker as last saved, ready to lend
        self._lent = _LRU(max(size, 1))  # sender -> tracker lent by retrieve(), awaiting its save()
        self._table = self.SQLEvent.__table__
        self._returning = self.engine.dialect.name == "postgresql"
        self._insert = sa.insert(self._table)
        # built once: SQLAlchemy then reuses its compiled form (building it per call cost 4x the query)
        table = self._table
        self._forgotten = forgotten_table(sa.MetaData())
        self._forgotten.create(self.engine, checkfirst=True)
        tombstone = (sa.select(self._forgotten.c.forgotten_at)
                     .where(self._forgotten.c.sender_id == sa.bindparam("sender_id")).scalar_subquery())
        self._fingerprint_query = (sa.select(sa.func.count(), sa.func.max(table.c.id), sa.func.max(table.c.timestamp),
                                             tombstone)
                                   .where(table.c.sender_id == sa.bindparam("sender_id")))

    def _tune_sqlite(self) -> None:
        """SQLite only. Pooled connections: SQLAlchemy 1.4 opens a file database anew for every query (NullPool).
        WAL journal with synchronous=NORMAL: a commit no longer waits ~30 ms for the disk while the whole server
        (one event loop) waits with it; a power cut may lose the last messages, an application crash loses none,
        and the file is never corrupted (https://www.sqlite.org/wal.html). Other processes read and delete as before."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)
        if url.database not in (None, "", ":memory:"):  # (an in-memory database is one connection's own)
            self._now = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                         connect_args={"check_same_thread": False, "timeout": 0})
            sa.event.listen(self._now, "connect", _sqlite_now_pragmas)

    # ---------------------------------------------------------------- reading
    def fingerprint(self, sender_id: str) -> Fingerprint:
        with self.engine.connect() as connection:
            count, last_id, last_timestamp, forgotten_at = connection.execute(self._fingerprint_query,
                                                                              {"sender_id": sender_id}).one()
        return Fingerprint(count, last_id, last_timestamp, forgotten_at)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's tracker: the one kept in memory when the database still matches it."""
        try:
            tracker = await self._retrieve_cached(sender_id)
        except sa.exc.SQLAlchemyError as error:
            HEALTH.failed("read", error)
            raise
        HEALTH.worked()
        return tracker

    def _fingerprint_now(self, sender_id: str) -> Fingerprint | None:
        """SQLite: the fingerprint read on the event loop, by a connection that never waits (busy timeout 0); None
        when that read cannot be done at once. In WAL mode a reader does not wait for writers, so this is the usual
        case, and it spares the trip to a worker thread and back (half the tracker store's CPU per message)."""
        if self._now is None:
            return None
        try:
            with self._now.connect() as connection:
                row = connection.execute(self._fingerprint_query, {"sender_id": sender_id}).one()
        except sa.exc.OperationalError:  # busy, locked, or anything else: the worker thread's read says what it is
            return None
        return Fingerprint(*row)

    async def _retrieve_cached(self, sender_id: str) -> DialogueStateTracker | None:
        fingerprint = self._fingerprint_now(sender_id)
        if fingerprint is None:  # a database that waits (PostgreSQL's network, a lock) blocks a worker thread only
            fingerprint = await asyncio.to_thread(self.fingerprint, sender_id)
        entry = self._saved.pop(sender_id, None)
        if entry is not None and entry.fingerprint == fingerprint and entry.unchanged_since_save():
            self._lent.put(sender_id, entry)
            return entry.tracker
        if fingerprint.count == 0:  # no row: Rasa's reading finds nothing either (a new or forgotten conversation)
            return None
        tracker = await self._retrieve(sender_id, fetch_events_from_all_sessions=False)  # Rasa's own reading
        if tracker is not None:
            self._lent.put(sender_id, _Entry(tracker, len(tracker.events), None, fingerprint))
        return tracker

    # ---------------------------------------------------------------- writing
    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the events not stored yet in one INSERT and keep the tracker for the next message.

        A database error is retried twice (SAVE_RETRIES), then raised: the channel's guard sends the apology, and
        nothing of the message is kept anywhere (never Rasa's in-memory fallback: bot/replica_store.py)."""
        for attempt, pause in enumerate((*SAVE_RETRIES, None)):
            try:
                await self._save_once(tracker)
            except sa.exc.SQLAlchemyError as error:
                if pause is None:
                    HEALTH.failed("save", error)
                    self.forget_cached([tracker.sender_id])
                    raise
                logger.debug("save attempt %d failed, retrying in %.1f s", attempt + 1, pause)
                await asyncio.sleep(pause)
            else:
                HEALTH.worked()
                return

    async def _save_once(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        lent = self._lent.pop(sender_id, None)
        saved = self._saved.pop(sender_id, None)
        if lent is None and saved is not None and saved.tracker is tracker:
            lent = saved  # saved, then saved again by its user (Rasa saves a new conversation as it creates it)
        if self.event_broker is not None:  # events streamed before they are written, as Rasa does
            fingerprint = await asyncio.to_thread(self.fingerprint, sender_id)
            new_events, complete = self._new_events(tracker, lent, fingerprint)
            if new_events is None:
                return
            await self._stream_new_events(self.event_broker, new_events, sender_id)
            fingerprint = await asyncio.to_thread(self._append, sender_id, new_events, fingerprint)
        else:  # read the fingerprint, then append, in one transaction: on the event loop when that never waits
            try:
                written = self._write_now(tracker, lent)
            except _NotNow:  # one trip to the worker thread, which may wait for the database
                written = await asyncio.to_thread(self._write, tracker, lent)
            else:
                await self._checkpoint_now_and_then()
            if written is None:
                return
            new_events, complete, fingerprint = written
        logger.debug("Tracker with sender_id '%s' stored to database (%d new events)", sender_id, len(new_events))
        if not complete or not tracker.events:
            return
        kept = tracker
        if any(isinstance(event, SessionStarted) for event in new_events):
            kept = self._as_read_back(tracker)  # a new session: Rasa reads back only the events from its start
            if kept is None:
                return
        events = kept.events
        self._saved.put(sender_id, _Entry(kept, len(events), events[-1] if events else None, fingerprint))

    def _as_read_back(self, tracker: DialogueStateTracker) -> DialogueStateTracker | None:
        """The tracker Rasa's reading gives back after a session start, without reading it: the events whose
        timestamp is at or after the latest `SessionStarted`'s (Rasa's query), replayed on the domain's slots; None
        where Rasa reads nothing (no domain)."""
        if self.domain is None:
            return None
        start = max(event.timestamp for event in tracker.events if isinstance(event, SessionStarted))
        return DialogueStateTracker.from_events(tracker.sender_id, [e for e in tracker.events if e.timestamp >= start],
                                                self.domain.slots)

    def _write_now(self, tracker: DialogueStateTracker, lent: _Entry | None
                   ) -> tuple[list[Event], bool, Fingerprint] | None:
        """SQLite in WAL mode: `_write` on the event loop, by a connection that never waits (busy timeout 0), for a
        new conversation or a tracker this store lent. Raises _NotNow, having written nothing, whenever that is not
        the case: a lock held by another process, rows changed since the tracker was lent (Rasa's own count of
        stored events reads them), another journal mode."""
        if self._now is None:
            raise _NotNow
        try:
            with self._now.begin() as connection:
                if not connection.connection.info.get("wal"):
                    raise _NotNow
                return self._write(tracker, lent, connection)
        except sa.exc.OperationalError as error:  # busy or locked: rolled back, nothing written
            raise _NotNow from error

    async def _checkpoint_now_and_then(self) -> None:
        """The WAL's pages copied into the database file every CHECKPOINT_EVERY saves, in the worker thread (it syncs
        the disk); PASSIVE: it waits for no reader or writer, what it cannot copy is copied next time."""
        self._saves_since_checkpoint += 1
        if self._saves_since_checkpoint < CHECKPOINT_EVERY:
            return
        self._saves_since_checkpoint = 0
        try:
            await asyncio.to_thread(self._checkpoint)
        except sa.exc.SQLAlchemyError as error:  # the saves are stored: a checkpoint is only tidying up
            logger.warning("WAL checkpoint skipped: %s", error)

    def _checkpoint(self) -> None:
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _write(self, tracker: DialogueStateTracker, lent: _Entry | None,
               now: sa.engine.Connection | None = None) -> tuple[list[Event], bool, Fingerprint] | None:
        """In the worker thread (or in `now`'s transaction, on the event loop: _write_now): the sender's fingerprint,
        the events not stored yet, and their INSERT, in one transaction (None: the conversation was forgotten
        meanwhile, nothing written)."""
        with contextlib.nullcontext(now) if now is not None else self.engine.begin() as connection:
            fingerprint = Fingerprint(*connection.execute(self._fingerprint_query,
                                                          {"sender_id": tracker.sender_id}).one())
            if now is not None and not (fingerprint.count == 0 or lent is not None and lent.tracker is tracker
                                        and lent.fingerprint == fingerprint):
                raise _NotNow  # rows changed elsewhere: Rasa's own count of the stored events, in the worker thread
            new_events, complete = self._new_events(tracker, lent, fingerprint)
            if new_events is None:
                return None
            return new_events, complete, self._append(tracker.sender_id, new_events, fingerprint, connection)

    def _new_events(self, tracker: DialogueStateTracker, lent: _Entry | None, fingerprint: Fingerprint
                    ) -> tuple[list[Event] | None, bool]:
        """The events to write, and whether the tracker then holds every stored event of its session (worth
        keeping); None when they go back to before a forget (a message handled while the conversation was
        forgotten): the tracker in memory, read before the forget, never puts the forgotten messages back."""
        complete = fingerprint.count == 0 or (lent is not None and lent.tracker is tracker
                                              and lent.fingerprint == fingerprint)
        if fingerprint.count == 0:
            new_events = list(tracker.events)
        elif complete:
            assert lent is not None
            new_events = list(itertools.islice(tracker.events, lent.stored, None))
        else:  # not a tracker this store lent, or rows changed meanwhile: Rasa's own count of stored events
            with self.session_scope() as session:
                new_events = list(self._additional_events(session, tracker))
        if fingerprint.forgotten_at is not None and any((event.timestamp or 0.0) <= fingerprint.forgotten_at
                                                         for event in new_events):
            logger.info("A conversation forgotten while one of its messages was handled: %d events not stored",
                        len(new_events))
            return None, complete
        return new_events, complete

    def _append(self, sender_id: str, events: list[Event], before: Fingerprint,
                connection: sa.engine.Connection | None = None) -> Fingerprint:
        """INSERT the rows Rasa's SQLTrackerStore writes (in `connection`'s transaction, else in its own); returns
        the sender's fingerprint after it."""
        if not events:
            return before
        if connection is None:
            with self.engine.begin() as own:
                return self._append(sender_id, events, before, own)
        rows = [self._row(sender_id, event) for event in events]
        last_id = None
        if self._returning:  # PostgreSQL: multi-row INSERTs that return the ids
            for start in range(0, len(rows), INSERT_CHUNK):
                statement = sa.insert(self._table).values(rows[start:start + INSERT_CHUNK])
                last_id = max(connection.execute(statement.returning(self._table.c.id)).scalars())
        else:  # one compiled INSERT run for each row (a multi-row VALUES is compiled anew per call: 3x the time)
            connection.execute(self._insert, rows)
            if self.engine.dialect.name == "sqlite":
                last_id = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar()
        if last_id is None:  # other dialects: read it back within the transaction
            last_id = connection.execute(sa.select(sa.func.max(self._table.c.id))
                                         .where(self._table.c.sender_id == sender_id)).scalar()
        timestamps = [row["timestamp"] for row in rows if row["timestamp"] is not None]
        if before.last_timestamp is not None:
            timestamps.append(before.last_timestamp)
        return Fingerprint(before.count + len(rows), last_id, max(timestamps) if timestamps else None,
                           before.forgotten_at)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The same columns, filled the same way, as SQLTrackerStore.save."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def forget_cached(self, sender_ids: Iterable[str] | None = None) -> None:
        """Drop trackers kept in memory (all of them by default); the database is untouched."""
        for cache in (self._saved, self._lent):
            for sender_id in list(cache) if sender_ids is None else sender_ids:
                cache.pop(sender_id, None)
