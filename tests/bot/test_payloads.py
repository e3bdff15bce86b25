"""Slash-commands: the bot's own button payloads pass, anything else is refused (real knowledge base)."""
from __future__ import annotations

import pytest

from bot.payloads import is_offered_payload, start_payload_as_greeting


@pytest.fixture(autouse=True)
def _kb(default_kb):
    yield


@pytest.mark.parametrize("text", [
    '/inform_job{"job": "back-office"}', '/ask_skills{"job": "middle-office"}', "/ask_missions", "/compare_jobs",
    ' /ask_definition{"job":"back-office"} ',
])
def test_the_bots_own_payloads_pass(text):
    assert is_offered_payload(text)


@pytest.mark.parametrize("text", [
    '/ask_missions{"job":123}', '/ask_missions{"job":{"a":1}}', '/ask_missions{"job": "trader"}',
    '/ask_missions{"topic": "skills"}', '/ask_missions{"job": "back-office", "question": "x"}', "/nlu_fallback",
    "/restart", "/session_start", '/ask_missions{not json', "/", "/ quoi", "/ASK_MISSIONS", "/goodbye{}",
    "/action_answer_topic", '/ask_skills[{"job": "back-office"}]',
])
def test_anything_else_is_refused(text):
    assert not is_offered_payload(text)


def test_refused_when_the_knowledge_base_is_unreadable(monkeypatch, tmp_path):
    from knowledge import queries

    monkeypatch.setenv("KNOWLEDGE_DB_URL", f"sqlite:///{tmp_path / 'missing.sqlite3'}")
    queries.default_repository.cache_clear()
    assert not is_offered_payload('/ask_skills{"job": "middle-office"}')
    queries.default_repository.cache_clear()


@pytest.mark.parametrize("text", ["/get_started", " /get_started ", "/GET_STARTED", "/start", "/getstarted",
                                  "get_started"])
def test_a_widgets_start_payload_is_the_greeting(text):
    """rasa-webchat's initPayload and the like reach Rasa as the greeting intent, one of the bot's own payloads."""
    greeting = start_payload_as_greeting(text)
    assert greeting == "/greet" and is_offered_payload(greeting)


@pytest.mark.parametrize("text", ["/restart", "/session_start", "start", "/get_started{}", "get started please",
                                  "/ask_missions"])
def test_other_texts_are_not_start_payloads(text):
    assert start_payload_as_greeting(text) == text
