"""Stories from conversations (ops/console/stories.py) on tiny fixtures: turns + corrections -> steps and YAML, the
text kept only where confirmed, identical stories, append and undo keeping the file's other bytes."""
from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from ops.console.store import ConversationStore, Turn
from ops.console.stories import (
    Correction,
    StoryFiles,
    StoryRefused,
    Vocabulary,
    appended,
    draft,
    identical,
    normalized,
    story_name,
    story_steps,
    to_yaml,
)
from tests.ops.conversations import MISTAKE, fill_tracker_store

VOCABULARY = Vocabulary(intents=("ask_figures", "ask_studies", "greet"), entities=("job", "study_level"),
                        actions=("action_answer_topic", "utter_greet"), slots=("job", "question", "topic"))
JOB = {"entity": "job", "value": "back-office", "start": MISTAKE.index("bo"), "end": MISTAKE.index("bo") + 2}


def _turn(text=MISTAKE, intent="ask_figures", entities=(JOB,), steps=None) -> Turn:
    steps = steps if steps is not None else [
        {"slot": "job", "value": "back-office"}, {"action": "action_answer_topic"},
        {"slot": "topic", "value": "figures"}, {"slot": "question", "value": text}]
    return Turn(id=1, sender_id="s1", timestamp=1.0, text=text, channel="socketio", intent=intent, confidence=0.9,
                entities=[dict(e) for e in entities], steps=steps)


def _fix(intent="ask_studies", keep_text=False, entities=(JOB,), actions=("action_answer_topic",)) -> Correction:
    return Correction.from_json({"intent": intent, "keep_text": keep_text, "entities": [dict(e) for e in entities],
                                 "actions": list(actions)})


def test_a_corrected_turn_without_its_text():
    steps = story_steps([_turn()], [_fix()], VOCABULARY, with_text=True)
    assert steps == [{"intent": "ask_studies", "entities": [{"job": "back-office"}]},
                     {"slot_was_set": [{"job": "back-office"}]},  # from the entity; the wrong answer's slots left out
                     {"action": "action_answer_topic"}]
    assert MISTAKE not in to_yaml({"story": "s", "steps": steps})


def test_a_confirmed_text_is_annotated_and_free_text_slots_follow_the_confirmation():
    unchanged = Correction("ask_figures", (JOB,), ("action_answer_topic",), keep_text=True)
    steps = story_steps([_turn()], [unchanged], VOCABULARY, with_text=True)
    assert steps[0] == {"user": "et pour etudier en alternance a lyon pour le [bo](job) ?", "intent": "ask_figures"}
    assert steps[2:] == [{"action": "action_answer_topic"},
                         {"slot_was_set": [{"topic": "figures"}, {"question": MISTAKE}]}]
    # not confirmed: the `question` slot, which repeats the student's words, is left out; ids are kept
    hidden = story_steps([_turn()], [Correction("ask_figures", (JOB,), ("action_answer_topic",))], VOCABULARY, True)
    assert hidden[3] == {"slot_was_set": [{"topic": "figures"}]}
    # a training story never keeps the text (Rasa would train end to end on it)
    assert "user" not in story_steps([_turn()], [unchanged], VOCABULARY, with_text=False)[0]


def test_entities_added_by_words_and_values_other_than_the_words():
    level = {"entity": "study_level", "value": "bac+3", "words": "alternance"}
    steps = story_steps([_turn()], [_fix(keep_text=True, entities=(JOB, level))], VOCABULARY, with_text=True)
    assert steps[0]["user"] == ('et pour etudier en [alternance]{"entity": "study_level", "value": "bac+3"} a lyon '
                                "pour le [bo](job) ?")
    with pytest.raises(StoryRefused, match="les mots du message"):
        story_steps([_turn()], [_fix(keep_text=True, entities=({"entity": "job", "value": "x"},))], VOCABULARY, True)
    assert story_steps([_turn()], [_fix(entities=({"entity": "job", "value": "x"},))], VOCABULARY, True)[0] == {
        "intent": "ask_studies", "entities": [{"job": "x"}]}


@pytest.mark.parametrize(("correction", "message"), [
    ({"intent": "ask_nothing"}, "Intention inconnue"),
    ({"intent": "ask_studies", "entities": [{"entity": "salaire", "value": "x"}]}, "Entité inconnue"),
    ({"intent": "ask_studies", "entities": [{"entity": "job", "value": ""}]}, "doit avoir une valeur"),
    ({"intent": "ask_studies", "actions": ["action_rm_rf"]}, "Action inconnue"),
    ({"intent": "ask_studies", "actions": ["utter_greet", "utter_greet"]}, "pas ajoutée ni retirée"),
    ({"intent": "ask_studies", "entities": "job"}, "liste d'objets"),
    ("pas un objet", "objet JSON"),
])
def test_bad_corrections_are_refused_in_french(correction, message):
    with pytest.raises(StoryRefused, match=message):
        story_steps([_turn()], [Correction.from_json(correction)], VOCABULARY, with_text=True)


def test_a_text_rasa_would_misread_and_payloads():
    with pytest.raises(StoryRefused, match="Crochets"):
        story_steps([_turn(text="le [truc] ?", entities=())], [_fix(keep_text=True, entities=())], VOCABULARY, True)
    button = _turn(text='/ask_studies{"job": "back-office"}', intent="ask_studies", entities=())
    steps = story_steps([button], [_fix(keep_text=True, entities=())], VOCABULARY, with_text=True)
    assert steps[0] == {"intent": "ask_studies"}  # a button's payload is never written as words


def test_name_yaml_and_identical_stories():
    name = story_name("2026-12-04", datetime(2026, 12, 5, 10, 31), 2)
    assert name == "console, conversation du 2026-12-04, 2 messages, enregistrée le 2026-12-05 à 10:31"
    story = {"story": name, "steps": story_steps([_turn()], [_fix()], VOCABULARY, True)}
    text = to_yaml(story)
    assert text.startswith("- story: console, conversation du 2026-12-04")
    assert "\n  steps:\n  - intent: ask_studies\n" in text
    assert yaml.safe_load(text) == [story]
    same = {"story": "autre nom", "steps": [
        {"intent": "ask_studies", "entities": [{"entity": "job", "value": "back-office"}]},
        {"slot_was_set": [{"job": "back-office"}]}, {"action": "action_answer_topic"}]}
    assert normalized(same["steps"]) == normalized(story["steps"])
    assert identical(story, ['stories:\n' + to_yaml(same)]) == "autre nom"
    assert identical(story, ['stories:\n- story: x\n  steps:\n  - intent: greet\n']) is None
    annotated = [{"user": "le [bo](job) ?", "intent": "ask_studies"}]
    assert normalized(annotated) != normalized([{"intent": "ask_studies", "entities": [{"job": "bo"}]}])


def test_append_keeps_every_other_byte_and_refuses_what_it_cannot_append():
    content = ('version: "3.1"\n# a comment: kept\nstories:\n- story: "first"\n  steps:\n  - intent: greet\n'
               "  - action: utter_greet")
    story = {"story": "new", "steps": [{"intent": "greet"}, {"action": "utter_greet"}]}
    after = appended(content, story)
    assert after.startswith(content + "\n") and after[len(content) + 1:] == to_yaml(story)
    assert appended(None, story).startswith('version: "3.1"\n# Stories saved')
    with pytest.raises(StoryRefused, match="dernière clé"):
        appended("stories:\n- story: a\n  steps: []\nrules:\n- rule: r\n  steps: []\n", story)
    with pytest.raises(StoryRefused, match="YAML"):
        appended("stories: [\n", story)


def test_save_refuse_identical_and_undo(tmp_path):
    test_file = tmp_path / "test_stories.yml"
    original = 'version: "3.1"\nstories:\n- story: "greet"\n  steps:\n  - intent: greet\n  - action: utter_greet\n'
    test_file.write_text(original, encoding="utf-8")
    training = tmp_path / "stories"
    training.mkdir()
    files = StoryFiles(test_file, training, tmp_path / "var" / "last.json")
    story = {"story": "new", "steps": [{"intent": "ask_studies"}, {"action": "action_answer_topic"}]}
    saved = files.save(story, "test")
    assert saved.path == test_file and test_file.read_text(encoding="utf-8") == original + to_yaml(story)
    assert (tmp_path / "var" / "last.json").stat().st_mode & 0o077 == 0
    with pytest.raises(StoryRefused, match="identique existe déjà : « new »"):
        files.save({**story, "story": "other name"}, "test")
    assert files.undo().path == test_file and test_file.read_text(encoding="utf-8") == original
    with pytest.raises(StoryRefused, match="Aucun enregistrement"):
        files.undo()
    # training: a new file with its header; undo deletes it; an edited file is not undone
    saved = files.save(story, "training")
    assert saved.path.name == "from_console.yml" and yaml.safe_load(saved.path.read_text())["stories"] == [story]
    files.undo()
    assert not saved.path.exists()
    files.save(story, "training")
    saved.path.write_text(saved.path.read_text() + "# edited\n")
    with pytest.raises(StoryRefused, match="a changé"):
        files.undo()
    with pytest.raises(StoryRefused, match="Type d'histoire"):
        files.save(story, "rules")


def test_turns_of_the_store_carry_their_actions_and_slot_changes(tmp_path):
    turns = ConversationStore(fill_tracker_store(tmp_path / "c.sqlite3"), retention_days=30).turns("student-today")
    mistake = next(t for t in turns if t.text == MISTAKE)
    # in the fixture's order (slots, then the action); the job, unchanged since the turn before, is not repeated
    assert mistake.steps == [{"slot": "topic", "value": "figures"}, {"action": "action_answer_topic"}]
    first = draft(turns[0])
    assert first["actions"] == ["action_answer_topic"]
    assert first["slots"] == [["job", "back-office"], ["topic", "definition"]]
    assert first["entities"][0]["words"] == "back office" and first["keep_text"] is False


def test_the_domains_lists(tmp_path):
    domain = tmp_path / "domain.yml"
    domain.write_text("intents: [greet]\nentities: [job]\nslots: {job: {type: text}}\nactions: [action_x]\n"
                      "responses: {utter_greet: [{text: Salut}]}\n", encoding="utf-8")
    vocabulary = Vocabulary.from_domain(domain)
    assert vocabulary.intents == ("greet", "nlu_fallback") and vocabulary.slots == ("job",)
    assert {"action_x", "utter_greet", "action_default_fallback"} <= set(vocabulary.actions)
