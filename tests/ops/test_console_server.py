"""The console's HTTP server in-process (no browser): the token gate, sessions, request checks, evaluation runs."""
from __future__ import annotations

import dataclasses
import http.client
import json
import shutil
import threading

import pytest

from common.settings import PROJECT_DIR, get_settings
from ops.console.evaluations import evaluation_runs
from ops.console.server import default_console, make_server
from tests.ops.conversations import MISTAKE, fill_tracker_store

TOKEN = "un-jeton-de-test"


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console")
    shutil.copytree(PROJECT_DIR / "data" / "nlu", folder / "nlu")
    settings = dataclasses.replace(get_settings(), tracker_db_url=fill_tracker_store(folder / "c.sqlite3"))
    state = default_console(settings, TOKEN, state_dir=folder / "var", nlu_dir=folder / "nlu",
                            results_dir=folder / "results")
    server = make_server(state, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], state
    server.shutdown()
    server.server_close()


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    payload = json.dumps(body).encode() if isinstance(body, dict) else body
    connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def login(port, token=TOKEN) -> str:
    response, _ = request(port, "POST", "/api/login", {"name": "Anne", "token": token})
    return response.getheader("Set-Cookie") or ""


def test_everything_but_the_page_needs_the_token(console):
    port, _ = console
    page, body = request(port, "GET", "/")
    assert page.status == 200 and b"Console des op" in body
    assert "script-src 'self'" in page.getheader("Content-Security-Policy")
    for path in ("/api/turns", "/api/meta", "/api/stats", "/api/evaluations", "/api/conversation?sender=student-today"):
        assert request(port, "GET", path)[0].status == 401, path
    assert login(port, "mauvais") == ""
    cookie = login(port)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    session = cookie.split(";")[0]
    response, body = request(port, "GET", "/api/turns?flag=rephrased", headers={"Cookie": session})
    assert response.status == 200 and [t["text"] for t in json.loads(body)["turns"]] == [MISTAKE]
    assert request(port, "GET", "/api/turns", headers={"Cookie": "console_session=forged"})[0].status == 401
    request(port, "POST", "/api/logout", {}, headers={"Cookie": session})
    assert request(port, "GET", "/api/turns", headers={"Cookie": session})[0].status == 401


def test_requests_that_are_refused(console):
    port, _ = console
    session = login(port).split(";")[0]
    # another host name (DNS rebinding), a form post (no JSON), an unknown mark, nothing outside the page
    assert request(port, "GET", "/api/meta", headers={"Cookie": session, "Host": "evil.example"})[0].status == 403
    form = request(port, "POST", "/api/mark", b"status=reviewed",
                   headers={"Cookie": session, "Content-Type": "application/x-www-form-urlencoded"})
    assert form[0].status == 400
    assert request(port, "POST", "/api/mark", {"sender": "student-today", "ts": 1, "status": "deleted"},
                   headers={"Cookie": session})[0].status == 400
    assert request(port, "POST", "/api/mark", {"sender": "student-today", "ts": 1, "status": "reviewed"},
                   headers={"Cookie": session})[0].status == 404
    for path in ("/../common/settings.py", "/static/console.js", "/api/unknown"):
        assert request(port, "GET", path, headers={"Cookie": session})[0].status == 404, path


def test_wrong_tokens_slow_down_their_sender_never_the_right_operator(console):
    _, state = console
    state.failures.clear()
    for _ in range(10):
        assert state.login("Mallory", "essai", client="203.0.113.9") is None
    assert state.throttled("Mallory", "203.0.113.9") and state.login("Mallory", TOKEN, client="203.0.113.9") is None
    assert state.throttled("Eve", "203.0.113.9")  # that address, whatever name it tries
    assert state.throttled("mallory", "198.51.100.4")  # that name, whatever address it comes from
    assert state.login("Anne", TOKEN, client="127.0.0.1")  # the operator is not locked out by anyone
    state.failures.clear()


def test_a_throttled_login_says_so_in_french(console):
    port, state = console
    state.failures.clear()
    for _ in range(10):
        request(port, "POST", "/api/login", {"name": "Mallory", "token": "essai"})
    response, body = request(port, "POST", "/api/login", {"name": "Mallory", "token": "essai"})
    assert response.status == 429 and "Trop d'essais" in json.loads(body)["error"]
    state.failures.clear()


def test_a_refused_requests_body_is_never_read_as_the_next_request(console):
    """A POST refused before its body is read (no session) ends the connection: the body is not a request."""
    port, _ = console
    import socket

    smuggled = b"GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    head = (f"POST /api/mark HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(smuggled)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(head + smuggled)
        received = b""
        while True:
            chunk = raw.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received.count(b"HTTP/1.1 ") == 1 and b" 401 " in received.split(b"\r\n")[0], received[:300]


def test_json_nested_thousands_deep_is_a_bad_request(console):
    port, _ = console
    session = login(port).split(";")[0]
    deep = b"[" * 5000 + b"]" * 5000
    response, body = request(port, "POST", "/api/mark", b'{"a":' + deep + b"}", headers={"Cookie": session})
    assert response.status == 400 and "JSON" in json.loads(body)["error"]


def _run(folder, name, macro, job=None):
    run = folder / "evaluations" / name / "nlu"
    run.mkdir(parents=True)
    report = {"greet": {"f1-score": 1.0, "support": 3}, "ask_skills": {"f1-score": macro, "support": 5},
              "accuracy": macro, "macro avg": {"f1-score": macro}, "weighted avg": {"f1-score": macro}}
    (run / "intent_report.json").write_text(json.dumps(report), encoding="utf-8")
    if job is not None:
        (run / "DIETClassifier_report.json").write_text(json.dumps({"job": {"f1-score": job}}), encoding="utf-8")


def test_evaluation_runs_side_by_side(tmp_path):
    assert evaluation_runs(tmp_path) == []
    _run(tmp_path, "2026-01-01_1000", 0.85, 0.9)
    _run(tmp_path, "2026-01-02_1000", 0.9)
    (tmp_path / "evaluations" / "2026-01-03_1000" / "nlu").mkdir(parents=True)
    (tmp_path / "evaluations" / "2026-01-03_1000" / "nlu" / "intent_report.json").write_text("{not json")
    runs = evaluation_runs(tmp_path)
    assert [run["name"] for run in runs] == ["2026-01-01_1000", "2026-01-02_1000"]
    assert runs[0]["change"]["intent_macro_f1"] is None
    assert runs[1]["change"]["intent_macro_f1"] == 0.05 and runs[1]["job_f1"] is None
    assert runs[1]["weakest"][0] == ["ask_skills", 0.9]
