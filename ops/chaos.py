"""Chaos soak: conversations go on while servers are killed, paused and the database locked (`make chaos`).

The real stack (action server, Rasa, chat page) on free loopback ports with its own conversations database, kept
serving by `launch.stack.Supervisor` as `make run` does. CONVERSATIONS students talk to it over REST, each about
one job: every reply must be about that job (a follow-up without the job's name checks the context), or be the
French apology. Meanwhile a fault injector picks at random, every few seconds:

- `kill_actions`, `kill_rasa`: kill -9 of a server (the supervisor restarts it);
- `stop_actions`, `stop_rasa`: SIGSTOP for a few seconds, then SIGCONT;
- `db_lock`: another process holds the conversations database's write lock for a few seconds;
- `forget`: `make forget` of one conversation while it goes on (nothing of it from before may remain).

At the end every message is classified from the student's side and from the database:

- answered (a reply about the right job) and stored; apologised; refused (no answer: the server was down, the
  page tells the student so); restarted (the conversation reached its length limit, bot/limits.py: the student
  starts a new one, as the reply asks);
- **lost**: answered but not stored; **crossed**: a reply about the other job; **context lost**: a follow-up
  no longer knows the job (normal only right after a forget); **resurrected**: a message from before a forget
  stored at the end. Lost, crossed, context lost and resurrected must be 0.

Outage per fault kind: from the fault to the next message answered. Results: results/chaos.json.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from common.settings import PROJECT_DIR, get_settings
from launch.stack import Stack, Supervisor, free_port
from tests.e2e.chat import Chat

RESULTS = PROJECT_DIR / "results" / "chaos.json"
# job id -> (how the student names it, a word only its answers about the studies carry)
JOBS = {"back-office": ("le back office", "bts banque"), "middle-office": ("le middle office", "niveau 5 bts/dut")}
FIRST, FOLLOW_UP = "quelles etudes pour {name} ?", "et les etudes ?"
APOLOGY = "oups"
FULL = "conversation est devenue très longue"  # utter_conversation_full: the student starts a new conversation
FAULTS = ("kill_actions", "kill_rasa", "stop_actions", "stop_rasa", "db_lock", "forget")


@dataclass
class Message:
    sender: str
    text: str
    sent_at: float
    outcome: str = ""  # answered / apologised / refused / restarted / crossed / context_lost / unexpected
    reply: str = ""


@dataclass
class Fault:
    kind: str
    at: float
    seconds: float = 0.0
    outage: float | None = None  # fault -> next answered message


@dataclass
class Soak:
    stack: Stack
    db_path: Path
    conversations: int
    stop: threading.Event = field(default_factory=threading.Event)
    messages: list[Message] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    forgotten: dict[str, tuple[float, float]] = field(default_factory=dict)  # sender -> forget started, ended
    lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------------ students
    def student(self, index: int) -> None:
        job = list(JOBS)[index % len(JOBS)]
        name, marker = JOBS[job]
        other = next(m for j, (_, m) in JOBS.items() if j != job)
        chat = Chat(self.stack.settings.rasa_url, sender=f"chaos-{index}-{uuid.uuid4().hex[:6]}")
        asked_job = False
        while not self.stop.is_set():
            text = FOLLOW_UP if asked_job else FIRST.format(name=name)
            message = Message(chat.sender, text, time.time())
            try:
                reply = " ".join(part.get("text") or "" for part in chat.say(text)).lower()
            except Exception:  # connection refused, timeout, 5xx: no answer (the page says the bot is away)
                reply = ""
            message.reply = reply[:200]
            if not reply:
                message.outcome = "refused"
            elif FULL in reply:  # the conversation's length limit (bot/limits.py): "Nouvelle conversation", as asked
                message.outcome = "restarted"
                chat = Chat(self.stack.settings.rasa_url, sender=f"chaos-{index}-{uuid.uuid4().hex[:6]}")
                asked_job = False
            elif APOLOGY in reply:
                message.outcome = "apologised"
            elif other in reply and marker not in reply:
                message.outcome = "crossed"
            elif marker in reply:
                message.outcome = "answered"
                asked_job = True
            else:  # no job's studies ("pour quel métier ?"): the context is gone; normal only after a forget
                message.outcome = "context_lost" if asked_job else "unexpected"
                asked_job = False  # ask with the job's name again
            with self.lock:
                self.messages.append(message)
            if not reply:
                self.stop.wait(1.0)
            else:
                self.stop.wait(random.uniform(0.2, 0.8))

    # ------------------------------------------------------------------ faults
    def inject(self, kind: str) -> Fault:
        fault = Fault(kind, time.time())
        started = time.monotonic()
        if kind.startswith("kill_"):
            name = "actions" if kind.endswith("actions") else "rasa"
            process = self.stack.processes.get(name)
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        elif kind.startswith("stop_"):
            name = "actions" if kind.endswith("actions") else "rasa"
            process = self.stack.processes.get(name)
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGSTOP)
                self.stop.wait(random.uniform(2, 5))
                os.killpg(process.pid, signal.SIGCONT)
        elif kind == "db_lock":
            locker = sqlite3.connect(self.db_path, timeout=5, isolation_level=None)
            try:
                locker.execute("BEGIN EXCLUSIVE")
                self.stop.wait(random.uniform(3, 8))
                locker.execute("ROLLBACK")
            finally:
                locker.close()
        elif kind == "forget":
            with self.lock:
                senders = sorted({m.sender for m in self.messages if m.sender not in self.forgotten})
            if senders:
                sender, began = random.choice(senders), time.time()
                env = dict(os.environ, TRACKER_DB_URL=f"sqlite:///{self.db_path}", PYTHONPATH=str(PROJECT_DIR))
                subprocess.run([sys.executable, "-m", "ops.conversations", "forget", "--", sender], cwd=PROJECT_DIR,
                               env=env, capture_output=True, timeout=60, check=True)
                self.forgotten[sender] = (began, time.time())
        fault.seconds = time.monotonic() - started
        return fault

    def injector(self, every: tuple[float, float], kinds: tuple[str, ...]) -> None:
        self.stop.wait(5)
        while not self.stop.is_set():
            fault = self.inject(random.choice(kinds))
            with self.lock:
                self.faults.append(fault)
            self.stop.wait(random.uniform(*every))

    # ------------------------------------------------------------------ verdict
    def stored(self) -> dict[str, list[tuple[str, float]]]:
        with sqlite3.connect(self.db_path) as db:
            rows = db.execute("SELECT sender_id, data FROM events WHERE type_name = 'user'").fetchall()
        stored: dict[str, list[tuple[str, float]]] = {}
        for sender, data in rows:
            event = json.loads(data)
            stored.setdefault(sender, []).append((event.get("text") or "", float(event.get("timestamp") or 0)))
        return stored

    def report(self, minutes: float) -> dict:
        stored = self.stored()
        counts = {"answered": 0, "apologised": 0, "refused": 0, "restarted": 0, "crossed": 0, "context_lost": 0,
                  "unexpected": 0, "lost": 0}
        details = []
        for message in self.messages:
            began, ended = self.forgotten.get(message.sender, (None, None))
            if message.outcome == "context_lost" and began is not None and message.sent_at > began - 1:
                message.outcome = "answered_after_forget"  # sent while or after it was forgotten: a fresh start
                counts.setdefault(message.outcome, 0)
            counts[message.outcome] += 1
            kept = [t for text, t in stored.get(message.sender, []) if text == message.text
                    and abs(t - message.sent_at) < 120 and t >= message.sent_at - 1]
            if message.outcome == "answered" and not kept and not (ended is not None and message.sent_at < ended + 5):
                counts["lost"] += 1
                details.append({"kind": "lost", **dataclasses.asdict(message)})
            elif message.outcome in ("crossed", "context_lost", "unexpected"):
                details.append({"kind": message.outcome, **dataclasses.asdict(message)})
        resurrected = sum(1 for sender, (began, _) in self.forgotten.items()
                          for _, t in stored.get(sender, []) if t < began - 1)
        answered_times = sorted(m.sent_at for m in self.messages if m.outcome == "answered")
        for fault in self.faults:
            fault.outage = next((t - fault.at for t in answered_times if t > fault.at + fault.seconds), None)
        outages = {}
        for kind in sorted({f.kind for f in self.faults}):
            values = [f.outage for f in self.faults if f.kind == kind and f.outage is not None]
            outages[kind] = {"count": sum(1 for f in self.faults if f.kind == kind),
                             "outage_p50_s": round(statistics.median(values), 1) if values else None,
                             "outage_max_s": round(max(values), 1) if values else None}
        return {"minutes": minutes, "conversations": self.conversations, "messages": len(self.messages),
                **counts, "resurrected": resurrected, "faults": len(self.faults), "by_fault": outages,
                "faults_log": [dataclasses.asdict(f) for f in self.faults], "problems": details[:50]}


def run(minutes: float, conversations: int, every: tuple[float, float], kinds: tuple[str, ...] = FAULTS,
        folder: Path | None = None) -> dict:
    folder = folder or PROJECT_DIR / "var" / "chaos"
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / f"conversations-{uuid.uuid4().hex[:6]}.sqlite3"
    host = "127.0.0.1"
    settings = dataclasses.replace(get_settings(), host=host, rasa_port=free_port(host), actions_port=free_port(host),
                                   web_port=free_port(host), tracker_db_url=f"sqlite:///{db_path}")
    stack = Stack(settings, quiet=True)
    stack.start()
    halt = threading.Event()
    supervisor = Supervisor(stack, check_every=1.0, give_up_after=1000, say=lambda text: None)
    watcher = threading.Thread(target=supervisor.run, args=(halt,), daemon=True)
    watcher.start()
    soak = Soak(stack, db_path, conversations)
    threads = [threading.Thread(target=soak.student, args=(i,), daemon=True) for i in range(conversations)]
    threads.append(threading.Thread(target=soak.injector, args=(every, kinds), daemon=True))
    try:
        for thread in threads:
            thread.start()
        soak.stop.wait(minutes * 60)
    finally:
        soak.stop.set()
        for thread in threads:
            thread.join(timeout=90)
        time.sleep(2)
        halt.set()
        watcher.join(timeout=10)
        stack.stop()
    return soak.report(minutes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--every", type=float, nargs=2, default=(8.0, 20.0), metavar=("MIN_S", "MAX_S"),
                        help="seconds between two faults (random between the two)")
    args = parser.parse_args(argv)
    report = run(args.minutes, args.conversations, tuple(args.every))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "faults_log"}, indent=2))
    bad = report["lost"] + report["crossed"] + report["context_lost"] + report["resurrected"]
    print(f">> {report['faults']} faults, {report['messages']} messages: {report['lost']} lost, {report['crossed']} "
          f"crossed, {report['context_lost']} context lost, {report['resurrected']} resurrected "
          f"-> {RESULTS.relative_to(PROJECT_DIR)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
