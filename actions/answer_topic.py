"""The Rasa actions that answer questions: about one job, both jobs, a term of the sheets.

Thin: actions/questions.py routes each question of the message; the planner says what to answer; actions/dispatch.py
says it with the domain's responses."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.compare_jobs import compare_on_button
from actions.questions import answer_all


class ActionAnswerTopic(Action):
    """Answer the asked (or remembered) question for the named (or remembered) job; each question of a message."""

    def name(self) -> str:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        return answer_all(dispatcher, tracker)


class ActionCompareJobs(Action):
    """Compare the jobs on the point or topic the message names, else the one in context, else their missions."""

    def name(self) -> str:
        return "action_compare_jobs"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):  # a button: the remembered topic side by side
            remembered = tracker.get_slot("topic")
            topic = compare_on_button(dispatcher, remembered if isinstance(remembered, str) else None)
            return [SlotSet("topic", topic), SlotSet("question", None)]
        return answer_all(dispatcher, tracker)


class ActionAnswerTerm(Action):
    """Answer "ça veut dire quoi X ?" about a word of the sheets (and the other questions of the message)."""

    def name(self) -> str:
        return "action_answer_term"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        return answer_all(dispatcher, tracker)
