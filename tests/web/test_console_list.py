"""The console's message list in a real browser (Debian's chromium) at 1280 and 390 px: pages past 100 messages, the
text search, the CSV export link and download, who reviewed a message; nothing clipped, no sideways scroll.

The console runs in-process on a free loopback port over 241 stored student messages (tests/ops/conversations.py
with 230 more students). Screenshots go to tests/screenshots/console-list-*.png (git-ignored).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from common.settings import PROJECT_DIR, get_settings
from ops.console.server import default_console, make_server
from tests.conftest import free_port
from tests.ops.conversations import MISTAKE, fill_tracker_store
from tests.web.test_browser import SCREENSHOTS, Recorder

TOKEN = "jeton-de-test-liste"
STUDENTS = 230
TOTAL = STUDENTS + 11
WIDTHS = {"desktop": {"viewport": {"width": 1280, "height": 800}},
          "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                    "device_scale_factor": 2}}
NEW_CONTROLS = ("#f-q", "#export", "#page-prev", "#page-info", "#page-next", "#count")


@pytest.fixture()
def console(tmp_path):
    folder = tmp_path
    shutil.copytree(PROJECT_DIR / "data" / "nlu", folder / "nlu")
    settings = dataclasses.replace(get_settings(), retention_days=30,
                                   tracker_db_url=fill_tracker_store(folder / "c.sqlite3", extra=STUDENTS))
    state = default_console(settings, TOKEN, state_dir=folder / "var", nlu_dir=folder / "nlu",
                            results_dir=folder / "results")
    server = make_server(state, "127.0.0.1", free_port(), quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def page(request, chromium_browser, console):
    context = chromium_browser.new_context(locale="fr-FR", accept_downloads=True, **WIDTHS[request.param])
    recorder = Recorder()
    tab = context.new_page()
    tab.on("console", lambda msg: recorder.console_errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda error: recorder.page_errors.append(str(error)))
    tab.goto(console)
    yield tab, request.param, recorder
    context.close()


def _fits(tab, width: str) -> None:
    """Every new control inside the window, its text not cut; the page never scrolls sideways."""
    viewport = WIDTHS[width]["viewport"]["width"]
    for selector in NEW_CONTROLS:
        box = tab.locator(selector).bounding_box()
        if box is None:  # hidden (the pager of a one-page list)
            continue
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport + 0.5, (selector, box)
        assert tab.eval_on_selector(selector, "e => e.scrollWidth <= e.clientWidth + 1"), f"{selector} clipped"
    assert tab.evaluate("document.documentElement.scrollWidth") <= viewport, "sideways scroll"
    # a select shows its chosen option whole (the signal filter's "tous les messages" was cut at 1280 px)
    whole = ("e => { const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(e).font; "
             "return c.measureText(e.options[e.selectedIndex].text).width + 28 <= e.clientWidth; }")
    assert tab.eval_on_selector("#f-flag", whole), "the signal filter's text is cut"


def _shot(tab, width: str, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"console-list-{width}-{name}.png"), full_page=False)


def test_pages_search_export_and_who_reviewed(page):
    tab, width, recorder = page
    tab.fill("#login-name", "Anne Conseillère")
    tab.fill("#login-token", TOKEN)
    tab.click("#login-form button[type=submit]")
    expect(tab.locator("html")).to_have_attribute("data-console", "ready")
    turns = tab.locator("#turns > li")

    # Pages of 100, newest first, the total shown
    expect(turns).to_have_count(100)
    expect(tab.locator("#count")).to_have_text(f"{TOTAL} messages, du plus récent au plus ancien : 1 à 100 affichés.")
    expect(tab.locator("#page-info")).to_have_text("Page 1 sur 3")
    expect(tab.locator("#page-prev")).to_be_disabled()
    _fits(tab, width)
    tab.locator("#pager").scroll_into_view_if_needed()
    _shot(tab, width, "pager")
    first_of_page_one = turns.first.locator(".said").inner_text()
    tab.click("#page-next")
    expect(tab.locator("#page-info")).to_have_text("Page 2 sur 3")
    expect(tab.locator("#count")).to_contain_text("101 à 200 affichés")
    assert turns.first.locator(".said").inner_text() != first_of_page_one
    tab.click("#page-next")
    expect(turns).to_have_count(TOTAL - 200)
    expect(tab.locator("#page-next")).to_be_disabled()
    tab.click("#page-prev")
    expect(tab.locator("#page-info")).to_have_text("Page 2 sur 3")

    # Search: accents and case folded, back to page 1, one page: no pager
    tab.fill("#f-q", "ALTERNANCE à Lyon")
    tab.click("#filters button[type=submit]")
    expect(turns).to_have_count(2)
    expect(tab.locator("#count")).to_have_text("2 messages, du plus récent au plus ancien.")
    expect(tab.locator("#pager")).to_be_hidden()
    expect(turns.nth(1).locator(".said")).to_have_text(MISTAKE)

    # Who reviewed it, at once and after a reload of the list
    turns.nth(1).get_by_role("button", name="Revu").click()
    expect(turns.nth(1).locator(".meta .status")).to_contain_text("revu par Anne Conseillère le ")
    tab.select_option("#f-status", label="tous")
    tab.click("#filters button[type=submit]")
    expect(tab.locator("#turns .status")).to_have_count(1)
    expect(tab.locator("#turns .status")).to_contain_text("revu par Anne Conseillère le ")
    _fits(tab, width)
    _shot(tab, width, "search")

    # The export link carries the filters; the file is the filtered messages, with the BOM and no student id
    assert "q=ALTERNANCE" in tab.get_attribute("#export", "href")
    with tab.expect_download() as caught:
        tab.click("#export")
    download = caught.value
    assert download.suggested_filename.startswith("messages-") and download.suggested_filename.endswith(".csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"student-" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and rows[2][2] == MISTAKE and rows[2][8:] == ["revu", "Anne Conseillère", rows[2][10]]

    # A search the box would not let through is a French 400, the page keeps working
    refused = tab.request.get(f"{tab.url}api/turns?q={'a' * 5000}")
    assert refused.status == 400 and "Recherche trop longue" in refused.json()["error"]
    errors = [e for e in recorder.console_errors if "status of 401" not in e]  # the page's check before login
    assert not errors and not recorder.page_errors, (errors, recorder.page_errors)
