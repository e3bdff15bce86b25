"""A small socket.io client for the tests: connects as the chat page does and collects `bot_uttered`."""
from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import socketio


async def exchange(rasa_url: str, origin: str, emits: list[tuple[str, tuple]], wait: float = 15,
                   expected: int | None = None) -> list[dict]:
    """Connect, send each (event, args), and return the bot_uttered payloads received (until `expected`
    of them arrived, or `wait` seconds passed), each with "_seconds": when it arrived after the first emit."""
    received: list[dict] = []
    confirmed: list[Any] = []
    client = socketio.AsyncClient(reconnection=False)
    arrived = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data: Any) -> None:
        payload = data if isinstance(data, dict) else {"text": data}
        received.append({**payload, "_seconds": time.monotonic() - started})
        if expected is not None and len(received) >= expected:
            arrived.set()

    @client.on("session_confirm")
    async def on_confirm(data: Any) -> None:
        confirmed.append(data)  # not a bot_uttered: never counted towards `expected`

    await client.connect(rasa_url, headers={"Origin": origin}, transports=["polling"], socketio_path="/socket.io")
    started = time.monotonic()
    try:
        for event, args in emits:
            await client.emit(event, args if len(args) != 1 else args[0]) if args else await client.emit(event)
            await asyncio.sleep(0.2)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(arrived.wait(), wait)
    finally:
        await client.disconnect()
    return received


def run_exchange(*args: Any, **kwargs: Any) -> list[dict]:
    return asyncio.run(exchange(*args, **kwargs))
