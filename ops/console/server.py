"""The operators' console: a small HTTP server (standard library) over the stored conversations.

Routes: the page (/, /console.js, /console.css) and a JSON API under /api/ that needs a session, obtained
by POST /api/login with the operator's name and the console token (CONSOLE_TOKEN, or one generated and
printed at start). Sessions are random ids in an HttpOnly SameSite=Strict cookie, kept in memory (a restart
logs everyone out). Every API call is written to the access log (who, from where, what; never a message's
text). The tracker store is only read; marks live in the console's own table; labels go to data/nlu/; a
conversation saved as a story goes to tests/test_stories.yml or data/stories/from_console.yml (stories.py).
"""
from __future__ import annotations

import hmac
import json
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from common.advisor_queue import AdvisorQuestion, AdvisorQueue, AnswerRefused
from common.settings import PROJECT_DIR
from knowledge.loader import load_topics
from ops.console.advisors import RasaPush, as_json
from ops.console.evaluations import RESULTS_DIR, evaluation_runs, last_story_test
from ops.console.export import csv_bytes
from ops.console.filters import PAGE_SIZE, BadFilter, TurnFilter, one_page, page_count, page_number
from ops.console.labels import LabelRefused, TrainingData
from ops.console.marks import STATUSES, AccessLog, Mark, Marks
from ops.console.store import FLAGS, ConversationStore, Turn, statistics
from ops.console.stories import (
    StoryExists,
    StoryFiles,
    StoryRefused,
    Vocabulary,
    chosen_turns,
    draft,
    story_name,
    story_steps,
)
from ops.conversations import retention_cutoff

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/console.js": ("console.js", "text/javascript; charset=utf-8"),
          "/console.css": ("console.css", "text/css; charset=utf-8"),
          "/favicon.svg": ("favicon.svg", "image/svg+xml")}
COOKIE = "console_session"
SESSION_SECONDS = 8 * 3600
MAX_BODY = 20_000
MAX_FAILURES = 10       # wrong tokens a minute, per client address and per operator name
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass
class Console:
    """Everything the handlers share."""

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
    failures: dict[str, list[float]] = field(default_factory=dict)  # "client:<address>" / "name:<name>" -> times
    lock: threading.Lock = field(default_factory=threading.Lock)

    def throttled(self, name: str, client: str) -> bool:
        """A guessing script is slowed down to MAX_FAILURES tries a minute, from its address and under the name it
        tries; everyone else (another address, another operator) still logs in with the right token."""
        with self.lock:
            now = time.time()
            for key in (f"client:{client}", f"name:{name.casefold()}"):
                recent = [t for t in self.failures.get(key, []) if now - t < 60]
                self.failures[key] = recent
                if len(recent) >= MAX_FAILURES:
                    return True
            return False

    def login(self, name: str, token: str, client: str = "-") -> str | None:
        if self.throttled(name, client):
            return None
        with self.lock:
            now = time.time()
            if not hmac.compare_digest(token.encode("utf-8"), self.token.encode("utf-8")):
                for key in (f"client:{client}", f"name:{name.casefold()}"):
                    self.failures.setdefault(key, []).append(now)
                if len(self.failures) > 10_000:  # addresses seen once, long ago: forgotten
                    self.failures = {k: v for k, v in self.failures.items() if v and now - v[-1] < 60}
                return None
            session = secrets.token_urlsafe(32)
            self.sessions[session] = (name, now + SESSION_SECONDS)
            return session

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
        kept = [(t, marks.get(_key(t))) for t in turns]
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


def _key(turn: Turn) -> tuple[str, float]:
    return turn.sender_id, round(turn.timestamp, 6)


def _turn_json(turn: Turn, mark: Mark | None) -> dict:
    """A turn for the page, with its mark: status, who and when ("" when still to review)."""
    marked = mark.to_json() if mark else {"status": "", "marked_by": "", "marked_at": "", "label": ""}
    return {**turn.to_json(), **marked}


class ConsoleHandler(BaseHTTPRequestHandler):
    server_version = "operators-console"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, console: Console, **kwargs):
        self.console = console
        super().__init__(*args, **kwargs)

    def version_string(self) -> str:
        return self.server_version

    # --- plumbing --------------------------------------------------------------------------------
    def _send(self, status: HTTPStatus, body: bytes, content_type: str, cookie: str | None = None,
              extra: dict[str, str] | None = None) -> None:
        unread = not getattr(self, "_body_read", False) and (self.headers.get("Content-Length") or "0").strip() != "0"
        self.send_response(status)
        if unread or self.headers.get("Transfer-Encoding"):
            # a request body left unread would be read as the next request: this connection ends here
            self.close_connection = True
            self.send_header("Connection", "close")
        self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        if cookie is not None:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: HTTPStatus, data, cookie: str | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", cookie)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._json(status, {"error": message})

    def _session(self) -> str | None:
        cookie = SimpleCookie()
        try:
            cookie.load(self.headers.get("Cookie") or "")
        except Exception:  # a malformed cookie is no session
            return None
        return cookie[COOKIE].value if COOKIE in cookie else None

    def _client(self) -> str:
        return self.client_address[0] if self.client_address else "-"

    def _host_allowed(self) -> bool:
        """On loopback, only loopback names (a web page elsewhere cannot reach the console by DNS rebinding)."""
        if self.server.server_address[0] not in LOOPBACK and self.server.server_address[0] != "::1":
            return True
        host = urlsplit("//" + (self.headers.get("Host") or "")).hostname or ""
        return host in LOOPBACK

    def _body(self) -> dict | None:
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return None  # also what keeps a cross-site form from posting here
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        raw = self.rfile.read(length)
        self._body_read = True
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            return None
        return data if isinstance(data, dict) else None

    # --- routing ----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        self._body_read = False
        if not self._host_allowed():
            return self._error(HTTPStatus.FORBIDDEN, "Hôte refusé.")
        parts = urlsplit(self.path)
        path, query = parts.path, dict(parse_qsl(parts.query))
        if method == "GET" and path in STATIC:
            name, content_type = STATIC[path]
            return self._send(HTTPStatus.OK, (STATIC_DIR / name).read_bytes(), content_type)
        if path == "/api/login" and method == "POST":
            return self._login()
        if not path.startswith("/api/"):
            return self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8")
        session = self._session()
        who = self.console.operator(session)
        if who is None:
            self.console.access.write("-", self._client(), "refused", path=path[:100])
            return self._error(HTTPStatus.UNAUTHORIZED, "Connexion requise.")
        handlers = {
            ("GET", "/api/meta"): self._meta, ("GET", "/api/turns"): self._turns,
            ("GET", "/api/conversation"): self._conversation, ("GET", "/api/stats"): self._stats,
            ("GET", "/api/evaluations"): self._evaluations, ("GET", "/api/draft"): self._draft,
            ("GET", "/api/export.csv"): self._export,
            ("POST", "/api/mark"): self._mark, ("POST", "/api/label"): self._label,
            ("POST", "/api/unlabel"): self._unlabel,
            ("POST", "/api/logout"): self._logout,
            ("GET", "/api/advisor"): self._advisor, ("POST", "/api/advisor/answer"): self._advisor_answer,
            ("GET", "/api/story"): self._story_form, ("POST", "/api/story"): self._story_save,
            ("POST", "/api/story/undo"): self._story_undo,
        }
        handler = handlers.get((method, path))
        if handler is None:
            return self._error(HTTPStatus.NOT_FOUND, "Inconnu.")
        if method == "POST":
            query = self._body()
            if query is None:
                return self._error(HTTPStatus.BAD_REQUEST, "Requête JSON attendue.")
        try:
            return handler(who, query, session)
        except BadFilter as refusal:  # a value the page never sends: said in French, never a crash
            self.console.access.write(who, self._client(), "bad_filter", path=path[:100])
            return self._error(HTTPStatus.BAD_REQUEST, str(refusal))
        except Exception as error:  # a French message, the cause in the server's log
            sys.stderr.write(f"console: {path}: {error.__class__.__name__}: {error}\n")
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR,
                               "Erreur en lisant les conversations (voir le journal).")

    # --- API ----------------------------------------------------------------------------------------
    def _login(self) -> None:
        body = self._body() or {}
        name = " ".join(str(body.get("name") or "").split())[:60]
        token = str(body.get("token") or "")
        if not name:
            return self._error(HTTPStatus.BAD_REQUEST, "Indiquez votre nom.")
        if self.console.throttled(name, self._client()):
            self.console.access.write(name, self._client(), "login_throttled")
            return self._error(HTTPStatus.TOO_MANY_REQUESTS, "Trop d'essais : réessayez dans une minute.")
        session = self.console.login(name, token, self._client())
        if session is None:
            self.console.access.write(name, self._client(), "login_refused")
            return self._error(HTTPStatus.UNAUTHORIZED, "Jeton refusé.")
        self.console.access.write(name, self._client(), "login")
        cookie = f"{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; Max-Age={SESSION_SECONDS}"
        return self._json(HTTPStatus.OK, {"name": name}, cookie=cookie)

    def _logout(self, who: str, body: dict, session: str | None) -> None:
        self.console.logout(session)
        self.console.access.write(who, self._client(), "logout")
        return self._json(HTTPStatus.OK, {}, cookie=f"{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")

    def _meta(self, who: str, query: dict, session) -> None:
        turns, _ = self.console.turns()
        self.console.access.write(who, self._client(), "meta")
        return self._json(HTTPStatus.OK, {
            "operator": who, "intents": self.console.training.intents,
            "entities": sorted(self.console.training.entities),
            "seen_intents": sorted({t.intent for t in turns if t.intent}),
            "channels": sorted({t.channel for t in turns if t.channel}),
            "jobs": sorted({t.job for t in turns if t.job}), "flags": list(FLAGS),
            "topic_labels": topic_labels(), "retention_days": self.console.retention_days})

    def _turns(self, who: str, query: dict, session) -> None:
        """One page of the filtered messages, newest first, with the total and the number of pages."""
        selection, page = TurnFilter.from_query(query), page_number(query)
        kept = self.console.selected(selection)
        shown = one_page(kept, page)
        self.console.access.write(who, self._client(), "list_messages", filter=selection.describe(), count=len(kept),
                                  page=page)
        return self._json(HTTPStatus.OK, {"total": len(kept), "page": page, "pages": page_count(len(kept)),
                                          "page_size": PAGE_SIZE, "turns": [_turn_json(t, m) for t, m in shown]})

    def _export(self, who: str, query: dict, session) -> None:
        """Every filtered message (not one page) as a CSV download, without the students' ids."""
        selection = TurnFilter.from_query(query)
        kept = self.console.selected(selection)
        self.console.access.write(who, self._client(), "export_csv", filter=selection.describe(), count=len(kept))
        name = f"messages-{datetime.now().strftime('%Y-%m-%d_%H%M')}.csv"
        return self._send(HTTPStatus.OK, csv_bytes(kept), "text/csv; charset=utf-8",
                          extra={"Content-Disposition": f'attachment; filename="{name}"'})

    def _conversation(self, who: str, query: dict, session) -> None:
        sender = query.get("sender", "")[:255]
        turns, marks = self.console.turns(sender)
        self.console.access.write(who, self._client(), "view_conversation", sender=sender, count=len(turns))
        return self._json(HTTPStatus.OK, {"sender_id": sender, "turns": [
            _turn_json(t, marks.get(_key(t))) for t in turns]})

    def _stats(self, who: str, query: dict, session) -> None:
        chart_keys = ("channel", "from", "to", "job", "advisors")
        selection = TurnFilter.from_query({k: v for k, v in query.items() if k in chart_keys})
        turns, _ = self.console.turns()
        self.console.access.write(who, self._client(), "charts", filter=selection.describe())
        return self._json(HTTPStatus.OK, statistics([t for t in turns if selection.keep(t, "")],
                                                    self.console.questions(selection)))

    def _evaluations(self, who: str, query: dict, session) -> None:
        self.console.access.write(who, self._client(), "evaluations")
        return self._json(HTTPStatus.OK, {"runs": evaluation_runs(self.console.results_dir),
                                          "stories": last_story_test(self.console.results_dir)})

    def _find(self, sender: str, timestamp) -> object | None:
        try:
            timestamp = float(timestamp)
        except (TypeError, ValueError):
            return None
        turns, _ = self.console.turns(sender)
        return next((t for t in turns if abs(t.timestamp - timestamp) < 1e-6), None)

    def _draft(self, who: str, query: dict, session) -> None:
        turn = self._find(query.get("sender", "")[:255], query.get("ts"))
        if turn is None:
            return self._error(HTTPStatus.NOT_FOUND, "Message introuvable (supprimé par la rétention ?).")
        self.console.access.write(who, self._client(), "label_form", sender=turn.sender_id, message=turn.id)
        return self._json(HTTPStatus.OK, self.console.training.draft(turn.text, turn.intent, turn.entities))

    def _mark(self, who: str, body: dict, session) -> None:
        status = str(body.get("status") or "")
        if status and status not in STATUSES[:2]:
            return self._error(HTTPStatus.BAD_REQUEST, "Statut inconnu.")
        turn = self._find(str(body.get("sender") or "")[:255], body.get("ts"))
        if turn is None:
            return self._error(HTTPStatus.NOT_FOUND, "Message introuvable (supprimé par la rétention ?).")
        self.console.marks.set(turn.sender_id, turn.timestamp, status, who)
        self.console.access.write(who, self._client(), "mark", sender=turn.sender_id, message=turn.id, status=status)
        return self._json(HTTPStatus.OK, _turn_json(turn, self.console.marks.get(turn.sender_id, turn.timestamp)))

    def _label(self, who: str, body: dict, session) -> None:
        turn = self._find(str(body.get("sender") or "")[:255], body.get("ts"))
        if turn is None:
            return self._error(HTTPStatus.NOT_FOUND, "Message introuvable (supprimé par la rétention ?).")
        intent = str(body.get("intent") or "")
        try:
            added = self.console.training.add(str(body.get("text") or ""), intent, turn.text)
        except LabelRefused as refusal:
            self.console.access.write(who, self._client(), "label_refused", sender=turn.sender_id, message=turn.id,
                                      intent=intent[:100])
            return self._error(HTTPStatus.CONFLICT, str(refusal))
        self.console.marks.set(turn.sender_id, turn.timestamp, "labelled", who, intent=added.intent)
        self.console.access.write(who, self._client(), "label", sender=turn.sender_id, message=turn.id,
                                  intent=added.intent, file=added.path.name)
        mark = self.console.marks.get(turn.sender_id, turn.timestamp)
        return self._json(HTTPStatus.OK, {"file": added.path.name, "example": added.example, "intent": added.intent,
                                          **(mark.to_json() if mark else {"status": "labelled"})})

    def _unlabel(self, who: str, body: dict, session) -> None:
        """Undo a label just added: its example leaves the training file, the message is to review again."""
        turn = self._find(str(body.get("sender") or "")[:255], body.get("ts"))
        if turn is None:
            return self._error(HTTPStatus.NOT_FOUND, "Message introuvable (supprimé par la rétention ?).")
        intent = str(body.get("intent") or "")
        try:
            path = self.console.training.remove(intent, str(body.get("example") or ""))
        except LabelRefused as refusal:
            return self._error(HTTPStatus.CONFLICT, str(refusal))
        self.console.marks.set(turn.sender_id, turn.timestamp, "", who)
        self.console.access.write(who, self._client(), "unlabel", sender=turn.sender_id, message=turn.id,
                                  intent=intent[:100], file=path.name)
        return self._json(HTTPStatus.OK, {"file": path.name, "status": ""})

    def _advisor(self, who: str, query: dict, session) -> None:
        queue = self.console.advisors
        if queue is None:
            return self._json(HTTPStatus.OK, {"pending": [], "answered": [], "stats": {}})
        return self._json(HTTPStatus.OK, {"pending": [as_json(q) for q in queue.pending()],
                                          "answered": [as_json(q) for q in queue.answered()], "stats": queue.stats()})

    def _advisor_answer(self, who: str, body: dict, session) -> None:
        queue = self.console.advisors
        if queue is None:
            return self._error(HTTPStatus.NOT_FOUND, "Pas de file des conseillers.")
        try:
            question_id = int(body.get("id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return self._error(HTTPStatus.BAD_REQUEST, "Question inconnue.")
        try:
            answered = queue.answer(question_id, str(body.get("answer") or ""), who)
        except AnswerRefused as refusal:
            return self._error(HTTPStatus.CONFLICT, str(refusal))
        pushed = self.console.push(answered)
        self.console.access.write(who, self._client(), "advisor_answer", sender=answered.sender_id,
                                  question=answered.id, pushed=pushed)
        return self._json(HTTPStatus.OK, {"id": answered.id, "pushed": pushed})

    def _story_form(self, who: str, query: dict, session) -> None:
        """A conversation's turns as the story form shows them, and the domain's lists to correct them from."""
        sender = query.get("sender", "")[:255]
        turns, _ = self.console.turns(sender)
        if not turns:
            return self._error(HTTPStatus.NOT_FOUND, "Conversation introuvable (supprimée par la rétention ?).")
        self.console.access.write(who, self._client(), "story_form", sender=sender, count=len(turns))
        return self._json(HTTPStatus.OK, {"sender_id": sender, "turns": [draft(t) for t in turns],
                                          **self.console.vocabulary.to_json()})

    def _story_save(self, who: str, body: dict, session) -> None:
        """Save the turns sent (timestamps of one conversation, in its order) with their corrections as a story."""
        sender, kind = str(body.get("sender") or "")[:255], str(body.get("kind") or "")
        if self.console.stories is None:
            return self._error(HTTPStatus.NOT_FOUND, "Pas de fichier d'histoires configuré.")
        try:
            stored, _ = self.console.turns(sender)
            chosen, corrections = chosen_turns(stored, body.get("turns"), kind)
            steps = story_steps(chosen, corrections, self.console.vocabulary, with_text=kind == "test")
            story = {"story": story_name(chosen[0].day, datetime.now(), len(chosen)), "steps": steps}
            saved = self.console.stories.save(story, kind)
        except StoryRefused as refusal:  # bad input: 400; the same story already saved: 409
            self.console.access.write(who, self._client(), "story_refused", sender=sender, kind=kind[:20])
            status = HTTPStatus.CONFLICT if isinstance(refusal, StoryExists) else HTTPStatus.BAD_REQUEST
            return self._error(status, str(refusal))
        kept = sum(1 for c, t in zip(corrections, chosen, strict=True) if c.keep_text and not t.payload)
        self.console.access.write(who, self._client(), "story_save", sender=sender, kind=kind, file=saved.path.name,
                                  messages=len(chosen), texts_kept=kept if kind == "test" else 0)
        return self._json(HTTPStatus.OK, {"file": saved.path.name, "name": saved.name, "kind": kind,
                                          "steps": len(steps)})

    def _story_undo(self, who: str, body: dict, session) -> None:
        if self.console.stories is None:
            return self._error(HTTPStatus.NOT_FOUND, "Pas de fichier d'histoires configuré.")
        try:
            undone = self.console.stories.undo()
        except StoryRefused as refusal:
            return self._error(HTTPStatus.CONFLICT, str(refusal))
        self.console.access.write(who, self._client(), "story_undo", kind=undone.kind, file=undone.path.name)
        return self._json(HTTPStatus.OK, {"file": undone.path.name, "name": undone.name, "kind": undone.kind})

    # --- quiet logs: method, path without its query string, status -----------------------------------
    def log_request(self, code="-", size="-") -> None:
        status = code.value if isinstance(code, HTTPStatus) else code
        path = urlsplit(getattr(self, "path", "") or "").path[:100] if self.command else "-"
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {self.command or '-'} {path} {status}\n")

    def log_error(self, format: str, *args) -> None:  # `format`: the base class's signature
        pass


def topic_labels() -> dict[str, str]:
    """The topics' French labels (knowledge/topics.yml) for the charts: "Études et diplômes", not `studies`."""
    try:
        return {name: topic.label for name, topic in load_topics(PROJECT_DIR / "knowledge" / "topics.yml").items()}
    except (OSError, ValueError):
        return {}


def make_server(console: Console, host: str, port: int, quiet: bool = False) -> ThreadingHTTPServer:
    handler = partial(ConsoleHandler, console=console)
    if quiet:
        handler = partial(_QuietHandler, console=console)
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


class _QuietHandler(ConsoleHandler):
    def log_request(self, code="-", size="-") -> None:
        pass


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
