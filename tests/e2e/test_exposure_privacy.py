"""Exposure (loopback only, API off, CORS for the page only) and privacy (logs, purge, forget, review)."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import psutil
import pytest
import yaml
from sqlalchemy import create_engine, text

from common.settings import PROJECT_DIR
from tests.conftest import EMBEDDING_ORIGIN
from tests.e2e.chat import Chat


def _listening_addresses(pid: int) -> set[str]:
    process = psutil.Process(pid)
    addresses = set()
    for proc in [process, *process.children(recursive=True)]:
        for conn in proc.net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN:
                addresses.add(conn.laddr.ip)
    return addresses


def test_every_server_listens_on_loopback_only(stack):
    for name, process in stack.processes.items():
        addresses = _listening_addresses(process.pid)
        assert addresses and addresses <= {"127.0.0.1"}, (name, addresses)


def _get(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.parametrize("path", ["/status", "/version", "/conversations/someone/tracker", "/model/parse", "/domain"])
def test_rasa_http_api_is_off(stack, path):
    status, _ = _get(stack.settings.rasa_url + path)
    assert status in (403, 404, 405), (path, status)


def test_cors_allows_only_the_chat_page_and_the_allowed_origins(stack):
    url = stack.settings.rasa_url + "/webhooks/rest/webhook"
    page = stack.settings.web_url.rstrip("/")
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    for origin in (page, EMBEDDING_ORIGIN):
        _, allowed = _get(url, {"Origin": origin, **preflight}, method="OPTIONS")
        assert allowed.get("Access-Control-Allow-Origin") == origin
    _, denied = _get(url, {"Origin": "http://evil.example", **preflight}, method="OPTIONS")
    assert denied.get("Access-Control-Allow-Origin") in (None, "")


def test_socketio_accepts_the_allowed_origins_only(stack):
    from tests.e2e.socket_client import run_exchange

    emits = [("session_request", ({"session_id": "emb-1"},)),
             ("user_uttered", ({"message": "quelles competences pour le back office ?", "session_id": "emb-1"},))]
    received = run_exchange(stack.settings.rasa_url, EMBEDDING_ORIGIN, emits, expected=1)
    assert received and "applicatifs" in received[0].get("text", "")
    with pytest.raises(Exception):  # noqa: B017 - python-socketio's ConnectionError: the origin is refused
        run_exchange(stack.settings.rasa_url, "http://evil.example", emits, wait=5, expected=1)


def test_socketio_long_polling_from_an_allowed_origin_gets_one_cors_header(stack):
    """rasa-webchat starts with HTTP long-polling: browsers refuse two Access-Control-Allow-Origin values (engine.io's
    and Sanic-CORS's, bot/rasa_compat.py); a refused origin gets none."""
    url = stack.settings.rasa_url + "/socket.io/?EIO=4&transport=polling"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": EMBEDDING_ORIGIN}), timeout=10) as reply:
        assert reply.status == 200 and reply.headers.get_all("Access-Control-Allow-Origin") == [EMBEDDING_ORIGIN]
    status, headers = _get(url, {"Origin": "http://evil.example"})
    assert status == 400 and not headers.get("Access-Control-Allow-Origin"), (status, headers)


def test_action_server_is_not_open_to_web_pages(stack):
    url = f"http://{stack.settings.host}:{stack.settings.actions_port}/webhook"
    _, headers = _get(url, {"Origin": stack.settings.web_url.rstrip("/"), "Access-Control-Request-Method": "POST"},
                      method="OPTIONS")
    assert headers.get("Access-Control-Allow-Origin") in (None, "")


def test_message_text_never_reaches_the_logs(stack):
    marker = f"zorglub{uuid.uuid4().hex[:8]}"
    Chat(stack.settings.rasa_url).ask(f"quelles competences pour le middle office {marker} ?")
    time.sleep(0.5)
    for log in (PROJECT_DIR / "var" / "logs").glob(f"*-{stack.settings.rasa_port}.log"):
        assert marker not in log.read_text(errors="replace"), log


def _tools(*args, url):
    env = dict(os.environ, TRACKER_DB_URL=url, PYTHONPATH=str(PROJECT_DIR))
    return subprocess.run([sys.executable, "-m", "ops.conversations", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=60)


def _senders(url: str) -> set[str]:
    with create_engine(url, future=True).connect() as connection:
        return set(connection.execute(text("SELECT DISTINCT sender_id FROM events")).scalars())


def test_review_lists_what_students_typed_that_the_bot_missed(stack, tmp_path):
    url = os.environ["TRACKER_DB_URL"]
    for _ in range(2):
        chat = Chat(stack.settings.rasa_url)
        chat.ask("blorbo flimzap quxx")
        chat.ask("quelles competences pour le back office ?")
    result = _tools("review", "--out", str(tmp_path), url=url)  # not into the operators' results/review
    assert result.returncode == 0, result.stderr
    listing = yaml.safe_load((tmp_path / "messages.yml").read_text(encoding="utf-8"))["messages"]
    entry = next(m for m in listing if m["text"] == "blorbo flimzap quxx")
    assert entry["count"] >= 2
    assert entry["reason"] in ("fallback", "out_of_scope", "low_confidence")
    assert not any("competences pour le back office" in m["text"] for m in listing)
    draft = yaml.safe_load((tmp_path / "nlu_draft.yml").read_text(encoding="utf-8"))
    assert any("blorbo flimzap quxx" in block["examples"] for block in draft["nlu"])


def test_forget_one_student_and_purge_old_conversations(stack):
    url = os.environ["TRACKER_DB_URL"]
    forgotten, old, kept = (Chat(stack.settings.rasa_url) for _ in range(3))
    for chat in (forgotten, old, kept):
        chat.ask("salut")
    assert {forgotten.sender, old.sender, kept.sender} <= _senders(url)
    result = _tools("forget", forgotten.sender, url=url)
    assert result.returncode == 0 and "Deleted" in result.stdout
    assert forgotten.sender not in _senders(url)
    with create_engine(url, future=True).begin() as connection:
        connection.execute(text("UPDATE events SET timestamp = timestamp - 40 * 86400 WHERE sender_id = :s"),
                           {"s": old.sender})
    result = _tools("purge", "--days", "30", url=url)
    assert result.returncode == 0, result.stderr
    remaining = _senders(url)
    assert old.sender not in remaining and kept.sender in remaining


def test_a_forget_while_a_message_is_in_flight_is_final(stack):
    """Issue 21's race on the real stack: the action server is paused (a slow answer), the student's message is
    in flight, `make forget` runs; when the answer comes back, nothing of the conversation is stored again."""
    url = os.environ["TRACKER_DB_URL"]
    chat = Chat(stack.settings.rasa_url)
    chat.ask("quelles competences pour le back office ?")
    actions = psutil.Process(stack.processes["actions"].pid)
    paused = [actions, *actions.children(recursive=True)]
    replies: list[str] = []
    for process in paused:
        process.suspend()
    try:
        asking = threading.Thread(target=lambda: replies.append(chat.ask("et les etudes secret-4711 ?")))
        asking.start()
        time.sleep(3)  # the message reached Rasa and waits for the action server
        result = _tools("forget", chat.sender, url=url)
        assert result.returncode == 0 and "Deleted" in result.stdout, result.stderr
    finally:
        for process in paused:
            process.resume()
    asking.join(timeout=60)
    assert replies, "no reply after the action server came back"
    time.sleep(1)
    with create_engine(url, future=True).connect() as connection:
        stored = connection.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": chat.sender}).all()
    assert stored == [], f"{len(stored)} events of a forgotten conversation written back"
    # the student goes on: a new conversation, the forgotten job is not in context
    assert "pour quel metier" in chat.ask("et les competences ?")


def test_the_api_token_is_never_on_a_command_line(tmp_path):
    """RASA_API_TOKEN enables Rasa's HTTP API with that token, handed over inside the process (`ps` shows nothing)."""
    from common.settings import get_settings
    from launch.stack import child_env
    from tests.conftest import free_port

    port, token = free_port(), "tok-" + uuid.uuid4().hex
    env = child_env(get_settings())
    env.update(RASA_API_TOKEN=token, TRACKER_DB_URL=f"sqlite:///{tmp_path / 'api.sqlite3'}")
    models = sorted((PROJECT_DIR / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    command = [sys.executable, "-m", "bot.rasa_server", "run", "--model", str(models[-1]), "--port", str(port),
               "-i", "127.0.0.1", "--enable-api"]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        assert token not in " ".join(psutil.Process(process.pid).cmdline())
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=10)
        assert refused.value.code == 401
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status?token={token}", timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
