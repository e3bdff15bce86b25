"""The console's message list over HTTP (in-process server, no browser): text search, pages past 100 messages,
the CSV export behind the session, who marked what, and bad values answered with a French 400."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from urllib.parse import quote

import pytest

from common.settings import get_settings
from ops.console.server import default_console
from tests.ops.conversations import MISTAKE, fill_tracker_store, served
from tests.ops.test_console_server import TOKEN, login, request

STUDENTS = 230  # one message each, on top of the 11 students' messages of tests/ops/conversations.py


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console-list")
    settings = dataclasses.replace(get_settings(), tracker_db_url=fill_tracker_store(folder / "c.sqlite3",
                                                                                     extra=STUDENTS))
    state = default_console(settings, TOKEN, state_dir=folder / "var", nlu_dir=get_settings().console_nlu_dir,
                            results_dir=folder / "results")
    with served(state) as running:
        yield running


@pytest.fixture(scope="module")
def session(console):
    return login(console[0]).split(";")[0]


def get(console, session, path):
    response, body = request(console[0], "GET", path, headers={"Cookie": session})
    return response, body


def listing(console, session, query=""):
    response, body = get(console, session, f"/api/turns?status=&{query}")
    assert response.status == 200, body
    return json.loads(body)


def test_pages_of_a_hundred_newest_first(console, session):
    first = listing(console, session)
    assert (first["total"], first["pages"], first["page"], first["page_size"]) == (STUDENTS + 11, 3, 1, 100)
    assert len(first["turns"]) == 100
    third = listing(console, session, "page=3")
    assert len(third["turns"]) == STUDENTS + 11 - 200
    seen = [t["id"] for page in (1, 2, 3) for t in listing(console, session, f"page={page}")["turns"]]
    assert len(seen) == len(set(seen)) == STUDENTS + 11  # every message once, none lost between pages
    stamps = [t["timestamp"] for t in first["turns"]]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize(("query", "message"), [
    ("page=0", "Numéro de page invalide"), ("page=abc", "Numéro de page invalide"),
    ("page=" + "9" * 400, "Numéro de page invalide"), ("page=4", "La page 4 n'existe pas : 3 pages"),
    ("q=" + "a" * 5000, "Recherche trop longue"), ("q=%3F%3F", "ni lettre ni chiffre"),
])
def test_bad_values_get_a_french_400(console, session, query, message):
    for route in ("/api/turns", "/api/export.csv"):
        if route.endswith("csv") and "page" in query:
            continue  # the export is every page
        response, body = get(console, session, f"{route}?{query}")
        assert response.status == 400 and message in json.loads(body)["error"], (route, body)


def test_search_folds_and_combines_with_the_filters(console, session):
    found = listing(console, session, "q=" + quote("ALTERNANCE à LYON"))
    assert [t["text"] for t in found["turns"]] == ["alternance a lyon pour le bo c possible ?", MISTAKE]
    assert listing(console, session, "q=lyon&flag=rephrased")["total"] == 1
    assert listing(console, session, "q=question+229")["total"] == 1
    assert listing(console, session, "q=question+22")["total"] == 11  # 22 and 220-229: words begin so
    assert listing(console, session, "q=m%C3%A9tier")["total"] == STUDENTS  # "métier": every extra student
    log = console[1].access.path.read_text(encoding="utf-8")
    assert "lyon" not in log.lower() and '"search_words": 3' in log  # what was searched is never logged


def test_marks_say_who_and_when_in_the_list(console, session):
    port, _ = console
    turn = listing(console, session, "q=question+228")["turns"][0]
    assert (turn["status"], turn["marked_by"]) == ("", "")
    response, body = request(port, "POST", "/api/mark", {"sender": turn["sender_id"], "ts": turn["timestamp"],
                                                         "status": "reviewed"}, headers={"Cookie": session})
    marked = json.loads(body)
    assert response.status == 200 and (marked["status"], marked["marked_by"]) == ("reviewed", "Anne")
    again = listing(console, session, "q=question+228")["turns"][0]
    assert (again["status"], again["marked_by"], again["marked_at"]) == ("reviewed", "Anne", marked["marked_at"])
    assert len(again["marked_at"]) == 16  # "2026-12-05 10:31"
    assert listing(console, session, "status=todo&q=question+228")["total"] == 0


def test_csv_export_of_every_filtered_message(console, session):
    port, _ = console
    assert request(port, "GET", "/api/export.csv")[0].status == 401
    response, body = get(console, session, "/api/export.csv?status=&q=sur+le+metier")
    assert response.status == 200 and response.getheader("Content-Type") == "text/csv; charset=utf-8"
    assert response.getheader("Content-Disposition").startswith('attachment; filename="messages-')
    assert body.startswith(b"\xef\xbb\xbf") and b"student-" not in body  # BOM; no sender id
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["date", "canal", "message"] and len(rows) == STUDENTS + 1  # not one page: all of them
    assert rows[1][2] == "question 0 sur le métier" and rows[1][4] == "0,90"
    log = [json.loads(line) for line in console[1].access.path.read_text(encoding="utf-8").splitlines()]
    assert (log[-1]["action"], log[-1]["count"]) == ("export_csv", STUDENTS)
