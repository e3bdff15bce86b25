"""action_answer_topic with real Trackers, a CollectingDispatcher and the real SQLite base."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answer_topic import ActionAnswerTopic
from knowledge import queries
from tests.actions.conftest import make_tracker

JOB = {job: {"entity": "job", "value": job} for job in ("middle-office", "back-office")}

# One fact per topic and job that must be in the answer (exact sheet wording, as curated).
EXPECTED = {
    ("middle-office", "definition"): "intermédiaire entre le front-office",
    ("middle-office", "missions"): "reporting quotidien",
    ("middle-office", "studies"): "Master - Finance (RNCP 32159)",
    ("middle-office", "rhythm"): "Les déplacements sont peu fréquents.",
    ("middle-office", "skills"): "Encadrer une équipe (niveau Maîtrise, technique)",
    ("middle-office", "interlocutors"): "services support des clients",
    ("middle-office", "careers"): "Secrétaire général",
    ("middle-office", "trainings"): "MIF 2 (Markets in Financial Instruments Directive)",
    ("middle-office", "figures"): "1 220 emplois",
    ("back-office", "definition"): "Il enregistre les opérations financières",
    ("back-office", "missions"): "Gérer les outils monétiques",
    ("back-office", "studies"): "BTS Banque",
    ("back-office", "skills"): "Connaissances juridiques de base associées aux prêts et garanties",
    ("back-office", "qualities"): "Rigueur et organisation",
    ("back-office", "interlocutors"): "conseillers de clientèle et chargés d'affaires",
    ("back-office", "careers"): "Responsable d'unité de traitements bancaires",
}


def run(tracker, dispatcher):
    return ActionAnswerTopic().run(dispatcher, tracker, {})


@pytest.mark.parametrize("job_id,topic", list(EXPECTED))
def test_answers_every_topic_with_sheet_facts_source_and_buttons(dispatcher, job_id, topic):
    events = run(make_tracker(f"ask_{topic}", [JOB[job_id]]), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == f"utter_answer_{topic}"
    assert EXPECTED[(job_id, topic)] in message["facts"]
    assert message["source"] in ("Observatoire des métiers des activités des marchés "
                                 "financiers (IDCC 2931)", "La banque, des métiers qui "
                                 "bougent ! — Kit pédagogique des métiers de la banque")
    assert 2 <= len(message["buttons"]) <= 4
    assert SlotSet("job", job_id) in events and SlotSet("topic", topic) in events


@pytest.mark.parametrize("job_id,response,publisher,url", [
    ("middle-office", "utter_answer_source_no_url", "Observatoire des métiers des activités des marchés financiers "
     "(IDCC 2931)", None),
    ("back-office", "utter_answer_source", "La banque, des métiers qui bougent ! — Kit pédagogique des métiers de la "
     "banque", "https://desmetiersquibougent.jinvestislavenir.fr/"),
])
def test_source_answer_names_publisher_and_link(dispatcher, job_id, response, publisher, url):
    run(make_tracker("ask_source", [JOB[job_id]]), dispatcher)
    [message] = dispatcher.messages
    assert (message["response"], message["publisher"], message["url"]) == (response, publisher, url)
    assert message["title"].startswith("Fiche métier") and message["buttons"]


def test_other_jobs_facts_never_leak(dispatcher):
    run(make_tracker("ask_skills", [JOB["back-office"]]), dispatcher)
    assert "tableau de bord" not in dispatcher.messages[0]["facts"]


def test_job_written_any_way_is_resolved(dispatcher):
    run(make_tracker("ask_missions", [{"entity": "job", "value": "midle ofice"}]), dispatcher)
    assert "valorisation" in dispatcher.messages[0]["facts"]


def test_no_job_and_no_context_asks_which_job_with_buttons(dispatcher):
    events = run(make_tracker("ask_skills"), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_job"
    assert [b["payload"] for b in message["buttons"]] == [f'/inform_job{{"job": "{job.id}"}}'
                                                          for job in queries.list_jobs()]
    assert events == [SlotSet("topic", "skills"), SlotSet("question", None)]


def test_no_job_and_a_topic_one_sheet_alone_covers_is_that_sheets_answer(dispatcher):
    # "ya des chiffres sur l'emploi ?": only the middle office's sheet has figures; the other says none, first
    covering = [j for j in queries.list_jobs() if queries.topic_answer(j.id, "figures").found]
    run(make_tracker("ask_figures", text="ya des chiffres sur l'emploi ?"), dispatcher)
    responses = [m["response"] for m in dispatcher.messages]
    if len(covering) != 1:  # (a base whose sheets give figures for several jobs: which one is asked)
        assert responses == ["utter_ask_job"]
        return
    assert responses[-1] == "utter_answer_figures" and "1 220" in dispatcher.messages[-1]["facts"]
    assert responses[:-1] == ["utter_fact_not_cited"] * (len(queries.list_jobs()) - 1)


def test_answer_after_clarification_uses_topic_in_context(dispatcher):
    run(make_tracker("inform_job", [JOB["back-office"]], slots={"topic": "qualities"}), dispatcher)
    assert dispatcher.messages[0]["response"] == "utter_answer_qualities"


def test_followup_other_job_keeps_topic(dispatcher):
    tracker = make_tracker("inform_job", [JOB["back-office"]], slots={"job": "back-office", "topic": "skills"})
    run(tracker, dispatcher)
    assert "applicatifs de gestion" in dispatcher.messages[0]["facts"]


def test_followup_other_topic_keeps_job(dispatcher):
    run(make_tracker("ask_careers", slots={"job": "middle-office", "topic": "definition"}), dispatcher)
    assert "Auditeur" in dispatcher.messages[0]["facts"]


def test_job_alone_without_topic_gives_definition(dispatcher):
    run(make_tracker("inform_job", [JOB["middle-office"]]), dispatcher)
    assert dispatcher.messages[0]["response"] == "utter_answer_definition"


def test_topic_absent_from_sheet_says_so_and_offers_covered_topics(dispatcher):
    run(make_tracker("ask_rhythm", [JOB["back-office"]]), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_not_in_sheet" and message["topic_label"] == "rythme de travail"
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[-1] == "/ask_advisor"  # a person may know what the sheet does not say
    assert payloads[:-1] and all('"back-office"' in p or "middle-office" in p for p in payloads[:-1])
    assert "facts" not in message


def test_absent_topic_with_something_instead(dispatcher):
    run(make_tracker("ask_qualities", [JOB["middle-office"]]), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_not_in_sheet_instead"
    assert "Gérer des situations de stress" in message["facts"] and "Encadrer" not in message["facts"]


@pytest.mark.parametrize("intent", ["ask_salary", "ask_telework"])
def test_topics_no_sheet_covers(dispatcher, intent):
    run(make_tracker(intent, [JOB["back-office"]]), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_not_in_any_sheet" and message["buttons"]


def test_unknown_job_gives_no_facts(dispatcher):
    events = run(make_tracker("ask_skills", [{"entity": "other_job", "value": "trader"}],
                              slots={"job": "middle-office"}), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_unknown_job" and "facts" not in message
    assert not any(e.get("name") == "job" for e in events)


def test_two_jobs_in_one_question_compares(dispatcher):
    run(make_tracker("ask_skills", [JOB["middle-office"], JOB["back-office"]]), dispatcher)
    [message] = dispatcher.messages
    assert message["response"] == "utter_compare"
    assert "tableau de bord" in message["facts"] and "applicatifs de gestion" in message["facts"]


def test_unresolvable_job_slot_is_ignored(dispatcher):
    run(make_tracker("ask_missions", slots={"job": "<script>"}), dispatcher)
    assert dispatcher.messages[0]["response"] == "utter_ask_job"


def test_a_question_read_as_a_job_alone_keeps_its_own_words(default_kb):
    """"le back office demande de parler allemand ?" understood as inform_job: the sheet's silence on German,
    not its definition; "et pour le back ?" still carries the question remembered."""
    from actions.context import asks_more_than_a_job

    assert asks_more_than_a_job("le back office demande de parler allemand ?")
    assert not asks_more_than_a_job("et pour le back ?")
    assert not asks_more_than_a_job("c'est pareil pour le back office ?")
    assert not asks_more_than_a_job("moi c'est le back office qui m'intéresse")


def test_a_question_read_as_a_job_alone_gets_the_honest_gap(dispatcher):
    run(make_tracker("inform_job", [JOB["back-office"]], text="le back office demande de parler allemand ?"),
        dispatcher)
    assert dispatcher.messages[0]["response"] == "utter_fact_not_in_sheet"
