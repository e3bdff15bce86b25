"""CPU of the Rasa process per message with Rasa's own SQL tracker store and in-memory lock store ("rasa") and
with the project's stores of endpoints.yml ("project"), measured in one run on the same model.

    PYTHONPATH=. .venv/bin/python scripts/measure_store_cpu.py [--messages 100] [--rounds 1]

Each configuration: a fresh Rasa server (no web page), 5 warm-up messages, then `--messages` sequential REST
messages in conversations of 20; the Rasa process's own CPU counters (psutil user + system) around them.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

import psutil

import launch.stack as stack_module
from common.settings import PROJECT_DIR, get_settings
from launch.stack import Stack
from tests.conftest import free_port
from tests.e2e.chat import Chat

RASA_STOCK_ENDPOINTS = """action_endpoint:
  url: ${ACTION_ENDPOINT_URL}
nlg:
  type: bot.nlg.JobsNaturalLanguageGenerator
tracker_store:
  type: SQL
  url: ${TRACKER_DB_URL}
"""
QUESTIONS = ["bonjour", "quelles competences pour le back office ?", "et les etudes ?", "quelles sont ses missions ?",
             "c'est quoi le middle office ?", "le rythme de travail ?", "merci"]
PER_CONVERSATION = 20


class PatientStack(Stack):
    """The launcher's stack, waiting longer for the model on a busy machine."""

    def service(self, name: str):
        return dataclasses.replace(super().service(name), ready_timeout=900)


def measure(name: str, endpoints: Path, messages: int, folder: Path) -> dict:
    settings = dataclasses.replace(get_settings(), rasa_port=free_port(), actions_port=free_port(),
                                   web_port=free_port(),
                                   tracker_db_url=f"sqlite:///{folder / f'{name}-{time.time_ns()}.sqlite3'}")
    stack_module.ENDPOINTS_FILE = endpoints
    stack = PatientStack(settings, with_web=False, quiet=True)
    try:
        stack.start()
        rasa = psutil.Process(stack.processes["rasa"].pid)
        warm = Chat(settings.rasa_url)
        for text in QUESTIONS[:5]:
            warm.say(text)
        before = rasa.cpu_times()
        start = time.perf_counter()
        latencies = []
        chat = None
        for number in range(messages):
            if number % PER_CONVERSATION == 0:
                chat = Chat(settings.rasa_url)
            sent = time.perf_counter()
            assert chat.say(QUESTIONS[number % PER_CONVERSATION % len(QUESTIONS)]), "empty answer"
            latencies.append(time.perf_counter() - sent)
        wall = time.perf_counter() - start
        after = rasa.cpu_times()
    finally:
        stack.stop()
    cpu = (after.user - before.user) + (after.system - before.system)
    return {"name": name, "cpu_ms_per_message": 1000 * cpu / messages, "wall_s": wall,
            "p50_ms": 1000 * statistics.median(latencies)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="store-cpu-"))
    stock = folder / "endpoints-rasa-stock.yml"
    stock.write_text(RASA_STOCK_ENDPOINTS, encoding="utf-8")
    project = PROJECT_DIR / "endpoints.yml"
    for _ in range(args.rounds):
        for name, endpoints in (("rasa", stock), ("project", project)):
            result = measure(name, endpoints, args.messages, folder)
            print(f"{result['name']:8s} Rasa CPU {result['cpu_ms_per_message']:5.1f} ms/message   "
                  f"p50 {result['p50_ms']:5.1f} ms   {args.messages} messages in {result['wall_s']:.1f} s", flush=True)


if __name__ == "__main__":
    main()
