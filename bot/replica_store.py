"""The tracker store of every Rasa process (one or replicas): a database outage reaches the student as the
apology, never a silent loss or a fork.

Rasa wraps every tracker store in `FailSafeTrackerStore`: when the database fails, `retrieve` returns None
(the conversation silently restarts from nothing) and `save` writes to an in-memory store of that one
process. With replicas this forks conversations: the student loses the context, and what is said during the
outage lives in one replica's memory, out of reach of the others, of `make forget` and of `make purge`.

With one process the in-memory copy is lost at the next restart, and out of reach of `make forget`. With replicas
it forks conversations as well.

`FailLoudSQLTrackerStore` (the default TRACKER_STORE_TYPE of endpoints.yml, `make run` and the replicas alike) is
bot.tracker_store.CachedSQLTrackerStore whose errors propagate: the input channel's guard (bot/channels.py)
then sends the polite French apology and nothing is stored anywhere else. Rasa has no door for the wrapper,
so `Agent._create_tracker_store` is wrapped (Rasa 3.6 only, like bot/rasa_compat.py's fixes) to wrap a store
of this class in a FailSafeTrackerStore whose `retrieve` and `save` propagate; other stores keep Rasa's wrapper.
"""
from __future__ import annotations

import logging
from typing import Any

from bot.rasa_compat import PATCHED_RASA_SERIES, is_patched_series, rasa_version
from bot.tracker_store import CachedSQLTrackerStore

logger = logging.getLogger(__name__)
_MARK = "_fails_loud_for_replicas"


def _propagating_wrapper_class() -> type:
    from rasa.core.tracker_store import FailSafeTrackerStore

    class PropagatingFailSafeTrackerStore(FailSafeTrackerStore):
        """Rasa's wrapper, except that reading and saving a conversation raise what the database raised.

        `retrieve_full_tracker` and `keys` (HTTP API, conversation-length limit) keep Rasa's fallback: a check
        made before the message is handled must not fail outside the channel's guard."""

        async def retrieve(self, sender_id: str) -> Any:
            return await self._tracker_store.retrieve(sender_id)

        async def save(self, tracker: Any) -> None:
            await self._tracker_store.save(tracker)

    return PropagatingFailSafeTrackerStore


def install_fail_loud_wrapper() -> bool:
    """Wrap `Agent._create_tracker_store` once, on Rasa 3.6 only; True when installed."""
    from rasa.core.agent import Agent

    current = Agent.__dict__["_create_tracker_store"].__func__
    if getattr(current, _MARK, False):
        return True
    if not is_patched_series():
        logger.warning("Rasa %s is not %sx: a replica's tracker store errors fall back to memory "
                       "(bot/replica_store.py)", rasa_version(), PATCHED_RASA_SERIES)
        return False
    propagating = _propagating_wrapper_class()

    def create_tracker_store(store: Any, domain: Any) -> Any:
        wrapper = current(store, domain)  # Rasa's: sets the store's domain, wraps it in FailSafeTrackerStore
        if isinstance(store, FailLoudSQLTrackerStore) and type(wrapper).__name__ == "FailSafeTrackerStore":
            return propagating(store)
        return wrapper

    setattr(create_tracker_store, _MARK, True)
    create_tracker_store.rasa_original = current  # for tests/bot/test_replica_store.py
    Agent._create_tracker_store = staticmethod(create_tracker_store)
    return True


class FailLoudSQLTrackerStore(CachedSQLTrackerStore):
    """CachedSQLTrackerStore for replicas: errors propagate instead of Rasa's in-memory fallback (see above)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        install_fail_loud_wrapper()  # Rasa builds the store before the Agent that wraps it
        super().__init__(*args, **kwargs)
