"""Conversations stored in PostgreSQL (TRACKER_DB_URL=postgresql://...): the bot keeps its context across a
Rasa restart, and the operators' tools read and delete them there."""
from __future__ import annotations

import dataclasses

from sqlalchemy import create_engine, text

from ops.conversations import forget, messages_to_review
from common.settings import get_settings
from launch.stack import Stack
from tests.conftest import free_port
from tests.e2e.chat import Chat


def test_conversations_in_postgresql(postgres_url, kb_url, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_DB_URL", kb_url)
    settings = dataclasses.replace(get_settings(), rasa_port=free_port(), actions_port=free_port(),
                                   web_port=free_port(), tracker_db_url=postgres_url)
    stack = Stack(settings, with_web=False, quiet=True)
    try:
        stack.start()
        chat = Chat(settings.rasa_url)
        assert "applicatifs de gestion" in chat.ask("quelles competences pour le back office ?")
        chat.ask("zblorf quaxx")
        stack.stop_one("rasa")
        stack.start_rasa()
        assert "bts banque" in chat.ask("et les etudes ?")
    finally:
        stack.stop()
    with create_engine(postgres_url, future=True).connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": chat.sender}).scalar()
    assert count > 0
    assert any(item.text == "zblorf quaxx" for item in messages_to_review(postgres_url, 0.6))
    assert forget(postgres_url, chat.sender) == count
