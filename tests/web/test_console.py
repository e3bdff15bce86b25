"""The operators' console in a real browser (Debian's chromium): log in with the token, filter, label a message and
see the training file change, mark a message, charts, evaluations, wrong token refused. Desktop and phone widths.

The console runs in-process on a free loopback port over a tracker store written by Rasa's SQLTrackerStore, a
temporary copy of data/nlu/ (the real data files are never touched) and a temporary results/ folder.
Screenshots go to tests/screenshots/console-*.png (git-ignored).
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import threading

import pytest
from playwright.sync_api import expect

from common.settings import PROJECT_DIR, get_settings
from ops.console.server import default_console, make_server
from tests.conftest import free_port
from tests.ops.conversations import HOLDOUT_MESSAGE, MISTAKE, fill_tracker_store
from tests.web.test_browser import SCREENSHOTS, VIEWPORTS, Recorder

TOKEN = "jeton-de-test-console"
STUDENT_TEXTS = ["blabla truc", "je veux devenir pompier", MISTAKE, "salaire au middle office", HOLDOUT_MESSAGE]


def _report(accuracy: float, macro: float, job: float) -> tuple[dict, dict]:
    intents = {"ask_studies": {"precision": macro, "recall": macro, "f1-score": macro, "support": 20,
                               "confused_with": {}},
               "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 10, "confused_with": {}},
               "accuracy": accuracy, "macro avg": {"f1-score": macro, "support": 30},
               "weighted avg": {"f1-score": macro, "support": 30}}
    return intents, {"job": {"precision": job, "recall": job, "f1-score": job, "support": 25}}


@pytest.fixture()
def console(tmp_path):
    """A running console; yields (url, nlu_dir, access_log)."""
    tracker = fill_tracker_store(tmp_path / "conversations.sqlite3")
    nlu = tmp_path / "nlu"
    shutil.copytree(PROJECT_DIR / "data" / "nlu", nlu)
    results = tmp_path / "results"
    for name, scores in (("2026-01-10_0900", (0.90, 0.88, 0.93)), ("2026-01-12_1400", (0.93, 0.92, 0.96))):
        folder = results / "evaluations" / name / "nlu"
        folder.mkdir(parents=True)
        intents, entities = _report(*scores)
        (folder / "intent_report.json").write_text(json.dumps(intents), encoding="utf-8")
        (folder / "DIETClassifier_report.json").write_text(json.dumps(entities), encoding="utf-8")
    settings = dataclasses.replace(get_settings(), tracker_db_url=tracker, retention_days=30)
    state = default_console(settings, TOKEN, state_dir=tmp_path / "var", nlu_dir=nlu, results_dir=results)
    server = make_server(state, "127.0.0.1", free_port(), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", nlu, state.access.path
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, chromium_browser, console):
    context = chromium_browser.new_context(locale="fr-FR", **VIEWPORTS[request.param])
    recorder = Recorder()
    context.on("request", lambda req: recorder.urls.append(req.url))
    tab = context.new_page()
    tab.on("console", lambda msg: recorder.console_errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda error: recorder.page_errors.append(str(error)))
    tab.goto(console[0])
    yield tab, request.param, console, recorder
    context.close()


def _login(tab, token: str) -> None:
    tab.fill("#login-name", "Anne Conseillère")
    tab.fill("#login-token", token)
    tab.click("#login-form button[type=submit]")


def _shot(tab, width: str, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"console-{width}-{name}.png"), full_page=True)


def test_wrong_token_refused_then_login_filter_label_mark(page):
    tab, width, (url, nlu, access_log), recorder = page
    topics = nlu / "topics.yml"
    before = topics.read_text(encoding="utf-8")

    # Nothing without a session, in the page or in the API
    expect(tab.locator("#login")).to_be_visible()
    assert tab.request.get(url + "api/turns").status == 401
    _login(tab, "mauvais-jeton")
    expect(tab.locator("#login-error")).to_have_text("Jeton refusé.")
    expect(tab.locator("#app")).to_be_hidden()
    _shot(tab, width, "login-refused")

    _login(tab, TOKEN)
    expect(tab.locator("html")).to_have_attribute("data-console", "ready")
    expect(tab.locator("#who")).to_contain_text("Anne Conseillère")
    turns = tab.locator("#turns > li")
    expect(turns).to_have_count(11)  # every student message; the advisor's shell test is hidden by default
    assert "test du conseiller" not in tab.locator("#turns").inner_text()
    expect(tab.locator("#turns .said", has_text="blabla truc")).to_be_visible()
    expect(tab.locator("#turns .reply", has_text="Je n'ai pas compris.")).to_be_visible()
    _shot(tab, width, "messages")

    # Filter: a confident mistake (rephrased right after)
    tab.select_option("#f-flag", "rephrased")
    tab.click("#filters button[type=submit]")
    expect(turns).to_have_count(1)
    item = turns.first
    expect(item.locator(".said")).to_have_text(MISTAKE)
    expect(item.locator(".parse")).to_contain_text("ask_figures")
    expect(item.locator(".parse")).to_contain_text("91 %")
    expect(item.locator(".flag.rephrased")).to_be_visible()
    expect(item.locator(".entity")).to_have_text("job = back-office")

    # Label it: pre-filled from the stored parse, intent corrected, appended to the intent's file
    item.get_by_role("button", name="Étiqueter").click()
    expect(item.locator(".label-text")).to_have_value("et pour etudier en alternance a lyon pour le [bo](job) ?")
    expect(item.locator(".label-intent")).to_have_value("ask_figures")
    item.locator(".label-intent").select_option("ask_studies")
    _shot(tab, width, "label-form")
    item.get_by_role("button", name="Ajouter à l'entraînement").click()
    expect(item.locator(".result")).to_contain_text("Ajouté à topics.yml (ask_studies)")
    after = topics.read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert "    - et pour etudier en alternance a lyon pour le [bo](job) ?\n" in after
    assert (PROJECT_DIR / "data/nlu/topics.yml").read_text(encoding="utf-8") != after  # the real file untouched
    # ... and undone: the file is as before; labelled again for what follows
    item.locator(".result").get_by_role("button", name="Annuler").click()
    expect(item.locator(".result")).to_contain_text("Retiré de topics.yml")
    assert topics.read_text(encoding="utf-8") == before
    item.get_by_role("button", name="Étiqueter").click()
    item.locator(".label-intent").select_option("ask_studies")
    item.get_by_role("button", name="Ajouter à l'entraînement").click()
    expect(item.locator(".result")).to_contain_text("Ajouté à topics.yml (ask_studies)")
    assert topics.read_text(encoding="utf-8") == after
    # ... and undone after the list is loaded again (the page no longer holds the example), then labelled again
    tab.select_option("#f-status", label="tous")
    tab.click("#filters button[type=submit]")
    item = turns.filter(has_text=MISTAKE)
    item.get_by_role("button", name="Retirer de l'entraînement").click()
    expect(item.locator(".result")).to_contain_text("Retiré de")
    assert topics.read_text(encoding="utf-8") == before
    item.get_by_role("button", name="Étiqueter").click()
    item.locator(".label-intent").select_option("ask_studies")
    item.get_by_role("button", name="Ajouter à l'entraînement").click()
    expect(item.locator(".result")).to_contain_text("Ajouté à topics.yml (ask_studies)")
    tab.select_option("#f-status", label="à revoir")
    tab.click("#filters button[type=submit]")

    # A held-out message is refused, the files unchanged
    tab.select_option("#f-flag", label="tous les messages")
    tab.select_option("#f-intent", "ask_studies")
    tab.click("#filters button[type=submit]")
    holdout = turns.filter(has_text=HOLDOUT_MESSAGE)
    expect(holdout).to_have_count(1)
    holdout.get_by_role("button", name="Étiqueter").click()
    holdout.get_by_role("button", name="Ajouter à l'entraînement").click()
    expect(holdout.locator(".result")).to_contain_text("holdout.yml")
    assert topics.read_text(encoding="utf-8") == after

    # Mark reviewed: it leaves the "to review" list and shows under "reviewed"
    holdout.get_by_role("button", name="Revu").click()
    expect(holdout.locator(".result")).to_contain_text("Marqué revu.")
    holdout.locator(".result").get_by_role("button", name="Annuler").click()  # undone, then marked again
    expect(holdout.locator(".result")).to_contain_text("de nouveau à revoir")
    holdout.get_by_role("button", name="Revu").click()
    expect(holdout.locator(".result")).to_contain_text("Marqué revu.")
    expect(holdout.locator(".meta .status")).to_contain_text("revu par Anne Conseillère le ")  # who, at once
    tab.select_option("#f-intent", label="toutes")
    tab.click("#filters button[type=submit]")
    expect(turns).to_have_count(9)  # 11 - labelled - reviewed
    tab.select_option("#f-status", "reviewed")
    tab.click("#filters button[type=submit]")
    expect(turns).to_have_count(1)
    expect(turns.first.locator(".status")).to_contain_text("revu par Anne Conseillère le ")

    # Advisors' tests on request, the whole conversation of a message
    tab.select_option("#f-status", label="tous")
    assert tab.evaluate("[...document.querySelectorAll('#filters select')].every((s) => s.selectedIndex >= 0)")
    tab.check("#f-advisors")
    tab.click("#filters button[type=submit]")
    expect(turns).to_have_count(12)
    expect(tab.locator("#turns .turn.advisor")).to_have_count(1)
    turns.filter(has_text="blabla truc").get_by_role("button", name="Conversation").click()
    expect(tab.locator("#conversation-turns > li")).to_have_count(10)
    expect(tab.locator("#conversation-turns .highlight .said")).to_have_text("blabla truc")
    _shot(tab, width, "conversation")
    tab.click("#conversation-close")

    # Charts and evaluation scores
    tab.get_by_role("tab", name="Graphiques").click()
    tab.uncheck("#f-advisors")
    tab.click("#filters button[type=submit]")
    expect(tab.locator("#chart-days svg rect")).to_have_count(2)
    expect(tab.locator("#chart-rates polyline")).to_have_count(2)
    expect(tab.locator("#chart-intents li").first).to_contain_text("ask_figures")
    expect(tab.locator("#chart-topics")).to_contain_text("Études et diplômes")  # topics.yml's labels, not ids
    expect(tab.locator("#chart-topics")).not_to_contain_text("studies")
    expect(tab.locator("#chart-jobs tbody tr")).to_have_count(2)
    expect(tab.locator("#chart-advisors dt")).to_have_count(4)  # the advisors' queue: counts and delays
    expect(tab.locator("#chart-advisors")).to_contain_text("Délai de réponse maximal")
    _shot(tab, width, "charts")
    tab.get_by_role("tab", name="Évaluations").click()
    expect(tab.locator("#filters")).to_be_hidden()
    rows = tab.locator("#evaluations tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2026-01-12_1400")
    expect(rows.first).to_contain_text("0.920 (+0.040)")
    expect(tab.locator("#tab-evaluations .hint")).to_contain_text("du plus récent au plus ancien")  # as listed
    _shot(tab, width, "evaluations")

    # No text of any message in the access log; every access is there; nothing left the machine; no CSP error
    log = access_log.read_text(encoding="utf-8")
    for text in STUDENT_TEXTS + ["alternance"]:
        assert text not in log
    actions = [json.loads(line)["action"] for line in log.splitlines()]
    assert {"refused", "login_refused", "login", "list_messages", "label", "label_refused", "mark",
            "view_conversation", "charts", "evaluations"} <= set(actions)
    assert all(u.startswith(url) for u in recorder.urls), recorder.urls
    expected = ("status of 401", "status of 409")  # the refused token and the refused held-out label
    errors = [e for e in recorder.console_errors if not any(status in e for status in expected)]
    assert not errors and not recorder.page_errors, (errors, recorder.page_errors)  # a CSP violation shows here
    if width == "phone":
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360 + 1
