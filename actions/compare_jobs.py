"""Compares the jobs side by side on one topic."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from common.wording import response_text
from knowledge import queries
from knowledge.render import facts_block

DEFAULT_COMPARISON_TOPIC = "missions"


def dispatch_comparison(dispatcher: CollectingDispatcher, topic: str) -> None:
    """Send every job's facts on `topic`, each under its job's name, with both sources."""
    catalogue = queries.topics()
    if not catalogue[topic].in_sheets:
        dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=catalogue[topic].label.lower(),
                                 buttons=context.topic_buttons(None, list(catalogue[topic].next)))
        return
    answers = queries.compare(topic)
    sections = []
    for answer in answers:
        body = facts_block(answer.facts) if answer.found else response_text("utter_compare_not_in_sheet")
        sections.append(f"▸ {answer.job.name}\n{body}")
    sources = " ; ".join(dict.fromkeys(a.source.publisher for a in answers))
    # one button per job: it answers the same topic for that job alone
    dispatcher.utter_message(response="utter_compare", topic_label=catalogue[topic].label.lower(),
                             facts="\n\n".join(sections), source=sources, buttons=context.job_buttons())


class ActionCompareJobs(Action):
    """Compare the jobs on the topic the message names, else the one in context, else their missions."""

    def name(self) -> str:
        return "action_compare_jobs"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        topic = queries.topic_of_text(text) or tracker.get_slot("topic") or DEFAULT_COMPARISON_TOPIC
        if topic == "definition":
            topic = DEFAULT_COMPARISON_TOPIC
        dispatch_comparison(dispatcher, topic)
        return [SlotSet("topic", topic)]
