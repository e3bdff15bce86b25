"""The waking lock stores (bot/lock_store.py): Rasa's ticket order, without Rasa's one-second polling.
In memory, and with a real Redis server for several processes."""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import pairwise

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import WakingInMemoryLockStore, WakingRedisLockStore, redis_options
from common.settings import PROJECT_DIR
from tests.conftest import free_port

WORK = 0.01  # seconds each message holds the lock


async def _burst(stores: list, count: int = 20, conversation: str = "student-1") -> tuple[list[int], float, int]:
    """`count` messages at once on one conversation; returns the order they got the lock, the time, and the
    largest number of holders at any moment."""
    order: list[int] = []
    holders = 0
    most = 0

    async def message(number: int) -> None:
        nonlocal holders, most
        async with stores[number % len(stores)].lock(conversation):
            holders += 1
            most = max(most, holders)
            order.append(number)
            await asyncio.sleep(WORK)
            holders -= 1

    start = time.perf_counter()
    tasks = []
    for number in range(count):
        tasks.append(asyncio.ensure_future(message(number)))
        await asyncio.sleep(0)  # let each issue its ticket in turn, as requests arriving one after the other
    await asyncio.gather(*tasks)
    return order, time.perf_counter() - start, most


def test_twenty_messages_at_once_are_served_in_order_without_polling_delay():
    order, took, most = asyncio.run(_burst([WakingInMemoryLockStore()]))
    assert order == list(range(20)) and most == 1
    assert took < 20 * WORK + 0.5, f"{took:.2f} s"


def test_rasa_in_memory_lock_store_waits_a_second_per_turn():
    """The baseline the class fixes (kept short: 3 messages)."""
    order, took, _ = asyncio.run(_burst([InMemoryLockStore()], count=3))
    assert order == [0, 1, 2] and took >= 1.9


def test_other_conversations_are_not_blocked():
    async def scenario():
        store = WakingInMemoryLockStore()
        async with store.lock("a"):
            start = time.perf_counter()
            async with store.lock("b"):
                pass
            return time.perf_counter() - start

    assert asyncio.run(scenario()) < 0.05


def test_a_cancelled_waiter_does_not_block_the_next():
    async def scenario():
        store = WakingInMemoryLockStore()
        got = []

        async def message(name: str, hold: float) -> None:
            async with store.lock("s"):
                got.append(name)
                await asyncio.sleep(hold)

        first = asyncio.ensure_future(message("first", 0.2))
        await asyncio.sleep(0)
        cancelled = asyncio.ensure_future(message("cancelled", 0))
        await asyncio.sleep(0)
        last = asyncio.ensure_future(message("last", 0))
        await asyncio.sleep(0.05)
        cancelled.cancel()
        start = time.perf_counter()
        await asyncio.gather(first, last)
        assert got == ["first", "last"]
        assert store.get_lock("s") is None  # nothing left behind
        return time.perf_counter() - start

    assert asyncio.run(scenario()) < 0.4


def test_an_expired_ticket_lets_the_next_message_in_like_rasa():
    async def scenario():
        store = WakingInMemoryLockStore()
        entered = {}

        async def stuck() -> None:
            async with store.lock("s", lock_lifetime=0.3):
                entered["stuck"] = time.perf_counter()
                await asyncio.sleep(2)

        task = asyncio.ensure_future(stuck())
        await asyncio.sleep(0.01)
        async with store.lock("s"):
            entered["next"] = time.perf_counter()
        task.cancel()
        return entered["next"] - entered["stuck"]

    assert 0.25 < asyncio.run(scenario()) < 0.8


def test_rasa_builds_the_store_from_the_endpoints_file():
    store = LockStore.create(EndpointConfig(type="bot.lock_store.WakingInMemoryLockStore", recheck_seconds="0.05"))
    assert isinstance(store, WakingInMemoryLockStore) and store.recheck_seconds == 0.05


def test_redis_url_gives_rasa_redis_arguments():
    assert redis_options("redis://:s%40cret@10.0.0.5:6390/3", {"key_prefix": "bot"}) == {
        "key_prefix": "bot", "host": "10.0.0.5", "port": 6390, "use_ssl": False, "db": 3, "password": "s@cret"}
    assert redis_options("localhost", {"port": "6379"}) == {"port": "6379", "host": "localhost"}
    with pytest.raises(ValueError):
        redis_options("http://x", {})


@pytest.fixture(scope="module")
def redis_url():
    """A private Redis server on a free loopback port (Debian's redis-server)."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server is not installed (Debian package redis-server)")
    folder = tempfile.mkdtemp(prefix="lock-redis-")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/1"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _redis_store(url: str, **options) -> WakingRedisLockStore:
    return LockStore.create(EndpointConfig(url=url, type="bot.lock_store.WakingRedisLockStore", **options))


def test_redis_burst_over_two_store_instances_is_in_order_and_fast(redis_url):
    async def scenario():
        stores = [_redis_store(redis_url), _redis_store(redis_url)]
        return await _burst(stores, conversation="redis-burst")

    order, took, most = asyncio.run(scenario())
    assert order == list(range(20)) and most == 1
    assert took < 20 * WORK + 1.0, f"{took:.2f} s"


HOLDER = """
import asyncio, sys, time
from bot.lock_store import WakingRedisLockStore
from rasa.utils.endpoints import EndpointConfig

async def main():
    store = WakingRedisLockStore(EndpointConfig(url=sys.argv[1]))
    async with store.lock("across"):
        print("held", flush=True)
        time.sleep(0.5)
        released = time.time()
    print(released, flush=True)

asyncio.run(main())
"""


def test_redis_release_in_another_process_wakes_the_waiter_at_once(redis_url):
    """The waiter re-checks only every 5 s here: only the pub/sub wake-up can let it in quickly."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, redis_url], cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                              text=True, env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR), PYTHONWARNINGS="ignore"))
    assert holder.stdout.readline().strip() == "held"

    async def scenario():
        store = _redis_store(redis_url, recheck_seconds="5")
        async with store.lock("across"):
            return time.time()

    acquired = asyncio.run(scenario())
    released = float(holder.stdout.readline())
    holder.wait(timeout=30)
    assert 0 <= acquired - released < 0.5, f"{acquired - released:.2f} s after the release"


TICKETS_PER_PROCESS = 200


def _issue_tickets(url: str, start, numbers) -> None:
    """One 'replica' (an OS process): waits for the start signal, then issues tickets as fast as it can."""
    store = _redis_store(url)
    start.wait(timeout=30)
    numbers.put([store.issue_ticket("shared") for _ in range(TICKETS_PER_PROCESS)])


def test_two_processes_issuing_tickets_at_once_never_get_the_same_number(redis_url):
    """Rasa's issue_ticket reads the lock then writes it back: two replicas can hand out one number twice."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start, numbers = context.Event(), context.Queue()
    workers = [context.Process(target=_issue_tickets, args=(redis_url, start, numbers)) for _ in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)  # both connected and waiting
    start.set()
    issued = [numbers.get(timeout=60), numbers.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    every = issued[0] + issued[1]
    assert sorted(every) == list(range(2 * TICKETS_PER_PROCESS)), \
        f"{len(every) - len(set(every))} numbers handed out twice"
    assert all(first < second for one in issued for first, second in pairwise(one))  # each in issue order
    lock = _redis_store(redis_url).get_lock("shared")  # Rasa's reader still reads the lock, every ticket in it
    assert [ticket.number for ticket in lock.tickets] == list(range(2 * TICKETS_PER_PROCESS))


def _issue_and_release(url: str, start, lost) -> None:
    """One 'replica' serving 200 messages in a row on the shared conversation: issue, check, release."""
    store = _redis_store(url)
    start.wait(timeout=30)
    missing = 0
    for _ in range(TICKETS_PER_PROCESS):
        ticket = store.issue_ticket("released")
        lock = store.get_lock("released")
        missing += not lock or all(held.number != ticket for held in lock.tickets)
        store.cleanup("released", ticket)
    lost.put(missing)


def test_a_release_in_one_process_never_erases_a_ticket_issued_by_another(redis_url):
    """Rasa's release reads the lock, removes its ticket, writes it back (or deletes it when it looked empty):
    a ticket another replica issued in between vanished, and its message would fail with a LockError."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start, lost = context.Event(), context.Queue()
    workers = [context.Process(target=_issue_and_release, args=(redis_url, start, lost)) for _ in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    start.set()
    missing = [lost.get(timeout=60), lost.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert missing == [0, 0], f"tickets erased by the other process: {missing}"
    assert _redis_store(redis_url).get_lock("released") is None  # the last release deleted the lock


KILLED_HOLDER = """
import asyncio, sys, time
from bot.lock_store import WakingRedisLockStore
from rasa.utils.endpoints import EndpointConfig

async def main():
    store = WakingRedisLockStore(EndpointConfig(url=sys.argv[1], lease_seconds=sys.argv[2]))
    async with store.lock("killed", lock_lifetime=60):
        print("held", flush=True)
        await asyncio.sleep(600)  # killed meanwhile

asyncio.run(main())
"""


@pytest.mark.parametrize("lease", ["1", None])
def test_a_replica_killed_holding_the_lock_frees_it_within_the_lease(redis_url, lease):
    """Issue 21 (chaos): a replica SIGKILLed mid-message left its ticket for Rasa's whole lifetime (60 s), and the
    balancer's retry of that message on the other replica waited it out. Without the lease option, the default
    lease (10 s) still frees it long before Rasa's 60 s."""
    holder = subprocess.Popen([sys.executable, "-c", KILLED_HOLDER, redis_url, lease or ""], cwd=PROJECT_DIR,
                              stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR), PYTHONWARNINGS="ignore"))
    assert holder.stdout.readline().strip() == "held"
    time.sleep(0.5 if lease else 0)  # the holder's lease was renewed at least once before it dies
    holder.kill()
    holder.wait(timeout=10)
    killed = time.monotonic()

    async def scenario():
        store = _redis_store(redis_url, lease_seconds=lease) if lease else _redis_store(redis_url)
        async with store.lock("killed", lock_lifetime=60):
            return time.monotonic() - killed

    waited = asyncio.run(scenario())
    bound = float(lease) if lease else 10.0
    assert waited <= bound + 0.5, f"waited {waited:.1f} s for a dead replica's ticket"


def test_a_live_holder_keeps_the_lock_past_its_lease_but_not_past_rasas_lifetime(redis_url):
    """The lease is renewed while the message is processed: a slow message keeps its turn for Rasa's lifetime."""

    async def scenario(hold: float, lifetime: float) -> float:
        holder, waiter = _redis_store(redis_url, lease_seconds="0.3"), _redis_store(redis_url, lease_seconds="0.3")
        entered = asyncio.Event()
        started = time.monotonic()

        async def slow() -> None:
            async with holder.lock("slow", lock_lifetime=lifetime):
                entered.set()
                await asyncio.sleep(hold)

        task = asyncio.create_task(slow())
        await entered.wait()
        async with waiter.lock("slow", lock_lifetime=60):
            waited = time.monotonic() - started
        await task
        return waited

    assert asyncio.run(scenario(hold=1.5, lifetime=60)) >= 1.5  # five leases long, still its turn
    assert 1.0 <= asyncio.run(scenario(hold=3.0, lifetime=1.0)) < 2.0  # Rasa's lifetime still bounds a stuck one
