"""A person behind the bot: the student's question sent to the advisors' queue, and an advisor's answer delivered.

Thin: the queue is common/advisor_queue.py (injected; by default the conversations' database of the settings). The
question sent is the student's last real message before the request (a button payload or the request itself is not
a question). The answer arrives as the external intent `EXTERNAL_advisor_answer` (Rasa's `trigger_intent`, called by
the console) carrying the answer's id: only that conversation's own answer is said.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from common.advisor_queue import AdvisorQueue
from common.settings import get_settings

logger = logging.getLogger(__name__)

ASK_INTENT = "ask_advisor"
ANSWER_ENTITY = "advisor_answer"
EXTERNAL_PREFIX = "EXTERNAL: "


def default_queue() -> AdvisorQueue:
    return AdvisorQueue(get_settings().tracker_db_url)


def question_to_send(tracker: Tracker) -> str | None:
    """The student's last real question: the latest message typed, unless it only asks for an advisor, else the
    message before it. Button payloads and external events are not questions."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(users):
        text = event.get("text")
        if not isinstance(text, str) or not text.strip() or text.startswith(("/", EXTERNAL_PREFIX)):
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent == ASK_INTENT:
            continue  # "je veux parler à un conseiller": the question is the one before
        return text
    return None


class _WithQueue(Action, ABC):
    """An action reading the advisors' queue: injected, else the settings' (rasa_sdk builds actions without
    arguments; abstract, so rasa_sdk never registers this base)."""

    def __init__(self, queue: AdvisorQueue | None = None):
        self._queue = queue

    @property
    def queue(self) -> AdvisorQueue:
        if self._queue is None:
            self._queue = default_queue()
        return self._queue

    @abstractmethod
    def name(self) -> str: ...


class ActionAskAdvisor(_WithQueue):
    """Queue the student's question for an advisor; say where the answer will appear."""

    def name(self) -> str:
        return "action_ask_advisor"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        question = question_to_send(tracker)
        if question is None:
            dispatcher.utter_message(response="utter_advisor_need_question")
            return []
        try:
            self.queue.ask(tracker.sender_id, question)
        except SQLAlchemyError:
            logger.exception("The advisors' queue could not store a question.")
            dispatcher.utter_message(response="utter_advisor_unavailable")
            return []
        dispatcher.utter_message(response="utter_advisor_queued", question=question)
        return []


class ActionDeliverAdvisorAnswer(_WithQueue):
    """Say an advisor's answer in the student's conversation (pushed by the console through `trigger_intent`)."""

    def name(self) -> str:
        return "action_deliver_advisor_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        raw = next(iter(tracker.get_latest_entity_values(ANSWER_ENTITY)), None)
        try:
            question = self.queue.get(int(str(raw)))
        except (TypeError, ValueError, SQLAlchemyError):
            question = None
        if question is None or question.answer is None or question.sender_id != tracker.sender_id:
            logger.warning("An advisor's answer could not be delivered (unknown id or another conversation).")
            return []
        dispatcher.utter_message(response="utter_advisor_answer", question=question.question, answer=question.answer,
                                 # socket.io emits a custom message's `data` as the event ({"advisor_answer": id})
                                 json_message={"data": {ANSWER_ENTITY: question.id}})
        return []
