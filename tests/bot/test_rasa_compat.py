"""bot/rasa_compat.py: the Rasa 3.6 fixes without a door behave as Rasa's originals and apply on 3.6 only."""
from __future__ import annotations

import asyncio
import gc
import logging
import warnings

import pytest
import rasa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.socketio import SocketIOInput

import bot.components  # noqa: F401 - importing the component module installs the validator cache
from bot import rasa_compat
from bot.channels import GuardedSocketIOInput

VALID_REPLIES = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "job", "value": "back-office", "timestamp": None}],
     "responses": [{"text": "Bonjour", "buttons": [{"title": "Oui", "payload": "/affirm"}]}]},
    {"events": [{"event": "followup", "name": "action_listen"}, {"event": "reset_slots"}],
     "responses": [{"response": "utter_greet", "job": "x"}]},
    {"events": [{"event": "user", "text": "salut", "parse_data": {"intent": {"name": "greet", "confidence": 1.0},
                                                                 "entities": []}},
                {"event": "bot", "text": "Bonjour", "data": {}}, {"event": "restart"}]},
]
INVALID_REPLIES = [
    [],
    "texte",
    {"events": "not a list"},
    {"events": [{"name": "job"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": 3}], "responses": "x"},
    {"responses": ["a bare string"]},
    {"events": [{"event": "user", "text": 5, "parse_data": "x"}]},
    # valid base fields, wrong field for its own event type; a valid event beside an invalid one
    {"events": [{"event": "slot", "name": "job", "timestamp": "hier"}]},
    {"events": [{"event": "bot", "text": "ok"}, {"event": "slot", "name": ["job"]}]},
    {"events": [{"event": 3}]},
    {"events": ["slot"]},
]


def test_each_event_type_is_checked_against_its_own_schema_only():
    schema = RemoteAction.action_response_format_spec()
    light, per_event = rasa_compat._event_type_schemas(schema)
    assert "oneOf" not in light["properties"]["events"]["items"]
    assert len(per_event) == len(schema["properties"]["events"]["items"]["oneOf"]) > 20
    assert {"user", "bot", "slot", "action", "followup", "restart"} <= set(per_event)


def _rasa_original():
    original = getattr(RemoteAction._validate_action_result, "rasa_original", RemoteAction._validate_action_result)
    assert original.__module__ == "rasa.core.actions.action"
    return original


def _action() -> RemoteAction:
    return RemoteAction("action_test", None)


def test_the_cached_validator_is_installed_on_this_rasa():
    assert rasa.__version__.startswith("3.6.")
    assert getattr(RemoteAction._validate_action_result, "_validator_built_once", False)
    assert rasa_compat.install_cached_action_validator()  # idempotent


@pytest.mark.parametrize("reply", VALID_REPLIES)
def test_valid_replies_pass_as_with_rasa(reply):
    assert _rasa_original()(_action(), reply) is True
    assert rasa_compat.cached_action_validator()(_action(), reply) is True


@pytest.mark.parametrize("reply", INVALID_REPLIES)
def test_invalid_replies_raise_exactly_as_with_rasa(reply):
    with pytest.raises(ValidationError) as rasa_error:
        _rasa_original()(_action(), reply)
    with pytest.raises(ValidationError) as cached_error:
        rasa_compat.cached_action_validator()(_action(), reply)
    assert type(cached_error.value) is type(rasa_error.value)
    assert cached_error.value.message == rasa_error.value.message
    assert str(cached_error.value) == str(rasa_error.value)
    assert list(cached_error.value.absolute_path) == list(rasa_error.value.absolute_path)
    assert "Failed to validate Action server response from API" in cached_error.value.message


def test_the_installed_validator_is_used_by_remote_actions():
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _action()._validate_action_result({"events": "not a list"})


def test_another_rasa_series_keeps_rasa_s_validator(monkeypatch, caplog):
    original = _rasa_original()
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with caplog.at_level(logging.WARNING, logger="bot.rasa_compat"):
        assert rasa_compat.install_cached_action_validator() is False
    assert RemoteAction._validate_action_result is original
    assert "is not 3.6.x" in caplog.text and "validator cache" in caplog.text
    monkeypatch.setattr(rasa, "__version__", "3.6.21")
    assert rasa_compat.install_cached_action_validator() is True
    assert RemoteAction._validate_action_result is not original


# ---------------------------------------------------------------- socket.io session_request (RasaHQ/rasa#13027)

async def _noop(_message) -> None:
    return None


def _session_request(channel: SocketIOInput, session_id: str):
    """Connect a client sid to the channel's socket.io server, send session_request; the rooms and emits seen."""
    channel.blueprint(_noop)
    sio = channel.sio
    emitted = []

    async def record_emit(event, data=None, room=None, **kwargs):
        emitted.append((event, data, room))

    sio.emit = record_emit

    async def scenario():
        sid = await sio.manager.connect("engine-io-sid", "/")
        await sio.handlers["/"]["session_request"](sid, {"session_id": session_id})
        return sid

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # Rasa's handler leaves a coroutine never awaited
        sid = asyncio.run(scenario())
        gc.collect()
    in_room = [participant for participant, _ in sio.manager.get_participants("/", session_id)]
    return sid, in_room, emitted, sio.handlers["/"]["session_request"]


def test_rasa_s_own_session_request_still_loses_the_room_on_this_version():
    """The fix is still needed: with Rasa's handler the client never joins its session's room."""
    sid, in_room, emitted, handler = _session_request(SocketIOInput(session_persistence=True), "session-a")
    assert handler.__module__ == "rasa.core.channels.socketio"
    assert in_room == []
    assert emitted == [("session_confirm", "session-a", sid)]


def test_the_guarded_channel_joins_the_session_room():
    sid, in_room, emitted, handler = _session_request(GuardedSocketIOInput(session_persistence=True), "session-b")
    assert handler.__module__ == "bot.channels"
    assert in_room == [sid]
    assert emitted == [("session_confirm", "session-b", sid)]


def test_another_rasa_series_keeps_rasa_s_session_handler(monkeypatch, caplog):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with caplog.at_level(logging.WARNING, logger="bot.rasa_compat"):
        _, _, _, handler = _session_request(GuardedSocketIOInput(session_persistence=True), "session-c")
    assert handler.__module__ == "rasa.core.channels.socketio"
    assert "RasaHQ/rasa#13027" in caplog.text


def _serve_and_call(calls: int) -> tuple[list[int], list]:
    """A local HTTP server; `calls` requests through Rasa's EndpointConfig.request in one event loop.
    Returns the client ports the server saw and the replies."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    ports: list[int] = []

    async def handler(request):
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"ok": True})

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            return [await endpoint.request(json={"n": i}, method="post", timeout=5) for i in range(calls)]
        finally:
            kept = endpoint.__dict__.get("_kept_session")
            if kept:
                await kept[1].close()
            await runner.cleanup()

    loop = asyncio.new_event_loop()
    try:
        replies = loop.run_until_complete(scenario())
    finally:
        loop.close()
    return ports, replies


def test_endpoint_calls_reuse_one_connection():
    assert rasa_compat.install_kept_endpoint_sessions()
    ports, replies = _serve_and_call(5)
    assert replies == [{"ok": True}] * 5
    assert len(ports) == 5 and len(set(ports)) == 1, ports


def test_rasa_s_own_session_opens_one_connection_per_call(monkeypatch):
    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setattr(EndpointConfig, "session", rasa_compat.kept_session.rasa_original)
    ports, replies = _serve_and_call(3)
    assert replies == [{"ok": True}] * 3
    assert len(set(ports)) == 3  # what the kept sessions save


def test_one_session_per_endpoint_and_event_loop():
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    async def twice():
        async with endpoint.session() as first, endpoint.session() as second:
            return first, second

    kept = []
    for _ in range(2):
        loop = asyncio.new_event_loop()
        try:
            first, second = loop.run_until_complete(twice())
            assert first is second and not first.closed  # left open after `async with`
            kept.append(first)
            loop.run_until_complete(first.close())
        finally:
            loop.close()
    assert kept[0] is not kept[1]  # aiohttp sessions belong to one loop


def test_engineio_requests_are_marked_as_cors_answered_and_passed_through():
    """Sanic-CORS skips a request whose context carries its own mark: engine.io's header stays the only one (the
    whole path, a real polling request from an allowed origin: tests/e2e/test_exposure_privacy.py)."""
    from types import SimpleNamespace

    from sanic_cors.core import SANIC_CORS_EVALUATED

    seen = []

    async def handle_request(request, *args):
        seen.append((request, args))
        return "engine.io's response"

    eio = SimpleNamespace(handle_request=handle_request)
    rasa_compat.engineio_answers_its_own_cors(eio)
    request = SimpleNamespace(ctx=SimpleNamespace())
    assert asyncio.run(eio.handle_request(request, "x")) == "engine.io's response"
    assert seen == [(request, ("x",))] and getattr(request.ctx, SANIC_CORS_EVALUATED) == "1"


def _long_tracker(turns: int):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("t", [])
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event)
    for turn in range(turns):
        for event in (UserUttered(f"question {turn}", {"name": "ask_skills", "confidence": 0.9}),
                      ActionExecuted("action_answer_topic"), BotUttered(f"réponse {turn}"), SlotSet("topic", "skills"),
                      ActionExecuted("action_listen")):
            tracker.update(event)
    return tracker


@pytest.mark.parametrize("turns", [0, 3, rasa_compat.ACTION_CALL_TURNS, 45])
def test_an_action_call_is_rasa_s_with_the_recent_events(turns):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    assert rasa_compat.install_recent_action_calls()
    domain = Domain.from_yaml("version: '3.1'\nactions: [action_answer_topic]")
    tracker = _long_tracker(turns)
    action = RemoteAction("action_answer_topic", EndpointConfig("http://x", enable_selective_domain=False))
    mine = action._action_call_format(tracker, domain)
    rasa_s = RemoteAction._action_call_format.rasa_original(action, tracker, domain)
    events, all_events = mine["tracker"].pop("events"), rasa_s["tracker"].pop("events")
    assert mine == rasa_s  # the same call but for the events
    compacted = [rasa_compat.compact_event(e) for e in all_events]
    sent = [e for e in compacted if e is not None]
    assert events == sent[len(sent) - len(events):]  # the latest ones, compacted
    users = [e for e in events if e["event"] == "user"]
    assert len(users) == min(turns, rasa_compat.ACTION_CALL_TURNS)
    assert turns <= rasa_compat.ACTION_CALL_TURNS or events[0]["event"] == "action"  # from the listen before


def _conversation_with_everything():
    """Two turns as the real bot stores them: ranked intents, tokens, featurisation, a bot message's sources and
    buttons, a comparison said."""
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        DefinePrevUserUtteredFeaturization,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("t", [])
    for text, intent, entities, action, said in (
            ("le back office demande quoi ?", "ask_studies", [{"entity": "job", "value": "back-office"}],
             "action_answer_topic", [("Études …", {"utter_action": "utter_topic", "facts": ["f1"], "source": "x"},
                                      {})]),
            ("et le middle ?", "compare_jobs", [{"entity": "job", "value": "middle-office"}], "action_compare_jobs",
             [("Côte à côte …", {"utter_action": "utter_compare_topic", "where": "a"},
               {"buttons": [{"title": "Les salaires", "payload": "/ask_salary"}]})])):
        parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities, "text": text,
                 "intent_ranking": [{"name": intent, "confidence": 0.9}, {"name": "greet", "confidence": 0.1}],
                 "text_tokens": [[0, 2]], "message_id": "m"}
        tracker.update(UserUttered(text, parse["intent"], entities, parse))
        tracker.update(DefinePrevUserUtteredFeaturization(False))
        tracker.update(ActionExecuted(action))
        for bot_text, metadata, data in said:
            tracker.update(BotUttered(bot_text, data, metadata))
        tracker.update(SlotSet("job", entities[0]["value"]))
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("pourquoi ?", {"name": "ask_why", "confidence": 0.8}))
    return tracker


def test_compacted_events_tell_the_actions_what_all_events_tell_them():
    """What the actions read of past events (actions/context.py, fallback.py) is the same from the compacted call."""
    from rasa.shared.core.trackers import EventVerbosity
    from rasa_sdk import Tracker

    from actions import context

    tracker = _conversation_with_everything()
    state = tracker.current_state(EventVerbosity.ALL)
    full = Tracker.from_dict(state)
    compact = Tracker.from_dict({**state, "events": [e for e in map(rasa_compat.compact_event, state["events"]) if e]})
    for read in (context.last_action, context.previous_user_text, context.last_answer_text,
                 context.said_comparison_last, context.job_before, lambda t: [j.id for j in context.jobs_in_order(t)]):
        assert read(compact) == read(full)
    assert context.said_comparison_last(compact) and context.last_action(compact) == "action_compare_jobs"
    users = [e for e in compact.events if e["event"] == "user"]
    assert users[0]["parse_data"] == {"intent": {"name": "ask_studies", "confidence": 0.9},
                                      "entities": [{"entity": "job", "value": "back-office"}],
                                      "text": "le back office demande quoi ?"}
    bots = [e for e in compact.events if e["event"] == "bot"]
    assert [b["metadata"] for b in bots] == [{"utter_action": "utter_topic"}, {"utter_action": "utter_compare_topic"}]
    assert "data" not in bots[0] and bots[1]["data"]["buttons"][0]["payload"] == "/ask_salary"  # buttons stay
    assert not any(e["event"] == "user_featurization" for e in compact.events)
    assert compact.latest_message == full.latest_message  # the latest message goes whole, in the state


def test_event_types_are_found_by_name_as_rasa_finds_them():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    assert rasa_compat.install_event_types_by_name()
    original = Event.resolve_by_type.rasa_original
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is original(name)
    assert Event.resolve_by_type("topic") is None  # Rasa's backward compatibility, through its own walk
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")
    assert Event.resolve_by_type("no-such-event", default=Event) is Event


def test_events_read_from_dicts_are_rasa_s_events():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    assert rasa_compat.install_event_types_by_name()
    events = [SlotSet("job", "x"), ActionExecuted("action_listen"), UserUttered("salut", {"name": "greet"})]
    assert [Event.from_parameters(event.as_dict()) for event in events] == events


def test_another_rasa_series_keeps_rasa_s_event_lookup(monkeypatch, caplog):
    from rasa.shared.core.events import Event

    installed = Event.__dict__["resolve_by_type"]
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(Event.resolve_by_type.rasa_original))
    monkeypatch.setattr(rasa_compat, "rasa_version", lambda: "3.7.0")
    with caplog.at_level(logging.WARNING, logger="bot.rasa_compat"):
        assert not rasa_compat.install_event_types_by_name()
    assert not getattr(Event.resolve_by_type, "_event_types_by_name", False)
    assert "event types by name" in caplog.text
    assert installed is not None
