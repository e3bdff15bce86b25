"""What the bot says when it cannot help: its scope, then topic buttons at the second miss in a row."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from knowledge import queries

MISS_INTENTS = {"nlu_fallback", "out_of_scope"}


def previous_user_intent(tracker: Tracker) -> str | None:
    """The intent of the user message before the latest one."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    return ((users[-2].get("parse_data") or {}).get("intent") or {}).get("name")


def likely_topics(tracker: Tracker, limit: int = 3) -> list[str]:
    """Topics of the best-ranked topic intents of the latest message, best first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    topics = [context.topic_of_intent(entry.get("name") or "") for entry in ranking]
    return [t for t in dict.fromkeys(topics) if t][:limit]


class ActionHandleFallback(Action):
    """Out of scope, gibberish or another job: say what the bot can do; offer topic buttons if it repeats."""

    def name(self) -> str:
        return "action_handle_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        mentioned = context.mentioned_jobs(tracker)
        job = mentioned[0] if mentioned else None
        guesses = likely_topics(tracker)
        if job and guesses and context.latest_intent(tracker) == "nlu_fallback":
            # unsure of the question but sure of the job: offer the likeliest topics for that job
            dispatcher.utter_message(response="utter_ask_topic", job_name=context.lower_first(job.name),
                                     buttons=context.topic_buttons(job.id, guesses))
            return [SlotSet("job", job.id)]
        if previous_user_intent(tracker) in MISS_INTENTS:
            job = context.context_job(tracker)
            topics = [t for t, d in queries.topics().items() if d.in_sheets and t != "source"]
            buttons = context.topic_buttons(job.id if job else None, topics[:3]) + context.job_buttons()
            dispatcher.utter_message(response="utter_fallback_topics", buttons=buttons)
        elif context.mentions_other_job(tracker) and not context.mentioned_jobs(tracker):
            dispatcher.utter_message(response="utter_unknown_job", buttons=context.job_buttons())
        else:
            dispatcher.utter_message(response="utter_out_of_scope", buttons=context.job_buttons())
        return []
