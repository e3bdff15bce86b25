"""bot/heap.py: the heap trim is an `after_server_start` listener of the app Rasa builds with our channels."""
from __future__ import annotations

import asyncio
import gc

from rasa.core.run import configure_app

from bot import heap
from bot.channels import GuardedRestInput, GuardedSocketIOInput
from tests.conftest import free_port


def test_trim_heap_returns_memory_on_glibc():
    try:
        assert heap.trim_heap() is True  # Debian: glibc's malloc_trim is there
        assert gc.get_freeze_count() > 0  # what was loaded is set apart from the collector
    finally:
        gc.unfreeze()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_reload_gives_the_previous_model_back_to_the_collector():
    import weakref

    try:
        old_model = _Cycle()  # a model's objects hold cycles: only the collector frees them
        gone = weakref.ref(old_model)
        heap.trim_heap()
        del old_model
        gc.collect()
        assert gone() is not None  # frozen: a full collection leaves it (this is what refreeze_heap undoes)
        heap.refreeze_heap()
        assert gone() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_rasa_s_app_trims_the_heap_once_after_start(monkeypatch):
    trims = []
    monkeypatch.setattr(heap, "trim_heap", lambda: trims.append("trim") or True)
    # The app as `rasa run --credentials credentials.yml` builds it (both channels, one app), started for real.
    app = configure_app([GuardedRestInput(), GuardedSocketIOInput()], enable_api=False, port=free_port())
    app.register_listener(lambda app, loop: trims.append("model loaded"), "before_server_start")  # as Rasa's

    async def start_and_stop() -> None:
        server = await app.create_server(host="127.0.0.1", port=free_port(), return_asyncio_server=True)
        await server.startup()
        await server.before_start()
        await server.after_start()
        assert server.is_serving()
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()

    asyncio.run(start_and_stop())
    assert trims == ["model loaded", "trim"]  # after the model load, and once for two channels
    assert app.ctx.heap_trimmed is True
