"""Several questions in one message, answered in order (actions/questions.py), with real Trackers and the real base."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_topic import ActionAnswerTopic
from actions.context import asks_same_question
from knowledge import queries
from knowledge.text import fold
from tests.actions.conftest import make_tracker


def _tracker(text: str, questions: list[tuple[str, str]], context: list[str] | None = None,
             entities: list | None = None, slots: dict | None = None) -> Tracker:
    latest = {"intent": {"name": questions[0][1], "confidence": 0.9}, "entities": entities or [], "text": text,
              "questions": [{"text": t, "intent": i} for t, i in questions], "context": context or []}
    return Tracker("test-user", slots or {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False,
                   None, {}, "action_listen")


def _run(tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerTopic().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_two_questions_are_answered_in_order():
    text = "il travaille avec qui le back office ? et les réclamations il en fait quoi ?"
    messages, events = _run(_tracker(text, [("il travaille avec qui le back office ?", "ask_interlocutors"),
                                            ("et les réclamations il en fait quoi ?", "ask_missions")]))
    assert [m["response"] for m in messages] == ["utter_answer_interlocutors", "utter_fact_found"]
    assert "réclamations" in messages[1]["facts"]
    assert {e["name"]: e["value"] for e in events}["job"] == "back-office"
    assert not messages[0]["buttons"] or messages[-1]["buttons"]  # a set of choices under the last answer


def test_each_question_keeps_its_own_topic_and_the_messages_job():
    text = "quelles études pour le middle office ? et combien de compétences ?"
    messages, _ = _run(_tracker(text, [("quelles études pour le middle office ?", "ask_studies"),
                                       ("et combien de compétences ?", "ask_skills")]))
    assert [m["response"] for m in messages] == ["utter_answer_studies", "utter_answer_count"]
    assert messages[1]["count"] == 12 and messages[1]["job_name"] == "gestionnaire middle-office"


def test_the_students_context_sentence_is_read_by_the_gate():
    text = "j'ai un bac pro commerce. je peux faire back office ?"
    messages, _ = _run(_tracker(text, [("je peux faire back office ?", "ask_studies")],
                                context=["j'ai un bac pro commerce."]))
    assert [m["response"] for m in messages] == ["utter_fact_not_listed"]
    assert messages[0]["item"] == "bac pro commerce"


def test_a_greeting_before_one_question_is_left_out():
    text = "Bonjour, je suis parent d'élève. Quelles sont les qualités attendues en back office ?"
    messages, _ = _run(_tracker(text, [("Quelles sont les qualités attendues en back office ?", "ask_qualities")],
                                context=["Bonjour, je suis parent d'élève."]))
    assert [m["response"] for m in messages] == ["utter_answer_qualities"]


def _follow_up(intent: str, text: str, slots: dict, previous_action: str = "action_answer_topic",
               entities: list | None = None):
    latest = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "text": text}
    said = "utter_compare" if previous_action == "action_compare_jobs" else "utter_answer_skills"
    events = [{"event": "user", "text": "avant", "parse_data": {"intent": {"name": "ask_skills"}}},
              {"event": "action", "name": previous_action},
              {"event": "bot", "text": "…", "metadata": {"utter_action": said}},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    slots_events = ActionAnswerTopic().run(dispatcher, Tracker("u", slots, latest, events, False, None, {},
                                                               "action_listen"), {})
    return dispatcher.messages, {e["name"]: e["value"] for e in slots_events}


def test_the_other_job_is_the_one_not_in_context():
    from knowledge import queries

    messages, slots = _follow_up("inform_job", "et pour l'autre métier ?", {"job": "middle-office", "topic": "skills"})
    if len(queries.list_jobs()) == 2:
        assert messages[0]["job_name"] == "gestionnaire de back-office" and slots["job"] == "back-office"
    else:  # with a third job "l'autre" names none: the bot asks which, among the others
        assert messages[0]["response"] == "utter_ask_job"
        assert messages[0]["buttons"] and all("middle-office" not in b["payload"] for b in messages[0]["buttons"])


def test_the_other_job_read_as_a_comparison_is_the_same_question_for_the_other_job():
    """"et l'autre métier ?" scored as compare_jobs: one job (the other), nothing compared — the question before."""
    from knowledge import queries

    if len(queries.list_jobs()) != 2:
        return  # "l'autre" names no job among three (test above)
    before = {"job": "back-office", "topic": "studies", "question": "faut il un master ?"}
    messages, slots = _follow_up("compare_jobs", "et l'autre métier ?", before)
    assert slots["job"] == "middle-office" and slots["topic"] == "studies", slots
    assert messages[0]["job_name"] == "gestionnaire middle-office" and "Master" in str(messages[0]), messages
    assert not str(messages[0]).startswith("Oui")
    # the same words with a topic of their own: that topic, for the other job
    messages, slots = _follow_up("compare_jobs", "et l'autre, niveau qualités ?", before)
    assert slots["job"] == "middle-office" and slots["topic"] != "studies", slots


def test_the_same_question_again_of_the_job_named_whatever_topic_the_nlu_read():
    """"et le middle il fait ça aussi ?" read as a studies question: the last precise question, for the middle
    office (its sheet does not cite the outils monétiques: never a "oui"). Rasa has already set the job slot from
    the message's entity: the job before is the one of the slot events."""
    def ask(text: str):
        latest = {"intent": {"name": "ask_studies", "confidence": 0.9}, "text": text,
                  "entities": [{"entity": "job", "value": "middle"}]}
        events = [{"event": "slot", "name": "job", "value": "back-office"},
                  {"event": "user", "text": "ça veut dire quoi monétique",
                   "parse_data": {"intent": {"name": "ask_term"}}},
                  {"event": "action", "name": "action_answer_term"}, {"event": "action", "name": "action_listen"},
                  {"event": "user", "text": text, "parse_data": latest},
                  {"event": "slot", "name": "job", "value": "middle-office"}]
        slots = {"job": "middle-office", "topic": "missions", "question": "et il gere les outils monétiques c'est ça ?"}
        dispatcher = CollectingDispatcher()
        found = ActionAnswerTopic().run(dispatcher, Tracker("u", slots, latest, events, False, None, {},
                                                            "action_listen"), {})
        return dispatcher.messages, {e["name"]: e["value"] for e in found}

    messages, slots = ask("et le middle il fait ça aussi ?")
    assert slots["job"] == "middle-office" and slots["topic"] == "missions", slots
    assert messages and not str(messages[0]).startswith("Oui") and "Études" not in str(messages[0]), messages
    messages, slots = ask("et le middle il faut quelles études aussi ?")  # a topic of its own: that topic
    assert slots["topic"] == "studies", slots


def _after_the_titles(intent: str, text: str, entity: str, job: str):
    """The action's answer to `text` (read as `intent`, naming `entity`) right after "back office il fait quoi avec
    les titres" (the back office's missions); Rasa has already set the job slot to `job`."""
    latest = {"intent": {"name": intent, "confidence": 0.6}, "text": text,
              "entities": [{"entity": "job", "value": entity}]}
    question = "back office il fait quoi avec les titres"
    events = [{"event": "slot", "name": "job", "value": "back-office"},
              {"event": "user", "text": question, "parse_data": {"intent": {"name": "ask_missions"}}},
              {"event": "action", "name": "action_answer_topic"}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest},
              {"event": "slot", "name": "job", "value": job}]
    slots = {"job": job, "topic": "missions", "question": question}
    dispatcher = CollectingDispatcher()
    found = ActionAnswerTopic().run(dispatcher, Tracker("u", slots, latest, events, False, None, {}, "action_listen"),
                                    {})
    return dispatcher, found


def test_the_other_job_put_forward_is_the_same_question_not_the_source():
    """"c'est pas le middle qui fait ça ?" (read as a question about the source) after the back office's titles: the
    same question for the middle office, whose sheet names no titles: said so, with the back office's fact."""
    dispatcher, found = _after_the_titles("ask_source", "c'est pas le middle qui fait ça ?", "middle",
                                          "middle-office")
    assert {e["name"]: e["value"] for e in found}["topic"] == "missions"
    first = dispatcher.messages[0]
    assert first["response"] == "utter_fact_elsewhere_only", first
    assert first["other_job_name"].endswith("back-office") and "titres" in first["facts"], first


def test_a_job_named_with_a_topic_word_is_that_topic_not_the_one_before():
    """"ok parle-moi du back office alors" read as a job alone (inform_job): its own topic (the definition)."""
    latest = [{"entity": "job", "value": "back-office"}]
    messages, slots = _follow_up("inform_job", "ok parle moi du back office alors",
                                 {"job": "middle-office", "topic": "studies"}, entities=latest)
    assert slots["topic"] == "definition" and slots["job"] == "back-office", slots
    messages, slots = _follow_up("inform_job", "et le back office ?", {"job": "middle-office", "topic": "studies"},
                                 entities=latest)
    assert slots["topic"] == "studies" and slots["job"] == "back-office", slots


def test_a_topic_named_after_niveau_switches_topic():
    question = "quel niveau d'anglais au middle office ?"
    messages, slots = _follow_up("ask_qualities", "et niveau qualités ?",
                                 {"job": "back-office", "topic": "skills", "question": question})
    assert messages[0]["response"] == "utter_answer_qualities" and slots["topic"] == "qualities"


def test_right_after_a_comparison_the_next_topic_is_compared_too():
    messages, slots = _follow_up("ask_studies", "et les études ?", {"job": "back-office", "topic": "skills"},
                                 previous_action="action_compare_jobs")
    assert messages[0]["response"] == "utter_compare" and slots["topic"] == "studies"


def test_right_after_a_comparison_the_nlu_s_topic_beats_a_keyword():
    """"et après le bac je fais quoi pour y aller ?" read as the studies: compared on the studies, not on the careers
    that "après" would suggest."""
    messages, slots = _follow_up("ask_studies", "et après le bac je fais quoi pour y aller ?",
                                 {"job": "back-office", "topic": "studies"}, previous_action="action_compare_jobs")
    assert slots["topic"] == "studies", (messages, slots)
    assert "utter_answer_careers" not in {m["response"] for m in messages}, messages


def test_which_of_the_two_ranks_compares_even_with_a_job_in_context():
    messages, _ = _follow_up("ask_interlocutors", "du coup lequel est le plus en contact avec le client ?",
                             {"job": "back-office", "topic": "definition"})
    assert messages[0]["response"] == "utter_compare_no_ranking", messages


def _two_jobs(text: str, order: tuple[str, str]):
    entities = [{"entity": "job", "value": job} for job in order]
    latest = {"intent": {"name": "ask_careers", "confidence": 0.9}, "entities": entities, "text": text}
    dispatcher = CollectingDispatcher()
    ActionAnswerTopic().run(dispatcher, Tracker("u", {}, latest, [{"event": "user", "text": text,
                                                                     "parse_data": latest}], False, None, {},
                                                "action_listen"), {})
    return dispatcher.messages


def test_a_move_between_the_two_jobs_is_read_in_both_sheets():
    [message] = _two_jobs("on peut passer du back au middle ?", ("back-office", "middle-office"))
    assert message["response"] == "utter_fact_yes" and "vers ce métier" in message["where"]
    [message] = _two_jobs("le middle, on peut y arriver depuis le back ?", ("middle-office", "back-office"))
    assert message["response"] == "utter_fact_yes" and "vers ce métier" in message["where"]
    [message] = _two_jobs("un gestionnaire middle office peut ensuite aller au back office ?",
                          ("middle-office", "back-office"))
    assert message["response"] == "utter_fact_yes" and "depuis ce métier" in message["where"]


def test_everyday_subjects_no_sheet_covers_get_the_honest_gap():
    for text, label in [("faut avoir quel âge pour bosser au back office ?", "âge"),
                        ("dans quelles villes on trouve des postes de middle office ?", "lieux de travail")]:
        [message] = _run(_tracker(text, [(text, "ask_figures")]))[0]
        assert message["response"] == "utter_not_in_any_sheet" and message["topic_label"] == label


def test_a_subject_named_in_the_context_sentence_is_not_the_question():
    text = ("Ma fille s'intéresse au back-office depuis un stage d'observation. Il gère les dossiers de succession "
            "des clients ?")
    tracker = _tracker(text, [("Il gère les dossiers de succession des clients ?", "ask_missions")],
                       context=["Ma fille s'intéresse au back-office depuis un stage d'observation."],
                       entities=[{"entity": "job", "value": "back-office"}])
    [message] = _run(tracker)[0]
    assert message["response"] == "utter_fact_yes" and "succession" in message["facts"]


def test_the_shares_are_asked_of_the_key_figures_which_say_they_are_not_given():
    text = "et en pourcentage ça donne quoi pour le middle office ?"
    [message] = _run(_tracker(text, [(text, "ask_figures")]))[0]
    # the shares asked are said missing first, then the key figures, whose headings say the sheet gives no shares
    assert message["response"] == "utter_fact_value_unsaid" and message["item"] == "proportions", message
    assert "ne donne pas leurs parts" in message["facts"] and "1 220" in message["facts"], message


def test_a_question_about_what_the_sheet_contains_is_about_that_topic_not_the_source():
    text = "La fiche du back-office contient-elle une liste de qualités ?"
    [message] = _run(_tracker(text, [(text, "ask_source")], entities=[{"entity": "job", "value": "back-office"}]))[0]
    assert message["response"] != "utter_answer_source" and "Rigueur" in str(message)
    text = "d'où viennent les informations de la fiche du back-office ?"
    [message] = _run(_tracker(text, [(text, "ask_source")], entities=[{"entity": "job", "value": "back-office"}]))[0]
    assert message["response"] == "utter_answer_source"


def test_a_subject_word_beside_a_fact_is_answered_with_the_fact():
    text = "en stage on traite les réclamations clients au back office ?"
    [message] = _run(_tracker(text, [(text, "ask_missions")]))[0]
    assert message["response"] != "utter_not_in_any_sheet" and "réclamations" in message["facts"]


def test_a_second_question_on_careers_keeps_the_messages_job():
    text = "avec qui travaille le back office et vers quels métiers il peut évoluer ?"
    messages, _ = _run(_tracker(text, [("avec qui travaille le back office", "ask_interlocutors"),
                                       ("et vers quels métiers il peut évoluer ?", "ask_careers")]))
    assert [m["response"] for m in messages] == ["utter_answer_interlocutors", "utter_answer_careers"]
    assert "Conseiller clientèle particuliers" in messages[1]["facts"]  # the back-office's, not "which job ?"


BO = {"entity": "job", "value": "back-office"}
MO = {"entity": "job", "value": "middle-office"}


def test_a_diploma_asked_of_both_jobs_is_the_students_path_not_a_move():
    text = "Je suis en bac pro commerce, c'est jouable pour le middle ou le back ?"
    messages, _ = _run(_tracker(text, [(text, "ask_careers")], entities=[MO, BO]))
    assert messages and all(not m.get("response", "").startswith("utter_fact_found") for m in messages), messages
    assert any(m["response"] == "utter_fact_not_listed" and m["item"] == "bac pro commerce" for m in messages)


def test_a_move_from_one_to_the_other_is_a_move_even_when_it_reads_like_a_comparison():
    text = "On peut passer de l'un à l'autre, entre middle et back ?"
    messages, events = _run(_tracker(text, [(text, "compare_jobs")], entities=[MO, BO]))
    assert messages and all("évolutions" in m.get("where", "") for m in messages), messages
    assert {e["name"]: e["value"] for e in events}["topic"] == "careers"
    # "et on peut évoluer vers quoi ?" with one job in context is that job's careers, not a move between two
    messages, events = _run(_tracker("et on peut évoluer vers quoi ?", [("et on peut évoluer vers quoi ?",
                                                                         "ask_careers")], slots={"job": "back-office"}))
    assert [m["response"] for m in messages] == ["utter_answer_careers"]
    assert messages[0]["job_name"].endswith("back-office")


def test_a_word_explained_from_one_sheet_keeps_that_job_for_what_follows():
    text = "c'est quoi la valorisation des opérations ?"
    messages, events = _run(_tracker(text, [(text, "ask_term")]))
    assert [m["response"] for m in messages] == ["utter_term_used"]
    assert {e["name"]: e["value"] for e in events}.get("job") == "middle-office"


def _said(messages) -> str:
    return " ".join(str(m.get("facts") or "") + str(m.get("item") or "") for m in messages)


def test_the_students_own_diploma_is_remembered_for_a_later_question():
    messages, events = _run(_tracker("je suis en bac général spé maths, tu connais quels métiers ?",
                                     [("je suis en bac général spé maths, tu connais quels métiers ?", "help")]))
    assert {e["name"]: e["value"] for e in events}["profile"] == "bac general spe maths"
    later = _tracker("pour le back office, mon bac convient ?", [("pour le back office, mon bac convient ?",
                                                                   "ask_studies")],
                     entities=[{"entity": "job", "value": "back-office"}], slots={"profile": "bac general spe maths"})
    messages, events = _run(later)
    assert messages[0]["response"] == "utter_fact_yes"
    assert "Baccalauréat général" in messages[0]["facts"] and "STMG" not in messages[0]["facts"]
    assert "profile" not in {e["name"] for e in events}  # nothing new told: the slot stays as it is


def test_a_remembered_diploma_the_sheet_does_not_list_is_a_no():
    tracker = _tracker("ça passe pour le back office avec mon bac ?", [("ça passe pour le back office avec mon bac ?",
                                                                        "ask_definition")],
                       entities=[{"entity": "job", "value": "back-office"}], slots={"profile": "bac pro commerce"})
    messages, _ = _run(tracker)
    assert messages[0]["response"] == "utter_fact_not_listed" and messages[0]["item"] == "bac pro commerce"


def test_a_question_naming_its_own_diploma_is_not_the_remembered_one():
    tracker = _tracker("un BTS banque ça passe pour le back office ?",
                       [("un BTS banque ça passe pour le back office ?", "ask_studies")],
                       entities=[{"entity": "job", "value": "back-office"}], slots={"profile": "bac pro commerce"})
    messages, _ = _run(tracker)
    assert messages[0]["response"] == "utter_fact_yes" and "BTS Banque" in messages[0]["facts"]


def test_a_parents_context_sentence_answers_whether_the_job_is_accessible():
    text = ("Bonjour, je suis la mère d'un lycéen en terminale STMG. Pourriez-vous m'indiquer si le métier de "
            "gestionnaire de back-office lui est accessible et quelles études il devrait envisager ?")
    questions = [("Pourriez-vous m'indiquer si le métier de gestionnaire de back-office lui est accessible",
                  "ask_definition"), ("et quelles études il devrait envisager ?", "ask_studies")]
    messages, events = _run(_tracker(text, questions, context=["Bonjour, je suis la mère d'un lycéen en terminale "
                                                               "STMG."]))
    assert [m["response"] for m in messages] == ["utter_fact_yes", "utter_answer_studies"]
    assert "STMG" in messages[0]["facts"] and "BTS Banque" in messages[1]["facts"]
    assert {e["name"]: e["value"] for e in events}["profile"] == "terminale stmg"


def test_a_filter_word_of_a_sentence_that_asks_nothing_is_no_filter():
    """"Je vous remercie par avance." holds "avance" (a skill level): not a filter of the question asked before it."""
    from actions import context

    text = "Quelles formations permettent d'accéder au back-office ? Je vous remercie par avance."
    at = text.index("avance")
    tracker = _tracker(text, [("Quelles formations permettent d'accéder au back-office ?", "ask_studies")],
                       context=["Je vous remercie par avance."],
                       entities=[{"entity": "skill_level", "value": "avance", "start": at, "end": at + 6},
                                 {"entity": "job", "value": "back-office", "start": 40, "end": 51}])
    assert context.filter_entities(tracker) == []
    alone = _tracker("les compétences niveau avancé du middle", [("x", "ask_skills")],
                     entities=[{"entity": "skill_level", "value": "avancé", "start": 24, "end": 30}])
    alone.latest_message["questions"] = []
    assert [f.value for f in context.filter_entities(alone)] == ["2"] or context.filter_entities(alone)


def _conversation(turns: list[tuple[str, str, list[str]]], slots: dict):
    """The last turn answered after the earlier ones: (text, intent, jobs named) each."""
    events = []
    for text, intent, jobs in turns:
        parse = {"intent": {"name": intent, "confidence": 0.9}, "text": text,
                 "entities": [{"entity": "job", "value": job} for job in jobs]}
        events += [{"event": "user", "text": text, "parse_data": parse}, {"event": "action", "name": "action_listen"}]
        if jobs:  # the job slot each earlier answer left
            events.insert(-1, {"event": "slot", "name": "job", "value": jobs[0]})
    latest = [e for e in events if e["event"] == "user"][-1]["parse_data"]
    dispatcher = CollectingDispatcher()
    found = ActionAnswerTopic().run(dispatcher, Tracker("u", slots, latest, events[:-1], False, None, {},
                                                        "action_listen"), {})
    return dispatcher.messages, {e["name"]: e["value"] for e in found}


def test_the_first_job_named_is_the_one_le_premier_points_at():
    earlier = [("c'est quoi le middle office ?", "ask_definition", ["middle-office"]),
               ("et le back office ?", "inform_job", ["back-office"])]
    messages, slots = _conversation([*earlier, ("c'est quoi déjà le premier ?", "ask_definition", [])],
                                    {"job": "back-office", "topic": "definition"})
    assert messages[0]["job_name"] == "gestionnaire middle-office" and slots["job"] == "middle-office"
    messages, slots = _conversation([*earlier, ("et le deuxième, il fait quoi ?", "ask_missions", [])],
                                    {"job": "middle-office", "topic": "definition"})
    assert slots["job"] == "back-office", messages
    # one job named so far: "le premier" points at nothing, the job in context stays
    messages, slots = _conversation([earlier[0], ("le premier, il fait quoi ?", "ask_missions", [])],
                                    {"job": "middle-office", "topic": "definition"})
    assert slots["job"] == "middle-office"


def test_more_in_one_job_or_the_other_is_a_ranking():
    text = "L'anglais compte plus en middle ou en back ?"
    entities = [{"entity": "job", "value": "middle-office"}, {"entity": "job", "value": "back-office"}]
    messages, _ = _run(_tracker(text, [(text, "ask_skills")], entities=entities))
    assert messages[0]["response"] == "utter_compare_no_ranking", messages
    assert "anglais" in str(messages).lower()


def test_a_job_named_after_avec_is_whom_the_other_works_with():
    from actions.context import subject_jobs
    from knowledge import queries

    middle, back = queries.resolve_job("middle-office"), queries.resolve_job("back-office")
    assert subject_jobs("le middle il travaille avec le back pour quoi ?", [middle, back]) == [middle]
    # a closed question is answered from both sheets; a comparison or a move names both jobs
    for text in ("le back office travaille avec le middle office ?", "quelle différence entre le back et le middle ?",
                 "on peut passer du back au middle ?"):
        assert subject_jobs(text, [back, middle]) == [back, middle], text


def test_the_rncp_numbers_are_asked_of_the_studies():
    text = "Les numéros RNCP ?"
    tracker = _tracker(text, [(text, "nlu_fallback")], slots={"job": "middle-office", "topic": "studies"})
    from actions.fallback import ActionHandleFallback

    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert "RNCP" in str(dispatcher.messages) and "Baccalauréat général" not in str(dispatcher.messages)


def test_a_job_named_only_as_where_one_would_go_keeps_the_conversation_on_the_first():
    # the slot already holds the job of the message's entity (Rasa fills it before the action): the job before is
    # read from the conversation's slot events
    earlier = [("quelles évolutions depuis le middle office ?", "ask_careers", ["middle-office"])]
    messages, slots = _conversation([*earlier, ("et revenir en back-office ?", "ask_careers", ["back-office"])],
                                    {"job": "back-office", "topic": "careers"})
    assert messages and slots["job"] == "middle-office", (messages, slots)
    # the move read the other way: the middle office's sheet lists where it comes from, the conversation follows it
    earlier_bo = [("c'est quoi le back office ?", "ask_definition", ["back-office"])]
    messages, slots = _conversation([*earlier_bo, ("il pourrait évoluer vers le middle-office ?", "ask_careers",
                                                   ["middle-office"])], {"job": "middle-office", "topic": "careers"})
    assert messages[0]["response"] == "utter_fact_yes" and slots["job"] == "middle-office", (messages, slots)
    # the job named as the subject of the question does switch
    messages, slots = _conversation([*earlier, ("et le back office, il évolue vers quoi ?", "ask_careers",
                                                ["back-office"])], {"job": "back-office", "topic": "careers"})
    assert slots["job"] == "back-office"


def test_combien_alone_counts_what_was_just_shown():
    text = "combien ?"
    messages, _ = _run(_tracker(text, [(text, "ask_salary")], slots={"job": "back-office", "topic": "skills"}))
    assert messages[0]["response"] == "utter_answer_count" and messages[0]["count"] == 5, messages
    # in SMS, read as the salary by the NLU ("cb")
    text = "yen a cb"
    messages, _ = _run(_tracker(text, [(text, "ask_salary")], slots={"job": "back-office", "topic": "skills"}))
    assert messages[0]["response"] == "utter_answer_count" and messages[0]["count"] == 5, messages


def test_whether_it_is_hard_is_a_subject_no_sheet_covers_and_the_topic_before_stays():
    text = "et en vrai c'est dur ?"
    messages, events = _run(_tracker(text, [(text, "ask_source")], slots={"job": "middle-office", "topic": "rhythm"}))
    assert messages[0]["response"] == "utter_not_in_any_sheet" and messages[0]["topic_label"] == "difficulté"
    assert {e["name"]: e["value"] for e in events}["topic"] == "rhythm"


def test_a_short_closed_question_the_nlu_missed_is_about_the_topic_just_answered():
    from actions.fallback import decided_intent

    tracker = _tracker("c'est obligatoire ?", [("c'est obligatoire ?", "nlu_fallback")],
                       slots={"job": "back-office", "topic": "studies"})
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_source", "confidence": 0.27}]
    assert decided_intent(tracker) == "ask_studies"
    tracker.slots["topic"] = "salary"  # a topic no sheet covers: nothing to go on with
    assert decided_intent(tracker) != "ask_salary"


def test_a_question_asked_again_in_other_words_is_answered_once():
    from actions.questions import _without_repeats

    asked = [("Elle se demande si son métier actuel est cité comme une voie d'accès,", "ask_careers"),
             ("et quelles formations lui seraient recommandées ?", "ask_trainings"),
             ("Son métier actuel est-il cité,", "ask_careers"),
             ("Elle aimerait aussi savoir si les horaires sont compatibles avec une vie de famille.", "ask_rhythm")]
    assert [intent for _, intent in _without_repeats(asked)] == ["ask_careers", "ask_trainings", "ask_rhythm"]
    # another job, or a word of its own: another question
    other_job = [("Quelles études pour le middle office ?", "ask_studies"), ("Et pour le back office ?", "ask_studies")]
    assert len(_without_repeats(other_job)) == 2
    other_fact = [("il gère les réclamations ?", "ask_missions"), ("et les successions ?", "ask_missions")]
    assert len(_without_repeats(other_fact)) == 2
    # two words of one topic: two things asked ("se déplace souvent ? et les horaires ?")
    other_point = [("Le middle-office se déplace souvent ?", "ask_rhythm"),
                   ("et les horaires c comment ?", "ask_rhythm")]
    assert len(_without_repeats(other_point)) == 2
    # a starting point: what follows the bac is not whether the bac is cited
    after = [("Je voudrais savoir si son bac fait partie de ceux que la fiche mentionne.", "ask_studies"),
             ("Et quelles formations après le bac cette fiche cite-t-elle ?", "ask_studies")]
    assert len(_without_repeats(after)) == 2


def test_the_meaning_of_an_item_a_sheet_lists_is_where_the_sheet_names_it():
    """"c quoi un secrétaire général ?" after the careers: the sheet names that job without describing it — said so,
    with where it is named; never its line alone as if it answered."""
    from actions.answer_term import asks_meaning_of_item

    assert asks_meaning_of_item("c quoi un secretaire general") and asks_meaning_of_item("c'est quoi le BTS Banque ?")
    assert not asks_meaning_of_item("c'est quoi un gestionnaire back office")  # a job of the base: its definition
    assert not asks_meaning_of_item("il gère les réclamations ?")
    assert not asks_meaning_of_item("c'est quoi les missions")
    before = {"job": "back-office", "topic": "careers"}
    messages, slots = _follow_up("ask_careers", "c quoi un secretaire general", before)
    assert messages[0]["response"] == "utter_term_used" and "Secrétaire général" in messages[0]["facts"], messages
    assert slots["job"] == "middle-office"


def _job_named_after(asked: tuple[str, str], job_entity: str, before: dict):
    """(intent, text) naming a job, after a conversation whose slots were `before`: Rasa has set the job slot from
    the entity (the job before is in the slot events), as it does before the actions run."""
    intent, text = asked
    latest = {"intent": {"name": intent, "confidence": 0.9}, "text": text,
              "entities": [{"entity": "job", "value": job_entity}]}
    now = queries.resolve_job(job_entity)
    events = [{"event": "slot", "name": "job", "value": before["job"]},
              {"event": "user", "text": text, "parse_data": latest},
              {"event": "slot", "name": "job", "value": now.id if now else None}]
    dispatcher = CollectingDispatcher()
    tracker = Tracker("u", {**before, "job": now.id if now else None}, latest, events, False, None, {},
                      "action_listen")
    found = ActionAnswerTopic().run(dispatcher, tracker, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in found}


def test_a_job_named_only_as_a_partner_leaves_the_question_to_the_job_before():
    """"et avec le back il fait quoi ensemble ?" about the middle office: the middle office's sheet (what it does
    with the back office), not the back office's own interlocutors."""
    messages, slots = _job_named_after(("ask_interlocutors", "et avec le back il fait quoi ensemble"), "back",
                                       {"job": "middle-office", "topic": "missions"})
    assert slots["job"] == "middle-office" and "bon déroulé" in str(messages), messages


def test_the_same_again_for_another_job_is_not_a_comparison():
    """"pareil pour le back ?" after the middle office's hours, read as a comparison: the back office's hours only
    (its sheet is silent), not both sheets side by side."""
    messages, found = _job_named_after(("compare_jobs", "pareil pour le back ?"), "back",
                                       {"job": "middle-office", "topic": "rhythm"})
    assert found["job"] == "back-office" and found["topic"] == "rhythm", found
    assert "assez stables" not in str(messages) and messages, messages


def test_where_the_facts_come_from_without_a_job_is_every_sheet_s_source():
    messages, _ = _follow_up("ask_source", "t'as eu tes infos où ?", {})
    assert messages and messages[0]["response"] != "utter_ask_job", messages
    assert "Observatoire" in str(messages) and "La banque, des métiers qui bougent" in str(messages), messages


def test_a_student_telling_only_their_diploma_gets_it_checked_against_the_sheet():
    """"j'ai un bac pro commerce" with the back office in context: the sheet's bacs, and that it does not cite it."""
    from actions.questions import tells_only_own_path

    assert tells_only_own_path("moi jsuis en terminale générale") and tells_only_own_path("j'ai un bac pro commerce")
    assert not tells_only_own_path("je suis en terminale, quelles études ?")  # a question of its own
    before = {"job": "back-office", "topic": "missions"}
    messages, slots = _follow_up("ask_definition", "j'ai un bac pro commerce", before)
    assert messages[0]["response"] == "utter_fact_not_listed" and "Gestion administration" in str(messages), messages
    assert slots["profile"] == "bac pro commerce"


def test_after_the_compare_action_answered_one_job_the_next_question_is_not_compared():
    """"pareil pour le back ?" read as a comparison answered the back office alone: "et il fait quoi lui ?" next is
    about the back office, not both jobs side by side."""
    latest = {"intent": {"name": "ask_missions", "confidence": 0.9}, "entities": [], "text": "ok et il fé quoi lui"}
    events = [{"event": "user", "text": "pareil pour le back ?", "parse_data": {"intent": {"name": "compare_jobs"}}},
              {"event": "action", "name": "action_compare_jobs"},
              {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_not_in_sheet"}},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": latest["text"], "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    tracker = Tracker("u", {"job": "back-office", "topic": "rhythm"}, latest, events, False, None, {}, "action_listen")
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_answer_missions", dispatcher.messages
    assert "valorisation" not in str(dispatcher.messages)


def test_a_link_asked_right_after_a_diploma_is_that_diploma_s_link_not_the_sheet_s_source():
    before = {"job": "middle-office", "topic": "studies", "question": "le master finance c bien pour ça ?"}
    messages, _ = _follow_up("ask_source", "et le lien pour voir", before)
    assert "francecompetences.fr/recherche/rncp/32159" in str(messages), messages


def test_two_comparisons_on_different_topics_are_both_answered():
    from actions.questions import _without_repeats

    asked = [("Quelles sont les différences entre les deux en termes de missions ?", "compare_jobs"),
             ("Et lequel demande le plus d'études ?", "compare_jobs")]
    assert len(_without_repeats(asked)) == 2


def test_within_one_message_a_move_starts_from_the_job_of_the_question_before():
    """"… accéder au métier de gestionnaire de back-office, et pourra-t-elle ensuite évoluer vers le middle-office ?":
    the second question is a move from the back office, which the middle office's sheet lists as a way in."""
    text = ("Bonjour, ma fille est en BTS Banque. Est-ce que ce diplôme lui permet d'accéder au métier de gestionnaire "
            "de back-office, et pourra-t-elle ensuite évoluer vers le middle-office ?")
    first = "Est-ce que ce diplôme lui permet d'accéder au métier de gestionnaire de back-office,"
    questions = [(first, "ask_studies"), ("et pourra-t-elle ensuite évoluer vers le middle-office ?", "ask_careers")]
    messages, _ = _run(_tracker(text, questions, context=["Bonjour, ma fille est en BTS Banque."]))
    assert [m["response"] for m in messages] == ["utter_fact_yes", "utter_fact_yes"], messages
    assert "BTS Banque" in messages[0]["facts"] and "Gestionnaire back-office" in messages[1]["facts"], messages


def test_one_question_and_its_closing_thanks_the_thanks_hold_no_filter():
    """"J'aimerais comprendre si … ? Merci d'avance." — one question (the NLU lists no questions): "d'avance" in
    the closing sentence is no skill level."""
    from actions import context

    text = "J'aimerais comprendre si le back-office est en relation avec les clients. Merci d'avance. Cordialement."
    at = text.index("avance")
    tracker = _tracker(text, [("x", "ask_interlocutors")],
                       entities=[{"entity": "skill_level", "value": "avance", "start": at, "end": at + 6}])
    tracker.latest_message.pop("questions", None)
    assert context.filter_entities(tracker) == []
    asked = "les compétences niveau avancé du middle ?"
    tracker = _tracker(asked, [("x", "ask_skills")],
                       entities=[{"entity": "skill_level", "value": "avancé", "start": 24, "end": 30}])
    tracker.latest_message.pop("questions", None)
    assert len(context.filter_entities(tracker)) == 1  # the question's own level stays a filter


def test_the_reverse_of_a_move_just_asked():
    """"et l'inverse ?" right after "on peut passer du middle au back ?": from the back office to the middle office
    (the middle office's sheet lists the back office among the jobs one comes from: a "oui" with that fact)."""
    text = "et l'inverse ?"
    latest = {"intent": {"name": "ask_term", "confidence": 0.45}, "entities": [], "text": text}
    events = [{"event": "user", "text": "on peut passer du middle au back ?",
               "parse_data": {"intent": {"name": "ask_careers"}}},
              {"event": "action", "name": "action_answer_topic"}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest}]
    tracker = Tracker("u", {"job": "back-office", "topic": "careers"}, latest, events, False, None, {},
                      "action_listen")
    messages, _ = _run(tracker)
    assert messages and messages[0]["response"] == "utter_fact_yes", messages
    assert "back-office" in messages[0]["facts"].lower() and "middle-office" in messages[0]["job_name"], messages[0]
    plain = Tracker("u", {"job": "back-office", "topic": "careers"}, latest, events[-1:], False, None, {},
                    "action_listen")
    assert not any(m.get("response") == "utter_fact_yes" for m in _run(plain)[0])  # no move before: not a move


def test_a_silent_subject_beside_the_topic_asked_is_no_gap():
    """"jfais mon cv pour un stage back office c quoi les qualités à mettre": the qualities (named and read by the
    NLU), not "the sheets say nothing of internships"; "il y a des stages en back office ?" stays the honest gap."""
    text = "jfais mon cv pour un stage back office c quoi les qualites a mettre"
    [message] = _run(_tracker(text, [(text, "ask_qualities")],
                              entities=[{"entity": "job", "value": "back-office"}]))[0]
    assert message["response"] == "utter_answer_qualities", message
    text = "il y a des stages en back office ?"
    [message] = _run(_tracker(text, [(text, "ask_studies")], entities=[{"entity": "job", "value": "back-office"}]))[0]
    assert message["response"] == "utter_not_in_any_sheet", message


def test_a_question_of_several_goes_on_with_both_jobs_after_one_asked_of_both():
    """"J'aimerais savoir si ces métiers impliquent des horaires décalés, et si les déplacements y sont fréquents."
    (both jobs named in the context): the second question too is asked of both."""
    context = "Bonjour, ma fille est intéressée à la fois par le middle-office et par le back-office."
    first = "J'aimerais savoir si ces métiers impliquent des horaires décalés,"
    second = "et si les déplacements y sont fréquents."
    messages, _ = _run(_tracker(f"{context} {first} {second}", [(first, "ask_rhythm"), (second, "ask_rhythm")],
                                context=[context]))
    both = [m for m in messages if m.get("response", "").startswith("utter_compare")]
    assert len(both) >= 2, [m.get("response") for m in messages]


def test_a_comparison_read_in_one_question_of_several_naming_one_job_is_that_job():
    """"Plusieurs se demandent si le métier de gestionnaire de back-office leur serait ouvert" read as a comparison
    in a message of several questions: the back office only (then its careers, never the middle office's)."""
    first = "Plusieurs d'entre eux se demandent si le métier de gestionnaire de back-office leur serait ouvert"
    second = "et vers quels postes ils pourraient évoluer ensuite."
    messages, _ = _run(_tracker(f"{first} {second}", [(first, "compare_jobs"), (second, "ask_careers")],
                                entities=[{"entity": "job", "value": "back-office"}]))
    said = " ".join(str(m.get("facts") or "") for m in messages)
    assert not any(m.get("response", "").startswith("utter_compare") for m in messages), messages
    assert "Auditeur" not in said and "Conseiller clientèle particuliers" in said, said


def test_what_else_after_one_fact_is_the_whole_topic():
    """"et il fait quoi d'autre le back" (read as a job alone) after the titles: the back office's missions, not the
    titles' fact again."""
    dispatcher, _ = _after_the_titles("inform_job", "et il fait quoi d'autre le back", "back-office", "back-office")
    [message] = dispatcher.messages
    assert message["response"] == "utter_answer_missions" and "réclamations" in message["facts"], message



@pytest.mark.parametrize("text,expected", [
    ("et pour le middle il est cité ?", True),
    ("ah et c'est le back qui s'en charge du coup ?", True),
    ("et le back il gère aussi les successions ?", False),  # a fact of its own
])
def test_the_same_question_asked_of_another_job(default_kb, text, expected):
    assert asks_same_question(text) is expected


def test_a_correction_asks_the_same_question_of_the_job_meant(default_kb):
    assert asks_same_question("non attends je me suis trompé, le middle")
    assert asks_same_question("pardon je voulais dire le back")


def test_a_level_asked_right_after_a_skill_is_that_skill_s_level_not_the_word_s_meaning():
    messages, slots = _follow_up("ask_term", "à quel niveau ?", {"job": "middle-office", "topic": "skills",
                                                                 "question": "le middle il doit gérer le stress ?"})
    assert messages[0]["response"] == "utter_fact_found", messages
    assert "Gérer des situations de stress" in messages[0]["facts"] and "Avancé" in messages[0]["facts"]
    assert slots["topic"] == "skills"


def test_a_level_asked_of_a_fact_rated_at_no_level_is_said_unsaid():
    messages, _ = _follow_up("ask_term", "et à quel niveau ?", {
        "job": "middle-office", "topic": "definition", "question": "le middle office il calcule les résultats ?"})
    assert messages[0]["response"] == "utter_fact_unqualified", messages
    assert "calcul" in messages[0]["facts"]


def test_the_word_niveau_asked_with_no_answer_before_is_still_a_word_s_meaning():
    messages, _ = _follow_up("ask_term", "ça veut dire quoi niveau ?", {"job": "middle-office", "topic": "skills"})
    assert messages[0]["response"] != "utter_fact_found", messages


def test_the_same_closed_question_right_after_a_comparison_is_asked_of_both_and_no_yes_for_one():
    messages, _ = _follow_up("ask_skills", "pareil pour le stress ?", {"topic": "skills"},
                             previous_action="action_compare_jobs")
    responses = [m.get("response") for m in messages]
    assert responses[0] == "utter_compare_not_both", responses
    assert {"utter_fact_not_cited", "utter_fact_found"} <= set(responses) and "utter_fact_yes" not in responses


def test_two_questions_answered_alike_are_answered_once():
    asked = [("quelles sont les missions du back office ?", "ask_missions"),
             ("et de façon générale il fait quoi au quotidien ?", "ask_missions")]
    job = [{"entity": "job", "value": "back-office"}]
    messages, _ = _run(_tracker(" ".join(q for q, _ in asked), asked, entities=job))
    assert [m["response"] for m in messages] == ["utter_answer_missions"], messages


def test_a_level_asked_as_the_second_question_of_a_message_is_the_first_one_s_fact_s_level():
    asked = [("Bonjour, la fiche du middle office évoque-t-elle la gestion du stress,", "ask_skills"),
             ("et à quel niveau ?", "ask_term")]
    messages, _ = _run(_tracker(" ".join(q for q, _ in asked), asked,
                                entities=[{"entity": "job", "value": "middle-office"}]))
    assert len(messages) == 2 and "Avancé" in messages[1].get("facts", ""), messages


def test_an_opinion_asked_is_said_not_given_then_the_facts():
    asked = [("selon vous, le middle office est-il adapté à une personne anxieuse ?", "ask_skills")]
    messages, _ = _run(_tracker(asked[0][0], asked, entities=[{"entity": "job", "value": "middle-office"}]))
    assert messages[0]["response"] == "utter_no_opinion" and len(messages) > 1, messages


def test_what_a_level_means_is_still_its_meaning():
    messages, _ = _follow_up("ask_term", "notions ça veut dire quoi ?", {"job": "middle-office", "topic": "skills"})
    assert messages[0]["response"] == "utter_term_defined", messages


def test_a_word_explained_keeps_the_topic_of_the_conversation():
    """"c'est quoi l'AMF ?" in the trainings: "c'est obligatoire ?" next is still about the trainings."""
    _, slots = _follow_up("ask_term", "c'est quoi l'AMF ?", {"job": "middle-office", "topic": "trainings"})
    assert slots["topic"] == "trainings"


def test_after_a_level_asked_the_other_job_is_asked_the_question_itself():
    """"… tableaux de bord ?", "à quel niveau ?", then "et le back-office ?": is it in the back office's sheet."""
    _, slots = _follow_up("ask_term", "à quel niveau ?", {"job": "middle-office", "topic": "skills",
                                                         "question": "le middle doit faire des tableaux de bord ?"})
    assert slots["question"] == "le middle doit faire des tableaux de bord ?"


@pytest.mark.parametrize("text, told", [
    ("ma fille est en première générale avec les spécialités mathématiques et SES.", "bac generale"),
    ("je suis en 1ère techno", "bac techno"),
    ("je suis en terminale pro commerce", "terminale pro commerce"),
])
def test_the_class_of_a_bac_s_track_names_that_bac(text, told):
    from actions.questions import own_path

    assert (own_path(text) or "").startswith(told)


def _after_a_meaning(text: str, before: str, intent: str = "inform_job", entities: list | None = None,
                     said: str = "utter_term_defined") -> list[dict]:
    """`text` right after the bot answered `before` with the response `said` (a word's meaning by default)."""
    latest = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text}
    events = [{"event": "user", "text": before, "parse_data": {"intent": {"name": "ask_term"}}},
              {"event": "action", "name": "action_answer_term"},
              {"event": "bot", "text": "…", "metadata": {"utter_action": said}},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    ActionAnswerTopic().run(dispatcher, Tracker("u", {"topic": "definition", "job": "middle-office"}, latest, events,
                                                False, None, {}, "action_listen"), {})
    return dispatcher.messages


BACK_OFFICE = [{"entity": "job", "value": "back-office"}]


@pytest.mark.parametrize("text", ["et le back office du coup ?", "et back office dans ce sens là ?",
                                  "et le back-office dans ce cas ?",
                                  "et le back-office dans ta phrase c'est quoi"])
def test_a_job_named_right_after_a_word_whose_meaning_names_it_is_that_meaning(text):
    """After "c'est quoi le front office ?", the back office of the same sentence is the service, not the job."""
    messages = _after_a_meaning(text, "c'est quoi le front office ?", entities=BACK_OFFICE)
    assert [m["response"] for m in messages] == ["utter_term_defined"], messages
    assert "administratifs et comptables" in messages[0]["definition"]
    button = messages[0]["buttons"][0]["payload"]
    assert "definition" in button and "back-office" in button


@pytest.mark.parametrize("before, said, text", [
    ("c'est quoi le front office ?", "utter_answer_topic", "et le back office du coup ?"),  # no meaning said
    ("c'est quoi l'AMF ?", "utter_term_defined", "et le back office du coup ?"),  # another word's meaning
    ("c'est quoi le front office ?", "utter_term_defined", "et le back office il fait quoi comme missions ?"),
])
def test_otherwise_the_job_named_is_the_job(before, said, text):
    messages = _after_a_meaning(text, before, entities=BACK_OFFICE, said=said)
    assert messages and all(m["response"] != "utter_term_defined" for m in messages), messages


def test_a_term_read_only_after_another_is_not_read_otherwise_and_must_name_a_known_term(tmp_path):
    from knowledge.glossary import load_glossary, terms_in
    from knowledge.loader import DataFileError

    sheet = tmp_path / "sheet.md"
    sheet.write_text("le front (services commerciaux) et le back (services comptables)")
    glossary = tmp_path / "glossary.yml"
    entry = ("  back:\n    job: j\n    follows: {follows}\n    words: [back]\n    definition: d\n"
             "    quote: services comptables\n")
    glossary.write_text("terms:\n  front:\n    job: j\n    words: [front]\n    definition: d\n"
                        "    quote: services commerciaux\n" + entry.format(follows="front"))
    terms = load_glossary(glossary, {"j": sheet})
    assert [t.id for t in terms_in("et le back ?", terms)] == []
    assert [t.id for t in terms_in("et le back ?", terms, explained=["front"])] == ["back"]
    glossary.write_text("terms:\n" + entry.format(follows="nowhere"))
    with pytest.raises(DataFileError, match="unknown term"):
        load_glossary(glossary, {"j": sheet})


def test_a_question_naming_a_word_of_the_sheets_after_a_meaning_is_that_question():
    messages = _after_a_meaning("donc le back il parle aux clients ?", "c'est quoi le front office ?",
                                intent="ask_interlocutors", entities=BACK_OFFICE)
    assert messages and all(m["response"] != "utter_term_defined" for m in messages), messages


@pytest.mark.parametrize("asked, word", [("ça veut dire quoi monétique ?", "monétique"), ("c'est quoi l'AMF ?", "AMF")])
def test_a_word_explained_then_asked_of_the_other_job_is_whether_its_sheet_uses_it(asked, word):
    """"ça veut dire quoi monétique ?" (the back office's sheet uses it), then "et le middle office il en fait ?": the
    middle office's sheet does not — said so, never its whole list of missions as if it answered."""
    _, events = _run(_tracker(asked, [(asked, "ask_term")]))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("question") and fold(word) in fold(slots["question"])
    user = slots["job"]
    other = next(job.id for job in queries.list_jobs() if job.id != user and job.id in ("middle-office", "back-office"))
    said = "et l'autre métier il en fait aussi ?"
    messages, _ = _run(_tracker(said, [(said, "inform_job")], entities=[{"entity": "job", "value": other}],
                                slots={**slots, "job": user}))
    # the other sheet's silence, then where the word is used
    assert messages and messages[0]["response"] in ("utter_fact_silent_other_job", "utter_fact_no_other_job",
                                                    "utter_fact_elsewhere_only"), messages
    assert fold(word) in fold(str(messages)), messages


@pytest.mark.parametrize("text", ["c'est quoi la différence alors", "c koi la diff ?"])
def test_the_difference_asked_alone_compares_the_jobs_on_the_topic_in_context(text):
    """"c'est quoi la différence alors ?" after both jobs' missions: the jobs side by side, not the word's meaning."""
    messages, _ = _run(_tracker(text, [(text, "ask_term")], slots={"job": "middle-office", "topic": "missions"}))
    assert [m["response"] for m in messages] == ["utter_compare"]
    assert messages[0]["topic_label"] == "missions"


def test_the_difference_between_two_words_is_no_comparison_of_the_jobs():
    from actions.questions import asks_the_difference

    assert not asks_the_difference("c quoi la différence entre valorisation et facturation ?")
    assert asks_the_difference("quelle différence avec le back ?")


def test_a_follow_up_read_as_a_topic_no_sheet_covers_goes_on_with_the_topic_shown_that_says_it():
    """"et pour un débutant ?" right after the experience asked in job offers, read as the salary: the sheet's "1ère
    expérience ou jeune diplômé(e)" (said "débutant" by students), not "no sheet gives the salary" — and the word
    is no level of the skills either."""
    before = {"job": "middle-office", "topic": "figures", "question": "quelle expérience demandée en middle office ?"}
    messages, slots = _follow_up("ask_salary", "et pour un débutant ?", before)
    assert "1ère expérience ou jeune diplômé(e)" in str(messages), messages
    assert slots["topic"] == "figures"
    # with no topic shown that says it, the gap on the salary is said
    messages, _ = _follow_up("ask_salary", "et pour un débutant ?", {"job": "middle-office", "topic": "missions"})
    assert [m["response"] for m in messages] == ["utter_not_in_any_sheet"], messages


@pytest.mark.parametrize("text", ["et au niveau notions ?", "et en notions ya koi"])
def test_a_level_named_right_after_a_list_at_a_level_is_that_list_at_the_other_level(text):
    """After "Quelles compétences du middle-office sont au niveau expertise ?", "et au niveau notions ?" asks that
    list at level 1 (none in the sheet), not what "notions" means; asked with "c'est quoi", it is the meaning."""
    before = {"job": "middle-office", "topic": "skills",
              "question": "Quelles compétences du middle-office sont au niveau expertise ?"}
    messages, _ = _follow_up("ask_term", text, before)
    assert [m["response"] for m in messages] == ["utter_filter_none"], messages
    messages, _ = _follow_up("ask_term", "c'est quoi notions ?", before)
    assert [m["response"] for m in messages] == ["utter_term_defined"], messages
    # with no level asked before, a level alone is its meaning ("niveau 5 6 7 sa correspond a koi")
    messages, _ = _follow_up("ask_term", text, {"job": "middle-office", "topic": "skills", "question": None})
    assert [m["response"] for m in messages] == ["utter_term_defined"], messages


def test_a_closed_question_read_as_the_definition_is_about_the_one_topic_it_names():
    """"un gestionnaire middle office ne voyage jamais ?" read as what the job is: the rhythm it names (the sheet's
    "déplacements peu fréquents"), never "the sheet does not talk about it" with the job's definition."""
    text = "un gestionnaire middle office ne voyage jamais ?"
    messages, _ = _run(_tracker(text, [(text, "ask_definition")],
                                entities=[{"entity": "job", "value": "middle-office"}]))
    assert "peu fréquents" in str(messages), messages
    assert not str(messages[0].get("text") or "").lower().startswith("oui")


def test_a_question_of_several_read_as_no_topic_that_names_a_fact_gets_that_fact():
    """"… Quelles études pour le middle office ? J'aimerais aussi comprendre comment se fait le règlement-livraison."
    (the second read as out of scope): the missions' fact that names it, not nothing or the first topic again."""
    first, second = "Quelles études pour le middle office ?", "J'aimerais aussi comprendre le règlement-livraison."
    messages, _ = _run(_tracker(f"{first} {second}", [(first, "ask_studies"), (second, "out_of_scope")],
                                entities=[{"entity": "job", "value": "middle-office"}]))
    assert "règlement-livraison" in str(messages[-1]).lower(), messages
    assert [m["response"] for m in messages][0] == "utter_answer_studies"


def test_the_job_a_formal_question_names_wins_over_the_jobs_of_its_context():
    """"J'ai cru comprendre que, côté middle-office, on conseille l'AMF. Je souhaiterais savoir si la fiche du
    back-office mentionne elle aussi ce genre de formations." asks about the back office (whose sheet has no
    recommended trainings: said so), not a comparison of the two."""
    context_sentence = "J'ai cru comprendre que, côté middle-office, on conseille de se former à l'AMF."
    question = "Je souhaiterais savoir si la fiche du back-office mentionne elle aussi ce genre de formations."
    messages, events = _run(_tracker(f"{context_sentence} {question}", [(question, "ask_trainings")],
                                     context=[context_sentence],
                                     entities=[{"entity": "job", "value": "middle-office"},
                                               {"entity": "job", "value": "back-office"}]))
    assert messages[0]["response"] != "utter_compare" and "back-office" in str(messages[0]).lower(), messages
    assert {e["name"]: e["value"] for e in events}["job"] == "back-office"


def test_an_attribute_asked_right_after_a_point_compared_is_that_point_in_each_sheet():
    """"Lequel demande de l'anglais ?" answered side by side, then "à quel niveau ?": English in each sheet (the middle
    office rates it Maîtrise), not the meaning of "niveau" nor one job alone."""
    latest = {"intent": {"name": "ask_term", "confidence": 0.9}, "entities": [], "text": "à quel niveau ?"}
    events = [{"event": "user", "text": "Lequel demande de l'anglais ?",
               "parse_data": {"intent": {"name": "ask_skills"}}},
              {"event": "action", "name": "action_answer_topic"},
              {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_compare_point"}},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": "à quel niveau ?", "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    ActionAnswerTopic().run(dispatcher, Tracker("u", {"job": "back-office", "topic": "skills"}, latest, events, False,
                                                None, {}, "action_listen"), {})
    said = str(dispatcher.messages)
    assert "Maîtrise" in said and "Gestionnaire middle-office" in said and "Gestionnaire de back-office" in said, said


def test_a_second_elliptic_question_on_another_job_is_answered_for_that_job():
    """"le middle fait quoi avec les risques, et le back avec les échéances ?": the risks in the middle office's sheet,
    then the deadlines in the back office's — not one comparison where the middle office "says nothing"."""
    from actions.questions import _parallel_questions

    text = "le middle fait quoi avec les risques, et le back avec les échéances ?"
    assert [q for q, _ in _parallel_questions(text, "ask_missions")] == [
        "le middle fait quoi avec les risques", "et le back avec les échéances ?"]
    assert _parallel_questions("le back office il fait quoi, et le middle ?", "ask_missions") == []
    messages, _ = _run(_tracker(text, [(text, "compare_jobs")], entities=[
        {"entity": "job", "value": "middle-office"}, {"entity": "job", "value": "back-office"}]))
    said = str(messages)
    assert "maîtriser les risques" in said and "recouvrement" in said, said


def test_a_claim_on_one_fact_read_as_a_question_about_the_source_is_about_that_fact():
    """"le reporting du middle-office c'est chaque semaine ?" read as the sheet's source: one word names the fact and
    the message claims a period of it — the fact's section (its daily reporting), not where the sheet comes from;
    "la fiche est à jour ?" stays a question about the sheet."""
    from actions.questions import topic_asked_instead

    assert topic_asked_instead("le reporting du middle-office c'est chaque semaine ?") == "ask_interlocutors"
    assert topic_asked_instead("la fiche est à jour ?") is None


def test_a_closed_question_the_nlu_missed_about_the_job_in_context_checks_its_sheet():
    """"il fait des tableaux Excel ?" right after the middle office's missions: not understood, but a yes/no question
    about a job the bot knows — its best topic, whose answer checks the sheet (never "je ne connais que deux
    métiers"); not when the question names another job, nor without a job to ask about."""
    from actions.fallback import decided_intent

    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_missions", "confidence": 0.51},
               {"name": "ask_skills", "confidence": 0.47}]
    tracker = _tracker("il fait des tableaux excel ?", [("il fait des tableaux excel ?", "nlu_fallback")],
                       slots={"job": "middle-office", "topic": "missions"})
    tracker.latest_message["intent_ranking"] = ranking
    assert decided_intent(tracker) == "ask_missions"
    tracker.slots["job"] = None
    assert decided_intent(tracker) is None
    open_question = _tracker("comment il fait des tableaux excel", [("comment il fait des tableaux excel",
                                                                     "nlu_fallback")],
                             slots={"job": "middle-office", "topic": "missions"})
    open_question.latest_message["intent_ranking"] = ranking
    assert decided_intent(open_question) is None


def test_a_diploma_the_writer_teaches_is_no_filter():
    """"professeur en BTS Banque, … les compétences techniques …": the BTS is the teacher's class — no filter of the
    answer (the technical skills stay the question); a BTS asked about still is one."""
    from actions.context import filter_entities
    from tests.actions.conftest import make_tracker

    text = "professeur en BTS Banque, je présente les compétences techniques du middle office : lesquelles ?"
    entities = [{"entity": "diploma_kind", "value": "BTS", "start": text.index("BTS"), "end": text.index("BTS") + 3},
                {"entity": "skill_type", "value": "techniques", "start": text.index("techniques"),
                 "end": text.index("techniques") + 10}]
    assert [f.kind for f in filter_entities(make_tracker("ask_skills", entities, text=text))] == ["skill_type"]
    asked = "un BTS suffit pour le middle office ?"
    entity = [{"entity": "diploma_kind", "value": "BTS", "start": 3, "end": 6}]
    assert [f.kind for f in filter_entities(make_tracker("ask_studies", entity, text=asked))] == ["diploma_kind"]


def test_two_close_intents_where_one_has_nothing_to_answer_give_the_other():
    """"et la monétique ?" between a word's meaning and the missions: no word of the glossary, no meaning asked — the
    missions; "et l'autre métier ?" between a comparison and a job alone: nothing compared — the job."""
    from actions.fallback import decided_intent

    term = _missed("et la monétique ?", "back-office", [("ask_term", 0.50), ("ask_missions", 0.49)])
    assert decided_intent(term) == "ask_missions"
    other = _missed("et l'autre métier ?", "middle-office", [("compare_jobs", 0.41), ("inform_job", 0.40)])
    assert decided_intent(other) == "inform_job"


def _missed(text: str, job: str, ranking: list[tuple[str, float]], topic: str = "missions") -> Tracker:
    """A message the NLU did not understand (nlu_fallback), ranked as given, after an answer about `job`."""
    tracker = _tracker(text, [(text, "nlu_fallback")], slots={"job": job, "topic": topic})
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                *({"name": n, "confidence": c} for n, c in ranking)]
    return tracker


def test_a_message_unsure_as_a_whole_has_each_of_its_questions_answered():
    """The first question tied between two topics sends the whole message to the fallback; each question the NLU
    read is answered anyway (never "tu veux savoir quoi ?" to a parent's two clear questions)."""
    from actions.fallback import ActionHandleFallback

    text = ("Mon fils s'intéresse au métier de gestionnaire middle-office. Quels diplômes la fiche cite-t-elle pour "
            "ce métier ? J'aimerais également comprendre ce que signifie « valorisation des opérations ».")
    tracker = _tracker(text, [("Quels diplômes la fiche cite-t-elle pour ce métier ?", "ask_studies"),
                              ("J'aimerais également comprendre ce que signifie « valorisation des opérations ».",
                               "ask_term")],
                       context=["Mon fils s'intéresse au métier de gestionnaire middle-office."],
                       entities=[{"entity": "job", "value": "middle-office"}], slots={"job": "middle-office"})
    tracker.latest_message["intent"] = {"name": "nlu_fallback", "confidence": 0.3}
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_answer_studies" and len(responses) == 2, responses
    assert "valorisation" in str(dispatcher.messages[1])


def test_what_the_sheet_says_of_a_thing_is_that_things_topic_not_the_source():
    from actions.questions import topic_asked_instead

    assert topic_asked_instead("Que dit la fiche middle-office au sujet du stress ?") == "ask_skills"
    assert topic_asked_instead("d'où viennent les infos de la fiche ?") is None


def test_the_students_own_diploma_told_alone_the_nlu_missed_is_checked_against_the_sheet():
    from actions.fallback import decided_intent

    tracker = _missed("moi jsuis en terminale générale", "back-office",
                      [("out_of_scope", 0.39), ("ask_definition", 0.35)], topic="studies")
    assert decided_intent(tracker) == "ask_studies"


def test_what_the_job_does_with_a_partner_read_as_a_definition_is_its_interlocutors():
    text = "et avec le back il fait quoi ensemble"
    tracker = _tracker(text, [(text, "ask_definition")], entities=[{"entity": "job", "value": "back-office"}],
                       slots={"job": "back-office", "topic": "missions"})
    # the middle office was the conversation's job before this message (Rasa then filled the slot from the entity)
    tracker.events.insert(0, {"event": "slot", "name": "job", "value": "middle-office"})
    messages, events = _run(tracker)
    assert [m["response"] for m in messages] == ["utter_answer_interlocutors"]
    assert {e["name"]: e["value"] for e in events}["job"] == "middle-office"


def test_how_many_right_after_a_filtered_list_counts_that_list(default_kb):
    from actions.planner import FILTERED, plan_answer

    job = queries.default_repository().job("middle-office")
    plan = plan_answer("ça en fait combien ?", "skills", job, previous_text="lesquelles sont comportementales ?",
                       counted=True)  # "combien ?" with no words of its own (as actions/questions.py reads it)
    # "4 sur 12 … (compétences comportementales)": that list, its number first
    assert plan.parts[0].kind == FILTERED and len(plan.parts[0].facts) == 4 and plan.parts[0].total == 12


def test_a_topic_named_after_ainsi_que_is_a_question_of_its_own():
    from actions.questions import questions_of

    text = ("Pourriez-vous m'expliquer la différence entre ces deux métiers, ainsi que les évolutions "
            "professionnelles possibles pour chacun d'eux ?")
    asked = questions_of(_tracker(text, [(text, "compare_jobs")]))
    assert [intent for _, intent in asked] == ["compare_jobs", "ask_careers"]
    # one topic named on both sides: one question
    text = "les horaires du back ainsi que les horaires du middle ?"
    assert len(questions_of(_tracker(text, [(text, "ask_rhythm")]))) == 1


def test_the_difference_and_the_careers_asked_together_get_both_comparisons():
    text = ("Pourriez-vous m'expliquer la différence entre ces deux métiers, ainsi que les évolutions "
            "professionnelles possibles pour chacun d'eux ?")
    messages, _ = _run(_tracker(text, [(text, "compare_jobs")]))
    assert [m["response"] for m in messages] == ["utter_compare", "utter_compare"], messages
    assert "Responsable d'unité" in str(messages[1]) and "Auditeur" in str(messages[1])


def test_il_en_a_combien_counts_what_was_just_shown_for_the_job_named():
    text = "et lui, le middle, il en a combien ?"
    entities = [{"entity": "job", "value": "middle-office", "start": 10, "end": 16}]
    messages, _ = _run(_tracker(text, [(text, "ask_interlocutors")], entities=entities,
                                slots={"job": "back-office", "topic": "skills"}))
    assert messages[0]["response"] == "utter_answer_count" and messages[0]["count"] == 12, messages


def test_a_challenge_with_a_number_is_checked_on_the_topic_just_shown():
    text = "t'es sûr ? c'est pas plutôt 12 000 ?"
    messages, events = _run(_tracker(text, [("c'est pas plutôt 12 000 ?", "ask_salary")],
                                     slots={"job": "middle-office", "topic": "figures"}))
    assert messages[0]["response"] != "utter_not_in_any_sheet", messages
    assert "1 220" in str(messages[0]) and not str(messages[0].get("text") or "").lower().startswith("oui")
    assert {e["name"]: e["value"] for e in events}["topic"] == "figures"


def test_two_sides_weighed_are_each_answered_after_a_note():
    text = "le back office il travaille plus en interne ou avec les clients ?"
    entities = [{"entity": "job", "value": "back-office", "start": 3, "end": 14}]
    messages, _ = _run(_tracker(text, [(text, "ask_interlocutors")], entities=entities))
    assert [m["response"] for m in messages][:1] == ["utter_sides_note"], messages
    assert len(messages) == 3 and not any(m["response"] == "utter_fact_yes" for m in messages)


def test_a_count_in_the_words_of_the_section_just_shown_counts_within_it():
    text = "et les generales y en a combien"
    messages, _ = _run(_tracker(text, [(text, "ask_figures")], slots={"job": "middle-office", "topic": "trainings"}))
    assert messages[0]["response"] == "utter_answer_count" and messages[0]["count"] == 5, messages
    # words of no fact just shown: the key figures still ("combien d'emplois ?")
    text = "et les emplois y en a combien"
    messages, _ = _run(_tracker(text, [(text, "ask_figures")], slots={"job": "middle-office", "topic": "trainings"}))
    assert messages[0]["response"] != "utter_answer_count", messages


def test_a_job_named_in_a_comparison_is_looked_for_among_the_careers():
    text = "si je veux devenir auditeur plus tard je commence par lequel des deux ?"
    messages, _ = _run(_tracker(text, [(text, "compare_jobs")]))
    said = " ".join(str(m) for m in messages)
    assert "Auditeur" in said and not any(m.get("response") == "utter_answer_missions" for m in messages), messages


@pytest.mark.parametrize("text,question,expected", [
    ("la 3e ?", None, "Gérer les outils monétiques"),
    ("et la dernière mission ?", None, "Intervenir sur les marchés"),
    ("et le premier ?", "après back office on peut faire quoi ?", "Responsable d'unité"),
])
def test_an_item_of_the_list_just_shown_by_its_rank(text, question, expected):
    topic = "careers" if question else "missions"
    messages, _ = _run(_tracker(text, [(text, "ask_definition")],
                                slots={"job": "back-office", "topic": topic, "question": question}))
    assert len(messages) == 1 and messages[0]["response"] == "utter_fact_found", messages
    assert expected in messages[0]["facts"]


def _middle_named_after_the_back(text: str, intent: str, topic: str) -> list:
    """The answer to `text` (read as `intent`, naming the middle office) right after the back office's `topic`."""
    start = text.index("middle")
    entities = [{"entity": "job", "value": "middle-office", "start": start, "end": start + len("middle")}]
    messages, _ = _run(_tracker(text, [(text, intent)], entities=entities,
                                slots={"job": "back-office", "topic": topic}))
    return messages


def test_celles_du_middle_asks_the_same_topic_of_the_job_named():
    messages = _middle_named_after_the_back("et celles du middle ?", "compare_jobs", "missions")
    assert messages[0]["response"] == "utter_answer_missions" and "middle" in messages[0]["job_name"], messages


def test_the_difference_right_after_one_jobs_answer_compares_the_jobs_themselves():
    messages = _middle_named_after_the_back("c quoi la diff avec le middle ?", "compare_jobs", "careers")
    assert messages[0]["response"] == "utter_compare" and "intermédiaire" in str(messages[0]), messages


def test_which_items_pass_a_level_is_the_list_at_that_level_not_a_words_meaning():
    text = "et le plus haut niveau, c'est lesquelles ?"
    messages, _ = _run(_tracker(text, [(text, "ask_term")], slots={"job": "middle-office", "topic": "skills"}))
    assert messages[0]["response"] == "utter_facts_filtered", messages
    assert "conformité de l'enregistrement" in messages[0]["facts"]


def test_a_job_with_faut_quoi_asks_the_topic_just_shown_of_that_job():
    messages = _middle_named_after_the_back("et pour le middle faut quoi", "ask_skills", "studies")
    assert messages[0]["response"] == "utter_answer_studies" and "middle" in messages[0]["job_name"], messages


def test_a_move_to_the_one_job_named_starts_from_the_job_of_the_conversation():
    """"Et est-il possible de passer ensuite en middle-office ?" right after the back office's careers: the middle
    office's sheet lists the back office among the jobs one comes from (not among those one goes to)."""
    text = "Et est-il possible de passer ensuite en middle-office ?"
    latest = {"intent": {"name": "ask_careers", "confidence": 0.9}, "text": text,
              "entities": [{"entity": "job", "value": "middle-office"}]}
    # Rasa has filled the job slot from the message's entity before the action runs: the job before is in the events
    events = [{"event": "slot", "name": "job", "value": "back-office"},
              {"event": "user", "text": text, "parse_data": latest},
              {"event": "slot", "name": "job", "value": "middle-office"}]
    tracker = Tracker("test-user", {"job": "middle-office", "topic": "careers"}, latest, events, False, None, {},
                      "action_listen")
    messages, _ = _run(tracker)
    [message] = messages
    assert message["response"] == "utter_fact_yes" and "Gestionnaire back-office" in message["facts"], message
    assert "vers ce métier" in message["where"], message


def test_whether_the_job_suits_someone_gets_no_verdict_and_the_qualities_unless_a_diploma_is_told():
    text = "le back office c'est fait pour moi ?"
    messages, _ = _run(_tracker(text, [(text, "ask_definition")], entities=[{"entity": "job", "value": "back-office"}]))
    assert [m["response"] for m in messages] == ["utter_no_opinion", "utter_answer_qualities"], messages
    # the student's diploma told beside it: the path (what the sheet says of that bac), as before
    said = "jsuis en 1ere STMG, le back office c pour moi ?"
    messages, _ = _run(_tracker(said, [("le back office c pour moi ?", "ask_definition")],
                                context=["jsuis en 1ere STMG,"], entities=[{"entity": "job", "value": "back-office"}]))
    assert messages[0]["response"] == "utter_no_opinion" and "STMG" in " ".join(str(m.get("facts")) for m in messages)


def test_which_job_a_diploma_leads_to_is_answered_for_each_job():
    text = "si j'ai un bac STMG ça marche pour quel métier ?"
    messages, _ = _run(_tracker(text, [(text, "ask_studies")], entities=[
        {"entity": "diploma_kind", "value": "bac stmg"}]))
    responses = [m["response"] for m in messages]
    assert "utter_ask_job" not in responses and len(messages) >= 2, responses
    assert any("STMG" in str(m.get("facts")) for m in messages), messages


def test_an_outcome_promised_gets_the_fact_without_a_yes():
    text = "Le BTS Banque lui garantirait-il donc un poste de gestionnaire de back-office ?"
    messages, _ = _run(_tracker(text, [(text, "ask_studies")], entities=[{"entity": "job", "value": "back-office"}]))
    assert "BTS Banque" in str(messages[0].get("facts")), messages
    assert all(m["response"] not in ("utter_fact_yes", "utter_fact_yes_to_negative") for m in messages), messages


def test_the_other_sheet_named_as_where_to_look_asks_the_question_just_asked(dispatcher):
    """"le BTS banque en fait partie ?" (the middle office's studies) then "et dans la fiche de l'autre métier ?" (read
    as where the sheets come from): the same question, of the back office — its sheet lists BTS Banque."""
    if len(queries.list_jobs()) != 2:
        return  # "l'autre" names no job among three (test_the_other_job_is_the_one_not_in_context)
    slots = {"job": "middle-office", "topic": "studies", "question": "le BTS banque en fait partie ?"}
    tracker = make_tracker("ask_source", [], slots=slots, text="et dans la fiche de l'autre métier ?")
    ActionAnswerTopic().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_fact_yes" and "BTS Banque" in message["facts"], message
    assert "back-office" in message["job_name"]
    # where the sheets come from is still that
    other = CollectingDispatcher()
    ActionAnswerTopic().run(other, make_tracker("ask_source", [], slots=slots, text="et d'où vient la fiche ?"), {})
    assert other.messages[0]["response"] != "utter_fact_yes"


def test_a_job_and_nothing_of_its_own_asks_the_question_just_asked_whatever_topic_was_read(dispatcher):
    """"et lui ? le middle" right after the back office's studies, read as telework: the studies, of the middle."""
    slots = {"job": "back-office", "topic": "studies", "question": "quelles études faut-il ?"}
    tracker = make_tracker("ask_telework", [{"entity": "job", "value": "middle-office"}], slots=slots,
                           text="et lui ? le middle")
    ActionAnswerTopic().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_answer_studies" and "middle-office" in message["job_name"], message


def test_a_student_in_khagne_asking_whether_the_job_stays_possible_gets_the_sheet_s_studies(dispatcher):
    """"Le back-office ça reste possible ?" once "je suis en khâgne" is told: the studies the sheet lists (khâgne is
    not one of them), never the hours' "ils restent assez stables"."""
    tracker = make_tracker("ask_careers", [{"entity": "job", "value": "back-office"}], slots={"profile": "khagne"},
                           text="Le back-office ça reste possible ?")
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_fact_not_listed", dispatcher.messages[0]
    assert "khagne" in dispatcher.messages[0]["item"].lower() and "STMG" in dispatcher.messages[0]["facts"]


@pytest.mark.parametrize("text,entities", [
    ("et le back il en a besoin ?", [{"entity": "job", "value": "back-office"}]),
    ("Et l'autre métier, il lui en faut ?", []),
])
def test_what_was_just_asked_by_its_pronoun_is_asked_again_of_the_job_named(dispatcher, text, entities):
    """"il faut parler anglais au middle ?" then "et le back il en a besoin ?": English, of the back office — not
    the back office's whole skills list."""
    if not entities and len(queries.list_jobs()) != 2:
        return  # "l'autre" names no job among three (test_the_other_job_is_the_one_not_in_context)
    slots = {"job": "middle-office", "topic": "skills", "question": "il faut parler anglais au middle ?"}
    ActionAnswerTopic().run(dispatcher, make_tracker("ask_skills", entities, slots=slots, text=text), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_fact_yes" and "anglais" in message["facts"], message
    assert "back-office" in message["job_name"]


def test_the_second_question_that_only_names_another_job_asks_the_first_of_it():
    """"Le back-office fait de la monétique ? Et le middle-office aussi ?": the second asks the first of the middle
    office — its sheet's answer (not cited there, said where it is), not the middle office's whole missions."""
    first, second = "Le back-office fait de la monétique ?", "Et le middle-office aussi ?"
    entities = [{"entity": "job", "value": "back-office"}, {"entity": "job", "value": "middle-office"}]
    messages, _ = _run(_tracker(f"{first} {second}", [(first, "ask_missions"), (second, "inform_job")],
                                entities=entities))
    assert messages[0]["response"] == "utter_fact_yes" and "monétiques" in messages[0]["facts"], messages
    later = [m for m in messages[1:] if "middle-office" in str(m.get("job_name", "")).lower()
             or "middle" in str(m).lower()]
    assert later and all(m["response"] != "utter_answer_missions" for m in later), later
    assert all(not str(m.get("response", "")).startswith("utter_fact_yes") for m in messages[1:]), messages


def test_en_in_a_second_question_is_the_topic_of_the_first():
    """"quelles compétences pour le back, et combien la fiche du middle en liste ?": "en" is the skills — the middle
    office's count of them, not its studies (what the NLU read)."""
    first, second = "quelles compétences pour le back,", "et combien la fiche du middle en liste ?"
    entities = [{"entity": "job", "value": "back-office"}, {"entity": "job", "value": "middle-office"}]
    messages, _ = _run(_tracker(f"{first} {second}", [(first, "ask_skills"), (second, "ask_studies")],
                                entities=entities))
    assert messages[0]["response"] == "utter_answer_skills", messages
    count = messages[1]
    assert count["response"] == "utter_answer_count" and count["count"] == 12, count
    assert "Vérifier la conformité" in count["facts"], count
