"""`make review` (ops/conversations.py review) reads the console's marks: a message an operator already reviewed,
ignored or labelled is not listed again; what is left is printed in French."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from common.settings import PROJECT_DIR
from ops.console.marks import Marks, marked_keys
from ops.console.store import ConversationStore
from ops.conversations import ReviewItem, ReviewList, review_list, review_summary
from tests.ops.conversations import fill_tracker_store

MISSED = {"blabla truc", "je veux devenir pompier", "salaire au middle office"}


@pytest.fixture(scope="module")
def tracker_url(tmp_path_factory) -> str:
    return fill_tracker_store(tmp_path_factory.mktemp("review") / "conversations.sqlite3")


def _mark(tmp_path, tracker_url, marks: dict[str, str]):
    """Mark messages the way the console does (its own reading of the store gives the keys)."""
    path = tmp_path / "console.sqlite3"
    store = Marks(f"sqlite:///{path}")
    for turn in ConversationStore(tracker_url, retention_days=30).turns():
        if turn.text in marks:
            store.set(turn.sender_id, turn.timestamp, marks[turn.text], "Anne",
                      intent="ask_salary" if marks[turn.text] == "labelled" else None)
    return path


def test_without_marks_every_miss_is_listed(tracker_url):
    found = review_list(tracker_url, 0.6)
    assert {item.text for item in found.items} == MISSED and found.done == 0
    assert {item.text: item.reason for item in found.items}["salaire au middle office"] == "low_confidence"


def test_marked_messages_are_left_out(tmp_path, tracker_url):
    path = _mark(tmp_path, tracker_url, {"blabla truc": "ignored", "salaire au middle office": "labelled"})
    found = review_list(tracker_url, 0.6, marked_keys(path))
    assert [item.text for item in found.items] == ["je veux devenir pompier"] and found.done == 2


def test_make_review_prints_in_french(tmp_path, tracker_url):
    path = _mark(tmp_path, tracker_url, {"blabla truc": "ignored"})
    out = tmp_path / "review"
    command = [sys.executable, "-m", "ops.conversations", "review", "--out", str(out), "--marks", str(path)]
    result = subprocess.run(command,
                            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, TRACKER_DB_URL=tracker_url, PYTHONPATH=str(PROJECT_DIR)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 messages distincts à revoir (2 en tout) -> ")
    assert "1 message déjà traité dans la console (revu, ignoré ou étiqueté) : laissé de côté." in result.stdout
    listed = yaml.safe_load((out / "messages.yml").read_text(encoding="utf-8"))["messages"]
    assert "blabla truc" not in {m["text"] for m in listed}
    assert (out / "nlu_draft.yml").read_text(encoding="utf-8").startswith("# BROUILLON à étiqueter")
    missing = subprocess.run([sys.executable, "-m", "ops.conversations", "review", "--out", str(out)],
                             cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, TRACKER_DB_URL=f"sqlite:///{tmp_path / 'vide.sqlite3'}",
                                      PYTHONPATH=str(PROJECT_DIR)))
    assert missing.returncode == 1 and "Aucune conversation enregistrée" in missing.stderr


def test_the_summary(tmp_path):
    one = ReviewItem("zblorf", 2, "nlu_fallback", 0.3, "fallback")
    assert review_summary(ReviewList([one], 0), tmp_path / "m.yml", tmp_path / "d.yml") == (
        f"1 message distinct à revoir (2 en tout) -> {tmp_path / 'm.yml'}, {tmp_path / 'd.yml'}")
    assert review_summary(ReviewList([], 4), tmp_path / "m.yml", tmp_path / "d.yml").splitlines()[1] == (
        "4 messages déjà traités dans la console (revu, ignoré ou étiqueté) : laissés de côté.")
    nothing = review_summary(ReviewList([], 0), tmp_path / "m.yml", tmp_path / "d.yml")
    assert nothing.startswith("Aucun message à revoir")
