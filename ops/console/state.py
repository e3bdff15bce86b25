"""What the console's routes share: the stores, the token, the sessions and the throttle of wrong tokens.

Sessions are random ids kept in memory (a restart logs everyone out), 8 hours each. The login compares the token
first, in constant time, and a right token always opens a session; only wrong ones are counted (throttle.py).
Nothing here knows HTTP: the routes (ops/console/routes/) call it, the tests too.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common.advisor_queue import AdvisorQuestion, AdvisorQueue
from common.settings import PROJECT_DIR
from ops.console.advisors import RasaPush
from ops.console.evaluations import RESULTS_DIR
from ops.console.filters import TurnFilter
from ops.console.labels import TrainingData
from ops.console.marks import AccessLog, Mark, Marks
from ops.console.store import ConversationStore, Turn
from ops.console.stories import StoryFiles, Vocabulary
from ops.console.throttle import Throttle
from ops.conversations import retention_cutoff

SESSION_SECONDS = 8 * 3600


class TooManyTries(Exception):
    """A wrong token sent while its address or its name is in back-off."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:.0f} s")
        self.seconds = seconds


@dataclass
class Console:
    """Everything the routes share."""

    store: ConversationStore
    marks: Marks
    training: TrainingData
    access: AccessLog
    token: str
    retention_days: int
    results_dir: Path = RESULTS_DIR
    advisors: AdvisorQueue | None = None
    stories: StoryFiles | None = None  # where "Enregistrer comme histoire" writes
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary.from_domain(PROJECT_DIR / "domain.yml"))
    push: Callable[[AdvisorQuestion], bool] = lambda question: False  # the answer into the student's chat
    sessions: dict[str, tuple[str, float]] = field(default_factory=dict)
    throttle: Throttle = field(default_factory=Throttle)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def login(self, name: str, token: str, client: str = "-") -> str | None:
        """A new session for the right token, whatever failures came before and from wherever; None for a wrong one.

        Raises:
            TooManyTries: the token is wrong and `client` or `name` is in back-off (the failure is counted too).
        """
        if hmac.compare_digest(token.encode("utf-8"), self.token.encode("utf-8")):
            session = secrets.token_urlsafe(32)
            with self.lock:
                self.sessions[session] = (name, time.time() + SESSION_SECONDS)
            return session
        waiting = self.throttle.failed(name, client)
        if waiting:
            raise TooManyTries(waiting)
        return None

    def operator(self, session: str | None) -> str | None:
        with self.lock:
            name, expires = self.sessions.get(session or "", ("", 0.0))
            if expires < time.time():
                self.sessions.pop(session or "", None)
                return None
            return name

    def logout(self, session: str | None) -> None:
        with self.lock:
            self.sessions.pop(session or "", None)

    def turns(self, sender_id: str | None = None) -> tuple[list[Turn], dict[tuple[str, float], Mark]]:
        """Turns within retention and the marks, with who made them (marks of purged messages are deleted first)."""
        self.marks.purge_before(retention_cutoff(self.retention_days))
        return self.store.turns(sender_id), self.marks.details(sender_id)

    def selected(self, selection: TurnFilter) -> list[tuple[Turn, Mark | None]]:
        """The turns the filter keeps, newest first, each with its mark."""
        turns, marks = self.turns()
        kept = [(t, marks.get(turn_key(t))) for t in turns]
        kept = [(t, mark) for t, mark in kept if selection.keep(t, mark.status if mark else "")]
        return sorted(kept, key=lambda pair: pair[0].timestamp, reverse=True)

    def questions(self, selection: TurnFilter) -> list[AdvisorQuestion]:
        """The advisors' questions asked within the filter's dates and the retention (the queue knows no channel nor
        job)."""
        if self.advisors is None or not self.store.has_database():
            return []
        start, end = selection.period()
        cutoff = retention_cutoff(self.retention_days)
        return self.advisors.asked_between(max(start or cutoff, cutoff), end)

    def find(self, sender: str, timestamp: object) -> Turn | None:
        """The turn of `sender` at `timestamp` (as the page sends it), if still stored."""
        try:
            stamp = float(timestamp)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        turns, _ = self.turns(sender)
        return next((t for t in turns if abs(t.timestamp - stamp) < 1e-6), None)


def turn_key(turn: Turn) -> tuple[str, float]:
    return turn.sender_id, round(turn.timestamp, 6)


def default_console(settings, token: str, state_dir: Path | None = None, nlu_dir: Path | None = None,
                    results_dir: Path = RESULTS_DIR, stories: StoryFiles | None = None) -> Console:
    """The console on the settings' stores; tests hand in copies of the training and story files."""
    state = state_dir or PROJECT_DIR / "var"
    return Console(store=ConversationStore(settings.tracker_db_url, settings.retention_days),
                   marks=Marks(f"sqlite:///{state / 'console.sqlite3'}"),
                   training=TrainingData(nlu_dir or settings.console_nlu_dir),
                   access=AccessLog(state / "logs" / "console-access.log"), token=token,
                   retention_days=settings.retention_days, results_dir=results_dir,
                   advisors=AdvisorQueue(settings.tracker_db_url),
                   push=RasaPush(settings.rasa_url, settings.rasa_api_token),
                   stories=stories or StoryFiles(backup=state / "console-last-story.json"))
