"""Where one message's time goes inside Rasa: the real model and endpoints loaded in this process, messages
handled one after the other through `Agent.handle_message`, each stage timed with the process's CPU clock and
the wall clock.

Stages: tracker store (load and save), NLU (the pipeline's graph), dialogue policies, actions (templates,
and remote actions including the HTTP call to the action server), the rest (events, locks, channel glue).
Timing wraps a few Rasa methods in this measuring process only; the servers `make bench` starts are untouched.
"""
from __future__ import annotations

import asyncio
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common.settings import PROJECT_DIR, Settings

STAGES = ("tracker store", "NLU", "policies", "actions", "other")


class StageClock:
    """Accumulates CPU and wall seconds per stage; nested stages are charged to the innermost one."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self._stack: list[str] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        cpu, wall = time.process_time(), time.perf_counter()
        self._stack.append(name)
        try:
            yield
        finally:
            self._stack.pop()
            spent_cpu, spent_wall = time.process_time() - cpu, time.perf_counter() - wall
            self.cpu[name] += spent_cpu
            self.wall[name] += spent_wall
            if self._stack:  # the enclosing stage did not spend this time itself
                self.cpu[self._stack[-1]] -= spent_cpu
                self.wall[self._stack[-1]] -= spent_wall


def _wrap(owner: Any, name: str, clock: StageClock, stage: str) -> Callable[[], None]:
    original = getattr(owner, name)
    if asyncio.iscoroutinefunction(original):
        async def timed(*args, **kwargs):
            with clock.stage(stage):
                return await original(*args, **kwargs)
    else:
        def timed(*args, **kwargs):
            with clock.stage(stage):
                return original(*args, **kwargs)
    setattr(owner, name, timed)
    return lambda: setattr(owner, name, original)


def _quiet_rasa_logs() -> None:
    """Rasa's loggers and structlog print every event at debug level to this terminal otherwise."""
    import logging

    import structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def _policies(agent: Any) -> list[Any]:
    """The loaded policies that keep a prediction memory (bot/policies.py), their memories created when unused."""
    from bot.policies import PredictionMemory

    nodes = agent.processor.graph_runner._instantiated_nodes  # the loaded graph's components (measuring only)
    policies = [node._component for node in nodes.values() if hasattr(node._component, "lookup")]
    for policy in policies:
        policy.__dict__.setdefault("_memory", PredictionMemory())
    return policies


class SwitchingClock:
    """The stage clock of the mode being measured: one loaded agent, modes interleaved chat by chat."""

    def __init__(self, modes: tuple[str, ...]) -> None:
        self.clocks = {mode: StageClock() for mode in modes}
        self.mode = modes[0]

    def stage(self, name: str) -> Any:
        return self.clocks[self.mode].stage(name)


def _per_message(clock: StageClock, total_cpu: float, total_wall: float, messages: int) -> dict:
    per = lambda seconds: round(seconds * 1000 / max(1, messages), 1)  # noqa: E731
    return {"messages": messages, "total_cpu_ms": per(total_cpu), "total_wall_ms": per(total_wall),
            "cpu_ms": {stage: per(clock.cpu.get(stage, 0.0)) for stage in STAGES},
            "wall_ms": {stage: per(clock.wall.get(stage, 0.0)) for stage in STAGES}}


def stage_breakdown(settings: Settings, model: str, questions: list[str], env: dict[str, str],
                    messages: int = 100, compare_memory: bool = False) -> dict:
    """CPU and wall milliseconds per message and per stage, `messages` factual questions in 10-message chats.
    `compare_memory`: as many chats again, interleaved with those, with the policies predicting every time
    (their memory holding nothing: the cost of turns never seen before), under "unremembered"."""
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints

    modes = ("unremembered", "remembered") if compare_memory else ("remembered",)
    saved = dict(os.environ)
    os.environ.update(env)
    _quiet_rasa_logs()
    loop = asyncio.new_event_loop()
    undo: list[Callable[[], None]] = []
    totals = {mode: [0.0, 0.0, 0, 0, 0] for mode in modes}  # cpu, wall, messages, memory hits, misses
    try:
        endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_DIR / "endpoints.yml"))
        agent = loop.run_until_complete(load_agent(model_path=model, endpoints=endpoints))
        from bot.policies import PredictionMemory

        policies = _policies(agent)
        kept = [policy.__dict__["_memory"] for policy in policies]
        clock = SwitchingClock(modes)
        store = agent.tracker_store
        for method in ("retrieve", "retrieve_full_tracker", "save"):
            if hasattr(store, method):
                undo.append(_wrap(store, method, clock, "tracker store"))
        undo.append(_wrap(MessageProcessor, "_parse_message_with_graph", clock, "NLU"))
        undo.append(_wrap(MessageProcessor, "_predict_next_with_tracker", clock, "policies"))
        undo.append(_wrap(MessageProcessor, "_run_action", clock, "actions"))

        async def ask(sender: str, text: str) -> None:
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))

        for i in range(10):  # warm-up
            loop.run_until_complete(ask("stages-warmup", questions[i % len(questions)]))
        clock.clocks = {mode: StageClock() for mode in modes}  # the warm-up is not measured
        for chat in range(-(-messages // 10) * len(modes)):
            mode = clock.mode = modes[chat % len(modes)]
            for policy, memory in zip(policies, kept, strict=True):  # nothing remembered: a memory of size 0
                policy.__dict__["_memory"] = memory if mode == "remembered" else PredictionMemory(size=0)
                memory.hits = memory.misses = 0
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(10):
                with clock.stage("other"):
                    loop.run_until_complete(ask(f"stages-{mode}-{chat}", questions[i % len(questions)]))
            total = totals[mode]
            total[0] += time.process_time() - cpu
            total[1] += time.perf_counter() - wall
            total[2] += 10
            memories = [policy.__dict__["_memory"] for policy in policies]
            total[3] += sum(m.hits for m in memories)
            total[4] += sum(m.misses for m in memories)
        for policy, memory in zip(policies, kept, strict=True):
            policy.__dict__["_memory"] = memory
    finally:
        for restore in undo:
            restore()
        loop.close()
        os.environ.clear()
        os.environ.update(saved)
    result = {}
    for mode in modes:
        cpu, wall, count, hits, misses = totals[mode]
        result[mode] = {**_per_message(clock.clocks[mode], cpu, wall, int(count)), "model": Path(model).name,
                        "policy_memory": {"hits": int(hits), "misses": int(misses)}}
    if compare_memory:
        result["remembered"]["unremembered"] = result["unremembered"]
    return result["remembered"]
