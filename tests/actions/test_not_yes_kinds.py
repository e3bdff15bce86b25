"""Closed questions whose true answer is not "oui", by kind, generated from the knowledge base where they can be.

Each kind was answered "Oui, d'après la fiche…" with a fact that does not say it: two things asked to be one ("X et
Y, c'est le même métier ?"), one item asked to be all ("c'est juste rigueur et organisation ?"), a job named only as
what the job in context is compared with ("comme le back ?"), the jobs ranked ("qui a le plus de …, le middle ou le
back ?"), one sheet named as the source ("la fiche du back dit que … ?"), the student's own job told before and the
direction asked ("mon métier mène au back-office ?"), an action the fact gives to someone else ("vendues par …"),
and the student's own diploma asked among a list ("ma filière est dans les bacs que la fiche indique ?").
"""
from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import planner
from actions.answer_topic import ActionAnswerTopic
from common.wording import response_text
from knowledge import queries
from knowledge.text import fold
from tests.actions.conftest import make_tracker


def _run(tracker: Tracker) -> str:
    dispatcher = CollectingDispatcher()
    ActionAnswerTopic().run(dispatcher, tracker, {})
    texts = []
    for message in dispatcher.messages:
        values = {**queries.jobs_wording(),
                  **{k: v for k, v in message.items() if k not in ("response", "buttons", "template")}}
        texts.append(response_text(message["response"], **values) if message.get("response") else
                     message.get("text") or "")
    return fold(" ".join(texts))


def reply(intent: str, text: str, jobs: list[str] = (), slots: dict[str, Any] | None = None) -> str:
    return _run(make_tracker(intent, [{"entity": "job", "value": j} for j in jobs], slots=slots, text=text))


def says_yes(text: str) -> bool:
    return text.lstrip().startswith("oui")


def _careers(job_id: str, direction: str) -> list[str]:
    return [f.text for f in queries.topic_answer(job_id, "careers").facts if f.direction == direction]


def _alias(job_id: str) -> str:
    return queries.resolve_job(job_id).name.replace("gestionnaire ", "").replace("de ", "")


JOB_IDS = ["back-office", "middle-office"]


@pytest.mark.parametrize("job_id", JOB_IDS)
def test_a_job_asked_to_be_the_same_as_one_of_its_careers_is_no_yes(job_id):
    for item in _careers(job_id, "from") + _careers(job_id, "to") + [
            f.text for f in queries.topic_answer(job_id, "careers").facts if f.direction is None]:
        answer = reply("ask_careers", f"{_alias(job_id)} et {item}, c'est le même métier ?", [job_id])
        assert not says_yes(answer), (item, answer)


@pytest.mark.parametrize("job_id", JOB_IDS)
def test_one_item_of_a_list_asked_as_all_of_it_is_not_only_that(job_id):
    lists = [(t, facts) for t in ("qualities", "missions", "skills")
             if len(facts := queries.topic_answer(job_id, t).facts) > 1]
    assert lists, f"the {job_id} sheet has lists"
    for topic, facts in lists:
        answer = reply(f"ask_{topic}", f"les {topic} du {_alias(job_id)} c'est juste {facts[0].text.lower()} ?",
                       [job_id])
        assert not says_yes(answer) and "pas seulement" in answer, answer
        # "c'est juste ?" alone asks whether it is right, not whether it is all
        assert "pas seulement" not in reply(f"ask_{topic}", f"{facts[0].text.lower()} pour le {_alias(job_id)}, "
                                            "c'est juste ?", [job_id])


def test_a_job_named_after_comme_is_what_the_job_in_context_is_compared_with():
    events = [{"event": "slot", "name": "job", "value": "middle-office"},
              {"event": "user", "text": "il traite les réclamations clients comme le back ?",
               "parse_data": {"intent": {"name": "ask_missions"}}}]
    latest = {"intent": {"name": "ask_missions", "confidence": 0.99}, "text": events[-1]["text"],
              "entities": [{"entity": "job", "value": "back-office"}]}
    tracker = Tracker("t", {"job": "back-office"}, latest, events, False, None, {}, "action_listen")
    answer = _run(tracker)
    assert not says_yes(answer) and "fiche du gestionnaire middle-office ne" in answer, answer


@pytest.mark.parametrize("topic", ["careers", "studies", "skills"])
def test_the_jobs_ranked_get_both_sheets_never_a_yes(topic):
    words = {"careers": "possibilités d'évolution", "studies": "diplômes possibles", "skills": "compétences"}[topic]
    answer = reply(f"ask_{topic}", f"Qui a le plus de {words}, le middle ou le back ?", JOB_IDS)
    assert not says_yes(answer)
    assert "gestionnaire de back-office" in answer and "gestionnaire middle-office" in answer, answer


def test_a_sheet_named_as_the_source_answers_for_itself():
    # the middle office's sheet lists the back office as a job one comes from; the back office's does not list the
    # middle office among its perspectives
    assert "Gestionnaire back-office" in _careers("middle-office", "from")
    answer = reply("ask_careers", "la fiche du back, elle dit qu'on peut aller vers le middle ?", JOB_IDS)
    assert not says_yes(answer), answer
    assert "la fiche du gestionnaire de back-office ne cite pas" in answer and "gestionnaire back-office" in answer
    assert says_yes(reply("ask_careers", "d'après la fiche du middle, on peut venir du back ?", JOB_IDS))


@pytest.mark.parametrize("job_id", JOB_IDS)
def test_the_students_own_job_told_before_is_checked_in_the_direction_asked(job_id):
    """The sentence that tells the job ("Je suis conseiller clientèle.") is the question's background."""
    job = queries.resolve_job(job_id)
    alias = _alias(job_id)

    def kinds(background: str, question: str) -> list[str]:
        plan = planner.plan_answer(question, "careers", job, [], job_named=True, background=background)
        return [part.kind for part in plan.parts]

    for item in [i for i in _careers(job_id, "to") if queries.resolve_job(i) is None]:
        assert kinds(f"Je suis {item.lower()}.", f"La fiche {alias} dit que mon métier mène au {alias} ?") == [
            planner.OTHER_DIRECTION], item
        assert kinds(f"Je suis {item.lower()}.", f"Le {alias} peut mener à mon métier ?") == [planner.YES], item
    for item in _careers(job_id, "from"):
        if queries.resolve_job(item) is None:  # a known job is a move between two sheets
            assert kinds(f"Je suis {item.lower()}.", f"Mon métier peut mener au {alias} ?") == [planner.YES], item


def test_an_action_the_fact_gives_to_someone_else_is_no_yes():
    sold = [f.text for f in queries.topic_answer("back-office", "definition").facts if "vendues par" in fold(f.text)]
    assert sold, "the back office's sheet says who sells the operations it handles"
    for intent in ("ask_definition", "ask_missions"):
        answer = reply(intent, "ok et le back office il vend ?", ["back-office"])
        assert not says_yes(answer), answer
    assert "vendues par" in reply("ask_definition", "ok et le back office il vend ?", ["back-office"])
    assert says_yes(reply("ask_missions", "le back office il contrôle les opérations ?", ["back-office"]))


def test_the_students_own_diploma_asked_among_a_list_is_checked_not_the_list():
    answer = reply("ask_studies", "Du coup ma filière, elle est dans les bacs que la fiche indique ?", ["back-office"],
                   slots={"job": "back-office", "profile": "bac pro metiers du commerce"})
    assert not says_yes(answer) and "ne cite pas" in answer, answer


def test_two_jobs_named_one_as_a_reference_answers_for_the_other_without_its_yes():
    # the middle office's sheet has a daily reporting, the back office's has none
    text = "Est-ce que le back-office fait aussi un reporting tous les jours, comme le middle ?"
    answer = reply("ask_missions", text, ["back-office", "middle-office"])
    assert "oui" not in answer.split(), answer
    assert answer.startswith("la fiche du gestionnaire de back-office ne") and "reporting quotidien" in answer
    # "c'est comme le back ?" asks whether the two are alike: both sheets, side by side
    both = reply("ask_definition", "le middle c'est comme le back ?", ["middle-office", "back-office"])
    assert "gestionnaire de back-office" in both and "gestionnaire middle-office" in both


@pytest.mark.parametrize("job_id", JOB_IDS)
def test_a_job_asked_as_a_career_is_looked_for_among_the_careers_not_in_a_word_of_another_section(job_id):
    # "financier" is a word of the middle office's trainings ("Markets in Financial Instruments"), "directeur" of none
    for asked in ("directeur financier", "trader", "directeur d'agence"):
        answer = reply("ask_careers", f"et devenir {asked} ?", slots={"job": job_id, "topic": "careers"})
        assert not says_yes(answer) and f"ne cite pas « {asked}" in answer, answer
