"""The supervision loop of launch/stack.py on small real processes: restart with backoff, hung servers
killed, give up after repeated fast failures, logs appended across restarts (never truncated)."""
from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass

import pytest

from launch import stack as stack_module
from launch.stack import GaveUp, Service, Stack, Supervisor
from tests.conftest import free_port

SERVE = """
import http.server, sys
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
print("serving", flush=True)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Ok).serve_forever()
"""


@dataclass
class SmallStack(Stack):
    """A Stack whose one server is `python -c <code> <port>`."""

    code: str = SERVE
    port: int = 0

    def service(self, name: str) -> Service:
        return Service([sys.executable, "-c", self.code, str(self.port)], f"http://127.0.0.1:{self.port}/", 20, name)

    def names(self) -> list[str]:
        return ["small"]

    def log_path(self, name: str):
        return stack_module.LOG_DIR / f"test-supervisor-{self.port}.log"


def _supervised(code: str = SERVE, **options) -> tuple[SmallStack, Supervisor, list[str]]:
    small = SmallStack(quiet=True, code=code, port=free_port())
    small.log_path("small").unlink(missing_ok=True)
    small.start()
    said: list[str] = []
    options = {"check_every": 0.2, "health_timeout": 1, "backoff_first": 0.2, **options}
    return small, Supervisor(small, say=said.append, **options), said


def _tick_until(supervisor: Supervisor, condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        supervisor.tick()
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_killed_server_is_restarted_and_its_log_kept():
    small, supervisor, said = _supervised()
    try:
        first = small.processes["small"].pid
        os.killpg(first, signal.SIGKILL)
        _tick_until(supervisor, lambda: supervisor.watches["small"].ready_at is not None
                    and small.processes["small"].pid != first)
        assert any("restarting it in" in line for line in said) and any("serving again" in line for line in said)
        time.sleep(0.3)
        assert small.log_path("small").read_text().count("serving") == 2  # appended, not truncated
    finally:
        small.stop()


def test_a_hung_server_is_killed_and_restarted():
    small, supervisor, said = _supervised(hung_after=2)
    try:
        first = small.processes["small"].pid
        os.kill(first, signal.SIGSTOP)
        _tick_until(supervisor, lambda: small.processes["small"].pid != first
                    and supervisor.watches["small"].ready_at is not None)
        assert any("not answering" in line for line in said)
    finally:
        small.stop()


def test_backoff_grows_then_the_supervisor_gives_up():
    crash_later = "import sys, time, pathlib; time.sleep(0.1); sys.exit(3)"
    small, supervisor, said = _supervised(give_up_after=3)
    small.code = crash_later  # the next starts crash at once
    try:
        os.killpg(small.processes["small"].pid, signal.SIGKILL)
        with pytest.raises(GaveUp, match="failed 4 times in a row"):
            _tick_until(supervisor, lambda: False, seconds=30)
        delays = [line.split("restarting it in ")[1].split(" s")[0] for line in said if "restarting it in" in line]
        assert delays == ["0", "0", "1"]  # 0.2 s, 0.4 s, 0.8 s, rounded
    finally:
        small.stop()


def test_a_log_is_rotated_past_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(stack_module, "LOG_MAX_BYTES", 2_000)
    writer = stack_module._log_writer(tmp_path / "x.log")
    reader, sink = os.pipe()
    with os.fdopen(sink, "wb") as out:
        out.write(b"".join(b"line %d\n" % i for i in range(1000)))
    with os.fdopen(reader, "rb") as stream:
        stack_module._pump(stream, writer)
    writer.close()
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["x.log", "x.log.1", "x.log.2", "x.log.3"]
    assert "line 999" in (tmp_path / "x.log").read_text()


def test_a_server_killed_again_after_serving_a_while_restarts_after_the_first_delay():
    """Killed, served `stable_after` seconds, killed again: no crash loop, so no longer delay (1 s, then 1 s again —
    2 s when killed again at once, as the test above shows the delays grow)."""
    small, supervisor, said = _supervised(backoff_first=1.0, stable_after=0.5)
    try:
        for _ in range(2):
            pid = small.processes["small"].pid
            os.killpg(pid, signal.SIGKILL)
            _tick_until(supervisor, lambda killed=pid: small.processes["small"].pid != killed
                        and supervisor.watches["small"].ready_at is not None)
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:  # serving past stable_after
                supervisor.tick()
                time.sleep(0.1)
        delays = [line.split("restarting it in ")[1].split(" s")[0] for line in said if "restarting it in" in line]
        assert delays == ["1", "1"], said
    finally:
        small.stop()

