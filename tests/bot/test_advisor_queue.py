"""The advisors' queue (common/advisor_queue.py) on a real SQLite database file."""
from __future__ import annotations

import pytest

from common.advisor_queue import AdvisorQueue, AnswerRefused


@pytest.fixture()
def queue(tmp_path) -> AdvisorQueue:
    return AdvisorQueue(f"sqlite:///{tmp_path / 'conversations.sqlite3'}")


def test_a_question_waits_until_an_advisor_answers_it(queue):
    asked = queue.ask("student-1", "  ça paye combien   le back office ?", now=100.0)
    assert asked.question == "ça paye combien le back office ?" and asked.pending
    assert [q.id for q in queue.pending()] == [asked.id] and queue.replies("student-1") == []
    answered = queue.answer(asked.id, "Les fiches ne le disent pas ; en moyenne…", "conseil-1", now=160.0)
    assert answered.answer.startswith("Les fiches") and answered.answered_by == "conseil-1"
    assert queue.pending() == [] and [q.id for q in queue.replies("student-1")] == [asked.id]
    assert queue.replies("student-2") == []  # never another student's answer
    assert queue.stats(now=200.0) == {"pending": 0, "answered": 1, "median_delay_s": 60.0, "max_delay_s": 60.0,
                                      "oldest_wait_s": None}


def test_the_same_waiting_question_is_queued_once(queue):
    first = queue.ask("s", "quel salaire ?")
    assert queue.ask("s", "quel salaire ?").id == first.id
    assert queue.ask("other", "quel salaire ?").id != first.id


@pytest.mark.parametrize("text,why", [("   ", "vide"), ("x" * 2001, "dépasse")])
def test_an_empty_or_too_long_answer_is_refused(queue, text, why):
    asked = queue.ask("s", "q ?")
    with pytest.raises(AnswerRefused, match=why):
        queue.answer(asked.id, text, "a")
    assert queue.get(asked.id).pending


def test_an_answered_or_unknown_question_is_refused(queue):
    asked = queue.ask("s", "q ?")
    queue.answer(asked.id, "réponse", "a")
    with pytest.raises(AnswerRefused, match="déjà"):
        queue.answer(asked.id, "autre réponse", "b")
    assert queue.get(asked.id).answer == "réponse"
    with pytest.raises(AnswerRefused, match="n'existe plus"):
        queue.answer(999, "réponse", "a")


def test_forget_and_retention_delete_the_questions(queue):
    old, kept = queue.ask("s", "ancienne ?", now=10.0), queue.ask("s", "récente ?", now=1000.0)
    other = queue.ask("t", "autre ?", now=1000.0)
    assert queue.purge(before=500.0) == 1 and queue.get(old.id) is None
    assert queue.forget("s") == 1 and queue.get(kept.id) is None and queue.get(other.id) is not None


def test_queue_figures_over_a_period(queue):
    from common.advisor_queue import queue_figures

    first, second, third = (queue.ask(f"s{n}", f"question {n}", now=100.0 * n) for n in (1, 2, 3))
    queue.answer(first.id, "réponse", "conseil-1", now=160.0)     # 60 s
    queue.answer(second.id, "réponse", "conseil-1", now=500.0)    # 300 s
    assert [q.id for q in queue.asked_between(150.0, 300.0)] == [second.id]
    assert [q.id for q in queue.asked_between(None, None)] == [first.id, second.id, third.id]
    assert queue_figures(queue.asked_between(), now=400.0) == {
        "pending": 1, "answered": 2, "median_delay_s": 180.0, "max_delay_s": 300.0, "oldest_wait_s": 100.0}
    assert queue_figures([], now=1.0) == {"pending": 0, "answered": 0, "median_delay_s": None, "max_delay_s": None,
                                          "oldest_wait_s": None}
