"""The chat page read by every student (issue 22): lists shown as lists, focus after an answer, notices that name
the right cause, no layout shift, no accessibility violation (axe-core). Real browser, real running bot.

Needs the session fixture `stack` and /usr/bin/chromium; axe-core comes from tests/web/js (make install).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.test_browser import BOT_TIMEOUT_MS, QUESTION, VIEWPORTS, bot_messages, wait_for_new_bot_message


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, stack, chromium_browser):
    """The chat page, fresh (empty localStorage), connected."""
    context = chromium_browser.new_context(locale="fr-FR", **VIEWPORTS[request.param])
    page = context.new_page()
    page.goto(stack.settings.web_url)
    expect(page.locator("html")).to_have_attribute("data-chat", "ready", timeout=BOT_TIMEOUT_MS)
    yield page
    context.close()


def ask(page: Page, text: str) -> None:
    before = bot_messages(page).count()
    page.locator("#message-input").fill(text)
    page.locator("#message-input").press("Enter")
    wait_for_new_bot_message(page, before)


def test_an_answers_facts_are_a_list(page):
    """The bot writes Markdown lists (knowledge/render.py); the page shows them as <ul>, with the heading as text."""
    ask(page, QUESTION)
    answer = page.locator("#messages .message-bot", has=page.locator("li")).last
    expect(answer.locator("p").first).to_contain_text("missions")
    assert answer.locator("ul > li").count() >= 3
    expect(answer.locator("ul")).to_contain_text("réclamations")
    assert "- " not in answer.locator("ul").inner_text()
