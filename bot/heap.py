"""Give back to the OS the memory left over by loading the model, once the Rasa server has started.

Loading the model leaves ~100 MB of freed but unreturned heap (docs/performance.md, step 3), and half a million
objects the garbage collector would walk again at every full collection. Rasa loads
the model in a `before_server_start` listener, so an `after_server_start` listener runs once it is loaded.
The input channels hang it on their blueprint (Sanic's door, bot/channels.py); it runs once per app.
"""
from __future__ import annotations

import ctypes
import gc
import logging
from typing import Any

from sanic import Blueprint, Sanic

logger = logging.getLogger(__name__)


def trim_heap() -> bool:
    """Collect garbage, set the loaded model's objects apart from the collector, and return free heap pages to the
    OS; False where libc has no malloc_trim (not glibc).

    `gc.freeze()`: the ~540,000 objects the model load left are never garbage, yet each full collection walked them
    all (~0.3 s of CPU, every few hundred messages, a message waiting behind it); only objects made since are
    collected now."""
    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return False
    return True


def refreeze_heap() -> bool:
    """After a model reload: the previous model's objects go back to the collector (they are garbage now, cycles
    included), then the new model's are set apart as at start."""
    gc.unfreeze()
    return trim_heap()


def trim_heap_after_start(blueprint: Blueprint) -> Blueprint:
    """Register the heap trim as an `after_server_start` listener of this blueprint's app."""

    @blueprint.listener("after_server_start")
    async def trim_heap_once(app: Sanic, _loop: Any) -> None:
        if getattr(app.ctx, "heap_trimmed", False):  # two channels, one app: trim once
            return
        app.ctx.heap_trimmed = True
        trimmed = trim_heap()
        logger.info("heap trimmed after the model load" if trimmed else "no malloc_trim here: heap left as is")

    return blueprint
