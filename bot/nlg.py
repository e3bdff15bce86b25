"""Rasa's response generator, with the jobs of the knowledge base in every sentence that names them.

Named in the endpoints file (`nlg: {type: bot.nlg.JobsNaturalLanguageGenerator}`), Rasa's door for a custom
generator. Responses write `{known_jobs}` ("gestionnaire de back-office et gestionnaire middle-office") and
`{jobs_count}` ("deux"); this fills them in the Rasa process from the knowledge base, so adding a job changes
no wording and needs neither the action server nor a slot.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
NEUTRAL_WORDING = {"known_jobs": "les métiers de mes fiches", "jobs_count": "quelques"}


def jobs_values() -> dict[str, str]:
    """{known_jobs} and {jobs_count} from the knowledge base; a neutral wording when it cannot be read."""
    from knowledge import queries

    try:
        return queries.jobs_wording()
    except Exception:  # a reply with a neutral wording rather than no reply
        logger.warning("knowledge base unreadable: the jobs' names are replaced by a neutral wording")
        return dict(NEUTRAL_WORDING)


class JobsNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Domain responses, filled with the slots, the action's values and the known jobs."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    def generate_from_slots(self, utter_action: str, filled_slots: dict[str, Any], output_channel: str,
                            **kwargs: Any) -> dict[str, Any] | None:
        return super().generate_from_slots(utter_action, filled_slots, output_channel, **{**jobs_values(), **kwargs})
