"""Answers a question about one job: the planner says what (a fact, a yes/no, a subset, whole topics), this sends it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, planner
from actions.answer_term import dispatch_terms
from actions.compare_jobs import answer_for_both, asks_both
from actions.dispatch import dispatch_plan
from knowledge import queries
from knowledge.glossary import meaning_asked
from knowledge.text import fold


class ActionAnswerTopic(Action):
    """Answer the asked (or remembered) question for the named (or remembered) job."""

    def name(self) -> str:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        topic = context.requested_topic(tracker)
        text = context.question_text(tracker)
        asked_terms = meaning_asked(fold(text), queries.glossary())
        if asked_terms:  # "c'est quoi l'AMF ?", "ça veut dire quoi Avancé ?": the sheet's own explanation
            dispatch_terms(dispatcher, asked_terms)
            return []
        catalogue = queries.topics()
        named = context.mentioned_jobs(tracker)
        # never let one odd value spoil the conversation: a job slot the actions cannot read is emptied
        reset = [SlotSet("job", None)] if context.slot_is_unreadable(tracker, "job") else []
        events: list[dict[str, Any]] = [*reset, SlotSet("topic", topic)]
        if not catalogue[topic].in_sheets and not planner.goes_beyond_topic(text, topic):
            dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=catalogue[topic].label.lower(),
                                     buttons=context.topic_buttons(None, list(catalogue[topic].next)))
            return [*events, SlotSet("question", None)]
        if len(named) > 1 or (not named and asks_both(text)):
            answered = answer_for_both(dispatcher, text, topic)
            return [*events[:-1], SlotSet("topic", answered), SlotSet("question", None)]
        if not named and context.mentions_other_job(tracker):
            dispatcher.utter_message(response="utter_unknown_job", buttons=context.job_buttons())
            return events
        job = named[0] if named else context.context_job(tracker)
        remembered = tracker.get_slot("question")
        plan = planner.plan_answer(text, topic, job, context.filter_entities(tracker), job_named=bool(named),
                                   previous_question=remembered if isinstance(remembered, str) else None,
                                   outside=context.outside_jobs(tracker))
        if plan.ask_job:
            dispatcher.utter_message(response="utter_ask_job", buttons=context.job_buttons())
            return [*events, SlotSet("question", plan.question if plan.precise else None)]
        dispatch_plan(dispatcher, plan)
        return [SlotSet("topic", plan.topic), SlotSet("job", plan.job.id if plan.job else None),
                SlotSet("question", plan.question if plan.precise else None)]
