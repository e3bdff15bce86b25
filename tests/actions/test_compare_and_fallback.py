"""action_compare_jobs and action_handle_fallback."""
from __future__ import annotations

import pytest

from actions.compare_jobs import ActionCompareJobs
from actions.fallback import ActionHandleFallback
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize("text,slots,topic,expected", [
    ("quelle difference entre le middle et le back ?", {}, "missions", ["valorisation", "monétiques"]),
    ("compare leurs compétences", {}, "skills", ["tableau de bord", "applicatifs de gestion"]),
    ("et entre les deux ?", {"topic": "studies"}, "studies", ["Master - Finance", "BTS Banque"]),
])
def test_compare(dispatcher, text, slots, topic, expected):
    events = ActionCompareJobs().run(dispatcher, make_tracker("compare_jobs", text=text, slots=slots), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_compare"
    assert all(word in message["facts"] for word in expected)
    assert "Gestionnaire middle-office" in message["facts"] and "Gestionnaire de back-office" in message["facts"]
    assert events[0]["value"] == topic


def test_compare_topic_one_sheet_lacks(dispatcher):
    ActionCompareJobs().run(dispatcher, make_tracker("compare_jobs", text="et les horaires ?"), {})
    facts = dispatcher.messages[0]["facts"]
    assert "horaires peuvent varier" in facts and "ne donne pas d'information" in facts


def test_compare_salary_says_no_sheet_gives_it(dispatcher):
    ActionCompareJobs().run(dispatcher, make_tracker("compare_jobs", text="qui gagne le plus, salaire ?"), {})
    assert dispatcher.messages[0]["response"] == "utter_not_in_any_sheet"


def test_first_fallback_says_scope(dispatcher):
    ActionHandleFallback().run(dispatcher, make_tracker("nlu_fallback", previous_intents=["greet"]), {})
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


def test_second_fallback_in_a_row_offers_topic_buttons(dispatcher):
    ActionHandleFallback().run(dispatcher, make_tracker("nlu_fallback", previous_intents=["out_of_scope"]), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_fallback_topics"
    assert len(message["buttons"]) >= 4 and any(b["payload"].startswith("/ask_") for b in message["buttons"])


def test_other_job_out_of_scope_says_known_jobs(dispatcher):
    tracker = make_tracker("out_of_scope", [{"entity": "other_job", "value": "infirmière"}])
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_unknown_job"


def test_unsure_question_about_a_known_job_offers_likely_topics(dispatcher):
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}])
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_missions", "confidence": 0.28},
        {"name": "greet", "confidence": 0.2}, {"name": "ask_skills", "confidence": 0.1}]
    events = ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_topic"
    assert [b["payload"] for b in message["buttons"]] == ['/ask_missions{"job": "back-office"}',
                                                          '/ask_skills{"job": "back-office"}']
    assert events[0]["value"] == "back-office"
