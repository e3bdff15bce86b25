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
