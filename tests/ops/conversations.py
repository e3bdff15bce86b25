"""Stored conversations for the console's tests, written by Rasa's own SQLTrackerStore with real Rasa events."""
from __future__ import annotations

import asyncio
import threading
import time
from contextlib import contextmanager

DAY = 86400.0
HOLDOUT_MESSAGE = "quel bac+ pour le MO"                        # in tests/nlu/holdout.yml (ask_studies)
TRAINED_MESSAGE = "c'est quoi le taf d'un gestionnaire back office"  # in data/nlu/topics.yml (ask_definition)
MISTAKE = "et pour etudier en alternance a lyon pour le bo ?"  # a confident wrong answer, rephrased right after
REPHRASED = "alternance a lyon pour le bo c possible ?"


def _user(text, intent, confidence, channel, ts, entities=()):
    from rasa.shared.core.events import UserUttered

    entities = [dict(e) for e in entities]
    return UserUttered(text, intent={"name": intent, "confidence": confidence}, entities=entities,
                       parse_data={"text": text, "intent": {"name": intent, "confidence": confidence},
                                   "entities": entities}, input_channel=channel, timestamp=ts)


def _job(text: str, word: str, value: str) -> dict:
    start = text.index(word)
    return {"entity": "job", "start": start, "end": start + len(word), "value": value, "extractor": "DIETClassifier"}


def _turn(text, intent, confidence, channel, ts, reply, entities=(), job=None, topic=None):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet

    events = [_user(text, intent, confidence, channel, ts, entities)]
    if job:
        events.append(SlotSet("job", job, timestamp=ts + 0.1))
    if topic:
        events.append(SlotSet("topic", topic, timestamp=ts + 0.2))
    events += [ActionExecuted("action_answer_topic", timestamp=ts + 0.3),
               BotUttered(reply, data={"buttons": [{"title": "Les études", "payload": "/ask_studies"}]},
                          timestamp=ts + 0.4),
               ActionExecuted("action_listen", timestamp=ts + 0.5)]
    return events


def conversations(now: float) -> dict[str, list]:
    """sender id -> events: a student today (web page), one yesterday (REST), an advisor, one past retention."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    start = now - 3600
    student = [ActionExecuted("action_session_start", timestamp=start - 2), SessionStarted(timestamp=start - 1),
               ActionExecuted("action_listen", timestamp=start - 0.5)]
    student += _turn("c'est quoi le back office", "ask_definition", 0.97, "socketio", start,
                     "Le gestionnaire de back-office traite les opérations.",
                     [_job("c'est quoi le back office", "back office", "back-office")], "back-office", "definition")
    student += _turn("quelles etudes pour le bo", "ask_studies", 0.93, "socketio", start + 30,
                     "Études : un bac+2 à bac+5.", [_job("quelles etudes pour le bo", "bo", "back-office")],
                     "back-office", "studies")
    student += _turn(MISTAKE, "ask_figures", 0.91, "socketio", start + 60, "Chiffres clés du back-office : …",
                     [_job(MISTAKE, "bo", "back-office")], "back-office", "figures")
    student += _turn(REPHRASED, "ask_figures", 0.88, "socketio", start + 90, "Chiffres clés du back-office : …",
                     [_job(REPHRASED, "bo", "back-office")], "back-office", "figures")
    student += _turn('/ask_missions{"job": "back-office"}', "ask_missions", 1.0, "socketio", start + 100,
                     "Missions du back-office : …", job="back-office", topic="missions")
    student += _turn("je veux devenir pompier", "out_of_scope", 0.9, "socketio", start + 200,
                     "Je ne connais que ces métiers.")
    student += _turn("blabla truc", "nlu_fallback", 0.2, "socketio", start + 300, "Je n'ai pas compris.")
    student += _turn(HOLDOUT_MESSAGE, "ask_studies", 0.95, "socketio", start + 400, "Études : …",
                     [_job(HOLDOUT_MESSAGE, "MO", "middle-office")], "middle-office", "studies")
    student += _turn(TRAINED_MESSAGE, "ask_definition", 0.99, "socketio", start + 500, "Le back-office : …",
                     [_job(TRAINED_MESSAGE, "back office", "back-office")], "back-office", "definition")
    student += _turn("c koi les chiffres du bo", "ask_figures", 0.9, "socketio", start + 900, "Chiffres : …",
                     [_job("c koi les chiffres du bo", "bo", "back-office")], "back-office", "figures")
    yesterday = _turn("salaire au middle office", "ask_salary", 0.45, "rest", now - DAY,
                      "La fiche ne donne pas de salaire.",
                      [_job("salaire au middle office", "middle office", "middle-office")], "middle-office", "salary")
    advisor = _turn("test du conseiller", "greet", 0.99, "rest", now - 1800, "Salut !")
    old = _turn("vieux message", "greet", 0.99, "socketio", now - 40 * DAY, "Salut !")
    return {"student-today": student, "student-yesterday": yesterday, "shell-advisor1": advisor, "old-student": old}


def _clock() -> float:
    """Now, or 02:00 today in the first two hours of a day: "today's" student (who wrote an hour ago) stays today."""
    import datetime

    now = time.time()
    local = datetime.datetime.fromtimestamp(now)
    two_am = local.replace(hour=2, minute=0, second=0, microsecond=0).timestamp()
    return max(now, two_am)


def many_students(now: float, count: int) -> dict[str, list]:
    """`count` students of one message each, a minute apart (the newest first is "question 0"), for the pages."""
    return {f"student-{index:03d}": _turn(f"question {index} sur le métier", "ask_definition", 0.9, "socketio",
                                          now - 60 * (index + 1), "Le back-office : …")
            for index in range(count)}


def fill_tracker_store(path, now: float | None = None, extra: int = 0) -> str:
    """Write the conversations with rasa.core.tracker_store.SQLTrackerStore into SQLite file `path`; returns its URL.

    `extra`: that many more students of one message each (many_students)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(dialect="sqlite", db=str(path))

    async def save_all() -> None:
        clock = now or _clock()
        for sender, events in {**conversations(clock), **many_students(clock, extra)}.items():
            await store.save(DialogueStateTracker.from_events(sender, events))

    # In a thread of its own: Playwright's sync API keeps an event loop running in the tests' thread
    worker = threading.Thread(target=asyncio.run, args=(save_all(),))
    worker.start()
    worker.join()
    store.engine.dispose()
    return f"sqlite:///{path}"


@contextmanager
def served(state):
    """The console `state` served on a free loopback port in a thread: yields (port, state), then stops it."""
    from ops.console.server import make_server

    server = make_server(state, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], state
    finally:
        server.shutdown()
        server.server_close()
