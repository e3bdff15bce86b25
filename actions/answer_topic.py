"""Answers a question about one topic of one job, or asks which job, or says the sheet is silent."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.compare_jobs import dispatch_comparison
from knowledge import queries
from knowledge.render import facts_block


def dispatch_answer(dispatcher: CollectingDispatcher, answer: queries.TopicAnswer) -> None:
    """Send one topic answer with its source and follow-up buttons (or the honest "not in the sheet")."""
    job_name = context.lower_first(answer.job.name)
    topic_label = answer.label.lower()
    buttons = context.suggestions(answer)
    if answer.topic == "source":
        source = answer.source
        dispatcher.utter_message(response="utter_answer_source" if source.url else "utter_answer_source_no_url",
                                 job_name=job_name, publisher=source.publisher, title=source.title, url=source.url,
                                 buttons=buttons)
    elif answer.found:
        dispatcher.utter_message(response=f"utter_answer_{answer.topic}", job_name=job_name,
                                 facts=facts_block(answer.facts), source=answer.source.publisher, buttons=buttons)
    elif answer.instead:
        dispatcher.utter_message(response="utter_not_in_sheet_instead", job_name=job_name, topic_label=topic_label,
                                 instead_label=answer.instead.label.lower(), facts=facts_block(answer.instead.facts),
                                 source=answer.source.publisher, buttons=buttons)
    else:
        dispatcher.utter_message(response="utter_not_in_sheet", job_name=job_name, topic_label=topic_label,
                                 buttons=buttons)


class ActionAnswerTopic(Action):
    """Answer the asked (or remembered) topic for the named (or remembered) job."""

    def name(self) -> str:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        topic = context.requested_topic(tracker)
        catalogue = queries.topics()
        named = context.mentioned_jobs(tracker)
        events: list[dict[str, Any]] = [SlotSet("topic", topic)]
        if not catalogue[topic].in_sheets:
            dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=catalogue[topic].label.lower(),
                                     buttons=context.topic_buttons(None, list(catalogue[topic].next)))
            return events
        if len(named) > 1:
            dispatch_comparison(dispatcher, topic)
            return events
        if not named and context.mentions_other_job(tracker):
            dispatcher.utter_message(response="utter_unknown_job", buttons=context.job_buttons())
            return events
        job = named[0] if named else context.context_job(tracker)
        if job is None:
            dispatcher.utter_message(response="utter_ask_job", buttons=context.job_buttons())
            return events
        dispatch_answer(dispatcher, queries.topic_answer(job.id, topic))
        return [*events, SlotSet("job", job.id)]
