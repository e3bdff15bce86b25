"""Fixes of Rasa internals that Rasa 3.6 offers no door for, each applied only on the series it was written for.

- `install_cached_action_validator`: Rasa checks every action server reply with
  `jsonschema.validate(result, schema)`, which rebuilds a validator for the large events schema on each
  call (about half of a reply's time, docs/performance.md). The replacement builds it once and checks
  replies exactly as `jsonschema.validate` does (same best-matching error, same message suffix).
  Installed when `bot.components` is imported, which every Rasa command of the project does (the model's
  graph names `bot.components.SharedSpacyNLP`), whether started by `rasa` or `python -m bot.rasa_server`.
- `socketio_session_fix_needed`: the socket.io `session_request` handler fix of bot/channels.py.
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


def cached_action_validator() -> Callable[[Any, dict[str, Any]], bool]:
    """An equivalent of RemoteAction._validate_action_result (Rasa 3.6) that reuses one validator."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
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


def socketio_session_fix_needed() -> bool:
    """True on Rasa 3.6, whose socket.io `session_request` handler never awaits `enter_room` (RasaHQ/rasa#13027)."""
    if is_patched_series():
        return True
    _warn_unpatched("the socket.io session_request fix (RasaHQ/rasa#13027)")
    return False
