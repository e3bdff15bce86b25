"""A retrained model goes live by itself (bot/model_reload.py): which file is newer and complete, and the switch
through Rasa's own Agent.load_model in a worker thread (the old model answers meanwhile; a broken file is
skipped once). The real server switching models: tests/e2e/test_model_reload.py."""
from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from bot.model_reload import SETTLE_SECONDS, ModelFolder, load_newer


def _model(folder: Path, name: str, age: float, size: int = 100) -> Path:
    path = folder / name
    path.write_bytes(b"x" * size)
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_a_newer_model_is_taken_once_it_is_complete(tmp_path):
    current = _model(tmp_path, "old.tar.gz", age=100)
    models = ModelFolder(tmp_path)
    assert models.newer_than(current) is None
    newer = _model(tmp_path, "new.tar.gz", age=30)
    assert models.newer_than(current) is None  # first look: its size is noted
    assert models.newer_than(current) == newer  # same size, old enough: complete
    growing = _model(tmp_path, "training.tar.gz", age=0, size=10)
    assert models.newer_than(newer) is None
    growing.write_bytes(b"x" * 20)  # still being written
    assert models.newer_than(newer) is None
    assert models.newer_than(newer, now=time.time() + SETTLE_SECONDS + 1) == growing


def test_an_older_file_never_replaces_the_model_in_use(tmp_path):
    current = _model(tmp_path, "current.tar.gz", age=10)
    models = ModelFolder(tmp_path)
    _model(tmp_path, "older.tar.gz", age=500)
    assert models.newer_than(current) is None and models.newer_than(current) is None


class _Agent:
    def __init__(self, current: Path, broken: set[str] = frozenset()):
        self.processor = type("P", (), {"model_path": current, "model_filename": current.name})()
        self.broken, self.loaded = broken, []

    def load_model(self, path: str) -> None:
        if Path(path).name in self.broken:
            raise ValueError("not a Rasa model")
        self.loaded.append(Path(path).name)
        self.processor = type("P", (), {"model_path": Path(path).parent, "model_filename": Path(path).name})()


def test_the_agent_switches_and_a_broken_file_is_skipped_once(tmp_path):
    current = _model(tmp_path, "a.tar.gz", age=100)
    agent, models = _Agent(current, broken={"b.tar.gz"}), ModelFolder(tmp_path)
    _model(tmp_path, "b.tar.gz", age=50)
    assert asyncio.run(load_newer(agent, models)) is None  # first look
    assert asyncio.run(load_newer(agent, models)) is None  # broken: logged, skipped
    assert asyncio.run(load_newer(agent, models)) is None and agent.processor.model_path == current
    assert models.failed == {tmp_path / "b.tar.gz"}
    fixed = _model(tmp_path, "c.tar.gz", age=20)
    asyncio.run(load_newer(agent, models))
    assert asyncio.run(load_newer(agent, models)) == fixed and agent.loaded == ["c.tar.gz"]


def test_health_is_503_without_a_model_or_while_the_store_fails():
    from bot.channels import health_report

    assert health_report("m.tar.gz", True, 0) == ({"status": "ok", "tracker_store_failures": 0, "model": "m.tar.gz"},
                                                   200)
    assert health_report(None, True, 0)[0]["status"] == "no_model"
    assert health_report(None, True, 0)[1] == 503
    assert health_report("m.tar.gz", False, 3) == ({"status": "failing", "tracker_store_failures": 3,
                                                    "model": "m.tar.gz"}, 503)
