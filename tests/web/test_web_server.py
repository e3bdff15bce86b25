"""The chat page's static server (launch/web_server.py), in-process: routes, headers, no traversal, no listing."""
from __future__ import annotations

import http.client
import json
import threading
from dataclasses import replace

import pytest

from common.settings import get_settings
from launch import web_server


@pytest.fixture(scope="module")
def server():
    if not web_server.SOCKET_IO_CLIENT.is_file():
        pytest.fail("node_modules/socket.io-client is missing: run make install (npm ci)")
    settings = replace(get_settings(), allowed_origins=None)  # no site may frame it (a session's stack allows some)
    httpd = web_server.make_server(settings, port=0, host="127.0.0.1")  # a free port: no clash
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield settings, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)  # path sent as is
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_page_and_assets(server):
    settings, port = server
    for path, kind in [("/", "text/html"), ("/index.html", "text/html"), ("/app.js", "text/javascript"),
                       ("/style.css", "text/css"), ("/vendor/socket.io.min.js", "text/javascript"),
                       ("/config.js", "text/javascript")]:
        response, body = get(port, path)
        assert response.status == 200, path
        assert response.getheader("Content-Type").startswith(kind), path
        assert body


def test_config_comes_from_settings(server):
    settings, port = server
    _, body = get(port, "/config.js")
    text = body.decode()
    assert text.startswith("window.BOT_CONFIG = ")
    assert f'"socketUrl": "{settings.rasa_url}"' in text
    assert f'"maxChars": {settings.max_message_chars}' in text
    assert f'"retentionDays": {settings.retention_days}' in text


def test_security_headers(server):
    settings, port = server
    for path in ["/", "/config.js", "/nothing-here"]:
        response, _ = get(port, path)
        csp = response.getheader("Content-Security-Policy")
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        rasa = settings.rasa_url
        assert f"connect-src {rasa} ws://{rasa.split('://', 1)[1]}" in csp
        assert "unsafe-inline" not in csp and "*" not in csp
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Referrer-Policy") == "no-referrer"
        assert "frame-ancestors 'none'" in csp and response.getheader("X-Frame-Options") == "DENY"


@pytest.mark.parametrize("path", [
    "/../common/settings.py", "/..%2fsettings.py", "/%2e%2e/%2e%2e/common/settings.py", "/..%2f..%2fMakefile",
    "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "//etc/passwd", "/....//....//etc/passwd", "/..\\..\\Makefile",
    "/%5c..%5c..%5cMakefile", "/%00index.html", "/%ff", "/.gitignore", "/nothing-here", "/vendor/",
    "/vendor/../../package.json", "/node_modules/socket.io-client/package.json",
])
def test_traversal_and_unknown_paths_are_404(server, path):
    _, port = server
    response, body = get(port, path)
    assert response.status == 404, path
    assert b"BOT_CONFIG" not in body and b"[Service]" not in body and b"root:" not in body


def test_no_directory_listing(server):
    _, port = server
    for path in ["/", "/vendor/", "/?C=M;O=A"]:
        response, body = get(port, path)
        assert b"Directory listing" not in body
        assert response.status in (200, 404)
        if response.status == 200:
            assert b"<title>" in body  # index.html, not a listing


def test_head_has_no_body(server):
    _, port = server
    response, body = get(port, "/", method="HEAD")
    assert response.status == 200 and body == b""


def test_logs_have_no_query_string(server, capfd):
    _, port = server
    get(port, "/app.js?token=secret123")
    get(port, "/nothing?token=secret456")
    err = capfd.readouterr().err
    assert "/app.js 200" in err and "/nothing 404" in err
    assert "secret" not in err


def test_missing_client_library_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(web_server, "SOCKET_IO_CLIENT", tmp_path / "socket.io.min.js")
    assert web_server.main(["--port", "0"]) == 1
    assert "run make install" in capsys.readouterr().err


def test_the_page_names_the_jobs_of_the_knowledge_base(third_job_kb):
    """A third job added as data reaches the page's header, welcome and starters through /config.js."""
    from common.settings import get_settings
    from launch.web_server import config_js

    config = json.loads(config_js(get_settings()).decode().split("=", 1)[1].rstrip(";\n"))
    assert [job["id"] for job in config["jobs"]] == ["back-office", "middle-office", "patrimoine"]
    assert config["jobsCount"] == "trois" and "conseiller en gestion de patrimoine" in config["jobsText"]


@pytest.mark.parametrize("method", ["FOO", "PUT", "DELETE"])
def test_errors_of_the_base_class_carry_the_security_headers_too(server, method):
    _, port = server
    response, _ = get(port, "/", method=method)
    assert response.status == 501
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"


def test_an_idle_connection_is_closed_and_the_backlog_is_large(server):
    import socket
    import time

    _, port = server
    assert web_server.ChatPageServer.request_queue_size == web_server.LISTEN_BACKLOG >= 128
    with socket.create_connection(("127.0.0.1", port)) as silent:
        silent.settimeout(web_server.IDLE_TIMEOUT + 10)
        start = time.monotonic()
        assert silent.recv(10) == b""  # closed by the server
        assert web_server.IDLE_TIMEOUT - 1 <= time.monotonic() - start <= web_server.IDLE_TIMEOUT + 5


def test_the_page_is_not_given_the_bots_apology_for_its_connection_notices(server):
    """The apology says the job sheets cannot be read: a lost connection is another cause, named by the page."""
    _, port = server
    _, body = get(port, "/config.js")
    config = json.loads(body.decode().removeprefix("window.BOT_CONFIG = ").rstrip(";\n"))
    assert "apology" not in config


def test_behind_a_proxy_the_page_connects_to_the_public_origin(monkeypatch):
    monkeypatch.setenv("PUBLIC_RASA_URL", "https://orientation.example.org/")
    settings = get_settings()
    config = json.loads(web_server.config_js(settings).decode().split("=", 1)[1].rstrip(";\n"))
    assert config["socketUrl"] == "https://orientation.example.org"
    policy = web_server.content_security_policy(settings)
    assert "connect-src https://orientation.example.org wss://orientation.example.org" in policy
    monkeypatch.setenv("PUBLIC_RASA_URL", "javascript:alert(1)")
    with pytest.raises(SystemExit, match="PUBLIC_RASA_URL"):
        get_settings()


def test_the_page_is_served_with_its_jobs_in_the_header():
    """No layout shift when the script starts: the jobs are in the HTML (escaped); as is without a knowledge base."""
    jobs = {"jobs": [{"id": "a", "name": "Gestionnaire <middle> & co"}, {"id": "b", "name": "Back"}],
            "jobsCount": "deux", "jobsText": "gestionnaire <middle> & co et back"}
    page = web_server.index_html(jobs).decode()
    assert '<ul class="jobs" id="jobs-list"><li><strong>Gestionnaire &lt;middle&gt; &amp; co</strong></li>' in page
    assert '<span id="jobs-count">deux</span>' in page and "<title>Orientation : gestionnaire &lt;middle&gt;" in page
    assert web_server.index_html({}) == (web_server.WEB_DIR / "index.html").read_bytes()


def test_the_sites_of_allowed_origins_may_show_the_page_in_an_iframe():
    """The project's own widget on a school's site: an <iframe> of the page (docs/deploy.md), allowed there only."""
    settings = replace(get_settings(), allowed_origins="https://www.lycee-exemple.fr, https://cdi.lycee-exemple.fr")
    policy = web_server.content_security_policy(settings)
    ancestors = policy.split("frame-ancestors ", 1)[1].split(";")[0].split()
    assert ancestors == [*settings.origins] and "https://www.lycee-exemple.fr" in ancestors and "*" not in policy
    httpd = web_server.make_server(settings, port=0, host="127.0.0.1")
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        response, _ = get(httpd.server_address[1], "/")
        assert response.getheader("X-Frame-Options") is None  # it cannot name sites: frame-ancestors decides
    finally:
        httpd.shutdown()
        httpd.server_close()
