"""Micro-benchmark: N messages at once on one conversation, each holding the lock WORK ms (no Rasa model).

    .venv/bin/python scripts/bench_lock_store.py [--count 20] [--work-ms 5] [--redis redis://127.0.0.1:PORT/1]

Prints the wall time until all were served with Rasa's InMemoryLockStore (polls once a second) and with
bot.lock_store's waking stores.
"""
from __future__ import annotations

import argparse
import asyncio
import time

from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import WakingInMemoryLockStore, WakingRedisLockStore, redis_options


async def burst(store, count: int, work: float) -> float:
    order: list[int] = []

    async def message(number: int) -> None:
        async with store.lock("bench"):
            order.append(number)
            await asyncio.sleep(work)

    start = time.perf_counter()
    tasks = []
    for number in range(count):
        tasks.append(asyncio.ensure_future(message(number)))
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    assert order == list(range(count)), order
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--work-ms", type=float, default=5.0)
    parser.add_argument("--redis", help="also measure the Redis stores on this server")
    args = parser.parse_args()
    stores = {"rasa InMemoryLockStore": InMemoryLockStore, "WakingInMemoryLockStore": WakingInMemoryLockStore}
    if args.redis:
        stores["rasa RedisLockStore"] = lambda: RedisLockStore(**redis_options(args.redis, {}))
        stores["WakingRedisLockStore"] = lambda: WakingRedisLockStore(EndpointConfig(url=args.redis))
    ideal = args.count * args.work_ms / 1000
    print(f"{args.count} messages at once on one conversation, {args.work_ms:g} ms each (ideal {ideal:.2f} s)")
    for name, make in stores.items():
        took = asyncio.run(burst(make(), args.count, args.work_ms / 1000))
        print(f"  {name:26s} {took:6.2f} s")


if __name__ == "__main__":
    main()
