"""The console's HTTP server in-process (no browser): the token gate, sessions, request checks, evaluation runs,
a conversation saved as a story (into copies of the story files) and undone."""
from __future__ import annotations

import dataclasses
import http.client
import json
import re
import shutil
import socket
import threading

import pytest

from common.settings import PROJECT_DIR, get_settings
from ops.console.evaluations import evaluation_runs, last_story_test
from ops.console.server import default_console, make_server
from ops.console.state import TooManyTries
from ops.console.stories import StoryFiles
from tests.ops.conversations import MISTAKE, fill_tracker_store

TOKEN = "un-jeton-de-test"


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console")
    shutil.copytree(PROJECT_DIR / "data" / "nlu", folder / "nlu")
    shutil.copytree(PROJECT_DIR / "data" / "stories", folder / "stories")
    shutil.copy(PROJECT_DIR / "tests" / "test_stories.yml", folder / "test_stories.yml")
    settings = dataclasses.replace(get_settings(), tracker_db_url=fill_tracker_store(folder / "c.sqlite3"))
    state = default_console(settings, TOKEN, state_dir=folder / "var", nlu_dir=folder / "nlu",
                            results_dir=folder / "results",
                            stories=StoryFiles(folder / "test_stories.yml", folder / "stories", folder / "last.json"))
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
    state.throttle.clear()
    for _ in range(10):
        assert state.login("Mallory", "essai", client="203.0.113.9") is None
    for name, client in (("Mallory", "203.0.113.9"), ("Eve", "203.0.113.9"), ("mallory", "198.51.100.4")):
        with pytest.raises(TooManyTries):  # that address whatever the name, that name whatever the address
            state.login(name, "essai", client=client)
    assert state.login("Eve", "essai", client="198.51.100.4") is None  # another address and name: a plain "no"
    # the right token is never refused, even from the flooding address under the flooded name (the old bug)
    assert state.login("Mallory", TOKEN, client="203.0.113.9") and state.login("Anne", TOKEN, client="127.0.0.1")
    state.throttle.clear()


def test_a_throttled_login_says_so_in_french(console):
    port, state = console
    state.throttle.clear()
    for _ in range(10):
        request(port, "POST", "/api/login", {"name": "Mallory", "token": "essai"})
    response, body = request(port, "POST", "/api/login", {"name": "Mallory", "token": "essai"})
    assert response.status == 429 and "Trop d'essais" in json.loads(body)["error"]
    assert 1 <= int(response.getheader("Retry-After")) <= 64
    state.throttle.clear()


def test_a_refused_requests_body_is_never_read_as_the_next_request(console):
    """A POST refused (no session) whose body is a request, then a real GET on the same connection: two answers,
    the POST's 401 and the page; the body is read as a body (the old server served it as a request)."""
    port, _ = console
    smuggled = b"GET /favicon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    head = (f"POST /api/mark HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(smuggled)}\r\n\r\n").encode()
    follow = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    received = exchange(port, head + smuggled + follow)
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", received)
    assert statuses == [b"401", b"200"], received[:600]
    kinds = re.findall(rb"\r\ncontent-type: ([^;\r]+)", received, flags=re.IGNORECASE)
    assert kinds == [b"application/json", b"text/html"] and b"Console des op" in received


def exchange(port, raw: bytes, wait: float = 10) -> bytes:
    """Bytes sent on one connection, and everything received until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(raw)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


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


def _story_turns(port, session):
    response, body = request(port, "GET", "/api/story?sender=student-today", headers={"Cookie": session})
    assert response.status == 200
    return json.loads(body)


def test_a_conversation_saved_as_a_test_story_then_undone(console):
    port, state = console
    session = login(port).split(";")[0]
    form = _story_turns(port, session)
    assert "ask_studies" in form["intents"] and "job" in form["entities"] and "utter_greet" in form["actions"]
    mistake = next(t for t in form["turns"] if t["text"] == MISTAKE)
    assert mistake["intent"] == "ask_figures" and mistake["actions"] == ["action_answer_topic"]
    assert not mistake["keep_text"]
    first = form["turns"][0]
    turns = [{**first, "keep_text": True}, {**mistake, "intent": "ask_studies"}]
    test_file = state.stories.test_file
    before = test_file.read_bytes()
    response, body = request(port, "POST", "/api/story", {"sender": "student-today", "kind": "test", "turns": turns},
                             headers={"Cookie": session})
    assert response.status == 200, body
    saved = json.loads(body)
    after = test_file.read_bytes()
    assert saved["file"] == "test_stories.yml" and after.startswith(before)
    added = after[len(before):].decode("utf-8")
    assert "- user: c'est quoi le [back office](job)\n    intent: ask_definition\n" in added  # confirmed: kept
    assert MISTAKE not in added and "  - intent: ask_studies\n    entities:\n    - job: back-office\n" in added
    assert "student-today" not in added and "conversation du " in added
    # the same story again: refused; undo puts the file back byte for byte
    again = request(port, "POST", "/api/story", {"sender": "student-today", "kind": "test", "turns": turns},
                    headers={"Cookie": session})
    assert again[0].status == 409 and "identique" in json.loads(again[1])["error"]
    response, body = request(port, "POST", "/api/story/undo", {}, headers={"Cookie": session})
    assert response.status == 200 and test_file.read_bytes() == before
    assert request(port, "POST", "/api/story/undo", {}, headers={"Cookie": session})[0].status == 409
    log = state.access.path.read_text(encoding="utf-8")
    assert '"story_save"' in log and '"story_undo"' in log and MISTAKE not in log and "c'est quoi" not in log


@pytest.mark.parametrize(("body", "message"), [
    ({"sender": "student-today", "kind": "test", "turns": []}, "au moins un message"),
    ({"sender": "student-today", "kind": "poème", "turns": [{"ts": 1}]}, "Type d'histoire"),
    ({"sender": "student-today", "kind": "test", "turns": [{"ts": "x", "intent": "greet"}]}, "introuvable"),
    ({"sender": "student-today", "kind": "test", "turns": "tout"}, "au moins un message"),
    ({"sender": "student-today", "kind": "training", "turns": [None]}, "objet JSON"),
])
def test_bad_story_requests_get_a_french_400(console, body, message):
    port, state = console
    session = login(port).split(";")[0]
    training = state.stories.training_dir / "from_console.yml"
    response, data = request(port, "POST", "/api/story", body, headers={"Cookie": session})
    assert response.status == 400 and message in json.loads(data)["error"], data
    assert not training.exists()


def test_turns_out_of_order_and_unknown_intents_are_refused(console):
    port, _ = console
    session = login(port).split(";")[0]
    turns = _story_turns(port, session)["turns"][:2]
    for sent, message in ((turns[::-1], "dans son ordre"), ([{**turns[0], "intent": "ask_nothing"}], "Intention")):
        response, data = request(port, "POST", "/api/story", {"sender": "student-today", "kind": "training",
                                                              "turns": sent}, headers={"Cookie": session})
        assert response.status == 400 and message in json.loads(data)["error"]


FAILED = """version: "3.1"
stories:
- story: console, conversation du 2026-12-04, 2 messages (/project/tests/test_stories.yml)
  steps:
  - intent: greet
  - action: utter_greet
  - intent: ask_studies
    entities:
    - job: bo
  - slot_was_set:
    - job: back-office
  - action: utter_goodbye  # predicted: action_answer_topic
  - action: action_listen  # predicted: action_default_fallback
"""


def test_failed_test_stories_show_with_the_turn_that_differs(tmp_path):
    """As Rasa 3.6's `rasa test core` writes them (a real run's file, the path shortened)."""
    core = tmp_path / "evaluations" / "2026-01-02_1000" / "core"
    core.mkdir(parents=True)
    (core / "failed_test_stories.yml").write_text(FAILED, encoding="utf-8")
    (core / "story_report.json").write_text(json.dumps({"conversation_accuracy": {"correct": 1, "total": 2}}))
    _run(tmp_path, "2026-01-02_1000", 0.9)
    run = evaluation_runs(tmp_path)[0]
    assert run["stories"] == "1/2" and run["failed_stories"] == [{
        "story": "console, conversation du 2026-12-04, 2 messages", "file": "test_stories.yml", "differences": 2,
        "first": {"turn": 2, "intent": "ask_studies", "kind": "action", "expected": "utter_goodbye",
                  "predicted": "action_answer_topic"}}]
    assert last_story_test(tmp_path) is None
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "failed_test_stories.yml").write_text("# None of the test stories failed - all good!\n")
    assert last_story_test(tmp_path)["failed_stories"] == []


def test_charts_count_the_advisors_queue_of_the_period(console):
    """Issue 22's leftover: the queue's counts and answer delays beside the charts, for the dates filtered."""
    import time
    from datetime import date, timedelta

    port, state = console
    session = login(port).split(";")[0]
    now = time.time()
    answered = state.advisors.ask("student-today", "quel salaire au bo ?", now=now - 3600)
    state.advisors.answer(answered.id, "Les fiches ne le disent pas.", "Anne", now=now - 3000)
    state.advisors.ask("student-yesterday", "et la retraite ?", now=now - 600)
    state.advisors.ask("old-student", "une question d'il y a 40 jours", now=now - 40 * 86400)  # past retention

    def advisors(query=""):
        response, body = request(port, "GET", f"/api/stats?{query}", headers={"Cookie": session})
        assert response.status == 200
        return json.loads(body)["advisors"]

    figures = advisors()
    assert (figures["pending"], figures["answered"], figures["median_delay_s"], figures["max_delay_s"]) == (
        1, 1, 600.0, 600.0)
    assert 590 <= figures["oldest_wait_s"] <= 700
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert advisors(f"from={tomorrow}") == {"pending": 0, "answered": 0, "median_delay_s": None,
                                            "max_delay_s": None, "oldest_wait_s": None}
