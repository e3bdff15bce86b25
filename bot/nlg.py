"""Rasa's response generator, with the jobs of the knowledge base in every sentence that names them.

Named in the endpoints file (`nlg: {type: bot.nlg.JobsNaturalLanguageGenerator}`), Rasa's door for a custom
generator. Responses write `{known_jobs}` ("gestionnaire de back-office et gestionnaire middle-office") and
`{jobs_count}` ("deux"); this fills them in the Rasa process from the knowledge base, so adding a job changes
no wording and needs neither the action server nor a slot.
"""
from __future__ import annotations

import functools
import logging
import random
import re
from typing import Any

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
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


# How the person writes to the bot: "vous", "Madame, Monsieur" (a parent, a teacher) or "tu" (a student)
# ("Nous voudrions comprendre…", "notre fille", "Cordialement": parents and teachers, who write formally)
_FORMAL = re.compile(r"\b(?:vous|votre|vos|madame|monsieur|mesdames|messieurs|cordialement|je me permets|"
                     r"nous (?:voudrions|souhaiterions|aimerions|souhaitons|sommes|cherchons)|"
                     r"notre (?:fille|fils|enfant)|nos enfants|mes eleves|nos eleves|"
                     # a parent, a teacher or an adviser who speaks of the student ("ma fille de 18 ans hésite…"),
                     # or asks in the conditional of a formal request ("je souhaiterais connaître…")
                     r"(?:mon|ma) (?:fils|fille|enfant|eleve|etudiante?|classe)|mes (?:enfants|etudiants|classes)|"
                     r"je souhaiterais|je souhaite savoir|je me demandais si)\b")
_INFORMAL = re.compile(r"\b(?:tu|toi|ton|ta|tes|te|stp|tes|tas)\b|\bt'|-tu\b|-toi\b")
REGISTER_SLOT = "register"  # read by the responses' `condition` (domain.yml); filled here, never stored
FORMAL = "formal"
RECENT_MESSAGES = 10  # the person's latest messages read for their register


@functools.lru_cache(maxsize=4096)  # read again for every reply of the conversation: each message once
def register_of(text: str) -> str | None:
    """"formal" for a message that says "vous" and no "tu", "informal" for one that says "tu", else None."""
    from knowledge.text import fold

    folded = fold(text or "")
    if _INFORMAL.search(folded):
        return "informal"
    return FORMAL if _FORMAL.search(folded) else None


def conversation_register(tracker: DialogueStateTracker) -> str | None:
    """The register of the person's latest message that shows one ("Et les études ?" says neither: the one before)."""
    seen = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            found = register_of(event.text or "")
            seen += 1
            if found or seen >= RECENT_MESSAGES:
                return found
    return None


class JobsNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Domain responses, filled with the slots, the action's values and the known jobs; a response's vouvoiement
    variation (`condition: register = formal`) for a person who writes "vous"."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    def _random_response_for(self, utter_action: str, output_channel: str, filled_slots: dict[str, Any]
                             ) -> dict[str, Any] | None:
        """Rasa's choice among the variations that suit the channel and the slots, with the standard library's
        uniform draw: Rasa's `numpy.random.choice` turns the variations into an array first (a third of the
        reply's generation time)."""
        if utter_action not in self.responses:  # (Rasa gives the generator a new domain's responses after a reload)
            return None
        suitable = ResponseVariationFilter(self.responses).responses_for_utter_action(utter_action, output_channel,
                                                                                     filled_slots)
        return random.choice(suitable) if suitable else None

    async def generate(self, utter_action: str, tracker: DialogueStateTracker, output_channel: str,
                       **kwargs: Any) -> dict[str, Any] | None:
        filled = {**tracker.current_slot_values(), REGISTER_SLOT: conversation_register(tracker)}
        return self.generate_from_slots(utter_action, filled, output_channel, **kwargs)

    def generate_from_slots(self, utter_action: str, filled_slots: dict[str, Any], output_channel: str,
                            **kwargs: Any) -> dict[str, Any] | None:
        return super().generate_from_slots(utter_action, filled_slots, output_channel, **{**jobs_values(), **kwargs})
