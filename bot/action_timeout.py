"""How long Rasa waits for the action server: a few seconds instead of Rasa 3.6's five minutes.

Rasa 3.6's RemoteAction.run passes `timeout=DEFAULT_REQUEST_TIMEOUT` (300 s, imported from
rasa.core.constants into rasa.core.actions.action) to every action call, and no setting or endpoint key
changes it: with a hung action server a student waited five minutes for nothing. Past this timeout the
call fails, Rasa goes on without the action's events, and the channels send the apology (bot/channels.py).
There is no door, so the module constant is replaced, on the Rasa series it was checked against only.
Installed when the channels are loaded (credentials.yml), i.e. by every `rasa run` of the project.
"""
from __future__ import annotations

import logging

ACTION_TIMEOUT_SECONDS = 8  # an action takes ~50 ms; 8 s leaves room for a busy machine
PATCHED_RASA_SERIES = "3.6."

logger = logging.getLogger(__name__)


def install_action_timeout(seconds: float = ACTION_TIMEOUT_SECONDS) -> bool:
    """Set the action call timeout; True when set (Rasa 3.6.x), False (and a warning) otherwise."""
    import rasa
    from rasa.core.actions import action

    if not rasa.__version__.startswith(PATCHED_RASA_SERIES) or not hasattr(action, "DEFAULT_REQUEST_TIMEOUT"):
        logger.warning("Rasa %s is not %sx: the action timeout is left at Rasa's default; re-check "
                       "bot/action_timeout.py against this version", rasa.__version__, PATCHED_RASA_SERIES)
        return False
    action.DEFAULT_REQUEST_TIMEOUT = seconds
    return True
