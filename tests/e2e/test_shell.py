"""`make shell` (python -m launch.stack shell): the advisors' shell in a real terminal (a pty), against the real
action server and Rasa server it starts; stopping it stops them. Plus its rendering, without servers."""
from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time

import psutil
import pytest

from common.settings import PROJECT_DIR
from launch.shell import Reply, converse, message_for, parse_reply, render
from tests.conftest import free_port

PROMPT = b"vous> "
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    output, deadline = b"", time.monotonic() + timeout
    while needle not in output and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                output += os.read(fd, 65536)
            except OSError:
                break
    return output


def _ask(fd: int, text: str, timeout: float = 60) -> str:
    os.write(fd, text.encode("utf-8") + b"\r")
    output = _read_until(fd, b"\n" + PROMPT, timeout)
    assert output.endswith(PROMPT), output[-2000:]
    return ANSI.sub(b"", output).decode("utf-8", "replace")


def _button_number(screen: str, title_word: str) -> int:
    numbers = [int(n) for n, title in re.findall(r"^\s+(\d+)\. (.+)$", screen, re.M) if title_word in title.lower()]
    assert numbers, f"no suggestion with {title_word!r} in:\n{screen}"
    return numbers[0]


def _listening(port: int) -> bool:
    return any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in psutil.net_connections(kind="inet"))


@pytest.fixture()
def shell_terminal(kb_url, tmp_path):
    """The shell started in a pty of 72 columns; yields (fd, process, ports)."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port()}
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR), KNOWLEDGE_DB_URL=kb_url, TERM="xterm", COLUMNS="72", LINES="40",
               TRACKER_DB_URL=f"sqlite:///{tmp_path / 'shell.sqlite3'}", **{k: str(v) for k, v in ports.items()})
    env.pop("PYTHONWARNINGS", None)
    controller, terminal = pty.openpty()
    # its own session with the pty as controlling terminal: Ctrl-C typed there sends SIGINT, as for a person
    process = subprocess.Popen([sys.executable, "-m", "launch.stack", "shell"], cwd=PROJECT_DIR, env=env,
                               stdin=terminal, stdout=terminal, stderr=terminal, start_new_session=True,
                               preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
    os.close(terminal)
    try:
        yield controller, process, ports
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        os.close(controller)


def test_shell_typed_questions_numbered_suggestions_and_stop(shell_terminal):
    fd, process, ports = shell_terminal
    started = time.monotonic()
    before_prompt = _read_until(fd, PROMPT, 600)
    assert before_prompt.endswith(PROMPT), before_prompt[-2000:]
    first_prompt_s = time.monotonic() - started
    text = ANSI.sub(b"", before_prompt).decode("utf-8", "replace")
    for noise in ("Warning", "warning", "INFO", "DEBUG", "Traceback", "telemetry"):
        assert noise not in text, f"{noise!r} before the first prompt:\n{text}"
    assert "Bot prêt en" in text and "Démarrage du bot" in text, text

    skills = _ask(fd, "quelles competences pour le back office ?")
    assert "applicatifs de gestion" in " ".join(skills.split()), skills  # wrapped: compare words
    assert "/ask_" not in skills, "raw payloads shown:\n" + skills
    assert max(len(line) for line in skills.splitlines()) <= 72, "a line longer than the terminal:\n" + skills
    assert _button_number(skills, "qualit") == 1

    # A typed question after a menu is the question, never the first button (`rasa shell` sent the qualities)
    typed = _ask(fd, "quelles missions pour le bo ?")
    words = " ".join(typed.split())
    assert "Traiter les réclamations clients" in words and "Rigueur" not in words, typed
    # A number sends that suggestion's payload: the studies button of the missions answer
    pressed = " ".join(_ask(fd, str(_button_number(typed, "tudes"))).split())
    assert "STMG" in pressed and "back-office" in pressed, pressed

    os.write(fd, b"/stop\r")
    assert process.wait(timeout=30) == 0
    time.sleep(0.5)
    assert not _listening(ports["ACTIONS_PORT"]) and not _listening(ports["RASA_PORT"]), "a server is still running"
    print(f"first prompt after {first_prompt_s:.0f} s")


def test_shell_ctrl_c_at_the_prompt_stops_everything(shell_terminal):
    fd, process, ports = shell_terminal
    assert _read_until(fd, PROMPT, 600).endswith(PROMPT)
    os.write(fd, b"\x03")  # Ctrl-C typed in the terminal
    assert process.wait(timeout=30) == 0
    rest = ANSI.sub(b"", _read_until(fd, b"\0", 1)).decode("utf-8", "replace")
    assert "Traceback" not in rest and "Error" not in rest, rest
    time.sleep(0.5)
    assert not _listening(ports["ACTIONS_PORT"]) and not _listening(ports["RASA_PORT"]), "a server is still running"


def test_numbers_send_the_payload_and_text_is_the_question():
    buttons = [("Les études", '/ask_studies{"job": "back-office"}'), ("Et pour le middle-office", "/inform_job")]
    assert message_for("1", buttons) == '/ask_studies{"job": "back-office"}'
    assert message_for(" 2 ", buttons) == "/inform_job"
    assert message_for("3", buttons) == "3"  # not a shown suggestion: sent as typed
    assert message_for("quelles etudes pour le bo ?", buttons) == "quelles etudes pour le bo ?"
    assert message_for("1", []) == "1"


def test_render_wraps_and_hides_payloads():
    long_text = "Les compétences : " + "gestion des applicatifs " * 8 + "\n- une compétence longue " * 3
    reply = parse_reply([{"text": long_text,
                          "buttons": [{"title": "Les études", "payload": '/ask_studies{"job": "back-office"}'}]}])
    screen = render(reply, 40)
    assert all(len(line) <= 40 for line in screen.splitlines()), screen
    assert "1. Les études" in screen and "/ask_studies" not in screen
    assert render(Reply([], []), 40) == "bot> (pas de réponse)"


def test_converse_sends_typed_text_then_payloads_and_ends_on_ctrl_d_or_stop():
    class FakeClient:
        sent: list[str] = []

        def send(self, text):
            self.sent.append(text)
            return Reply(["réponse"], [("Les études", '/ask_studies{"job": "back-office"}')])

    for last in (EOFError, "/stop"):
        typed = iter(["quelles qualites pour le bo ?", "", "1", "quelles etudes ?", last])

        def read(prompt, typed=typed):
            value = next(typed)
            if value is EOFError:
                raise EOFError
            return value

        client, out = FakeClient(), io.StringIO()
        client.sent = []
        assert converse(client, read, out) == 0
        studies = '/ask_studies{"job": "back-office"}'
        assert client.sent == ["quelles qualites pour le bo ?", studies, "quelles etudes ?"]
        assert out.getvalue().count("1. Les études") == 3


def _shell_attached(rasa_port: int, typed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR), RASA_PORT=str(rasa_port), COLUMNS="100")
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-m", "launch.stack", "shell", "--attach"], cwd=PROJECT_DIR, env=env,
                          input=typed, capture_output=True, text=True, timeout=120)


def test_shell_attach_talks_to_the_running_bot_says_so_and_leaves_it_running(stack):
    """`make shell ATTACH=1`: the running stack on purpose, named with its model; nothing started nor stopped."""
    port = stack.settings.rasa_port
    started = time.time()
    done = _shell_attached(port, "quelles competences pour le back office ?\n/stop\n")
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert f"Connecté au bot déjà lancé sur {stack.settings.rasa_url}" in said and ".tar.gz" in said, said
    assert "applicatifs de gestion" in said, said
    assert "Démarrage du bot" not in said, "an attached shell started servers of its own"
    spawned = [p.info for p in psutil.process_iter(["pid", "create_time", "cmdline"])
               if (p.info["create_time"] or 0) >= started and "launch" in " ".join(p.info["cmdline"] or [])]
    assert spawned == [], f"an attached shell left servers behind: {spawned}"
    assert all(process.poll() is None for process in stack.processes.values()), "the attached shell stopped the bot"


def test_shell_attach_with_no_bot_running_refuses_clearly():
    done = _shell_attached(free_port(), "bonjour\n")
    assert done.returncode == 1
    assert "aucun bot ne répond" in done.stderr and "make run" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
