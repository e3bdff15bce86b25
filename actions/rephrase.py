""""Explique plus simplement", "résume", "un exemple ?": the last answer again, shorter, in the sheet's own words.

The bot does not reword the sheets (a rewording could say what they do not): the gist is the first items of the
list just shown, with how many there are; a precise answer is short already and is said again; an example the
sheet does not give is said to be missing. A human advisor is offered for a simpler explanation."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context, planner
from actions.dispatch import dispatch_answer, dispatch_plan, precise_buttons
from actions.fallback import claim_follow_up, why_follow_up
from actions.questions import answer_all
from knowledge import queries
from knowledge.queries import FactItem
from knowledge.question import analyse
from knowledge.render import bullets, facts_block
from knowledge.text import fold
from knowledge.vocabulary import contains_phrase

GIST = 3  # items of a list kept when the student asks for the gist


def gist(facts: tuple[FactItem, ...], limit: int = GIST) -> tuple[FactItem, ...]:
    """The first items of a list, in the sheet's order (the sheet's own words, none reworded)."""
    return facts[:limit]


def headings(facts: tuple[FactItem, ...]) -> tuple[str, ...]:
    """The headings a sheet groups a list under ("S'assurer du bon traitement des opérations", …): its own summary,
    when it has two or more."""
    found = tuple(dict.fromkeys(f.group for f in facts if f.group))
    return found if len(found) >= 2 else ()


def asks_example(text: str) -> bool:
    """"donne-moi un exemple concret": an example asked, which the sheets never give."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().example_cues)


def acknowledges_only(text: str) -> bool:
    """"ok", "ok thx", "d'accord 👍": every word an acknowledgement, nothing asked."""
    words = re.findall(r"[a-z0-9']+", fold(text))
    said = " ".join(words)
    acknowledgements = sorted(queries.vocabulary().acknowledgements, key=len, reverse=True)
    for phrase in acknowledgements:
        said = re.sub(rf"(?<![a-z0-9']){re.escape(phrase)}(?![a-z0-9'])", " ", said)
    return bool(words) and not said.strip()


def _asked_instead(tracker: Tracker, text: str) -> str | None:
    """The intent to answer with when the message names a job or a topic of its own ("explique-moi simplement le
    middle office"): the NLU's next best, else the job's definition; None when it asks of the last answer."""
    shape = analyse(text, queries.vocabulary())
    if not context.mentioned_jobs(tracker) and not shape.topics_named:
        return None
    ranking = [e.get("name") or "" for e in tracker.latest_message.get("intent_ranking") or []]
    topical = [name for name in ranking if context.topic_of_intent(name)]
    return topical[0] if topical else f"{context.TOPIC_INTENT_PREFIX}{context.DEFAULT_TOPIC}"


class ActionRephrase(Action):
    """Say the last answer again, shorter: its gist, or the precise answer again; nothing to rephrase yet: the jobs."""

    def name(self) -> str:
        return "action_rephrase"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = context.question_text(tracker) or tracker.latest_message.get("text") or ""
        if acknowledges_only(text):  # "ok", "ok thx": nothing asked
            dispatcher.utter_message(response="utter_thank")
            return []
        claimed = claim_follow_up(tracker) or why_follow_up(tracker)
        if claimed:  # "mais c obligatoire ou pas ?": a claim of the last answer, checked — not that answer again
            return answer_all(dispatcher, tracker, claimed)
        instead = _asked_instead(tracker, text)
        if instead:  # "jcomprends rien au middle office, tu peux expliquer simple ?": about a job, not the last answer
            return answer_all(dispatcher, tracker, instead)
        job, topic, question = context.context_job(tracker), tracker.get_slot("topic"), tracker.get_slot("question")
        catalogue = queries.topics()
        if job is None or not isinstance(topic, str) or topic not in catalogue or not catalogue[topic].in_sheets:
            dispatcher.utter_message(response="utter_rephrase_nothing",
                                     buttons=context.with_advisor(context.job_buttons()))
            return []
        example = asks_example(text)
        dispatcher.utter_message(response="utter_rephrase_example" if example else "utter_rephrase_intro")
        if isinstance(question, str) and question:  # a precise answer: short already, said again
            plan = planner.plan_answer(question, topic, job, job_named=False)
            if plan.parts and all(part.job is not None for part in plan.parts):
                dispatch_plan(dispatcher, plan)
                return []
        answer = queries.topic_answer(job.id, topic)
        if len(answer.facts) <= GIST:
            dispatch_answer(dispatcher, answer, context.with_advisor(context.suggestions(answer)[:2]))
            return []
        part = planner.Part(planner.FACTS, job, topic, answer.facts)
        values = {"job_name": context.lower_first(job.name), "topic_label": answer.label.lower(),
                  "count": len(answer.facts), "source": answer.source.publisher,
                  "buttons": context.with_advisor(precise_buttons(part)[:1])}
        parts = headings(answer.facts)
        if parts:  # "S'assurer du bon traitement des opérations", …: the sheet's own headings
            dispatcher.utter_message(response="utter_rephrase_headings", parts=len(parts),
                                     headings=bullets(list(parts)), **values)
        else:
            shown = gist(answer.facts)
            dispatcher.utter_message(response="utter_rephrase_gist", shown=len(shown), facts=facts_block(shown),
                                     **values)
        return []
