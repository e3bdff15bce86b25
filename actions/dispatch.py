"""How a plan is said: each kind of answer part to its `domain.yml` response, with its source and buttons.

Output only (no decision): actions/answer_topic.py and actions/compare_jobs.py decide what to say.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions import context, planner
from actions.planner import Part, Plan
from common.wording import response_text
from knowledge import queries
from knowledge.render import facts_block, quoted_facts

# The domain.yml response of each kind of precise answer part
PART_RESPONSES = {
    planner.YES: "utter_fact_yes",
    planner.YES_TO_NEGATIVE: "utter_fact_yes_to_negative",
    planner.FACTS: "utter_fact_found",
    planner.NO_OTHER_JOB: "utter_fact_no_other_job",
    planner.SILENT_OTHER_JOB: "utter_fact_silent_other_job",
    planner.ELSEWHERE_ONLY: "utter_fact_elsewhere_only",
    planner.NOT_IN_SHEET: "utter_fact_not_in_sheet",
    planner.OTHER_DIRECTION: "utter_fact_other_direction",
    planner.FILTERED: "utter_facts_filtered",
    planner.FILTER_NONE: "utter_filter_none",
    planner.FILTER_UNRATED: "utter_filter_unrated",
    planner.NOT_LISTED: "utter_fact_not_listed",
    planner.KIND_LISTED: "utter_fact_kind_listed",
    planner.LEVEL_NAMED: "utter_fact_level_named",
    planner.NOT_REQUIRED: "utter_fact_not_required",
    planner.LEVEL_LOWER: "utter_fact_level_lower",
    planner.LESS_OFTEN: "utter_fact_less_often",
    planner.UNQUALIFIED: "utter_fact_unqualified",
    planner.COUNT: "utter_answer_count",
    planner.NOT_OF_KIND: "utter_fact_not_of_kind",
    planner.NOT_ONLY: "utter_fact_not_only",
    planner.VALUE_UNSAID: "utter_fact_value_unsaid",
    planner.NOT_RANKED: "utter_facts_not_ranked",
    planner.NOT_CITED: "utter_fact_not_cited",
    planner.AFTER_POINT: "utter_facts_after",
    planner.ATTRIBUTE_NONE: "utter_attribute_none_code",  # by the detail none carries: ATTRIBUTE_NONE_RESPONSES
    planner.NO_IMPORTANCE: "utter_facts_no_importance",
    planner.NEXT_STEP: "utter_fact_next_step",
}

ATTRIBUTE_NONE_RESPONSES = {"code": "utter_attribute_none_code", "url": "utter_attribute_none_url"}


def dispatch_answer(dispatcher: CollectingDispatcher, answer: queries.TopicAnswer, buttons: list | None = None) -> None:
    """Send one topic answer with its source and follow-up buttons (or the honest "not in the sheet")."""
    job_name = context.lower_first(answer.job.name)
    topic_label = answer.label.lower()
    buttons = context.suggestions(answer) if buttons is None else buttons
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
                                 buttons=context.with_advisor(buttons))


def _where(topic: str, facts: tuple[queries.FactItem, ...]) -> str:
    label = queries.topics()[topic].label.lower()
    groups = {f.group for f in facts}
    return f"{label} › {facts[0].group}" if len(groups) == 1 and facts and facts[0].group else label


def _filter_label(part: Part) -> str:
    return " + ".join(f.label for f in part.filters)


def dispatch_part(dispatcher: CollectingDispatcher, part: Part, buttons: list) -> None:
    """Send one part of a plan with its domain response."""
    answer = queries.topic_answer(part.job.id, part.topic)
    if part.kind == planner.TOPIC or (part.kind == planner.NOT_IN_SHEET and not answer.found):
        dispatch_answer(dispatcher, answer, buttons)
        return
    values: dict[str, Any] = {"job_name": context.lower_first(part.job.name), "topic_label": answer.label.lower(),
                              "source": answer.source.publisher}
    if part.kind == planner.NOT_CITED:
        own = _own_options(part)
        if own:  # "les deux peuvent devenir auditeur ?": the sheet that does not say it, then what it lists
            dispatcher.utter_message(response="utter_fact_not_cited_listed", buttons=buttons,
                                     job_name=values["job_name"], own_where=values["topic_label"],
                                     own_facts=facts_block(own), source=values["source"])  # (it says its headings)
            return
        dispatcher.utter_message(response=PART_RESPONSES[part.kind], buttons=buttons, job_name=values["job_name"])
        return
    if part.kind in (planner.RANK_NOTE, planner.SIDES_NOTE):  # a note before the answers that follow it: no buttons
        note = "utter_not_ranked_note" if part.kind == planner.RANK_NOTE else "utter_sides_note"
        dispatcher.utter_message(response=note, job_name=values["job_name"])
        return
    if part.kind in (planner.NO_OTHER_JOB, planner.SILENT_OTHER_JOB, planner.ELSEWHERE_ONLY):
        other = part.other
        assert other is not None  # the planner names the other job's fact for these kinds
        values.update(other_job_name=context.lower_first(other.job.name), where=_where(other.topic, (other.fact,)),
                      facts=quoted_facts((other.fact,)),
                      source=queries.topic_answer(other.job.id, other.topic).source.publisher)
        own = _own_options(part)
        if part.kind == planner.ELSEWHERE_ONLY:
            # then what the asked sheet does say on that topic, when short enough for a phone
            listed = queries.topic_answer(part.job.id, other.topic).facts
            dispatcher.utter_message(response=PART_RESPONSES[part.kind], buttons=buttons, **values)
            if 0 < len(listed) <= planner.LONG_LIST:
                dispatcher.utter_message(response="utter_fact_elsewhere_own", job_name=values["job_name"],
                                         own_where=_where(other.topic, listed), own_facts=facts_block(listed),
                                         source=queries.topic_answer(part.job.id, other.topic).source.publisher)
            return
        if own:  # "depuis le back-office, on peut devenir auditeur ?": what its own sheet lists, then the other's
            dispatcher.utter_message(response="utter_fact_no_other_job_listed",
                                     own_where=queries.topics()[part.topic].label.lower(),
                                     own_facts=facts_block(own), buttons=buttons, **values)
            return
    elif part.kind in (planner.YES, planner.YES_TO_NEGATIVE, planner.FACTS, planner.OTHER_DIRECTION,
                       planner.LEVEL_LOWER, planner.LESS_OFTEN, planner.UNQUALIFIED):
        values.update(where=_where(part.topic, part.facts), facts=quoted_facts(part.facts, part.attribute))
    elif part.kind == planner.NOT_OF_KIND:
        values.update(where=_where(part.topic, part.facts), facts=quoted_facts(part.facts),
                      filter_label=_filter_label(part))
    elif part.kind == planner.COUNT:
        values.update(count=len(part.facts), where=_where(part.topic, part.facts), facts=facts_block(part.facts))
    elif part.kind in (planner.NOT_LISTED, planner.KIND_LISTED, planner.LEVEL_NAMED, planner.NOT_REQUIRED,
                       planner.NOT_ONLY, planner.VALUE_UNSAID, planner.NOT_RANKED, planner.NO_IMPORTANCE,
                       planner.NEXT_STEP):
        values.update(where=_where(part.topic, part.facts), facts=facts_block(part.facts), item=part.item)
        if part.kind == planner.NEXT_STEP:  # the list says its heading ("Après le bac …")
            values["where"] = values["topic_label"]
    elif part.kind == planner.AFTER_POINT:
        values.update(filter_label=_filter_label(part), facts=facts_block(part.facts))
    elif part.kind == planner.FILTERED:
        values.update(count=len(part.facts), total=part.total, filter_label=_filter_label(part),
                      facts=facts_block(part.facts))
    elif part.kind == planner.ATTRIBUTE_NONE:
        dispatcher.utter_message(response=ATTRIBUTE_NONE_RESPONSES.get(part.attribute or "", PART_RESPONSES[part.kind]),
                                 buttons=buttons, facts=facts_block(part.facts), **values)
        return
    elif part.kind == planner.FILTER_UNRATED:
        names = queries.vocabulary().filter_names
        values.update(filter_name=" ni par ".join(dict.fromkeys(names[f.kind] for f in part.filters)),
                      facts=facts_block(part.facts))
    else:  # NOT_IN_SHEET, FILTER_NONE: the honest gap, then what the sheet does say on the topic
        values.update(filter_label=_filter_label(part), facts=facts_block(answer.facts))
    dispatcher.utter_message(response=PART_RESPONSES[part.kind], buttons=buttons, **values)
    if part.kind == planner.OTHER_DIRECTION and part.job is not None:
        # "le middle peut déboucher sur analyste financier ?" (a job one comes from): then where the sheet says it
        # does lead, the direction asked
        given = {f.direction for f in part.facts}
        listed = tuple(f for f in queries.topic_answer(part.job.id, part.topic).facts
                       if f.direction is not None and f.direction not in given)
        if listed and len(given) == 1:
            dispatcher.utter_message(response="utter_fact_elsewhere_own", job_name=values["job_name"],
                                     own_where=_where(part.topic, listed), own_facts=facts_block(listed),
                                     source=queries.topic_answer(part.job.id, part.topic).source.publisher)


def _own_options(part: Part) -> tuple:
    """For a list of options (studies, careers, trainings) or of people (interlocutors, short) the other job's sheet
    names and this one does not: this sheet's own list, in the same direction for careers (where one goes, where
    one comes from)."""
    other = part.other
    words = queries.claim_reader().words
    if (part.kind not in (planner.NO_OTHER_JOB, planner.NOT_CITED) or other is None
            or part.topic not in (*words.option_topics, *words.job_topics)):
        return ()
    facts = queries.topic_answer(part.job.id, part.topic).facts
    if part.topic not in words.option_topics and len(facts) > planner.LONG_LIST:
        return ()  # "le back bosse avec les commerciaux ?": whom its own sheet names, when short enough for a phone
    same = tuple(f for f in facts if other.fact.direction is None or f.direction in (None, other.fact.direction))
    return same or facts


def precise_buttons(part: Part) -> list[dict[str, Any]]:
    """After a precise answer: the whole topic, then the same question for the other job."""
    label = queries.topics()[part.topic].label.lower()
    buttons = [{"title": response_text("utter_button_see_all", topic_label=label),
                "payload": context.payload(f"ask_{part.topic}", part.job.id)}]
    others = [job for job in queries.list_jobs() if job.id != part.job.id]
    if len(others) == 1:
        title = response_text("utter_button_other_job", job_name=context.lower_first(others[0].name))
        buttons.append({"title": title, "payload": context.payload("inform_job", others[0].id)})
    return buttons


def dispatch_plan(dispatcher: CollectingDispatcher, plan: Plan, buttons: bool = True) -> None:
    """Send every part; follow-up buttons go under the last one only (one set of choices on a phone; none with
    `buttons=False`: another answer follows)."""
    for index, part in enumerate(plan.parts):
        last = buttons and index == len(plan.parts) - 1
        if part.kind == planner.TOPIC:
            answer = queries.topic_answer(part.job.id, part.topic)
            dispatch_answer(dispatcher, answer, context.suggestions(answer) if last else [])
        else:
            dispatch_part(dispatcher, part, precise_buttons(part) if last else [])
