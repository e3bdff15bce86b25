"""The answer planner through action_answer_topic: real Trackers, a CollectingDispatcher, the real SQLite base.

One test per kind of precise question (yes, no, not in any sheet, one attribute, filters, two topics,
routing, the job decided by a fact, follow-ups), and the rule that "oui" always rests on a fact.
"""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import planner
from actions.answer_topic import ActionAnswerTopic
from actions.questions import becomes_the_job
from knowledge import queries
from knowledge.question import analyse
from knowledge.text import fold
from tests.actions.conftest import make_tracker

JOB = {"mo": {"entity": "job", "value": "middle-office"}, "bo": {"entity": "job", "value": "back-office"}}


def ask(intent: str, text: str, job: str | None = None, slots: dict | None = None, entities: list | None = None):
    """Run the action on one message; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent, ([JOB[job]] if job else []) + (entities or []), slots=slots, text=text)
    events = ActionAnswerTopic().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def only(messages) -> dict:
    assert len(messages) == 1, messages
    return messages[0]


def list_items(facts: str) -> list[str]:
    """The Markdown list items of a {facts} value."""
    return [line[2:] for line in facts.splitlines() if line.startswith("- ")]


def slot(events, name):
    return next((e["value"] for e in events if e.get("event") == "slot" and e["name"] == name), "unset")


# ---------------------------------------------------------------- yes / no

@pytest.mark.parametrize("intent,text,job,words", [
    ("ask_missions", "le gestionnaire de back office gère les outils monétiques ?", "bo",
     "Gérer les outils monétiques"),
    ("ask_missions", "c'est lui qui lance les procédures de recouvrement ?", "bo", "recouvrement"),
    ("ask_qualities", "faut-il avoir l'esprit d'équipe ?", "bo", "Esprit d'équipe"),
    ("ask_careers", "après le middle office on peut devenir auditeur ?", "mo", "Auditeur"),
    ("ask_studies", "est-ce que le BUT GEA mène au back office ?", "bo", "GEA"),
    ("ask_interlocutors", "il parle avec les clients ?", "mo", "clients"),
    # the sheet's noun said as its verb ("opérations d'achat et de vente")
    ("ask_missions", "il peut acheter et vendre des titres sur les marchés le back ?", "bo", "achat"),
    # a possibility asked of a fact that says one ("il peut être amené à intervenir sur les marchés financiers")
    ("ask_missions", "et il peut aller sur les marchés financiers ?", "bo", "amené"),
    # when, on the student's way, is no word to find; a plea closing the question asks no list
    ("ask_careers", "après quelques années en MO je peux devenir auditeur stp dis moi", "mo", "Auditeur"),
])
def test_yes_quotes_the_fact_of_the_asked_sheet(default_kb, intent, text, job, words):
    message = only(ask(intent, text, job)[0])
    assert message["response"] == "utter_fact_yes"
    assert words in message["facts"] and message["facts"].startswith(("«", "\n\n- "))
    assert message["source"]
    assert message["buttons"][0]["title"].startswith("Voir tout")


def test_no_when_only_the_other_job_has_it(default_kb):
    messages, events = ask("ask_missions", "le back office fait du reporting pour le management ?", "bo")
    message = only(messages)
    assert message["response"] == "utter_fact_no_other_job"
    assert message["job_name"] == "gestionnaire de back-office"
    assert message["other_job_name"] == "gestionnaire middle-office" and "reporting" in message["facts"]
    assert slot(events, "job") == "back-office"


def test_honest_gap_when_no_sheet_has_it_with_what_the_sheet_says(default_kb):
    message = only(ask("ask_careers", "depuis le middle office on peut devenir trader ?", "mo")[0])
    # "trader" is a job the sheet does not list: a plain "non", then the moves the sheet does list from this job
    assert message["response"] == "utter_fact_not_listed" and message["item"] == "trader"
    assert "Auditeur" in message["facts"] and "Secrétaire général" in message["facts"]
    assert "Contrôleur de gestion" not in message["facts"]  # a job one comes from, not one goes to


def test_silent_sheet_is_not_a_no(default_kb):
    """The back-office sheet has no work rhythm at all: it says so, then what the other sheet says."""
    message = only(ask("ask_rhythm", "au back office on bosse pour couvrir les marchés du monde ?", "bo")[0])
    assert message["response"] == "utter_fact_silent_other_job"
    assert "marchés du monde" in message["facts"]


@pytest.mark.parametrize("text", [
    "le back office fait du trading ?", "on peut devenir pilote de ligne ?", "il code en python ?",
    "faut-il un doctorat ?", "le back office travaille le dimanche ?", "on gagne bien sa vie ?",
    "le back office vend des voitures ?", "il faut un permis de conduire ?",
])
@pytest.mark.parametrize("intent", ["ask_missions", "ask_studies", "ask_careers", "ask_skills", "ask_rhythm"])
def test_never_oui_without_a_fact_of_the_asked_sheet(default_kb, text, intent):
    for message in ask(intent, text, "bo")[0]:
        assert message.get("response") != "utter_fact_yes", (intent, text, message)


def test_every_oui_rests_on_a_fact_that_matches_the_question(default_kb):
    """Yes answers only ever quote facts of the asked job's sheet whose words are in the question."""
    questions = [
        ("ask_missions", "il traite les réclamations ?"), ("ask_missions", "il gère les successions ?"),
        ("ask_skills", "faut-il connaître les prêts et garanties ?"), ("ask_studies", "un BTS banque ça marche ?"),
        ("ask_careers", "on peut devenir conseiller clientèle particuliers ?"),
    ]
    sheet = {f.text for t in queries.topics() if t != "source" for f in queries.topic_answer("back-office", t).facts}
    for intent, text in questions:
        message = only(ask(intent, text, "bo")[0])
        assert message["response"] == "utter_fact_yes", text
        quoted = [line.removeprefix("- ").strip("« »") for line in message["facts"].split("\n") if line.strip()]
        assert quoted and all(q in sheet for q in quoted), (text, quoted)


# ---------------------------------------------------------------- one attribute of one fact

def test_one_skill_level_not_the_list(default_kb):
    message = only(ask("ask_skills", "quel niveau d'anglais on demande au middle office ?", "mo")[0])
    assert message["response"] == "utter_fact_found"
    assert message["facts"] == "« Utiliser l'anglais en contexte professionnel (niveau Maîtrise, comportementale) »"


def test_a_diploma_code_and_link_without_a_job(default_kb):
    messages, events = ask("ask_studies", "c'est quoi le numéro RNCP du master finance ?")
    message = only(messages)
    assert "RNCP 32159" in message["facts"]
    assert "https://www.francecompetences.fr/recherche/rncp/32159" in message["facts"]
    assert message["job_name"] == "gestionnaire middle-office"
    assert slot(events, "job") == "middle-office" and slot(events, "topic") == "studies"


@pytest.mark.parametrize("attribute, asked, then", [("code", "et pour ce métier, des numéros RNCP ?", "et des liens ?"),
                                                    ("url", "il y a des liens ?", "et des numéros RNCP ?")])
def test_a_detail_asked_of_a_whole_list_shows_the_items_carrying_it_or_says_none_does(default_kb, attribute, asked,
                                                                                      then):
    """"des numéros RNCP ?" of the studies: the diplomas with one; a sheet giving none says so, never the whole list as
    if it answered (then the next detail asked is that one, not the one before)."""
    for job in queries.list_jobs():
        listed = queries.topic_answer(job.id, "studies").facts
        if not listed:  # a sheet without studies: the topic's own gap, tested elsewhere
            continue
        carrying = [f for f in listed if getattr(f, attribute)]
        messages, events = ask("ask_studies", asked, slots={"job": job.id, "topic": "studies"})
        message = only(messages)
        if carrying:
            assert message["response"] == "utter_fact_found", (job.id, message)
            assert all(f.text in message["facts"] for f in carrying)
            assert all(f.text not in message["facts"] for f in listed if not getattr(f, attribute))
        else:
            assert message["response"] == f"utter_attribute_none_{attribute}", (job.id, message)
            assert all(f.text in message["facts"] for f in listed)
        slots = {"job": job.id, "topic": slot(events, "topic"), "question": slot(events, "question")}
        other = "url" if attribute == "code" else "code"
        message = only(ask("ask_studies", then, slots=slots)[0])
        if any(getattr(f, other) for f in listed):
            assert message["response"] == "utter_fact_found", (job.id, message)
        else:
            assert message["response"] == f"utter_attribute_none_{other}", (job.id, message)


def test_which_job_a_training_is_for_ignores_the_conversation_job(default_kb):
    message = only(ask("ask_trainings", "la formation MIF 2 elle est recommandée pour quel métier ?",
                       slots={"job": "back-office"})[0])
    assert message["job_name"] == "gestionnaire middle-office" and "MIF 2" in message["facts"]


# ---------------------------------------------------------------- filters

def test_skill_type_filter_with_a_count(default_kb):
    entities = [{"entity": "skill_type", "value": "comportementales"}]
    replies = ask("ask_skills", "donne moi seulement les compétences comportementales", "mo", entities=entities)
    message = only(replies[0])
    assert message["response"] == "utter_facts_filtered"
    assert (message["count"], message["total"]) == (4, 12)
    assert "stress" in message["facts"] and "Encadrer" not in message["facts"]


def test_skill_level_filter_from_the_text_alone(default_kb):
    message = only(ask("ask_skills", "quelles compétences de niveau expertise ?", "mo")[0])
    assert message["count"] == 2 and "écarts" in message["facts"] and "stress" not in message["facts"]


def test_diploma_kind_filter(default_kb):
    message = only(ask("ask_studies", "quels masters pour le back office ?", "bo")[0])
    assert message["response"] == "utter_facts_filtered" and message["count"] == 5
    assert "BTS" not in message["facts"]


def test_filter_nothing_passes_is_an_honest_gap(default_kb):
    message = only(ask("ask_studies", "faut-il un doctorat pour le back office ?", "bo")[0])
    assert message["response"] == "utter_filter_none"
    assert "BTS Banque" in message["facts"]


def test_filter_the_sheet_does_not_rate(default_kb):
    message = only(ask("ask_skills", "les compétences techniques du back office", "bo")[0])
    assert message["response"] == "utter_filter_unrated" and message["filter_name"] == "type"
    assert "Maîtrise de l'anglais" in message["facts"]


# ---------------------------------------------------------------- two topics, routing

def test_two_topics_in_one_message_are_both_answered(default_kb):
    messages, events = ask("ask_studies", "quelles études et quelles compétences pour le back office ?", "bo")
    assert [m["response"] for m in messages] == ["utter_answer_studies", "utter_answer_skills"]
    assert messages[0]["buttons"] == [] and messages[1]["buttons"]
    assert slot(events, "question")


def test_routing_to_the_section_that_matches(default_kb):
    """Classified as missions, but the question is about a rhythm fact of the same sheet."""
    message = only(ask("ask_missions", "comment ça se passe avec la crise sanitaire au middle ?", "mo")[0])
    assert message["response"] == "utter_fact_found" and "crise sanitaire" in message["facts"]


def test_a_whole_topic_question_still_gets_the_whole_topic(default_kb):
    messages, events = ask("ask_missions", "qu'est-ce qu'il fait de ses journées un gestionnaire back office ?", "bo")
    message = only(messages)
    assert message["response"] == "utter_answer_missions" and len(list_items(message["facts"])) == 6
    assert slot(events, "question") is None


def test_a_button_payload_asks_for_the_whole_topic(default_kb):
    message = only(ask("ask_skills", '/ask_skills{"job": "middle-office"}', "mo")[0])
    assert message["response"] == "utter_answer_skills"


# ---------------------------------------------------------------- follow-ups keep the question

def test_et_pour_le_back_office_asks_the_same_precise_question(default_kb):
    first, events = ask("ask_skills", "quel niveau d'anglais au middle office ?", "mo")
    slots = {"job": slot(events, "job"), "topic": slot(events, "topic"), "question": slot(events, "question")}
    message = only(ask("inform_job", "et pour le back-office ?", "bo", slots=slots)[0])
    assert message["response"] == "utter_fact_found" and "Maîtrise de l'anglais" in message["facts"]
    assert message["job_name"] == "gestionnaire de back-office"


def test_a_fact_only_one_sheet_has_decides_the_job(default_kb):
    messages, events = ask("ask_missions", "il fait la facturation des clients ?")
    message = only(messages)
    assert message["response"] == "utter_fact_yes" and "facturation" in message["facts"]
    assert message["job_name"] == "gestionnaire middle-office" and slot(events, "job") == "middle-office"


def test_a_fact_both_sheets_have_is_answered_for_each_job(default_kb):
    messages, _ = ask("ask_skills", "il faut parler anglais ?")
    assert [m["response"] for m in messages] == ["utter_fact_yes", "utter_fact_yes"]
    assert {m["job_name"] for m in messages} == {"gestionnaire middle-office", "gestionnaire de back-office"}


def test_a_precise_question_is_remembered_while_asking_the_job(default_kb):
    messages, events = ask("ask_studies", "faut-il un doctorat ?")
    assert only(messages)["response"] == "utter_ask_job"
    slots = {"topic": slot(events, "topic"), "question": slot(events, "question")}
    message = only(ask("inform_job", "le back", "bo", slots=slots)[0])
    assert message["response"] == "utter_filter_none"


def test_a_career_move_the_sheet_gives_the_other_way_round_is_not_a_yes(default_kb):
    message, then = ask("ask_careers", "après le middle office on peut devenir contrôleur de gestion ?", "mo")[0]
    assert message["response"] == "utter_fact_other_direction"
    assert "d'où l'on vient" in message["where"] and "Contrôleur de gestion" in message["facts"]
    # then where the sheet says it does lead, the direction asked
    assert then["response"] == "utter_fact_elsewhere_own" and "vers lesquels" in then["own_where"]
    assert "Auditeur" in then["own_facts"] and "Contrôleur de gestion" not in then["own_facts"]
    message = only(ask("ask_careers", "un contrôleur de gestion peut devenir gestionnaire middle office ?", "mo")[0])
    assert message["response"] == "utter_fact_yes" and "d'où l'on vient" in message["where"]


def test_a_third_job_added_as_data_answers_precise_questions(third_job_kb):
    patrimoine = {"entity": "job", "value": "patrimoine"}
    message = only(ask("ask_missions", "le cgp propose des placements ?", entities=[patrimoine])[0])
    assert message["response"] == "utter_fact_yes" and "Proposer des placements adaptés" in message["facts"]
    message = only(ask("ask_missions", "le cgp traite les réclamations clients ?", entities=[patrimoine])[0])
    assert message["response"] == "utter_fact_no_other_job"
    assert message["other_job_name"] == "gestionnaire de back-office"
    message = only(ask("ask_careers", "le cgp peut devenir trader ?", entities=[patrimoine])[0])
    assert message["response"] == "utter_not_in_sheet"  # no careers section at all: the topic's honest gap
    message = only(ask("ask_qualities", "il faut de la discrétion ?")[0])  # the fact decides the job
    assert message["response"] == "utter_fact_yes" and message["job_name"] == "conseiller en gestion de patrimoine"
    messages, _ = ask("ask_missions", "quelles missions et quelles qualités pour un cgp ?", entities=[patrimoine])
    assert [m["response"] for m in messages] == ["utter_answer_missions", "utter_answer_qualities"]


def test_an_attribute_asked_next_is_about_the_fact_just_answered(default_kb):
    _, events = ask("ask_skills", "gérer le stress c'est une compétence du middle ?", "mo")
    slots = {"job": slot(events, "job"), "topic": slot(events, "topic"), "question": slot(events, "question")}
    message = only(ask("ask_skills", "et elle est à quel niveau ?", slots=slots)[0])
    assert message["response"] == "utter_fact_found"
    assert message["facts"] == "« Gérer des situations de stress (niveau Avancé, comportementale) »"


def test_a_statement_without_question_mark_naming_the_other_jobs_fact(default_kb):
    message = only(ask("ask_missions", "le back office fait la valorisation des opérations", "bo")[0])
    assert message["response"] == "utter_fact_no_other_job" and "valorisation" in message["facts"]


def test_being_in_contact_is_working_with(default_kb):
    """The middle-office sheet says "en contact direct avec le client": a yes; the back-office one
    "éventuellement les clients": the fact, never under a plain "oui"."""
    message = only(ask("ask_interlocutors", "en back office on est en contact avec les clients ?", "bo")[0])
    assert message["response"] == "utter_fact_unqualified" and "Éventuellement les clients" in message["facts"]
    message = only(ask("ask_interlocutors", "en middle office on est en contact avec les clients ?", "mo")[0])
    assert message["response"] == "utter_fact_yes" and "client" in message["facts"]


def test_after_the_bac_is_a_starting_point_not_a_filter(default_kb):
    """What follows the bac: the sheet's studies without its bacs (not the bacs as a filter would give)."""
    message = only(ask("ask_studies", "je peux faire quelle formation après le bac pour bosser en back office ?",
                       "bo")[0])
    assert message["response"] == "utter_facts_after"
    items = list_items(message["facts"])
    assert "BTS Banque" in items and not any(item.startswith("Baccalauréat") for item in items)


def test_a_value_asked_is_not_a_yes(default_kb):
    message = only(ask("ask_figures", "niveau d'étude demandé dans les offres de middle office ?", "mo")[0])
    assert message["response"] != "utter_fact_yes" and "Licence (bac + 3)" in message["facts"]


def test_after_the_bac_is_not_a_filter_even_when_the_nlu_extracts_it(default_kb):
    entities = [{"entity": "diploma_kind", "value": "bac"}]
    message = only(ask("ask_studies", "quelles etudes apres le bac pour le back office ?", "bo", entities=entities)[0])
    assert message["response"] == "utter_facts_after" and "BTS Banque" in message["facts"]


def test_a_topic_no_sheet_covers_is_said_beside_the_other_topic(default_kb):
    messages, _ = ask("ask_salary", "le salaire et les horaires du middle office ?", "mo")
    assert [m["response"] for m in messages] == ["utter_not_in_sheet", "utter_answer_rhythm"]
    assert messages[0]["topic_label"] == "salaire"


def test_a_fact_wins_over_a_topic_no_sheet_covers(default_kb):
    """Classified as telework, but the message names a rhythm fact of the middle-office sheet."""
    message = only(ask("ask_telework", "au middle on bosse en horaires decales pour couvrir les marchés du monde ?",
                       "mo")[0])
    # the fact, without a "oui": the sheet says "différentes plages horaires", not "décalés" (another section)
    assert message["response"] == "utter_fact_unqualified" and "marchés du monde" in message["facts"]


def test_a_heading_that_matches_gives_its_whole_list(default_kb):
    message = only(ask("ask_figures", "les offres demandent combien d'années d'expérience au middle ?", "mo")[0])
    assert len(list_items(message["facts"])) == 3 and "Entre 5 et 10 ans" in message["facts"]


def test_where_the_facts_come_from_is_the_source_topic(default_kb):
    message = only(ask("ask_source", "d'ou viennent tes infos sur le back office ?", "bo")[0])
    assert message["response"] == "utter_answer_source"


@pytest.mark.parametrize("poison", [123, {"a": 1}, ["x"], "trader"])
def test_a_job_slot_the_actions_cannot_read_is_emptied_and_the_conversation_goes_on(default_kb, poison):
    messages, events = ask("ask_missions", "et ses missions ?", slots={"job": poison, "topic": "skills"})
    assert only(messages)["response"] == "utter_ask_job"
    assert slot(events, "job") is None
    message = only(ask("ask_missions", "les missions du back office", "bo", slots={"job": poison})[0])
    assert message["response"] == "utter_answer_missions"


@pytest.mark.parametrize("text,job,count,first", [
    ("combien de compétences pour le middle office ?", "mo", 12, "Vérifier la conformité"),
    ("combien de qualités il faut pour le back office ?", "bo", 3, "Rigueur et organisation"),
])
def test_a_count_comes_first(default_kb, text, job, count, first):
    message = only(ask("ask_skills" if "compétences" in text else "ask_qualities", text, job)[0])
    assert message["response"] == "utter_answer_count" and message["count"] == count
    assert first in message["facts"]


def test_no_count_for_a_figure(default_kb):
    message = only(ask("ask_figures", "combien de postes en middle office ?", "mo")[0])
    assert message["response"] != "utter_answer_count"


@pytest.fixture()
def mo():
    return queries.resolve_job("middle-office")


def test_this_level_is_the_level_of_the_message_before(mo):
    plan = planner.plan_answer("quelles compétences sont à ce niveau-là ?", "skills", mo,
                               previous_text="dans les compétences, le niveau 4 ça correspond à quoi ?")
    [part] = plan.parts
    assert part.kind == planner.FILTERED and part.facts and all(f.level == 4 for f in part.facts)


@pytest.mark.parametrize("asked,kind", [("c'est une compétence technique ?", planner.NOT_OF_KIND),
                                        ("c'est une compétence comportementale ?", planner.YES)])
def test_a_kind_asked_of_the_fact_just_answered(mo, asked, kind):
    before = "et gérer le stress, c'est demandé à quel niveau ?"
    plan = planner.plan_answer(asked, "skills", mo, previous_question=before)
    [part] = plan.parts
    assert part.kind == kind and [f.text for f in part.facts] == ["Gérer des situations de stress"]


def test_without_a_fact_just_answered_a_kind_is_the_filtered_list(mo):
    [part] = planner.plan_answer("y a des compétences techniques ?", "skills", mo).parts
    assert part.kind == planner.YES and len(part.facts) > 1


def test_at_least_a_figure_where_offers_list_several_levels_is_not_a_yes(mo):
    [part] = planner.plan_answer("Le middle office demande au moins 5 ans d'expérience ?", "figures", mo).parts
    assert part.kind == planner.NOT_REQUIRED
    assert "Entre 2 et 5 ans" in [f.text for f in part.facts] and "1 220 emplois" not in [f.text for f in part.facts]


def test_a_kind_the_sheet_names_loosely_is_not_a_no(mo):
    [part] = planner.plan_answer("les offres demandent un master ?", "figures", mo).parts
    assert part.kind != planner.NOT_LISTED


def test_a_no_names_the_item_the_sheet_does_not_say(mo):
    [part] = planner.plan_answer("le middle office c'est le service commercial ?", "definition", mo).parts
    assert part.kind == planner.NOT_LISTED and part.item  # never « » with nothing inside


@pytest.mark.parametrize("asked,kind", [("c'est une compétence organisationnelle, encadrer une équipe ?",
                                         planner.NOT_OF_KIND),
                                        ("encadrer une équipe c'est une compétence technique ?", planner.YES)])
def test_a_kind_asked_with_its_fact_is_checked(mo, asked, kind):
    [part] = planner.plan_answer(asked, "skills", mo).parts
    assert part.kind == kind and [f.text for f in part.facts] == ["Encadrer une équipe"]


@pytest.mark.parametrize("intent,text,job,expected", [
    # a thing the question names that the fact does not say: the fact, never a "oui"
    ("ask_missions", "le MO fait le reporting pour les clients ?", "mo", "utter_fact_unqualified"),
    ("ask_missions", "le middle office calcule les salaires ?", "mo", "utter_fact_unqualified"),
    # a diploma's title is not what the job does; another section is not what the job is
    ("ask_missions", "le back office fait de la comptabilité ?", "bo", "utter_fact_unqualified"),
    ("ask_definition", "en gros le back office c'est de la vente ?", "bo", "utter_fact_unqualified"),
    # one item of a list is not all of it
    ("ask_interlocutors", "le back office travaille uniquement avec les clients ?", "bo", "utter_fact_not_only"),
    ("ask_missions", "le middle office s'occupe seulement de la facturation ?", "mo", "utter_fact_not_only"),
    # found only by the knowledge base's own words for a fact (its aliases): the sheet's words, never a "oui"
    ("ask_missions", "le back office il gère les cartes bancaires ?", "bo", "utter_fact_unqualified"),
    ("ask_skills", "le middle office il manage une équipe ?", "mo", "utter_fact_unqualified"),
    # one word said of the job itself is what the job is, not a colleague's description
    ("ask_interlocutors", "et le middle il est commercial ?", "mo", "utter_fact_unqualified"),
    # still a "oui" where the fact says it all
    ("ask_missions", "le back office il gère les outils monétiques ?", "bo", "utter_fact_yes"),
    ("ask_skills", "le middle office doit encadrer une équipe ?", "mo", "utter_fact_yes"),
    ("ask_missions", "le middle office gère les litiges des clients ?", "mo", "utter_fact_yes"),
    ("ask_missions", "le BO il s'occupe des réclamations des clients ?", "bo", "utter_fact_yes"),
])
def test_a_yes_needs_every_thing_named(default_kb, intent, text, job, expected):
    message = ask(intent, text, job)[0][0]
    assert message["response"] == expected, message


def test_a_diploma_not_listed_is_answered_with_the_studies(default_kb):
    """"commerce" shares a stem with "services commerciaux" (interlocutors): the list shown is the studies."""
    message = only(ask("ask_studies", "un bac pro commerce ça marche pour le middle office ?", "mo")[0])
    assert message["response"] == "utter_fact_not_listed" and "études" in message["where"]
    message = only(ask("ask_careers", "le middle office peut devenir directeur financier ?", "mo")[0])
    assert message["response"] == "utter_fact_not_listed" and "Auditeur" in message["facts"]


def test_one_word_shared_with_another_section_is_no_yes_when_the_question_names_its_own(default_kb):
    """"on doit suivre des formations ?" asked of the trainings: not « oui … il assure le suivi » (missions)."""
    job = queries.resolve_job("middle-office")
    plan = planner.plan_answer("une fois en poste en middle-office, on doit suivre des formations en plus ?",
                               "trainings", job)
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.TOPIC, "trainings")]


@pytest.mark.parametrize("text,job_id,topic", [
    ("Le middle-office, c'est le service commercial en contact direct avec le client ?", "middle-office",
     "interlocutors"),
    ("le back office c'est les conseillers de clientèle ?", "back-office", "interlocutors"),
])
def test_what_the_job_is_gets_no_yes_from_a_fact_about_someone_else(default_kb, text, job_id, topic):
    """An identity question ("X, c'est le service commercial ?") is said only by the definition: a fact naming the
    commercial services among its colleagues is shown, without a "oui"."""
    plan = planner.plan_answer(text, topic, queries.resolve_job(job_id))
    assert plan.parts and all(part.kind != planner.YES for part in plan.parts), plan.parts
    assert planner.asks_identity(text) and not planner.asks_identity("le back office gère les réclamations ?")


def test_a_quality_asked_as_demanded_gets_its_yes(default_kb):
    """"la rigueur c'est une qualité demandée au back office ?": "demandée" is a word of the question, not of a fact."""
    plan = planner.plan_answer("la rigueur c'est une qualite demandee au back office ?", "qualities",
                               queries.resolve_job("back-office"))
    assert [(p.kind, [f.text for f in p.facts]) for p in plan.parts] == [(planner.YES, ["Rigueur et organisation"])]


@pytest.mark.parametrize("text,job_id,topic,kind", [
    # a level named of one skill: a closed question, answered "non" with the sheet's level (not the fact alone)
    ("En middle-office, encadrer une équipe est-il attendu au niveau expertise ?", "middle-office", "skills",
     planner.LEVEL_LOWER),
    ("l'anglais c'est niveau expert du coup ?", "middle-office", "skills", planner.LEVEL_LOWER),
    ("travailler en equipe c niveau 4 pr le middle ?", "middle-office", "skills", planner.LEVEL_LOWER),
    ("l'anglais c'est niveau maitrise ?", "middle-office", "skills", planner.YES),
    ("gérer le stress en middle office c'est une compétence de niveau expert ?", "middle-office", "skills",
     planner.LEVEL_LOWER),
    # the skill named by its noun ("la gestion du stress") and the level asked as a word of the sentence
    ("Est-ce qu'on doit avoir une parfaite maîtrise de la gestion du stress en middle office ?", "middle-office",
     "skills", planner.LEVEL_LOWER),
    # a job the sheet lists as where one goes, asked as where one comes from ("c'est un parcours prévu ?" is no
    # question of what the job is)
    ("Un secrétaire général qui veut passer middle office, c'est un parcours prévu par la fiche ?", "middle-office",
     "studies", planner.OTHER_DIRECTION),
    # a list asked at a level stays the filtered list
    ("compétences de niveau expertise en middle office ?", "middle-office", "skills", planner.FILTERED),
    # what the student says the sheet says, hedge included, is a yes; more than it says is not
    ("les déplacements sont peu fréquents en middle office, c'est bien ça ?", "middle-office", "rhythm", planner.YES),
    ("il se déplace souvent ?", "middle-office", "rhythm", planner.LESS_OFTEN),
    # "peut être amené à intervenir sur les marchés": a possibility, yes to "il peut", not to a plain "il va"
    ("il peut aller sur les marchés financiers le back ?", "back-office", "definition", planner.YES),
    ("le back va sur les marchés financiers ?", "back-office", "definition", planner.UNQUALIFIED),
    # the student already holds the job: where it leads
    ("je suis gestionnaire middle office, je pourrais devenir secrétaire général d'après la fiche ?", "middle-office",
     "careers", planner.YES),
    # "spé SES" is the specialty asked, not a possessive: the sheet lists maths and NSI only
    ("j'ai un bac général spé SES, je peux faire back office ?", "back-office", "studies", planner.NOT_LISTED),
    ("j'ai un bac général spé maths, je peux faire back office ?", "back-office", "studies", planner.YES),
])
def test_levels_hedges_and_specialties_are_read_before_oui(default_kb, text, job_id, topic, kind):
    plan = planner.plan_answer(text, topic, queries.resolve_job(job_id))
    assert [p.kind for p in plan.parts] == [kind], plan.parts


def test_the_subject_just_answered_asked_of_the_other_sheet_is_not_its_yes(default_kb):
    """"elle est aussi citée pour le back office cette licence ?" after a middle-office licence: the back office's
    own studies decide, never the middle office's "oui"."""
    plan = planner.plan_answer("elle est aussi citée pour le back office cette licence ?", "studies",
                               queries.resolve_job("back-office"),
                               previous_question="et la licence pro contrôle de gestion, elle a quel numéro RNCP ?")
    assert plan.parts and all(p.kind != planner.YES and p.job.id == "back-office" for p in plan.parts), plan.parts


def test_the_students_own_diploma_does_not_narrow_another_question(default_kb):
    """"je suis en terminale STMG …, c'est quoi au juste ?": the job's definition, not the STMG line of the studies;
    a closed question still checks it."""
    job = queries.resolve_job("back-office")
    text = "salut, je suis en terminale STMG et on m'a parlé du back-office, c'est quoi au juste ?"
    own = tuple(f for f in analyse(text, queries.vocabulary()).filters if f.kind == "diploma_kind")
    assert own
    plan = planner.plan_answer(text, "definition", job, own_filters=own)
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.TOPIC, "definition")], plan.parts
    closed = planner.plan_answer("je suis en terminale STMG, je peux faire back office ?", "studies", job,
                                 own_filters=own)
    assert [p.kind for p in closed.parts] == [planner.YES]


@pytest.mark.parametrize("text,expected", [
    ("comment devenir gestionnaire back office", True),
    ("cmt on devien gestionair back ofis", True),
    ("On peut devenir gestionnaire back-office directement après le brevet ?", True),
    ("un controleur de gestion peut devenir gestionnaire middle office ?", False),
    ("que peut on devenir apres gestionnaire back office ?", False),
    ("on peut devenir gestionnaire back office en venant du contrôle de gestion ?", False),
    ("le back office peut devenir conseiller clientèle ?", False),
])
def test_becoming_the_job_itself_is_the_way_in(default_kb, text, expected):
    assert becomes_the_job(text) is expected


def test_one_way_in_among_several_is_not_an_obligation(default_kb):
    """"est-il obligatoire d'avoir travaillé en back-office ?": the middle office's sheet lists it among other jobs
    one comes from — "non, pas obligatoire", never "oui"."""
    jobs = list(queries.list_jobs())
    plan = planner.plan_move("Pour devenir gestionnaire middle-office, est-il obligatoire d'avoir d'abord travaillé "
                             "en back-office ?", jobs)
    assert [(p.kind, p.job.id, len(p.facts) > 1) for p in plan.parts] == [(planner.NOT_REQUIRED, "middle-office", True)]
    assert [p.kind for p in planner.plan_move("on peut passer du back au middle ?", jobs).parts] == [planner.YES]


@pytest.mark.parametrize("text,topic,expected", [
    ("Il faut forcément un bac+5 pour être gestionnaire middle-office ?", "qualities", "studies"),
    ("un master c'est utile ?", "definition", "studies"),
    ("avec un master on peut devenir quoi ?", "careers", "careers"),  # a list of options itself
    ("quelles qualités avec un BTS ?", "qualities", "qualities"),  # the intent's topic is named
    ("et en sortant de l'école je peux postuler direct ?", "figures", "figures"),  # a starting point, no filter
])
def test_a_diploma_named_without_the_intents_topic_asks_about_the_studies(default_kb, text, topic, expected):
    assert planner.topic_of_filters(text, topic) == expected


@pytest.mark.parametrize("text,topic,kind", [
    # "dans la liste" asks whether an item is listed: a closed question
    ("le bac pro commerce il est dans la liste pour devenir gestionnaire de back-office ?", "studies",
     planner.NOT_LISTED),
    # a school the sheets never list is an item too
    ("je suis en bac general spe SES, je peux aller vers le back office ?", "studies", planner.NOT_LISTED),
    ("je suis en terminale STMG, je peux faire back office ?", "studies", planner.YES),
    ("sciences po c'est une voie citee pour faire du back office ?", "studies", planner.NOT_LISTED),
])
def test_items_listed_or_not_in_the_studies(default_kb, text, topic, kind):
    plan = planner.plan_answer(text, topic, queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [kind], plan.parts


def test_a_listed_thing_taken_for_another_item_is_shown_without_a_yes(default_kb):
    """"gestion administration c'est un bac général ?": the sheet lists a bac général, but the thing asked about is
    the bac pro Gestion administration: that fact, never a "oui" quoting the bac général."""
    plan = planner.plan_answer("et gestion administration c un bac général ?", "studies",
                               queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [planner.UNQUALIFIED], plan.parts
    assert "professionnel" in plan.parts[0].facts[0].text
    plan = planner.plan_answer("le bac général c'est bon pour le back office ?", "studies",
                               queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [planner.YES], plan.parts


def test_an_open_question_only_the_other_sheet_answers_says_so(default_kb):
    """"le middle il fait quoi avec les successions ?": the back office's sheet names them, the middle office's does
    not: that gap and where it is said — not the middle office's whole missions as if they answered. A topic named in
    the message keeps its section ("quelles qualités… d'après votre fiche ?")."""
    middle = queries.resolve_job("middle-office")
    plan = planner.plan_answer("le middle office il fait quoi avec les successions ?", "missions", middle)
    assert [p.kind for p in plan.parts] == [planner.ELSEWHERE_ONLY], plan.parts
    other = plan.parts[0].other
    assert other is not None and other.job.id != middle.id and "succession" in other.fact.text
    plan = planner.plan_answer("quelles sont les missions du middle office avec les successions ?", "missions",
                               middle)
    assert planner.ELSEWHERE_ONLY not in [p.kind for p in plan.parts], plan.parts


def test_a_way_in_is_not_answered_by_where_the_other_job_leads(default_kb):
    """"accessible à partir d'un poste de conseiller clientèle ?": the back office's sheet lists that job as where
    one goes (the other direction): "not listed" with the middle office's own ways in, not the back office's line."""
    middle = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("Est-il exact que ce métier est accessible à partir d'un poste de conseiller "
                                 "clientèle ?", "careers", middle).parts
    assert part.kind == planner.NOT_LISTED and part.job == middle, part
    assert part.facts and all(f.direction == "from" for f in part.facts), part


def test_the_context_items_count_only_for_the_list_they_belong_in(default_kb):
    """"élève de terminale générale…" then "ce métier demande-t-il de l'anglais ?": the bac is no item of a skills
    question (never "the sheet does not cite « terminale générale »")."""
    bo = queries.resolve_job("back-office")
    background = "Bonjour, je suis la maman de Léa, élève de terminale générale avec les spécialités SES et maths."
    parts = planner.plan_answer("j'aimerais savoir si ce métier demande de bonnes compétences en anglais", "skills",
                                bo, background=background).parts
    assert parts and all(p.kind != planner.NOT_LISTED and p.topic == "skills" for p in parts), parts


def test_a_question_with_its_own_subject_leaves_the_context_items_aside(default_kb):
    """"… après quinze ans comme assistante de direction. … si l'anglais est demandé pour ce métier ?": about English,
    not whether the sheet lists that job."""
    mo = queries.resolve_job("middle-office")
    background = "Bonjour, je suis en reconversion professionnelle après quinze ans comme assistante de direction."
    parts = planner.plan_answer("Pourriez-vous m'indiquer si l'anglais est demandé pour ce métier, et à quel niveau ?",
                                "skills", mo, background=background).parts
    assert parts and all(p.kind != planner.NOT_LISTED for p in parts), parts
    background = ("Bonjour, j'accompagne en tant que conseiller d'orientation un étudiant en BTS Banque qui vise un "
                  "poste de gestionnaire de back-office.")
    asked = "Par ailleurs, est-il exact que ce gestionnaire suit les dossiers de succession des clients ?"
    [part] = planner.plan_answer(asked, "missions", queries.resolve_job("back-office"), background=background).parts
    assert part.kind == planner.YES and "succession" in part.facts[0].text, part


def test_an_open_question_gets_the_definition_that_says_it_too(default_kb):
    """"le back office il contrôle quoi ?": the missions' deadlines and the definition's conformity checks alike."""
    parts = planner.plan_answer("le back office il controle quoi", "missions", queries.resolve_job("back-office")).parts
    assert [p.topic for p in parts] == ["missions", "definition"], parts
    assert any("conformité" in f.text for f in parts[1].facts), parts


def test_a_short_claim_after_an_answer_is_asked_of_that_answer(default_kb):
    """"faut parler anglais ?" then "mais c obligatoire ou pas ?": the English skill again, without a "oui" (the
    sheet lists it, it never says it is required)."""
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("mais c obligatoire ou pas ?", "skills", bo,
                                 previous_question="pr etre gestionnaire back office faut parler anglais ?").parts
    assert part.kind == planner.UNQUALIFIED and "anglais" in part.facts[0].text, part
    assert planner.claims_of_last("c'est sûr ?") and not planner.claims_of_last("et les études ?")


def test_the_writers_own_job_is_no_item_of_the_path_asked_about(default_kb):
    """"je suis conseillère principale d'éducation … une mère d'élève m'a demandé …": the writer's job is not whose
    path is asked about (never "the sheet does not cite « conseillère principale d'éducation »")."""
    bo = queries.resolve_job("back-office")
    background = ("Bonjour, je me présente : je suis conseillère principale d'éducation dans un lycée. Une mère "
                  "d'élève de terminale STMG m'a posé des questions.")
    parts = planner.plan_answer("Elle se demandait s'il était possible d'évoluer vers un poste à responsabilités.",
                                "careers", bo, background=background).parts
    assert parts and all(p.kind != planner.NOT_LISTED for p in parts), parts


def test_where_one_works_now_is_where_the_move_starts(default_kb):
    """"jtravaille déjà au back office, je peux passer middle ?": from the back office ("au" after "travaille" is
    where one is, not where one goes): the middle office's ways in."""
    jobs = list(queries.list_jobs())
    text = "jtravaille deja au back office depuis 3 ans, je peux passer middle ?"
    source, target = planner.move_order(text, jobs)
    assert (source.id, target.id) == ("back-office", "middle-office")
    [part] = planner.plan_move(text, jobs).parts
    assert part.kind == planner.YES and part.job == target and part.facts[0].direction == "from", part


def test_sms_words_after_a_diploma_are_not_part_of_it(default_kb):
    """"jsuis en 1ere stmg jpeux faire back office ?": the bac STMG the sheet lists (never "ne cite pas « stmg jpeux
    faire »")."""
    [part] = planner.plan_answer("jsuis en 1ere stmg jpeux faire back office ?", "studies",
                                 queries.resolve_job("back-office")).parts
    assert part.kind == planner.YES and "STMG" in part.facts[0].text, part


def test_a_word_said_of_the_job_is_not_a_skill_named_alike(default_kb):
    """"le middle office c stressant ?": the skill "gérer des situations de stress" is shown, never a "oui" (the
    sheet does not say the job is stressful); "le back office c'est possible ?" asks whether one can get there."""
    mo = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("le middle office c stressant ?", "qualities", mo).parts
    assert part.kind != planner.YES and "stress" in part.facts[0].text, part
    assert planner.asks_identity("le back office c stressant ?")
    assert not planner.asks_identity("je suis en terminale STMG, le back office c'est possible ?")


def test_a_verb_in_common_is_not_what_was_asked(default_kb):
    """"le back office gère les crédits immobiliers ?": "Gérer les outils monétiques" shares only the verb — the
    sheet is silent on it (then what it says), never its missions shown as if they answered."""
    [part] = planner.plan_answer("le back office gère les crédits immobiliers ?", "missions",
                                 queries.resolve_job("back-office")).parts
    assert part.kind == planner.NOT_IN_SHEET, part
    [part] = planner.plan_answer("le middle office travaille le week-end ?", "rhythm",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.VALUE_UNSAID and part.facts, part


def test_a_precise_value_the_facts_do_not_state_is_said_missing(default_kb):
    """"il commence à quelle heure le matin ?": the sheet's hours give no clock time: that said, then the facts."""
    mo = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("et il commence à quelle heure le matin ?", "rhythm", mo).parts
    assert part.kind == planner.VALUE_UNSAID and part.item == "heures précises" and part.facts, part
    [part] = planner.plan_answer("il a quels horaires ?", "rhythm", mo).parts
    assert part.kind != planner.VALUE_UNSAID, part


def test_at_least_a_level_is_a_minimum(default_kb):
    """"au moins le niveau avancé ?" of a skill rated Maîtrise is a yes; "c'est niveau avancé ?" is not."""
    job = queries.resolve_job("middle-office")
    plan = planner.plan_answer("pour encadrer une equipe il faut au moins le niveau avance ?", "skills", job)
    assert [p.kind for p in plan.parts] == [planner.YES]
    plan = planner.plan_answer("encadrer une equipe c'est niveau avancé ?", "skills", job)
    assert [p.kind for p in plan.parts] == [planner.NOT_OF_KIND]


def test_a_count_after_a_list_is_its_number_not_the_salary(default_kb):
    messages, _ = ask("ask_salary", "ça en fait combien ?", "bo", slots={"topic": "skills"})
    message = only(messages)
    assert message["response"] == "utter_answer_count" and message["count"] == 5, message
    messages, _ = ask("ask_salary", "ça paye combien ?", "bo", slots={"topic": "skills"})
    assert only(messages)["response"] == "utter_not_in_any_sheet"


@pytest.mark.parametrize("text,count", [
    ("Les gens qui arrivent en middle-office, ils faisaient quoi avant ? Et ils partent vers quels postes ensuite ?",
     None),  # both directions: the whole careers section
    ("de quels métiers on vient ?", 3),
    ("après le middle office on devient quoi ?", 3),
])
def test_both_directions_asked_get_both_lists(default_kb, text, count):
    plan = planner.plan_answer(text, "careers", queries.resolve_job("middle-office"))
    if count is None:
        assert [(p.kind, p.topic) for p in plan.parts] == [(planner.TOPIC, "careers")]
    else:
        assert len(plan.parts[0].facts) == count


def test_why_right_after_an_answer_is_about_it(default_kb):
    """"pourquoi ça peut changer ?" after the hours: the hours again (their reasons), not the careers' "changer"."""
    messages, events = ask("ask_careers", "pourquoi ça peut changer ?",
                           slots={"topic": "rhythm", "job": "middle-office"})
    assert slot(events, "topic") == "rhythm" and "urgences" in str(messages), messages
    assert messages[0]["response"] == "utter_why_follow_up", messages
    # "pourquoi c'est pas le back ?" after the middle office's billing: the back office's missions, said plainly that
    # the sheet explains no more — never its definition as if it answered why
    messages, events = ask("ask_definition", "pourquoi c'est pas le back ?", "bo",
                           slots={"topic": "missions", "job": "middle-office"})
    assert messages[0]["response"] == "utter_why_follow_up" and slot(events, "topic") == "missions", messages
    # "pourquoi la fiche du bo n'en parle pas ?": longer, naming nothing of its own
    messages, events = ask("ask_definition", "pourquoi la fiche du bo en parle pas ?", "bo",
                           slots={"topic": "rhythm", "job": "middle-office"})
    assert messages[0]["response"] == "utter_why_follow_up", messages
    # "c'est-à-dire ?" read as a word's meaning: of the answer just given
    messages, events = ask("ask_term", "c'est-à-dire ?", slots={"topic": "interlocutors", "job": "middle-office"})
    assert messages[0]["response"] == "utter_why_follow_up" and slot(events, "topic") == "interlocutors", messages


def test_a_word_of_the_topic_just_shown_asks_about_it(default_kb):
    """"et quand c'est international ?" right after the hours, read as a word's meaning: never "the sheets do not
    use this word" while the hours say "salles de marché internationales"."""
    messages, _ = ask("ask_term", "et quand c'est international ?", slots={"topic": "rhythm", "job": "middle-office"})
    assert "plages horaires" in str(messages) and "utter_term_unknown" not in str(messages), messages


def test_a_career_only_the_other_sheet_lists_comes_with_this_sheets_own_list(default_kb):
    messages, _ = ask("ask_careers", "Depuis le back-office, on peut devenir auditeur ?", "bo")
    message = only(messages)
    assert message["response"] == "utter_fact_no_other_job_listed"
    assert "Conseiller clientèle particuliers" in message["own_facts"] and "Auditeur" in message["facts"]
    # a mission of the other job: its fact alone (a whole list of missions would bury it)
    messages, _ = ask("ask_missions", "le middle office gère les successions ?", "mo")
    assert only(messages)["response"] == "utter_fact_no_other_job"


def test_what_only_the_heading_of_a_list_says_is_no_yes_for_its_items(mo):
    """"Ce chiffre, c'est le nombre d'offres d'emploi ?": the words are the heading's ("… demandés dans les offres
    d'emploi"), not the items': the list as the sheet gives it, without a "oui"."""
    [part] = planner.plan_answer("Ce chiffre, c'est le nombre d'offres d'emploi ?", "figures", mo).parts
    assert part.kind == planner.FACTS


def test_how_long_the_student_has_worked_is_not_a_figure_to_look_for(mo):
    plan = planner.plan_answer("Je travaille en middle-office depuis 6 ans, vers quoi je peux évoluer ?", "careers", mo)
    assert all(part.topic == "careers" for part in plan.parts), plan.parts
    assert "Auditeur" in [f.text for part in plan.parts for f in part.facts]


def test_the_context_sentence_names_the_job_but_claims_no_obligation(mo):
    """An advisor's context ("une personne de 42 ans, contrôleuse de gestion") then "son métier est-il cité ?": the
    job is checked (the middle office's sheet lists contrôleur de gestion), the age is no required duration."""
    background = ("Bonjour, j'accompagne une personne de 42 ans, actuellement contrôleuse de gestion, qui souhaiterait "
                  "se reconvertir dans le middle-office.")
    [part] = planner.plan_answer("Elle se demande si son métier actuel est cité comme une voie d'accès,", "careers",
                                 mo, background=background).parts
    assert part.kind == planner.YES and [f.text for f in part.facts] == ["Contrôleur de gestion"]


def test_one_word_of_another_section_does_not_outweigh_the_sections_named(mo):
    """"les diplômes enregistrés au RNCP, vous pouvez me les donner ?" names the studies: not the skill
    "vérifier la conformité de l'enregistrement" for its one word in common."""
    plan = planner.plan_answer("La fiche mentionne des certifications et diplômes enregistrés au RNCP. Pourriez-vous "
                               "m'en donner la liste ?", "studies", mo)
    assert plan.parts and {part.topic for part in plan.parts} <= {"studies", "trainings"}, plan.parts


def test_a_fact_outside_the_filter_asked_does_not_override_it():
    """"Bac général quelles spécialités pour le back-office": the bac's options, not a master's "spécialité"."""
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("Bac général quelles specialités pour le back-office", "studies", bo).parts
    assert [f.text for f in part.facts] == [
        "Baccalauréat général (options Mathématiques, Numérique et sciences de l'informatique)"], part
    [part] = planner.plan_answer("quelles spécialités de master pour le back-office ?", "studies", bo).parts
    assert part.facts and all(f.text.startswith("Master") for f in part.facts), part


def test_a_certainty_asked_of_a_possibility_is_no_yes(mo):
    """"les horaires décalés pour les marchés du monde, c'est sûr ?" — the sheet says the teams "peuvent être
    réparties": shown as what it says, never "oui"; asked plainly, it is a yes."""
    [part] = planner.plan_answer("mais les horaires décalés pour les marchés du monde c'est sûr ?", "rhythm", mo).parts
    assert part.kind == planner.UNQUALIFIED and "plages horaires" in part.facts[0].text
    [part] = planner.plan_answer("les équipes sont réparties sur différentes plages horaires ?", "rhythm", mo).parts
    assert part.kind == planner.YES


@pytest.mark.parametrize("text, topic, job_id", [
    ("secrétaire général c'est genre secrétaire ?", "careers", "middle-office"),  # whether two things are one
    ("analyste crédit c'est pareil que analyste financier ?", "careers", "middle-office"),
    # a word inside a job the fact names ("les conseillers de clientèle"), the question naming no job
    ("Le métier de gestionnaire de back-office comporte-t-il des contacts avec la clientèle ?", "interlocutors",
     "back-office"),
])
def test_no_yes_where_the_line_says_something_else(text, topic, job_id):
    plan = planner.plan_answer(text, topic, queries.resolve_job(job_id))
    assert plan.parts and all(part.kind != planner.YES for part in plan.parts), plan.parts


def test_the_same_lines_asked_plainly_are_a_yes():
    mo, bo = queries.resolve_job("middle-office"), queries.resolve_job("back-office")
    assert planner.plan_answer("il peut devenir secrétaire général ?", "careers", mo).parts[0].kind == planner.YES
    assert planner.plan_answer("il travaille avec les conseillers de clientèle ?", "interlocutors",
                               bo).parts[0].kind == planner.YES


def test_a_topic_named_beside_the_fact_found_gets_its_honest_gap(mo):
    """"la rémunération proposée et le nombre d'emplois ?": the figure, and that the sheet says nothing of the
    salary — never the figure alone as if it answered everything."""
    text = "j'aimerais avoir une idée de la rémunération proposée et du nombre d'emplois"
    plan = planner.plan_answer(text, "figures", mo)
    assert [part.topic for part in plan.parts] == ["figures", "salary"], plan.parts
    assert not queries.topic_answer(mo.id, "salary").found


def test_slang_around_a_fact_does_not_hide_it(mo):
    """"moi je stresse vite 😅 c'est chaud ?": the skill the sheet names (managing stress), without a "oui"."""
    [part] = planner.plan_answer("moi je stresse vite 😅 c'est chaud ?", "rhythm", mo).parts
    assert part.kind == planner.UNQUALIFIED and "stress" in part.facts[0].text


def test_a_duration_no_fact_gives_is_not_answered_by_the_item_alone():
    """"bts banque c'est combien d'années ?": the back office's sheet names the BTS without its length (shown as what
    it says, not as the answer); the middle office's gives "bac + 2"."""
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("bts banque c'est combien d'années", "studies", bo).parts
    assert part.kind == planner.UNQUALIFIED and part.facts[0].text == "BTS Banque"
    [part] = planner.plan_answer("le bts c'est combien d'années", "studies", queries.resolve_job("middle-office")).parts
    assert part.kind != planner.UNQUALIFIED and "bac + 2" in part.facts[0].text


def test_the_words_of_a_formal_question_do_not_dilute_the_fact_asked(mo):
    """"Concernant…, la fiche précise-t-elle le niveau d'anglais attendu ?": the English skill and its level."""
    [part] = planner.plan_answer("Concernant le gestionnaire middle-office, la fiche précise-t-elle le niveau "
                                 "d'anglais attendu ?", "skills", mo).parts
    assert [f.text for f in part.facts] == ["Utiliser l'anglais en contexte professionnel"]


def test_a_diploma_of_a_level_the_sheet_names_gets_no_non(default_kb):
    """"j'ai une licence éco gestion, le middle ?": the middle office's sheet names no licence of that field, yet job
    offers ask "Niveau 6 Licence": not named in particular, with that level — never "Non". A BTS the back office's
    sheet does not list ("BTS CG" beside "BTS Banque") stays "not listed"."""
    middle, back = queries.resolve_job("middle-office"), queries.resolve_job("back-office")
    [part] = planner.plan_answer("j'ai une licence eco gestion, le middle ça peut le faire ?", "studies",
                                 middle).parts
    assert part.kind == planner.LEVEL_NAMED and part.item == "licence eco gestion", part
    assert any(f.text.startswith("Niveau 6") for f in part.facts), part
    [part] = planner.plan_answer("avec un bts cg je peux faire back office ?", "studies", back).parts
    assert part.kind == planner.NOT_LISTED and [f.text for f in part.facts] == ["BTS Banque"], part


def test_a_bac_written_bak_is_a_diploma_and_bak_alone_is_not(default_kb):
    """SMS "bak pro commerce" is a bac pro in commerce (never a "oui" from "école de commerce"); "bak" alone is the
    back office's SMS name, no diploma."""
    back = queries.resolve_job("back-office")
    [part] = planner.plan_answer("j'ai un bak pro commerce ça passe pour le back ?", "studies", back).parts
    assert part.kind == planner.NOT_LISTED and part.item == "bak pro commerce", part
    assert not queries.claim_reader().items("le bak c koi")


def test_a_verb_of_the_job_is_no_person_of_its_interlocutors(default_kb):
    """"le middle office manage des gens ?": "le management (reporting quotidien)" names people he reports to, not
    what he does — no "oui"; "travaille avec le management ?" asks of those people and keeps its "oui"."""
    middle = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("le middle office manage des gens ?", "interlocutors", middle).parts
    assert part.kind != planner.YES, part
    [part] = planner.plan_answer("le middle office travaille avec le management ?", "interlocutors", middle).parts
    assert part.kind == planner.YES, part


def test_a_question_in_the_negative_gets_si_never_oui(default_kb):
    """"y a pas de stress à gérer ?" of a sheet listing "Gérer des situations de stress": "Si", never "Oui" (read as
    "yes, there is none"); asked plainly it stays a "oui"."""
    middle = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("le middle office normalement y a pas de stress à gérer ?", "skills", middle).parts
    assert part.kind == planner.YES_TO_NEGATIVE and "stress" in part.facts[0].text, part
    [part] = planner.plan_answer("le middle office il gère des situations de stress ?", "skills", middle).parts
    assert part.kind == planner.YES, part
    messages, _ = ask("ask_qualities", "en back office on s'en fiche d'être organisé non ?", "bo")
    assert only(messages)["response"] == "utter_fact_yes_to_negative", messages


@pytest.mark.parametrize("text,expected", [
    ("le gestionnaire back-office il fait des études de marché ?", False),  # one word of a master's title
    ("gestion administration c'est dans la liste pour le back ?", True),
    ("la gea c'est cité pour le back ?", True),  # the diploma's acronym
    ("le bts banque ça marche pour le back ?", True),
])
def test_a_diploma_title_says_yes_only_to_a_diploma_asked(default_kb, text, expected):
    parts = planner.plan_answer(text, "studies", queries.resolve_job("back-office")).parts
    assert (parts[0].kind == planner.YES) is expected, parts


def test_a_job_told_before_is_checked_in_the_careers_whatever_section_was_read(default_kb):
    """"Madame, psychologue de l'éducation nationale, j'accompagne une salariée qui a travaillé comme contrôleur de
    gestion durant dix ans." then "Son parcours est-il prévu par la fiche ?" (read as the studies): the writer's job
    signed first is no item; "contrôleur de gestion" is where one comes from ("oui"); asked the other way round
    ("après le middle, contrôleur de gestion ?") it is said so."""
    middle = queries.resolve_job("middle-office")
    background = ("Madame, psychologue de l'éducation nationale, j'accompagne une salariée qui a travaillé comme "
                  "contrôleur de gestion durant dix ans.")
    [part] = planner.plan_answer("Son parcours est-il prévu par la fiche ?", "studies", middle,
                                 background=background).parts
    assert part.kind == planner.YES and part.topic == "careers", part
    assert [f.text for f in part.facts] == ["Contrôleur de gestion"], part
    [part] = planner.plan_answer("après le middle on peut devenir contrôleur de gestion ?", "studies", middle).parts
    assert part.kind == planner.OTHER_DIRECTION, part


def test_a_bac_pro_written_ga_is_gestion_administration(default_kb):
    [part] = planner.plan_answer("jsuis en bac pro ga, le back office c possible ?", "studies",
                                 queries.resolve_job("back-office")).parts
    assert part.kind == planner.YES and "Gestion administration" in part.facts[0].text, part


def test_a_fact_asked_as_of_another_list_of_its_topic_gets_no_yes(default_kb):
    """"la MIF 2 c'est une des formations générales ?": the sheet lists it among the trainings specific to the job
    (a word only the other list's heading has): the fact and its list, no "oui"; asked plainly, "oui"."""
    middle = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("la MIF 2 fait partie des formations générales du middle ?", "trainings",
                                 middle).parts
    assert part.kind == planner.UNQUALIFIED and "MIF 2" in part.facts[0].text, part
    [part] = planner.plan_answer("la MIF 2 c'est une formation recommandée pour le middle ?", "trainings",
                                 middle).parts
    assert part.kind == planner.YES, part


def test_a_diploma_told_goes_with_the_question_remembered(default_kb):
    """"je suis en BTS Banque, ça marche pour le back ?" then "et pour le middle il est cité ?": the question
    remembered carries the diploma told; the middle office's sheet names no BTS Banque but asks that level
    ("Niveau 5 BTS/DUT") — said so, not the whole studies list."""
    back, middle = queries.resolve_job("back-office"), queries.resolve_job("middle-office")
    plan = planner.plan_answer("ça marche pour le back ?", "studies", back, background="je suis en BTS Banque,")
    assert plan.parts[0].kind == planner.YES and "bts banque" in fold(plan.question), plan
    [part] = planner.plan_answer(plan.question, "studies", middle).parts
    assert part.kind == planner.LEVEL_NAMED and [f.text for f in part.facts] == ["Niveau 5 BTS/DUT (bac + 2)"], part


def test_the_diploma_asked_is_the_one_told_when_it_says_no_more(default_kb):
    """"Mon fils est en bac professionnel Métiers de la sécurité." then "son bac professionnel est-il cité ?": the
    bac told (not listed), never "pas n'importe lequel" as if any bac pro were asked."""
    back = queries.resolve_job("back-office")
    [part] = planner.plan_answer("son bac professionnel est-il cité par la fiche ?", "studies", back,
                                 background="Mon fils est en bac professionnel Métiers de la sécurité.").parts
    assert part.kind == planner.NOT_LISTED and "sécurité" in part.item, part


def test_what_the_job_is_asked_as_another_job_is_answered_by_its_definition(default_kb):
    """"en vrai le back c'est un informaticien ?": the definition says what the job is (never the careers' list)."""
    [part] = planner.plan_answer("en vrai le middle c'est un comptable ?", "careers",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.NOT_LISTED and part.topic == "definition" and part.item == "comptable", part


def test_a_topic_named_is_not_left_for_one_fuzzy_word_of_another_sheet(default_kb):
    """"les horaires au middle ça bouge souvent ?": the hours (they vary, yet stay fairly stable), not a
    "chargé d'affaires" of the other sheet met by a typo-tolerant match."""
    [part] = planner.plan_answer("les horaires au middle ça change souvent ?", "rhythm",
                                 queries.resolve_job("middle-office")).parts
    assert part.topic == "rhythm" and part.kind != planner.YES and "stables" in part.facts[0].text, part


def test_an_open_question_a_heading_says_gets_that_heading_whole(default_kb):
    """"il vérifie quoi le middle ?" … "il contrôle quoi exactement ?": the list "Contrôler les risques
    opérationnels", in the sheet's order."""
    [part] = planner.plan_answer("le middle office il contrôle quoi au juste ?", "missions",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.FACTS and {f.group for f in part.facts} == {"Contrôler les risques opérationnels"}
    assert len(part.facts) == 4 and part.facts[0].text.startswith("Il veille au respect des contrats"), part


def test_travel_asked_in_other_words_is_the_sheets_travel(default_kb):
    """"il prend l'avion tout le temps ?": the travel fact ("peu fréquents"): less often than asked, no "oui"."""
    [part] = planner.plan_answer("le middle office il prend l'avion tout le temps ?", "rhythm",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.LESS_OFTEN and "peu fréquents" in part.facts[0].text, part


def test_a_study_level_asked_of_a_section_the_sheet_lacks_is_asked_of_its_studies(default_kb):
    """"le back office embauche que des bac+5 ?" read as the key figures, which the back office's sheet lacks: its
    studies (bac, BTS, BUT… never only bac+5), not "no information"."""
    messages, _ = ask("ask_figures", "le back office embauche que des bac+5 ?", "bo",
                      entities=[{"entity": "study_level", "value": "bac+5"}])
    assert "BTS Banque" in str(messages) and "utter_not_in_any_sheet" not in str(messages), messages


def test_a_guarantee_of_a_job_is_a_subject_no_sheet_covers(default_kb):
    """"et l'école de commerce ça garantit un boulot ?": no sheet promises a job — said so first, then what the sheet
    lists (never the list as if it answered, nor "pas n'importe laquelle")."""
    messages, _ = ask("ask_studies", "et l'école de commerce ça garantit un boulot ?", "bo")
    assert messages[0]["response"] == "utter_fact_value_unsaid" and "garantie" in messages[0]["item"], messages


@pytest.mark.parametrize("text", ["c'est quoi le mieux pour le back, un BTS ou un BUT ?",
                                  "pour le back office vaut mieux un bts banque ou un but gea ?"])
def test_which_of_several_listed_items_is_better_is_never_ranked(default_kb, text):
    """The sheets list diplomas, never rank them: the items named, said plainly to be unranked (no "oui")."""
    parts = planner.plan_answer(text, "studies", queries.resolve_job("back-office")).parts
    assert [p.kind for p in parts] == [planner.NOT_RANKED] and any(f.text == "BTS Banque" for f in parts[0].facts)


def test_a_filter_alone_is_asked_of_the_fact_just_answered(default_kb):
    """"et il encadre des gens ?" (Encadrer une équipe, Maîtrise) then "au niveau expert ?": not at that level (no
    "oui" with the expert skills)."""
    [part] = planner.plan_answer("au niveau expert ?", "skills", queries.resolve_job("middle-office"),
                                 previous_question="le middle il encadre une équipe ?").parts
    assert part.kind == planner.NOT_OF_KIND and part.facts[0].text == "Encadrer une équipe", part


def test_experience_asked_as_a_need_is_no_yes(default_kb):
    """"il faut de l'expérience ?": job offers ask from "1ère expérience ou jeune diplômé(e)" up — not an obligation."""
    [part] = planner.plan_answer("il faut de l'expérience pour le middle ?", "figures",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.NOT_REQUIRED and part.facts[0].text.startswith("1ère expérience"), part


def test_a_specialist_asked_of_a_basic_knowledge_is_a_lower_level(default_kb):
    [part] = planner.plan_answer("faut-il être un vrai spécialiste du juridique en back-office ?", "qualities",
                                 queries.resolve_job("back-office")).parts
    assert part.kind == planner.LEVEL_LOWER and "juridiques de base" in part.facts[0].text, part


def test_every_fact_of_a_topic_matching_alike_is_shown(default_kb):
    """"il a des formations sur la réglementation ?": every recommended training is regulatory — all six, AMF and MIF 2
    included, not the first three."""
    [part] = planner.plan_answer("et le mo, il a des formations sur la réglementation ?", "trainings",
                                 queries.resolve_job("middle-office")).parts
    assert len(part.facts) == 6 and any("MIF 2" in f.text for f in part.facts), part


def test_a_study_level_asked_as_required_of_a_sheet_not_naming_it_is_no_obligation(default_kb):
    """"les deux demandent un bac+5 ?": the back office's sheet names no "bac + 5" but lists options from the bac
    on: no obligation (never "the sheet does not talk about it" while it lists masters)."""
    [part] = planner.plan_answer("les deux demandent un bac+5 ?", "studies", queries.resolve_job("back-office")).parts
    assert part.kind == planner.NOT_REQUIRED and any(f.text == "BTS Banque" for f in part.facts), part


def test_the_best_of_the_diplomas_told_is_never_ranked(default_kb):
    """"… hésite entre un BTS Banque et une licence de droit. Quel diplôme est le plus adapté ?": the sheet ranks
    none — said first, then each diploma checked (the licence not listed, the BTS Banque listed)."""
    background = "Ma fille hésite entre un BTS Banque et une licence de droit. Elle vise le back-office."
    parts = planner.plan_answer("Quel diplôme serait le plus adapté selon la fiche ?", "studies",
                                queries.resolve_job("back-office"), background=background).parts
    assert [p.kind for p in parts] == [planner.RANK_NOTE, planner.NOT_LISTED, planner.FACTS], parts
    assert "droit" in parts[1].item and [f.text for f in parts[2].facts] == ["BTS Banque"], parts


@pytest.mark.parametrize("text,form", [
    ("Pourriez-vous me préciser les qualités attendues ?", "open"),
    ("Pourriez-vous nous décrire ses missions ?", "open"),
    ("Pourriez-vous me préciser si l'anglais est demandé ?", "yes_no"),
])
def test_a_request_for_a_list_is_an_open_question(text, form):
    from knowledge.question import analyse

    assert analyse(text, queries.vocabulary()).form == form


def test_a_word_inside_a_career_line_is_no_mission_of_the_other_job(default_kb):
    """"le back office gère les crédits ?": the middle office's "Analyste financier / crédit" is a job one comes from,
    not a mission the back office's sheet lacks — never "c'est dans la fiche du middle-office"."""
    parts = planner.plan_answer("le back office gère les crédits ?", "missions",
                                queries.resolve_job("back-office")).parts
    assert parts and all(p.kind not in (planner.YES, planner.NO_OTHER_JOB) for p in parts), parts


def test_levels_asked_of_a_sheet_that_rates_none_say_so(default_kb):
    """"et le back office, il a des niveaux comme ça ?": its sheet rates none of its skills — said so, with its list;
    the middle office's sheet rates them (its list shows each level)."""
    [part] = planner.plan_answer("et le back office il a des niveaux comme ça ?", "skills",
                                 queries.resolve_job("back-office")).parts
    assert part.kind == planner.FILTER_UNRATED and len(part.facts) == 5, part
    [part] = planner.plan_answer("les compétences du middle office ont des niveaux ?", "skills",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.TOPIC, part


def test_what_an_open_question_leaves_out_is_not_searched(default_kb):
    """"je veux bosser dans la banque sans être commercial, le back office c'est quoi ?": the job, not the studies'
    "Techniques de commercialisation"."""
    [part] = planner.plan_answer("je veux bosser ds la banque sans être commercial, le back office c'est quoi ?",
                                 "definition", queries.resolve_job("back-office")).parts
    assert part.kind == planner.TOPIC and part.topic == "definition", part


def test_a_word_inside_a_job_the_fact_names_is_no_yes_even_misspelt(default_kb):
    """"le back y parl avc lé clien ?": "clien" is inside "conseillers de clientèle" — no "oui" from that line."""
    parts = planner.plan_answer("le back y parl avc lé clien ?", "interlocutors",
                                queries.resolve_job("back-office")).parts
    assert parts and all(p.kind != planner.YES for p in parts), parts


def test_studies_after_the_bac_of_a_sheet_that_lists_no_bac_are_its_whole_list():
    message = only(ask("ask_studies", "quelles études après le bac pour le middle office ?", "mo")[0])
    assert message["response"] == "utter_answer_studies"


def test_a_bac_asked_of_is_still_the_bacs():
    assert analyse("quels bacs pour le back office ?", queries.vocabulary()).after == ()
    assert [f.value for f in analyse("après le bac on fait quoi ?", queries.vocabulary()).after] == ["bac"]


def test_a_word_of_the_same_family_finds_the_mission_without_a_yes():
    message = only(ask("ask_missions", "slt je veux savoir si le back office fait de la compta", "bo")[0])
    assert message["response"] == "utter_fact_unqualified"
    assert "opérations bancaires et comptables" in message["facts"]


def test_what_the_job_does_beats_a_diploma_s_title_only_a_little_better():
    """"il fait des trucs sur les marchés financiers ?": the sheet's "intervenir sur les marchés financiers", not the
    title of a master "… finance d'entreprise et de marchés"."""
    [part] = planner.plan_answer("jsp si le bac ofis fé d truc sur les marché financié", "missions",
                                 queries.default_repository().job("back-office")).parts
    assert part.topic != "studies" and "marchés financiers" in part.facts[0].text


def test_a_greeting_word_is_no_word_searched():
    [part] = planner.plan_answer("Yo le middle office c'est stressant comme taf ?", "definition",
                                 queries.default_repository().job("middle-office")).parts
    assert part.kind == planner.UNQUALIFIED and part.facts[0].text == "Gérer des situations de stress"


def test_a_move_asked_both_ways_is_read_both_ways():
    jobs = list(queries.list_jobs())
    one = planner.plan_moves("on peut passer du middle au back ?", jobs)
    both = planner.plan_moves("on peut passer du middle au back et inversement ?", jobs)
    assert [f.direction for p in one.parts for f in p.facts] == ["to"]
    assert sorted(f.direction for p in both.parts for f in p.facts) == ["from", "to"]


def test_a_word_pointing_to_a_topic_decides_a_message_read_as_only_naming_the_job():
    """"le BO doit parler allemand ?" read as naming the job: the language is a skill — the honest gap there, with
    the language the sheet does name."""
    messages, _ = ask("inform_job", "Le gestionnaire back-office doit parler allemand ?", "bo")
    assert "anglais" in str(messages) and not str(messages[0].get("response")).startswith("utter_fact_yes")


def test_whom_the_other_sheet_names_comes_after_whom_this_one_names():
    messages, _ = ask("ask_interlocutors", "ok le back bosse avec les commerciaux ?", "bo")
    assert messages[0]["response"] == "utter_fact_no_other_job_listed", messages
    assert "chargés d'affaires" in messages[0]["own_facts"] and "front-office" in messages[0]["facts"].lower()


@pytest.mark.parametrize("text, topic, job, said", [
    ("que dit la fiche du back office sur les contrôles qu'il fait ?", "missions", "back-office", "Contrôler"),
    ("Mentionne-t-elle des périodes de forte activité ?", "rhythm", "middle-office", "hausses d'activité"),
])
def test_what_the_sheet_says_of_a_subject_is_its_facts_never_its_silence(text, topic, job, said):
    plan = planner.plan_answer(text, topic, queries.default_repository().job(job))
    assert plan.parts[0].kind == planner.FACTS and any(said in f.text for f in plan.parts[0].facts), plan.parts


def test_a_code_asked_finds_its_diploma_whatever_job():
    [part] = planner.plan_answer("Pourriez-vous m'indiquer à quel diplôme correspond le numéro 29764 ?", "studies",
                                 None).parts
    assert part.job is not None and part.facts and part.facts[0].code and "29764" in part.facts[0].code


def test_whether_the_sheet_details_a_fact_is_no_yes():
    [part] = planner.plan_answer("les connaissances juridiques attendues sont-elles détaillées ?", "skills",
                                 queries.default_repository().job("back-office")).parts
    assert part.kind == planner.VALUE_UNSAID and "prêts et garanties" in part.facts[0].text


def test_a_profile_told_before_is_checked_when_asked_whether_it_fits_the_job():
    parts = planner.plan_answer("Elle se demande si ce profil correspond au métier de gestionnaire de back-office. "
                                "Pourriez-vous m'éclairer à ce sujet ?", "studies",
                                queries.default_repository().job("back-office"),
                                background=" . bac generale les specialites mathematiques").parts
    assert parts[0].kind == planner.YES and parts[0].facts[0].text.startswith("Baccalauréat général")


# ---------------------------------------------------------------- importance, which no sheet rates

@pytest.mark.parametrize("text", ["quelle compétence est la plus importante ?", "lesquelles comptent le plus ?"])
def test_which_item_matters_most_is_said_unrated_then_the_list(default_kb, text):
    """"quelle compétence est la plus importante ?": the sheets rate the level expected, never importance — said so,
    then the list as the sheet gives it (never one item picked as if the sheet ranked it)."""
    for job in queries.list_jobs():
        listed = queries.topic_answer(job.id, "skills").facts
        if not listed:
            continue
        message = only(ask("ask_skills", text, slots={"job": job.id, "topic": "skills"})[0])
        assert message["response"] == "utter_facts_no_importance", (job.id, message)
        assert all(f.text in message["facts"] for f in listed)


def test_which_item_matters_most_right_after_one_jobs_list_is_not_a_ranking_of_the_jobs(default_kb):
    """"laquelle est la plus importante" right after the skills of one job, read as a comparison by the NLU."""
    job = queries.list_jobs()[0]
    messages, _ = ask("compare_jobs", "laquelle est la plus importante", slots={"job": job.id, "topic": "skills"})
    assert [m["response"] for m in messages] == ["utter_facts_no_importance"], messages
    assert messages[0]["job_name"] == job.name[0].lower() + job.name[1:]


def test_a_superlative_within_the_one_job_named_is_no_ranking_of_the_jobs(default_kb):
    for job in queries.list_jobs():
        messages, _ = ask("compare_jobs", f"quel est le niveau d'études le plus haut pour le {job.name} ?",
                          entities=[{"entity": "job", "value": job.id}])
        assert all(not m["response"].startswith("utter_compare") for m in messages), messages
        assert {m.get("job_name") for m in messages} == {job.name[0].lower() + job.name[1:]}, messages


@pytest.mark.parametrize("text", ["lcb ft c ds la fiche ?", "la fiche parle de crypto ?"])
def test_whether_the_sheets_mention_words_none_uses_is_said_plainly(default_kb, text):
    """Read as a question about the sheets' source: words no sheet uses, asked whether the sheet mentions them —
    "the sheets do not use this word", never the list of sources as if it answered."""
    messages, _ = ask("ask_source", text)
    assert [m["response"] for m in messages] == ["utter_term_unknown"], messages


def test_the_sources_asked_without_a_job_are_said_to_be_the_sheets(default_kb):
    messages, _ = ask("ask_source", "t'as eu tes infos où ?")
    assert [m["response"] for m in messages] == ["utter_compare_sources"], messages
    assert all(job.name in messages[0]["facts"] for job in queries.list_jobs())


def test_touching_a_thing_is_no_salary(default_kb):
    """"il touche à l'informatique ?" read as the salary: the facts it names are answered, not the salary's gap."""
    messages, _ = ask("ask_salary", "le bo il touche a l'informatique ?", "bo")
    assert messages[0]["response"] != "utter_not_in_any_sheet" and "informatique" in str(messages), messages


@pytest.mark.parametrize("first, then", [
    ("comment le middle office contrôle les risques ?", "et s'il y a une erreur avec un client ?"),
    ("le middle office travaille comment avec le back office ?", "et avec le front ?"),
])
def test_a_condition_or_a_partner_asked_next_is_open_never_a_yes(default_kb, first, then):
    """"et s'il y a une erreur ?" asks what happens, "et avec le front ?" how they work together: no claim to say
    "oui" to — the fact, as the sheet says it."""
    _, events = ask("ask_missions", first, "mo")
    slots = {"job": "middle-office", "topic": slot(events, "topic"), "question": slot(events, "question")}
    messages, _ = ask("ask_interlocutors", then, slots=slots)
    assert messages and all(m["response"] not in ("utter_fact_yes", "utter_fact_yes_to_negative") for m in messages)
    assert messages[0]["response"] == "utter_fact_found", messages


def test_a_job_asked_for_is_no_word_of_the_careers(default_kb):
    """"quel bac lui conseillez-vous ?": advising is no "conseiller clientèle"."""
    message = only(ask("ask_studies", "Mon fils voudrait travailler en back-office. Quel bac lui conseillez-vous ?",
                       "bo")[0])
    assert message["job_name"] == "gestionnaire de back-office" and "conseiller" not in message["facts"].lower()


def test_a_heading_named_narrows_the_topic_to_its_list(default_kb):
    """"seulement les formations spécifiques au métier, pas les générales": the list under that heading — walked over
    every heading of every topic of every sheet that names its own words."""
    checked = 0
    for job in queries.list_jobs():
        for topic in queries.topics():
            facts = queries.topic_answer(job.id, topic).facts
            groups = list(dict.fromkeys(f.group for f in facts if f.group))
            if len(groups) < 2 or any(not f.group for f in facts):
                continue
            heads = {g: set(queries.content_terms(g)) for g in groups}
            for group in groups:
                if not heads[group] - set.intersection(*heads.values()):
                    continue
                plan = planner.plan_answer(f"seulement ceux-là : {group}", topic, job)
                expected = {f.text for f in facts if f.group == group}
                if plan.parts[0].kind in (planner.FACTS, planner.TOPIC) and plan.parts[0].topic == topic:
                    # never the whole topic; the heading's list (a search may add a fact that names its words too)
                    assert plan.parts[0].kind == planner.FACTS and {f.text for f in plan.parts[0].facts} >= expected, (
                        job.id, topic, group, plan)
                    checked += 1
    assert checked >= 4
    plan = planner.plan_answer("les formations, mais pas les générales", "trainings",
                               queries.default_repository().job("middle-office"))
    assert [f.text for f in plan.parts[0].facts] == ["MIF 2 (Markets in Financial Instruments Directive)"]


@pytest.mark.parametrize("text, job_id, topic, kind", [
    # a diploma's title joined by "et" is one item, not the listed one it begins with
    ("le BTS banque et assurance est cité pour le back office ?", "back-office", "studies", planner.NOT_LISTED),
    # "uniquement le bac STMG" of a list of three: not only; "j'ai seulement un bac STMG": the student's own
    ("c'est seulement le bac STMG qui est conseillé pour le back office ?", "back-office", "studies",
     planner.NOT_ONLY),
    ("j'ai seulement un bac STMG, je peux faire back office ?", "back-office", "studies", planner.YES),
    # leaving the job for a job it is reached from: the other way round
    ("on peut passer de gestionnaire middle office à analyste financier ?", "middle-office", "careers",
     planner.OTHER_DIRECTION),
    # a count of the job family is not the job's
    ("y a 1 220 gestionnaires middle office ?", "middle-office", "figures", planner.UNQUALIFIED),
    ("la famille middle back office compte 1 220 emplois ?", "middle-office", "figures", planner.YES),
    ("le middle office peut se faire avec un bac+3 ?", "middle-office", "figures", planner.YES),
    # another job named as the partner must be the fact's partner
    ("le middle office analyse les résultats des salles de marché avec le back office, c'est ça ?", "middle-office",
     "missions", planner.UNQUALIFIED),
    ("le middle office analyse les résultats des salles de marché avec le front office ?", "middle-office",
     "missions", planner.YES),
    # every time, every holder of the job: more than a sheet that lists a task or a skill says
    ("le back office intervient à chaque fois sur les marchés ?", "back-office", "missions", planner.UNQUALIFIED),
    ("tous les gestionnaires middle office encadrent une équipe ?", "middle-office", "skills", planner.UNQUALIFIED),
    ("le middle office encadre une équipe ?", "middle-office", "skills", planner.YES),
    # the opposite of what the fact says
    ("la crise sanitaire a fait baisser l'activité du middle office ?", "middle-office", "rhythm",
     planner.UNQUALIFIED),
    ("la crise sanitaire peut augmenter l'activité du middle office ?", "middle-office", "rhythm", planner.YES),
    ("les horaires sont instables en middle office ?", "middle-office", "rhythm", planner.UNQUALIFIED),
    # the word after a noun qualifies it: "un sens commercial" is not the sheet's "sens relationnel"
    ("le back office doit avoir un sens commercial et une capacité à convaincre, hein ?", "back-office", "qualities",
     planner.UNQUALIFIED),
    ("le back office doit avoir le sens relationnel ?", "back-office", "qualities", planner.YES),
    # ... unless another fact of the sheet says the two together ("les marchés financiers" of its definition)
    ("le back office il intervient sur les marchés financiers ?", "back-office", "missions", planner.YES),
    # "un sens commercial" names no job (no careers checked)
    ("faut un sens commercial pour le back office ?", "back-office", "qualities", planner.UNQUALIFIED),
])
def test_a_claim_close_to_a_fact_but_not_it_gets_no_yes(text, job_id, topic, kind):
    parts = planner.plan_answer(text, topic, queries.resolve_job(job_id)).parts
    assert parts[0].kind == kind, parts


def test_a_move_and_a_job_after_it_are_both_checked():
    """"on peut y arriver depuis le back office et après devenir trader ?": the move is listed, trader is not — the
    "non" first, the move shown without a "oui"."""
    jobs = [queries.resolve_job("middle-office"), queries.resolve_job("back-office")]
    plan = planner.plan_moves("on peut aller au middle office depuis le back office puis devenir trader ?", jobs)
    assert [p.kind for p in plan.parts] == [planner.NOT_LISTED, planner.FACTS], plan.parts
    assert plan.parts[0].item == "trader"
    plan = planner.plan_moves("on peut aller au middle office depuis le back office puis devenir auditeur ?", jobs)
    assert [p.kind for p in plan.parts] == [planner.YES], plan.parts


def test_a_closed_question_sharing_words_with_a_fact_is_answered_by_it_without_a_yes():
    """"il appelle les clients lui-même ?": "Éventuellement les clients…" names the clients, not the calls — shown,
    said plainly to be all the sheet says; asked whether the sheet mentions a thing, the facts that do."""
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("il appelle les clients lui-même ?", "interlocutors", bo).parts
    assert part.kind == planner.UNQUALIFIED and "clients" in part.facts[0].text, part


def test_when_said_inside_a_closed_question_is_no_question_of_when():
    """"faut venir en costume quand on est au middle office ?": a closed question on a thing no sheet names (its
    gap said), not the rhythm's whole section for "quand"."""
    shape = analyse("faut venir en costume quand on est au middle office ?", queries.vocabulary())
    assert shape.form == "yes_no"
    assert analyse("il commence quand le matin ?", queries.vocabulary()).form == "open"
    [part] = planner.plan_answer("faut venir en costume quand on est au middle office ?", "rhythm",
                                 queries.resolve_job("middle-office")).parts
    assert part.kind == planner.NOT_IN_SHEET, part


def test_a_relative_clause_after_an_inverted_verb_keeps_the_question_closed():
    """"Ce profil correspond-il à ce qu'indique la fiche ?": "qu'indique" opens a relative clause, the question is a
    closed one on the student's path; "qu'indique la fiche sur le stress ?" still asks what the sheet says."""
    assert analyse("Ce profil correspond-il à ce qu'indique la fiche du back-office ?", queries.vocabulary()).form \
        == "yes_no"
    assert analyse("qu'indique la fiche sur le stress ?", queries.vocabulary()).form == "open"
    assert analyse("pourriez-vous me dire ce que dit la fiche ?", queries.vocabulary()).form == "open"


@pytest.mark.parametrize("text", ["quelles formations il pourrait envisager une fois son baccalauréat en poche ?",
                                  "quelles études une fois le bac obtenu pour le back office ?"])
def test_une_fois_son_bac_en_poche_is_where_the_student_starts_not_a_filter(text):
    """The studies after the bac, not the list of bacs (a starting point, like "après le bac")."""
    shape = analyse(text, queries.vocabulary())
    assert not shape.filters and shape.after, shape
    parts = planner.plan_answer(text, "studies", queries.resolve_job("back-office")).parts
    assert parts[0].kind != planner.FILTERED, parts


def test_another_job_named_as_the_partner_and_nothing_else_gets_the_facts_that_name_it():
    """"le middle il travaille avec le back pour quoi ?": the middle office's facts that name the back office (whom it
    works with, what it does with it) — not its whole list of colleagues; "travaille avec qui ?" stays the list."""
    mo = queries.resolve_job("middle-office")
    plan = planner.plan_answer("le middle il travaille avec le back pour quoi ?", "interlocutors", mo)
    assert [p.kind for p in plan.parts] == [planner.FACTS, planner.FACTS], plan.parts
    facts = [f.text for p in plan.parts for f in p.facts]
    assert all("back-office" in fold(f).replace(" ", "-") for f in facts), facts
    assert not any(f == "Middle / Back office" for f in facts)  # the family's name says nothing of the work
    assert [p.kind for p in planner.plan_answer("le middle office travaille avec qui ?", "interlocutors",
                                                mo).parts] == [planner.TOPIC]


def test_a_complement_added_to_the_closed_question_before_keeps_its_verb_and_object():
    """"le middle-office fait un reporting ?" then "et pour les clients aussi ?": a reporting for the clients, which
    the sheet does not say (its reporting goes to the management) — not the clients among its colleagues; "et les
    successions aussi ?" replaces the object of "le back office traite les réclamations ?"."""
    mo, bo = queries.resolve_job("middle-office"), queries.resolve_job("back-office")
    [part] = planner.plan_answer("et pour les clients aussi ?", "interlocutors", mo,
                                 previous_question="le middle-office fait un reporting ?").parts
    assert part.kind == planner.UNQUALIFIED and "reporting" in part.facts[0].text, part
    [part] = planner.plan_answer("et pour le management aussi ?", "interlocutors", mo,
                                 previous_question="le middle-office fait un reporting ?").parts
    assert part.kind == planner.YES, part
    [part] = planner.plan_answer("et les successions aussi ?", "missions", bo,
                                 previous_question="le back office traite les réclamations ?").parts
    assert part.kind == planner.YES and "succession" in part.facts[0].text, part


@pytest.mark.parametrize("question,job,yes", [
    ("c'est lui qui décide qui a raison en cas de litige alors ?", "middle-office", False),
    ("c'est le middle office qui encaisse les intérêts ?", "middle-office", False),
    ("c'est lui qui gère les réclamations ?", "back-office", True),  # a verb any task is said with
    ("c'est lui qui contrôle le respect des échéances ?", "back-office", True),
])
def test_an_act_the_question_says_the_job_does_must_be_said_by_the_fact(default_kb, question, job, yes):
    from actions.planner import YES, plan_answer

    plan = plan_answer(question, "missions", queries.default_repository().job(job))
    assert (plan.parts[0].kind == YES) is yes, plan.parts


@pytest.mark.parametrize("question,job,kind", [
    ("au middle office ya pas de management a faire ?", "middle-office", "yes_to_negative"),  # "encadrer une équipe"
    ("au middle, travailler en équipe c'est plus important que gérer le stress ?", "middle-office", "no_importance"),
])
def test_everyday_words_for_the_sheets_words(default_kb, question, job, kind):
    from actions.planner import plan_answer

    plan = plan_answer(question, "skills", queries.default_repository().job(job))
    assert plan.parts[0].kind == kind, plan.parts


@pytest.mark.parametrize("text", ["le middle office c'est un métier de vente ?",
                                  "le middle office c'est bien le service commercial qui vend aux clients ?"])
def test_what_the_job_is_is_answered_from_its_definition_never_oui(default_kb, text):
    job = queries.resolve_job("middle-office")
    plan = planner.plan_answer(text, "interlocutors", job)
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.UNQUALIFIED, planner.DEFINITION_TOPIC)], plan
    assert any("intermédiaire" in f.text for f in plan.parts[0].facts)


def test_a_thing_the_asked_section_lacks_is_shown_where_the_sheet_says_it(default_kb):
    plan = planner.plan_answer("faut faire des études de droit alors ?", "studies", queries.resolve_job("back-office"))
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.NOT_IN_SHEET, "studies"), (planner.FACTS, "skills")]
    assert "juridiques" in plan.parts[1].facts[0].text
    # nothing of the kind anywhere: the honest gap alone
    plan = planner.plan_answer("faut faire des études de psycho ?", "studies", queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [planner.NOT_IN_SHEET]


def test_two_sides_weighed_within_one_job_get_what_the_sheet_says_of_each(default_kb):
    job = queries.resolve_job("back-office")
    plan = planner.plan_sides("le back office il travaille plus en interne ou avec les clients ?", "interlocutors", job)
    assert plan is not None and plan.parts[0].kind == planner.SIDES_NOTE
    said = [f.text for part in plan.parts[1:] for f in part.facts]
    assert any("conseillers" in t for t in said) and any("Éventuellement les clients" in t for t in said)
    assert not any(part.kind in (planner.YES, planner.YES_TO_NEGATIVE) for part in plan.parts)


def test_a_quantity_weighed_gets_each_sides_number(default_kb):
    job = queries.resolve_job("back-office")
    plan = planner.plan_sides("pour le back office y a plus de qualités ou de compétences ?", "qualities", job)
    assert plan is not None
    assert [(p.kind, p.topic, len(p.facts)) for p in plan.parts] == [(planner.COUNT, "qualities", 3),
                                                                      (planner.COUNT, "skills", 5)]


@pytest.mark.parametrize("text", ["c'est plus du bureau ou du terrain ?",  # nothing precise said of either side
                                  "le middle c'est plus ou moins stressant ?",
                                  "c'est plus le middle ou le back qui voyage ?",  # the jobs compared
                                  "quelles sont ses missions ?"])
def test_no_two_sides_weighed(default_kb, text):
    assert planner.plan_sides(text, "definition", queries.resolve_job("back-office")) is None


@pytest.mark.parametrize("text", ["je peux faire back office sans le bac ?",
                                  "si je rate mon bac je peux quand meme faire back office ?"])
def test_doing_without_a_diploma_is_never_answered_by_the_list_alone(default_kb, text):
    plan = planner.plan_answer(text, "studies", queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [planner.UNQUALIFIED], plan
    assert len(plan.parts[0].facts) == 3 and all("Baccalauréat" in f.text for f in plan.parts[0].facts)


def test_a_code_asked_of_a_diploma_listed_without_one_is_said_missing(default_kb):
    plan = planner.plan_answer("y a un code rncp pour le bts banque ?", "studies", queries.resolve_job("back-office"))
    assert [(p.kind, [f.text for f in p.facts]) for p in plan.parts] == [(planner.ATTRIBUTE_NONE, ["BTS Banque"])]


def test_a_skill_to_have_is_no_yes_to_what_the_job_is(default_kb):
    job = queries.resolve_job("middle-office")
    for topic in ("rhythm", "skills"):  # whatever topic the NLU read
        plan = planner.plan_answer("et ds le middle y a du stress ?", topic, job)
        assert [p.kind for p in plan.parts] == [planner.UNQUALIFIED], plan
    # the skill asked as such (its verb said, a skill cue, or asked under the skills): the fact says it
    for text, topic in (("il faut savoir gérer le stress ?", "rhythm"), ("pareil pour le stress ?", "skills"),
                        ("Le middle office vérifie la conformité des opérations ?", "missions"),
                        ("il travaille en équipe ?", "skills")):
        assert planner.plan_answer(text, topic, job).parts[0].kind == planner.YES, text


def test_pouvez_vous_me_presenter_le_metier_is_its_definition(default_kb):
    plan = planner.plan_answer("Pouvez-vous me présenter le métier de gestionnaire middle-office ?", "definition",
                               queries.resolve_job("middle-office"))
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.TOPIC, "definition")], plan


def test_one_direction_of_the_careers_is_remembered_as_precise(default_kb):
    job = queries.resolve_job("middle-office")
    plan = planner.plan_answer("après middle office on peut faire quoi ?", "careers", job)
    assert plan.precise and [f.text for f in plan.parts[0].facts][0] == "Auditeur"


def test_bac_plus_combien_asks_the_studies_after_the_bac(default_kb):
    plan = planner.plan_answer("et pour le back, c'est bac+combien ?", "studies", queries.resolve_job("back-office"))
    assert [p.kind for p in plan.parts] == [planner.AFTER_POINT], plan
    assert "BTS Banque" in [f.text for f in plan.parts[0].facts]


def test_equals_what_asks_a_meaning_never_a_yes(default_kb):
    plan = planner.plan_answer("gérer les outils monétiques = ?", "missions", queries.resolve_job("back-office"))
    assert not any(p.kind in (planner.YES, planner.YES_TO_NEGATIVE) for p in plan.parts), plan


def test_a_diploma_near_the_other_sheets_skill_is_looked_for_among_the_studies():
    """"après une licence de droit …" finds the back office's "connaissances juridiques": the middle office's studies
    are what says whether a licence leads there (the level job offers ask), never its skills list."""
    mo = queries.resolve_job("middle-office")
    [part] = planner.plan_answer("apres une licence de droit je peux aller en middle office ?", "studies", mo).parts
    assert part.kind == planner.LEVEL_NAMED and part.topic == "studies" and part.item == "licence de droit"
    assert any("Licence" in f.text for f in part.facts)


def test_a_frequency_stronger_than_the_sheets_is_answered_from_the_own_sheet_not_the_others():
    """"il est avec les clients tous les jours ?" of the back office: its sheet says "éventuellement les clients";
    the middle office's "chaque jour … les clients" is no answer about the back office."""
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("le gestionnaire back office il est avec les clients tous les jours ?",
                                 "interlocutors", bo).parts
    assert part.kind == planner.LESS_OFTEN and part.job == bo
    assert all("ventuellement" in f.text for f in part.facts)
    # without a frequency, "gérer le stress" of the back office is still the other sheet's fact
    [stress] = planner.plan_answer("le back office doit gérer le stress ?", "skills", bo).parts
    assert stress.kind in (planner.NO_OTHER_JOB, planner.SILENT_OTHER_JOB, planner.NOT_IN_SHEET), stress


def test_what_the_job_consists_in_is_answered_from_its_definition():
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("Le métier de gestionnaire de back-office consiste-t-il à vendre des produits "
                                 "bancaires ?", "missions", bo).parts
    assert part.kind == planner.UNQUALIFIED and part.topic == planner.DEFINITION_TOPIC
    # "c stressant ?" still shows the skill that names the stress, not the definition
    [stress] = planner.plan_answer("middle office c stressant ?", "rhythm", queries.resolve_job("middle-office")).parts
    assert stress.topic == "skills", stress


def test_a_link_with_a_job_is_a_relation_not_a_web_link():
    mo = queries.resolve_job("middle-office")
    assert analyse("quel est son lien avec le middle-office ?", queries.vocabulary()).attribute is None
    assert analyse("le lien vers la fiche france compétences ?", queries.vocabulary()).attribute == "url"
    [part] = planner.plan_answer("Et le métier de contrôleur de gestion, quel est son lien avec le middle-office ?",
                                 "interlocutors", mo).parts
    assert part.topic == "careers" and [f.text for f in part.facts] == ["Contrôleur de gestion"]


def test_a_move_said_with_an_adverb_goes_to_the_job_named():
    bo, mo = queries.resolve_job("back-office"), queries.resolve_job("middle-office")
    assert planner.move_order("est-il possible de passer ensuite en middle-office ?", [bo, mo]) == (bo, mo)
    [part] = planner.plan_move("est-il possible de passer ensuite en middle-office ?", [bo, mo]).parts
    assert part.kind == planner.YES and part.job == mo and all(f.direction == "from" for f in part.facts)


def test_codes_asked_under_another_topic_are_those_of_the_one_section_that_carries_them():
    """"il y a des codes RNCP ?" read as the working hours: the studies carry the codes (middle office), or their
    list is said to carry none (back office) — never the hours' section."""
    mo, bo = queries.resolve_job("middle-office"), queries.resolve_job("back-office")
    [part] = planner.plan_answer("il y a des codes RNCP ?", "rhythm", mo).parts
    assert part.kind == planner.FACTS and part.topic == "studies" and all(f.code for f in part.facts)
    [none] = planner.plan_answer("il y a des codes RNCP ?", "rhythm", bo).parts
    assert none.kind == planner.ATTRIBUTE_NONE and none.topic == "studies"


def test_much_of_a_thing_the_sheet_says_eventuellement_is_not_so_much():
    bo = queries.resolve_job("back-office")
    [part] = planner.plan_answer("le métier exige-t-il beaucoup de contact avec la clientèle ?", "interlocutors",
                                 bo).parts
    assert part.kind == planner.LESS_OFTEN and all("ventuellement" in f.text for f in part.facts), part


def test_a_classe_preparatoire_is_a_prepa():
    bo = queries.resolve_job("back-office")
    text = ("Bonjour, j'enseigne en classe préparatoire économique et commerciale. La classe préparatoire est-elle "
            "mentionnée dans la fiche du back-office ?")
    [part] = planner.plan_answer(text, "studies", bo).parts
    # the prépas the sheet lists precisely (a classe prépa alone names none of them), never "commerciale" as a job
    assert part.kind in (planner.YES, planner.KIND_LISTED) and any("Prépa" in f.text for f in part.facts), part


def test_where_one_comes_from_said_outright_outweighs_where_one_works():
    bo, mo = queries.resolve_job("back-office"), queries.resolve_job("middle-office")
    assert planner.move_order("je suis au middle office, on peut venir du back ?", [mo, bo]) == (bo, mo)
    assert planner.move_order("je bosse au back office, je peux passer au middle ?", [bo, mo]) == (bo, mo)
    assert planner.move_order("on peut passer du middle au back ?", [mo, bo]) == (mo, bo)


@pytest.mark.parametrize("text", ["faut un bac+5 pour le middle office ?", "fo un bac+5 pr le middle ?",
                                  "fodra un bac+5 pour faire middle ?"])
def test_a_level_asked_as_needed_in_sms_is_no_obligation_of_a_list_of_levels(mo, text):
    """Job offers ask bac+2 to bac+5: a need asked, however spelled, is "non, pas obligatoire", never "oui"."""
    [part] = planner.plan_answer(text, "studies", mo).parts
    assert part.kind == planner.NOT_REQUIRED, part
