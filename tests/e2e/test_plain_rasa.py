"""Rasa's own commands typed in the project folder, as a Rasa developer or an advisor would (issue 26).

`source .venv/bin/activate`, then `rasa run actions`, `rasa shell`, `rasa interactive`, `rasa run`, `rasa test`,
`rasa data validate`: no variable exported by hand and no PYTHONPATH. What makes them work is what a fresh
clone's `make install` sets up: the project installed in the venv (`pip install -e .`) and the start-up line
of common/rasa_environment.py. The shells run in a real terminal (a pty) that answers the cursor-position
queries as a terminal emulator does.
"""
from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.rasa_environment import QUIET
from common.settings import ENVIRONMENT_NAMES, PROJECT_DIR
from tests.conftest import free_port

VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")
PROMPT = b"Your input ->"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")
ENDPOINTS_VARIABLES = ("ACTION_ENDPOINT_URL", "LOCK_STORE_TYPE")


def activated_environment(**settings: str) -> dict[str, str]:
    """What `source .venv/bin/activate` gives in a fresh terminal, plus the settings a person chose (.env.example)."""
    dropped = {"PYTHONPATH", "PYTHONWARNINGS", *ENDPOINTS_VARIABLES, *QUIET, *ENVIRONMENT_NAMES.values()}
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env.update(VIRTUAL_ENV=str(VENV_BIN.parent), PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
               TERM="xterm", COLUMNS="100", LINES="40", **settings)
    return env


class Terminal:
    """A command in a pty; answers the terminal queries prompt_toolkit sends (cursor position)."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.controller, terminal = pty.openpty()
        self.process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdin=terminal, stdout=terminal,
                                        stderr=terminal, start_new_session=True)
        os.close(terminal)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float, start: int | None = None) -> bool:
        start = len(self.output) if start is None else start
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output[start:]:
                return True
            ready, _, _ = select.select([self.controller], [], [], 0.5)
            if not ready:
                if self.process.poll() is not None:
                    return False
                continue
            try:
                chunk = os.read(self.controller, 65536)
            except OSError:
                return False
            self.output += chunk
            if b"\x1b[6n" in chunk:  # "where is the cursor?": a terminal answers
                os.write(self.controller, b"\x1b[1;1R")
        return needle in self.output[start:]

    def text(self, start: int = 0) -> str:
        return ANSI.sub(b"", self.output[start:]).decode("utf-8", "replace")

    def type(self, line: str) -> int:
        mark = len(self.output)
        os.write(self.controller, line.encode("utf-8") + b"\r")
        return mark

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        os.close(self.controller)


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answers at {url} after {timeout:.0f} s")


@pytest.fixture(scope="module")
def settings(kb_url, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("plain_rasa")
    return {"KNOWLEDGE_DB_URL": kb_url, "TRACKER_DB_URL": f"sqlite:///{folder / 'conversations.sqlite3'}",
            "ACTIONS_PORT": str(free_port())}


@pytest.fixture(scope="module")
def rasa_run_actions(settings) -> Iterator[subprocess.Popen[bytes]]:
    """`rasa run actions -p <port>` in the project folder."""
    env = activated_environment(**settings)
    process = subprocess.Popen([RASA, "run", "actions", "-p", settings["ACTIONS_PORT"]], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{settings['ACTIONS_PORT']}/health", 120)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode("utf-8", "replace")
        assert "Traceback" not in output, output[-3000:]


def test_rasa_shell_answers_a_question(settings, rasa_run_actions):
    shell = Terminal([RASA, "shell", "-p", str(free_port())], activated_environment(**settings))
    try:
        started = time.monotonic()
        assert shell.read_until(PROMPT, 300, start=0), shell.text()[-3000:]
        before_prompt = shell.text()
        seconds = time.monotonic() - started
        for noise in ("Warning", "warning", "INFO", "Traceback", "RasaException"):
            assert noise not in before_prompt, f"{noise!r} before the first prompt:\n{before_prompt}"

        mark = shell.type("quelles compétences pour le back office ?")
        assert shell.read_until(b"applicatifs", 60, start=mark), shell.text(mark)[-3000:]
        answer = shell.text(mark)
        assert "Traceback" not in answer and "warning" not in answer.lower(), answer
        # Rasa's own menu of the answer's buttons: up from the first goes to "Type out your own message..."
        assert shell.read_until(b"Type out your own message", 10, start=mark), shell.text(mark)[-3000:]
        menu = len(shell.output)
        os.write(shell.controller, b"\x1b[A\r")
        assert shell.read_until(PROMPT, 30, start=menu), shell.text(menu)[-3000:]
        shell.type("/stop")
        assert shell.process.wait(timeout=60) == 0
    finally:
        shell.stop()
    # the conversation went to the tracker store of endpoints.yml (the settings' database)
    with sqlite3.connect(settings["TRACKER_DB_URL"].removeprefix("sqlite:///")) as db:
        texts = [json.loads(row[0]).get("text") for row in db.execute("SELECT data FROM events WHERE type_name='user'")]
    assert "quelles compétences pour le back office ?" in texts
    print(f"rasa shell: first prompt after {seconds:.0f} s")


def test_rasa_interactive_starts_and_stops(settings, rasa_run_actions):
    interactive = Terminal([RASA, "interactive", "--model", "models", "--skip-visualization", "-p",
                            str(free_port())], activated_environment(**settings))
    try:
        assert interactive.read_until(PROMPT, 300, start=0), interactive.text()[-3000:]
        before_prompt = interactive.text()
        assert "Traceback" not in before_prompt and "warning" not in before_prompt.lower(), before_prompt
        # Rasa's interactive learning asks to confirm what the model understood
        mark = interactive.type("quelles études pour le back office ?")
        assert interactive.read_until(b"correct", 60, start=mark), interactive.text(mark)[-3000:]
        assert "Is the intent 'ask_studies' correct" in interactive.text(mark), interactive.text(mark)
    finally:
        interactive.stop()
    assert interactive.process.returncode is not None


def test_rasa_run_serves_the_rest_channel(settings, rasa_run_actions):
    port = free_port()
    env = activated_environment(**settings)
    process = subprocess.Popen([RASA, "run", "-p", str(port), "-i", "127.0.0.1"], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/", 300)
        body = json.dumps({"sender": "plain-rasa-run", "message": "quelles études pour le middle office ?"})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body.encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            replies = json.loads(response.read())
        assert any("Master" in reply.get("text", "") for reply in replies), replies
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert "Traceback" not in output and "RasaException" not in output, output[-3000:]


def test_rasa_test_and_rasa_data_validate(tmp_path, settings):
    env = activated_environment(**settings)
    validate = subprocess.run([RASA, "data", "validate", "--data", "data", "tests/validation", "--fail-on-warnings"],
                              cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert validate.returncode == 0, (validate.stdout + validate.stderr)[-3000:]
    tested = subprocess.run([RASA, "test", "core", "--stories", "tests/test_stories.yml", "--out", str(tmp_path),
                             "--fail-on-prediction-errors"], cwd=PROJECT_DIR, env=env, capture_output=True,
                            text=True, timeout=600)
    output = tested.stdout + tested.stderr
    assert tested.returncode == 0, output[-3000:]
    assert "DeprecationWarning" not in output, output[-3000:]
    assert (tmp_path / "story_report.json").exists()
