"""What an NLU pipeline costs and what it gets right: training time, CPU per message and per component,
held-out scores. Used to choose config.yml's pipeline (docs/performance.md, "NLU pipeline").

    python -m ops.nlu_cost CONFIG.yml [CONFIG.yml ...] [--out results/nlu-cost]

For each config: trains an NLU-only model (wall and CPU seconds of the training process), runs
`rasa test nlu` on the held-out sets (tests/nlu/), then loads the model in this process and parses every
held-out message, timing each graph component with the process's own CPU clock. Prints one table row per
config and writes results/nlu-cost/<config>.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

from common.settings import PROJECT_DIR

RASA = [sys.executable, "-m", "bot.rasa_server"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def train(config: Path, out: Path) -> dict:
    """Train an NLU-only model from the project's data; returns its path and the training's wall/CPU seconds."""
    out.mkdir(parents=True, exist_ok=True)
    name = config.stem
    cpu, wall = _children_cpu(), time.perf_counter()
    subprocess.run([*RASA, "train", "nlu", "--config", str(config), "--nlu", "data/nlu", "--out", str(out),
                    "--fixed-model-name", name], cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return {"model": str(out / f"{name}.tar.gz"), "train_wall_s": round(time.perf_counter() - wall, 1),
            "train_cpu_s": round(_children_cpu() - cpu, 1)}


def held_out_scores(model: str, out: Path) -> dict:
    """`rasa test nlu` on tests/nlu/: intent macro-F1 and the `job` entity F1 (best extractor)."""
    subprocess.run([*RASA, "test", "nlu", "--nlu", "tests/nlu", "--model", model, "--out", str(out)],
                   cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    intents = json.loads((out / "intent_report.json").read_text())
    job_f1 = 0.0
    for report in out.glob("*Extractor_report.json"):
        job_f1 = max(job_f1, json.loads(report.read_text()).get("job", {}).get("f1-score", 0.0))
    for report in out.glob("*Classifier_report.json"):
        job_f1 = max(job_f1, json.loads(report.read_text()).get("job", {}).get("f1-score", 0.0))
    return {"intent_macro_f1": round(intents["macro avg"]["f1-score"], 3), "intent_accuracy":
            round(intents["accuracy"], 3), "job_f1": round(job_f1, 3)}


def held_out_messages() -> list[str]:
    texts = []
    for path in sorted((PROJECT_DIR / "tests" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    # drop entity annotations: [texte](entity) -> texte
                    texts.append(re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", r"\1\2", line[2:]))
    return texts


def component_cost(model: str, messages: list[str], rounds: int = 2) -> dict:
    """Load the model here, parse every message `rounds` times; CPU ms per message in total and per node.

    Timing wraps rasa.engine.graph.GraphNode.__call__ in this measuring process only.
    """
    from rasa.core.agent import Agent
    from rasa.engine.graph import GraphNode

    start = time.perf_counter()
    agent = Agent.load(model)
    load_s = time.perf_counter() - start
    spent: dict[str, float] = defaultdict(float)
    original = GraphNode.__call__

    def timed(self, *inputs):
        begin = time.process_time()
        try:
            return original(self, *inputs)
        finally:
            spent[self._node_name] += time.process_time() - begin

    loop = asyncio.new_event_loop()
    for text in messages[:20]:  # warm-up
        loop.run_until_complete(agent.parse_message(text))
    GraphNode.__call__ = timed
    try:
        begin, wall = time.process_time(), time.perf_counter()
        for _ in range(rounds):
            for text in messages:
                loop.run_until_complete(agent.parse_message(text))
        total_cpu, total_wall = time.process_time() - begin, time.perf_counter() - wall
    finally:
        GraphNode.__call__ = original
    count = rounds * len(messages)
    nodes = {name.replace("run_", ""): round(secs * 1000 / count, 2) for name, secs in
             sorted(spent.items(), key=lambda item: -item[1]) if secs * 1000 / count >= 0.01}
    return {"load_s": round(load_s, 1), "cpu_ms_per_message": round(total_cpu * 1000 / count, 2),
            "wall_ms_per_message": round(total_wall * 1000 / count, 2), "per_component_cpu_ms": nodes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "results" / "nlu-cost")
    parser.add_argument("--model", help="measure this trained model instead of training (one config)")
    parser.add_argument("--cost-only", action="store_true", help="skip training and scoring (needs --model)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    messages = held_out_messages()
    rows = []
    for config in args.configs:
        name = config.stem
        print(f">> {name}", flush=True)
        row: dict = {"config": name}
        row.update({"model": args.model} if args.model else train(config, args.out / "models"))
        if not args.cost_only:
            row.update(held_out_scores(row["model"], args.out / name))
        row.update(component_cost(row["model"], messages))
        (args.out / f"{name}.json").write_text(json.dumps(row, indent=2), encoding="utf-8")
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'config':32s} {'train s (cpu)':>14s} {'intent F1':>9s} {'job F1':>7s} {'CPU ms/msg':>10s} "
          f"{'load s':>7s}")
    for row in rows:
        print(f"{row['config']:32s} {row.get('train_wall_s', '-')!s:>6} ({row.get('train_cpu_s', '-')!s:>5}) "
              f"{row.get('intent_macro_f1', '-')!s:>9} {row.get('job_f1', '-')!s:>7} "
              f"{row['cpu_ms_per_message']:>10} {row['load_s']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
