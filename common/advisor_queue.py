"""The advisors' queue: a student's question the bot could not answer, sent to a person, and that person's answer.

One table (`advisor_questions`) in the conversations' database, beside Rasa's `events`: the action server adds a
question (actions/advisor.py), an advisor answers it in the operators' console (ops/console), the Rasa process
delivers the answer to the student (pushed through Rasa's `trigger_intent` when the page is open, replayed on the
socket.io channel when the student comes back: bot/channels.py). `make forget` and the retention purge delete a
student's questions with the conversation. Only SQLAlchemy: the operators' commands import it without Rasa.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from common.side_tables import SideTable

TABLE = "advisor_questions"
MAX_QUESTION_CHARS = 1500  # a student's message is never longer (bot/limits.py)
MAX_ANSWER_CHARS = 2000


def questions_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        TABLE, metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("asked_at", sa.Float, nullable=False),
        sa.Column("answer", sa.Text),
        sa.Column("answered_at", sa.Float),
        sa.Column("answered_by", sa.String(255)),
    )


@dataclass(frozen=True)
class AdvisorQuestion:
    id: int
    sender_id: str
    question: str
    asked_at: float
    answer: str | None = None
    answered_at: float | None = None
    answered_by: str | None = None

    @property
    def pending(self) -> bool:
        return self.answer is None


class AnswerRefused(ValueError):
    """An answer the queue does not take (empty, too long, unknown or already answered question): the message says
    why, in French, for the advisor."""


class AdvisorQueue(SideTable):
    """The questions waiting for an advisor and their answers, in one SQL database (SQLite or PostgreSQL)."""

    def __init__(self, url: str, engine: Engine | None = None):
        super().__init__(url, questions_table(sa.MetaData()), "asked_at", engine)

    def _rows(self, query) -> list[AdvisorQuestion]:
        with self.engine.connect() as connection:
            return [AdvisorQuestion(**row._mapping) for row in connection.execute(query)]

    def ask(self, sender_id: str, question: str, now: float | None = None) -> AdvisorQuestion:
        """Queue a question (the same one still waiting for this student is not queued twice)."""
        text = " ".join(question.split())[:MAX_QUESTION_CHARS]
        waiting = self._rows(sa.select(self.table).where(self.table.c.sender_id == sender_id,
                                                         self.table.c.question == text,
                                                         self.table.c.answer.is_(None)))
        if waiting:
            return waiting[0]
        asked_at = time.time() if now is None else now
        with self.engine.begin() as connection:
            new_id = connection.execute(sa.insert(self.table).values(sender_id=sender_id, question=text,
                                                                     asked_at=asked_at)).inserted_primary_key[0]
        return AdvisorQuestion(int(new_id), sender_id, text, asked_at)

    def get(self, question_id: int) -> AdvisorQuestion | None:
        rows = self._rows(sa.select(self.table).where(self.table.c.id == question_id))
        return rows[0] if rows else None

    def pending(self) -> list[AdvisorQuestion]:
        """Questions waiting for an answer, oldest first."""
        return self._rows(sa.select(self.table).where(self.table.c.answer.is_(None)).order_by(self.table.c.asked_at))

    def answered(self, limit: int = 50) -> list[AdvisorQuestion]:
        """The latest answered questions, newest first."""
        return self._rows(sa.select(self.table).where(self.table.c.answer.is_not(None))
                          .order_by(self.table.c.answered_at.desc()).limit(limit))

    def answer(self, question_id: int, text: str, who: str, now: float | None = None) -> AdvisorQuestion:
        """Record an advisor's answer; refused (AnswerRefused) when empty, too long, unknown or already answered."""
        answer = text.strip()
        if not answer:
            raise AnswerRefused("La réponse est vide.")
        if len(answer) > MAX_ANSWER_CHARS:
            raise AnswerRefused(f"La réponse dépasse {MAX_ANSWER_CHARS} caractères.")
        answered_at = time.time() if now is None else now
        with self.engine.begin() as connection:
            done = connection.execute(sa.update(self.table).where(self.table.c.id == question_id,
                                                                  self.table.c.answer.is_(None))
                                      .values(answer=answer, answered_at=answered_at, answered_by=who)).rowcount
        question = self.get(question_id)
        if question is None:
            raise AnswerRefused("Cette question n'existe plus (conversation effacée ?).")
        if not done:
            raise AnswerRefused("Cette question a déjà une réponse.")
        return question

    def replies(self, sender_id: str) -> list[AdvisorQuestion]:
        """A student's answered questions, oldest answer first."""
        return self._rows(sa.select(self.table).where(self.table.c.sender_id == sender_id,
                                                      self.table.c.answer.is_not(None))
                          .order_by(self.table.c.answered_at))

    def asked_between(self, start: float | None = None, end: float | None = None) -> list[AdvisorQuestion]:
        """The questions asked from `start` (included) to `end` (excluded), answered or not, oldest first."""
        query = sa.select(self.table).order_by(self.table.c.asked_at)
        if start is not None:
            query = query.where(self.table.c.asked_at >= start)
        if end is not None:
            query = query.where(self.table.c.asked_at < end)
        return self._rows(query)

    def stats(self, now: float | None = None) -> dict[str, float | int | None]:
        """Pending and answered counts, the median and longest answer delays and the oldest pending question's wait
        (seconds), over the pending questions and the latest 1,000 answered."""
        return queue_figures(self.pending() + self.answered(limit=1000), time.time() if now is None else now)


def queue_figures(questions: list[AdvisorQuestion], now: float) -> dict[str, float | int | None]:
    """What the console shows of the queue: how many wait and were answered, the answer delays (median, longest) and
    how long the oldest waiting question has waited, in seconds (None when there is nothing to measure)."""
    pending = [q.asked_at for q in questions if q.pending]
    delays = [q.answered_at - q.asked_at for q in questions if not q.pending and q.answered_at is not None]
    return {"pending": len(pending), "answered": len(delays),
            "median_delay_s": round(statistics.median(delays), 1) if delays else None,
            "max_delay_s": round(max(delays), 1) if delays else None,
            "oldest_wait_s": round(now - min(pending), 1) if pending else None}
