"""`make bench-scaled`: 1 against 2 Rasa replicas behind nginx, measured in the same run on the same machine.

One scaled stack (PostgreSQL, Redis, the action server, two replicas) and two nginx instances: one in front of
replica 1 only, one in front of both. For 20 and 50 concurrent conversations (fresh senders, 10 messages
each, closed loop: a conversation sends its next message when the previous one is answered), each balancer in
turn gets the same load: messages per second, p50/p95 latency, errors (HTTP errors, timeouts, apologies), and
CPU milliseconds per message of each server kind (what capacity planning needs, docs/deploy.md). The machine's
load average is printed before and after: on a shared machine, read the ratio with it.
Writes results/bench_scaled.json.
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil

from common.settings import PROJECT_DIR, get_settings
from launch.scaled import ScaledStack
from launch.stack import port_free
from ops.bench import QUESTIONS, free_port

RESULTS = PROJECT_DIR / "results" / "bench_scaled.json"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


async def _load(url: str, conversations: int, messages: int, tag: str) -> dict:
    latencies: list[float] = []
    errors = 0
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=conversations + 8)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def conversation(index: int) -> None:
            nonlocal errors
            sender = f"bench-{tag}-{index}"
            for turn in range(messages):
                body = {"sender": sender, "message": QUESTIONS[(index + turn) % len(QUESTIONS)]}
                start = time.perf_counter()
                try:
                    async with session.post(url, json=body) as response:
                        reply = await response.json(content_type=None) if response.status == 200 else None
                    ok = bool(reply) and not any("Oups" in (m.get("text") or "") for m in reply)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                latencies.append(time.perf_counter() - start)
                errors += not ok

        start = time.perf_counter()
        await asyncio.gather(*(conversation(i) for i in range(conversations)))
        seconds = time.perf_counter() - start
    return {"messages": len(latencies), "seconds": round(seconds, 2), "msg_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": round(1000 * statistics.median(latencies)), "p95_ms": round(1000 * _percentile(latencies, 0.95)),
            "errors": errors}


def _cpu_by_kind(stack: ScaledStack) -> dict[str, float]:
    """CPU seconds so far of each server kind (process trees)."""
    processes = dict(stack.processes)
    if stack.front is not None:
        processes.update({f"front-{k}": v for k, v in stack.front.processes.items()})
    kinds: dict[str, float] = {}
    for name, process in processes.items():
        kind = ("rasa" if name.startswith("rasa-") else "nginx" if name.startswith("nginx")
                else "actions" if name == "front-actions" else name)
        try:
            root = psutil.Process(process.pid)
            seconds = sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            seconds = 0.0
        kinds[kind] = kinds.get(kind, 0.0) + seconds
    return kinds


def measure(stack: ScaledStack, url: str, conversations: int, messages: int, tag: str) -> dict:
    before = _cpu_by_kind(stack)
    client = time.process_time()
    result = asyncio.run(_load(url + "/webhooks/rest/webhook", conversations, messages, tag))
    after = _cpu_by_kind(stack)
    # the load generator shares the 2 cores with the servers: its own CPU is part of the picture
    after["load generator"] = time.process_time() - client
    result["cpu_ms_per_message"] = {kind: round(1000 * (after[kind] - before.get(kind, 0.0)) / result["messages"], 1)
                                    for kind in after}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="1 vs 2 Rasa replicas behind nginx, same run.")
    parser.add_argument("--messages", type=int, default=10, help="messages per conversation (default 10)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[20, 50])
    args = parser.parse_args(argv)
    settings = dataclasses.replace(get_settings(), rasa_port=free_port(), actions_port=free_port(),
                                   web_port=free_port())
    folder = Path(tempfile.mkdtemp(prefix="bench-scaled-"))
    folder.chmod(0o755)
    stack = ScaledStack(settings, [free_port(), free_port()], free_port(), free_port(), data_dir=folder,
                        with_web=False)
    one_port = free_port()
    report: dict = {"cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()], "runs": []}
    try:
        stack.start()
        assert port_free(settings.host, one_port)
        stack.start_balancer("nginx-one", one_port, stack.replica_ports[:1])
        balancers = {1: f"http://{settings.host}:{one_port}", 2: stack.balancer_url}
        for replicas, url in balancers.items():  # warm-up: first messages of each replica are slower
            asyncio.run(_load(url + "/webhooks/rest/webhook", 4, 3, f"warm{replicas}"))
        for conversations in args.concurrency:
            for replicas, url in balancers.items():
                print(f">> {replicas} replica(s), {conversations} concurrent conversations × {args.messages} messages",
                      flush=True)
                run = measure(stack, url, conversations, args.messages, f"{replicas}r{conversations}c")
                report["runs"].append({"replicas": replicas, "conversations": conversations, **run})
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"\nload average before {report['load_before']}, after {report['load_after']} ({report['cores']} cores)\n")
    print(f"{'replicas':>8} {'conv.':>5} {'msg/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}  CPU ms/message")
    for run in report["runs"]:
        cpu = ", ".join(f"{k} {v:.0f}" for k, v in sorted(run["cpu_ms_per_message"].items()))
        print(f"{run['replicas']:>8} {run['conversations']:>5} {run['msg_per_s']:>6.0f} {run['p50_ms']:>7} "
              f"{run['p95_ms']:>7} {run['errors']:>6}  {cpu}")
    for conversations in args.concurrency:
        one, two = (next(r for r in report["runs"] if r["replicas"] == n and r["conversations"] == conversations)
                    for n in (1, 2))
        ratio = two["msg_per_s"] / one["msg_per_s"]
        report.setdefault("speedup", {})[str(conversations)] = round(ratio, 2)
        print(f"{conversations} conversations: 2 replicas serve {ratio:.2f}× the messages per second of 1 "
              "(target ≥ 1.6×)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\n-> {RESULTS.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
