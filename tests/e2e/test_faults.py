"""Faults: action server down and back, Rasa restarted mid-conversation, broken knowledge base, concurrency."""
from __future__ import annotations

import os
import subprocess
import sys
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
