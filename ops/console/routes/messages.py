"""The messages: the page's lists (meta, one page of turns, a conversation), the CSV export, charts, evaluation
scores, and what an operator does to a message (mark, label into data/nlu/, undo a label)."""
from __future__ import annotations

from datetime import datetime

from sanic import Blueprint
from sanic.response import HTTPResponse

from common.settings import PROJECT_DIR
from knowledge.loader import load_topics
from ops.console.evaluations import evaluation_runs, last_story_test
from ops.console.export import csv_bytes
from ops.console.filters import PAGE_SIZE, TurnFilter, one_page, page_count, page_number
from ops.console.labels import LabelRefused
from ops.console.marks import STATUSES, Mark
from ops.console.routes import blueprint as api_blueprint
from ops.console.state import turn_key
from ops.console.store import FLAGS, Turn, statistics
from ops.console.web import Call, answer, refuse

GONE = "Message introuvable (supprimé par la rétention ?)."


def turn_json(turn: Turn, mark: Mark | None) -> dict:
    """A turn for the page, with its mark: status, who and when ("" when still to review)."""
    marked = mark.to_json() if mark else {"status": "", "marked_by": "", "marked_at": "", "label": ""}
    return {**turn.to_json(), **marked}


def topic_labels() -> dict[str, str]:
    """The topics' French labels (knowledge/topics.yml) for the charts: "Études et diplômes", not `studies`."""
    try:
        return {name: topic.label for name, topic in load_topics(PROJECT_DIR / "knowledge" / "topics.yml").items()}
    except (OSError, ValueError):
        return {}


def meta(call: Call, query: dict) -> HTTPResponse:
    turns, _ = call.console.turns()
    call.log("meta")
    return answer({
        "operator": call.who, "intents": call.console.training.intents,
        "entities": sorted(call.console.training.entities),
        "seen_intents": sorted({t.intent for t in turns if t.intent}),
        "channels": sorted({t.channel for t in turns if t.channel}),
        "jobs": sorted({t.job for t in turns if t.job}), "flags": list(FLAGS),
        "topic_labels": topic_labels(), "retention_days": call.console.retention_days})


def turns(call: Call, query: dict) -> HTTPResponse:
    """One page of the filtered messages, newest first, with the total and the number of pages."""
    selection, page = TurnFilter.from_query(query), page_number(query)
    kept = call.console.selected(selection)
    shown = one_page(kept, page)
    call.log("list_messages", filter=selection.describe(), count=len(kept), page=page)
    return answer({"total": len(kept), "page": page, "pages": page_count(len(kept)), "page_size": PAGE_SIZE,
                   "turns": [turn_json(t, m) for t, m in shown]})


def export(call: Call, query: dict) -> HTTPResponse:
    """Every filtered message (not one page) as a CSV download, without the students' ids."""
    selection = TurnFilter.from_query(query)
    kept = call.console.selected(selection)
    call.log("export_csv", filter=selection.describe(), count=len(kept))
    name = f"messages-{datetime.now().strftime('%Y-%m-%d_%H%M')}.csv"
    return HTTPResponse(csv_bytes(kept), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def conversation(call: Call, query: dict) -> HTTPResponse:
    sender = query.get("sender", "")[:255]
    stored, marks = call.console.turns(sender)
    call.log("view_conversation", sender=sender, count=len(stored))
    return answer({"sender_id": sender, "turns": [turn_json(t, marks.get(turn_key(t))) for t in stored]})


def stats(call: Call, query: dict) -> HTTPResponse:
    chart_keys = ("channel", "from", "to", "job", "advisors")
    selection = TurnFilter.from_query({k: v for k, v in query.items() if k in chart_keys})
    stored, _ = call.console.turns()
    call.log("charts", filter=selection.describe())
    return answer(statistics([t for t in stored if selection.keep(t, "")], call.console.questions(selection)))


def evaluations(call: Call, query: dict) -> HTTPResponse:
    call.log("evaluations")
    return answer({"runs": evaluation_runs(call.console.results_dir),
                   "stories": last_story_test(call.console.results_dir)})


def label_form(call: Call, query: dict) -> HTTPResponse:
    turn = call.console.find(query.get("sender", "")[:255], query.get("ts"))
    if turn is None:
        return refuse(404, GONE)
    call.log("label_form", sender=turn.sender_id, message=turn.id)
    return answer(call.console.training.draft(turn.text, turn.intent, turn.entities))


def mark(call: Call, body: dict) -> HTTPResponse:
    status = str(body.get("status") or "")
    if status and status not in STATUSES[:2]:
        return refuse(400, "Statut inconnu.")
    turn = call.console.find(str(body.get("sender") or "")[:255], body.get("ts"))
    if turn is None:
        return refuse(404, GONE)
    call.console.marks.set(turn.sender_id, turn.timestamp, status, call.who)
    call.log("mark", sender=turn.sender_id, message=turn.id, status=status)
    return answer(turn_json(turn, call.console.marks.get(turn.sender_id, turn.timestamp)))


def label(call: Call, body: dict) -> HTTPResponse:
    turn = call.console.find(str(body.get("sender") or "")[:255], body.get("ts"))
    if turn is None:
        return refuse(404, GONE)
    intent = str(body.get("intent") or "")
    try:
        added = call.console.training.add(str(body.get("text") or ""), intent, turn.text)
    except LabelRefused as refusal:
        call.log("label_refused", sender=turn.sender_id, message=turn.id, intent=intent[:100])
        return refuse(409, str(refusal))
    call.console.marks.set(turn.sender_id, turn.timestamp, "labelled", call.who, intent=added.intent)
    call.log("label", sender=turn.sender_id, message=turn.id, intent=added.intent, file=added.path.name)
    marked = call.console.marks.get(turn.sender_id, turn.timestamp)
    return answer({"file": added.path.name, "example": added.example, "intent": added.intent,
                   **(marked.to_json() if marked else {"status": "labelled"})})


def unlabel(call: Call, body: dict) -> HTTPResponse:
    """Undo a label: its example leaves the training file, the message is to review again (just after labelling the
    page sends the example; later, the example written for this message is found from its text)."""
    turn = call.console.find(str(body.get("sender") or "")[:255], body.get("ts"))
    if turn is None:
        return refuse(404, GONE)
    marked = call.console.marks.get(turn.sender_id, turn.timestamp)
    intent = str(body.get("intent") or (marked.intent if marked else "") or "")
    example = str(body.get("example") or "")
    if not example:  # after a reload: the example written for this message, found from its text
        example = call.console.training.example_of(intent, turn.text) or ""
    try:
        path = call.console.training.remove(intent, example)
    except LabelRefused as refusal:
        return refuse(409, str(refusal))
    call.console.marks.set(turn.sender_id, turn.timestamp, "", call.who)
    call.log("unlabel", sender=turn.sender_id, message=turn.id, intent=intent[:100], file=path.name)
    return answer({"file": path.name, "status": ""})


def blueprint() -> Blueprint:
    return api_blueprint("messages", [
        ("GET", "/api/meta", meta), ("GET", "/api/turns", turns), ("GET", "/api/export.csv", export),
        ("GET", "/api/conversation", conversation), ("GET", "/api/stats", stats),
        ("GET", "/api/evaluations", evaluations), ("GET", "/api/draft", label_form),
        ("POST", "/api/mark", mark), ("POST", "/api/label", label), ("POST", "/api/unlabel", unlabel),
    ])
