"""Operators' tools on the stored conversations (Rasa's SQL tracker store, table `events`).

    python -m ops.conversations review [--threshold 0.6]   # messages to label -> results/review/ (those the
                                                           # console's operators marked or labelled left out)
    python -m ops.conversations purge [--days N]           # delete conversations older than N days
    python -m ops.conversations forget SENDER_ID           # delete one student's conversation
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import MetaData, Table, create_engine, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError

from bot.forgotten import forgotten_table
from common.advisor_queue import AdvisorQueue
from common.feedback import FeedbackStore
from common.private_files import keep_private
from common.settings import PROJECT_DIR, get_settings
from common.side_tables import SideTable
from ops.console.marks import MARKS_FILE, Marks, marked_keys, message_key

FALLBACK_INTENTS = {"nlu_fallback"}
# Also listed: what the bot judged out of scope, where real questions it should know often end up.
OUT_OF_SCOPE_INTENTS = {"out_of_scope"}
REVIEW_DIR = PROJECT_DIR / "results" / "review"


@dataclass(frozen=True)
class ReviewItem:
    text: str
    count: int
    predicted_intent: str
    confidence: float
    reason: str


def _printable(text: str) -> str:
    """The text without control characters (a pasted NUL or escape code must not break the YAML files)."""
    return " ".join("".join(c if unicodedata.category(c) != "Cc" else " " for c in text).split())


def _events(engine: Engine) -> Table:
    return Table("events", MetaData(), autoload_with=engine)


def _engine(url: str) -> Engine:
    return create_engine(url, future=True)


@dataclass(frozen=True)
class ReviewList:
    items: list[ReviewItem]
    done: int  # messages left out: an operator already reviewed, ignored or labelled them in the console


def _reason(name: str, confidence: float, threshold: float) -> str | None:
    """Why a message is worth a look (the console's signals), or None."""
    if name in FALLBACK_INTENTS:
        return "fallback"
    if name in OUT_OF_SCOPE_INTENTS:
        return "out_of_scope"
    return "low_confidence" if confidence < threshold else None


def review_list(url: str, threshold: float, marked: set[tuple[str, float]] | frozenset = frozenset()) -> ReviewList:
    """User messages that hit the fallback, were judged out of scope, or were understood with confidence below
    `threshold`, with counts; those of `marked` (the console's marks, by conversation and timestamp) left out."""
    engine = _engine(url)
    events = _events(engine)
    seen: Counter = Counter()
    details: dict[str, tuple[str, float, str]] = {}
    done = 0
    query = select(events.c.sender_id, events.c.timestamp, events.c.data).where(events.c.type_name == "user")
    with engine.connect() as connection:
        for sender_id, timestamp, data in connection.execute(query):
            event = json.loads(data)
            text = _printable(event.get("text") or "")
            if not text or text.startswith("/"):  # button payloads are not student wording
                continue
            intent = (event.get("parse_data") or {}).get("intent") or {}
            name, confidence = intent.get("name") or "", float(intent.get("confidence") or 0.0)
            reason = _reason(name, confidence, threshold)
            if reason is None:
                continue
            if message_key(sender_id, float(timestamp or 0)) in marked:
                done += 1
                continue
            key = " ".join(text.lower().split())
            seen[key] += 1
            details.setdefault(key, (name, confidence, reason))
    return ReviewList([ReviewItem(text, count, *details[text]) for text, count in seen.most_common()], done)


def messages_to_review(url: str, threshold: float,
                       marked: set[tuple[str, float]] | frozenset = frozenset()) -> list[ReviewItem]:
    """The messages of review_list, most frequent first."""
    return review_list(url, threshold, marked).items


def write_review(items: list[ReviewItem], folder: Path = REVIEW_DIR) -> tuple[Path, Path]:
    """Write the messages with counts, and a Rasa NLU draft grouped by predicted intent, to label and move."""
    folder.mkdir(parents=True, exist_ok=True)
    listing = folder / "messages.yml"
    listing.write_text("# Messages d'élèves que le bot a mal compris, les plus fréquents d'abord (make review) ;\n"
                       "# ceux déjà revus, ignorés ou étiquetés dans la console n'y sont pas.\n"
                       + yaml.safe_dump({"messages": [item.__dict__ for item in items]}, allow_unicode=True,
                                        sort_keys=False), encoding="utf-8")
    by_intent: dict[str, list[str]] = {}
    for item in items:
        by_intent.setdefault(item.predicted_intent or "nlu_fallback", []).append(item.text)
    lines = ["# BROUILLON à étiqueter (make review) : chaque message est sous l'intention devinée par le bot.",
             "# Déplacez chaque ligne vers la bonne intention dans data/nlu/*.yml, annotez les métiers",
             "# ([middle office](job)), supprimez ce qui ne vaut pas d'être appris, puis",
             "# `make validate train evaluate`. Plus simple : l'onglet Messages de `make console`.",
             'version: "3.1"', "nlu:"]
    for intent, texts in sorted(by_intent.items()):
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {' '.join(t.split())}" for t in texts]
    draft = folder / "nlu_draft.yml"
    draft.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing, draft


def retention_cutoff(days: int, now: float | None = None) -> float:
    """The timestamp before which stored conversations are past retention (purged, and hidden by the console)."""
    return (time.time() if now is None else now) - days * 86400


def purge(url: str, days: int) -> int:
    """Delete every event older than `days` days; returns how many were deleted."""
    engine = _engine(url)
    events = _events(engine)
    cutoff = retention_cutoff(days)
    tombstones = forgotten_table(MetaData())
    tombstones.create(engine, checkfirst=True)
    sides = _side_tables(url, engine)
    with engine.begin() as connection:
        deleted = connection.execute(delete(events).where(events.c.timestamp < cutoff)).rowcount
        for side in sides:  # the advisors' questions and the students' ratings go with them
            side.purge(cutoff, connection)
        # a tombstone older than the retention guards nothing any more (no message is that long in flight)
        connection.execute(delete(tombstones).where(tombstones.c.forgotten_at < cutoff))
    _checkpoint(engine)
    return deleted


def _side_tables(url: str, engine: Engine) -> list[SideTable]:
    """The project's tables beside `events` that hold a student's data, created if missing."""
    sides: list[SideTable] = [AdvisorQueue(url, engine), FeedbackStore(url, engine)]
    for side in sides:
        side.engine  # noqa: B018 (creates its table on first use)
    return sides


def _checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database and empty it, so deleted text stays in no file."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def forget(url: str, sender_id: str, now: float | None = None) -> int:
    """Delete one conversation (all events of one sender id) for good; returns how many events were deleted.

    A tombstone (sender id, time) is written in the same transaction: a Rasa process handling one of its messages
    at that moment does not write the conversation back (bot/tracker_store.py)."""
    engine = _engine(url)
    events = _events(engine)
    tombstones = forgotten_table(MetaData())
    tombstones.create(engine, checkfirst=True)
    sides = _side_tables(url, engine)
    with engine.begin() as connection:
        deleted = connection.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount
        for side in sides:  # and its advisors' questions and ratings, in the same transaction
            side.forget(sender_id, connection)
        connection.execute(delete(tombstones).where(tombstones.c.sender_id == sender_id))
        connection.execute(insert(tombstones).values(sender_id=sender_id,
                                                     forgotten_at=time.time() if now is None else now))
    _checkpoint(engine)
    return deleted


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m ops.conversations", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    review = sub.add_parser("review", help="écrit les messages à revoir sous results/review/")
    review.add_argument("--threshold", type=float, default=0.6, help="confiance sous laquelle un message est listé")
    review.add_argument("--out", type=Path, default=REVIEW_DIR, help="dossier des deux fichiers (results/review)")
    review.add_argument("--marks", type=Path, default=MARKS_FILE,
                        help="marques de la console (var/console.sqlite3) : messages déjà traités, laissés de côté")
    purge_cmd = sub.add_parser("purge", help="delete conversations older than --days")
    purge_cmd.add_argument("--days", type=int, default=settings.retention_days)
    forget_cmd = sub.add_parser("forget", help="delete one student's conversation by sender id")
    forget_cmd.add_argument("sender_id")
    forget_cmd.add_argument("--marks", type=Path, default=MARKS_FILE,
                            help="the console's marks (var/console.sqlite3): this conversation's are deleted too")
    args = parser.parse_args(argv)
    keep_private()
    url = settings.tracker_db_url
    try:
        if args.command == "review":
            return _review(url, args.threshold, args.out, args.marks)
        if args.command == "purge":
            if args.days < 0:
                print("--days must be 0 or more", file=sys.stderr)
                return 2
            print(f"Deleted {purge(url, args.days)} events older than {args.days} days.")
        else:
            deleted = forget(url, args.sender_id)
            print(f"Deleted {deleted} events of sender {args.sender_id!r}." if deleted
                  else f"No conversation found for sender {args.sender_id!r}.")
            if args.marks.is_file():  # the console's review marks of its messages go too
                marks = Marks(f"sqlite:///{args.marks}").forget(args.sender_id)
                if marks:
                    print(f"Deleted {marks} console review mark(s) of its messages.")
    except NoSuchTableError:
        print(f"No stored conversations yet at {url} (start the bot with `make run`).", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"Cannot read the conversation store at {url}: {error.__class__.__name__}", file=sys.stderr)
        return 1
    return 0


def _review(url: str, threshold: float, out: Path, marks: Path) -> int:
    """`make review`, said in French: what is left to review, where it was written, what the console already did."""
    try:
        found = review_list(url, threshold, marked_keys(marks))
    except NoSuchTableError:
        print(f"Aucune conversation enregistrée dans {url} (lancez le bot avec `make run`).", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"Impossible de lire les conversations dans {url} : {error.__class__.__name__}", file=sys.stderr)
        return 1
    listing, draft = write_review(found.items, out)
    shown = [p.relative_to(PROJECT_DIR) if p.is_relative_to(PROJECT_DIR) else p for p in (listing, draft)]
    print(review_summary(found, shown[0], shown[1]))
    return 0


def review_summary(found: ReviewList, listing: Path, draft: Path) -> str:
    """ "3 messages distincts à revoir (5 en tout) -> …; 2 déjà traités dans la console." """
    total = sum(item.count for item in found.items)
    plural = "s" if len(found.items) > 1 else ""
    line = (f"{len(found.items)} message{plural} distinct{plural} à revoir ({total} en tout) -> {listing}, {draft}"
            if found.items else f"Aucun message à revoir -> {listing}, {draft}")
    if found.done:
        plural = "s" if found.done > 1 else ""
        line += (f"\n{found.done} message{plural} déjà traité{plural} dans la console (revu, ignoré ou étiqueté) : "
                 f"laissé{plural} de côté.")
    return line


if __name__ == "__main__":
    sys.exit(main())
