"""`make shell` (python -m launch.stack shell): rasa shell in a real terminal (a pty) answers with sheet facts,
and stopping it stops the action server it started."""
from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import psutil

from common.settings import PROJECT_DIR
from tests.conftest import free_port


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


def test_shell_answers_in_a_terminal_and_cleans_up(kb_url, tmp_path):
    actions_port = free_port()
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR), KNOWLEDGE_DB_URL=kb_url, RASA_PORT=str(free_port()),
               ACTIONS_PORT=str(actions_port), TRACKER_DB_URL=f"sqlite:///{tmp_path / 'shell.sqlite3'}",
               TERM="xterm", COLUMNS="120", LINES="40")
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "launch.stack", "shell"], cwd=PROJECT_DIR, env=env,
                               stdin=terminal, stdout=terminal, stderr=terminal, start_new_session=True)
    os.close(terminal)
    try:
        started = _read_until(controller, b"Your input", 180)
        assert b"Your input" in started, started[-2000:]
        os.write(controller, b"quelles competences pour le back office ?\r")
        answer = _read_until(controller, b"Source", 60)
        assert "applicatifs de gestion".encode() in answer, answer[-2000:]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        os.close(controller)
    time.sleep(1)
    listening = [c for c in psutil.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN
                 and c.laddr.port == actions_port]
    assert not listening, "the action server started by the shell is still running"
