"""Fixes of Rasa internals that Rasa 3.6 offers no door for, each applied only on the series it was written for.

- `install_cached_action_validator`: Rasa checks every action server reply with
  `jsonschema.validate(result, schema)`, which rebuilds a validator for the large events schema on each
  call (about half of a reply's time, docs/performance.md). The replacement builds its validators once
  and checks each event against the one event type its name selects instead of trying all 23 of the
  schema's `oneOf` (the names are distinct constants, so exactly one can match: same verdict). Whenever
  a reply fails, the whole schema is checked as `jsonschema.validate` does, so errors are the same (same
  best-matching error, same message suffix).
  Installed when `bot.components` is imported, which every Rasa command of the project does (the model's
  graph names `bot.components.SharedSpacyNLP`), whether started by `rasa` or `python -m bot.rasa_server`.
- `install_kept_endpoint_sessions`: Rasa opens a new HTTP client session, hence a new TCP connection, for
  every call to an endpoint (each action call), and closes it after the reply. Here each endpoint keeps one
  session per event loop, so calls reuse kept-alive connections. Idle connections are dropped after
  `KEEPALIVE_SECONDS`, before the action server's own keep-alive (Sanic: 5 s) closes them under a request.
- `install_graph_runner_in_order`: every prediction's graph (the NLU once per message, the policies once per
  action) is run node after node in a dependency order computed once (bot/graph_runner.py) instead of through a
  dask graph built, ordered and scheduled per call; training keeps dask.
- `install_recent_action_calls`: Rasa sends the action server every event of the conversation's session with every
  action call (`EventVerbosity.ALL`): serialised by Rasa, parsed by rasa_sdk, a cost that grows with the
  conversation. The actions read the latest message, the slots and the events of the last few turns (the message
  before, the last action, the last real question for an advisor): the call carries the events of the last
  ACTION_CALL_TURNS user turns, everything else as Rasa builds it.
- `install_event_types_by_name`: every event Rasa reads (the action server's reply, a stored conversation) finds its
  class by walking all the subclasses of `Event` (`Event.resolve_by_type`, ~0.03 ms an event, 10-20 events a
  message). Here the first class of that walk per type name is kept in a table built once; a name not in the table
  (an event class defined later, an unknown name) goes through Rasa's own walk and errors.
- `socketio_session_fix_needed`: the socket.io `session_request` handler fix of bot/channels.py.
- `engineio_answers_its_own_cors`: Rasa's server adds Sanic-CORS headers to every route, socket.io's included, where
  engine.io already adds its own: a long-polling request from an allowed origin (rasa-webchat's first transport)
  got two `Access-Control-Allow-Origin` values, which browsers refuse. engine.io's requests are marked as answered,
  as Sanic-CORS's own decorator marks them; its origin check (ALLOWED_ORIGINS) is untouched.
On another Rasa series nothing is replaced and a warning says which fix to re-check.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

# The Rasa series whose internals these fixes were written against (and tested with: tests/bot/test_rasa_compat.py).
PATCHED_RASA_SERIES = "3.6."
_CACHED_MARK = "_validator_built_once"


def rasa_version() -> str:
    import rasa

    return rasa.__version__


def is_patched_series(version: str | None = None) -> bool:
    """True when the running Rasa is the series the internal fixes below were written for."""
    return (version or rasa_version()).startswith(PATCHED_RASA_SERIES)


def _warn_unpatched(fix: str) -> None:
    logger.warning("Rasa %s is not %sx: %s is not applied; re-check it against this version (bot/rasa_compat.py)",
                   rasa_version(), PATCHED_RASA_SERIES, fix)


def _event_type_schemas(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    """The reply schema without the events' `oneOf`, and one schema per event name; None if the schema
    is not the shape this relies on (every alternative names its event by a distinct constant)."""
    import copy

    light = copy.deepcopy(schema)
    try:
        items = light["properties"]["events"]["items"]
        alternatives = items.pop("oneOf")
        names = [alternative["properties"]["event"]["const"] for alternative in alternatives]
    except (KeyError, TypeError):
        return None
    if len(set(names)) != len(names) or any(set(a) - {"properties", "required"} for a in alternatives):
        return None
    return light, dict(zip(names, alternatives, strict=True))


def cached_action_validator() -> Callable[[Any, dict[str, Any]], bool]:
    """An equivalent of RemoteAction._validate_action_result (Rasa 3.6): validators built once, each
    event checked against its own type's schema; any failure re-checked on the whole schema for Rasa's error."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    split = _event_type_schemas(schema)
    light = validator_class(split[0]) if split else None
    per_event = {name: validator_class(alternative) for name, alternative in split[1].items()} if split else {}

    def _quick_pass(result: Any) -> bool:
        if light is None or not light.is_valid(result):
            return False
        for event in result.get("events") or []:
            checker = per_event.get(event.get("event"))
            if checker is None or not checker.is_valid(event):
                return False
        return True

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if _quick_pass(result):
            return True
        # Same steps as jsonschema.validate, without rebuilding the validator; same message as Rasa's.
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error  # a jsonschema ValidationError, as Rasa's

    setattr(_validate_action_result, _CACHED_MARK, True)
    return _validate_action_result


def install_cached_action_validator() -> bool:
    """Replace RemoteAction._validate_action_result once, on Rasa 3.6 only; True when installed."""
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, _CACHED_MARK, False):
        return True
    if not is_patched_series():
        _warn_unpatched("the action-result validator cache")
        return False
    validate = cached_action_validator()
    validate.rasa_original = RemoteAction._validate_action_result  # for tests/bot/test_rasa_compat.py
    RemoteAction._validate_action_result = validate  # type: ignore[method-assign]
    return True


KEEPALIVE_SECONDS = 2.0
_KEPT_MARK = "_sessions_kept"


class _KeptSession:
    """`async with` yields the endpoint's long-lived session and leaves it open."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc_info: Any) -> bool:
        return False


def kept_session(self: Any) -> Any:
    """EndpointConfig.session, one per endpoint and event loop (aiohttp sessions belong to one loop);
    configured as Rasa's (headers, basic auth, its default timeout; each call still passes its own)."""
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not in a loop: nothing to keep
        return kept_session.rasa_original(self)  # type: ignore[attr-defined]
    kept = self.__dict__.get("_kept_session")
    if kept is None or kept[0] is not loop or kept[1].closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(headers=self.headers, auth=auth,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))
        kept = (loop, session)
        self.__dict__["_kept_session"] = kept
    return _KeptSession(kept[1])


def install_kept_endpoint_sessions() -> bool:
    """Replace EndpointConfig.session once, on Rasa 3.6 only; True when installed."""
    from rasa.utils.endpoints import EndpointConfig

    if getattr(EndpointConfig.session, _KEPT_MARK, False):
        return True
    if not is_patched_series():
        _warn_unpatched("the kept endpoint sessions")
        return False
    kept_session.rasa_original = EndpointConfig.session  # type: ignore[attr-defined]
    setattr(kept_session, _KEPT_MARK, True)
    EndpointConfig.session = kept_session  # type: ignore[method-assign]
    return True


_IN_ORDER_MARK = "_runs_in_order"


def install_graph_runner_in_order() -> bool:
    """Replace DaskGraphRunner.run once, on Rasa 3.6 only, by bot/graph_runner.py's for prediction graphs."""
    from rasa.engine.runner.dask import DaskGraphRunner

    from bot.graph_runner import run_in_order

    if getattr(DaskGraphRunner.run, _IN_ORDER_MARK, False):
        return True
    if not is_patched_series():
        _warn_unpatched("the graph runner in order")
        return False
    original = DaskGraphRunner.run

    def run(self: DaskGraphRunner, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
            ) -> dict[str, Any]:
        if self._execution_context.model_id is None:  # a training graph: dask, as Rasa
            return original(self, inputs, targets)
        return run_in_order(self, inputs, targets)

    run.rasa_original = original  # type: ignore[attr-defined]
    setattr(run, _IN_ORDER_MARK, True)
    DaskGraphRunner.run = run  # type: ignore[method-assign]
    return True


ACTION_CALL_TURNS = 8  # user turns of events sent with an action call
_RECENT_CALL_MARK = "_recent_events_only"


def recent_events(events: Any, turns: int = ACTION_CALL_TURNS) -> list[Any]:
    """The events from the one before the `turns`-th last user message (its `action_listen`), or all of them."""
    from rasa.shared.core.events import UserUttered

    events = list(events)
    users = [index for index, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(users) <= turns:
        return events
    return events[max(0, users[-turns] - 1):]


# What the actions read of past events (actions/context.py, fallback.py, advisor.py): a user message's text, intent
# and entities; a bot message's text and the response it said; slots and actions whole. The rest of an event (the
# intent ranking, the tokens, a bot message's facts and sources) is a third of the call's bytes, read by no action.
_USER_PARSE_KEPT = ("intent", "entities", "text")
_BOT_METADATA_KEPT = ("utter_action",)
_DROPPED_EVENTS = frozenset({"user_featurization"})  # what the policies featurised: nothing an action reads


def compact_event(data: dict[str, Any]) -> dict[str, Any] | None:
    """A past event as the action server needs it (None: not sent); the latest message goes whole, in the state."""
    kind = data.get("event")
    if kind in _DROPPED_EVENTS:
        return None
    if kind == "user" and isinstance(data.get("parse_data"), dict):
        parse = data["parse_data"]
        return {**data, "parse_data": {key: parse[key] for key in _USER_PARSE_KEPT if key in parse}}
    if kind == "bot":
        metadata = data.get("metadata") or {}
        bot = {key: value for key, value in data.items() if key not in ("metadata", "data")}
        bot["metadata"] = {key: metadata[key] for key in _BOT_METADATA_KEPT if key in metadata}
        extra = data.get("data")
        if isinstance(extra, dict) and any(extra.values()):
            bot["data"] = extra  # buttons, images…: kept when there are any
        return bot
    return data


def install_recent_action_calls() -> bool:
    """Replace RemoteAction._action_call_format once, on Rasa 3.6 only; True when installed."""
    import rasa as rasa_package
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    if getattr(RemoteAction._action_call_format, _RECENT_CALL_MARK, False):
        return True
    if not is_patched_series():
        _warn_unpatched("the action calls with recent events only")
        return False
    original = RemoteAction._action_call_format

    def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        """Rasa 3.6's request to the action server, with the recent events only, compacted (compact_event)."""
        state = tracker.current_state(EventVerbosity.NONE)
        events = (compact_event(event.as_dict()) for event in recent_events(tracker.events))
        state["events"] = [event for event in events if event is not None]
        result = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
                  "version": rasa_package.__version__}
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            result["domain"] = domain.as_dict()
        return result

    action_call_format.rasa_original = original  # type: ignore[attr-defined]
    setattr(action_call_format, _RECENT_CALL_MARK, True)
    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]
    return True


_TYPES_MARK = "_event_types_by_name"


def event_types_by_name() -> dict[str, type]:
    """Each event type name with the class Rasa 3.6's `Event.resolve_by_type` returns for it (the first match)."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, type] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    return table


def install_event_types_by_name() -> bool:
    """Replace Event.resolve_by_type once, on Rasa 3.6 only, by a lookup in `event_types_by_name`."""
    from rasa.shared.core.events import Event

    if getattr(Event.resolve_by_type, _TYPES_MARK, False):
        return True
    if not is_patched_series():
        _warn_unpatched("the event types by name")
        return False
    original = Event.resolve_by_type
    table = event_types_by_name()

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        found = table.get(type_name)
        return found if found is not None else original(type_name, default)

    resolve_by_type.rasa_original = original  # type: ignore[attr-defined]
    setattr(resolve_by_type, _TYPES_MARK, True)
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment,method-assign]
    return True


def socketio_session_fix_needed() -> bool:
    """True on Rasa 3.6, whose socket.io `session_request` handler never awaits `enter_room` (RasaHQ/rasa#13027)."""
    if is_patched_series():
        return True
    _warn_unpatched("the socket.io session_request fix (RasaHQ/rasa#13027)")
    return False


def engineio_answers_its_own_cors(eio: Any) -> None:
    """Mark engine.io's requests as CORS-answered for Sanic-CORS (a single Access-Control-Allow-Origin header).

    Call before the socket.io blueprint is registered: engine.io's route is bound to `handle_request` then."""
    from sanic_cors.core import SANIC_CORS_EVALUATED

    handle = eio.handle_request

    async def handle_request(request: Any, *args: Any, **kwargs: Any) -> Any:
        setattr(request.ctx, SANIC_CORS_EVALUATED, "1")
        return await handle(request, *args, **kwargs)

    handle_request.rasa_original = handle  # type: ignore[attr-defined]
    eio.handle_request = handle_request
