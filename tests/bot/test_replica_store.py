"""The replicas' tracker store (bot/replica_store.py): a database error propagates (the channel's guard turns it
into the apology) instead of Rasa's silent in-memory fallback; other tracker stores keep Rasa's behaviour."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import OperationalError

from bot.replica_store import FailLoudSQLTrackerStore, install_fail_loud_wrapper
from bot.tracker_store import CachedSQLTrackerStore


def _broken(store) -> None:
    """The database becomes unreachable: every read and write fails as SQLAlchemy does."""
    async def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    store.retrieve = store.retrieve_full_tracker = store.save = fail


def _wrapped(store_class, tmp_path):
    store = store_class(host=f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    wrapper = Agent._create_tracker_store(store, Domain.empty())
    assert isinstance(wrapper, FailSafeTrackerStore)
    return store, wrapper


def test_replica_store_errors_propagate(tmp_path):
    store, wrapper = _wrapped(FailLoudSQLTrackerStore, tmp_path)
    tracker = DialogueStateTracker.from_events("s1", [UserUttered("bonjour")])
    asyncio.run(wrapper.save(tracker))
    assert asyncio.run(wrapper.retrieve("s1")).latest_message.text == "bonjour"  # works while the database does
    _broken(store)
    with pytest.raises(OperationalError):
        asyncio.run(wrapper.retrieve("s1"))
    with pytest.raises(OperationalError):
        asyncio.run(wrapper.save(tracker))
    assert asyncio.run(wrapper.fallback_tracker_store.retrieve("s1")) is None  # nothing kept in one process's memory
    # checks made before a message is handled (conversation-length limit, HTTP API) keep Rasa's fallback
    assert asyncio.run(wrapper.retrieve_full_tracker("s1")) is None


def test_other_stores_keep_rasas_fallback(tmp_path):
    FailLoudSQLTrackerStore(host=f"sqlite:///{tmp_path / 'installs.sqlite3'}")  # the wrapper is installed
    store, wrapper = _wrapped(CachedSQLTrackerStore, tmp_path)
    _broken(store)
    assert asyncio.run(wrapper.retrieve("s1")) is None  # Rasa's FailSafeTrackerStore, unchanged


def test_installed_once_and_only_on_the_patched_series(monkeypatch):
    assert install_fail_loud_wrapper()
    installed = Agent.__dict__["_create_tracker_store"]
    assert install_fail_loud_wrapper() and Agent.__dict__["_create_tracker_store"] is installed
    monkeypatch.setattr(Agent, "_create_tracker_store", staticmethod(installed.__func__.rasa_original))
    monkeypatch.setattr("bot.replica_store.is_patched_series", lambda: False)
    assert not install_fail_loud_wrapper()
    assert not hasattr(Agent.__dict__["_create_tracker_store"].__func__, "rasa_original")


def test_a_failed_save_is_retried_then_raised_once_logged_and_reported(tmp_path, monkeypatch, caplog):
    from bot import tracker_store

    monkeypatch.setattr(tracker_store, "SAVE_RETRIES", (0.01, 0.01))
    monkeypatch.setattr(tracker_store, "HEALTH", tracker_store.StoreHealth())
    store = FailLoudSQLTrackerStore(host=f"sqlite:///{tmp_path / 'flaky.sqlite3'}")
    real_append, calls = store._append, {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= failures["n"]:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real_append(*args, **kwargs)

    failures = {"n": 2}  # a brief lock: the third attempt stores the message
    monkeypatch.setattr(store, "_append", flaky)
    asyncio.run(store.save(DialogueStateTracker.from_events("s1", [UserUttered("bonjour")])))
    # (SQLite: each attempt tries the event loop's connection, then the worker thread's: the 2nd attempt's first
    # try stores it)
    assert calls["n"] == 3 and tracker_store.HEALTH.ok
    assert asyncio.run(store.retrieve("s1")).events[0].text == "bonjour"

    failures["n"], calls["n"] = 100, 0  # an outage: raised after three attempts, nothing kept in memory
    with caplog.at_level("ERROR", logger="bot.tracker_store"), pytest.raises(OperationalError):
        asyncio.run(store.save(DialogueStateTracker.from_events("s2", [UserUttered("salut")])))
    with pytest.raises(OperationalError):
        asyncio.run(store.save(DialogueStateTracker.from_events("s3", [UserUttered("re")])))
    assert calls["n"] == 2 * 6 and not tracker_store.HEALTH.ok and tracker_store.HEALTH.failures == 2
    assert len([r for r in caplog.records if "Tracker store failing" in r.getMessage()]) == 1  # once per episode
    assert "s2" not in store._saved and "s2" not in store._lent

    failures["n"] = 0  # back: the next save works and the episode ends
    asyncio.run(store.save(DialogueStateTracker.from_events("s4", [UserUttered("ok")])))
    assert tracker_store.HEALTH.ok
