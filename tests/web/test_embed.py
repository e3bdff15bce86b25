"""A school's site embeds the chat with rasa-webchat 1.0.1 (issue 22): a page served from another loopback origin,
allowed by ALLOWED_ORIGINS, in a real browser, against the real running bot.

rasa-webchat is installed by `make install` into tests/web/js (npm ci); when it is missing the test fails and says
so. The page uses the embed snippet of docs/deploy.md, with the script served by the school's own server.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import BOT_TIMEOUT_MS

WEBCHAT = Path(__file__).resolve().parent / "js" / "node_modules" / "rasa-webchat" / "lib" / "index.js"

# docs/deploy.md's snippet, the script served by the school's site ({socket_url}: the bot's public URL)
SCHOOL_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Lycée — orientation</title></head>
<body>
<h1>Le CDI du lycée</h1>
<div id="webchat"></div>
<script src="/js/rasa-webchat.js"></script>
<script>
  WebChat.default({
    selector: "#webchat",
    socketUrl: "{socket_url}",
    initPayload: "/get_started",
    customData: {language: "fr"},
    title: "Orientation",
    inputTextFieldHint: "Écris ta question…",
    embedded: true,
    params: {storage: "session"}
  }, null);
</script>
</body></html>
"""


class SchoolSite(SimpleHTTPRequestHandler):
    """The school's web server: its page and the widget's script, nothing else."""

    def __init__(self, *args, page: bytes, **kwargs):
        self.page = page
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        body, kind = (self.page, "text/html") if self.path == "/" else (WEBCHAT.read_bytes(), "text/javascript") \
            if self.path == "/js/rasa-webchat.js" else (b"", "")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # the base class's signature
        pass


@pytest.fixture()
def school_site(stack, school_site_origin) -> Iterator[str]:
    if not WEBCHAT.is_file():
        pytest.fail(f"rasa-webchat 1.0.1 is not installed ({WEBCHAT} is missing): run `make install` "
                    "(it runs npm ci --prefix tests/web/js)")
    page = SCHOOL_PAGE.replace("{socket_url}", stack.settings.rasa_url).encode()
    where = urlsplit(school_site_origin)
    server = ThreadingHTTPServer((where.hostname, where.port), partial(SchoolSite, page=page))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield school_site_origin + "/"
    finally:
        server.shutdown()
        server.server_close()


def test_rasa_webchat_on_a_schools_site_greets_answers_and_follows_a_quick_reply(school_site, chromium_browser):
    context = chromium_browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(school_site)
        replies = page.locator(".rw-response")
        # the widget's initPayload "/get_started" is the greeting, not "je n'ai pas compris"
        expect(replies.first).to_contain_text("Salut", timeout=BOT_TIMEOUT_MS)
        expect(page.locator(".rw-messages-container")).not_to_contain_text("pas compris")

        page.locator(".rw-new-message").fill("quelles sont les missions du back office ?")
        page.locator(".rw-new-message").press("Enter")
        expect(page.locator(".rw-messages-container")).to_contain_text("réclamations", timeout=BOT_TIMEOUT_MS)
        answer = replies.filter(has_text="réclamations").last
        assert answer.locator("li").count() >= 3, "the answer's facts are not a list in rasa-webchat"

        reply = page.locator(".rw-reply").first  # the answer's suggestions, as the widget's quick replies
        expect(reply).to_be_visible(timeout=BOT_TIMEOUT_MS)
        title = reply.inner_text().strip()
        count = replies.count()
        reply.click()
        expect(page.locator(".rw-client").last).to_contain_text(title, timeout=BOT_TIMEOUT_MS)
        expect(replies).not_to_have_count(count, timeout=BOT_TIMEOUT_MS)
        expect(replies.last).not_to_contain_text("pas compris")
        assert not errors, errors
    finally:
        context.close()
