"""Builders for real rasa_sdk Trackers and a CollectingDispatcher, against the real test knowledge base."""
from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(intent: str, entities: list[dict[str, Any]] | None = None, slots: dict[str, Any] | None = None,
                 text: str = "", previous_intents: list[str] | None = None) -> Tracker:
    """A tracker whose latest user message has `intent` and `entities` (e.g. {"entity": "job", "value": "BO"})."""
    entities = entities or []
    latest = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities, "text": text}
    events = [{"event": "user", "text": "", "parse_data": {"intent": {"name": name}}}
              for name in previous_intents or []]
    events.append({"event": "user", "text": text, "parse_data": latest})
    return Tracker("test-user", slots or {}, latest, events, False, None, {}, "action_listen")


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(autouse=True)
def _use_test_kb(default_kb):
    """Actions call the module-level query functions: point them at the test base."""
    yield
