"""ops/train_progress.py: the progress line and the measured estimate of `make train`, on a fake training
command that writes Rasa's real log lines (component hooks, tqdm epochs) over a few seconds."""
from __future__ import annotations

import io
import sys

from ops.train_progress import last_full_run, progress_line, read_state, watch

FAKE_TRAINING = r'''
import sys, time
def log(line): print(line, flush=True)
log("2026-11-29 23:09:58 INFO     rasa.engine.training.hooks  - Starting to train component 'RegexFeaturizer'.")
log("2026-11-29 23:09:58 INFO     rasa.engine.training.hooks  - Finished training component 'RegexFeaturizer'.")
log("2026-11-29 23:10:01 INFO     rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.")
for n in range(1, 5):
    time.sleep(0.4)
    sys.stdout.write(f"Epochs:  {n * 25}%|##   | {n}/4 [00:0{n}<00:0{4 - n},  1.00s/it, t_loss=3.5, i_acc=1]")
    sys.stdout.flush()
log("")
log("2026-11-29 23:10:05 INFO     rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.")
time.sleep(0.6)
log("Your Rasa model is trained and saved at 'models/x.tar.gz'.")
sys.exit(int(sys.argv[1]))
'''


def test_log_parsing_and_lines():
    start = "- Starting to train component 'DIETClassifier'.\n"
    # the first epoch (TensorFlow builds its graph) took 80 s, then 2 s per epoch
    first = "Epochs:   1%|          | 1/100 [01:20<2:12:00, 80.00s/it, t_loss=5.1]"
    state = read_state(start + first)
    assert (state.component, state.epoch, state.epochs, state.epochs_left_s) == ("DIETClassifier", 1, 100, None)
    assert "measuring the epochs' speed" in progress_line(state, 100, None)
    state = read_state(start + first + "Epochs:  43%|████▎     | 43/100 [02:44<01:54,  2.00s/it, t_loss=3.13]")
    assert (state.epoch, state.epochs_left_s) == (43, 114)  # (164 - 80) s / 42 epochs * 57 epochs left
    assert progress_line(state, 200, None).endswith("epochs end in about 1:54 (no earlier training measured)")
    line = progress_line(state, 200, {"total_s": 480, "epochs_start_s": 40, "epochs_end_s": 330})
    assert "about 4:24 left (epochs 1:54 + 2:30 after them last time)" in line
    after = read_state(start + first + "\n- Finished training component 'DIETClassifier'.")
    assert "dialogue policies and saving the model" in progress_line(after, 400, None)


def test_watch_runs_the_command_records_its_time_and_estimates_the_next(tmp_path):
    times, log = tmp_path / "train-times.json", tmp_path / "train.log"
    first = io.StringIO()
    assert watch([sys.executable, "-c", FAKE_TRAINING, "0"], log, first, interval=0.2, times=times) == 0
    assert "no earlier training measured here" in first.getvalue()
    assert "DIETClassifier epoch" in log.read_text() or "Epochs:" in log.read_text()
    run = last_full_run(times)
    assert run and run["epochs_start_s"] < run["epochs_end_s"] <= run["total_s"] and run["retrained"] == [
        "RegexFeaturizer", "DIETClassifier"]
    second = io.StringIO()
    assert watch([sys.executable, "-c", FAKE_TRAINING, "3"], log, second, interval=0.2, times=times) == 3
    assert "last full training here: 0:0" in second.getvalue()
    assert "rasa train failed" in second.getvalue() and "Your Rasa model" in second.getvalue()
    assert len(__import__("json").loads(times.read_text())) == 1  # a failed training is not a measure


def test_the_quick_loading_diet_shows_its_epochs_too():
    log = ("- Starting to train component 'QuickLoadDIETClassifier'.\n"
           "Epochs:  43%|████▎     | 43/100 [02:44<01:54,  2.00s/it, t_loss=3.13]")
    assert "QuickLoadDIETClassifier epoch 43/100" in progress_line(read_state(log), 200, None)
    done = read_state(log + "\n- Finished training component 'QuickLoadDIETClassifier'.")
    assert "dialogue policies and saving the model" in progress_line(done, 400, None)


def test_a_pipeline_without_diet_names_its_components():
    log = ("- Starting to train component 'QuickLoadCRFEntityExtractor'.\n")
    assert "training QuickLoadCRFEntityExtractor" in progress_line(read_state(log), 12, None)
    log += ("- Finished training component 'QuickLoadCRFEntityExtractor'.\n"
            "- Starting to train component 'LinearIntentClassifier'.\n"
            "- Finished training component 'LinearIntentClassifier'.\n")
    line = progress_line(read_state(log), 25, {"total_s": 31, "epochs_start_s": None, "epochs_end_s": None})
    assert "2 component(s) trained, last LinearIntentClassifier" in line and "preparing" not in line
    assert "last full training took 0:31" in line
    assert "preparing" in progress_line(read_state(""), 5, None)


def test_estimates_come_from_trainings_of_the_same_config(tmp_path):
    times = tmp_path / "train-times.json"
    runs = [{"total_s": 480.0, "epochs_start_s": 40.0, "epochs_end_s": 330.0, "retrained": ["DIETClassifier"],
             "config": "diet"},
            {"total_s": 31.0, "epochs_start_s": None, "epochs_end_s": None,
             "retrained": ["QuickLoadCRFEntityExtractor", "LinearIntentClassifier", "RulePolicy"], "config": "linear"},
            {"total_s": 9.0, "epochs_start_s": None, "epochs_end_s": None, "retrained": ["RulePolicy"],
             "config": "linear"}]
    times.write_text(__import__("json").dumps(runs))
    assert last_full_run(times, "diet")["total_s"] == 480.0
    assert last_full_run(times, "linear")["total_s"] == 31.0  # the run that retrained the most, not the last
    assert last_full_run(times, "another") is None
    assert "last full training took 0:31" in progress_line(read_state(""), 3, last_full_run(times, "linear"))


def test_the_config_fingerprint_follows_the_config_file(tmp_path):
    from ops.train_progress import config_fingerprint

    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    first = config_fingerprint(["rasa", "train", "--config", str(config)])
    config.write_text("pipeline: [x]\n")
    assert first and config_fingerprint(["rasa", "train", "--config", str(config)]) != first
    assert config_fingerprint(["rasa", "train", "--config", str(tmp_path / "missing.yml")]) is None
