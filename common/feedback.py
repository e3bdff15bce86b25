"""Students' ratings of the bot's answers (👍 / 👎 with an optional reason), stored beside the conversations.

One table (`answer_feedback`) in the conversations' database: the chat channels add a rating (socket.io event
`feedback`, REST `POST /webhooks/rest/feedback`, bot/channels.py); the console shows each rating on the answer it
rates and filters and charts the 👎 (ops/console/store.py). The rated answer is the bot's own text, so that the
console finds the turn; the student's words are never copied here. `make forget` and the retention purge delete a
student's ratings with the conversation. Only SQLAlchemy.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from common.side_tables import SideTable

TABLE = "answer_feedback"
RATINGS = ("up", "down")
REASONS = ("off_topic", "incomplete", "wrong")  # "pas la réponse à ma question", "incomplet", "faux"
MAX_ANSWER_CHARS = 4000


def feedback_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        TABLE, metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("rated_at", sa.Float, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(32)),
        sa.Column("answer", sa.Text, nullable=False),
    )


@dataclass(frozen=True)
class Rating:
    sender_id: str
    rated_at: float
    rating: str
    reason: str | None
    answer: str


class FeedbackRefused(ValueError):
    """A rating that is not one (unknown value or reason, no answer): the message says why, for the client."""


def checked(rating: object, reason: object, answer: object) -> tuple[str, str | None, str]:
    """The rating, reason and answer of a payload, or FeedbackRefused."""
    if rating not in RATINGS:
        raise FeedbackRefused("« rating » doit valoir \"up\" ou \"down\"")
    if reason not in (None, "", *REASONS):
        raise FeedbackRefused(f"« reason » doit être l'une de ces valeurs : {', '.join(REASONS)} (ou absente)")
    if not isinstance(answer, str) or not answer.strip():
        raise FeedbackRefused("« answer » doit être le texte de la réponse du bot notée")
    if len(answer) > MAX_ANSWER_CHARS:
        raise FeedbackRefused(f"« answer » dépasse {MAX_ANSWER_CHARS} caractères")
    return str(rating), (str(reason) if reason and rating == "down" else None), answer.strip()


class FeedbackStore(SideTable):
    """The students' ratings, in the conversations' database."""

    def __init__(self, url: str, engine: Engine | None = None):
        super().__init__(url, feedback_table(sa.MetaData()), "rated_at", engine)

    def add(self, sender_id: str, rating: object, reason: object, answer: object, now: float | None = None) -> Rating:
        """Store one rating (FeedbackRefused when malformed); a new rating of the same answer replaces the old."""
        value, why, text = checked(rating, reason, answer)
        saved = Rating(sender_id, time.time() if now is None else now, value, why, text)
        with self.engine.begin() as connection:
            connection.execute(sa.delete(self.table).where(self.table.c.sender_id == sender_id,
                                                           self.table.c.answer == text))
            connection.execute(sa.insert(self.table).values(sender_id=sender_id, rated_at=saved.rated_at,
                                                            rating=value, reason=why, answer=text))
        return saved

    def ratings(self, sender_id: str | None = None, since: float = 0.0) -> list[Rating]:
        """Ratings (of one student, or all) given since `since`, oldest first."""
        query = sa.select(self.table.c.sender_id, self.table.c.rated_at, self.table.c.rating, self.table.c.reason,
                          self.table.c.answer).where(self.table.c.rated_at >= since).order_by(self.table.c.rated_at)
        if sender_id is not None:
            query = query.where(self.table.c.sender_id == sender_id)
        with self.engine.connect() as connection:
            return [Rating(**row._mapping) for row in connection.execute(query)]
