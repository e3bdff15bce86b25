"""A retrained model goes live by itself: the Rasa server loads the newest model of its models folder.

`make train` (or the console's retraining) writes a new `models/*.tar.gz`; the running server — `make run`, and
every replica of `make run-scaled` — checks the folder every MODEL_RELOAD_SECONDS (default 10; 0: never) and
loads a newer, complete model with Rasa's own `Agent.load_model`, in a worker thread: the previous model keeps
answering until the new processor is ready, then the agent switches to it (no restart, no message lost). A
model that fails to load is logged once and skipped; the previous one stays. Registered on the server's start
by the input channels (bot/channels.py), the same door as the heap trim; `GET /webhooks/rest/health` names the
model in use.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanic import Blueprint, Sanic

from bot.heap import refreeze_heap
from common.settings import get_settings

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0  # a model file untouched this long (and of the same size twice) is complete


@dataclass
class ModelFolder:
    """The models folder as seen by one server: which file is newer than the one in use, and complete."""

    folder: Path
    sizes: dict[Path, int] = field(default_factory=dict)  # size seen at the previous look
    failed: set[Path] = field(default_factory=set)

    def newer_than(self, current: Path | None, now: float | None = None) -> Path | None:
        now = time.time() if now is None else now
        try:
            models = sorted(self.folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        except OSError:
            return None
        if not models or models[-1] == current or models[-1] in self.failed:
            return None
        newest = models[-1]
        try:
            stat = newest.stat()
        except OSError:
            return None
        if current is not None and current.exists() and stat.st_mtime <= current.stat().st_mtime:
            return None
        settled = self.sizes.get(newest) == stat.st_size and now - stat.st_mtime >= SETTLE_SECONDS
        self.sizes = {newest: stat.st_size}
        return newest if settled else None


def model_in_use(agent: Any) -> Path | None:
    """The model file the agent runs (Rasa keeps the path it was given: a folder or the file itself)."""
    processor = getattr(agent, "processor", None)
    path, name = getattr(processor, "model_path", None), getattr(processor, "model_filename", None)
    if path is None:
        return None
    path = Path(path)
    return path / name if name and not path.name.endswith(".tar.gz") else path


async def load_newer(agent: Any, models: ModelFolder) -> Path | None:
    """Load the newer model if there is one; returns its path when the agent switched to it."""
    current = model_in_use(agent)
    candidate = models.newer_than(current)
    if candidate is None:
        return None
    started = time.monotonic()
    try:
        await asyncio.to_thread(agent.load_model, str(candidate))
    except Exception:  # a broken file: the model in use keeps answering
        models.failed.add(candidate)
        logger.exception("the new model %s could not be loaded: %s stays in use", candidate.name,
                         current.name if current else "the previous model")
        return None
    logger.info("model %s live (loaded in %.1f s, without a restart)", candidate.name, time.monotonic() - started)
    refreeze_heap()  # the previous model's objects were set apart from the collector: freed now, the new one set apart
    return candidate


def reload_models_after_start(blueprint: Blueprint) -> Blueprint:
    """Register the watcher as an `after_server_start` listener (once per app, whatever the channels)."""

    @blueprint.listener("after_server_start")
    async def start_watching(app: Sanic, _loop: Any) -> None:
        seconds = get_settings().model_reload_seconds
        if getattr(app.ctx, "model_watcher", None) is not None or seconds <= 0:
            return
        app.ctx.model_watcher = asyncio.ensure_future(_watch(app, seconds))

    @blueprint.listener("before_server_stop")
    async def stop_watching(app: Sanic, _loop: Any) -> None:
        watcher = getattr(app.ctx, "model_watcher", None)
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher

    return blueprint


async def _watch(app: Sanic, seconds: float) -> None:
    models: ModelFolder | None = None
    while True:
        await asyncio.sleep(seconds)
        agent = getattr(app.ctx, "agent", None)
        current = model_in_use(agent)
        if agent is None or current is None:
            continue
        if models is None:
            models = ModelFolder(current.parent)
        try:
            await load_newer(agent, models)
        except Exception:  # never let the watcher die silently
            logger.exception("model reload check failed")
