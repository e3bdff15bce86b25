"""`make evaluate`'s runs kept side by side: results/evaluations/<date>/ with the reports of `rasa test nlu`
(nlu/) and `rasa test core` (core/), their headline scores (scores.json) and the change from the previous
run (changes.txt, also printed).

    python -m ops.evaluation_runs archive    # after `make test-nlu test-core`: file results/nlu and results/core
    python -m ops.evaluation_runs compare    # print the last run against the one before
    python -m ops.evaluation_runs failed results/core   # the failed test stories, each with the turn that
                                                        # differs (exit 1 when one failed: `make test-core`)

`rasa test core` (Rasa 3.6) always writes TEDPolicy_report.json (and TEDPolicy_errors.json…): it scores
the entities "predicted by TEDPolicy", hard-coded in rasa.core.test whatever the config says. This bot has
no TEDPolicy (entities come from the NLU pipeline, scored in nlu/<extractor>_report.json), so that
report compares the test stories' entities with nothing and says F1 0.0. It is deleted, not filed.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from datetime import datetime
from pathlib import Path

from common.settings import PROJECT_DIR

RESULTS_DIR = PROJECT_DIR / "results"
RUNS_DIR = RESULTS_DIR / "evaluations"
HEADLINES = {  # key -> label, in the printed order
    "intent_accuracy": "intent accuracy (held-out)",
    "intent_macro_f1": "intent macro F1",
    "intent_weighted_f1": "intent weighted F1",
    "job_f1": "job entity F1",
    "stories_passed": "test stories passed (share)",
    "action_weighted_f1": "next-action weighted F1 (stories)",
}
MEANINGFUL_CHANGE = 0.005
FAILED_STORIES = "failed_test_stories.yml"
_STORY = re.compile(r"^- story:\s*(.*?)\s*$")
_STEP = re.compile(r"^  - (intent|user|action|slot_was_set|checkpoint|or|active_loop)\b:?\s*(.*?)\s*(#.*)?$")
_PREDICTED = re.compile(r"#\s*predicted:\s*(.*)$")


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _f1(report: dict, key: str) -> float | None:
    value = (report.get(key) or {}).get("f1-score") if isinstance(report.get(key), dict) else None
    return round(value, 4) if isinstance(value, (int, float)) else None


def entity_report(folder: Path) -> Path | None:
    """The trained entity extractor's report (CRFEntityExtractor_report.json, DIETClassifier_report.json…):
    the newest report scoring `job` other than the lookup tables' RegexEntityExtractor (an older run of another
    pipeline may have left its report in the same folder)."""
    found = []
    for path in folder.glob("*_report.json"):
        if path.name.startswith(("intent", "response", "RegexEntityExtractor")):
            continue
        if "job" in _read(path):
            found.append(path)
    return max(found, key=lambda path: path.stat().st_mtime, default=None)


def scores(run: Path) -> dict:
    """Headline scores, per-intent and per-entity F1 of one run folder (None where a report is missing)."""
    intents = _read(run / "nlu" / "intent_report.json")
    report = entity_report(run / "nlu")
    entities = _read(report) if report else {}
    stories = _read(run / "core" / "story_report.json")
    conversations = stories.get("conversation_accuracy") or {}
    accuracy = intents.get("accuracy")
    per_intent = {name: _f1(intents, name) for name, value in intents.items()
                  if isinstance(value, dict) and "support" in value and not name.endswith(" avg")}
    return {
        "intent_accuracy": round(accuracy, 4) if isinstance(accuracy, (int, float)) else None,
        "intent_macro_f1": _f1(intents, "macro avg"),
        "intent_weighted_f1": _f1(intents, "weighted avg"),
        "job_f1": _f1(entities, "job"),
        "stories_passed": round(conversations["accuracy"], 4) if "accuracy" in conversations else None,
        "stories": f"{conversations.get('correct')}/{conversations.get('total')}" if conversations else None,
        "action_weighted_f1": _f1(stories, "weighted avg"),
        "intents": per_intent,
        "entities": {name: _f1(entities, name) for name, value in entities.items()
                     if isinstance(value, dict) and "support" in value and not name.endswith(" avg")},
    }


def runs(runs_dir: Path = RUNS_DIR) -> list[Path]:
    """Run folders, oldest first (their names are dates)."""
    return sorted(p for p in runs_dir.iterdir() if p.is_dir()) if runs_dir.is_dir() else []


def changes(before: dict | None, after: dict) -> list[str]:
    """Lines comparing two runs' scores: headlines always, intents and entities only when they moved."""
    lines = [f"{'score':<36}{'previous':>10}{'this run':>10}{'change':>9}"]

    def row(label: str, old, new) -> str:
        delta = f"{new - old:+.3f}" if isinstance(old, (int, float)) and isinstance(new, (int, float)) else ""
        show = lambda v: f"{v:.3f}" if isinstance(v, (int, float)) else "-"  # noqa: E731
        return f"{label:<36}{show(old):>10}{show(new):>10}{delta:>9}"

    before = before or {}
    for key, label in HEADLINES.items():
        lines.append(row(label, before.get(key), after.get(key)))
    for group, one in (("intents", "intent"), ("entities", "entity")):
        old, new = before.get(group) or {}, after.get(group) or {}
        moved = [name for name in sorted(set(old) | set(new))
                 if not (isinstance(old.get(name), (int, float)) and isinstance(new.get(name), (int, float))
                         and abs(new[name] - old[name]) < MEANINGFUL_CHANGE)]
        if before and moved:
            lines.append(f"{group} whose F1 moved:")
            lines += [row(f"  {name}", old.get(name), new.get(name)) for name in moved]
        elif before:
            lines.append(f"no {one}'s F1 moved by {MEANINGFUL_CHANGE} or more")
    return lines


def remove_ted_reports(folder: Path) -> list[str]:
    removed = sorted(p.name for p in folder.glob("TEDPolicy_*"))
    for name in removed:
        (folder / name).unlink()
    return removed


def archive(results_dir: Path = RESULTS_DIR, now: datetime | None = None, out=sys.stdout) -> Path | None:
    """File this evaluation's results/nlu and results/core in a new dated folder; print and keep the changes."""
    sources = {name: results_dir / name for name in ("nlu", "core") if (results_dir / name).is_dir()}
    if not sources:
        out.write("no reports in results/nlu or results/core: nothing to file (did `rasa test` fail? see var/)\n")
        return None
    runs_dir = results_dir / "evaluations"
    previous = runs(runs_dir)
    run = runs_dir / (now or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
    run.mkdir(parents=True, exist_ok=False)
    if "core" in sources and remove_ted_reports(sources["core"]):
        out.write(">> removed results/core/TEDPolicy_*: Rasa writes it for a policy this bot doesn't use "
                  "(entities are scored in nlu/<extractor>_report.json)\n")
    for name, source in sources.items():
        shutil.copytree(source, run / name)
    this = scores(run)
    (run / "scores.json").write_text(json.dumps(this, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = scores(previous[-1]) if previous else None
    title = f"compared with {previous[-1].name}" if previous else "first run kept: nothing to compare with"
    text = "\n".join([f"{run.name}: {title}", *changes(before, this)]) + "\n"
    (run / "changes.txt").write_text(text, encoding="utf-8")
    out.write(text)
    out.write(f">> evaluation kept in {run.relative_to(results_dir.parent)}/ (nlu/, core/, scores.json, changes.txt); "
              f"{len(previous) + 1} run(s) under {runs_dir.relative_to(results_dir.parent)}/\n")
    return run


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"" else value


def failed_stories(path: Path) -> list[dict]:
    """The stories of Rasa's failed_test_stories.yml, each with where prediction and story first differ.

    Rasa writes the failed stories with `# predicted: <what the model did>` after each step it got wrong (comments
    a YAML loader drops, hence a reading by lines). For each story: its name and file, the number of differing steps
    and the first one: the turn (1 = the story's first message), the intent of that turn, the step the story expects
    and what was predicted (an intent's prediction without the message's text). Nothing for a missing file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    stories: list[dict] = []
    turn, intent = 0, ""
    for line in lines:
        story = _STORY.match(line)
        if story:
            name, _, source = _unquote(story.group(1)).rpartition(" (")
            stories.append({"story": name or story.group(1), "file": Path(source.rstrip(")")).name if name else "",
                            "differences": 0, "first": None})
            turn, intent = 0, ""
            continue
        step = _STEP.match(line)
        if not step or not stories:
            continue
        kind, value = step.group(1), _unquote(step.group(2))
        if kind in ("intent", "user"):
            turn += 1
            intent = value if kind == "intent" else ""
        predicted = _PREDICTED.search(step.group(3) or "")
        if predicted is None:
            continue
        stories[-1]["differences"] += 1
        if stories[-1]["first"] is None:
            guess = predicted.group(1).strip()
            stories[-1]["first"] = {"turn": max(turn, 1), "intent": intent, "kind": kind, "expected": value,
                                    "predicted": guess.split(":")[0].strip() if kind in ("intent", "user") else guess}
    return [story for story in stories if story["differences"]]


def compare(results_dir: Path = RESULTS_DIR, out=sys.stdout) -> int:
    kept = runs(results_dir / "evaluations")
    if not kept:
        out.write("no evaluation kept yet: run `make evaluate`\n")
        return 1
    before = scores(kept[-2]) if len(kept) > 1 else None
    out.write(f"{kept[-1].name}: " + (f"compared with {kept[-2].name}" if before else "the only run") + "\n")
    out.write("\n".join(changes(before, scores(kept[-1]))) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Keep make evaluate's runs side by side and compare them.")
    parser.add_argument("command", choices=["archive", "compare", "failed"])
    parser.add_argument("folder", nargs="?", type=Path, default=RESULTS_DIR / "core",
                        help="failed: the folder of a `rasa test core` (default results/core)")
    args = parser.parse_args(argv)
    if args.command == "archive":
        return 0 if archive() else 1
    if args.command == "failed":
        return report_failed(args.folder)
    return compare()


def report_failed(folder: Path, out=sys.stdout) -> int:
    """Print each failed test story with the turn where prediction and story differ; 1 when one failed."""
    if not (folder / FAILED_STORIES).is_file():
        out.write(f"no {FAILED_STORIES} in {folder}: did `rasa test core` run?\n")
        return 1
    failed = failed_stories(folder / FAILED_STORIES)
    for story in failed:
        first = story["first"]
        out.write(f"FAILED {story['story']} ({story['file']}): turn {first['turn']}"
                  f"{' (' + first['intent'] + ')' if first['intent'] else ''}: the story expects "
                  f"{first['kind']} {first['expected']}, the model predicted {first['predicted']}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
