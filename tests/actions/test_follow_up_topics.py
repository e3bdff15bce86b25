"""Which topic a part of a message is about when the NLU's reading is not enough: a second thing asked after
"ainsi que", and a comparison asked as a follow-up (tests on the default knowledge base)."""
from __future__ import annotations

from actions.compare_jobs import DEFAULT_COMPARISON_TOPIC, _topic_asked
from actions.questions import _also_asked, _parallel_questions, _two_things
from knowledge import queries
from knowledge.question import OPEN, analyse


def test_a_first_part_read_by_the_word_it_hints_at_and_a_noun_phrase_after_ainsi_que_asks_what_the_sheet_says():
    text = "pourriez-vous me préciser le niveau d'anglais attendu, ainsi que la fréquence des déplacements ?"
    parts = _also_asked(text, "ask_rhythm")
    assert [intent for _, intent in parts] == ["ask_skills", "ask_rhythm"], parts
    second = parts[1][0]
    assert second.startswith("et la fréquence") and analyse(second, queries.vocabulary()).form == OPEN


def test_a_comparison_follow_up_takes_the_topic_of_the_one_fact_section_it_names():
    # right after the studies, "l'expérience demandée" is a fact of the figures only
    assert _topic_asked("et pour l'expérience demandée, ça se compare ?", "studies") == "figures"
    # a word found in two sections alike ("différence" ~ "différents") decides nothing
    assert _topic_asked("quelle est la différence ?", None) == DEFAULT_COMPARISON_TOPIC
    assert _topic_asked("et niveau études, ça se compare ?", "skills") == "studies"


def test_where_a_job_stands_is_what_it_is_not_a_word_of_its_skills():
    """"et le middle se situe où là-dedans ?" (after the front and back offices): its definition, not the skill
    "Gérer des situations de stress" that shares "situ"."""
    from actions import planner

    plan = planner.plan_answer("et le middle se situe où là-dedans ?", "definition",
                               queries.resolve_job("middle-office"), [], job_named=True)
    assert [(p.kind, p.topic) for p in plan.parts] == [(planner.TOPIC, "definition")]


def test_the_writers_own_reason_is_context_not_a_word_the_sheet_must_say():
    """"… il faut parler anglais parce que je suis nulle": the back office's sheet lists "Maîtrise de l'anglais"; the
    reason ("je suis nulle") is no word of the question (it made the answer "la fiche n'en parle pas")."""
    from actions import planner

    back = queries.resolve_job("back-office")
    plan = planner.plan_answer("est-ce qu'il faut parler anglais parce que je suis nulle", "skills", back, [])
    assert [p.kind for p in plan.parts] == [planner.YES]
    assert "anglais" in plan.parts[0].facts[0].text


def test_my_specialties_asked_once_told_are_checked_against_the_sheets_list():
    from actions.questions import asks_own_path

    profile = "terminale generale spe ses hggsp"
    assert asks_own_path("mes spécialités sont citées pour le back office ?", profile)
    assert not asks_own_path("mes spécialités sont citées pour le back office ?", None)


def test_the_diploma_told_in_the_same_message_is_the_students_own_another_one_is_not():
    from actions.questions import asks_own_path

    profile = "terminale stmg"
    assert asks_own_path("je suis en terminale STMG et le back-office ça m'intéresse, c'est jouable ?", profile)
    assert not asks_own_path("je suis en terminale STMG, le BTS banque c'est jouable ?", profile)


def test_a_topic_the_sheet_lacks_gives_way_to_what_the_job_is_when_the_words_point_there():
    """"Le back office c'est dans quel secteur ?" read as the figures (its sheet has none): what the job is, never the
    honest gap of a topic the message did not ask; "et l'allemand ?" keeps its own reading."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answer_topic import ActionAnswerTopic
    from tests.actions.conftest import make_tracker

    assert not queries.topic_answer("back-office", "figures").found
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("ask_figures", [{"entity": "job", "value": "back-office"}],
                           text="Le back office c'est dans quel secteur ?")
    ActionAnswerTopic().run(dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_answer_definition"]


def test_each_job_with_its_own_topic_joined_by_a_bare_et_is_two_questions():
    assert _parallel_questions("horaires du back et competences du middle", "ask_rhythm") == [
        ("horaires du back", "ask_rhythm"), ("et competences du middle", "ask_skills")]
    # one topic of both jobs, and the jobs set side by side, stay one question
    assert _parallel_questions("les missions du back et du middle", "ask_missions") == []
    assert _parallel_questions("les différences entre le middle et le back", "compare_jobs") == []


def test_two_things_of_two_sections_joined_by_et_are_each_asked_of_its_own():
    parts = _two_things("deplacements et anglais en middle ca donne quoi")
    assert [intent for _, intent in parts] == ["ask_rhythm", "ask_skills"], parts
    # the noun phrase after "et" asks what the sheet says of it, not a yes/no
    second = _two_things("les déplacements et l'anglais au middle ?")[1][0]
    assert second.startswith("et l'anglais") and analyse(second, queries.vocabulary()).form == OPEN
    # two things of one section, two topics named (one plan answers both), or a long first part: not cut here
    assert _two_things("rigueur et organisation c'est demandé au back ?") == []
    assert _two_things("les horaires et les compétences du middle ?") == []
    assert _two_things("c'est quoi le back office et le middle office") == []

