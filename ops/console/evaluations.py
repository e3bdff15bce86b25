"""Scores of the `make evaluate` runs found under results/, oldest first, each with its change from the previous,
and the test stories that failed (each with the turn where prediction and story differ).

Reads what exists: dated folders results/evaluations/<date>/ (intent_report.json anywhere inside, core/ with
Rasa's failed_test_stories.yml), the undated results/nlu/ of older runs and results/core/ of the last
`make test-core`. A missing or unreadable report is skipped, never an error.
"""
from __future__ import annotations

import json
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from common.settings import PROJECT_DIR
from ops.evaluation_runs import FAILED_STORIES, entity_report, failed_stories

RESULTS_DIR = PROJECT_DIR / "results"
WATCHED = ("accuracy", "intent_macro_f1", "intent_weighted_f1", "job_f1")


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _scores(folder: Path) -> dict | None:
    report_path = next(iter(sorted(folder.rglob("intent_report.json"))), None)
    report = _read(report_path) if report_path else None
    if not report:
        return None
    scores = {
        "accuracy": report.get("accuracy"),
        "intent_macro_f1": (report.get("macro avg") or {}).get("f1-score"),
        "intent_weighted_f1": (report.get("weighted avg") or {}).get("f1-score"),
        "job_f1": None,
    }
    entity_path = entity_report(report_path.parent)
    entities = _read(entity_path) if entity_path else None
    if entities and isinstance(entities.get("job"), dict):
        scores["job_f1"] = entities["job"].get("f1-score")
    weakest = sorted(((name, value.get("f1-score")) for name, value in report.items()
                      if isinstance(value, dict) and "support" in value and name not in ("macro avg", "weighted avg",
                                                                                        "micro avg")),
                     key=lambda item: item[1] if isinstance(item[1], (int, float)) else 1)[:3]
    return {**{k: (round(v, 4) if isinstance(v, (int, float)) else None) for k, v in scores.items()},
            "weakest": [[name, round(f1, 3)] for name, f1 in weakest if isinstance(f1, (int, float))],
            **story_results(folder)}


def story_results(folder: Path) -> dict:
    """The test stories of a run: "passed/total" (story_report.json) and the failed ones with their first difference."""
    failed_path = next(iter(sorted(folder.rglob(FAILED_STORIES))), None)
    report_path = next(iter(sorted(folder.rglob("story_report.json"))), None)
    conversations = ((_read(report_path) or {}) if report_path else {}).get("conversation_accuracy") or {}
    return {"stories": (f"{conversations.get('correct')}/{conversations.get('total')}"
                        if isinstance(conversations, dict) and "total" in conversations else None),
            "failed_stories": failed_stories(failed_path) if failed_path else []}


def last_story_test(results_dir: Path = RESULTS_DIR) -> dict | None:
    """results/core/ of the last `make test-core` (which may be newer than the last kept evaluation)."""
    folder = results_dir / "core"
    if not (folder / FAILED_STORIES).is_file():
        return None
    stamp = datetime.fromtimestamp((folder / FAILED_STORIES).stat().st_mtime)
    return {"name": stamp.strftime("%Y-%m-%d %H:%M"), "folder": "core", **story_results(folder)}


def evaluation_runs(results_dir: Path = RESULTS_DIR) -> list[dict]:
    """Every run with scores, oldest first; `change` holds the difference from the run before (None if unknown)."""
    runs = []
    dated = results_dir / "evaluations"
    if dated.is_dir():
        for folder in sorted(p for p in dated.iterdir() if p.is_dir()):
            scores = _scores(folder)
            if scores:
                runs.append({"name": folder.name, "folder": str(folder.relative_to(results_dir)), **scores})
    undated = results_dir / "nlu"
    scores = _scores(undated) if undated.is_dir() else None
    if scores and not any(all(run.get(k) == scores.get(k) for k in WATCHED) for run in runs):
        stamp = datetime.fromtimestamp(next(undated.rglob("intent_report.json")).stat().st_mtime)
        runs.append({"name": stamp.strftime("%Y-%m-%d %H:%M"), "folder": "nlu", **scores})
        runs.sort(key=lambda run: run["name"])
    for previous, run in pairwise([None, *runs]):  # the first run has no previous one
        run["change"] = {k: (round(run[k] - previous[k], 4) if previous and run[k] is not None
                             and previous.get(k) is not None else None) for k in WATCHED}
    return runs
