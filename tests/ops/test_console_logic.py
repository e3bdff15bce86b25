"""The console's logic against a real `events` table written by Rasa's SQLTrackerStore: turns, signals, filters,
marks, statistics, labelling into a copy of data/nlu/ (read back with Rasa's own YAML reader)."""
from __future__ import annotations

import json
import shutil

import pytest

from common.settings import PROJECT_DIR
from ops.console.filters import TurnFilter
from ops.console.labels import LabelRefused, TrainingData, annotate, insert_example
from ops.console.marks import AccessLog, Marks
from ops.console.store import ConversationStore, statistics
from tests.ops.conversations import HOLDOUT_MESSAGE, MISTAKE, REPHRASED, TRAINED_MESSAGE, fill_tracker_store


@pytest.fixture(scope="module")
def tracker_url(tmp_path_factory) -> str:
    return fill_tracker_store(tmp_path_factory.mktemp("tracker") / "conversations.sqlite3")


@pytest.fixture(scope="module")
def turns(tracker_url):
    return ConversationStore(tracker_url, retention_days=30).turns()


@pytest.fixture()
def training(tmp_path) -> TrainingData:
    copy = tmp_path / "nlu"
    shutil.copytree(PROJECT_DIR / "data" / "nlu", copy)
    return TrainingData(copy)


def _by_text(turns, text):
    return next(t for t in turns if t.text == text)


def test_turns_carry_text_intent_entities_reply_channel_and_job(turns):
    turn = _by_text(turns, "quelles etudes pour le bo")
    assert (turn.intent, turn.confidence, turn.channel, turn.job, turn.topic) == (
        "ask_studies", 0.93, "socketio", "back-office", "studies")
    assert turn.entities[0]["entity"] == "job" and turn.entities[0]["value"] == "back-office"
    assert turn.replies == [{"text": "Études : un bac+2 à bac+5.", "buttons": ["Les études"]}]
    assert turn.to_json()["day"] == turn.day and len(turn.day) == 10


def test_retention_hides_old_conversations_and_advisors_are_recognised(turns):
    assert "vieux message" not in {t.text for t in turns}
    assert _by_text(turns, "test du conseiller").advisor
    assert not _by_text(turns, "salaire au middle office").advisor
    from ops.console.store import is_advisor
    assert is_advisor("abc", "cmdline") and is_advisor("abc", "rest", {"client": "advisors-shell"})
    assert not is_advisor("abc", "rest", {"client": "other"}) and not is_advisor("abc", "socketio", None)
    assert len(turns) == 12


def test_signals_of_misses_and_of_confident_mistakes(turns):
    assert _by_text(turns, "blabla truc").flags == ["fallback", "low_confidence"]  # 0.2: also under the bar
    assert _by_text(turns, "je veux devenir pompier").flags == ["out_of_scope"]
    assert _by_text(turns, "salaire au middle office").flags == ["low_confidence"]
    mistake = _by_text(turns, MISTAKE)
    assert mistake.confidence > 0.9 and {"rephrased", "asked_again"} <= set(mistake.flags)
    assert "rephrased" not in _by_text(turns, REPHRASED).flags  # the next message is about something else
    assert "asked_again" in _by_text(turns, "c'est quoi le back office").flags  # the same question later
    assert _by_text(turns, "quelles etudes pour le bo").flags == []  # studies of BO, then of MO: not a repeat
    assert _by_text(turns, '/ask_missions{"job": "back-office"}').flags == []  # a button is not a rephrasing


def test_filters(turns):
    def texts(**query):
        selection = TurnFilter.from_query(query)
        return {t.text for t in turns if selection.keep(t, "")}

    assert "test du conseiller" not in texts() and "test du conseiller" in texts(advisors="1")
    assert texts(channel="rest") == {"salaire au middle office"}
    assert texts(flag="fallback") == {"blabla truc"}
    assert texts(flag="rephrased") == {MISTAKE}
    assert texts(intent="ask_salary", job="middle-office") == {"salaire au middle office"}
    today = _by_text(turns, "blabla truc").day
    yesterday = _by_text(turns, "salaire au middle office").day
    assert texts(to=yesterday) == {"salaire au middle office"}
    assert "salaire au middle office" not in texts(**{"from": today})
    assert TurnFilter.from_query({"from": "pas une date", "flag": "drop table"}).describe() == {}
    assert not TurnFilter.from_query({"status": "todo"}).keep(_by_text(turns, "blabla truc"), "reviewed")


def test_marks_live_in_their_own_table_and_follow_retention(tmp_path, turns):
    marks = Marks(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    turn = _by_text(turns, "blabla truc")
    marks.set(turn.sender_id, turn.timestamp, "ignored", "Anne")
    assert marks.all() == {(turn.sender_id, round(turn.timestamp, 6)): "ignored"}
    marks.set(turn.sender_id, turn.timestamp, "reviewed", "Anne")
    assert list(marks.all().values()) == ["reviewed"]
    with pytest.raises(ValueError):
        marks.set(turn.sender_id, turn.timestamp, "deleted", "Anne")
    assert marks.purge_before(turn.timestamp + 1) == 1 and marks.all() == {}


def test_access_log_never_holds_message_text(tmp_path):
    log = AccessLog(tmp_path / "access.log")
    log.write("Anne", "127.0.0.1", "view_conversation", sender="student-today", count=12)
    entry = json.loads(log.path.read_text(encoding="utf-8"))
    assert entry["who"] == "Anne" and entry["action"] == "view_conversation" and "text" not in entry


def test_statistics(turns):
    stats = statistics([t for t in turns if not t.advisor])
    assert stats["total"] == 11
    assert sum(day["messages"] for day in stats["days"]) == 11 and len(stats["days"]) == 2
    today = stats["days"][-1]
    assert today["messages"] == 10 and today["fallback_rate"] == 0.1 and today["out_of_scope_rate"] == 0.1
    assert dict(stats["intents"])["ask_figures"] == 3
    assert dict(stats["topics"])["figures"] == 3
    jobs = {row["job"]: row for row in stats["jobs"]}
    assert jobs["back-office"]["messages"] == 9 and jobs["middle-office"]["messages"] == 2


def test_annotation_from_the_stored_parse(turns, training):
    turn = _by_text(turns, REPHRASED)
    assert annotate(turn.text, turn.entities) == "alternance a lyon pour le [bo](job) c possible ?"
    overlapping = [{"entity": "job", "start": 0, "end": 5}, {"entity": "other_job", "start": 2, "end": 8},
                   {"entity": "not_declared", "start": 9, "end": 11}]
    assert annotate("salut les amis", overlapping, training.entities) == "[salut] les amis".replace("]", "](job)")
    draft = training.draft(turn.text, turn.intent, turn.entities)
    assert draft == {"text": "alternance a lyon pour le [bo](job) c possible ?", "intent": "ask_figures",
                     "file": "topics.yml"}
    assert training.draft("x", "nlu_fallback", [])["intent"] == ""


def test_label_appends_to_the_intent_file_and_rasa_reads_it(turns, training):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    topics = training.nlu_dir / "topics.yml"
    before = topics.read_text(encoding="utf-8")
    added = training.add("alternance a lyon pour le [bo](job) c possible ?", "ask_studies", REPHRASED)
    assert added.path == topics
    after = topics.read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert "    - alternance a lyon pour le [bo](job) c possible ?\n" in after
    data = RasaYAMLReader().read(topics)
    example = next(m for m in data.training_examples if m.get("text") == REPHRASED)
    assert example.get("intent") == "ask_studies"
    assert [(e["entity"], e["value"]) for e in example.get("entities")] == [("job", "bo")]
    assert len(data.training_examples) == len(RasaYAMLReader().reads(before).training_examples) + 1
    with pytest.raises(LabelRefused, match="déjà dans l'entraînement"):
        training.add(REPHRASED, "ask_figures", REPHRASED)  # folded: the same example, whatever the annotation
    # after a reload the page no longer holds the example: found again from the message's own text
    assert training.example_of("ask_studies", REPHRASED) == added.example
    assert training.example_of("ask_figures", REPHRASED) is None
    # undo: the line leaves the file, which is as before; a second undo has nothing to remove
    assert training.remove(added.intent, added.example) == topics
    assert topics.read_text(encoding="utf-8") == before
    with pytest.raises(LabelRefused, match="rien à annuler"):
        training.remove(added.intent, added.example)


def test_an_advisors_answer_is_no_intent_to_label(training):
    assert "ask_advisor" in training.intents and not any(i.startswith("EXTERNAL_") for i in training.intents)


@pytest.mark.parametrize("text, intent, stored, reason", [
    (HOLDOUT_MESSAGE.replace("MO", "[MO](job)"), "ask_studies", HOLDOUT_MESSAGE, "holdout.yml"),
    ("QUEL BAC+ pour le mo ?", "ask_studies", "QUEL BAC+ pour le mo ?", "holdout.yml"),
    (TRAINED_MESSAGE, "ask_definition", TRAINED_MESSAGE, "déjà dans l'entraînement"),
    ("blabla truc", "nlu_fallback", "blabla truc", "Intention inconnue"),
    ("blabla [truc](metier)", "ask_missions", "blabla truc", "Entité inconnue"),
    ("blabla machin", "ask_missions", "blabla truc", "message de l'élève"),
    ("blabla [truc", "ask_missions", "blabla [truc", "Crochets"),
])
def test_label_refusals_change_nothing(training, text, intent, stored, reason):
    contents = {p: p.read_text(encoding="utf-8") for p in training.nlu_dir.glob("*.yml")}
    with pytest.raises(LabelRefused, match=reason):
        training.add(text, intent, stored)
    assert contents == {p: p.read_text(encoding="utf-8") for p in training.nlu_dir.glob("*.yml")}


def test_insert_keeps_the_block_layout():
    content = ('version: "3.1"\nnlu:\n'
               '- intent: a\n  examples: |\n    - un\n    - deux\n\n'
               '- intent: b\n  examples: |\n    - trois\n')
    assert insert_example(content, "a", "quatre") == content.replace("- deux\n", "- deux\n    - quatre\n")
    assert insert_example(content, "b", "cinq").endswith("    - trois\n    - cinq\n")
    with pytest.raises(LabelRefused):
        insert_example(content, "c", "six")


def test_no_store_yet_is_no_turn_and_no_file(tmp_path):
    missing = tmp_path / "conversations.sqlite3"
    assert ConversationStore(f"sqlite:///{missing}", retention_days=30).turns() == []
    assert not missing.exists()
