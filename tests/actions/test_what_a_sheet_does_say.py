"""Where a sheet does not say what is asked, what it does say on the point: its own facts, its own list, the next step
of the path it lays out — and the count, the topic and the job a question names however it is worded.

Real Trackers, a CollectingDispatcher and the real knowledge base built from knowledge/ (tests/conftest.py).
"""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import planner, questions
from actions.answer_topic import ActionAnswerTopic, ActionCompareJobs
from knowledge import queries
from knowledge.text import fold
from tests.actions.conftest import make_tracker

JOB = {"mo": {"entity": "job", "value": "middle-office"}, "bo": {"entity": "job", "value": "back-office"}}


def ask(intent: str, text: str, job: str | None = None, slots: dict | None = None) -> list[dict]:
    dispatcher = CollectingDispatcher()
    ActionAnswerTopic().run(dispatcher, make_tracker(intent, [JOB[job]] if job else [], slots=slots, text=text), {})
    return dispatcher.messages


def job_info(job_id: str) -> queries.JobInfo:
    return next(job for job in queries.list_jobs() if job.id == job_id)


def test_a_frequency_asked_takes_no_share_of_what_the_sheet_says_of_the_rest(default_kb):
    # "tous les jours" is what is claimed, not a word to find: the back office's own "Éventuellement les clients",
    # never the middle office's "chaque jour" fact as if the back office's sheet were silent
    plan = planner.plan_answer("et le back, il voit les clients tous les jours aussi ?", "interlocutors",
                               job_info("back-office"))
    [part] = plan.parts
    assert part.kind not in (planner.YES, planner.YES_TO_NEGATIVE)
    if len(queries.list_jobs()) == 2:  # (a third job's sheet may say "chaque jour … clients" more closely)
        assert part.kind == planner.LESS_OFTEN and part.job.id == "back-office"
        assert [f.text for f in part.facts] == ["Éventuellement les clients, dans les démarches postérieures à la "
                                                "vente"]


def test_without_frequency_leaves_the_rest_of_the_message(default_kb):
    reader = queries.claim_reader()
    rest = reader.without_frequency(fold("il voit les clients tous les jours ?"))
    assert "clients" in rest and "jours" not in rest and not reader.often(rest)


def test_asked_of_both_the_sheet_that_does_not_say_it_shows_its_own_list(dispatcher, default_kb):
    ActionCompareJobs().run(dispatcher, make_tracker("compare_jobs", text="les deux peuvent devenir auditeur ?"), {})
    silent = [m for m in dispatcher.messages if m.get("response") == "utter_fact_not_cited_listed"]
    back = next(m for m in silent if m["job_name"] == "gestionnaire de back-office")
    assert "Responsable d'unité de traitements bancaires" in back["own_facts"]
    assert not any(m.get("response") == "utter_fact_yes" for m in dispatcher.messages)  # one sheet says it only


def test_asked_which_job_the_sheet_that_does_not_say_it_is_only_said_so(dispatcher, default_kb):
    # "le magistère, il est pour le middle ou le back ?": which job — not the other sheet's whole list of studies
    ActionCompareJobs().run(dispatcher, make_tracker(
        "compare_jobs", text="le magistere banque-finance il est pour le middle ou le back"), {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert "utter_fact_not_cited" in responses and "utter_fact_not_cited_listed" not in responses


def test_own_diploma_then_the_next_step_the_sheet_gives(default_kb):
    messages = ask("ask_studies", "J'ai un bac STMG, je peux viser le back-office ?", "bo")
    assert [m["response"] for m in messages] == ["utter_fact_yes", "utter_fact_next_step"]
    assert "STMG" in messages[0]["facts"]
    after = messages[1]["facts"]
    assert after.startswith("Après le bac") and "BTS Banque" in after and "Master" not in after


def test_no_next_step_where_the_sheet_gives_no_heading_after(default_kb):
    plan = planner.Plan([planner.Part(planner.YES, job_info("back-office"), "studies",
                                      queries.topic_answer("back-office", "studies").facts[-1:])])
    assert planner.with_next_step(plan) == plan  # the last heading: nothing follows it


@pytest.mark.parametrize("text", [
    "Combien il y a de perspectives d'évolution en back-office ?",
    "combien y a-t-il d'évolutions possibles pour le back ?",
    "cb ya de perspectives d'evolution pour le bo",
    "combien d evolutions pour le back office",
])
def test_how_many_with_the_verb_between(default_kb, text):
    assert queries.vocabulary().asks_count(fold(text))
    [message] = ask("ask_careers", text, "bo")
    assert message["response"] == "utter_answer_count" and message["count"] == 3


@pytest.mark.parametrize("text", ["il y a combien de temps ?", "combien d'heures par semaine ?"])
def test_a_duration_is_no_count(default_kb, text):
    assert not queries.vocabulary().asks_count(fold(text))


def test_a_kind_only_one_sheet_rates_needs_no_job(default_kb):
    # "compétence comportementale": only the middle office's sheet classes its skills so — answered, never
    # "pour quel métier ?"
    messages = ask("ask_skills", "Une compétence comportementale, c'est quoi par exemple ?")
    answered = [m for m in messages if m.get("response") != "utter_fact_not_cited"]
    assert [m["response"] for m in answered] == ["utter_facts_filtered"]
    assert "Gérer des situations de stress" in answered[0]["facts"]
    assert all(m["job_name"] != "gestionnaire middle-office" for m in messages if m not in answered)


def test_working_with_names_the_interlocutors(default_kb):
    assert queries.topic_of_text("Est-ce que les deux bossent avec des clients ?") == "interlocutors"
    assert queries.topic_of_text("ils travaillent avec qui ?") == "interlocutors"


@pytest.mark.parametrize("text,expected", [
    ("Donne-moi les tâches du middle-office et les formations qu'on lui conseille.",
     ["ask_missions", "ask_trainings"]),
    ("déplacements et anglais en middle ça donne quoi", ["ask_rhythm", "ask_skills"]),
])
def test_two_things_after_a_request(default_kb, text, expected):
    assert [intent for _, intent in questions._two_things(text)] == expected


def test_a_long_first_thing_is_one_question(default_kb):
    assert questions._two_things("les missions quotidiennes du gestionnaire dans une grande banque et ailleurs") == []


def test_after_a_comparison_which_one_compares_again(default_kb):
    # the jobs set side by side by the topic action ("c'est quoi la diff ?" read as a term): "ça va pour lequel ?"
    # is asked of every job, not of the one last named
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("ask_studies", [{"entity": "diploma_kind", "value": "bac pro"}],
                           slots={"job": "back-office", "topic": "missions"}, previous_intents=["ask_term"],
                           text="il est en bac pro gestion-administration, ça va pour lequel ?")
    tracker.events.insert(1, {"event": "action", "name": "action_answer_topic"})
    tracker.events.insert(2, {"event": "bot", "text": "Les deux métiers côté missions",
                              "metadata": {"utter_action": "utter_compare"}})
    ActionAnswerTopic().run(dispatcher, tracker, {})
    named = {m.get("job_name") for m in dispatcher.messages}
    assert {"gestionnaire de back-office", "gestionnaire middle-office"} <= named
    middle = next(m for m in dispatcher.messages if m.get("job_name") == "gestionnaire middle-office")
    assert middle["response"] not in ("utter_fact_yes", "utter_fact_yes_to_negative")


@pytest.mark.parametrize("text,looked_up", [
    ("et le Master Finance du middle office, il est aussi dans la liste du back office ?", "back-office"),
    ("le master du back est-il sur la fiche du middle office", "middle-office"),
    ("le BTS banque est dans la fiche du middle ou du back ?", None),
    ("le BTS banque est dans la fiche du middle ou dans celle du back ?", None),
    ("le BTS banque, c'est pour le middle ou le back ?", None),
])
def test_the_sheet_a_question_names_as_where_to_look(default_kb, text, looked_up):
    job = questions.sheet_looked_up(text)
    assert (job.id if job else None) == looked_up


def test_an_item_of_one_sheet_asked_in_the_others_list_gets_no_yes_from_its_own(default_kb):
    # the middle office's sheet lists "Master - Finance": that is where the item comes from, not what is asked
    messages = ask("ask_studies", "et le Master Finance du middle office, il est aussi dans la liste du back office ?")
    assert messages and all(m.get("job_name") == "gestionnaire de back-office" for m in messages)
    assert all(m["response"] not in ("utter_fact_yes", "utter_fact_yes_to_negative") for m in messages)


def test_a_request_word_naming_the_job_itself_does_not_hide_the_topic_asked(default_kb):
    # "… le salaire …, afin que je puisse le présenter en classe ?" names the salary and, by "présenter", what the job
    # is: not understood by the NLU, it is the salary that is asked
    from actions.fallback import ActionHandleFallback
    text = ("Pourriez-vous m'indiquer le salaire d'un gestionnaire de back-office, afin que je puisse le présenter "
            "en classe ?")
    tracker = make_tracker("nlu_fallback", [JOB["bo"]], text=text)
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_salary", "confidence": 0.38},
                                                {"name": "ask_definition", "confidence": 0.34}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert "salaire" in str(dispatcher.messages[0]) and dispatcher.messages[0]["response"] != "utter_ask_rephrase"


def test_that_of_another_job_asks_the_same_thing(default_kb):
    asked = [("Pourriez-vous m'indiquer le salaire d'un gestionnaire de back-office", "ask_salary"),
             ("et celui d'un gestionnaire middle-office, afin que je puisse le présenter en classe ?",
              "ask_definition")]
    assert [intent for _, intent in questions._same_of_another(asked)] == ["ask_salary", "ask_salary"]
    other = [("quelles missions pour le back ?", "ask_missions"), ("et celles du middle ?", "ask_definition")]
    assert questions._same_of_another(other)[1][1] == "ask_missions"
    unrelated = [("quelles missions pour le back ?", "ask_missions"), ("et quelles études ?", "ask_studies")]
    assert questions._same_of_another(unrelated) == unrelated


@pytest.mark.parametrize("text", [
    "quelqu'un du middle-office qui devient contrôleur de gestion, c'est prévu ?",
    "Et l'inverse, quelqu'un du middle-office qui devient contrôleur de gestion, c'est prévu ?",
])
def test_a_job_one_comes_from_asked_as_where_one_goes_is_no_yes(default_kb, text):
    # the sheet lists "Contrôleur de gestion" among the jobs one comes FROM: "devient" asks where one goes
    assert queries.career_direction(text) == "to"
    [part] = planner.plan_answer(text, "careers", job_info("middle-office")).parts
    assert part.kind == planner.OTHER_DIRECTION


def test_fully_mastered_at_a_level_checks_the_level_of_the_skill_named(default_kb):
    # "il faut le maîtriser à fond, niveau expertise ?" of a skill the sheet rates "Avancé": lower, not the list of
    # the expertise skills
    [part] = planner.plan_answer("En middle-office, gérer le stress il faut le maîtriser à fond, niveau expertise ?",
                                 "skills", job_info("middle-office")).parts
    assert part.kind == planner.LEVEL_LOWER and [f.text for f in part.facts] == ["Gérer des situations de stress"]


@pytest.mark.parametrize("text", [
    "Middle-office : d'où on vient, où on va ensuite,",
    "on vient d'où pour faire middle et on va où après ?",
])
def test_both_directions_asked_get_the_whole_careers(default_kb, text):
    [part] = planner.plan_answer(text, "careers", job_info("middle-office")).parts
    assert part.kind == planner.TOPIC and part.topic == "careers"


def test_one_direction_asked_gets_that_list(default_kb):
    [part] = planner.plan_answer("ils viennent d'où les gestionnaires middle office ?", "careers",
                                 job_info("middle-office")).parts
    assert part.kind == planner.FACTS and {f.direction for f in part.facts} == {"from"}


@pytest.mark.parametrize("text,topic", [
    ("Pourriez-vous me préciser l'intitulé exact de la certification RNCP 29764 citée dans la fiche middle-office ?",
     "trainings"),
    ("le 29764 c'est quoi", "definition"),
])
def test_a_code_of_the_sheet_names_its_item_whatever_the_topic_read(default_kb, text, topic):
    [part] = planner.plan_answer(text, topic, job_info("middle-office")).parts
    assert part.topic == "studies" and [f.code for f in part.facts] == ["RNCP 29764"]


def test_a_code_checked_against_an_item_named_is_no_lookup(default_kb):
    # "la licence pro …, c'est la fiche RNCP 35007 ?": the licence named is what is asked, not the item coded 35007
    [part] = planner.plan_answer("La licence pro Assurance, banque, finance : supports opérationnels, c'est la fiche "
                                 "RNCP 35007 ?", "studies", job_info("middle-office")).parts
    assert all("35007" not in (f.code or "") for f in part.facts)


@pytest.mark.parametrize("text,parts", [
    ("le middle office ça voyage beaucoup et ça bosse tard ?", ["le middle office ça voyage beaucoup",
                                                                 "ça bosse tard ?"]),
    ("en back office on fait de la compta et on parle anglais ?", ["en back office on fait de la compta",
                                                                    "on parle anglais ?"]),
    ("Le back-office traite les réclamations des clients et c'est lui qui décide de les rembourser ?", None),
    ("le back et le middle ils font quoi ?", None),
])
def test_two_clauses_each_with_its_subject_are_two_questions(default_kb, text, parts):
    split = questions._two_claims(text, "ask_missions")
    assert [t for t, _ in split] == (parts or [])


def test_where_one_comes_from_asked_formally_with_where_one_goes(default_kb):
    text = ("Madame, Monsieur, je souhaiterais connaître les métiers vers lesquels un gestionnaire middle-office peut "
            "évoluer, ainsi que ceux dont il provient.")
    [part] = planner.plan_answer(text, "careers", job_info("middle-office")).parts
    assert part.kind == planner.TOPIC


def test_a_time_in_the_students_future_is_no_figure_of_a_sheet(default_kb):
    found = queries.find_facts("je peux finir où dans 10 ans ?", ("middle-office",))
    assert all("10 ans" not in f.fact.text for f in found if f.coverage >= planner.STRONG)


def test_a_job_alone_after_an_acknowledgement_asks_the_remembered_question(default_kb):
    dispatcher = CollectingDispatcher()
    remembered = "le back office a besoin de connaissances en droit ?"
    tracker = make_tracker("inform_job", [JOB["mo"]], text="ok. et le middle office, lui ?",
                           slots={"job": "back-office", "topic": "skills", "question": remembered})
    tracker.latest_message["questions"] = [{"text": "et le middle office, lui ?", "intent": "inform_job"}]
    tracker.latest_message["context"] = ["ok."]
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] != "utter_answer_skills"  # not the whole list: the question asked
    assert dispatcher.messages[0]["job_name"] == "gestionnaire middle-office"


def test_why_keeps_the_question_it_was_asked_about(default_kb):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("ask_definition", slots={"job": "middle-office", "topic": "skills",
                                                    "question": "le middle office c'est stressant ?"},
                           text="pourquoi ?", previous_intents=["ask_definition"])
    events = ActionAnswerTopic().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_why_follow_up"
    assert {e["name"]: e["value"] for e in events}["question"] == "le middle office c'est stressant ?"


def test_a_closed_question_the_asked_sheet_says_in_part_shows_its_own_fact(default_kb):
    # the middle office's sheet says "Utiliser l'anglais"; the back office's "Maîtrise de l'anglais": never "la fiche
    # du back-office ne le cite pas"
    [part] = planner.plan_answer("est ce que le back office utilise l'anglais", "skills", job_info("back-office")).parts
    assert part.kind == planner.UNQUALIFIED and [f.text for f in part.facts] == ["Maîtrise de l'anglais"]


def test_one_common_word_of_the_asked_sheet_does_not_hide_where_it_is_said(default_kb):
    # "les réclamations clients, c'est le middle ?": "clients" alone is no answer of the middle office's sheet
    [part] = planner.plan_answer("et les réclamations clients c'est le middle ?", "missions",
                                 job_info("middle-office")).parts
    assert part.kind in (planner.NO_OTHER_JOB, planner.SILENT_OTHER_JOB, planner.ELSEWHERE_ONLY)


def test_levels_of_study_not_understood_are_the_studies(default_kb):
    from actions.fallback import _named_intent
    tracker = make_tracker("nlu_fallback", slots={"job": "middle-office", "topic": "studies"},
                           text="Quels niveaux de formation y sont alors indiqués ?")
    assert _named_intent(tracker) == "ask_studies"


def test_more_of_another_topic_than_the_one_shown_is_that_topic(default_kb):
    # "et y a d'autres formations conseillées ?" right after the missions: the trainings, not "is the list of missions
    # complete"
    messages = ask("ask_trainings", "et y a d'autres formations conseillées ?",
                   slots={"job": "middle-office", "topic": "missions"})
    assert messages[0]["response"] == "utter_answer_trainings"


def test_a_topic_read_that_says_nothing_of_it_gives_way_to_the_topic_shown(default_kb):
    # "équipes" read as the interlocutors right after the hours: the rhythm's "les équipes … plages horaires"
    messages = ask("ask_interlocutors", "et y a des équipes qui bossent en décalé ?",
                   slots={"job": "middle-office", "topic": "rhythm", "question": "le middle office il bosse tard ?"})
    assert "plages horaires" in str(messages[0])


def test_two_jobs_joined_in_one_subject_are_not_two_questions(default_kb):
    from knowledge.sentences import sentences
    parts = sentences("Est-ce que les fiches du middle-office et du back-office parlent de l'anglais, et à quel "
                      "niveau ? Merci d'avance pour votre réponse.")
    assert [p.text for p in parts if p.question] == [
        "Est-ce que les fiches du middle-office et du back-office parlent de l'anglais,", "et à quel niveau ?"]
    assert [p.text for p in sentences("c'est quoi le BO et il faut quel niveau ?")] == [
        "c'est quoi le BO", "et il faut quel niveau ?"]


def test_the_sheets_named_apart_from_their_verb_ask_what_they_say(default_kb):
    # "les fiches du middle et du back parlent-elles de l'anglais ?" read as the sources: the skills
    assert questions.topic_asked_instead("Est-ce que les fiches du middle-office et du back-office parlent de "
                                         "l'anglais") == "ask_skills"


def test_a_job_a_role_is_placed_against_is_not_the_subject(default_kb):
    from actions.context import subject_jobs
    text = "Pourriez-vous m'expliquer le rôle du middle-office par rapport au front-office et au back-office ?"
    assert [job.id for job in subject_jobs(text, list(queries.jobs_in_text(text)))] == ["middle-office"]


def test_an_open_follow_up_only_the_topic_shown_answers_goes_on_with_it(default_kb):
    # "ça peut changer selon quoi ?" right after the travels, read as the careers: the rhythm's "peuvent varier"
    messages = ask("ask_careers", "ça peut changer selon quoi ?",
                   slots={"job": "middle-office", "topic": "rhythm", "question": "il se déplace souvent ?"})
    assert "varier" in str(messages[0]) and "Auditeur" not in str(messages[0])


def test_a_closed_follow_up_keeps_the_topic_read(default_kb):
    # "donc il devient chef direct ?" right after a skill: never a "oui" on "Encadrer une équipe"
    messages = ask("ask_careers", "donc il devient chef direct ?",
                   slots={"job": "middle-office", "topic": "skills", "question": "encadrer une équipe c quel niveau ?"})
    assert all(m["response"] not in ("utter_fact_yes", "utter_fact_yes_to_negative") for m in messages)


@pytest.mark.parametrize("text,intents", [
    ("et sinon les perspectives du back office + d'où on vient pour aller en middle office", ["ask_careers", "ask_x"]),
    ("missions + études du back", ["ask_missions", "ask_studies"]),
    ("il faut un bac + 5 ?", []),
    ("c bac + 3 minimum pour le middle ?", []),
    ("un Prépa et école d'ingénieur + spécialisation gestion comptable et financière ça mène au back-office ?", []),
])
def test_two_things_joined_by_a_plus(default_kb, text, intents):
    assert [intent for _, intent in questions._plus_joined(text, "ask_x")] == intents


@pytest.mark.parametrize("text", ["Et ses horaires, sont-ils très variables ?", "les horaires sont irréguliers ?",
                                  "ses horaires sont imprévisibles ?"])
def test_hours_asked_variable_get_no_yes_from_hours_that_stay_stable(default_kb, text):
    """"les horaires peuvent varier, mais ils restent assez stables": no "oui" to hours claimed very variable or
    irregular — the fact is shown as it is."""
    middle = queries.resolve_job("middle-office")
    plan = planner.plan_answer(text, "rhythm", middle)
    assert plan.parts and all(part.kind != planner.YES for part in plan.parts), plan.parts
    assert any("assez stables" in fact.text for part in plan.parts for fact in part.facts), plan.parts
    [yes] = planner.plan_answer("ses horaires restent stables ?", "rhythm", middle).parts  # the fact's own word
    assert yes.kind == planner.YES
