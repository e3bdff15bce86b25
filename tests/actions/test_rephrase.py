""""Explique plus simplement", "résume", "un exemple ?" (actions/rephrase.py): the last answer again, shorter, in the
sheet's own words — never reworded, never an invented example."""
from __future__ import annotations

from actions.rephrase import ActionRephrase, gist, headings
from knowledge import queries
from tests.actions.conftest import make_tracker


def _texts(dispatcher) -> list[str]:
    return [m.get("response") or "" for m in dispatcher.messages]


def test_the_gist_is_the_sheets_first_items_or_its_own_headings():
    missions = queries.topic_answer("middle-office", "missions").facts
    assert headings(missions) == tuple(dict.fromkeys(f.group for f in missions))
    assert len(headings(missions)) == 3  # the middle office's missions come under three headings
    back = queries.topic_answer("back-office", "missions").facts
    assert headings(back) == ()  # one list, no headings: its first items instead
    assert gist(back) == back[:3]


def test_a_list_just_shown_is_said_again_as_its_gist(dispatcher):
    tracker = make_tracker("ask_rephrase", text="tu peux dire ça plus simplement ?",
                           slots={"job": "back-office", "topic": "skills"})
    ActionRephrase().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == ["utter_rephrase_intro", "utter_rephrase_gist"]
    gist_message = dispatcher.messages[1]
    skills = queries.topic_answer("back-office", "skills").facts
    assert gist_message["count"] == len(skills) and gist_message["shown"] == 3
    assert skills[0].text in gist_message["facts"] and skills[-1].text not in gist_message["facts"]
    assert any("conseiller" in b["title"] for b in gist_message["buttons"])


def test_headings_summarise_a_grouped_list(dispatcher):
    tracker = make_tracker("ask_rephrase", text="résume", slots={"job": "middle-office", "topic": "missions"})
    ActionRephrase().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == ["utter_rephrase_intro", "utter_rephrase_headings"]
    assert "S'assurer du bon traitement des opérations" in dispatcher.messages[1]["headings"]


def test_an_example_is_said_to_be_missing_then_the_precise_answer_again(dispatcher):
    tracker = make_tracker("ask_rephrase", text="donne-moi un exemple concret",
                           slots={"job": "back-office", "topic": "missions",
                                  "question": "il traite les réclamations ?"})
    ActionRephrase().run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0] == "utter_rephrase_example"
    assert "réclamations" in str(dispatcher.messages[1:])


def test_nothing_to_rephrase_yet_offers_the_jobs(dispatcher):
    ActionRephrase().run(dispatcher, make_tracker("ask_rephrase", text="résume"), {})
    assert _texts(dispatcher) == ["utter_rephrase_nothing"]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert all(job.name in titles for job in queries.list_jobs())


def test_an_acknowledgement_alone_is_thanked_not_rephrased(dispatcher):
    from actions.rephrase import acknowledges_only

    assert acknowledges_only("ok") and acknowledges_only("ok thx 👍") and acknowledges_only("Ah d'accord !")
    assert not acknowledges_only("ok résume") and not acknowledges_only("ok mais en plus simple ?")
    tracker = make_tracker("ask_rephrase", text="ok", slots={"job": "back-office", "topic": "skills"})
    ActionRephrase().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == ["utter_thank"]


def test_a_message_naming_a_job_is_answered_about_it(dispatcher):
    """"jcomprends rien au middle office, tu peux expliquer simple ?" as the first message: the job explained (its
    definition), not "nothing explained yet"."""
    tracker = make_tracker("ask_rephrase", entities=[{"entity": "job", "value": "middle-office"}],
                           text="jcomprends rien au middle office, tu peux expliquer simple ?")
    tracker.latest_message["intent_ranking"] = [{"name": "ask_rephrase", "confidence": 0.54},
                                                {"name": "ask_definition", "confidence": 0.38}]
    events = ActionRephrase().run(dispatcher, tracker, {})
    assert "utter_rephrase_nothing" not in _texts(dispatcher)
    assert {"event": "slot", "name": "topic", "value": "definition", "timestamp": None} in events


def test_a_claim_of_the_last_answer_is_checked_not_rephrased(dispatcher):
    """"mais c obligatoire ou pas ?" read as a request to rephrase: the claim is checked against the sheet (no fact
    says the English is required: never "oui")."""
    tracker = make_tracker("ask_rephrase", text="mais c obligatoire ou pas ?",
                           slots={"job": "back-office", "topic": "skills", "question": "il faut parler anglais ?"})
    ActionRephrase().run(dispatcher, tracker, {})
    responses = _texts(dispatcher)
    assert "utter_rephrase_intro" not in responses and "utter_fact_yes" not in responses
