"""A retrained model goes live without a restart (issue 23): a real Rasa server of the project, a newer model file
appears in its models folder (as `make train` writes one), the server switches to it and keeps answering."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

from common.settings import PROJECT_DIR, get_settings
from launch.stack import child_env
from tests.conftest import free_port
from tests.e2e.chat import Chat


def _health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/rest/health", timeout=10) as response:
        return json.loads(response.read())


def test_a_newer_model_in_the_folder_goes_live(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    trained = sorted((PROJECT_DIR / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[-1]
    first = shutil.copy(trained, models / "20260101-000000-first.tar.gz")
    os.utime(first, (time.time() - 60, time.time() - 60))
    port = free_port()
    env = child_env(get_settings())
    env.update(MODEL_RELOAD_SECONDS="1", TRACKER_DB_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    process = subprocess.Popen([sys.executable, "-m", "bot.rasa_server", "run", "--model", str(models), "--port",
                                str(port), "-i", "127.0.0.1", "--credentials", str(PROJECT_DIR / "credentials.yml"),
                                "--endpoints", str(PROJECT_DIR / "endpoints.yml")],
                               cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                assert _health(port)["model"] == "20260101-000000-first.tar.gz"
                break
            except OSError:
                time.sleep(0.5)
        chat = Chat(f"http://127.0.0.1:{port}")
        assert "salut" in chat.ask("bonjour")
        shutil.copy(trained, models / "20260102-000000-retrained.tar.gz")  # what `make train` writes
        switched_after, started = None, time.monotonic()
        while time.monotonic() - started < 120:
            assert "salut" in chat.ask("bonjour")  # the server answers all along
            if _health(port)["model"] == "20260102-000000-retrained.tar.gz":
                switched_after = time.monotonic() - started
                break
            time.sleep(1)
        assert switched_after is not None, "the new model never went live"
        assert process.poll() is None  # no restart
        print(f"new model live after {switched_after:.1f} s")
    finally:
        process.terminate()
        process.wait(timeout=30)
