#!/usr/bin/env python3
"""Reads `rasa test nlu` reports and fails below the bars: intent macro-F1 >= 0.94, `job` entity F1 >= 0.99."""
import json
import sys
from pathlib import Path

from ops.evaluation_runs import entity_report

INTENT_BAR, JOB_BAR = 0.94, 0.99
FILTER_ENTITIES = ("skill_type", "skill_level", "study_level", "diploma_kind")


def extractor_report(folder: Path) -> Path:
    """The trained entity extractor's report (ops.evaluation_runs.entity_report)."""
    found = entity_report(folder)
    if found is None:
        raise SystemExit(f"no entity extractor report in {folder}: run `make test-nlu` first")
    return found


def main(results: str = "results/nlu") -> int:
    folder = Path(results)
    intents = json.loads((folder / "intent_report.json").read_text())
    entities = json.loads(extractor_report(folder).read_text())
    intent_f1 = intents["macro avg"]["f1-score"]
    job_f1 = entities.get("job", {}).get("f1-score", 0.0)
    print(f"held-out NLU: intent macro-F1 = {intent_f1:.3f} (bar {INTENT_BAR}), accuracy = {intents['accuracy']:.3f}, "
          f"job entity F1 = {job_f1:.3f} (bar {JOB_BAR}), messages = {intents['macro avg']['support']}")
    weak = sorted((v["f1-score"], k) for k, v in intents.items() if isinstance(v, dict) and "support" in v
                  and k not in ("macro avg", "weighted avg", "micro avg") and v["f1-score"] < 0.9)
    for f1, name in weak:
        print(f"  weak intent: {name} F1 = {f1:.3f}")
    # the filter entities (informative): the trained extractor learns them from the annotations, the
    # RegexEntityExtractor reads them from the generated lookup tables; the planner reads both
    for path in (extractor_report(folder), folder / "RegexEntityExtractor_report.json"):
        report = path.name
        if path.is_file():
            scores = json.loads(path.read_text())
            line = ", ".join(f"{e} {scores[e]['f1-score']:.3f}" for e in FILTER_ENTITIES if e in scores)
            print(f"  filter entities F1 ({report.split('_')[0]}): {line or '-'}")
    if intent_f1 < INTENT_BAR or job_f1 < JOB_BAR:
        print("FAILED: held-out NLU scores are below the bar", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
