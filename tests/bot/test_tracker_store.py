"""The cached tracker store (bot/tracker_store.py) against Rasa's own SQLTrackerStore, on real SQLite and
PostgreSQL: same rows, same trackers read back, one INSERT per save, and the memory never hides what another
process did to the database (appends by another server process, `forget`, `purge`, a restart)."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import EventVerbosity

from bot.tracker_store import CachedSQLTrackerStore
from common.settings import PROJECT_DIR

SENDER = "student-42"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_DIR / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def two_urls(request, tmp_path):
    """Two empty databases of one kind: one for Rasa's store, one for ours."""
    if request.param == "sqlite":
        return [f"sqlite:///{tmp_path / name}.sqlite3" for name in ("rasa", "cached")]
    server = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(server, future=True, isolation_level="AUTOCOMMIT")
    names = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with engine.connect() as connection:
        for name in names:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    base = server.rsplit("/", 1)[0]
    return [f"{base}/{name}" for name in names]


def _turn(t: float, text: str, intent: str, job: str | None = None) -> list:
    """One exchange as Rasa's processor logs it, with fixed timestamps (both stores get equal events)."""
    entities = [{"entity": "job", "value": job, "start": 0, "end": 3}] if job else []
    parse = {"intent": {"name": intent, "confidence": 0.93}, "entities": entities, "text": text}
    events = [UserUttered(text, parse["intent"], entities, parse, timestamp=t)]
    if job:
        events.append(SlotSet("job", job, timestamp=t + 0.001))
    events += [ActionExecuted("action_answer_topic", policy="RulePolicy", confidence=1.0, timestamp=t + 0.002),
               BotUttered(f"réponse à {text}", {"buttons": [{"title": "Études", "payload": "/ask_studies"}]},
                          timestamp=t + 0.003),
               SlotSet("topic", intent.removeprefix("ask_"), timestamp=t + 0.004),
               ActionExecuted("action_listen", timestamp=t + 0.005)]
    return events


def _session_start(t: float, carried_job: str | None = None) -> list:
    events = [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t + 0.001)]
    if carried_job:
        events.append(SlotSet("job", carried_job, timestamp=t + 0.002))
    return events + [ActionExecuted("action_listen", timestamp=t + 0.003)]


def _script() -> list[list]:
    """Messages of one conversation, each the events one message adds (session restarts included)."""
    return [
        _session_start(1000.0) + _turn(1001.0, "bonjour", "greet"),
        _turn(1010.0, "les missions du middle office", "ask_missions", job="middle office"),
        _turn(1020.0, "et les études ?", "ask_studies"),
        _session_start(9000.0, carried_job="middle office") + _turn(9001.0, "les compétences ?", "ask_skills"),
        _turn(9010.0, "et le back office ?", "ask_skills", job="back office"),
        _turn(9020.0, "merci", "thank"),
    ]


async def _handle(store, domain: Domain, events: list) -> None:
    """What Rasa's MessageProcessor does with the store for one message: get or create, update, save."""
    tracker = await store.get_or_create_tracker(SENDER, append_action_listen=False)
    for event in events:
        tracker.update(event, domain)
    await store.save(tracker)


def _rows(url: str, sender: str = SENDER) -> list[tuple]:
    engine = sa.create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                                          "FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def _state(tracker) -> dict:
    return tracker.current_state(EventVerbosity.ALL) if tracker is not None else None


async def _rasa_reading(url: str, domain: Domain, sender: str = SENDER):
    store = SQLTrackerStore(domain, host=url)
    try:
        return await store.retrieve(sender)
    finally:
        store.engine.dispose()


class Spy:
    """Counts INSERT statements and Rasa-style database reads of one store."""

    def __init__(self, store: CachedSQLTrackerStore) -> None:
        self.inserts = 0
        self.reads = 0
        for engine in (store.engine, store._now):  # (SQLite: the event loop's own connections write too)
            if engine is not None:
                sa.event.listen(engine, "before_cursor_execute", self._statement)
        original = store._retrieve

        async def counted(*args, **kwargs):
            self.reads += 1
            return await original(*args, **kwargs)

        store._retrieve = counted

    def _statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            self.inserts += 1


def test_same_rows_and_trackers_as_rasa_with_one_insert_per_message(two_urls, domain):
    rasa_url, cached_url = two_urls

    async def scenario():
        rasa_store = SQLTrackerStore(domain, host=rasa_url)
        cached = CachedSQLTrackerStore(domain, host=cached_url)
        spy = Spy(cached)
        for number, (events, same_events) in enumerate(zip(_script(), _script(), strict=True)):
            await _handle(rasa_store, domain, events)
            inserts_before = spy.inserts
            await _handle(cached, domain, same_events)
            assert spy.inserts - inserts_before == 1, f"message {number}: one INSERT per save"
            assert _rows(cached_url) == _rows(rasa_url), f"message {number}: same rows as Rasa's store"
            expected = await _rasa_reading(rasa_url, domain)
            lent = await cached.retrieve(SENDER)
            assert _state(lent) == _state(expected), f"message {number}: same tracker as Rasa reads back"
            await cached.save(lent)  # nothing new: nothing written, tracker kept
            assert spy.inserts - inserts_before == 1
        # never read from the database: the new conversation has no row (nothing to read), and after each of the
        # two session starts the memory holds what Rasa reads back (the events from the SessionStarted on), the same
        # tracker as Rasa's reading (asserted above for every message)
        assert spy.reads == 0
        rasa_store.engine.dispose()
        cached.engine.dispose()

    asyncio.run(scenario())
    assert len(_rows(cached_url)) == sum(len(events) for events in _script())


def test_restart_keeps_the_conversation(two_urls, domain):
    _, url = two_urls

    async def scenario():
        first = CachedSQLTrackerStore(domain, host=url)
        for events in _script()[:3]:
            await _handle(first, domain, events)
        first.engine.dispose()
        restarted = CachedSQLTrackerStore(domain, host=url)  # a new process: empty memory
        tracker = await restarted.retrieve(SENDER)
        assert tracker.get_slot("job") == "middle office"
        assert _state(tracker) == _state(await _rasa_reading(url, domain))
        restarted.engine.dispose()

    asyncio.run(scenario())


def _python(code: str, url: str) -> None:
    env = dict(os.environ, TRACKER_DB_URL=url, PYTHONPATH=str(PROJECT_DIR), PYTHONWARNINGS="ignore")
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, check=True, timeout=120)


OTHER_PROCESS = """
import asyncio, os
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from bot.tracker_store import CachedSQLTrackerStore

async def main():
    domain = Domain.load("domain.yml")
    store = CachedSQLTrackerStore(domain, host=os.environ["TRACKER_DB_URL"])
    tracker = await store.get_or_create_tracker("student-42", append_action_listen=False)
    assert tracker.get_slot("job") == "middle office", tracker.get_slot("job")
    tracker.update(UserUttered("depuis l'autre processus", {"name": "ask_rhythm", "confidence": 0.9}), domain)
    tracker.update(ActionExecuted("action_listen"), domain)
    await store.save(tracker)

asyncio.run(main())
"""


def test_another_process_on_the_same_database_is_seen(two_urls, domain):
    """Two server processes on one database (replicas behind a lock store): each sees the other's events."""
    _, url = two_urls

    async def before():
        store = CachedSQLTrackerStore(domain, host=url)
        for events in _script()[:2]:
            await _handle(store, domain, events)
        return store

    store = asyncio.run(before())
    _python(OTHER_PROCESS, url)  # sees our events, appends its own

    async def after():
        tracker = await store.retrieve(SENDER)
        assert tracker.latest_message.text == "depuis l'autre processus"
        assert _state(tracker) == _state(await _rasa_reading(url, domain))
        for event in _turn(1030.0, "et le rythme ?", "ask_rhythm"):
            tracker.update(event, domain)
        await store.save(tracker)
        store.engine.dispose()

    asyncio.run(after())
    texts = [json.loads(row[5])["text"] for row in _rows(url) if row[1] == "user"]
    assert texts == ["bonjour", "les missions du middle office", "depuis l'autre processus", "et le rythme ?"]
    assert len(_rows(url)) == len(_script()[0]) + len(_script()[1]) + 2 + len(_turn(0, "x", "ask_rhythm"))


@pytest.mark.parametrize("command", [["forget", SENDER], ["purge", "--days", "0"]])
def test_forget_and_purge_in_another_process_are_not_undone_by_the_memory(two_urls, domain, command):
    _, url = two_urls

    async def before():
        store = CachedSQLTrackerStore(domain, host=url)
        for events in _script()[:3]:
            await _handle(store, domain, events)
        assert store._saved  # the tracker is kept in memory
        return store

    store = asyncio.run(before())
    env = dict(os.environ, TRACKER_DB_URL=url, PYTHONPATH=str(PROJECT_DIR))
    subprocess.run([sys.executable, "-m", "ops.conversations", *command], cwd=PROJECT_DIR, env=env, check=True,
                   timeout=120, capture_output=True)
    assert _rows(url) == []

    async def after():
        assert await store.retrieve(SENDER) is None
        # the student writes again: a fresh conversation, nothing of the forgotten one comes back
        now = time.time()
        await _handle(store, domain, _session_start(now) + _turn(now + 1, "bonjour", "greet"))
        tracker = await store.retrieve(SENDER)
        assert tracker.get_slot("job") is None
        store.engine.dispose()

    asyncio.run(after())
    assert len(_rows(url)) == len(_session_start(0)) + len(_turn(0, "x", "greet"))


def test_a_tracker_changed_after_its_save_is_read_again(two_urls, domain):
    """A message whose handling failed after the save leaves events in the object that were never stored."""
    _, url = two_urls

    async def scenario():
        store = CachedSQLTrackerStore(domain, host=url)
        for events in _script()[:2]:
            await _handle(store, domain, events)
        tracker = await store.retrieve(SENDER)
        await store.save(tracker)
        tracker.update(UserUttered("jamais enregistré", {"name": "greet", "confidence": 1.0}), domain)  # no save
        again = await store.retrieve(SENDER)
        assert again is not tracker
        assert _state(again) == _state(await _rasa_reading(url, domain))
        store.engine.dispose()

    asyncio.run(scenario())


def test_a_tracker_is_never_lent_twice_before_its_save(two_urls, domain):
    _, url = two_urls

    async def scenario():
        store = CachedSQLTrackerStore(domain, host=url)
        await _handle(store, domain, _script()[0] + _script()[1])
        first = await store.retrieve(SENDER)
        second = await store.retrieve(SENDER)
        assert first is not second and _state(first) == _state(second)
        for event in _turn(1020.0, "et les études ?", "ask_studies"):
            first.update(event, domain)
        await store.save(first)
        await store.save(second)  # nothing new in it: nothing written twice
        assert _state(await store.retrieve(SENDER)) == _state(await _rasa_reading(url, domain))
        store.engine.dispose()

    asyncio.run(scenario())
    assert len(_rows(url)) == len(_script()[0]) + len(_script()[1]) + len(_script()[2])


def test_bounded_memory(tmp_path, domain):
    async def scenario():
        store = CachedSQLTrackerStore(domain, host=f"sqlite:///{tmp_path / 'new' / 'c.sqlite3'}", cache_size="2")
        for number in range(5):
            tracker = await store.get_or_create_tracker(f"s{number}", append_action_listen=False)
            for event in _turn(1000.0 + number, "merci", "thank"):
                tracker.update(event, domain)
            await store.save(tracker)
        assert list(store._saved) == ["s3", "s4"]
        assert (await store.retrieve("s0")).latest_message.text == "merci"
        store.engine.dispose()

    asyncio.run(scenario())


def test_a_forget_while_a_message_is_handled_is_final(two_urls, domain):
    """The race of issue 21: the tracker is read (lent), `make forget` runs in another process, then the message's
    events are saved. Nothing of the forgotten conversation is written back, and the next message starts anew."""
    _, url = two_urls

    async def read_then_forget_then_save():
        store = CachedSQLTrackerStore(domain, host=url)
        for events in _script()[:3]:
            await _handle(store, domain, events)
        tracker = await store.retrieve(SENDER)  # a message arrives: its tracker is lent
        env = dict(os.environ, TRACKER_DB_URL=url, PYTHONPATH=str(PROJECT_DIR))
        forgot = subprocess.run([sys.executable, "-m", "ops.conversations", "forget", SENDER], cwd=PROJECT_DIR,
                                env=env, timeout=120, capture_output=True, text=True)
        assert forgot.returncode == 0 and "Deleted" in forgot.stdout, forgot.stderr
        for event in _turn(time.time() - 0.5, "et les études ?", "ask_studies"):  # handled before the forget ended
            tracker.update(event, domain)
        await store.save(tracker)
        assert _rows(url) == []
        assert await store.retrieve(SENDER) is None
        now = time.time()
        await _handle(store, domain, _session_start(now) + _turn(now + 1, "bonjour", "greet"))
        store.engine.dispose()

    asyncio.run(read_then_forget_then_save())
    texts = [json.loads(row[5]).get("text") for row in _rows(url) if row[1] == "user"]
    assert texts == ["bonjour"]


def test_rasas_own_store_puts_a_forgotten_conversation_back(two_urls, domain):
    """What the tombstone guards against, shown on Rasa's SQLTrackerStore: a tracker read before the forget and
    saved after it writes every event back (if Rasa changes this, the test says so)."""
    url, _ = two_urls

    async def race():
        store = SQLTrackerStore(domain, host=url)
        for events in _script()[:2]:
            tracker = await store.get_or_create_tracker(SENDER, append_action_listen=False)
            for event in events:
                tracker.update(event, domain)
            await store.save(tracker)
        tracker = await store.retrieve(SENDER)
        with store.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": SENDER})
        for event in _turn(time.time(), "et les études ?", "ask_studies"):
            tracker.update(event, domain)
        await store.save(tracker)
        store.engine.dispose()

    asyncio.run(race())
    assert len(_rows(url)) > len(_turn(0, "x", "ask_studies"))  # the forgotten messages are back


def _thread_trips(monkeypatch) -> list[str]:
    """The names of the functions the store sends to a worker thread."""
    import bot.tracker_store as store_module

    trips: list[str] = []
    real = asyncio.to_thread

    async def counted(function, *args, **kwargs):
        trips.append(getattr(function, "__name__", repr(function)))
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(store_module.asyncio, "to_thread", counted)
    return trips


def _store_the_script(url: str, domain: Domain) -> None:
    """Every message of `_script()` handled by one cached store on `url`."""

    async def scenario():
        store = CachedSQLTrackerStore(domain, host=url)
        for events in _script():
            await _handle(store, domain, events)
        store.engine.dispose()

    asyncio.run(scenario())


def test_sqlite_messages_are_stored_without_a_worker_thread(tmp_path, domain, monkeypatch):
    """SQLite in WAL mode: the fingerprint and the save run on the event loop (a reader and a writer never wait for
    each other there): no trip to a worker thread and back, half the store's CPU per message."""
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    trips = _thread_trips(monkeypatch)
    _store_the_script(url, domain)
    assert trips == []
    assert len(_rows(url)) == sum(len(events) for events in _script())


def test_a_lock_held_elsewhere_sends_the_save_to_the_worker_thread_and_the_loop_keeps_going(tmp_path, domain,
                                                                                          monkeypatch):
    """Another process holds the write lock: the event loop's connection gives up at once (nothing written), the
    worker thread waits for the lock while the loop answers others, and the message is stored once it is free."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    path = str(tmp_path / "c.sqlite3")
    trips = _thread_trips(monkeypatch)

    async def scenario():
        store = CachedSQLTrackerStore(domain, host=url)
        first, second = _script()[:2]
        await _handle(store, domain, first)
        locker = sqlite3.connect(path, timeout=1, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")  # the write lock, as `make forget` or another writer holds it
        ticks = 0

        async def ticking():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(ticking())
        saving = asyncio.create_task(_handle(store, domain, second))
        await asyncio.sleep(0.5)
        assert not saving.done() and ticks >= 20  # the save waits in the worker thread, the loop goes on
        locker.execute("ROLLBACK")
        locker.close()
        await saving
        ticker.cancel()
        store.engine.dispose()

    asyncio.run(scenario())
    assert "_write" in trips
    assert len(_rows(url)) == sum(len(events) for events in _script()[:2])  # stored once, nothing twice


def test_the_wal_is_checkpointed_in_the_worker_thread_now_and_then(tmp_path, domain, monkeypatch):
    import bot.tracker_store as store_module

    monkeypatch.setattr(store_module, "CHECKPOINT_EVERY", 2)
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    trips = _thread_trips(monkeypatch)
    _store_the_script(url, domain)
    assert trips == ["_checkpoint"] * 3  # six saves, every second one


def test_a_new_conversation_is_served_from_memory_from_its_second_message_on(two_urls, domain, monkeypatch):
    """Rasa's own flow: `get_or_create_tracker` saves the new tracker (an `action_listen`), the message adds the
    session start and the turn, and saves again; the next message gets Rasa's reading of it without a read."""
    rasa_url, cached_url = two_urls
    trips = _thread_trips(monkeypatch)
    monkeypatch.setattr(time, "time", lambda: 500.0)  # the created tracker's `action_listen`: one time in both stores

    async def handle(store, events):
        tracker = await store.get_or_create_tracker(SENDER)  # append_action_listen=True, as the processor
        for event in events:
            tracker.update(event, domain)
        await store.save(tracker)

    async def scenario():
        rasa_store = SQLTrackerStore(domain, host=rasa_url)
        cached = CachedSQLTrackerStore(domain, host=cached_url)
        spy = Spy(cached)
        for number, (events, same_events) in enumerate(zip(_script()[:3], _script()[:3], strict=True)):
            await handle(rasa_store, events)
            await handle(cached, same_events)
            assert _rows(cached_url) == _rows(rasa_url), f"message {number}: same rows as Rasa's store"
            expected = await _rasa_reading(rasa_url, domain)
            lent = await cached.retrieve(SENDER)
            assert _state(lent) == _state(expected), f"message {number}: same tracker as Rasa reads back"
            await cached.save(lent)
        assert spy.reads == 0
        rasa_store.engine.dispose()
        cached.engine.dispose()

    asyncio.run(scenario())
    if cached_url.startswith("sqlite"):
        assert trips == []  # every read and write on the event loop
