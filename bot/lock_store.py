"""Rasa lock stores that wake the next message of a conversation as soon as the previous one is done.

Rasa 3.6's `LockStore.lock` keeps each conversation's messages in order with a ticket lock, but a message
that finds the lock taken sleeps a whole second before looking again: 20 messages sent at once on one
conversation took 16 s. These subclasses keep Rasa's tickets (same order, same lifetime, same `LockError`)
and only change the waiting: a release wakes the waiters of that conversation at once; a short re-check
still notices expired tickets and, with Redis, releases made by another server process.

endpoints.yml: `lock_store: {type: bot.lock_store.WakingInMemoryLockStore}` for one process, or
`{type: bot.lock_store.WakingRedisLockStore, url: redis://host:port/db}` for replicas (Redis pub/sub wakes
the other processes' waiters too). Rasa builds a custom lock store as `cls(endpoint_config=...)`.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 0.1  # re-check without a wake-up: expired tickets, a lost pub/sub message
LEASE_SECONDS = 10.0  # Redis: a ticket lives this long unless its process renews it (a killed replica's expire)
ATOMIC_ATTEMPTS = 1000  # optimistic Redis transactions retried when another process changed the lock meanwhile


class _Wakeups:
    """One asyncio event per waiting ticket, set when that ticket's turn comes (or for all of a conversation)."""

    def __init__(self) -> None:
        self._events: dict[str, dict[int, asyncio.Event]] = {}

    async def wait(self, conversation_id: str, ticket: int, timeout: float) -> bool:
        """True when woken, False when `timeout` passed first."""
        waiting = self._events.setdefault(conversation_id, {})
        event = waiting.setdefault(ticket, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            if waiting.get(ticket) is event:
                del waiting[ticket]
            if not waiting:
                self._events.pop(conversation_id, None)

    def wake(self, conversation_id: str, ticket: int | None = None) -> None:
        """Wake the waiter of `ticket`, or every waiter of the conversation when the next ticket is unknown."""
        waiting = self._events.get(conversation_id, {})
        for number, event in list(waiting.items()):
            if ticket is None or number == ticket:
                event.set()


class _WakingLock:
    """`lock()` that waits for a release instead of sleeping a fixed second (mixed into Rasa's stores)."""

    recheck_seconds: float = RECHECK_SECONDS

    def _init_wakeups(self, recheck_seconds: Any = None) -> None:
        self._wakeups = _Wakeups()
        if recheck_seconds not in (None, ""):
            self.recheck_seconds = float(recheck_seconds)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ticket lock; `wait_time_in_seconds` only bounds the re-check interval."""
        ticket = self.issue_ticket(conversation_id, self._first_lifetime(lock_lifetime))
        keeper = self._keep_alive(conversation_id, ticket, lock_lifetime)
        try:
            yield await self._wait_for_turn(conversation_id, ticket, min(wait_time_in_seconds, self.recheck_seconds))
        finally:
            if keeper is not None:
                keeper.cancel()
            self.cleanup(conversation_id, ticket)
            remaining = self.get_lock(conversation_id)
            self._released(conversation_id, remaining.now_serving if remaining else None)

    async def _wait_for_turn(self, conversation_id: str, ticket: int, recheck: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:  # expired and deleted meanwhile: as in Rasa
                break
            if not lock.is_locked(ticket):
                return lock
            # No await between reading the lock and registering as a waiter: a release cannot slip in between.
            if not await self._wakeups.wait(conversation_id, ticket, recheck):
                self.update_lock(conversation_id)  # not woken: drop expired tickets, as Rasa does after a sleep
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _released(self, conversation_id: str, next_ticket: int | None) -> None:
        if next_ticket is not None:
            self._wakeups.wake(conversation_id, next_ticket)

    def _first_lifetime(self, lock_lifetime: float) -> float:
        """The lifetime a ticket is issued with: Rasa's whole lifetime where tickets die with their process."""
        return lock_lifetime

    def _keep_alive(self, conversation_id: str, ticket: int, lock_lifetime: float) -> asyncio.Task | None:
        """A task renewing the ticket's lease until release (None: nothing to renew)."""
        return None


class WakingInMemoryLockStore(_WakingLock, InMemoryLockStore):
    """Rasa's in-memory lock store (one server process), waking the next waiter at once."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        super().__init__()
        options = {**(endpoint_config.kwargs if endpoint_config else {}), **kwargs}
        self._init_wakeups(options.get("recheck_seconds"))


def redis_options(url: str | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """RedisLockStore's arguments from `redis://[user:password@]host:port/db` (or Rasa's host + kwargs)."""
    options = {key: value for key, value in kwargs.items() if key not in ("recheck_seconds", "lease_seconds")}
    if url and "://" in url:
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError(f"lock store URL must start with redis:// or rediss://, got {parts.scheme}://")
        options.update(host=parts.hostname or "localhost", port=parts.port or 6379, use_ssl=parts.scheme == "rediss")
        if parts.path.strip("/"):
            options["db"] = int(parts.path.strip("/"))
        if parts.username:
            options["username"] = unquote(parts.username)
        if parts.password:
            options["password"] = unquote(parts.password)
    elif url:
        options["host"] = url
    return options


class WakingRedisLockStore(_WakingLock, RedisLockStore):
    """Rasa's Redis lock store (several server processes): a release is published on Redis and wakes the
    waiters of every process subscribed; a short re-check covers a missed message.

    Rasa changes the lock by reading its JSON then writing it back: two replicas issuing a ticket at the same
    instant could both hand out the same number (two messages processed at once), and a release could erase a
ticket just issued by another replica. Here every change is an
    optimistic Redis transaction (WATCH the key, MULTI/EXEC the new JSON, retry if another process wrote
    meanwhile), with Rasa's own TicketLock code and JSON, so Rasa's readers of the lock are unchanged.

    A replica killed while holding a conversation's lock (or waiting for it) left its ticket for Rasa's whole
    lock lifetime (60 s): the student's next message, or the balancer's retry of the cut-off one, waited that
    long. Here a ticket is a lease: issued for `lease_seconds` and renewed by its process while it waits or
    holds, never beyond Rasa's lifetime — a live process keeps Rasa's semantics, a dead one's tickets expire
    within the lease."""

    lease_seconds: float = LEASE_SECONDS

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        options = {**(endpoint_config.kwargs if endpoint_config else {}), **kwargs}
        super().__init__(**redis_options(endpoint_config.url if endpoint_config else None, options))
        self._init_wakeups(options.get("recheck_seconds"))
        if options.get("lease_seconds") not in (None, ""):
            self.lease_seconds = float(options["lease_seconds"])
        self._channel = f"{self.key_prefix}released:"
        self._listener: asyncio.Task | None = None

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Rasa's next ticket (expired ones dropped first), read and written in one Redis transaction."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._atomically(conversation_id, issue)

    def _first_lifetime(self, lock_lifetime: float) -> float:
        return min(self.lease_seconds, lock_lifetime)

    def _keep_alive(self, conversation_id: str, ticket: int, lock_lifetime: float) -> asyncio.Task | None:
        if self.lease_seconds >= lock_lifetime:
            return None
        return asyncio.get_running_loop().create_task(self._renew(conversation_id, ticket, time.time() + lock_lifetime))

    async def _renew(self, conversation_id: str, ticket: int, deadline: float) -> None:
        """Push the ticket's expiry one lease ahead, a few times per lease, up to Rasa's lifetime."""
        while time.time() < deadline:
            await asyncio.sleep(self.lease_seconds / 4)
            try:
                self.extend_ticket(conversation_id, ticket, min(time.time() + self.lease_seconds, deadline))
            except LockError as error:  # Redis away: the ticket may expire, as it would have with Rasa
                logger.warning("could not renew a lock lease on Redis: %s", error.__cause__.__class__.__name__)

    def extend_ticket(self, conversation_id: str, ticket_number: int, expires: float) -> None:
        """Move this ticket's expiry to `expires` (never earlier) if it is still in the lock."""

        def extend(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            for ticket in lock.tickets if lock else ():
                if ticket.number == ticket_number:
                    ticket.expires = max(ticket.expires, expires)
            return lock, None

        self._atomically(conversation_id, extend)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets without erasing one issued meanwhile by another process."""

        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove this ticket without erasing one issued meanwhile by another process."""

        def remove(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove this ticket, and the lock when no ticket is left, in one transaction: a ticket issued
        meanwhile by another process is neither erased nor deleted with the lock."""

        def remove(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return (lock if lock and lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, remove)

    def _atomically(self, conversation_id: str,
                    change: Callable[[TicketLock | None], tuple[TicketLock | None, Any]]) -> Any:
        """Apply `change` to the stored lock (None: none stored) and store what it returns (None: delete the
        key), unless another process wrote the key meanwhile: then start again on its version."""
        import redis

        key = self.key_prefix + conversation_id
        try:
            with self.red.pipeline(transaction=True) as pipe:
                for _ in range(ATOMIC_ATTEMPTS):
                    try:
                        pipe.watch(key)
                        stored = pipe.get(key)
                        lock, result = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
                        pipe.multi()
                        if lock is None:
                            pipe.delete(key)
                        else:
                            pipe.set(key, lock.dumps())
                        pipe.execute()
                        return result
                    except redis.WatchError:
                        continue
                    finally:
                        pipe.reset()
        except Exception as error:
            raise LockError(f"Error while changing the lock of '{conversation_id}' on Redis: {error!r}") from error
        raise LockError(f"The lock of '{conversation_id}' kept changing: {ATOMIC_ATTEMPTS} attempts failed.")

    async def _wait_for_turn(self, conversation_id: str, ticket: int, recheck: float) -> TicketLock:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.get_running_loop().create_task(self._listen())
        return await super()._wait_for_turn(conversation_id, ticket, recheck)

    def _released(self, conversation_id: str, next_ticket: int | None) -> None:
        super()._released(conversation_id, next_ticket)
        if next_ticket is None:
            return
        try:
            self.red.publish(self._channel + conversation_id, str(next_ticket))
        except Exception as error:  # the waiters' re-check still finds the release
            logger.warning("could not publish a lock release on Redis: %s", error.__class__.__name__)

    async def _listen(self) -> None:
        """Wake this process's waiters when any process publishes a release."""
        import redis.asyncio as aioredis

        settings = self.red.connection_pool.connection_kwargs
        keep = ("host", "port", "db", "username", "password")
        while True:
            client = aioredis.Redis(**{key: settings[key] for key in keep if key in settings},
                                    ssl=self.red.connection_pool.connection_class.__name__ == "SSLConnection")
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(self._channel + "*")
                    while True:
                        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                        if message and message.get("type") == "pmessage":
                            channel = message["channel"].decode("utf-8", "replace")
                            try:
                                ticket = int(message["data"])
                            except (TypeError, ValueError):
                                ticket = None
                            self._wakeups.wake(channel[len(self._channel):], ticket)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("Redis lock-release subscription lost (%s); retrying in 1 s",
                               error.__class__.__name__)
                await asyncio.sleep(1)
            finally:
                await client.close()
