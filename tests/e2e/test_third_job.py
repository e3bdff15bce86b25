"""Jobs are data, tests included (issue 23, item 2): a fictional third job added to a copy of the project as an
operator would (docs/operators.md, "Add a job"): its sheet and data file, `make kb nlu validate train`, then the
project's whole unit suite and a REST conversation with the copy's own stack — no code changed anywhere.

The copy holds the project's tracked files (timestamps kept, so make sees nothing to install) beside this project's
virtual environment; it trains its own model and builds its own knowledge base.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from common.settings import PROJECT_DIR
from tests.conftest import free_port
from tests.knowledge.test_builder import THIRD_JOB, THIRD_SHEET

# variables of the test session (the stack fixture's ports and databases) that must not leak into the copy
LEAKING = ("KNOWLEDGE_DB_URL", "KNOWLEDGE_DIR", "TRACKER_DB_URL", "RASA_PORT", "ACTIONS_PORT", "WEB_PORT",
           "CONSOLE_PORT", "RASA_API_TOKEN", "ALLOWED_ORIGINS", "PYTHONWARNINGS", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")


def _tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True)
    return [name for name in listed.stdout.decode("utf-8").split("\0") if name]


def _copy_project(target: Path) -> None:
    for name in _tracked_files():
        source = PROJECT_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)  # mtimes kept: make's install stamp stays newer than requirements
    (target / ".venv").symlink_to(PROJECT_DIR / ".venv")
    if (PROJECT_DIR / "node_modules").is_dir():  # the chat page's scripts, read only (no npm runs in the copy)
        (target / "node_modules").symlink_to(PROJECT_DIR / "node_modules")


def _add_the_third_job(project: Path) -> None:
    """What the guide tells an operator: the sheet, the data file, and older examples that named the new job as
    another job (`[conseiller en patrimoine](other_job)`) taken out of the out-of-scope data."""
    (project / "knowledge" / "sheets" / "conseiller-patrimoine.txt").write_text(THIRD_SHEET, encoding="utf-8")
    (project / "knowledge" / "jobs" / "patrimoine.yml").write_text(THIRD_JOB, encoding="utf-8")
    names = ("patrimoine", "cgp")
    for path in (project / "data" / "nlu").glob("*.yml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines
                if not any(m.group(1).lower().find(n) >= 0 for m in re.finditer(r"\[([^\]]+)\]\(other_job\)", line)
                           for n in names)]
        if kept != lines:
            path.write_text("".join(kept), encoding="utf-8")


def _env(project: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKING}
    return {**env, "PYTHONPATH": str(project), **extra}


def _run(command: list[str], project: Path, timeout: float, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=project, env=_env(project, **extra), capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def project_with_a_third_job(tmp_path_factory) -> Path:
    if not (PROJECT_DIR / ".venv" / "bin" / "python").exists():
        pytest.fail("no .venv: run `make test` (it installs what is missing)")
    project = tmp_path_factory.mktemp("third-job") / "project"
    _copy_project(project)
    _add_the_third_job(project)
    for target in ("kb", "nlu", "validate", "train"):
        done = _run(["make", "--no-print-directory", target], project, 900)
        assert done.returncode == 0, f"make {target} failed in the copy:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "patrimoine" in (project / "data" / "nlu" / "jobs_generated.yml").read_text(encoding="utf-8")
    return project


def test_the_whole_unit_suite_passes_with_a_third_job(project_with_a_third_job):
    project = project_with_a_third_job
    done = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/knowledge", "tests/actions",
                 "tests/bot", "tests/ops"], project, 1500)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]
    failures = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert done.returncode == 0, f"{summary}\n" + "\n".join(failures[:30])
    assert re.search(r"\d+ passed", summary) and "failed" not in summary and "error" not in summary, summary
    print(f"unit suite with a third job: {summary}")


def _say(url: str, sender: str, text: str) -> str:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return " ".join(m.get("text") or "" for m in json.loads(response.read() or b"[]"))


def test_a_rest_conversation_with_the_third_job(project_with_a_third_job, tmp_path):
    project = project_with_a_third_job
    ports = {"RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()), "WEB_PORT": str(free_port())}
    env = _env(project, TRACKER_DB_URL=f"sqlite:///{tmp_path / 'conversations.sqlite3'}", BOT_HOST="127.0.0.1",
               **ports)
    stack = subprocess.Popen([sys.executable, "-m", "launch.stack", "run"], cwd=project, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{ports['RASA_PORT']}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and stack.poll() is None:
            try:
                with urllib.request.urlopen(f"{url}/webhooks/rest/health", timeout=2) as response:
                    if json.loads(response.read()).get("model"):
                        break
            except OSError:
                pass
            time.sleep(1)
        assert stack.poll() is None, "the copy's stack stopped:\n" + (stack.stdout.read() if stack.stdout else "")
        sender = "third-job-test"
        definition = _say(url, sender, "c'est quoi un conseiller en gestion de patrimoine ?")
        assert "organiser leurs placements" in definition, definition
        missions = _say(url, sender, "et ses missions ?")
        assert "Analyser la situation financière des clients" in missions, missions
        assert "Proposer des placements adaptés" in missions, missions
        qualities = _say(url, sender, "quelles qualités pour être cgp ?")
        assert "Écoute et discrétion" in qualities, qualities
        silent = _say(url, sender, "et les études pour devenir cgp ?")
        assert "Oui" not in silent and "patrimoine" in silent.lower(), silent
        assert any(w in silent for w in ("pas d'information", "n'en parle pas", "ne donne pas")), silent
        back = _say(url, sender, "quelles sont les missions du back office ?")
        assert "réclamations" in back, back
        scope = _say(url, "third-job-scope", "tu connais quels métiers ?")
        assert "trois" in scope and "patrimoine" in scope.lower(), scope
    finally:
        if stack.poll() is None:
            os.killpg(stack.pid, signal.SIGTERM)
            stack.wait(timeout=60)
