"""`make train`'s progress line: runs `rasa train` with its output in a log, and shows from that log where
training is and how long is left.

    python -m ops.train_progress --log var/train.log -- <rasa train command…>

The estimate is measured, never a fixed guess, from earlier trainings of the same config.yml: during the
DIET epochs it is the remaining epochs at the speed measured since the first one (tqdm's timings in the log)
plus what came after the epochs in the last full training on this machine (kept in var/train-times.json);
otherwise the last full training's duration is shown beside the elapsed time, and the components trained
so far. On a terminal the line is redrawn in place; otherwise a line
is printed every 30 s.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from common.settings import PROJECT_DIR

TIMES_FILE = PROJECT_DIR / "var" / "train-times.json"
EPOCHS = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[([\d:]+)<")
COMPONENT = re.compile(r"(Starting to train|Finished training|Restored) component '(\w+)'")
EPOCH_COMPONENT = "DIETClassifier"  # or a subclass named after it (bot.diet.QuickLoadDIETClassifier)


def is_epoch_component(name: str | None) -> bool:
    return bool(name) and str(name).endswith(EPOCH_COMPONENT)


def seconds(clock: str) -> float:
    """tqdm's '02:27' or '1:02:27' in seconds."""
    total = 0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return float(total)


def clock(value: float) -> str:
    value = int(round(value))
    return f"{value // 60}:{value % 60:02d}"


@dataclass
class LogState:
    """What the log says so far: the component being trained and the epochs' progress."""

    component: str | None = None
    finished: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    epoch: int = 0
    epochs: int = 0
    epochs_left_s: float | None = None
    done: bool = False


def read_state(text: str) -> LogState:
    state = LogState()
    for match in COMPONENT.finditer(text):
        verb, name = match.groups()
        if verb == "Starting to train":
            state.component = name
        elif verb == "Finished training":
            state.finished.append(name)
            state.component = None
        else:
            state.restored.append(name)
    # Remaining epochs at the speed measured since the first epoch ended (the first one also builds
    # TensorFlow's graph, which makes tqdm's own early estimate several times too long).
    first_done = last = None
    for last in EPOCHS.finditer(text):
        if first_done is None and int(last[1]) >= 1:
            first_done = (int(last[1]), seconds(last[3]))
    if last:
        state.epoch, state.epochs, elapsed = int(last[1]), int(last[2]), seconds(last[3])
        if first_done and state.epoch - first_done[0] >= 2:
            per_epoch = (elapsed - first_done[1]) / (state.epoch - first_done[0])
            state.epochs_left_s = per_epoch * (state.epochs - state.epoch)
    state.done = "Your Rasa model is trained and saved" in text or "Nothing changed" in text
    return state


def config_fingerprint(command: list[str]) -> str | None:
    """A short hash of the training's config file (`--config X`, else config.yml): estimates come from
    trainings of the same pipeline only (a DIET training's minutes say nothing of a 30 s one)."""
    name = command[command.index("--config") + 1] if "--config" in command[:-1] else "config.yml"
    path = Path(name) if Path(name).is_absolute() else PROJECT_DIR / name
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def last_full_run(path: Path = TIMES_FILE, config: str | None = None) -> dict | None:
    """The last recorded full training (of the same config when given): one that trained the epoch
    component (DIET) if any did, else one that retrained the most components."""
    runs = [run for run in load_runs(path) if config is None or run.get("config") == config]
    for run in reversed(runs):
        if run.get("epochs_end_s") is not None:
            return run
    most = max((len(run.get("retrained") or []) for run in runs), default=0)
    return next((run for run in reversed(runs) if most and len(run.get("retrained") or []) == most), None)


def load_runs(path: Path = TIMES_FILE) -> list[dict]:
    try:
        runs = json.loads(path.read_text(encoding="utf-8"))
        return runs if isinstance(runs, list) else []
    except (OSError, ValueError):
        return []


def progress_line(state: LogState, elapsed: float, last: dict | None) -> str:
    """One line: elapsed, phase and an estimate that says what it is based on."""
    parts = [f">> training {clock(elapsed)}"]
    after_epochs = last["total_s"] - last["epochs_end_s"] if last and last.get("epochs_end_s") is not None else None
    if is_epoch_component(state.component) and state.epochs:
        parts.append(f"{state.component} epoch {state.epoch}/{state.epochs}")
        if state.epochs_left_s is None:
            parts.append("measuring the epochs' speed")
        else:
            if after_epochs is not None:
                parts.append(f"about {clock(state.epochs_left_s + after_epochs)} left "
                             f"(epochs {clock(state.epochs_left_s)} + {clock(after_epochs)} after them last time)")
            else:
                parts.append(f"epochs end in about {clock(state.epochs_left_s)} (no earlier training measured)")
    else:
        if state.component:
            parts.append(f"training {state.component}")
        elif any(is_epoch_component(name) for name in [*state.finished, *state.restored]):
            parts.append("dialogue policies and saving the model")
        elif state.finished:  # a pipeline without DIET: between components, or saving at the end
            parts.append(f"{len(state.finished)} component(s) trained, last {state.finished[-1]}")
        else:
            parts.append("preparing (Rasa start-up, training data, language model)")
        if last:
            parts.append(f"last full training took {clock(last['total_s'])}")
    return " · ".join(parts)


def record(run: dict, path: Path = TIMES_FILE, keep: int = 20) -> None:
    runs = load_runs(path)[-(keep - 1):] + [run]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")


def log_tail(text: str, lines: int = 30) -> str:
    """The end of the log without tqdm's redrawn bars, for a failed training."""
    kept = [line for line in text.replace("\r", "\n").splitlines() if line.strip() and "Epochs:" not in line]
    return "\n".join(kept[-lines:])


def watch(command: list[str], log: Path, out=sys.stdout, interval: float = 1.0, times: Path = TIMES_FILE) -> int:
    config = config_fingerprint(command)
    last = last_full_run(times, config)
    estimate = f"last full training here: {clock(last['total_s'])}" if last else "no earlier training measured here"
    out.write(f">> rasa train: retrains only what changed ({estimate}); log: {log}\n")
    out.flush()
    log.parent.mkdir(parents=True, exist_ok=True)
    start, tty, printed = time.monotonic(), out.isatty(), 0.0
    epochs_start = epochs_end = None
    with open(log, "w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        try:
            while process.poll() is None:
                time.sleep(interval)
                elapsed = time.monotonic() - start
                state = read_state(log.read_text(errors="replace"))
                if is_epoch_component(state.component) and epochs_start is None:
                    epochs_start = elapsed
                # the epochs' end = the last epoch shown (what DIET does after it counts as "after them")
                last_epoch = is_epoch_component(state.component) and state.epochs and state.epoch == state.epochs
                if (last_epoch or any(is_epoch_component(n) for n in state.finished)) and epochs_end is None:
                    epochs_end = elapsed
                line = progress_line(state, elapsed, last)
                if tty:
                    out.write("\r" + line[: 250] + "\033[K")
                elif elapsed - printed >= 30:
                    out.write(line + "\n")
                    printed = elapsed
                out.flush()
        except KeyboardInterrupt:  # Ctrl-C reached rasa too (same process group): let it end, then stop
            out.write("\n>> training interrupted\n")
            for stop in (None, process.terminate, process.kill):
                if stop:
                    stop()
                try:
                    process.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue
            return 130
    if tty:
        out.write("\r\033[K")
    total = time.monotonic() - start
    text = log.read_text(errors="replace")
    if process.returncode != 0:
        out.write(log_tail(text) + f"\n>> rasa train failed after {clock(total)} (exit {process.returncode}); "
                  f"full log: {log}\n")
        return process.returncode
    if epochs_start is not None and epochs_end is None:
        epochs_end = total
    record({"finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "total_s": round(total, 1),
            "epochs_start_s": None if epochs_start is None else round(epochs_start, 1),
            "epochs_end_s": None if epochs_end is None else round(epochs_end, 1),
            "retrained": read_state(text).finished, "config": config}, times)
    out.write(f">> rasa train finished in {clock(total)}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=PROJECT_DIR / "var" / "train.log")
    parser.add_argument("--times", type=Path, default=TIMES_FILE, help="measured trainings (the estimate's basis)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the training command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the training command after --")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return watch(command, args.log, times=args.times)


if __name__ == "__main__":
    sys.exit(main())
