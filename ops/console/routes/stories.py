"""A conversation saved as a test or training story ("Enregistrer comme histoire"), and the last save undone."""
from __future__ import annotations

from datetime import datetime

from sanic import Blueprint
from sanic.response import HTTPResponse

from ops.console.routes import blueprint as api_blueprint
from ops.console.stories import StoryExists, StoryRefused, chosen_turns, draft, story_name, story_steps
from ops.console.web import Call, answer, refuse

NO_FILES = "Pas de fichier d'histoires configuré."


def form(call: Call, query: dict) -> HTTPResponse:
    """A conversation's turns as the story form shows them, and the domain's lists to correct them from."""
    sender = query.get("sender", "")[:255]
    turns, _ = call.console.turns(sender)
    if not turns:
        return refuse(404, "Conversation introuvable (supprimée par la rétention ?).")
    call.log("story_form", sender=sender, count=len(turns))
    return answer({"sender_id": sender, "turns": [draft(t) for t in turns], **call.console.vocabulary.to_json()})


def save(call: Call, body: dict) -> HTTPResponse:
    """Save the turns sent (timestamps of one conversation, in its order) with their corrections as a story."""
    sender, kind = str(body.get("sender") or "")[:255], str(body.get("kind") or "")
    if call.console.stories is None:
        return refuse(404, NO_FILES)
    try:
        stored, _ = call.console.turns(sender)
        chosen, corrections = chosen_turns(stored, body.get("turns"), kind)
        steps = story_steps(chosen, corrections, call.console.vocabulary, with_text=kind == "test")
        story = {"story": story_name(chosen[0].day, datetime.now(), len(chosen)), "steps": steps}
        saved = call.console.stories.save(story, kind)
    except StoryRefused as refusal:  # bad input: 400; the same story already saved: 409
        call.log("story_refused", sender=sender, kind=kind[:20])
        return refuse(409 if isinstance(refusal, StoryExists) else 400, str(refusal))
    kept = sum(1 for c, t in zip(corrections, chosen, strict=True) if c.keep_text and not t.payload)
    call.log("story_save", sender=sender, kind=kind, file=saved.path.name, messages=len(chosen),
             texts_kept=kept if kind == "test" else 0)
    return answer({"file": saved.path.name, "name": saved.name, "kind": kind, "steps": len(steps)})


def undo(call: Call, body: dict) -> HTTPResponse:
    if call.console.stories is None:
        return refuse(404, NO_FILES)
    try:
        undone = call.console.stories.undo()
    except StoryRefused as refusal:
        return refuse(409, str(refusal))
    call.log("story_undo", kind=undone.kind, file=undone.path.name)
    return answer({"file": undone.path.name, "name": undone.name, "kind": undone.kind})


def blueprint() -> Blueprint:
    return api_blueprint("stories", [("GET", "/api/story", form), ("POST", "/api/story", save),
                                     ("POST", "/api/story/undo", undo)])
