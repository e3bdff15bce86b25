"""The console's list on tiny fixtures of turns: several signals on one turn, the text search, pages, the marks
with who made them, and the CSV export."""
from __future__ import annotations

import csv
import io

import pytest

from ops.console.export import COLUMNS, csv_bytes, safe_cell
from ops.console.filters import MAX_SEARCH, BadFilter, TurnFilter, one_page, page_count, page_number
from ops.console.marks import Mark, Marks, marked_keys
from ops.console.store import Turn, _flag

NOW = 1_767_225_600.0  # 2026-01-01 00:00 UTC


def turn(text: str, intent: str = "ask_studies", confidence: float = 0.9, ts: float = NOW, **fields) -> Turn:
    return Turn(id=1, sender_id=fields.pop("sender_id", "s1"), timestamp=ts, text=text, channel="socketio",
                intent=intent, confidence=confidence, entities=[], **fields)


def flagged(*turns: Turn) -> list[Turn]:
    _flag(list(turns))
    return list(turns)


def test_low_confidence_whatever_the_intent():
    out_low, out_sure, fallback, unsure, button = flagged(
        turn("je veux etre pompier", "out_of_scope", 0.35, NOW),
        turn("et pour etre boulanger", "out_of_scope", 0.9, NOW + 1),
        turn("zblorf", "nlu_fallback", 0.3, NOW + 2), turn("le salaire au mo", "ask_salary", 0.45, NOW + 3),
        turn("/ask_studies", "ask_studies", 0.1, NOW + 4))
    assert out_low.flags == ["out_of_scope", "low_confidence"]
    assert out_sure.flags == ["out_of_scope"]
    assert fallback.flags == ["fallback", "low_confidence"]
    assert unsure.flags == ["low_confidence"] and button.flags == []  # a button click is no wording to doubt
    low = TurnFilter.from_query({"flag": "low_confidence"})
    assert [t.text for t in (out_low, out_sure, fallback, unsure, button) if low.keep(t, "")] == [
        "je veux etre pompier", "zblorf", "le salaire au mo"]
    assert TurnFilter.from_query({"flag": "out_of_scope"}).keep(out_low, "")  # still under "hors sujet" too


@pytest.mark.parametrize(("search", "found"), [
    ("ALTERNANCE", True), ("étudier", True), ("études", False), ("Lyon alternance", True), ("lyon, alternance ?", True),
    ("etudi bo", True), ("tudier", False), ("l'alternance", True), ("est", False), ("marseille", False),
    ("alternance marseille", False), ("", True), ("   ", True),
])
def test_search_folds_accents_case_and_punctuation(search, found):
    said = turn("Et pour ÉTUDIER en alternance à Lyon pour le BO ?")
    assert TurnFilter.from_query({"q": search}).keep(said, "") is found


def test_a_search_never_logs_its_words_and_bad_ones_are_refused_in_french():
    assert TurnFilter.from_query({"q": "alternance lyon", "flag": "any"}).describe() == {
        "flag": "any", "search_words": 2}
    with pytest.raises(BadFilter, match="Recherche trop longue : 200 caractères au plus"):
        TurnFilter.from_query({"q": "a" * (MAX_SEARCH + 1)})
    with pytest.raises(BadFilter, match="ni lettre ni chiffre"):
        TurnFilter.from_query({"q": "?!…"})
    assert TurnFilter.from_query({"q": "a" * MAX_SEARCH}).words == ("a" * MAX_SEARCH,)


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5", "²", "9" * 50, "100001", " 2e3"])
def test_bad_page_numbers(page):
    with pytest.raises(BadFilter, match="Numéro de page invalide"):
        page_number({"page": page})


def test_pages():
    assert page_number({}) == 1 and page_number({"page": "3"}) == 3 and page_number({"page": ""}) == 1
    items = list(range(250))
    assert page_count(0) == 1 and page_count(100) == 1 and page_count(250) == 3
    assert one_page(items, 1) == list(range(100)) and one_page(items, 3) == list(range(200, 250))
    assert one_page([], 1) == []
    with pytest.raises(BadFilter, match="La page 4 n'existe pas : 3 pages pour ces filtres"):
        one_page(items, 4)


def test_marks_say_who_and_when(tmp_path):
    marks = Marks(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    marks.set("s1", NOW + 0.1234567, "reviewed", "Anne")
    marks.set("s2", NOW, "labelled", "Karim", intent="ask_studies")
    mark = marks.get("s1", NOW + 0.1234567)
    assert (mark.status, mark.operator, mark.intent) == ("reviewed", "Anne", None) and mark.at > NOW
    assert set(marks.details()) == {("s1", round(NOW + 0.1234567, 6)), ("s2", NOW)}
    assert list(marks.details("s2").values())[0].to_json()["marked_by"] == "Karim"
    assert marks.get("s3", NOW) is None
    assert marked_keys(tmp_path / "console.sqlite3") == set(marks.details())
    assert marked_keys(tmp_path / "none.sqlite3") == set() and not (tmp_path / "none.sqlite3").exists()


def test_export_has_no_student_id_and_opens_in_french_excel():
    said = turn("=HYPERLINK(\"http://x\") études ?", "out_of_scope", 0.351, flags=["out_of_scope", "low_confidence"],
                job="back-office", topic="studies", sender_id="student-secret-id")
    other = turn("bonjour", "greet", 0.99, sender_id="student-2")
    mark = Mark("reviewed", "Anne", NOW + 60)
    data = csv_bytes([(said, mark), (other, None)])
    assert data.startswith("\ufeff".encode()) and b"student" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS and "sender_id" not in rows[0]
    header = dict(zip(rows[0], rows[1], strict=True))
    assert header["message"].startswith("'=HYPERLINK") and header["confiance"] == "0,35"
    assert header["signaux"] == "hors sujet, confiance faible" and header["état"] == "revu"
    assert header["revu par"] == "Anne" and header["revu le"] == mark.to_json()["marked_at"]
    assert (header["métier"], header["thème"], header["intention"]) == ("back-office", "studies", "out_of_scope")
    assert rows[2][8:] == ["à revoir", "", ""]
    assert [safe_cell(v) for v in ("+33 6", "-1", "@x", "ok")] == ["'+33 6", "'-1", "'@x", "ok"]


def test_a_message_with_a_nul_or_a_lone_surrogate_does_not_break_the_export():
    """One student's NUL made every operator's export a 500 until the message was purged."""
    data = csv_bytes([(turn("bonjour\x00 le\x1b[31m bo \ud800 ?"), None), (turn("quelles études ?"), None)])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == "bonjour le[31m bo  ?" and rows[2][2] == "quelles études ?"


def test_the_period_of_the_dates_for_the_advisors_queue():
    from datetime import datetime

    start, end = TurnFilter.from_query({"from": "2026-03-01", "to": "2026-03-02"}).period()
    assert start == datetime(2026, 3, 1).timestamp() and end == datetime(2026, 3, 3).timestamp()
    assert TurnFilter.from_query({}).period() == (None, None)
