"""Starts each conversation with the names of the jobs the knowledge base holds, for every sentence that names them.

The `known_jobs` and `jobs_count` slots fill `{known_jobs}` / `{jobs_count}` in domain.yml responses (Rasa
fills responses from slots), so a third job needs no wording change. Slots carry over as Rasa's default
session start does (`carry_over_slots_to_new_session: true`).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge import queries

CARRIED_SLOTS = ("job", "topic", "question")


class ActionSessionStart(Action):
    """Rasa's session start, plus the jobs' names."""

    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = [SessionStarted()]
        carry = (domain.get("session_config") or {}).get("carry_over_slots_to_new_session", True)
        if carry:
            events += [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_SLOTS if tracker.get_slot(name) is not None]
        events += [SlotSet(name, value) for name, value in queries.jobs_wording().items()]
        events.append(ActionExecuted("action_listen"))
        return events
