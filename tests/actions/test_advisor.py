"""Asking an advisor and delivering the answer (actions/advisor.py): real Trackers, a real SQLite queue."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advisor import ActionAskAdvisor, ActionDeliverAdvisorAnswer
from common.advisor_queue import AdvisorQueue


@pytest.fixture()
def queue(tmp_path) -> AdvisorQueue:
    return AdvisorQueue(f"sqlite:///{tmp_path / 'conversations.sqlite3'}")


def _tracker(messages: list[tuple[str, str]], entities: list | None = None, sender: str = "student-1") -> Tracker:
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}}
              for text, intent in messages]
    latest = {"intent": {"name": messages[-1][1]}, "entities": entities or [], "text": messages[-1][0]}
    events[-1]["parse_data"] = latest
    return Tracker(sender, {}, latest, events, False, None, {}, "action_listen")


def test_the_question_before_the_request_is_queued(queue):
    dispatcher = CollectingDispatcher()
    tracker = _tracker([("c'est payé combien le back office ?", "ask_salary"), ("/ask_advisor", "ask_advisor")])
    ActionAskAdvisor(queue).run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_advisor_queued"
    [waiting] = queue.pending()
    assert waiting.question == "c'est payé combien le back office ?" and waiting.sender_id == "student-1"


def test_a_typed_request_is_not_the_question(queue):
    dispatcher = CollectingDispatcher()
    tracker = _tracker([("et le télétravail ?", "ask_telework"), ("je veux parler à un conseiller", "ask_advisor")])
    ActionAskAdvisor(queue).run(dispatcher, tracker, {})
    assert queue.pending()[0].question == "et le télétravail ?"


def test_without_a_question_the_student_is_asked_to_write_it(queue):
    dispatcher = CollectingDispatcher()
    ActionAskAdvisor(queue).run(dispatcher, _tracker([("je veux parler à un humain", "ask_advisor")]), {})
    assert dispatcher.messages[0]["response"] == "utter_advisor_need_question" and queue.pending() == []


def test_a_broken_queue_says_so(tmp_path):
    dispatcher = CollectingDispatcher()
    broken = AdvisorQueue(f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}")
    ActionAskAdvisor(broken).run(dispatcher, _tracker([("salaire ?", "ask_salary"), ("/ask_advisor", "ask_advisor")]),
                                 {})
    assert dispatcher.messages[0]["response"] == "utter_advisor_unavailable"


def test_the_answer_is_said_in_its_own_conversation_only(queue):
    asked = queue.ask("student-1", "salaire ?")
    queue.answer(asked.id, "Les fiches ne le donnent pas.", "conseil")
    entities = [{"entity": "advisor_answer", "value": str(asked.id)}]
    dispatcher = CollectingDispatcher()
    ActionDeliverAdvisorAnswer(queue).run(dispatcher, _tracker([("EXTERNAL: x", "EXTERNAL_advisor_answer")],
                                                               entities), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_advisor_answer" and message["answer"] == "Les fiches ne le donnent pas."
    assert message["custom"] == {"data": {"advisor_answer": asked.id}}
    other = CollectingDispatcher()
    ActionDeliverAdvisorAnswer(queue).run(other, _tracker([("EXTERNAL: x", "EXTERNAL_advisor_answer")], entities,
                                                          sender="student-2"), {})
    assert other.messages == []
