"""Odd input over REST: a sensible reply or a 4xx, never a 5xx, never raw HTML echoed, and the bot goes on."""
from __future__ import annotations

import json

import pytest

from bot import limits
from tests.e2e.chat import Chat, reply_text

TEXT_CASES = {
    "empty": ("", "vide"),
    "blank": ("   \n\t ", "vide"),
    "too long": ("a" * 20_000, "trop long"),
    "emoji only": ("😀🤔🔥", None),
    "html": ("<script>alert('x')</script><img src=x onerror=alert(1)>", None),
    "sql": ("'; DROP TABLE events; -- SELECT * FROM kb_fact", None),
    "control chars": ("\x00\x07 middle \x1b[31m", None),
    # a lone surrogate (valid JSON "\ud800", invalid Unicode): read as U+FFFD, answered, not "réessaie"
    "lone surrogate": ("\ud800 le back office ?", None),
}
NOT_AN_APOLOGY = {"lone surrogate"}


@pytest.mark.parametrize("case", list(TEXT_CASES))
def test_odd_text_gets_a_sensible_reply_then_the_bot_goes_on(stack, case):
    text, expected = TEXT_CASES[case]
    chat = Chat(stack.settings.rasa_url)
    messages = chat.say(text)
    reply = reply_text(messages)
    assert messages and reply.strip(), f"{case}: silent reply"
    assert "<script" not in reply and "<img" not in reply and "onerror" not in reply
    if expected:
        assert expected in reply
    if case in NOT_AN_APOLOGY:
        assert "reessaie" not in reply, reply
    assert "monetiques" in chat.ask("quelles sont les missions du back office ?")


@pytest.mark.parametrize("body,content_type", [
    (b"{not json", "application/json"),
    (b"\xff\xfe\xfa not utf-8", "application/json"),
    (b'["a", "list"]', "application/json"),
    (json.dumps({"sender": "x", "message": 42}).encode(), "application/json"),
    (json.dumps({"sender": {"a": 1}, "message": "salut"}).encode(), "application/json"),
])
def test_malformed_bodies_get_a_4xx(stack, body, content_type):
    status, _ = Chat(stack.settings.rasa_url).post(body, content_type)
    assert 400 <= status < 500


@pytest.mark.parametrize("body", [
    {"sender": "null-message", "message": None},
    {"sender": "no-message"},
])
def test_missing_fields_get_a_french_explanation(stack, body):
    status, messages = Chat(stack.settings.rasa_url).post(json.dumps(body).encode())
    assert status == 200 and "vide" in reply_text(messages)


@pytest.mark.parametrize("body", [{}, {"message": "salut"}, {"sender": "", "message": "salut"}])
def test_a_message_without_sender_is_refused_not_put_in_a_shared_conversation(stack, body):
    status, error = Chat(stack.settings.rasa_url).post(json.dumps(body).encode())
    assert status == 400 and json.loads(error) == {"error": limits.sender_problem(None)}
    assert "obligatoire" in error


def test_limit_is_documented_and_applied_at_the_boundary(stack):
    limit = stack.settings.max_message_chars
    chat = Chat(stack.settings.rasa_url)
    assert "trop long" in chat.ask("x" * (limit + 1))
    assert "trop long" not in chat.ask("quelles competences pour le back office ? " + " " * (limit - 60))


@pytest.mark.parametrize("payload", ['/ask_missions{"job":123}', '/ask_missions{"job":{"a":1}}', "/restart",
                                     '/inform_job{"job": "trader"}', "/nlu_fallback"])
def test_slash_commands_other_than_the_bots_buttons_are_refused_and_nothing_is_poisoned(stack, payload):
    chat = Chat(stack.settings.rasa_url)
    assert "monetiques" in chat.ask("les missions du back office ?")
    reply = chat.ask(payload)
    assert "pose ta question avec tes mots" in reply
    reply = chat.ask("et ses competences ?")  # the conversation's job is still the back-office
    assert "applicatifs de gestion" in reply
