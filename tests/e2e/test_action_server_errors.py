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
