"""Give back to the OS the memory left over by loading the model, once the Rasa server has started.

Loading the model leaves ~100 MB of freed but unreturned heap (docs/performance.md, step 3). Rasa loads
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
    """Collect garbage and return free heap pages to the OS; False where libc has no malloc_trim (not glibc)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return False
    return True


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
