"""action_compare_jobs and action_handle_fallback."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_term import dispatch_term_question
from actions.answer_topic import ActionCompareJobs
from actions.fallback import ActionHandleFallback, ActionHelp
from knowledge import queries
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


def test_compare_a_topic_one_sheet_lacks_shows_what_that_sheet_offers_instead(dispatcher):
    ActionCompareJobs().run(dispatcher, make_tracker("compare_jobs", text="quelles qualités pour chacun des deux ?",
                                                     slots={"topic": "qualities"}), {})
    facts = dispatcher.messages[0]["facts"]
    middle = facts[facts.index("middle-office"):]
    assert "Rigueur" in facts and "ne donne pas d'information" in middle and "En revanche" in middle
    assert "relation de confiance" in middle  # its behavioural skills, as when the middle office is asked alone


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
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}],
                           text="le back office zorglube les flux ?")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_missions", "confidence": 0.28},
        {"name": "greet", "confidence": 0.2}, {"name": "ask_skills", "confidence": 0.1}]
    events = ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_topic"
    assert [b["payload"] for b in message["buttons"]] == ['/ask_missions{"job": "back-office"}',
                                                          '/ask_skills{"job": "back-office"}']
    assert events[0]["value"] == "back-office"


def _compare(text: str, slots: dict | None = None):
    dispatcher = CollectingDispatcher()
    ActionCompareJobs().run(dispatcher, make_tracker("compare_jobs", [], slots=slots or {}, text=text), {})
    return dispatcher.messages


def test_a_ranking_is_beyond_the_sheets_each_says_its_own_on_that_point():
    messages = _compare("lequel des deux demande le plus d'anglais ?")
    # every sheet cites English (a third job's sheet does not: the point only)
    every = "utter_compare_point_both" if len(queries.list_jobs()) == 2 else "utter_compare_point"
    assert [m["response"] for m in messages] == ["utter_compare_no_ranking", every]
    point = messages[1]["facts"]
    assert "Maîtrise de l'anglais" in point and "Utiliser l'anglais en contexte professionnel" in point
    assert "Encadrer une équipe" not in point  # that point only, not the whole skills lists


def test_a_point_one_sheet_is_silent_on():
    point = _compare("lequel des deux est le plus stressant ?")[-1]["facts"]
    back, middle = point.split("▸ Gestionnaire middle-office")
    assert "ne donne pas d'information" in back and "Gérer des situations de stress" in middle


def _every_job() -> set[str]:
    """How answers name each job of the knowledge base (a third job added as data is one more)."""
    from actions.context import lower_first
    from knowledge import queries

    return {lower_first(job.name) for job in queries.list_jobs()}


def test_a_closed_question_about_both_gets_each_jobs_own_answer():
    messages = _compare("les deux exigent un bac+5 ?")
    responses = {m["job_name"]: m["response"] for m in messages}
    assert set(responses) == _every_job()
    assert {name: responses[name] for name in ("gestionnaire de back-office", "gestionnaire middle-office")} == {
        # the back office's sheet names no "bac + 5" yet lists options from the bac on: no obligation either
        "gestionnaire de back-office": "utter_fact_not_required",
        "gestionnaire middle-office": "utter_fact_not_required"}
    assert all(not m.get("response", "").startswith("utter_fact_yes") for m in messages)


def test_a_diploma_asked_of_both():
    messages = _compare("avec un BTS je peux faire lequel ?")
    facts = {m["job_name"]: m.get("facts", "") for m in messages}
    assert set(facts) == _every_job() and all(m["response"] != "utter_fact_yes" for m in messages)
    assert "BTS Banque" in facts["gestionnaire de back-office"] and "BTS/DUT" in facts["gestionnaire middle-office"]


def test_counting_a_ranking_shows_the_numbers():
    messages = _compare("lequel a le plus de compétences ?")
    assert messages[0]["response"] == "utter_compare_no_ranking"
    assert "Gestionnaire de back-office (5)" in messages[1]["facts"]
    assert "Gestionnaire middle-office (12)" in messages[1]["facts"]


def test_a_topic_no_sheet_covers_is_not_ranked():
    assert [m["response"] for m in _compare("lequel paye le mieux ?")] == ["utter_not_in_any_sheet"]


def _hesitant(text: str, first: str, second: str, entities: list | None = None):
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": first, "confidence": 0.41},
               {"name": second, "confidence": 0.39}]
    tracker = make_tracker("nlu_fallback", entities or [], text=text)
    tracker.latest_message["intent_ranking"] = ranking
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    return dispatcher.messages


def test_no_clarification_between_definition_and_missions():
    [message] = _hesitant("que fait un gestionnaire middle office ?", "ask_missions", "ask_definition",
                          [{"entity": "job", "value": "middle-office"}])
    assert message["response"] == "utter_answer_missions"


def test_no_clarification_when_a_fact_decides():
    [message] = _hesitant("c'est lui qui lance les procédures de recouvrement au back office ?", "ask_figures",
                          "ask_missions", [{"entity": "job", "value": "back-office"}])
    assert message["response"] == "utter_fact_yes" and "recouvrement" in message["facts"]


def test_a_real_doubt_still_asks():
    [message] = _hesitant("et pour le back office alors", "ask_studies", "ask_skills",
                          [{"entity": "job", "value": "back-office"}])
    assert message["response"] == "utter_ask_topic"


def test_a_fact_named_word_for_word_decides_a_message_not_understood():
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}],
                           text="c'est lui qui lance les procédures de recouvrement au back office ?")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_figures", "confidence": 0.27}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_fact_yes" and "recouvrement" in message["facts"]


def test_a_fact_said_alike_by_the_definition_and_the_missions_still_decides():
    """"les échéances c'est le middle non ?": the back office's definition and missions both name the deadlines —
    not two rival sections: the middle office's sheet does not cite them, the back office's does (never a "oui")."""
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "middle-office"}],
                           text="les echeances c'est le middle non ?")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_term", "confidence": 0.16}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] in ("utter_fact_no_other_job", "utter_fact_elsewhere_only"), message
    assert "chéances" in message["facts"] and message["other_job_name"].endswith("back-office"), message


def _not_understood(text: str, entities: list | None = None, ranking: list | None = None):
    tracker = make_tracker("nlu_fallback", entities or [], text=text)
    tracker.latest_message["intent_ranking"] = ranking or [{"name": "nlu_fallback", "confidence": 0.3},
                                                           {"name": "ask_figures", "confidence": 0.21},
                                                           {"name": "ask_rhythm", "confidence": 0.16}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    return dispatcher.messages


def test_a_topic_named_by_its_own_words_decides_a_message_not_understood():
    [message] = _not_understood("c'est vrai qu'en middle-office on se déplace peu ?",
                                [{"entity": "job", "value": "middle-office"}])
    assert message["response"] != "utter_out_of_scope" and "déplacements" in str(message)


def test_a_diploma_named_means_the_studies():
    [message] = _not_understood("le back-office ça prend quels bacs ?", [
        {"entity": "job", "value": "back-office"}, {"entity": "diploma_kind", "value": "bacs"}])
    assert "STMG" in str(message)


def test_a_subject_no_sheet_covers_gets_the_honest_gap_not_the_scope():
    [message] = _not_understood("j'ai 16 ans, je pourrai commencer à quel âge ?")
    assert message["response"] == "utter_not_in_any_sheet" and message["topic_label"] == "âge"


def test_a_topic_or_its_comparison_the_jobs_named_decide():
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_skills", "confidence": 0.5},
               {"name": "compare_jobs", "confidence": 0.49}]
    both = [{"entity": "job", "value": "middle-office"}, {"entity": "job", "value": "back-office"}]
    messages = _not_understood("qu'est-ce que les compétences du middle et du back office ont en commun ?", both,
                               ranking)
    assert [m["response"] for m in messages] == ["utter_compare"] and "applicatifs" in str(messages)
    [one] = _not_understood("les compétences du back office, lesquelles ?", both[1:], ranking)
    assert one["response"] == "utter_answer_skills"


def test_out_of_scope_unsure_about_a_message_naming_a_diploma_answers_the_studies(dispatcher):
    tracker = make_tracker("out_of_scope", [{"entity": "diploma_kind", "value": "magistère"}],
                           slots={"job": "back-office", "topic": "studies"}, text="il y a un magistère aussi ?")
    tracker.latest_message["intent"]["confidence"] = 0.38
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_fact_yes" and "Magistère" in message["facts"]


def test_out_of_scope_when_sure_stays_out_of_scope(dispatcher):
    tracker = make_tracker("out_of_scope", [{"entity": "diploma_kind", "value": "master"}],
                           text="je veux un master en médecine, c'est où ?")
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


def test_not_understood_but_naming_only_a_job_asks_the_same_for_that_job(dispatcher):
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "middle-office"}],
                           slots={"topic": "source"}, text="et celle du middle office précisément ?")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_source", "confidence": 0.1}]
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] in ("utter_answer_source", "utter_answer_source_no_url")
    assert "Observatoire" in message["publisher"]


def test_a_comparative_is_a_ranking_the_sheets_do_not_make():
    """"plus administratif que", "moins stressant que": never each job's "oui" side by side."""
    from actions.compare_jobs import compares, ranks

    assert ranks("le back office c'est plus administratif que le middle ?")
    assert ranks("le middle office est moins stressant que le back office ?")
    assert compares("c'est plus dur d'entrer en middle qu'en back ?")
    assert not ranks("quelles compétences pour le back office ?")


def test_a_word_pointing_to_one_topic_answers_it_when_not_understood(dispatcher):
    """"le back office demande de parler allemand ?" not understood: a language points to the skills, where the
    sheet is checked (it cites English, not German): the honest gap with the skills, never a "oui"."""
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}],
                           text="Le back office demande de parler allemand ?")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "inform_job", "confidence": 0.25}]
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] != "utter_ask_topic" and "anglais" in str(message), message
    assert not str(message.get("text") or "").startswith("Oui")


def test_unsure_between_two_topics_the_one_whose_own_section_answers(dispatcher):
    """"il peut intervenir sur les marchés ?" (back office in context), missions and careers alike: the missions say
    it themselves (the careers' answer would come from another section): answered, no "tu veux savoir quoi ?"."""
    tracker = make_tracker("nlu_fallback", slots={"job": "back-office"}, text="il peut intervenir sur les marchés ?")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_careers", "confidence": 0.47},
        {"name": "ask_missions", "confidence": 0.43}]
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] not in ("utter_ask_topic", "utter_out_of_scope"), message
    assert "opérations d'achat et de vente de titres" in str(message), message


def test_not_understood_but_naming_a_fact_of_the_other_sheet_is_that_fact_s_section(dispatcher):
    """"en back office c'est toi qui fais la valorisation des opérations ?": a mission of the middle office's sheet;
    answered as the missions (the back office's sheet does not say it), never "oui"."""
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}],
                           text="En back office c'est toi qui fais la valorisation des opérations ?")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_missions", "confidence": 0.29},
        {"name": "ask_term", "confidence": 0.24}]
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] not in ("utter_ask_topic", "utter_out_of_scope"), message
    assert "middle" in str(message).lower() and not str(message.get("text") or "").startswith("Oui"), message


def test_both_asked_and_only_one_sheet_says_it_is_no_yes(dispatcher):
    """"les deux demandent l'esprit d'équipe ?": the back office's sheet says it in these words, the middle office's
    qualities do not — "une seule des deux fiches le dit en ces termes", each sheet's answer, no "oui" in front of
    one of them."""
    from actions.compare_jobs import answer_for_both

    answer_for_both(dispatcher, "Les deux demandent l'esprit d'équipe ?", "qualities")
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_compare_not_both" and "utter_fact_yes" not in responses, responses
    assert "Esprit d'équipe" in str(dispatcher.messages)
    from knowledge import queries

    if len(queries.list_jobs()) == 2:  # "les deux" names the two jobs of the base (a third job's sheet is silent)
        both = CollectingDispatcher()
        answer_for_both(both, "Les deux demandent l'anglais ?", "skills")  # both sheets say it: each its "oui"
        assert [m["response"] for m in both.messages] == ["utter_fact_yes", "utter_fact_yes"]


def test_a_term_of_the_sheets_read_as_out_of_scope_is_explained(dispatcher):
    """"c'est quoi exactement le BUT GEA ?" scored out of scope: the sheets' own word, explained with its source."""
    ActionHandleFallback().run(dispatcher, make_tracker("out_of_scope", text="c'est quoi exactement le BUT GEA ?"), {})
    assert dispatcher.messages[0]["response"] == "utter_term_defined", dispatcher.messages
    assert "gestion des entreprises" in str(dispatcher.messages[0]).lower()


def test_a_word_a_sheet_uses_without_defining_it_is_shown_where_it_is_used(dispatcher):
    """"j'ai vu recouvrement dans la fiche back-office, c'est dans quel contexte ?": never "the sheets do not talk
    about this word" — the back office's sheet uses it in a mission."""
    from actions.answer_term import dispatch_term_question

    dispatch_term_question(dispatcher, "j'ai vu recouvrement dans la fiche back-office, c'est dans quel contexte ?")
    [message] = dispatcher.messages
    assert message["response"] == "utter_term_used" and "recouvrement" in message["facts"], message


@pytest.mark.parametrize("text, job_id, shown", [
    ("c'est quoi RNCP ?", "middle-office", "Licence professionnelle"),  # only in the diplomas' codes and links
    ("ça veut dire quoi comportementale", "middle-office", "Travailler en équipe"),  # the skills' type
])
def test_a_word_only_in_the_sheets_lines_is_shown_where_it_is_used(dispatcher, text, job_id, shown):
    """A word the fact search ignores (a code, a link, a skill's type) is still the sheet's: never "the sheets do
    not talk about this word"."""
    from actions.answer_term import dispatch_term_question

    answered, job = dispatch_term_question(dispatcher, text)
    [message] = dispatcher.messages
    assert answered and job is not None and job.id == job_id
    assert message["response"] == "utter_term_used" and shown in message["facts"], message


def test_a_quoted_word_in_a_long_message_is_looked_up_in_the_sheets(dispatcher):
    """A teacher's message around « règlement-livraison »: the sheet that uses it, whatever else the message says."""
    from actions.answer_term import dispatch_term_question

    text = ("Bonjour, en préparant un exposé avec mes élèves de terminale, nous avons rencontré le terme "
            "« règlement-livraison » dans la fiche du gestionnaire middle-office. "
            "Que dit exactement la fiche à ce sujet ?")
    answered, job = dispatch_term_question(dispatcher, text)
    [message] = dispatcher.messages
    assert answered and job is not None and job.id == "middle-office"
    assert message["response"] == "utter_term_used" and "règlement-livraison" in message["facts"], message


def test_a_word_no_sheet_uses_is_left_to_the_caller_when_asked(dispatcher):
    from actions.answer_term import dispatch_term_question

    assert dispatch_term_question(dispatcher, "ça veut dire quoi la blockchain ?", say_unknown=False) == (False, None)
    assert dispatcher.messages == []
    assert dispatch_term_question(dispatcher, "ça veut dire quoi la blockchain ?") == (True, None)
    assert dispatcher.messages[0]["response"] == "utter_term_unknown"


def test_the_job_family_is_explained_from_the_sheet(dispatcher):
    """"La famille métiers « Middle / Back office », c'est quoi ?": the sheet's own words, its key figures' family."""
    from actions.answer_term import dispatch_term_question

    answered, job = dispatch_term_question(dispatcher, "La famille métiers « Middle / Back office », c'est quoi ?")
    [message] = dispatcher.messages
    assert answered and job is not None and job.id == "middle-office"
    assert message["response"] == "utter_term_defined" and "1 220" in message["definition"], message


def test_a_whole_question_no_sheet_word_answers_is_left_to_the_caller(dispatcher):
    """Read as a question about a word, "c'est quoi le niveau le plus haut qu'on demande pour ce poste ?" is a whole
    question: never "the sheets do not use this word" (the caller answers it on a topic)."""
    from actions.answer_term import dispatch_term_question

    answered, _ = dispatch_term_question(dispatcher, "c'est quoi le niveau le plus haut qu'on demande pour ce poste ?")
    assert not answered and dispatcher.messages == []
    answered, _ = dispatch_term_question(dispatcher, "c'est quoi la trigonométrie ?")  # a word: the honest gap
    assert answered and dispatcher.messages[0]["response"] == "utter_term_unknown"


def test_a_short_follow_up_naming_a_diploma_is_in_scope_however_sure_the_nlu(dispatcher):
    """"et ingé ?" after the studies, read as out of scope with confidence: a diploma, asked of the studies."""
    tracker = make_tracker("out_of_scope", text="et ingé ?", slots={"job": "back-office", "topic": "studies"})
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages and dispatcher.messages[0]["response"] != "utter_out_of_scope", dispatcher.messages
    assert "ingénieur" in str(dispatcher.messages).lower()


def test_where_one_works_is_the_honest_gap(dispatcher):
    ActionHandleFallback().run(dispatcher, make_tracker("out_of_scope", text="l'autre il bosse où du coup"), {})
    assert dispatcher.messages[0]["response"] == "utter_not_in_any_sheet", dispatcher.messages


def test_an_item_asked_after_a_list_is_where_the_sheet_names_it_even_out_of_scope(dispatcher):
    """"auditeur c'est quoi ça" read as out of scope: the middle office's sheet names it among the careers."""
    events = ActionHandleFallback().run(dispatcher, make_tracker("out_of_scope", text="auditeur c'est quoi ça"), {})
    assert dispatcher.messages[0]["response"] == "utter_term_used" and "Auditeur" in dispatcher.messages[0]["facts"]
    assert events and events[0]["value"] == "middle-office"


def test_a_sheet_word_only_as_a_partner_is_no_question_about_the_word():
    from actions.answer_term import only_as_partner

    assert only_as_partner("et il fait quoi avec le front ?")
    assert not only_as_partner("c'est quoi le front office ?") and not only_as_partner("front office ?")


def test_the_one_job_whose_sheet_says_yes_is_the_job_next():
    """"c'est qui qui fait la facturation client, middle ou back ?": only the middle office's sheet says it — the
    job "et lui ?" means next."""
    from actions.compare_jobs import answer_for_both

    said_by: list = []
    answer_for_both(CollectingDispatcher(), "c'est qui qui fait la facturation client, middle ou back ?", "missions",
                    said_by=said_by)
    assert [job.id for job in said_by] == ["middle-office"]
    said_by = []
    answer_for_both(CollectingDispatcher(), "Les deux demandent l'anglais ?", "skills", said_by=said_by)
    assert said_by == []  # both say it: no one job


def test_help_says_what_the_bot_does(dispatcher):
    ActionHelp().run(dispatcher, make_tracker("help", text="tu sais faire quoi ?"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_help"]
    dispatcher.messages.clear()
    # "tes compétences à toi": a topic's word, still a request for help
    ActionHelp().run(dispatcher, make_tracker("help", text="c'est quoi tes compétences à toi ?"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_help"]


def test_help_misread_of_a_diploma_or_a_why_answers_it(dispatcher):
    """"et y a quels autres bacs ?" and "pourquoi ces métiers-là ?" read as a request for help: the studies; the
    answer just given, said plainly that the sheet explains no more."""
    tracker = make_tracker("help", text="et y a quels autres bacs ?", slots={"job": "back-office", "topic": "studies"})
    ActionHelp().run(dispatcher, tracker, {})
    assert "STMG" in str(dispatcher.messages) and "utter_help" not in str(dispatcher.messages)
    dispatcher.messages.clear()
    tracker = make_tracker("help", text="pourquoi ces métiers-là ?", slots={"job": "middle-office", "topic": "careers"})
    ActionHelp().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_why_follow_up" and "Auditeur" in str(dispatcher.messages)



def test_another_job_asked_right_after_the_careers_is_checked_in_them(dispatcher):
    """"et un comptable ?" (out of scope, a job no sheet has) right after the middle office's careers: "not listed",
    with the list — never "I only know two jobs"."""
    tracker = make_tracker("out_of_scope", [{"entity": "other_job", "value": "comptable"}], text="et un comptable ?",
                           slots={"job": "middle-office", "topic": "careers"})
    ActionHandleFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_fact_not_listed" and message["item"] == "comptable", message
    dispatcher.messages.clear()
    tracker = make_tracker("out_of_scope", [{"entity": "other_job", "value": "comptable"}], text="et un comptable ?",
                           slots={"job": "middle-office", "topic": "skills"})
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_unknown_job"


@pytest.mark.parametrize("text,word", [("c koi les titres dont parle la fiche du bo", "titres"),
                                       ("kes ke l'intermediation", "intermédiation")])
def test_a_word_the_sheets_use_asked_in_sms_is_never_said_unused(dispatcher, text, word):
    from actions.answer_term import dispatch_term_question

    answered, _ = dispatch_term_question(dispatcher, text)
    [message] = dispatcher.messages
    assert answered and message["response"] == "utter_term_used" and word in message["facts"], message


def test_a_closed_question_one_sheet_answers_says_each_once_with_one_set_of_buttons():
    messages = _compare("les deux doivent gérer le stress ?")
    assert messages[0]["response"] == "utter_compare_not_both", messages
    by_job = {m["job_name"]: m for m in messages[1:]}
    assert set(by_job) == _every_job()  # one message per job (a third job's sheet is one more)
    # not "it is in the other sheet": that sheet's own answer follows
    assert by_job["gestionnaire de back-office"]["response"] == "utter_fact_not_cited"
    middle = by_job["gestionnaire middle-office"]
    assert middle["response"] == "utter_fact_found" and "Gérer des situations de stress" in middle["facts"]
    assert [bool(m.get("buttons")) for m in messages] == [False] * (len(messages) - 1) + [True]


@pytest.mark.parametrize("text, listed, not_listed", [
    ("depuis ce métier dans la fiche middle c'est quoi", "Secrétaire général", "Contrôleur de gestion"),
    ('"vers ce métier" ça veut dire quoi sur la fiche du middle', "Contrôleur de gestion", "Secrétaire général"),
])
def test_a_term_heading_a_list_is_explained_with_that_list(text, listed, not_listed):
    dispatcher = CollectingDispatcher()
    answered, _ = dispatch_term_question(dispatcher, text)
    message = dispatcher.messages[0]
    assert answered and message["response"] == "utter_term_defined_list", message
    assert listed in message["facts"] and not_listed not in message["facts"]


def test_a_list_named_in_the_glossary_needs_a_topic(tmp_path):
    from knowledge.glossary import load_glossary
    from knowledge.loader import DataFileError

    sheet = tmp_path / "job.txt"
    sheet.write_text("VERS CE MÉTIER\n", encoding="utf-8")
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n  t:\n    job: j\n    words: [vers ce metier]\n    definition: d\n"
                        "    quote: VERS CE MÉTIER\n    lists: {direction: up}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="lists"):
        load_glossary(glossary, {"j": sheet})


def _right_after_an_answer(text: str, slots: dict, before: str = "avant"):
    return _hesitating_between(text, slots, [], [("ask_trainings", 0.32), ("ask_qualities", 0.3)], before)


def test_an_obligation_asked_right_after_a_list_not_understood_is_asked_of_that_list():
    messages = _right_after_an_answer("elle est obligatoire ?", {"topic": "trainings", "job": "middle-office"})
    assert messages and messages[0]["response"] not in ("utter_out_of_scope", "utter_ask_topic"), messages
    assert "MIF 2" in str(messages)


def test_the_reverse_of_a_move_not_understood_is_that_move_the_other_way():
    messages = _right_after_an_answer("et l'inverse ?", {"topic": "careers", "job": "middle-office"},
                               before="on peut passer du middle au back ?")
    assert messages and messages[0]["response"] != "utter_out_of_scope", messages
    assert "back-office" in str(messages).lower()


def test_a_fact_named_decides_between_a_topic_and_a_word_s_meaning():
    """Between the figures and a word's meaning (both above the fallback's threshold): the fact the message names."""
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "middle-office"}],
                           text="au middle office c'est quoi la part des jeunes diplômés ?")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_figures", "confidence": 0.46},
                                                {"name": "ask_term", "confidence": 0.44}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages and "jeune diplômé" in str(dispatcher.messages[0]), dispatcher.messages


def test_what_the_two_jobs_have_in_common_is_the_topic_side_by_side():
    messages = _compare("quelles qualités sont communes aux deux métiers ?")
    assert [m["response"] for m in messages] == ["utter_compare"], messages
    assert "Esprit d'équipe" in messages[0]["facts"]


def test_a_word_of_the_sheets_decides_between_a_topic_and_its_meaning():
    tracker = make_tracker("nlu_fallback", text="c'est quelle famille déjà ?", slots={"job": "middle-office"})
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_term", "confidence": 0.36},
                                                {"name": "ask_figures", "confidence": 0.32}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_term_defined", dispatcher.messages


def _hesitating_between(text: str, slots: dict, entities: list, ranking: list[tuple[str, float]],
                        before: str = "avant"):
    """The fallback's messages for `text`, the NLU unsure between `ranking`, right after an answer to `before`."""
    from rasa_sdk import Tracker

    scores = [{"name": name, "confidence": score} for name, score in [("nlu_fallback", 0.3), *ranking]]
    latest = {"intent": scores[0], "entities": entities, "text": text, "intent_ranking": scores}
    events = [{"event": "user", "text": before, "parse_data": {"intent": {"name": "ask_careers"}}},
              {"event": "action", "name": "action_answer_topic"}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, Tracker("u", slots, latest, events, False, None, {}, "action_listen"), {})
    return dispatcher.messages


def test_a_closed_question_naming_only_another_job_asks_the_question_before_of_it():
    """"et le back-office a des niveaux comme ça ?" between a word's meaning and the hours: the question just asked
    (the skills of one level), for the job named — not "tu veux savoir quoi ?"."""
    asked = "Quelles compétences de niveau expertise pour le middle-office ?"
    from knowledge import queries

    for job in queries.list_jobs():
        messages = _hesitating_between("et lui, il a des niveaux comme ça ?", {"topic": "skills", "question": asked},
                                       [{"entity": "job", "value": job.id}],
                                       [("ask_term", 0.34), ("ask_rhythm", 0.33)])
        assert messages and messages[0]["response"] not in ("utter_ask_topic", "utter_out_of_scope"), messages
        assert messages[0]["job_name"] == job.name[0].lower() + job.name[1:], messages
    # an open question naming a job is not the question before
    messages = _hesitating_between("et lui, c'est quoi ?", {"topic": "skills", "question": asked},
                                   [{"entity": "job", "value": "back-office"}],
                                   [("ask_term", 0.34), ("ask_rhythm", 0.33)])
    assert all("niveau" not in str(m.get("filter_name", "")) for m in messages), messages


@pytest.mark.parametrize("text", ["c'est-à-dire maîtrise ?", "c'est à dire expertise ?"])
def test_c_est_a_dire_and_a_word_of_the_sheets_asks_its_meaning(text):
    from knowledge import queries
    from knowledge.glossary import meaning_asked
    from knowledge.text import fold

    assert [t.id for t in meaning_asked(fold(text), queries.glossary())] == ["skill-levels"]


def test_a_question_word_alone_right_after_a_precise_answer_is_about_that_topic():
    """"à quel moment ?" read as out of scope, right after "le back office voit les clients ?": the topic just
    answered (its list says when), not "je ne connais que deux métiers"; with no question before, out of scope."""
    from rasa_sdk import Tracker

    def fallback(slots: dict) -> list:
        latest = {"intent": {"name": "out_of_scope", "confidence": 0.98}, "entities": [], "text": "à quel moment ?",
                  "intent_ranking": [{"name": "out_of_scope", "confidence": 0.98}]}
        events = [{"event": "user", "text": "à quel moment ?", "parse_data": latest}]
        dispatcher = CollectingDispatcher()
        ActionHandleFallback().run(dispatcher, Tracker("u", slots, latest, events, False, None, {}, "action_listen"),
                                   {})
        return dispatcher.messages

    asked = {"job": "back-office", "topic": "interlocutors", "question": "le back office voit les clients ?"}
    assert fallback(asked)[0]["response"] == "utter_answer_interlocutors"
    assert fallback({})[0]["response"] == "utter_out_of_scope"


def test_a_word_of_the_sheets_asked_what_it_is_is_where_they_use_it_however_spelled(dispatcher):
    """"monetik c koi pr le bo" not understood: the sheet names "outils monétiques" without explaining them — said so,
    with where; a word no sheet uses still gets the scope (never an invented meaning)."""
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}], text="monetik c koi pr le bo")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.3},
                                                {"name": "ask_term", "confidence": 0.19}]
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_term_used"
    assert "outils monétiques" in str(dispatcher.messages[0])
    other = CollectingDispatcher()
    tracker = make_tracker("nlu_fallback", [], text="zorglube c koi")
    ActionHandleFallback().run(other, tracker, {})
    assert other.messages[0]["response"] != "utter_term_used"


def test_a_topic_the_message_points_to_decides_between_two_close_intents(dispatcher):
    """"le back office c'est dans quel secteur ?" unsure between the definition and the figures: "secteur" points to
    what the job is (its definition names the bank), not "tu veux savoir quoi ?"."""
    tracker = make_tracker("nlu_fallback", [{"entity": "job", "value": "back-office"}],
                           text="le back office c'est dans quel secteur ?")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_definition", "confidence": 0.51},
        {"name": "ask_figures", "confidence": 0.47}]
    ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_answer_definition", dispatcher.messages
    assert "banque" in str(dispatcher.messages[0])


def test_a_doubt_read_as_a_question_about_the_bot_checks_the_answer_just_given(dispatcher):
    """"t'es sûr ?" right after "oui, … maîtrise de l'anglais" (read as "t'es un robot ?"): the certainty is checked
    (no fact says it is certain: never a plain "oui"); "t'es un robot ?" is still told what the bot is."""
    from actions.fallback import ActionBotChallenge

    slots = {"job": "back-office", "topic": "skills", "question": "il faut parler anglais en back office ?"}
    ActionBotChallenge().run(dispatcher, make_tracker("bot_challenge", slots=slots, text="t'es sûr ?"), {})
    responses = [m["response"] for m in dispatcher.messages]
    assert "utter_iamabot" not in responses and "utter_fact_yes" not in responses and responses
    robot = CollectingDispatcher()
    ActionBotChallenge().run(robot, make_tracker("bot_challenge", slots=slots, text="t'es un robot ?"), {})
    assert [m["response"] for m in robot.messages] == ["utter_iamabot"]


def test_a_contradiction_of_the_last_answer_gets_each_sheets_facts_without_a_yes():
    """"mais non c'est le middle office qui fait ça, pas le back" right after "le back office intervient sur les
    marchés ? — oui": each sheet's facts, no "oui" (it would read as agreeing with the student)."""
    from actions.compare_jobs import answer_for_both

    asked = "le back office ça intervient sur les marchés financiers ?"
    said = CollectingDispatcher()
    answer_for_both(said, asked, "missions")
    assert "utter_fact_yes" in [m["response"] for m in said.messages]  # the question alone: the sheet says it
    doubted = CollectingDispatcher()
    answer_for_both(doubted, asked, "missions", no_verdict=True)
    responses = [m["response"] for m in doubted.messages]
    assert "utter_fact_yes" not in responses and "utter_fact_found" in responses


def test_savoir_of_j_aimerais_savoir_is_no_skills_word_in_a_comparison():
    """"j'aimerais savoir combien de personnes travaillent dans la famille middle/back office": the figures (the NLU's
    topic), not the skills a keyword "savoir" pointed to."""
    from actions.compare_jobs import _topic_asked

    text = "j'aimerais savoir combien de personnes travaillent dans la famille de métiers middle/back office"
    assert _topic_asked(text, "figures") == "figures"
    assert _topic_asked("et côté savoir-faire, lequel en demande le plus ?", None) == "skills"


def test_a_word_only_a_sheet_s_source_names_is_shown_where_it_is_written(dispatcher):
    """"IDCC 2931 c koi ?": every answer from the middle office's sheet shows its source, « … (IDCC 2931) »; no fact
    uses the word. The sheet names it there without explaining it — never "the sheets do not use this word"."""
    from actions.answer_term import dispatch_term_question

    answered, job = dispatch_term_question(dispatcher, "IDCC 2931 c koi ?")
    assert answered and dispatcher.messages[0]["response"] == "utter_term_used"
    assert "IDCC 2931" in dispatcher.messages[0]["facts"] and job is not None and job.id == "middle-office"


@pytest.mark.parametrize("text,word", [
    # where the student saw the word ("marqué sur la fiche", "écrit en haut de la fiche") is no word asked
    ("c quoi l IDCC marqué sur la fiche middle", "IDCC 2931"),
    ("C'est quoi ce IDCC 2931 écrit en haut de la fiche middle office ?", "IDCC 2931"),
    # the one sheet word among the student's own: the sheets write "RNCP 34025", not "liens"
    ("c'est quoi les liens RNCP dans la fiche du middle ?", "RNCP"),
    ("dans la fiche middle y'a des numéros RNCP, ça renvoie à quoi ?", "RNCP"),
])
def test_the_word_asked_is_the_sheets_word_among_the_students_own(text, word):
    from actions.answer_term import dispatch_term_question

    dispatcher = CollectingDispatcher()
    answered, _ = dispatch_term_question(dispatcher, text)
    assert answered and dispatcher.messages[0]["response"] == "utter_term_used", dispatcher.messages
    assert word in dispatcher.messages[0]["facts"]


def test_a_point_both_sheets_make_is_said_of_both():
    """"lequel demande l'anglais ?" where each sheet cites it: said first; a point one sheet lacks is not."""
    every = "utter_compare_point_both" if len(queries.list_jobs()) == 2 else "utter_compare_point"
    assert [m["response"] for m in _compare("middle ou back, lequel demande l anglais")] == [every]
    assert _compare("lequel des deux est le plus stressant ?")[-1]["response"] == "utter_compare_point"


def _after_a_term(text: str, ranking: list[tuple[str, float]], before: str = "niveau 6 c quoi"):
    """The fallback's messages for `text`, the NLU unsure, right after the bot explained the term of `before`."""
    from rasa_sdk import Tracker

    scores = [{"name": name, "confidence": score} for name, score in [("nlu_fallback", 0.3), *ranking]]
    latest = {"intent": scores[0], "entities": [], "text": text, "intent_ranking": scores}
    events = [{"event": "user", "text": before, "parse_data": {"intent": {"name": "ask_term"}}},
              {"event": "action", "name": "action_answer_term"},
              {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_term_defined"}},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text, "parse_data": latest}]
    dispatcher = CollectingDispatcher()
    ActionHandleFallback().run(dispatcher, Tracker("t", {"job": "middle-office"}, latest, events, False, None, {},
                                                   "action_listen"), {})
    return dispatcher.messages


def test_another_word_of_the_same_kind_right_after_a_term_is_explained():
    """"et niv 7" right after "niveau 6 c quoi", read unsurely: the sheets' word, explained — not "out of scope"."""
    messages = _after_a_term("et niv 7", [("ask_term", 0.25), ("out_of_scope", 0.22)])
    assert messages[0]["response"] == "utter_term_defined" and "Master" in messages[0]["definition"], messages
    # no word of the glossary: not explained
    messages = _after_a_term("et le 8 ?", [("ask_term", 0.25), ("out_of_scope", 0.22)])
    assert all(m["response"] != "utter_term_defined" for m in messages), messages
