"""Conversations stored in PostgreSQL (TRACKER_DB_URL=postgresql://...): the bot keeps its context across a
Rasa restart, the operators' tools read and delete them there, and a conversation forgotten while the server
keeps it in memory is not written back."""
from __future__ import annotations

import dataclasses

from common.settings import get_settings
from launch.stack import Stack
from ops.conversations import forget, messages_to_review
from tests.conftest import free_port
from tests.e2e.chat import Chat, stored_events


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
        count = len(stored_events(postgres_url, chat.sender))
        assert count > 0
        assert any(item.text == "zblorf quaxx" for item in messages_to_review(postgres_url, 0.6))
        # forgotten while the server keeps this conversation in memory (bot/tracker_store.py): the next message
        # starts a new conversation, and nothing of the forgotten one is written back
        assert forget(postgres_url, chat.sender) == count
        chat.ask("et les etudes ?")
        after = stored_events(postgres_url, chat.sender)
        assert after and [data.get("text") for kind, data in after if kind == "user"] == ["et les etudes ?"]
        assert not any(kind == "slot" and data.get("name") == "job" and data.get("value") for kind, data in after)
    finally:
        stack.stop()
    assert forget(postgres_url, chat.sender) == len(after)
