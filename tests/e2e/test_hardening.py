"""Issue 12's attacks replayed on the real stack: limits, malformed socket.io payloads, a hung or failing
action server, student texts in logs, and kill -9 of each server under load with the supervisor."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import create_engine, text

from launch.stack import LOG_DIR
from tests.e2e.chat import Chat, fold, reply_text
from tests.e2e.socket_client import run_exchange

MARKERS: list[str] = []  # every student text sent below; none may reach a log (last test)
APOLOGY = "je n'arrive pas a consulter les fiches"


def marker() -> str:
    MARKERS.append(f"zq{uuid.uuid4().hex[:10]}")
    return MARKERS[-1]


def _tracker_url() -> str:
    return os.environ["TRACKER_DB_URL"]


def _events_of(sender: str) -> int:
    with create_engine(_tracker_url(), future=True).connect() as connection:
        return connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


# ------------------------------------------------------------------------------------------------ limits
@pytest.mark.parametrize("case,body,statuses", [
    ("missing sender", {"message": "salut"}, {400}),
    ("empty sender", {"sender": "", "message": "salut"}, {400}),
    ("1 MB sender", {"sender": "x" * 1_000_000, "message": "salut"}, {413}),
    ("65-character sender", {"sender": "x" * 65, "message": "salut"}, {400}),
    ("sender with markup", {"sender": "a b<script>", "message": "salut"}, {400}),
    ("500 kB metadata", {"sender": "meta-big", "message": "salut", "metadata": {"a": "x" * 500_000}}, {413}),
    ("3 kB metadata", {"sender": "meta-3k", "message": "salut", "metadata": {"a": "x" * 3_000}}, {400}),
    ("metadata not an object", {"sender": "meta-list", "message": "salut", "metadata": [1, 2]}, {400}),
])
def test_oversized_or_missing_parts_are_refused_and_nothing_is_stored(stack, case, body, statuses):
    status, _ = Chat(stack.settings.rasa_url).post(json.dumps(body).encode())
    assert status in statuses, (case, status)
    sender = body.get("sender") if isinstance(body.get("sender"), str) else "default"
    assert _events_of(sender or "default") == 0 and _events_of("default") == 0


def test_small_metadata_and_numeric_sender_still_work(stack):
    chat = Chat(stack.settings.rasa_url)
    status, messages = chat.post(json.dumps({"sender": 424242, "message": "salut", "metadata": {"a": 1}}).encode())
    assert status == 200 and reply_text(messages)


def test_a_conversation_past_its_event_limit_is_asked_to_start_a_new_one(stack):
    from bot.limits import MAX_CONVERSATION_EVENTS

    source = Chat(stack.settings.rasa_url)
    source.ask("quelles competences pour le back office ?")
    full = Chat(stack.settings.rasa_url)
    copies = MAX_CONVERSATION_EVENTS // _events_of(source.sender) + 1
    with create_engine(_tracker_url(), future=True).begin() as connection:
        columns = [row[1] for row in connection.execute(text("PRAGMA table_info(events)")) if row[1] != "id"]
        rest = ", ".join(column for column in columns if column != "sender_id")
        for _ in range(copies):
            connection.execute(text(f"INSERT INTO events (sender_id, {rest}) SELECT :full, {rest} FROM events "
                                    "WHERE sender_id = :source"), {"full": full.sender, "source": source.sender})
    stored = _events_of(full.sender)
    assert stored >= MAX_CONVERSATION_EVENTS
    assert "nouvelle conversation" in full.ask("et les etudes ?")
    assert _events_of(full.sender) == stored  # refused before anything is stored
    assert "bts banque" in source.ask("et les etudes ?")  # other conversations go on


# ------------------------------------------------------------------------------------------------ socket.io
SESSION = "hardening0123456789"
MALFORMED = [
    ("a list", ([1, 2],)),
    ("a number", (42,)),
    ("a bare string", ("bonjour",)),
    ("nothing", ()),
    ("two arguments", ({"message": "salut", "session_id": SESSION}, "extra")),
    ("message not text", ({"message": ["a"], "session_id": SESSION},)),
    ("no session id", ({"message": "salut"},)),
    ("100-character session id", ({"message": "salut", "session_id": "x" * 100},)),
    ("metadata not an object", ({"message": "salut", "session_id": SESSION, "metadata": "{bad"},)),
    ("3 kB metadata", ({"message": "salut", "session_id": SESSION, "metadata": {"a": "x" * 3000}},)),
]


def test_every_malformed_socketio_payload_gets_an_explicit_refusal_and_the_session_goes_on(stack):
    emits = [("session_request", ({"session_id": SESSION},))] + [("user_uttered", args) for _, args in MALFORMED]
    emits.append(("user_uttered", ({"message": "les missions du back office ?", "session_id": SESSION},)))
    received = run_exchange(stack.settings.rasa_url, stack.settings.web_url.rstrip("/"), emits,
                            expected=len(MALFORMED) + 1, wait=60)
    refusals = [item for item in received if item.get("error")]
    assert len(refusals) == len(MALFORMED), received
    assert all("pose ta question avec tes mots" in fold(item["text"]) for item in refusals)
    assert any("monetiques" in fold(item.get("text") or "") for item in received), received


def _polling(rasa_url: str, origin: str):
    """A raw engine.io long-polling session (what a socket.io client does over HTTP): (post, poll) functions."""
    import urllib.request

    base = rasa_url.rstrip("/") + "/socket.io/?EIO=4&transport=polling"

    def request(url: str, body: bytes | None = None) -> str:
        req = urllib.request.Request(url, body, {"Origin": origin, "Content-Type": "text/plain;charset=UTF-8"})
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.read().decode()

    handshake = json.loads(request(base)[1:])  # "0{...}": the open packet
    url = f"{base}&sid={handshake['sid']}"
    request(url, b"40")  # join the default namespace
    request(url)  # its confirmation
    return (lambda packets: request(url, "\x1e".join(packets).encode())), (lambda: request(url))


def test_a_polling_batch_of_many_emits_is_answered_emit_by_emit(stack):
    """engine.io drops a long-polling POST of more than 16 packets without a word (its default): each of 24 emits
    sent in one POST gets its answer."""
    post, poll = _polling(stack.settings.rasa_url, stack.settings.web_url.rstrip("/"))
    session = f"batch{uuid.uuid4().hex[:12]}"
    packets = [f'42["session_request",{{"session_id":"{session}"}}]']
    packets += [f'42["user_uttered",{{"message":"les missions du back office ?","session_id":"{session}"}}]'] * 23
    assert post(packets).lower() == "ok"
    answers, deadline = 0, time.monotonic() + 90
    while answers < 23 and time.monotonic() < deadline:
        answers += poll().count('"bot_uttered"')
    assert answers >= 23


def test_a_huge_session_id_is_refused_at_session_request(stack):
    received = run_exchange(stack.settings.rasa_url, stack.settings.web_url.rstrip("/"),
                            [("session_request", ({"session_id": "y" * 5000},))], expected=1, wait=10)
    assert received and "session_id" in received[0]["error"]


def test_a_socketio_packet_over_the_body_limit_is_refused_not_dropped(stack):
    """A packet over 128 kB (the chat page never sends one: its input stops at the message limit) was dropped with a
    normal close (websocket 1000) that says nothing: long-polling answers 413 in French, a websocket closes with
    1009 "message too big", and a packet under the limit still gets the French refusal of a too long message."""
    import asyncio
    import urllib.error

    import websockets
    from sanic.exceptions import PayloadTooLarge

    from bot.channels import REFUSALS
    from bot.limits import MAX_BODY_BYTES

    origin = stack.settings.web_url.rstrip("/")
    post, _poll = _polling(stack.settings.rasa_url, origin)
    big = '42["user_uttered",{"message":"%s","session_id":"big0123"}]' % ("x" * (MAX_BODY_BYTES + 1))
    with pytest.raises(urllib.error.HTTPError) as refused:
        post([big])
    assert refused.value.code == 413 and json.loads(refused.value.read()) == {"error": REFUSALS[PayloadTooLarge][1]}

    async def websocket_close_code() -> int | None:
        url = stack.settings.rasa_url.replace("http", "ws", 1).rstrip("/") + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, extra_headers={"Origin": origin}, max_size=None) as ws:
            await ws.recv()  # the open packet
            await ws.send("40")
            await ws.recv()  # the namespace joined
            await ws.send(big)
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), 30)
            except websockets.ConnectionClosed:
                return ws.close_code

    assert asyncio.run(websocket_close_code()) == 1009
    limit = stack.settings.max_message_chars
    received = run_exchange(stack.settings.rasa_url, origin,
                            [("session_request", ({"session_id": "long0123"},)),
                             ("user_uttered", ({"message": "x" * (limit * 10), "session_id": "long0123"},))],
                            expected=1, wait=30)
    assert received and "trop long" in fold(received[0]["text"]), received


# ------------------------------------------------------------------------------- failing or hung action server
class _FakeActions(BaseHTTPRequestHandler):
    """Answers action calls the way a failing rasa_sdk does (500 with the whole request echoed), or slowly."""

    mode = "error"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.mode == "slow":
            time.sleep(20)
        answer = json.dumps({"error": "boom", "request_body": json.loads(body or b"null")}).encode()
        try:
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def actions_replaced(stack, mode: str):
    """The stack's action server replaced by a failing (`error`) or hung (`slow`) one on the same port."""
    stack.stop_one("actions")
    handler = type("Fake", (_FakeActions,), {"mode": mode})
    server = ThreadingHTTPServer((stack.settings.host, stack.settings.actions_port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        stack.start_actions()


def test_action_errors_and_a_down_action_server_get_the_apology(stack):
    chat = Chat(stack.settings.rasa_url)
    assert "monetiques" in chat.ask(f"je m'appelle {marker()} j'ai 14 ans, les missions du back office ?")
    with actions_replaced(stack, "error"):
        assert APOLOGY in chat.ask(f"je suis {marker()}, et ses competences ?")
    stack.stop_one("actions")
    try:
        assert APOLOGY in chat.ask(f"moi c'est {marker()}, et les etudes ?")
    finally:
        stack.start_actions()
    assert "bts banque" in chat.ask("et les etudes ?")


def test_a_hung_action_server_gets_the_apology_within_seconds_on_rest_and_socketio(stack):
    chat = Chat(stack.settings.rasa_url)
    with actions_replaced(stack, "slow"):
        start = time.monotonic()
        reply = chat.ask(f"{marker()} quelles competences pour le middle office ?")
        rest_seconds = time.monotonic() - start
        received = run_exchange(stack.settings.rasa_url, stack.settings.web_url.rstrip("/"), [
            ("session_request", ({"session_id": "hung0123456789"},)),
            ("user_uttered", ({"message": f"{marker()} les missions du back office ?",
                               "session_id": "hung0123456789"},)),
        ], expected=1, wait=40)
    assert APOLOGY in reply and rest_seconds < 20, (reply, rest_seconds)
    assert received and APOLOGY in fold(received[0]["text"]) and received[0]["_seconds"] < 20, received


def test_slash_commands_with_markers_are_refused(stack):
    chat = Chat(stack.settings.rasa_url)
    for payload in ['/ask_missions{"job":123}', f'/ask_missions{{"job": "{marker()}"', f"/{marker()}",
                    f'/ask_missions{{"job":{{"a":"{marker()}"}}}}', f'/inform_job{{"job": "{marker()}"}}']:
        assert "pose ta question avec tes mots" in chat.ask(payload)


# ------------------------------------------------------------------------------ supervision under load
class _Load:
    """20 conversations, each asking about its own job then 'et les etudes ?' every second, recording
    (time, outcome): ok (right job's studies), apology, error (HTTP or connection error), wrong."""

    def __init__(self, rasa_url: str, conversations: int = 20):
        self.rasa_url, self.stop, self.results = rasa_url, threading.Event(), []
        self.chats = [Chat(rasa_url, sender=f"load-{i}-{uuid.uuid4().hex[:6]}") for i in range(conversations)]

    @staticmethod
    def expected(index: int) -> tuple[str, str]:
        return ("middle office", "master - finance") if index % 2 else ("back office", "bts banque")

    def outcome(self, index: int, question: str) -> str:
        try:
            status, messages = self.chats[index].post(
                json.dumps({"sender": self.chats[index].sender, "message": question}).encode(), timeout=30)
        except OSError:
            return "error"
        if status != 200:
            return "error"
        reply = reply_text(messages)
        return "ok" if self.expected(index)[1] in reply else "apology" if APOLOGY in reply else "wrong"

    def converse(self, index: int) -> None:
        job = self.expected(index)[0]
        self.chats[index].ask(f"quelles competences pour le {job} ?")
        while not self.stop.is_set():
            self.results.append((time.monotonic(), self.outcome(index, "et les etudes ?")))
            self.stop.wait(1)

    def since(self, moment: float) -> dict:
        after = sorted((at, what) for at, what in self.results if at >= moment)
        bad = [at for at, what in after if what != "ok"]
        last_bad = max(bad) if bad else moment
        recovered = next((at for at, what in after if at > last_bad and what == "ok"), None)
        return {"answers": len(after), "not ok": len(bad),
                "kinds": {kind: sum(1 for _, w in after if w == kind) for kind in ("apology", "error", "wrong")},
                "recovered after s": round(recovered - moment, 1) if recovered else None}


@pytest.fixture(scope="module")
def supervised(tmp_path_factory, kb_url):
    from common.settings import get_settings
    from launch.stack import Stack, Supervisor
    from tests.conftest import environment, free_port

    env = {"RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()), "WEB_PORT": str(free_port()),
           "KNOWLEDGE_DB_URL": kb_url, "BOT_HOST": "127.0.0.1",
           "TRACKER_DB_URL": f"sqlite:///{tmp_path_factory.mktemp('supervised') / 'conversations.sqlite3'}"}
    with environment(env):
        running = Stack(get_settings(), quiet=True, with_web=False)
        stop = threading.Event()
        try:
            running.start()
            supervisor = Supervisor(running, check_every=1, say=lambda line: None)
            thread = threading.Thread(target=supervisor.run, args=(stop,), daemon=True)
            thread.start()
            yield running
        finally:
            stop.set()
            running.stop()


def test_kill_9_of_each_server_under_load_is_recovered_without_losing_a_conversation(supervised):
    load = _Load(supervised.settings.rasa_url)
    with ThreadPoolExecutor(max_workers=len(load.chats)) as pool:
        for index in range(len(load.chats)):
            pool.submit(load.converse, index)
        figures = {}
        try:
            time.sleep(8)
            for name, settle in (("actions", 20), ("rasa", 240)):
                killed_at = time.monotonic()
                os.killpg(supervised.processes[name].pid, signal.SIGKILL)
                deadline = killed_at + settle
                while time.monotonic() < deadline:
                    time.sleep(2)
                    window = load.since(killed_at)
                    if window["recovered after s"] is not None and time.monotonic() - killed_at > 10:
                        break
                figures[name] = load.since(killed_at)
                figures[name]["answers in the window"] = figures[name].pop("answers")
        finally:
            load.stop.set()
    print("\nkill -9 under a 20-conversation load:", json.dumps(figures, indent=1))
    for name, window in figures.items():
        assert window["recovered after s"] is not None, (name, window)
        assert window["kinds"]["wrong"] == 0, (name, window)
    lost = [chat.sender for index, chat in enumerate(load.chats)
            if load.expected(index)[1] not in chat.ask("et les etudes ?")]
    assert not lost, f"conversations that lost their context: {lost}"


def test_no_student_text_in_any_log():
    """Last: every marker sent above (names, failed actions, timeouts, slash-commands) is in no log file."""
    assert len(MARKERS) >= 8
    time.sleep(1)
    files = [path for path in LOG_DIR.rglob("*") if path.is_file()]
    assert files
    found = {(m, str(path)) for path in files for m in MARKERS if m in path.read_text(errors="replace")}
    assert not found, found


def test_sanic_refusals_on_rasas_server_are_in_french_and_repeat_nothing(stack):
    """Unknown path, wrong method, oversized body: French JSON (not Sanic's English page echoing the path)."""
    import urllib.error
    import urllib.request

    from sanic.exceptions import MethodNotSupported, NotFound, PayloadTooLarge

    from bot.channels import REFUSALS

    base = stack.settings.rasa_url.rstrip("/")

    def call(path: str, method: str = "GET", body: bytes | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(base + path, body, {"Content-Type": "application/json"}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, reply = call("/ZQXPATH<script>")
    assert (status, reply) == (404, {"error": REFUSALS[NotFound][1]}) and "ZQX" not in json.dumps(reply)
    assert call("/webhooks/rest/webhook") == (405, {"error": REFUSALS[MethodNotSupported][1]})
    status, reply = call("/webhooks/rest/webhook", "POST", json.dumps({"sender": "big", "message": "x" * 200_000})
                         .encode())
    assert (status, reply) == (413, {"error": REFUSALS[PayloadTooLarge][1]})
    status, reply = call("/webhooks/rest/feedback", "POST", json.dumps({"sender": "fb", "rating": "bof"}).encode())
    assert status == 400 and "doit valoir" in reply["error"]
    with urllib.request.urlopen(base + "/", timeout=10) as root:  # Rasa's own routes are untouched
        assert root.status == 200 and b"Rasa" in root.read()


def test_a_session_request_without_data_gets_a_new_session(stack):
    """`42["session_request"]` (no payload) raised a TypeError in the handler and got no answer: now a new session."""
    import asyncio

    import socketio

    async def ask_session() -> list:
        confirmed: list = []
        client = socketio.AsyncClient(reconnection=False)
        client.on("session_confirm", lambda data: confirmed.append(data))
        await client.connect(stack.settings.rasa_url, headers={"Origin": stack.settings.web_url.rstrip("/")},
                             transports=["polling"], socketio_path="/socket.io")
        try:
            await client.emit("session_request")
            for _ in range(50):
                if confirmed:
                    break
                await asyncio.sleep(0.2)
        finally:
            await client.disconnect()
        return confirmed

    confirmed = asyncio.run(ask_session())
    assert len(confirmed) == 1 and isinstance(confirmed[0], str) and len(confirmed[0]) == 32, confirmed
