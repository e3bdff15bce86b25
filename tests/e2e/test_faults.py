"""Faults: action server down and back, Rasa restarted mid-conversation, broken knowledge base, concurrency."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from common.settings import PROJECT_DIR
from tests.e2e.chat import Chat


def test_action_server_down_then_back(stack):
    chat = Chat(stack.settings.rasa_url)
    stack.stop_one("actions")
    try:
        reply = chat.ask("quelles competences pour le middle office ?")
        assert "oups" in reply and "reessaie" in reply
    finally:
        stack.start_actions()
    assert "tableau de bord" in chat.ask("quelles competences pour le middle office ?")


def test_rasa_restart_keeps_the_job_in_context(stack):
    chat = Chat(stack.settings.rasa_url)
    assert "applicatifs de gestion" in chat.ask("quelles competences pour le back office ?")
    stack.stop_one("rasa")
    stack.start_rasa()
    reply = chat.ask("et les etudes ?")
    assert "bts banque" in reply and "master - finance" not in reply


@pytest.mark.parametrize("content", [None, b"garbage, not a database" * 50])
def test_action_server_refuses_to_start_on_a_missing_or_corrupt_base(tmp_path, content):
    path = tmp_path / "kb.sqlite3"
    if content is not None:
        path.write_bytes(content)
    env = dict(os.environ, KNOWLEDGE_DB_URL=f"sqlite:///{path}", PYTHONPATH=str(PROJECT_DIR))
    result = subprocess.run([sys.executable, "-m", "launch.action_server", "--port", "1"], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "make kb" in result.stderr


def _conversation(args) -> tuple[int, bool]:
    index, rasa_url = args
    job, other = ("middle office", "back office") if index % 2 else ("back office", "middle office")
    chat = Chat(rasa_url, sender=f"concurrent-{index}")
    first = chat.ask(f"quelles competences pour le {job} ?")
    second = chat.ask("et les etudes ?")
    if job == "middle office":
        ok = "tableau de bord" in first and "master - finance" in second and "bts banque" not in second
    else:
        ok = "applicatifs de gestion" in first and "bts banque" in second and "master - finance" not in second
    return index, ok


def test_fifty_concurrent_conversations_keep_their_own_context(stack):
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(_conversation, [(i, stack.settings.rasa_url) for i in range(50)]))
    failed = [index for index, ok in results if not ok]
    assert not failed, f"conversations that lost their context: {failed}"


def _health(rasa_url: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{rasa_url}/webhooks/rest/health", timeout=10) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), time.monotonic() - started


def test_a_database_that_cannot_store_gets_the_apology_never_a_silent_loss(stack):
    """Issue 21: another process holds the conversations database's write lock. The message is retried, then the
    student gets the apology and nothing is kept (no in-memory copy to lose later); the health route says 503 and
    answers at once (the event loop is not blocked); when the lock goes, everything works and is stored again."""
    path = os.environ["TRACKER_DB_URL"].removeprefix("sqlite:///")
    chat = Chat(stack.settings.rasa_url)
    assert "applicatifs de gestion" in chat.ask("quelles competences pour le back office ?")
    assert _health(stack.settings.rasa_url)[0] == 200
    locker = sqlite3.connect(path, timeout=1, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    replies: list[str] = []
    try:
        asking = threading.Thread(target=lambda: replies.append(chat.ask("et les etudes ?")))
        asking.start()
        time.sleep(6)  # the first save attempt waits on the lock in a worker thread
        status, _, seconds = _health(stack.settings.rasa_url)
        assert seconds < 2, f"the server did not answer for {seconds:.1f} s: its event loop waits on the database"
        asking.join(timeout=60)
        assert replies and "oups" in replies[0], replies
        status, body, _ = _health(stack.settings.rasa_url)
        assert status == 503 and body["status"] == "failing", body
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    with sqlite3.connect(path) as db:
        texts = [json.loads(row[0]).get("text") for row in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (chat.sender,))]
    assert texts == ["quelles competences pour le back office ?"]  # the apologised message is not stored
    reply = chat.ask("et les etudes ?")  # the conversation goes on from what was stored: the back office
    assert "bts banque" in reply and "master - finance" not in reply
    assert _health(stack.settings.rasa_url)[0] == 200
