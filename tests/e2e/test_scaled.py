"""Scaled mode (launch/scaled.py): two Rasa replicas behind nginx, PostgreSQL tracker store, Redis lock store.

One stack for the whole module (a replica loads the model in ~60 s on 2 cores). Every request goes through the
balancer; its X-Replica header says which replica answered.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from common.settings import PROJECT_DIR, get_settings
from launch.scaled import ScaledStack
from tests.conftest import free_port
from tests.e2e.chat import reply_text

APOLOGY = ("oups", "reessaie")


@pytest.fixture(scope="module")
def scaled(kb_url, monkeypatch_module):
    if not any((PROJECT_DIR / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    monkeypatch_module.setenv("KNOWLEDGE_DB_URL", kb_url)
    folder = Path(tempfile.mkdtemp(prefix="scaled-test-"))
    folder.chmod(0o755)  # PostgreSQL runs as `postgres` when the tests run as root
    settings = dataclasses.replace(get_settings(), rasa_port=free_port(), actions_port=free_port(),
                                   web_port=free_port())
    stack = ScaledStack(settings, [free_port(), free_port()], free_port(), free_port(), data_dir=folder, quiet=True)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


class BalancedChat:
    """One conversation over REST through the balancer, remembering which replica answered each message."""

    def __init__(self, url: str, sender: str | None = None, timeout: float = 100):
        self.url = url.rstrip("/") + "/webhooks/rest/webhook"
        self.sender = sender or f"scaled-{uuid.uuid4().hex[:10]}"
        self.timeout = timeout
        self.replicas: list[str] = []

    def ask(self, message: str) -> str:
        body = json.dumps({"sender": self.sender, "message": message}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            self.replicas.append(response.headers.get("X-Replica", "?"))
            return reply_text(json.loads(response.read()))


def _events(stack: ScaledStack, sender: str) -> list[dict]:
    engine = create_engine(stack.tracker_db_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [json.loads(data) for (data,) in rows]
    finally:
        engine.dispose()


def test_the_chat_page_talks_to_the_balancer(scaled):
    with urllib.request.urlopen(scaled.settings.web_url + "config.js", timeout=10) as response:
        config = json.loads(response.read().decode().split("=", 1)[1].rstrip().rstrip(";"))
    assert config["socketUrl"] == scaled.balancer_url


async def _socketio_exchange(base_url: str, origin: str, message: str) -> dict:
    """The chat page's exchange, spoken in socket.io's wire protocol (Engine.IO 4) over one WebSocket."""
    import aiohttp

    session_id = uuid.uuid4().hex
    url = base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(url, headers={"Origin": origin}) as ws:
        async def packet() -> str:
            while True:
                data = (await asyncio.wait_for(ws.receive(), 60)).data
                if data == "2":  # Engine.IO ping
                    await ws.send_str("3")
                    continue
                return data

        assert (await packet()).startswith("0")  # Engine.IO open
        await ws.send_str("40")  # socket.io connect to the default namespace
        assert (await packet()).startswith("40")
        await ws.send_str("42" + json.dumps(["session_request", {"session_id": session_id}]))
        assert json.loads((await packet())[2:]) == ["session_confirm", session_id]
        await ws.send_str("42" + json.dumps(["user_uttered", {"message": message, "session_id": session_id}]))
        event, payload = json.loads((await packet())[2:])
        assert event == "bot_uttered"
        return payload


def test_socketio_websocket_through_the_balancer(scaled):
    origin = scaled.settings.web_url.rstrip("/")
    reply = asyncio.run(_socketio_exchange(scaled.balancer_url, origin, "quelles competences pour le back office ?"))
    assert "applicatifs de gestion" in reply_text([reply])


def test_one_conversation_across_replicas_keeps_its_context(scaled):
    chat = BalancedChat(scaled.balancer_url)
    assert "intermediaire entre le front-office" in chat.ask("c'est quoi un gestionnaire middle office ?")
    assert "tableau de bord" in chat.ask("quelles competences ?")
    reply = chat.ask("et pour le back-office ?")
    assert "applicatifs de gestion" in reply and "tableau de bord" not in reply
    assert "bts banque" in chat.ask("et les etudes ?")
    # round-robin: consecutive messages of this one conversation were answered by both replicas
    assert set(chat.replicas) == {"1", "2"}, chat.replicas
    assert any(a != b for a, b in pairwise(chat.replicas))


def test_twenty_messages_at_once_on_one_sender_are_answered_in_order(scaled):
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    questions = [f"quelles etudes pour le back office ? ({i})" for i in range(20)]

    def send(question: str) -> tuple[str, str]:
        chat = BalancedChat(scaled.balancer_url, sender)
        return chat.ask(question), chat.replicas[0]

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, questions))
    assert all("bts banque" in reply for reply, _ in results), [r[:80] for r, _ in results]
    assert {replica for _, replica in results} == {"1", "2"}
    events = _events(scaled, sender)
    users = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(users) == sorted(questions)  # complete: each message stored once
    # in order: each message's turn (user ... action_listen) finishes before the next message starts
    turn_open = False
    for event in events:
        if event["event"] == "user":
            assert not turn_open, "two messages of one conversation were processed at the same time"
            turn_open = True
        elif event["event"] == "action" and event.get("name") == "action_listen":
            turn_open = False
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)


def _conversation(url: str, index: int) -> tuple[int, int, bool, str]:
    """(requests, errors, context kept, what went wrong) for one two-message conversation."""
    job, skill, studies, other = (("middle office", "tableau de bord", "master - finance", "bts banque") if index % 2
                                  else ("back office", "applicatifs de gestion", "bts banque", "master - finance"))
    chat = BalancedChat(url, f"load-{index}-{uuid.uuid4().hex[:6]}")
    try:
        first = chat.ask(f"quelles competences pour le {job} ?")
    except (OSError, urllib.error.HTTPError) as error:
        return 1, 1, True, f"first: {error!r}"
    if skill not in first:
        return 1, 1, True, f"first: {first[:80]!r}"
    try:
        second = chat.ask("et les etudes ?")
    except (OSError, urllib.error.HTTPError) as error:
        return 2, 1, True, f"second: {error!r}"
    if all(word in second for word in APOLOGY):
        return 2, 1, True, f"second: {second[:80]!r}"
    return 2, 0, studies in second and other not in second, ""


def test_a_replica_killed_under_load(scaled):
    """8 conversations at a time; replica 2 is killed (SIGKILL) after 60 requests; 260 requests in all."""
    stop, results, lock = threading.Event(), [], threading.Lock()

    def done() -> int:
        with lock:
            return sum(outcome[0] for outcome in results)

    def worker(number: int) -> None:
        index = number
        while not stop.is_set():
            outcome = _conversation(scaled.balancer_url, index)
            with lock:
                results.append(outcome)
            index += 8

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 300
    while done() < 60 and time.monotonic() < deadline:
        time.sleep(0.1)
    scaled.kill_replica(1)
    while done() < 260 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=150)
    requests = sum(outcome[0] for outcome in results)
    errors = sum(outcome[1] for outcome in results)
    lost = sum(1 for outcome in results if not outcome[2])
    what = sorted({outcome[3] for outcome in results if outcome[3]})
    summary = f"{requests} requests, {errors} errors, {lost} conversations without their context: {what}"
    assert requests >= 200, summary
    assert errors <= 0.01 * requests, summary
    assert lost == 0, summary
    assert scaled.all_running() == []  # the dead replica is no longer tracked; everything else runs

    scaled.start_replica(1)
    chat = BalancedChat(scaled.balancer_url)
    for _ in range(6):
        assert "tableau de bord" in chat.ask("quelles competences pour le middle office ?")
    assert "2" in chat.replicas, f"the restarted replica did not rejoin: {chat.replicas}"


def test_forget_against_postgresql_reaches_every_replica(scaled):
    chat = BalancedChat(scaled.balancer_url)
    assert "applicatifs de gestion" in chat.ask("quelles competences pour le back office ?")
    env = dict(os.environ, TRACKER_DB_URL=scaled.tracker_db_url, PYTHONPATH=str(PROJECT_DIR))
    result = subprocess.run([sys.executable, "-m", "ops.conversations", "forget", chat.sender], cwd=PROJECT_DIR,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Deleted" in result.stdout, result.stdout + result.stderr
    assert _events(scaled, chat.sender) == []
    for _ in range(2):  # both replicas: neither answers from the forgotten context
        reply = chat.ask("et les etudes ?")
        assert "bts banque" not in reply and "master - finance" not in reply, reply[:300]
        forget = subprocess.run([sys.executable, "-m", "ops.conversations", "forget", chat.sender], cwd=PROJECT_DIR,
                                env=env, capture_output=True, text=True, timeout=120)
        assert forget.returncode == 0, forget.stderr


@pytest.mark.parametrize("service", ["redis", "postgres"])
def test_store_down_gives_the_polite_error_then_resumes(scaled, service):
    chat = BalancedChat(scaled.balancer_url)
    assert "applicatifs de gestion" in chat.ask("quelles competences pour le back office ?")
    # SIGINT: PostgreSQL's fast stop
    scaled.stop_one(service, signal.SIGINT if service == "postgres" else signal.SIGTERM)
    try:
        for _ in range(2):  # both replicas
            reply = chat.ask("et les etudes ?")
            assert all(word in reply for word in APOLOGY), reply[:300]
        assert scaled.all_running() == []
    finally:
        scaled.start_postgres() if service == "postgres" else scaled.start_redis()
    deadline, reply = time.monotonic() + 20, ""
    while "bts banque" not in reply and time.monotonic() < deadline:
        reply = chat.ask("et les etudes ?")  # the conversation continues: its context survived the outage
    assert "bts banque" in reply and "master - finance" not in reply, reply[:300]
    for _ in range(2):
        assert "bts banque" in chat.ask("et les etudes ?")
