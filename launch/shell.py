"""The advisors' shell (`make shell`): a thin terminal client over the bot's REST channel.

Why not `rasa shell`: its button menu threw a typed question away and sent the first button, cut long
lines, showed raw payloads and hung on Ctrl-C. Here typed text is always the question; the bot's buttons
are a numbered list (typing a number sends that button's payload); text is wrapped to the terminal;
the servers' logs go to var/logs/, never to the terminal; Ctrl-C, Ctrl-D and /stop stop the servers.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from common.settings import PROJECT_DIR, Settings

STARTUP_FILE = PROJECT_DIR / "var" / "shell-startup-seconds.txt"  # last measured start-up, shown as the estimate
STOP_WORDS = {"/stop", "/quit", "/exit"}
EXTRA_WAIT_S = 300  # beyond the stack's own wait for the model to load, when the machine is busy
PROMPT = "vous> "
INTRO = ("Posez une question comme un élève l'écrirait. Un numéro envoie la suggestion correspondante ; "
         "/stop, Ctrl-D ou Ctrl-C pour quitter.")


@dataclass
class Reply:
    """What the bot answered to one message: its texts and its suggestion buttons (title, payload)."""

    texts: list[str]
    buttons: list[tuple[str, str]]


def parse_reply(messages: list[dict]) -> Reply:
    texts, buttons = [], []
    for message in messages:
        if message.get("text"):
            texts.append(str(message["text"]))
        if message.get("image"):
            texts.append(f"[image] {message['image']}")
        for button in message.get("buttons") or []:
            buttons.append((str(button.get("title") or button.get("payload")), str(button.get("payload") or "")))
    return Reply(texts, buttons)


def wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    """Each line of `text` wrapped to `width`; a list item's continuation lines are aligned under its text."""
    lines = []
    for line in text.splitlines() or [""]:
        stripped = line.lstrip()
        bullet = next((b for b in ("- ", "• ", "* ", "– ") if stripped.startswith(b)), "")
        lead = indent + line[: len(line) - len(stripped)]
        lines += textwrap.wrap(line.strip(), width=max(width, 20), initial_indent=lead,
                               subsequent_indent=lead + " " * len(bullet), break_on_hyphens=False) or [""]
    return lines


def render(reply: Reply, width: int) -> str:
    """The bot's reply as the advisor sees it: wrapped texts, then the numbered suggestions (titles only)."""
    lines = []
    for text in reply.texts:
        lines += ["bot>"] + wrap(text, width)
    if not reply.texts:
        lines.append("bot> (pas de réponse)")
    if reply.buttons:
        lines.append("  Suggestions :")
        for number, (title, _) in enumerate(reply.buttons, 1):
            label = f"{number:>4}. "
            lines += textwrap.wrap(title, width=max(width, 20), initial_indent=label,
                                   subsequent_indent=" " * len(label)) or [label]
    return "\n".join(lines)


def message_for(typed: str, buttons: list[tuple[str, str]]) -> str:
    """A number of a shown suggestion sends its payload; anything else is the question itself."""
    text = typed.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return buttons[int(text) - 1][1]
    return typed


class RestClient:
    """One conversation with the bot over the REST channel (POST /webhooks/rest/webhook)."""

    def __init__(self, rasa_url: str, sender: str | None = None):
        self.url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        # "shell-" ids and the metadata tell the advisors' tries apart from students' conversations
        self.sender = sender or f"shell-{uuid.uuid4().hex[:12]}"

    def send(self, text: str, timeout: float = 60) -> Reply:
        body = json.dumps({"sender": self.sender, "message": text, "metadata": {"client": "advisors-shell"}})
        request = urllib.request.Request(self.url, body.encode("utf-8"), {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return parse_reply(json.loads(response.read() or b"[]"))


def _elapsed_line(start: float, stage: str, previous: float | None) -> str:
    seconds = time.monotonic() - start
    hint = f" (dernier démarrage : {previous:.0f} s)" if previous else ""
    return f"Démarrage du bot : {stage}… {seconds:.0f} s{hint}"


def _read_previous(path: Path) -> float | None:
    try:
        return float(path.read_text().strip())
    except (OSError, ValueError):
        return None


def start_with_progress(stack, out=sys.stdout) -> float:
    """Start the stack in a thread while one line shows the real elapsed time; returns the seconds taken.

    Ctrl-C here (a KeyboardInterrupt in this, the main thread) is left to the caller, which stops the stack."""
    previous, start, failure = _read_previous(STARTUP_FILE), time.monotonic(), []

    def run() -> None:
        try:
            stack.start_actions()
            try:
                stack.start_rasa()
            except TimeoutError:  # a busy machine: the progress line shows the wait, keep waiting a while
                from launch.stack import wait_http

                wait_http(f"{stack.settings.rasa_url}/webhooks/rest/", stack.processes["rasa"], EXTRA_WAIT_S,
                          stack.log_path("rasa"))
        except BaseException as error:  # reported by the main thread
            failure.append(error)

    worker = threading.Thread(target=run, name="stack-start", daemon=True)
    worker.start()
    tty, shown = out.isatty(), 0.0
    try:
        while worker.is_alive():
            stage = "chargement du modèle" if "rasa" in stack.processes else "serveur d'actions"
            if tty:
                out.write("\r" + _elapsed_line(start, stage, previous) + "\033[K")
                out.flush()
            elif time.monotonic() - shown >= 10:
                out.write(_elapsed_line(start, stage, previous) + "\n")
                out.flush()
                shown = time.monotonic()
            worker.join(0.5)
    except BaseException:
        # Interrupted while starting: the worker may spawn the next server after a first stop; stop again.
        stack.stop()
        worker.join(1)
        stack.stop()
        worker.join(20)
        raise
    took = time.monotonic() - start
    if tty:
        out.write("\r\033[K")
    if failure:
        raise failure[0]
    STARTUP_FILE.parent.mkdir(parents=True, exist_ok=True)
    STARTUP_FILE.write_text(f"{took:.1f}\n")
    out.write(f"Bot prêt en {took:.0f} s (journaux des serveurs : var/logs/).\n")
    return took


def converse(client: RestClient, read=input, out=sys.stdout) -> int:
    """The prompt loop; returns when the advisor types /stop or Ctrl-D (Ctrl-C propagates to the caller)."""
    buttons: list[tuple[str, str]] = []
    out.write(INTRO + "\n")
    while True:
        out.flush()
        try:
            typed = read(PROMPT)
        except EOFError:
            out.write("\n")
            return 0
        if typed.strip().lower() in STOP_WORDS:
            return 0
        if not typed.strip():
            continue
        width = shutil.get_terminal_size((100, 24)).columns - 1
        try:
            reply = client.send(message_for(typed, buttons))
        except (OSError, ValueError) as error:  # server gone, timeout, bad JSON: say it, keep the prompt
            out.write(f"(le bot ne répond pas : {error}; journaux dans var/logs/)\n")
            continue
        buttons = reply.buttons
        out.write(render(reply, width) + "\n")


def own_ports(settings: Settings) -> Settings:
    """The shell's own servers on free ports when the usual ones are taken (`make run` is up): the advisor talks
    to the model this shell loaded, never to another server without a word."""
    from launch.stack import free_port, port_free

    host, taken = settings.host, []
    for field_name in ("rasa_port", "actions_port"):
        port = getattr(settings, field_name)
        if not port_free(host, port):
            settings = dataclasses.replace(settings, **{field_name: free_port(host)})
            taken.append(f"{port} → {getattr(settings, field_name)}")
    if taken:
        print(f"Ports déjà pris (un `make run` tourne ?) : ce shell démarre ses propres serveurs ({', '.join(taken)}).",
              flush=True)
    return settings


def running_model(rasa_url: str, timeout: float = 5) -> str | None:
    """The model a running bot answers with (its REST health route), or None when no bot of ours answers there."""
    try:
        with urllib.request.urlopen(rasa_url.rstrip("/") + "/webhooks/rest/health", timeout=timeout) as response:
            body = json.loads(response.read() or b"{}")
    except (OSError, ValueError):
        return None
    return str(body.get("model") or "modèle inconnu") if isinstance(body, dict) else None


def attach(settings: Settings, out=sys.stdout) -> int:
    """`make shell ATTACH=1`: talk to the bot `make run` already serves, on purpose and said so; start nothing."""
    model = running_model(settings.rasa_url)
    if model is None:
        print(f"ATTACH=1 : aucun bot ne répond sur {settings.rasa_url}. Lancez d'abord `make run`, "
              "ou `make shell` sans ATTACH (le shell démarre alors ses propres serveurs).", file=sys.stderr)
        return 1
    out.write(f"Connecté au bot déjà lancé sur {settings.rasa_url} (ATTACH=1), modèle {model} : ce shell ne "
              "démarre ni n'arrête aucun serveur ; ses journaux sont ceux de ce bot.\n")
    try:
        return converse(RestClient(settings.rasa_url), out=out)
    except KeyboardInterrupt:
        out.write("\n")
        return 0


def run(settings: Settings, attached: bool = False) -> int:
    """Start the action server and the Rasa server (no chat page), chat, then stop them whatever happens; with
    `attached`, talk to the already running bot instead (`attach`)."""
    from launch.stack import Stack

    with contextlib.suppress(ImportError):  # line editing and history for input(), where available
        import readline  # noqa: F401
    if attached:
        return attach(settings)
    settings = own_ports(settings)
    stack = Stack(settings, with_web=False, quiet=True)
    try:
        start_with_progress(stack)
        return converse(RestClient(settings.rasa_url))
    except KeyboardInterrupt:
        print("\nArrêt…", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"\nLe bot n'a pas pu démarrer : {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
