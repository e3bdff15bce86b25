"""Students' ratings of answers (common/feedback.py) on a real SQLite file, and their place in the console's turns."""
from __future__ import annotations

import pytest

from common.feedback import FeedbackRefused, FeedbackStore
from ops.console.filters import TurnFilter
from ops.console.store import ConversationStore, statistics
from tests.ops.conversations import fill_tracker_store


@pytest.fixture()
def store(tmp_path) -> FeedbackStore:
    return FeedbackStore(f"sqlite:///{tmp_path / 'conversations.sqlite3'}")


def test_a_rating_is_kept_and_a_new_one_replaces_it(store):
    store.add("s", "down", "wrong", "  Études : un bac+2 à bac+5. ", now=10.0)
    store.add("s", "up", "wrong", "Études : un bac+2 à bac+5.", now=20.0)  # changed their mind; a 👍 has no reason
    [rating] = store.ratings("s")
    assert (rating.rating, rating.reason, rating.answer) == ("up", None, "Études : un bac+2 à bac+5.")


@pytest.mark.parametrize("rating,reason,answer,why", [
    ("bof", None, "x", "rating"), ("down", "nul", "x", "reason"), ("down", None, "  ", "answer"),
    ("up", None, 42, "answer"), ("down", "wrong", "x" * 4001, "dépasse"),
])
def test_malformed_ratings_are_refused(store, rating, reason, answer, why):
    with pytest.raises(FeedbackRefused, match=why):
        store.add("s", rating, reason, answer)
    assert store.ratings() == []


def test_forget_and_retention(store):
    store.add("s", "down", None, "a", now=10.0)
    store.add("s", "up", None, "b", now=1000.0)
    store.add("t", "up", None, "c", now=1000.0)
    assert store.purge(before=500.0) == 1 and store.forget("s") == 1
    assert [r.sender_id for r in store.ratings()] == ["t"]


def test_the_console_shows_each_rating_on_its_turn_and_filters_the_disliked(tmp_path):
    url = fill_tracker_store(tmp_path / "conversations.sqlite3")
    FeedbackStore(url).add("student-today", "down", "incomplete", "Études : un bac+2 à bac+5.")
    FeedbackStore(url).add("student-today", "up", None, "Le gestionnaire de back-office traite les opérations.")
    FeedbackStore(url).add("student-yesterday", "down", None, "an answer this conversation never got")
    turns = ConversationStore(url, 30).turns()
    rated = {t.text: t.ratings for t in turns if t.ratings}
    assert rated == {"quelles etudes pour le bo": [{"rating": "down", "reason": "incomplete"}],
                     "c'est quoi le back office": [{"rating": "up", "reason": None}]}
    disliked = [t.text for t in turns if TurnFilter(flag="disliked").keep(t, "")]
    assert disliked == ["quelles etudes pour le bo"]
    stats = statistics(turns)
    assert stats["disliked_intents"] == [("ask_studies", 1)] and stats["disliked_topics"] == [("studies", 1)]


def test_no_rating_table_is_not_created_by_the_console(tmp_path):
    import sqlalchemy as sa

    url = fill_tracker_store(tmp_path / "conversations.sqlite3")
    assert all(not t.ratings for t in ConversationStore(url, 30).turns())
    assert not sa.inspect(sa.create_engine(url)).has_table("answer_feedback")
