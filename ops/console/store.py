"""Read-only view of the stored conversations (Rasa's SQL tracker store, table `events`) as turns.

A turn is one user message with what the bot understood (intent, confidence, entities), what it replied,
the job and topic slots after it, its channel and date, and the signals an operator filters on. Only events
newer than the retention cutoff are read: the console never shows what `make purge` would delete.
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoSuchTableError

from common.advisor_queue import AdvisorQuestion, queue_figures
from common.feedback import TABLE as FEEDBACK_TABLE
from common.feedback import FeedbackStore, Rating
from ops.console.rephrase import MISS_ACTIONS, Said, rephrases
from ops.console.text import fold
from ops.conversations import FALLBACK_INTENTS, OUT_OF_SCOPE_INTENTS, retention_cutoff

NOT_STEPS = {"action_listen", "action_session_start", "action_extract_slots"}  # Rasa's own, never in a story
LOW_CONFIDENCE = 0.6          # below this, a message is listed as low confidence (like `make review`)
REPHRASE_SECONDS = 120        # "rephrased right after": the next message within this delay
ADVISOR_SENDER_PREFIX = "shell-"
ADVISOR_CHANNELS = {"cmdline"}
ADVISOR_CLIENT = "advisors-shell"  # the metadata launch/shell.py sends with every message
FLAGS = ("fallback", "out_of_scope", "low_confidence", "rephrased", "asked_again", "disliked")


@dataclass
class Turn:
    id: int                     # the user event's row id in `events`
    sender_id: str
    timestamp: float
    text: str
    channel: str
    intent: str
    confidence: float
    entities: list[dict]
    replies: list[dict] = field(default_factory=list)
    job: str = ""
    topic: str = ""
    advisor: bool = False
    flags: list[str] = field(default_factory=list)
    ratings: list[dict] = field(default_factory=list)  # the student's 👍 / 👎 on this turn's replies
    # what followed the message, in order: {"action": name} (the bot's actions) and {"slot": name, "value": v}
    # (a slot whose value changed): what a story of this conversation writes after the message
    steps: list[dict] = field(default_factory=list)

    @property
    def day(self) -> str:
        return datetime.fromtimestamp(self.timestamp).date().isoformat()

    @property
    def payload(self) -> bool:
        """A button click ("/ask_missions{...}"), not the student's own words."""
        return self.text.startswith("/")

    def to_json(self) -> dict:
        return {**asdict(self), "day": self.day,
                "time": datetime.fromtimestamp(self.timestamp).strftime("%Y-%m-%d %H:%M"),
                "payload": self.payload}


def is_advisor(sender_id: str, channel: str, metadata: dict | None = None) -> bool:
    """Advisors' test messages: the shell's senders (`shell-…`) and metadata, and Rasa's command-line channel."""
    return (sender_id.startswith(ADVISOR_SENDER_PREFIX) or channel in ADVISOR_CHANNELS
            or isinstance(metadata, dict) and metadata.get("client") == ADVISOR_CLIENT)


class ConversationStore:
    """Turns of the tracker store at `url`, read with SELECTs only."""

    def __init__(self, url: str, retention_days: int) -> None:
        self.url, self.retention_days = url, retention_days
        self._engine: Engine = create_engine(url, future=True)

    def has_database(self) -> bool:
        """False for a SQLite file not created yet (no conversation yet; connecting would create an empty file)."""
        database = self._engine.url.database
        return not (self._engine.url.drivername.startswith("sqlite") and database and not Path(database).is_file())

    def _rows(self, sender_id: str | None = None) -> list:
        if not self.has_database():
            return []
        try:
            events = Table("events", MetaData(), autoload_with=self._engine)
        except NoSuchTableError:
            return []
        query = (select(events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
                 .where(events.c.timestamp >= retention_cutoff(self.retention_days))
                 .order_by(events.c.sender_id, events.c.timestamp, events.c.id))
        if sender_id is not None:
            query = query.where(events.c.sender_id == sender_id)
        with self._engine.connect() as connection:
            return list(connection.execute(query))

    def turns(self, sender_id: str | None = None) -> list[Turn]:
        """Every turn (oldest first within a conversation), with its signals computed."""
        by_sender: dict[str, list[Turn]] = defaultdict(list)
        slots: dict[str, dict[str, str]] = defaultdict(dict)
        values: dict[str, dict] = defaultdict(dict)  # every slot's value, to record only the changes
        between: set[str] = set()  # senders whose new session has not had a message yet: no turn to add steps to
        for row in self._rows(sender_id):
            try:
                event = json.loads(row.data or "{}")
            except ValueError:
                continue
            sender, kind = row.sender_id, row.type_name
            current = by_sender[sender][-1] if by_sender[sender] else None
            open_turn = current if sender not in between else None
            if kind == "user":
                between.discard(sender)
                parse = event.get("parse_data") or {}
                intent = parse.get("intent") or {}
                channel = event.get("input_channel") or ""
                by_sender[sender].append(Turn(
                    id=row.id, sender_id=sender, timestamp=float(row.timestamp or 0), text=event.get("text") or "",
                    channel=channel, intent=intent.get("name") or "", confidence=float(intent.get("confidence") or 0),
                    entities=_entities(parse.get("entities") or []), job=slots[sender].get("job", ""),
                    advisor=is_advisor(sender, channel, event.get("metadata"))))
            elif kind == "bot" and current is not None:
                buttons = [b.get("title", "") for b in (event.get("data") or {}).get("buttons") or []]
                current.replies.append({"text": event.get("text") or "", "buttons": buttons})
            elif kind == "action" and open_turn is not None and event.get("name") not in NOT_STEPS:
                open_turn.steps.append({"action": str(event.get("name") or "")})
            elif kind == "slot" and isinstance(event.get("name"), str):
                name, value = event["name"], event.get("value")
                if open_turn is not None and (name not in values[sender] or values[sender][name] != value):
                    open_turn.steps.append({"slot": name, "value": value})
                values[sender][name] = value
                if name in ("job", "topic"):
                    slots[sender][name] = str(value or "")
                    if current is not None:
                        setattr(current, name, slots[sender][name])
            elif kind in ("session_started", "restart"):
                slots[sender].clear()
                values[sender].clear()
                between.add(sender)
        _rate(by_sender, self._ratings(sender_id))
        turns: list[Turn] = []
        for conversation in by_sender.values():
            _flag(conversation)
            turns += conversation
        return turns

    def _ratings(self, sender_id: str | None) -> list[Rating]:
        if not self.has_database():
            return []
        if not inspect(self._engine).has_table(FEEDBACK_TABLE):  # no rating yet: nothing is created from here
            return []
        return FeedbackStore(self.url, self._engine).ratings(sender_id, since=retention_cutoff(self.retention_days))


def _rate(by_sender: dict[str, list[Turn]], ratings: list[Rating]) -> None:
    """Each rating on the turn whose reply it rates (the bot's text, the latest such turn of that conversation)."""
    for rating in ratings:
        said = " ".join(rating.answer.split())
        turn = next((t for t in reversed(by_sender.get(rating.sender_id, []))
                     if any(" ".join(str(r.get("text") or "").split()) == said for r in t.replies)), None)
        if turn is not None:
            turn.ratings.append({"rating": rating.rating, "reason": rating.reason})


def _entities(raw: list[dict]) -> list[dict]:
    return [{"entity": e.get("entity"), "value": e.get("value"), "start": e.get("start"), "end": e.get("end"),
             "extractor": e.get("extractor")} for e in raw if isinstance(e, dict)]


def _flag(conversation: list[Turn]) -> None:
    """Signals of a miss, set on the message the bot got wrong (the earlier one for repeats)."""
    words = [t for t in conversation if not t.payload]  # button clicks are not rephrasings
    for turn in conversation:
        if any(r["rating"] == "down" for r in turn.ratings):
            turn.flags.append("disliked")
        if turn.intent in FALLBACK_INTENTS:
            turn.flags.append("fallback")
        elif turn.intent in OUT_OF_SCOPE_INTENTS:
            turn.flags.append("out_of_scope")
        # whatever the intent: a low-confidence "hors sujet" is often a real question the bot should know
        if turn.confidence < LOW_CONFIDENCE and not turn.payload:
            turn.flags.append("low_confidence")
    for index, turn in enumerate(words):
        later = words[index + 1:]
        if later and later[0].timestamp - turn.timestamp <= REPHRASE_SECONDS and _same_question(turn, later[0]):
            turn.flags.append("rephrased")
        if any(_same_question(turn, other) for other in later[1:]):
            turn.flags.append("asked_again")


def _said(turn: Turn) -> Said:
    reply = " ".join(" ".join((r.get("text") or "", *r.get("buttons", []))) for r in turn.replies)
    missed = any(step.get("action") in MISS_ACTIONS for step in turn.steps)
    return Said(turn.text, turn.intent, turn.job, turn.confidence, reply, missed)


def _same_question(first: Turn, second: Turn) -> bool:
    """The same question asked again (ops/console/rephrase.py), not a follow-up on the answer."""
    return fold(first.text) != "" and rephrases(_said(first), _said(second))


def statistics(turns: list[Turn], questions: list[AdvisorQuestion] | None = None, now: float | None = None) -> dict:
    """What the charts draw: messages per day, fallback and out-of-scope rates per day, intents, topics, jobs, and
    the advisors' queue (`questions`: those asked in the period; counts and answer delays)."""
    per_day: dict[str, Counter] = defaultdict(Counter)
    intents, topics = Counter(), Counter()
    disliked: dict[str, Counter] = {"intents": Counter(), "topics": Counter()}
    jobs: dict[str, Counter] = defaultdict(Counter)
    for turn in turns:
        day = per_day[turn.day]
        day["messages"] += 1
        day["fallback"] += "fallback" in turn.flags
        day["out_of_scope"] += "out_of_scope" in turn.flags
        intents[turn.intent or "?"] += 1
        if "disliked" in turn.flags:
            disliked["intents"][turn.intent or "?"] += 1
            disliked["topics"][turn.topic or "?"] += 1
        if turn.topic:
            topics[turn.topic] += 1
        job = jobs[turn.job or "(aucun)"]
        job["messages"] += 1
        job["fallback"] += "fallback" in turn.flags
        job["out_of_scope"] += "out_of_scope" in turn.flags
        job[f"intent:{turn.intent}"] += 1
    days = [{"day": d, "messages": c["messages"], "fallback_rate": round(c["fallback"] / c["messages"], 3),
             "out_of_scope_rate": round(c["out_of_scope"] / c["messages"], 3)} for d, c in sorted(per_day.items())]
    return {
        "days": days,
        "intents": intents.most_common(),
        "topics": topics.most_common(),
        "jobs": [{"job": name, "messages": c["messages"], "fallback_rate": round(c["fallback"] / c["messages"], 3),
                  "out_of_scope_rate": round(c["out_of_scope"] / c["messages"], 3),
                  "intents": [(k[len("intent:"):], n) for k, n in c.most_common() if k.startswith("intent:")][:5]}
                 for name, c in sorted(jobs.items(), key=lambda item: -item[1]["messages"])],
        "disliked_intents": disliked["intents"].most_common(),
        "disliked_topics": disliked["topics"].most_common(),
        "total": len(turns),
        "advisors": queue_figures(questions or [], time.time() if now is None else now),
        "generated": time.strftime("%Y-%m-%d %H:%M"),
    }
