"""ops/evaluation_runs.py: `make evaluate` keeps each run in a dated folder, drops Rasa's TEDPolicy report
and prints the change of the scores from the previous run (reports shaped as Rasa 3.6 writes them)."""
from __future__ import annotations

import io
import json
from datetime import datetime

from ops.evaluation_runs import archive, compare, report_failed


def _reports(results, ask_skills_f1: float, job_f1: float, correct: int) -> None:
    nlu, core = results / "nlu", results / "core"
    nlu.mkdir(parents=True, exist_ok=True)
    core.mkdir(parents=True, exist_ok=True)
    intent = lambda f1: {"precision": f1, "recall": f1, "f1-score": f1, "support": 10, "confused_with": {}}  # noqa: E731
    (nlu / "intent_report.json").write_text(json.dumps({
        "ask_skills": intent(ask_skills_f1), "greet": intent(1.0), "accuracy": 0.95,
        "macro avg": intent((ask_skills_f1 + 1) / 2), "weighted avg": intent((ask_skills_f1 + 1) / 2)}))
    (nlu / "DIETClassifier_report.json").write_text(json.dumps({"job": intent(job_f1)}))
    (core / "story_report.json").write_text(json.dumps({
        "action_answer_topic": intent(1.0), "weighted avg": intent(0.99),
        "conversation_accuracy": {"accuracy": correct / 27, "correct": correct, "with_warnings": 0, "total": 27}}))
    (core / "TEDPolicy_report.json").write_text(json.dumps({"job": intent(0.0)}))


def test_runs_are_kept_side_by_side_with_their_changes(tmp_path):
    results = tmp_path / "results"
    _reports(results, 0.90, 0.97, 26)
    first_out = io.StringIO()
    first = archive(results, datetime(2026, 11, 29, 10, 0, 0), first_out)
    assert first.name == "2026-11-29_10-00-00"
    assert "first run kept" in first_out.getvalue()
    assert not (results / "core" / "TEDPolicy_report.json").exists()
    assert not (first / "core" / "TEDPolicy_report.json").exists()
    assert (first / "nlu" / "intent_report.json").exists()

    _reports(results, 0.95, 0.97, 27)
    out = io.StringIO()
    second = archive(results, datetime(2026, 11, 30, 9, 30, 0), out)
    text = out.getvalue()
    assert "compared with 2026-11-29_10-00-00" in text
    assert "intent macro F1" in text and "+0.025" in text          # (0.95+1)/2 - (0.90+1)/2
    assert "  ask_skills" in text and "+0.050" in text and "greet" not in text  # only intents that moved
    assert "no entity's F1 moved by 0.005 or more" in text                  # job F1 0.97 both times
    assert "test stories passed (share)" in text and "+0.037" in text
    assert json.loads((second / "scores.json").read_text())["stories"] == "27/27"
    assert (second / "changes.txt").read_text().startswith("2026-11-30_09-30-00: compared with")
    assert (second / "changes.txt").read_text() in text
    assert sorted(p.name for p in (results / "evaluations").iterdir()) == [first.name, second.name]

    again = io.StringIO()
    assert compare(results, again) == 0 and "+0.050" in again.getvalue()


def test_nothing_to_file_is_said(tmp_path):
    out = io.StringIO()
    assert archive(tmp_path / "results", out=out) is None
    assert "nothing to file" in out.getvalue()


def test_failed_test_stories_are_printed_with_their_turn_and_fail_the_command(tmp_path):
    core = tmp_path / "core"
    core.mkdir()
    out = io.StringIO()
    assert report_failed(core, out) == 1 and "did `rasa test core` run?" in out.getvalue()
    (core / "failed_test_stories.yml").write_text("# None of the test stories failed - all good!\n")
    assert report_failed(core, io.StringIO()) == 0
    (core / "failed_test_stories.yml").write_text(
        'version: "3.1"\nstories:\n- story: "greet then bye (tests/test_stories.yml)"\n  steps:\n'
        "  - intent: greet\n  - action: utter_goodbye  # predicted: utter_greet\n")
    out = io.StringIO()
    assert report_failed(core, out) == 1
    assert out.getvalue() == ("FAILED greet then bye (test_stories.yml): turn 1 (greet): the story expects action "
                              "utter_goodbye, the model predicted utter_greet\n")
