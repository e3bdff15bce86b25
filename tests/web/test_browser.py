"""The students' chat page in a real browser (Debian's chromium), against the real running bot.

Needs the session fixture `stack` (action server + Rasa + web server running) and /usr/bin/chromium
(`apt-get install chromium`). Every test runs on a phone (360x740) and a desktop (1280x800) viewport.
Screenshots go to tests/screenshots/ (git-ignored).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
VIEWPORTS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
BOT_TIMEOUT_MS = 30_000  # the first answers of a fresh Rasa server can be slow
QUESTION = "quelles sont les missions du back office ?"
HOSTILE = "<b>gras</b><img src=x onerror=alert(1)>"

# Records whether the typing indicator ever showed "Le bot écrit…" (it may be brief).
WATCH_TYPING = """() => {
  window.__typingSeen = false;
  const typing = document.getElementById('typing');
  const check = () => { if (typing.textContent.includes('Le bot écrit')) window.__typingSeen = true; };
  new MutationObserver(check).observe(typing, {childList: true, characterData: true, subtree: true});
}"""


class Recorder:
    """Everything the page asked the network for, and what went wrong in it."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []

    def non_local(self) -> list[str]:
        return [url for url in self.urls if urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def chat(request, stack, chromium_browser):
    """A fresh browser context (empty localStorage) on the chat page, with its requests recorded."""
    name = request.param
    context = chromium_browser.new_context(locale="fr-FR", **VIEWPORTS[name])
    recorder = Recorder()
    context.on("request", lambda req: recorder.urls.append(req.url))
    page = context.new_page()
    page.on("websocket", lambda ws: recorder.urls.append(ws.url))
    page.on("console", lambda msg: recorder.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))

    def on_dialog(dialog):
        recorder.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(stack.settings.web_url)
    expect(page.locator("html")).to_have_attribute("data-chat", "ready", timeout=BOT_TIMEOUT_MS)
    yield name, page, recorder
    context.close()


def bot_messages(page: Page):
    return page.locator("#messages .message-bot")


def user_messages(page: Page):
    return page.locator("#messages .message-user")


def send_with_keyboard(page: Page, text: str) -> None:
    page.locator("#message-input").fill(text)
    page.locator("#message-input").press("Enter")


def wait_for_new_bot_message(page: Page, before: int) -> None:
    expect(bot_messages(page)).not_to_have_count(before, timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#typing")).not_to_contain_text("Le bot écrit", timeout=BOT_TIMEOUT_MS)


def assert_no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"horizontal scroll: page is {scroll_width} px wide in a {width} px viewport"


def assert_clean(recorder: Recorder) -> None:
    assert recorder.urls, "no request was recorded"
    assert not recorder.non_local(), f"requests left 127.0.0.1: {recorder.non_local()}"
    assert not recorder.page_errors, recorder.page_errors
    # A CSP violation or a failed load would show up as a console error.
    assert not [e for e in recorder.console_errors if "favicon" not in e], recorder.console_errors


def test_page_loads_from_localhost_only(chat):
    name, page, recorder = chat
    expect(page).to_have_title(re.compile("middle-office"))
    header = page.locator("header")
    expect(header).to_contain_text("Gestionnaire middle-office")
    expect(header).to_contain_text("Gestionnaire de back-office")
    expect(header).to_contain_text("banque et des marchés financiers")
    privacy = page.locator("#privacy")
    expect(privacy).to_be_visible()
    expect(privacy).to_contain_text("30 jours")
    expect(privacy).to_contain_text("identifiant anonyme")
    log = page.locator("#messages")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    from common.settings import get_settings

    limit = str(get_settings().max_message_chars)  # MAX_MESSAGE_CHARS, 1,500 by default: a parent's message fits
    expect(page.locator("#message-input")).to_have_attribute("maxlength", limit)
    expect(page.get_by_label("Ta question")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer")).to_be_visible()
    expect(page.get_by_role("button", name="Nouvelle conversation")).to_be_visible()
    # starter suggestions on a first visit, as real buttons with big tap targets
    starters = page.locator("#suggestions button")
    expect(starters.first).to_be_visible()
    assert starters.count() >= 2
    for index in range(starters.count()):
        box = starters.nth(index).bounding_box()
        assert box and box["height"] >= 40, f"suggestion {index} too small to tap: {box}"
    if name == "phone":
        assert_no_horizontal_scroll(page, 360)
    assert_clean(recorder)


def test_question_answer_suggestion_and_reload(chat):
    name, page, recorder = chat
    width = VIEWPORTS[name]["viewport"]["width"]
    page.evaluate(WATCH_TYPING)
    before = bot_messages(page).count()

    send_with_keyboard(page, QUESTION)
    expect(user_messages(page).last).to_have_text(re.compile(re.escape(QUESTION)))
    wait_for_new_bot_message(page, before)
    assert page.evaluate("window.__typingSeen"), "the typing indicator never appeared"
    # facts from the back-office sheet (the answer may come in several messages)
    expect(page.locator("#messages")).to_contain_text("monétique", timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#messages")).to_contain_text("réclamations", timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#message-input")).to_have_value("")

    # the answer offers follow-up suggestions; clicking one sends it and brings a new answer
    suggestion = page.locator("#suggestions button").first
    expect(suggestion).to_be_visible()
    title = suggestion.inner_text().strip()
    count = bot_messages(page).count()
    suggestion.click()
    expect(user_messages(page).last).to_contain_text(title)
    wait_for_new_bot_message(page, count)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-conversation.png"), full_page=True)
    if name == "phone":
        assert_no_horizontal_scroll(page, width)

    # a reload keeps the transcript and the session
    transcript = page.locator("#messages").inner_text()
    session = page.evaluate("JSON.parse(localStorage.getItem('orientation-chat:v1')).sessionId")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-chat", "ready", timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#messages")).to_contain_text(QUESTION)
    expect(page.locator("#messages")).to_contain_text("monétique")
    assert page.locator("#messages").inner_text() == transcript
    assert page.evaluate("JSON.parse(localStorage.getItem('orientation-chat:v1')).sessionId") == session
    page.screenshot(path=str(SCREENSHOTS / f"{name}-after-reload.png"), full_page=True)
    assert_clean(recorder)


def test_user_html_is_shown_as_text(chat):
    name, page, recorder = chat
    before = bot_messages(page).count()
    send_with_keyboard(page, HOSTILE)
    expect(user_messages(page).last).to_have_text(re.compile(re.escape(HOSTILE)))
    wait_for_new_bot_message(page, before)
    assert page.locator("#messages img").count() == 0
    assert page.locator("#messages b").count() == 0
    assert page.locator("img").count() == 0
    assert not recorder.dialogs, recorder.dialogs
    assert not [url for url in recorder.urls if urlsplit(url).path == "/x"], "the <img> was loaded"
    assert_clean(recorder)


def test_keyboard_tab_reaches_input_and_enter_sends(chat):
    name, page, recorder = chat
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "message-input":
            break
    else:
        pytest.fail("Tab never reached the message input")
    # keyboard focus is visible
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    before = bot_messages(page).count()
    page.keyboard.type("c'est quoi le middle-office ?")
    page.keyboard.press("Enter")
    expect(user_messages(page).last).to_contain_text("c'est quoi le middle-office ?")
    wait_for_new_bot_message(page, before)
    assert_clean(recorder)


def test_new_conversation_clears_history(chat):
    name, page, recorder = chat
    before = bot_messages(page).count()
    send_with_keyboard(page, QUESTION)
    wait_for_new_bot_message(page, before)
    old_session = page.evaluate("JSON.parse(localStorage.getItem('orientation-chat:v1')).sessionId")
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(user_messages(page)).to_have_count(0)
    expect(page.locator("#messages")).not_to_contain_text("monétique")
    expect(page.locator("#suggestions button").first).to_be_visible()
    new_session = page.evaluate("JSON.parse(localStorage.getItem('orientation-chat:v1')).sessionId")
    assert new_session != old_session and re.fullmatch(r"[0-9a-f]{32}", new_session)
    expect(page.locator("html")).to_have_attribute("data-chat", "ready", timeout=BOT_TIMEOUT_MS)
    # the new session works
    before = bot_messages(page).count()
    send_with_keyboard(page, "bonjour")
    wait_for_new_bot_message(page, before)
    page.reload()
    expect(page.locator("#messages")).not_to_contain_text("monétique")
    assert_clean(recorder)


# Without internet the page says so (not the bot's apology for the job sheets: tests/web/test_page_reading.py)
OFFLINE_STATUS = "plus de connexion à internet"


def test_disconnect_shows_status_and_reconnects(chat):
    name, page, recorder = chat
    page.context.set_offline(True)  # socket.io closes its socket on the browser's "offline" event
    expect(page.locator("#connection-status")).to_contain_text(OFFLINE_STATUS, timeout=10_000)
    page.context.set_offline(False)
    expect(page.locator("html")).to_have_attribute("data-chat", "ready", timeout=BOT_TIMEOUT_MS)
    expect(page.locator("#connection-status")).not_to_contain_text(OFFLINE_STATUS)
    # the session is joined again: answers still arrive
    before = bot_messages(page).count()
    send_with_keyboard(page, QUESTION)
    wait_for_new_bot_message(page, before)
    expect(page.locator("#messages")).to_contain_text("monétique", timeout=BOT_TIMEOUT_MS)
    assert_clean(recorder)


def test_no_answer_within_15_seconds_shows_an_error(chat):
    name, page, recorder = chat
    page.context.set_offline(True)  # the message waits for the connection: no answer can come
    expect(page.locator("#connection-status")).to_contain_text(OFFLINE_STATUS, timeout=10_000)
    page.clock.install()  # fake timers from now on: the 15 s pass instantly
    send_with_keyboard(page, QUESTION)
    expect(page.locator("#typing")).to_contain_text("Le bot écrit…")
    page.clock.run_for(14_000)
    expect(page.locator("#typing")).to_contain_text("Le bot écrit…")
    page.clock.run_for(2_000)
    expect(page.locator("#typing")).to_have_text("")
    expect(page.locator("#messages .message-error")).to_contain_text("Pas de réponse : tu n'as plus de connexion")


def test_an_answer_is_rated_with_a_reason_and_stored(chat, stack):
    from common.feedback import FeedbackStore

    name, page, recorder = chat
    before = bot_messages(page).count()
    send_with_keyboard(page, QUESTION)
    wait_for_new_bot_message(page, before)
    answer = bot_messages(page).last
    answer.get_by_role("button", name="Réponse pas utile").click()
    answer.get_by_role("button", name="Incomplet").click()
    expect(answer).to_contain_text("Merci pour ton avis")
    session = page.evaluate("JSON.parse(localStorage.getItem('orientation-chat:v1')).sessionId")
    store = FeedbackStore(stack.settings.tracker_db_url)
    for _ in range(50):  # the rating travels over the socket
        if store.ratings(session):
            break
        page.wait_for_timeout(100)
    [rating] = store.ratings(session)
    assert (rating.rating, rating.reason) == ("down", "incomplete") and "missions" in rating.answer.lower()
    page.reload()  # rated once: the thanks stay, the buttons do not come back
    expect(bot_messages(page).last).to_contain_text("Merci pour ton avis")
    assert_clean(recorder)


def test_the_question_field_is_on_screen_at_first_load(chat):
    """Phones: the chat fills the screen and the question field shows without scrolling (issue 22, item 4)."""
    name, page, recorder = chat
    height = VIEWPORTS[name]["viewport"]["height"]
    box = page.locator("#message-input").bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, (name, box, height)
    if name == "phone":  # the messages fill what is left: no short box in a long page
        log = page.locator("#messages").bounding_box()
        assert log is not None and log["height"] >= height * 0.4, log
