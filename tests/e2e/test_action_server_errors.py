"""The action server's bad requests (launch/action_errors.py): French errors, the right status, never the request
body echoed back (it holds a conversation), and real action calls still answered."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from launch.action_errors import BAD_CALL, NOT_ALLOWED, NOT_FOUND, bad_action_call


def _call(url: str, body: bytes | None = None, method: str = "POST") -> tuple[int, dict]:
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_bad_requests_get_french_errors_without_echo(stack):
    base = stack.settings.actions_url.rsplit("/", 1)[0]
    secret = "ma fille Léa, 15 ans, 06 12 34 56 78"
    assert _call(base + "/nope", method="GET") == (404, {"error": NOT_FOUND})
    assert _call(base + "/webhook", method="GET") == (405, {"error": NOT_ALLOWED})
    for body in (b"not json", b"[]", json.dumps({"next_action": "action_answer_topic", "tracker": secret}).encode(),
                 json.dumps({"next_action": 3, "tracker": {"sender_id": "x"}}).encode()):
        status, reply = _call(base + "/webhook", body)
        assert (status, reply) == (400, {"error": BAD_CALL}), body
        assert secret not in json.dumps(reply)


def test_a_real_action_call_is_still_answered(stack):
    call = {"next_action": "action_answer_topic", "version": "3.6.21",
            "tracker": {"sender_id": "t", "slots": {}, "events": [],
                        "latest_message": {"text": "quelles compétences pour le back office ?",
                                           "intent": {"name": "ask_skills", "confidence": 1.0},
                                           "entities": [{"entity": "job", "value": "back-office"}]}}}
    status, reply = _call(stack.settings.actions_url, json.dumps(call).encode())
    assert status == 200 and reply["responses"][0]["response"] == "utter_answer_skills"


def test_action_calls_write_no_access_line(stack):
    """Sanic's access log is off on the action server (launch/action_server.py): its lines said nothing here."""
    import time

    log = stack.log_path("actions")
    before = log.stat().st_size
    for _ in range(3):
        test_a_real_action_call_is_still_answered(stack)
    time.sleep(0.5)  # the supervisor copies the server's output into its log
    with log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(before)
        assert "sanic.access" not in lines.read()


def test_no_web_page_may_call_the_action_server(stack):
    """No CORS header for any origin, on an action call as on its preflight (launch/action_server.py)."""
    call = json.dumps({"next_action": "action_answer_topic", "tracker": {"sender_id": "t", "latest_message": {
        "text": "bonjour", "intent": {"name": "greet"}}}}).encode()
    for method, body in (("POST", call), ("OPTIONS", None)):
        request = urllib.request.Request(stack.settings.actions_url, body, method=method, headers={
            "Origin": "http://127.0.0.1:8000", "Content-Type": "application/json",
            "Access-Control-Request-Method": "POST"})
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                headers = reply.headers
        except urllib.error.HTTPError as error:
            headers = error.headers
        assert not [name for name in headers if name.lower().startswith("access-control-")], (method, dict(headers))


def test_what_an_action_call_is():
    assert bad_action_call(None) and bad_action_call([]) and bad_action_call({"next_action": "a"})
    assert bad_action_call({"next_action": "a", "tracker": {"sender_id": "x", "events": "no"}})
    assert not bad_action_call({"next_action": "a", "tracker": {"sender_id": "x"}})


def test_a_negative_content_length_does_not_freeze_the_action_server(stack):
    """Sanic 21.12 spins on `Content-Length: -1` while the connection stays open (common/http_framing.py)."""
    import socket

    host, port = stack.settings.host, stack.settings.actions_port
    with socket.create_connection((host, port), timeout=5) as bad:
        bad.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nabc")
        assert bad.recv(100).startswith(b"HTTP/1.1 400")
        with socket.create_connection((host, port), timeout=2) as good:  # answered while the first is open
            good.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert good.recv(100).startswith(b"HTTP/1.1 200")


def test_a_negative_content_length_does_not_freeze_rasa(stack):
    import socket

    host, port = stack.settings.host, stack.settings.rasa_port
    with socket.create_connection((host, port), timeout=5) as bad:
        bad.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nabc")
        assert bad.recv(100).startswith(b"HTTP/1.1 400")
        with socket.create_connection((host, port), timeout=2) as good:
            good.sendall(b"GET /webhooks/rest/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert good.recv(100).startswith(b"HTTP/1.1 200")


def test_an_unknown_action_a_bad_deflate_and_a_huge_body_are_refused_in_french(stack):
    """The action's name is not repeated (rasa_sdk's own 404 echoes it in English); a body announced as deflate that
    does not inflate is a 400, not a 500; a body over the limit is a 413."""
    import zlib

    from launch.action_errors import MALFORMED, MAX_BODY_BYTES, TOO_LARGE, UNKNOWN_ACTION

    url = stack.settings.actions_url
    call = {"next_action": "ZQXA05_action", "tracker": {"sender_id": "a", "events": []}, "domain": {}}
    status, reply = _call(url, json.dumps(call).encode())
    assert (status, reply) == (404, {"error": UNKNOWN_ACTION}) and "ZQXA05" not in json.dumps(reply)
    request = urllib.request.Request(url, b"not deflate at all", {"Content-Type": "application/json",
                                                                  "Content-Encoding": "deflate"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a bad deflate body was accepted")
    except urllib.error.HTTPError as error:
        assert (error.code, json.loads(error.read())) == (400, {"error": MALFORMED})
    # a real call, compressed as Rasa may send it, is still answered
    real = {"next_action": "action_answer_topic", "version": "3.6.21",
            "tracker": {"sender_id": "t", "slots": {}, "events": [],
                        "latest_message": {"text": "quelles compétences pour le back office ?",
                                           "intent": {"name": "ask_skills", "confidence": 1.0},
                                           "entities": [{"entity": "job", "value": "back-office"}]}}}
    request = urllib.request.Request(url, zlib.compress(json.dumps(real).encode()),
                                     {"Content-Type": "application/json", "Content-Encoding": "deflate"})
    with urllib.request.urlopen(request, timeout=10) as answered:
        assert answered.status == 200
    import socket

    with socket.create_connection((stack.settings.host, stack.settings.actions_port), timeout=5) as huge:
        huge.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n{" % (MAX_BODY_BYTES + 1))
        head, _, body = huge.recv(1000).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413") and json.loads(body) == {"error": TOO_LARGE}
