"""The console's "Enregistrer comme histoire" in a real browser (Debian's chromium), then Rasa on the files it wrote.

An operator opens a conversation, corrects a misunderstood message (ask_figures -> ask_studies), keeps the text of one
message only, and saves a test story; the same story again is refused, undone, saved again, then saved as a training
story; a second test story expects an action the bot would not take. Rasa's own `rasa data validate` accepts the files
and `rasa test core` (the trained model of models/) passes the corrected story and fails the other, which the
console's evaluations then show with the turn where prediction and story differ. Copies of tests/test_stories.yml and
data/stories/ are written, never the real files.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import threading

import pytest
import yaml
from playwright.sync_api import expect

from common.settings import PROJECT_DIR, get_settings
from ops.console.server import default_console, make_server
from ops.console.stories import StoryFiles
from ops.evaluation_runs import failed_stories
from tests.conftest import free_port
from tests.ops.conversations import MISTAKE, fill_tracker_store
from tests.web.test_browser import SCREENSHOTS

TOKEN = "jeton-de-test-histoires"
FIRST = "c'est quoi le back office"
SECOND = "quelles etudes pour le bo"
PYTHON = str(PROJECT_DIR / ".venv" / "bin" / "python")


def _rasa(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    return subprocess.run([PYTHON, "-m", "bot.rasa_server", *args], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture()
def console(tmp_path):
    """A running console over copies of the story files; yields (url, test stories file, stories dir, results dir)."""
    if not any((PROJECT_DIR / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run make train")
    shutil.copy(PROJECT_DIR / "tests" / "test_stories.yml", tmp_path / "test_stories.yml")
    shutil.copytree(PROJECT_DIR / "data" / "stories", tmp_path / "stories")
    settings = dataclasses.replace(get_settings(), tracker_db_url=fill_tracker_store(tmp_path / "c.sqlite3"),
                                   retention_days=30)
    state = default_console(settings, TOKEN, state_dir=tmp_path / "var", nlu_dir=tmp_path / "nlu",
                            results_dir=tmp_path / "results",
                            stories=StoryFiles(tmp_path / "test_stories.yml", tmp_path / "stories",
                                               tmp_path / "var" / "last-story.json"))
    server = make_server(state, "127.0.0.1", free_port(), quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield (f"http://127.0.0.1:{server.server_address[1]}/", tmp_path / "test_stories.yml", tmp_path / "stories",
               tmp_path / "results")
    finally:
        server.shutdown()
        server.server_close()


def _open_story_form(tab, text: str):
    tab.locator("#turns > li").filter(has_text=text).first.get_by_role("button", name="Conversation").click()
    tab.get_by_role("button", name="Enregistrer comme histoire").click()
    expect(tab.locator("#story")).to_be_visible()
    return tab.locator("#story-turns > li")


def _only(turns, texts: list[str]) -> None:
    """Leave out every message but these."""
    for index in range(turns.count()):
        item = turns.nth(index)
        if item.locator(".said").inner_text() not in texts:
            item.locator(".story-include").uncheck()


def test_a_corrected_conversation_saved_as_stories_that_rasa_reads_and_tests(chromium_browser, console):
    url, test_file, stories_dir, results = console
    original = test_file.read_bytes()
    context = chromium_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(url)
    tab.fill("#login-name", "Anne Conseillère")
    tab.fill("#login-token", TOKEN)
    tab.click("#login-form button[type=submit]")
    expect(tab.locator("html")).to_have_attribute("data-console", "ready")
    tab.select_option("#f-status", label="tous")
    tab.click("#filters button[type=submit]")

    # The form: each message with its intent, entities, the bot's action and slots; texts not kept by default
    turns = _open_story_form(tab, MISTAKE)
    expect(turns).to_have_count(10)
    mistake = turns.filter(has_text=MISTAKE)
    expect(mistake.locator(".story-intent")).to_have_value("ask_figures")
    expect(mistake.locator(".story-action")).to_have_value("action_answer_topic")
    expect(mistake.locator(".story-entity-name")).to_have_value("job")
    expect(mistake.locator(".story-entity-value")).to_have_value("back-office")
    expect(mistake.locator(".story-slots")).to_contain_text('topic = "figures"')
    assert not any(turns.nth(i).locator(".story-keep-text").is_checked() for i in range(3))
    _only(turns, [FIRST, SECOND, MISTAKE])
    mistake.locator(".story-intent").select_option("ask_studies")  # the correction
    turns.filter(has_text=FIRST).locator(".story-keep-text").check()  # confirmed: nothing personal in it
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "console-story-form.png"), full_page=True)
    tab.set_viewport_size({"width": 390, "height": 844})  # on a phone: the form fits, texts wrap, nothing cut
    dialog = "document.querySelector('dialog[open]')"
    wide = tab.evaluate(f"[...{dialog}.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > "
                        f"{dialog}.getBoundingClientRect().right).slice(0, 5)"
                        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))")
    assert tab.evaluate(f"{dialog}.scrollWidth <= {dialog}.clientWidth + 1"), f"the story form scrolls sideways: {wide}"
    inside = f"[...{dialog}.querySelectorAll('select, .said, label')].every(" \
             "e => e.getBoundingClientRect().right <= window.innerWidth + 0.5)"
    assert tab.evaluate(inside), "a control runs off the screen"
    tab.screenshot(path=str(SCREENSHOTS / "console-story-form-phone.png"), full_page=False)
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.click("#story-save")
    expect(tab.locator("#story-result")).to_contain_text("Histoire enregistrée dans test_stories.yml")

    saved = test_file.read_bytes()
    assert saved.startswith(original)  # the file's existing content byte for byte, the story appended
    added = saved[len(original):].decode("utf-8")
    story = yaml.safe_load(added)[0]
    assert story["story"].startswith("console, conversation du ") and "student" not in added
    assert story["steps"][0] == {"user": "c'est quoi le [back office](job)", "intent": "ask_definition"}
    assert {"intent": "ask_studies", "entities": [{"job": "back-office"}]} in story["steps"]
    assert SECOND not in added and MISTAKE not in added and "alternance" not in added  # unconfirmed: intent alone
    assert [s["action"] for s in story["steps"] if "action" in s] == ["action_answer_topic"] * 3

    # Undone: the file as before; saved again; the same story once more is refused; then as a training story
    tab.locator("#story-undo").click()
    expect(tab.locator("#story-result")).to_contain_text("test_stories.yml est revenu à son contenu d'avant")
    assert test_file.read_bytes() == original
    tab.click("#story-save")
    expect(tab.locator("#story-result")).to_contain_text("Histoire enregistrée dans test_stories.yml")
    assert test_file.read_bytes() == saved
    tab.click("#story-save")
    expect(tab.locator("#story-result")).to_contain_text("Une histoire identique existe déjà")
    expect(tab.locator("#story-result")).to_have_class("result error")
    assert test_file.read_bytes() == saved
    tab.select_option("#story-kind", "training")
    tab.click("#story-save")
    expect(tab.locator("#story-result")).to_contain_text("Histoire enregistrée dans from_console.yml")
    training = (stories_dir / "from_console.yml").read_text(encoding="utf-8")
    assert FIRST not in training and "user:" not in training  # a training story never keeps the text
    tab.click("#story-close")

    # A second test story whose expected action the bot would not take (out of scope answered with a greeting)
    turns = _open_story_form(tab, "je veux devenir pompier")
    _only(turns, ["je veux devenir pompier"])
    turns.filter(has_text="pompier").locator(".story-action").select_option("utter_greet")
    tab.click("#story-save")
    expect(tab.locator("#story-result")).to_contain_text("Histoire enregistrée dans test_stories.yml")
    tab.click("#story-close")

    # Rasa reads the files: validation (make validate's data plus both files) and the test stories
    validate = _rasa("data", "validate", "--fail-on-warnings", "--domain", "domain.yml", "--data", "data/nlu",
                     "data/rules", str(stories_dir), "tests/validation", str(test_file), "--config", "config.yml")
    assert validate.returncode == 0, validate.stdout[-3000:] + validate.stderr[-3000:]
    core = results / "core"
    tested = _rasa("test", "core", "--stories", str(test_file), "--model", "models", "--out", str(core))
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    failed = failed_stories(core / "failed_test_stories.yml")
    assert [f["first"] for f in failed] == [{"turn": 1, "intent": "out_of_scope", "kind": "action",
                                             "expected": "utter_greet", "predicted": "action_handle_fallback"}], failed
    assert failed[0]["story"].startswith("console, conversation du ")  # the corrected story passed, the other did not

    # ... and the console's evaluations show it, with the turn
    tab.get_by_role("tab", name="Évaluations").click()
    shown = tab.locator("#failed-stories")
    expect(shown).to_contain_text("1 en échec")
    expect(shown.locator(".failed-story")).to_contain_text("tour 1 (out_of_scope)")
    expect(shown.locator(".failed-story")).to_contain_text("l'histoire attend l'action utter_greet, le modèle a prédit")
    tab.screenshot(path=str(SCREENSHOTS / "console-story-failed.png"), full_page=True)
    assert not errors, errors
    context.close()
