"""Starts and stops the whole bot: action server, Rasa server (REST + socket.io) and the chat page.

`python -m launch.stack run` is what `make run` calls; tests and the benchmark use `Stack` directly.
Every process gets its own process group, so one Ctrl-C (or `Stack.stop`) leaves nothing behind.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine.url import make_url

from common.settings import PROJECT_DIR, Settings, get_settings

LOG_DIR = PROJECT_DIR / "var" / "logs"
NLG_CLASS = "bot.nlg.JobsNaturalLanguageGenerator"  # fills {known_jobs} / {jobs_count} (bot/nlg.py)


def endpoints_yaml(settings: Settings) -> str:
    """Rasa's endpoints for these settings: the action server, the response generator, the SQL tracker store."""
    url = make_url(settings.tracker_db_url)
    lines = ["action_endpoint:", f"  url: {settings.actions_url}", "nlg:", f"  type: {NLG_CLASS}",
             "tracker_store:", "  type: SQL", f"  dialect: {url.drivername}", f"  db: {url.database}"]
    if url.drivername.startswith("sqlite"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        lines += [f"  url: {url.host or 'localhost'}", f"  port: {url.port or 5432}",
                  f"  username: {url.username or ''}", f"  password: {url.password or ''}"]
    return "\n".join(lines) + "\n"


def write_endpoints(settings: Settings, target: Path | None = None) -> Path:
    target = target or PROJECT_DIR / "var" / f"endpoints-{settings.rasa_port}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(endpoints_yaml(settings), encoding="utf-8")
    return target


def rasa_api_arguments(settings: Settings) -> list[str]:
    """Rasa's HTTP API (model, tracker endpoints) stays off unless RASA_API_TOKEN is set; then it needs the token."""
    if not settings.rasa_api_token:
        return []
    return ["--enable-api", "--auth-token", settings.rasa_api_token]


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(PROJECT_DIR),
        "TF_CPP_MIN_LOG_LEVEL": env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # Rasa 3.6's dependencies print dozens of deprecation warnings at start: noise for advisors and logs
        "PYTHONWARNINGS": env.get("PYTHONWARNINGS", "ignore"),
        "RASA_PORT": str(settings.rasa_port),
        "ACTIONS_PORT": str(settings.actions_port),
        "WEB_PORT": str(settings.web_port),
        "BOT_HOST": settings.host,
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


@dataclass
class Stack:
    """The running bot. Use as a context manager, or call start()/stop()."""

    settings: Settings = field(default_factory=get_settings)
    model: str = str(PROJECT_DIR / "models")
    with_web: bool = True
    with_actions: bool = True
    quiet: bool = False
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ready_seconds: dict[str, float] = field(default_factory=dict)

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def _spawn(self, name: str, command: list[str]) -> tuple[subprocess.Popen, Path]:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = LOG_DIR / f"{name}-{self.settings.rasa_port}.log"
        handle = open(log, "w")
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=child_env(self.settings), stdout=handle,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process, log

    def start_actions(self) -> None:
        s = self.settings
        self._say(f">> starting the action server on {s.host}:{s.actions_port}")
        process, log = self._spawn("actions", [sys.executable, "-m", "launch.action_server", "--port", str(s.actions_port)])
        self.ready_seconds["actions"] = wait_http(f"http://{s.host}:{s.actions_port}/health", process, 60, log)

    def start_rasa(self) -> None:
        s = self.settings
        self._say(f">> starting the Rasa server on {s.host}:{s.rasa_port} (loading the model takes ~30 s)")
        # bot.rasa_server = Rasa's own CLI with the action-result validator built once (docs/performance.md)
        command = [sys.executable, "-m", "bot.rasa_server", "run", "--model", self.model, "--endpoints", str(write_endpoints(s)),
                   "--credentials", str(PROJECT_DIR / "credentials.yml"), "--interface", s.host,
                   "--port", str(s.rasa_port), "--cors", s.web_url.rstrip("/")]
        command += rasa_api_arguments(s)
        process, log = self._spawn("rasa", command)
        self.ready_seconds["rasa"] = wait_http(f"{s.rasa_url}/webhooks/rest/", process, 180, log)

    def start_web(self) -> None:
        s = self.settings
        self._say(f">> starting the chat page on {s.web_url}")
        process, log = self._spawn("web", [sys.executable, "-m", "launch.web_server", "--port", str(s.web_port)])
        self.ready_seconds["web"] = wait_http(s.web_url, process, 30, log)

    def start(self) -> "Stack":
        try:
            if self.with_actions:
                self.start_actions()
            self.start_rasa()
            if self.with_web:
                self.start_web()
        except BaseException:
            self.stop()
            raise
        return self

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

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def shell(settings: Settings) -> int:
    """`rasa shell` in this terminal, with the action server started before and stopped after."""
    stack = Stack(settings)
    try:
        stack.start_actions()
        print(">> loading the model for `rasa shell` (~30 s); type /stop to quit", flush=True)
        return subprocess.call([sys.executable, "-m", "bot.rasa_server", "shell", "--model", stack.model, "--endpoints",
                                str(write_endpoints(settings)), "--interface", settings.host,
                                "--port", str(settings.rasa_port)],
                               cwd=PROJECT_DIR, env=child_env(settings))
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start the action server: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the chatbot: actions, Rasa and the chat page.")
    parser.add_argument("command", choices=["run", "shell", "endpoints"])
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.command == "endpoints":
        print(write_endpoints(settings))
        return 0
    # Ctrl-C, `kill` and a closed terminal all stop every server (even when started in the background,
    # where SIGINT would otherwise be ignored).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    if args.command == "shell":
        return shell(settings)
    stack = Stack(settings)
    try:
        stack.start()
        took = ", ".join(f"{name} {secs:.0f} s" for name, secs in stack.ready_seconds.items())
        print(f"\nReady ({took}).\n\n    Chat page:  {settings.web_url}\n    REST API:   {settings.rasa_url}/webhooks/rest/webhook\n"
              f"\nLogs in var/logs/. Press Ctrl-C to stop everything.", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        dead = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"A server stopped unexpectedly: {', '.join(dead)} (see var/logs/). Stopping the others.", file=sys.stderr)
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
