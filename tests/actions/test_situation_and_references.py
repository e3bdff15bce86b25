"""The student's situation told beside a question, and what a short follow-up refers to (actions/questions.py,
actions/planner.py): real Trackers, the real action, the real knowledge base."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import planner
from actions.answer_topic import ActionAnswerTopic
from actions.context import jobs_in_order
from knowledge import queries
from knowledge.text import fold

MO = {"entity": "job", "value": "middle-office"}
BO = {"entity": "job", "value": "back-office"}


def _run(intent: str, text: str, entities: list | None = None, slots: dict | None = None,
         before: list[dict] | None = None):
    """The action on one message, after the events `before`; (messages, slots set)."""
    latest = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "text": text}
    events = [*(before or []), {"event": "user", "text": text, "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    set_events = ActionAnswerTopic().run(dispatcher, Tracker("u", slots or {}, latest, events, False, None, {},
                                                             "action_listen"), {})
    return dispatcher.messages, {e["name"]: e["value"] for e in set_events}


def _answered(bot_text: str, utter: str = "utter_fact_found") -> list[dict]:
    """A turn before: the student asked, the bot answered `bot_text`."""
    return [{"event": "user", "text": "avant", "parse_data": {"intent": {"name": "ask_trainings"}}},
            {"event": "action", "name": "action_answer_topic"},
            {"event": "bot", "text": bot_text, "metadata": {"utter_action": utter}},
            {"event": "action", "name": "action_listen"}]


def test_the_class_the_student_is_in_is_no_word_of_a_fact():
    # "première" is the student's class, not the "1ère expérience" of the job offers
    messages, _ = _run("ask_studies", "Je suis en première STMG, est-ce que je peux devenir gestionnaire de "
                                      "back-office ?", [BO])
    # (then what the sheet gives after the bac: the next step of the path)
    assert [m["response"] for m in messages] == ["utter_fact_yes", "utter_fact_next_step"]
    assert "STMG" in messages[0]["facts"] and "expérience" not in messages[1]["facts"]


def test_a_one_written_for_un_in_sms_is_no_figure():
    assert "1" not in queries.content_terms("c koi 1 gestionaire midle ofice")
    assert "1" not in queries.content_terms("c koi 1 midl ofis")  # the job's name right after it, nothing else
    assert "1" in queries.content_terms("1 220 emplois ?")
    assert "1" in queries.content_terms("le middle office a 1 ?")
    messages, _ = _run("ask_definition", "c koi 1 gestionaire midle ofice", [MO])
    assert [m["response"] for m in messages] == ["utter_answer_definition"]


def test_the_bacs_specialties_after_avec_are_part_of_it():
    reader = queries.claim_reader()
    items = reader.items(fold("je suis en terminale generale avec ses et hggsp. mes specialites ?"))
    assert [i.text for i in items] == ["terminale generale ses hggsp"]
    assert [i.text for i in reader.items(fold("terminale stmg avec ses copines"))] == ["terminale stmg"]
    plan = planner.plan_answer("Je suis en terminale générale avec SES et HGGSP. Mes spécialités sont mentionnées "
                               "pour le back-office ?", "studies", queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [planner.NOT_LISTED]  # never "oui" on the general bac's maths option


def test_how_the_student_studies_told_first_is_no_subject_asked():
    # "en alternance" is how the student studies: the question is whether the BTS is cited
    messages, _ = _run("ask_studies", "Je suis en BTS MCO en alternance, est-ce que mon BTS est cité pour devenir "
                                      "gestionnaire middle-office ?", [MO])
    assert "utter_not_in_any_sheet" not in [m["response"] for m in messages]
    assert all(m.get("topic_label") == "études et diplômes" for m in messages)


def test_the_job_named_first_counts_the_job_the_bot_took_up():
    # "c'est quoi le middle ?", "et pour l'autre ?" (the bot set the back office): "le premier" is the middle office
    before = [{"event": "user", "text": "c'est quoi le middle ?",
               "parse_data": {"intent": {"name": "ask_definition"}, "entities": [MO]}},
              {"event": "slot", "name": "job", "value": "middle-office"},
              {"event": "user", "text": "et pour l'autre ?", "parse_data": {"intent": {"name": "inform_job"}}},
              {"event": "slot", "name": "job", "value": "back-office"}]
    tracker = Tracker("u", {}, {}, before, False, None, {}, "action_listen")
    assert [j.id for j in jobs_in_order(tracker)] == ["middle-office", "back-office"]
    messages, slots = _run("ask_rhythm", "ok et niveau déplacements, pour le premier ?", slots={"job": "back-office"},
                           before=before)
    assert slots["job"] == "middle-office"
    assert "peu fréquents" in messages[0]["facts"] or "peu fréquents" in str(messages[0])


def test_what_is_that_right_after_an_answer_explains_its_word():
    said = ("D'après la fiche du gestionnaire middle-office (formations recommandées) : « MIF 2 (Markets in "
            "Financial Instruments Directive) »\n\n📄 Source : Observatoire des métiers")
    messages, _ = _run("ask_definition", "c'est quoi ça ?", slots={"job": "middle-office", "topic": "trainings"},
                       before=_answered(said))
    assert messages[0]["response"] == "utter_term_defined" and "Markets in Financial" in messages[0]["definition"]


def test_what_is_that_after_an_answer_using_several_words_asks_which():
    said = ("Le gestionnaire middle-office assure le rôle d'intermédiaire entre le front-office et le back-office.\n"
            "Famille métiers : Middle / Back office\n📄 Source : Observatoire")
    messages, _ = _run("ask_definition", "c koi sa ?", slots={"job": "middle-office", "topic": "definition"},
                       before=_answered(said, "utter_answer_definition"))
    assert [m["response"] for m in messages] == ["utter_which_term"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["front-office", "Famille métiers"]
    assert messages[0]["buttons"][0]["payload"] == "c'est quoi front-office ?"


def test_a_word_named_with_what_is_that_is_that_word():
    said = "Famille métiers : Middle / Back office\n📄 Source : Observatoire"
    messages, _ = _run("ask_term", "ça veut dire quoi rncp", slots={"job": "middle-office", "topic": "definition"},
                       before=_answered(said, "utter_answer_definition"))
    assert "utter_which_term" not in [m["response"] for m in messages]
    assert not (messages[0]["response"] == "utter_term_defined" and "famille" in messages[0]["definition"].lower())


def test_a_word_of_the_topic_just_shown_asked_under_a_topic_the_sheet_lacks():
    # the back office's sheet has no figures: "juridique" is a word of its skills, just shown
    messages, slots = _run("ask_figures", "juridique dans quel domaine ?", slots={"job": "back-office",
                                                                                  "topic": "skills"})
    assert "prêts et garanties" in str(messages[0]) and slots["topic"] == "skills"


def test_schools_by_their_name_asked_as_cited_are_not_listed():
    messages, _ = _run("ask_source", "genre l'ESSEC ou HEC, elles sont citées ?", slots={"job": "back-office",
                                                                                        "topic": "studies"})
    assert [m["response"] for m in messages] == ["utter_fact_not_listed"]
    assert "HEC" in messages[0]["item"]


def test_a_job_of_the_student_asked_against_the_list_its_heading_names():
    text = ("ça fait 4 ans que je suis comptable dans une PME, est-ce que mon métier fait partie des métiers d'où on "
            "vient pour aller en middle-office ?")
    plan = planner.plan_answer(text, "careers", queries.resolve_job("middle-office"))
    assert [p.kind for p in plan.parts] == [planner.NOT_LISTED]
    plan = planner.plan_answer("est-ce que contrôleur de gestion fait partie des métiers d'où on vient pour aller "
                               "en middle-office ?", "careers", queries.resolve_job("middle-office"))
    assert [p.kind for p in plan.parts] == [planner.YES]


def test_what_the_job_is_asked_is_its_definition_not_a_colleagues_service():
    plan = planner.plan_answer("Le middle-office, c'est le service commercial en contact direct avec les clients ?",
                               "interlocutors", queries.resolve_job("middle-office"))
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.UNQUALIFIED, planner.DEFINITION_TOPIC)]
    assert not planner.asks_identity("Le reporting du middle office c'est une fois par semaine ?")
    assert planner.asks_identity("le métier de gestionnaire de back office c'est un métier de vente ?")


def test_where_one_comes_from_and_where_one_goes_asked_together_are_both_answered():
    from actions.questions import questions_of

    text = "Le middle office, on y vient de quels métiers, ça mène à quoi ensuite ?"
    asked = [("Le middle office, on y vient de quels métiers,", "ask_careers"), ("ça mène à quoi ensuite ?",
                                                                              "ask_careers")]
    latest = {"intent": {"name": "ask_careers", "confidence": 0.9}, "entities": [MO], "text": text,
              "questions": [{"text": t, "intent": i} for t, i in asked]}
    tracker = Tracker("u", {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {},
                      "action_listen")
    assert questions_of(tracker) == asked


def test_a_quality_said_of_the_job_named_by_a_noun_is_no_skill_yes():
    # "gérer des situations de stress" is a skill: it does not say the job is stressful
    for text in ("Le métier est-il donc particulièrement stressant ?", "Le métier est-il stressant ?"):
        assert planner.asks_identity(text)
        plan = planner.plan_answer(text, "skills", queries.resolve_job("middle-office"))
        assert planner.YES not in [p.kind for p in plan.parts]
    assert not planner.asks_identity("le métier est-il accessible ?")


def test_a_career_direction_the_sheet_never_gives_is_said_so():
    back = queries.resolve_job("back-office")
    if any(f.direction != "to" for f in queries.topic_answer("back-office", "careers").facts):
        return  # (a sheet giving where one comes from: nothing to say is missing)
    for text in ("la fiche indique-t-elle des métiers de provenance ?", "on vient de quels métiers pour faire back "
                                                                        "office ?"):
        assert [p.kind for p in planner.plan_answer(text, "careers", back).parts] == [planner.NOT_IN_SHEET]
    assert [p.kind for p in planner.plan_answer("après le back office on peut évoluer vers quoi ?", "careers",
                                                back).parts] == [planner.TOPIC]


def test_how_many_written_with_an_elided_de_is_a_count():
    vocabulary = queries.vocabulary()
    assert vocabulary.asks_count(fold("combien d'activités principales sont décrites ?"))
    assert not vocabulary.asks_count(fold("en combien d'années ?"))
    plan = planner.plan_answer("Pourriez-vous m'indiquer combien d'activités principales sont décrites pour le "
                               "gestionnaire de back-office ?", "missions", queries.resolve_job("back-office"))
    assert [(p.kind, p.total) for p in plan.parts] == [(planner.COUNT, 6)]


def test_what_is_that_after_a_question_on_a_word_of_the_answer_is_that_word():
    # "le middle office il fait du reporting ?" … "c'est quoi ça ?": the reporting, not a glossary word beside it
    said = ("Oui, d'après la fiche du gestionnaire middle-office : « Il met à jour les données des opérations et "
            "réalise un reporting quotidien pour le front-office et le management. »\n📄 Source : Observatoire")
    before = [{"event": "user", "text": "le middle office il fait du reporting ?",
               "parse_data": {"intent": {"name": "ask_missions"}, "entities": [MO]}},
              {"event": "action", "name": "action_answer_topic"},
              {"event": "bot", "text": said, "metadata": {"utter_action": "utter_fact_yes"}},
              {"event": "action", "name": "action_listen"}]
    messages, _ = _run("ask_definition", "c'est quoi ça ?", slots={"job": "middle-office", "topic": "missions"},
                       before=before)
    assert messages[0]["response"] != "utter_term_defined"
    assert "reporting" in str(messages[0]).lower()


def test_the_first_few_items_of_the_list_shown():
    messages, _ = _run("inform_job", "et les 2 premières ?", slots={"job": "middle-office", "topic": "skills"})
    facts = queries.topic_answer("middle-office", "skills").facts
    assert facts[0].text in messages[0]["facts"] and facts[1].text in messages[0]["facts"]
    assert facts[2].text not in messages[0]["facts"]


@pytest.mark.parametrize("text, rank", [("cite les 3 premières", slice(0, 3)), ("le n°2 ?", slice(1, 2)),
                                        ("et le numéro 3 c koi", slice(2, 3)), ("la dernière", slice(-1, None))])
def test_items_pointed_at_by_rank_are_answered_from_the_list_shown(text, rank):
    messages, _ = _run("ask_item", text, slots={"job": "back-office", "topic": "missions"})
    facts = queries.topic_answer("back-office", "missions").facts
    said = " ".join(str(m.get("facts")) for m in messages)
    assert all(f.text in said for f in facts[rank]) and not all(f.text in said for f in facts), messages


@pytest.mark.parametrize("text", ["et la 2e elle consiste en quoi", "the second one?", "la deuxième ça veut dire quoi"])
def test_what_is_asked_of_an_item_is_no_topic_of_its_own(text):
    # "consiste" is a word of the missions; here it asks about the second quality just shown
    messages, _ = _run("ask_item", text, slots={"job": "back-office", "topic": "qualities"})
    facts = queries.topic_answer("back-office", "qualities").facts
    assert facts[1].text in str(messages[0].get("facts")) and facts[0].text not in str(messages[0].get("facts"))


@pytest.mark.parametrize("text, step", [("et le suivant ?", 1), ("et celle d'après ?", 1), ("la précédente ?", -1)])
def test_the_item_next_to_the_one_just_shown(text, step):
    facts = queries.topic_answer("back-office", "missions").facts
    before = _answered(f"D'après la fiche du gestionnaire de back-office (missions) : « {facts[2].text} »")
    messages, _ = _run("ask_item", text, slots={"job": "back-office", "topic": "missions"}, before=before)
    said = str(messages[0].get("facts"))
    assert facts[2 + step].text in said and facts[2].text not in said, messages


def test_no_rank_after_all_the_topic_ranked_next_is_answered():
    from actions.context import requested_topic

    from .conftest import make_tracker

    tracker = make_tracker("ask_item", text="dernier truc : il y a combien d'emplois ?",
                           slots={"job": "middle-office", "topic": "studies"})
    tracker.latest_message["intent_ranking"] = [{"name": "ask_item", "confidence": 0.43},
                                                {"name": "ask_figures", "confidence": 0.21}]
    assert requested_topic(tracker) == "figures"
    tracker.latest_message["intent_ranking"][1]["confidence"] = 0.05  # a guess of no weight: the topic in context
    assert requested_topic(tracker) == "studies"


def test_a_verb_of_the_question_is_no_word_of_a_fact():
    # "quel rôle joue-t-il dans le contrôle des risques ?": the missions on the risks, not the definition
    plan = planner.plan_answer("Quel rôle joue précisément le gestionnaire middle-office dans le contrôle des "
                               "risques ?", "definition", queries.resolve_job("middle-office"))
    assert plan.parts[0].topic == "missions"
    assert any("veille des risques" in f.text for f in plan.parts[0].facts)


def test_an_outcome_promised_is_said_unsaid_before_the_fact():
    messages, _ = _run("ask_studies", "Le BTS Banque lui garantirait-il donc un poste de gestionnaire de back-office ?",
                       [BO])
    assert [m["response"] for m in messages] == ["utter_fact_unqualified"]
    assert "BTS Banque" in messages[0]["facts"]


def test_whether_a_list_is_complete_is_what_the_sheet_says_of_it():
    open_groups = [f.group for f in queries.topic_answer("middle-office", "studies").facts
                   if f.group and "non exhaustive" in fold(f.group)]
    messages, _ = _run("ask_term", "c'est une liste complète ?", slots={"job": "middle-office", "topic": "studies"})
    assert [m["response"] for m in messages] == ["utter_list_open" if open_groups else "utter_list_complete_unsaid"]
    messages, _ = _run("ask_term", "c'est tout ?", slots={"job": "back-office", "topic": "qualities"})
    assert [m["response"] for m in messages] == ["utter_list_complete_unsaid"]
    for fact in queries.topic_answer("back-office", "qualities").facts:
        assert fact.text in messages[0]["facts"]


def test_this_diploma_asked_as_cited_once_the_student_told_theirs_is_checked_against_the_studies():
    told = "Bonsoir, mon fils termine un BTS Comptabilité et gestion. Il aimerait devenir gestionnaire middle-office."
    before = [{"event": "user", "text": told, "parse_data": {"intent": {"name": "ask_missions"}, "entities": [MO]}},
              {"event": "slot", "name": "job", "value": "middle-office"}]
    messages, _ = _run("ask_source", "Cette formation figure-t-elle dans la fiche ?",
                       slots={"job": "middle-office", "topic": "missions", "profile": "bts comptabilite et gestion"},
                       before=before)
    assert messages[0]["response"] != "utter_answer_source"
    assert messages[0]["topic_label"] == "études et diplômes" and "comptabilit" in fold(messages[0]["item"])


def test_the_level_asked_alone_right_after_the_studies_is_theirs():
    messages, slots = _run("ask_skills", "Pourriez-vous préciser le niveau attendu ?",
                           slots={"job": "middle-office", "topic": "studies"})
    assert slots["topic"] == "studies" and "Niveau 5" in str(messages[0])
    messages, slots = _run("ask_skills", "quel niveau d'anglais ?", slots={"job": "middle-office", "topic": "studies"})
    assert slots["topic"] == "skills"


def test_higher_education_named_as_formations_points_to_the_studies():
    from actions.questions import hinted_topic_intent

    assert hinted_topic_intent("Quelles formations supérieures sont indiquées ensuite dans cette fiche ?") == \
        "ask_studies"


def test_which_of_the_two_does_a_thing_is_no_ranking_refused():
    from actions.compare_jobs import ranks_on_a_scale

    assert not ranks_on_a_scale("lequel des deux traite les réclamations des clients ?")
    assert ranks_on_a_scale("lequel demande le plus d'anglais ?")
    messages, _ = _run("compare_jobs", "lequel des deux traite les réclamations des clients ?")
    assert "utter_compare_no_ranking" not in [m["response"] for m in messages]
    assert "réclamations" in str(messages)


def test_regarding_said_before_the_question_is_no_word_of_a_fact():
    assert queries.content_terms("ok et en terme d'études ?") == queries.content_terms("ok et d'études ?")
    messages, _ = _run("ask_studies", "ok et en terme d'études ?", slots={"job": "back-office", "topic": "definition"})
    assert messages[0]["response"] == "utter_answer_studies"


def test_the_site_of_the_sheet_is_its_source_not_the_link_of_the_diploma_just_asked():
    messages, _ = _run("ask_source", "d'accord, et le site de la fiche back office c'est lequel ?", [BO],
                       slots={"job": "back-office", "topic": "studies", "question": "il y a des codes RNCP ?"})
    assert messages[0]["response"] == "utter_answer_source"


def test_which_item_of_the_list_shown_asked_as_out_of_scope_is_answered_from_it():
    from actions.fallback import ActionHandleFallback

    text = "Pourriez-vous préciser laquelle est spécifique au métier ?"
    latest = {"intent": {"name": "out_of_scope", "confidence": 0.5}, "entities": [], "text": text,
              "intent_ranking": [{"name": "out_of_scope", "confidence": 0.5}]}
    tracker = Tracker("u", {"job": "middle-office", "topic": "trainings"}, latest,
                      [{"event": "user", "text": text, "parse_data": latest}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_fact_found"]
    assert "MIF 2" in dispatcher.messages[0]["facts"]
    # "lequel demande de l'anglais ?" with one job in context still sets the two jobs side by side
    messages, _ = _run("compare_jobs", "lequel demande de l'anglais ?", slots={"job": "back-office",
                                                                               "topic": "definition"})
    assert messages[0]["response"].startswith("utter_compare")


@pytest.mark.parametrize("text, decided", [("et lotre ?", "inform_job"), ("et la 2eme ?", "ask_item")])
def test_between_an_item_by_its_rank_and_another_intent_the_rank_decides(text, decided):
    from actions.fallback import decided_intent

    from .conftest import make_tracker

    tracker = make_tracker("nlu_fallback", text=text, slots={"job": "middle-office", "topic": "skills"})
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_item", "confidence": 0.41},
                                                {"name": "inform_job", "confidence": 0.39}]
    assert decided_intent(tracker) == decided


def test_two_questions_read_as_a_job_alone_on_the_whole_are_both_answered():
    # the NLU read the whole message as a job alone; each question says its own thing: both answered
    first, second = "Le back-office est-il un métier de provenance pour le middle-office,", \
        "et quelles activités principales vais-je découvrir ?"
    text = f"{first} {second}"
    latest = {"intent": {"name": "inform_job", "confidence": 0.5}, "text": text,
              "entities": [{"entity": "job", "value": "back-office"}, {"entity": "job", "value": "middle-office"}],
              "questions": [{"text": first, "intent": "inform_job"}, {"text": second, "intent": "ask_missions"}],
              "context": []}
    dispatcher = CollectingDispatcher()
    ActionAnswerTopic().run(dispatcher, Tracker("u", {}, latest, [{"event": "user", "text": text,
                                                                   "parse_data": latest}], False, None, {},
                                                "action_listen"), {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert "utter_fact_yes" in responses and "utter_answer_missions" in responses, responses


@pytest.mark.parametrize("text, kind", [("les déplacements sont rares en middle office ?", planner.YES),
                                        ("les déplacements sont fréquents au middle ?", planner.LESS_OFTEN)])
def test_rare_is_what_the_sheet_says_as_peu_frequent(text, kind):
    plan = planner.plan_answer(text, "rhythm", queries.resolve_job("middle-office"))
    assert plan.parts[0].kind == kind and "peu fréquents" in plan.parts[0].facts[0].text
