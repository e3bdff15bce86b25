"""Starts and stops the whole bot: action server, Rasa server (REST + socket.io) and the chat page.

`python -m launch.stack run` is what `make run` calls; tests and the benchmark use `Stack` directly.
Every process gets its own process group, so one Ctrl-C (or `Stack.stop`) leaves nothing behind.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path

from common.ports import held_by
from common.private_files import keep_private
from common.rasa_environment import endpoints_environment
from common.settings import PROJECT_DIR, Settings, get_settings, with_internal_token

LOG_DIR = PROJECT_DIR / "var" / "logs"
RASA_LOGGING_CONFIG = PROJECT_DIR / "bot" / "logging.yml"  # Rasa's --logging-config-file: bot/log_privacy.py


ENDPOINTS_FILE = PROJECT_DIR / "endpoints.yml"  # the one endpoints file; its ${VAR} values: endpoints_environment()


def port_free(host: str, port: int) -> bool:
    """Whether nothing listens on host:port yet (a server already there would answer our readiness checks)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str) -> int:
    """A port nothing listens on (the system's choice)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


SERVICE_PORTS = {"actions": "actions_port", "rasa": "rasa_port", "web": "web_port"}


# Rasa's own default is 3,600 s: a request whose body never comes whole (shorter than its Content-Length) held its
# connection an hour, and enough of them would have left no file descriptor for students. A message is answered in
# well under a second; loading a model through the API takes ~11 s. Past this, the student gets the apology.
RESPONSE_TIMEOUT_S = 120


def rasa_api_arguments(settings: Settings) -> list[str]:
    """Rasa's HTTP API (model, tracker endpoints) stays off unless RASA_API_TOKEN is set; then it needs the token.
    The token itself stays in the environment: bot/rasa_server.py hands it to Rasa inside the process, so it is
    never on a command line (`ps` shows every account the command lines)."""
    return ["--enable-api"] if settings.rasa_api_token else []


def child_env(settings: Settings) -> dict[str, str]:
    """Every child's environment: all the settings and the endpoints file's variables (no secret on disk)."""
    env = dict(os.environ)
    env.update(settings.environment())  # every setting, so each child reads the settings this stack was built with
    env.update(endpoints_environment(settings))
    env.update({
        "PYTHONPATH": str(PROJECT_DIR),
        "TF_CPP_MIN_LOG_LEVEL": env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # Rasa 3.6's dependencies print dozens of deprecation warnings at start: noise for advisors and logs
        "PYTHONWARNINGS": env.get("PYTHONWARNINGS", "ignore"),
    })
    return env


def wait_http(url: str, process: subprocess.Popen, timeout: float, log: Path) -> float:
    """Wait until `url` answers 200; fail early if the process dies. Returns seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"process for {url} exited with code {process.returncode}; log {log}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s (log: {log})")


LOG_MAX_BYTES = 5 * 1024 * 1024  # one server's log is rotated past this size, keeping LOG_BACKUPS older files
LOG_BACKUPS = 3


def _log_writer(log: Path) -> RotatingFileHandler:
    """Appends lines to `log`, rotating it (log.1, log.2…): a restart never truncates the old logs."""
    writer = RotatingFileHandler(log, mode="a", maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    writer.setFormatter(logging.Formatter("%(message)s"))
    return writer


def _pump(stream, writer: RotatingFileHandler) -> None:
    """Copy a child's output to its log, line by line, until the child closes it."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        writer.handle(logging.LogRecord("child", logging.INFO, "", 0, line, None, None))
    stream.close()


@dataclass
class Service:
    """How to start one server and how to tell it is serving."""

    command: list[str]
    health_url: str
    ready_timeout: float
    announce: str


@dataclass
class Stack:
    """The running bot. Use as a context manager, or call start()/stop(); `Supervisor` keeps it running."""

    settings: Settings = field(default_factory=get_settings)
    model: str = str(PROJECT_DIR / "models")
    with_web: bool = True
    with_actions: bool = True
    quiet: bool = False
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ready_seconds: dict[str, float] = field(default_factory=dict)
    _writers: dict[str, RotatingFileHandler] = field(default_factory=dict, repr=False)

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def log_path(self, name: str) -> Path:
        return LOG_DIR / f"{name}-{self.settings.rasa_port}.log"

    def service(self, name: str) -> Service:
        s = self.settings
        if name == "actions":
            return Service([sys.executable, "-m", "launch.action_server", "--port", str(s.actions_port)],
                           f"http://{s.host}:{s.actions_port}/health", 60,
                           f">> starting the action server on {s.host}:{s.actions_port}")
        if name == "rasa":
            # bot.rasa_server = Rasa's own CLI with the project's fixes (docs/performance.md); the logging
            # configuration keeps student texts out of every log (bot/log_privacy.py)
            command = [sys.executable, "-m", "bot.rasa_server", "run", "--model", self.model,
                       "--endpoints", str(ENDPOINTS_FILE), "--credentials", str(PROJECT_DIR / "credentials.yml"),
                       "--interface", s.host, "--port", str(s.rasa_port), "--cors", *s.origins,
                       "--logging-config-file", str(RASA_LOGGING_CONFIG),
                       "--response-timeout", str(RESPONSE_TIMEOUT_S)]
            return Service(command + rasa_api_arguments(s), f"{s.rasa_url}/webhooks/rest/", 300,
                           f">> starting the Rasa server on {s.host}:{s.rasa_port} (loading the model takes ~11 s)")
        if name == "web":
            return Service([sys.executable, "-m", "launch.web_server", "--port", str(s.web_port)], s.web_url, 30,
                           f">> starting the chat page on {s.web_url}")
        raise KeyError(name)

    def names(self) -> list[str]:
        """The servers of this stack, in start order."""
        return (["actions"] if self.with_actions else []) + ["rasa"] + (["web"] if self.with_web else [])

    def spawn(self, name: str) -> tuple[subprocess.Popen, Path]:
        """Start one server without waiting for it; its output is appended to its (rotated) log."""
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = self.log_path(name)
        writer = self._writers.get(name) or self._writers.setdefault(name, _log_writer(log))
        process = subprocess.Popen(self.service(name).command, cwd=PROJECT_DIR, env=child_env(self.settings),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        threading.Thread(target=_pump, args=(process.stdout, writer), name=f"log-{name}", daemon=True).start()
        self.processes[name] = process
        return process, log

    def start_one(self, name: str) -> None:
        service = self.service(name)
        where = urllib.parse.urlsplit(service.health_url)
        if where.port is not None and not port_free(where.hostname or self.settings.host, where.port):
            # another server there would pass the readiness check and answer in our place
            setting = SERVICE_PORTS.get(name, "port").upper()
            raise RuntimeError(f"port {where.port} on {where.hostname} is already in use{held_by(where.port)} "
                               "(another `make run`?): "
                               f"stop it, or choose another port ({setting}=...)")
        self._say(service.announce)
        process, log = self.spawn(name)
        self.ready_seconds[name] = wait_http(service.health_url, process, service.ready_timeout, log)

    def start_actions(self) -> None:
        self.start_one("actions")

    def start_rasa(self) -> None:
        self.start_one("rasa")

    def start_web(self) -> None:
        self.start_one("web")

    def start(self) -> Stack:
        try:
            for name in self.names():
                self.start_one(name)
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, name: str) -> None:
        """SIGKILL a server's whole process group (a hung server ignores SIGTERM)."""
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_one(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop(self) -> None:
        for name in list(self.processes)[::-1]:
            self.stop_one(name)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


class GaveUp(RuntimeError):
    """A server failed too many times in a row: it needs a person."""


@dataclass
class _Watch:
    failures: int = 0  # fast failures in a row (reset once the server has served `stable_after` seconds)
    misses: int = 0  # failed health checks in a row
    started_at: float = 0.0
    ready_at: float | None = None
    restart_at: float | None = None


@dataclass
class Supervisor:
    """Keeps a started Stack serving: a server that exits or stops answering its health check is killed and
    restarted after a growing delay (1 s, 2 s, 4 s… up to `backoff_max`) while the others keep serving.
    After `give_up_after` failures in a row without `stable_after` seconds of service, `tick` raises GaveUp."""

    stack: Stack
    check_every: float = 2.0
    health_timeout: float = 5.0
    hung_after: int = 4
    backoff_first: float = 1.0
    backoff_max: float = 30.0
    # a server that served this long since its restart is no crash loop: killed again (by an operator, the OOM killer,
    # a chaos soak), it is restarted after the first delay, not a longer one
    stable_after: float = 30.0
    give_up_after: int = 5
    say: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))
    clock: Callable[[], float] = time.monotonic
    watches: dict[str, _Watch] = field(default_factory=dict)

    def __post_init__(self) -> None:
        now = self.clock()
        for name in self.stack.processes:
            self.watches[name] = _Watch(started_at=now, ready_at=now)

    def tick(self) -> None:
        """Check every server once; restart the ones due."""
        for name, watch in self.watches.items():
            now = self.clock()
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    watch.restart_at, watch.ready_at, watch.misses, watch.started_at = None, None, 0, now
                    self.stack.spawn(name)
                continue
            process = self.stack.processes.get(name)
            if process is None:  # stopped on purpose
                continue
            if process.poll() is not None:
                self._failed(name, watch, f"stopped (exit code {process.returncode})")
                continue
            service = self.stack.service(name)
            healthy = _answers(service.health_url, self.health_timeout)
            now = self.clock()
            if watch.ready_at is None:
                if healthy:
                    watch.ready_at = now
                    self.say(f">> {name} is serving again ({now - watch.started_at:.0f} s after its restart)")
                elif now - watch.started_at > service.ready_timeout:
                    self.stack.kill(name)
                    self._failed(name, watch, f"not ready after {service.ready_timeout:.0f} s")
                continue
            if healthy:
                watch.misses = 0
                if now - watch.ready_at >= self.stable_after:
                    watch.failures = 0
                continue
            watch.misses += 1
            if watch.misses >= self.hung_after:
                self.stack.kill(name)
                self._failed(name, watch, f"not answering ({watch.misses} health checks in a row)")

    def _failed(self, name: str, watch: _Watch, why: str) -> None:
        watch.failures += 1
        log = self.stack.log_path(name)
        if watch.failures > self.give_up_after:
            raise GaveUp(f"{name} {why}; it failed {watch.failures} times in a row, giving up (log: {log})")
        delay = min(self.backoff_first * 2 ** (watch.failures - 1), self.backoff_max)
        self.say(f">> {name} {why}: restarting it in {delay:.0f} s; the other servers keep serving (log: {log})")
        watch.restart_at = self.clock() + delay

    def run(self, stop: threading.Event | None = None) -> None:
        """Tick every `check_every` seconds until `stop` is set (or forever); raises GaveUp."""
        stop = stop or threading.Event()
        while not stop.is_set():
            self.tick()
            stop.wait(self.check_every)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def shell(settings: Settings, attached: bool = False) -> int:
    """The advisors' shell (launch/shell.py): a REST client; the action and Rasa servers start and stop with it,
    unless `attached` to the bot already running (`make shell ATTACH=1`)."""
    from launch.shell import run

    return run(settings, attached)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the chatbot: actions, Rasa and the chat page.")
    parser.add_argument("command", choices=["run", "shell", "endpoints"])
    parser.add_argument("--attach", action="store_true", help="shell: talk to the bot already running, start nothing")
    args = parser.parse_args(argv)
    settings = get_settings()
    keep_private()  # var/ (conversations, logs) private; the servers inherit the umask
    if args.command == "endpoints":
        print(ENDPOINTS_FILE)
        return 0
    # Ctrl-C, `kill` and a closed terminal all stop every server (even when started in the background,
    # where SIGINT would otherwise be ignored).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    if args.command == "shell":
        return shell(settings, args.attach)
    settings = with_internal_token(settings)  # Rasa's API on, behind a token: the console pushes advisors' answers
    stack = Stack(settings)
    try:
        stack.start()
        took = ", ".join(f"{name} {secs:.0f} s" for name, secs in stack.ready_seconds.items())
        print(f"\nReady ({took}).\n\n    Chat page:  {settings.web_url}\n"
              f"    REST API:   {settings.rasa_url}/webhooks/rest/webhook\n"
              f"\nLogs in var/logs/. A server that crashes or hangs is restarted. Press Ctrl-C to stop everything.",
              flush=True)
        Supervisor(stack).run()
        return 0
    except GaveUp as error:
        print(f"{error}. Stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start the bot: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
