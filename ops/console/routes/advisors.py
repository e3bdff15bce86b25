"""The advisors' queue: the questions waiting and answered, and an advisor's answer pushed into the student's chat."""
from __future__ import annotations

from sanic import Blueprint
from sanic.response import HTTPResponse

from common.advisor_queue import AnswerRefused
from ops.console.advisors import as_json
from ops.console.routes import blueprint as api_blueprint
from ops.console.web import Call, answer, refuse


def queue(call: Call, query: dict) -> HTTPResponse:
    advisors = call.console.advisors
    if advisors is None:
        return answer({"pending": [], "answered": [], "stats": {}})
    return answer({"pending": [as_json(q) for q in advisors.pending()],
                   "answered": [as_json(q) for q in advisors.answered()], "stats": advisors.stats()})


MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer


def reply(call: Call, body: dict) -> HTTPResponse:
    advisors = call.console.advisors
    if advisors is None:
        return refuse(404, "Pas de file des conseillers.")
    try:
        question_id = int(body.get("id"))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return refuse(400, "Question inconnue.")
    if not 0 < question_id <= MAX_ROW_ID:  # SQLite cannot even look up a larger integer
        return refuse(400, "Question inconnue.")
    try:
        answered = advisors.answer(question_id, str(body.get("answer") or ""), call.who)
    except AnswerRefused as refusal:
        return refuse(409, str(refusal))
    pushed = call.console.push(answered)
    call.log("advisor_answer", sender=answered.sender_id, question=answered.id, pushed=pushed)
    return answer({"id": answered.id, "pushed": pushed})


def blueprint() -> Blueprint:
    return api_blueprint("advisors", [("GET", "/api/advisor", queue), ("POST", "/api/advisor/answer", reply)])
