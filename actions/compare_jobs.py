"""Compares the jobs side by side on one topic."""
from __future__ import annotations

import re
from dataclasses import replace

from rasa_sdk.executor import CollectingDispatcher

from actions import context, planner
from actions.dispatch import dispatch_plan
from common.wording import response_text
from knowledge import queries
from knowledge.queries import JobInfo
from knowledge.question import YES_NO, analyse
from knowledge.render import facts_block
from knowledge.text import fold
from knowledge.vocabulary import contains_phrase

DEFAULT_COMPARISON_TOPIC = "missions"


def asks_both(text: str) -> bool:
    """Whether a message asks about both jobs at once ("les deux demandent…", "chacun")."""
    return any(contains_phrase(fold(text), cue) for cue in queries.vocabulary().both_cues)


# "plus administratif que", "moins stressant que le middle", "aussi bien payé que": a comparative, whatever the word
_COMPARATIVE = re.compile(r"(?<![a-z'])(?:plus|moins|aussi|mieux)\s+(?:[a-z'-]+\s+){1,2}(?:que|qu')"
                          # "l'anglais compte plus en middle ou en back ?"
                          r"|(?<![a-z'])(?:plus|moins|davantage|mieux)\s+(?:en|au|aux|dans|chez|pour)\s[^?.!]*\bou\b")


def has_comparative(text: str) -> bool:
    """"plus administratif que le middle", "l'anglais compte plus en middle ou en back ?": two things set against."""
    return bool(_COMPARATIVE.search(fold(text)))


def ranks(text: str) -> bool:
    """Whether a message asks to rank the jobs ("lequel demande le plus…", "c'est plus administratif que…")."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().ranking_cues) or bool(
        _COMPARATIVE.search(folded))


_WHICH_ONE = {"lequel", "laquelle", "lequel des deux", "laquelle des deux"}


def ranks_on_a_scale(text: str) -> bool:
    """Whether a message asks the jobs ranked on a scale ("lequel demande le plus…", "c'est plus dur que…"), not
    only which one does a thing ("lequel des deux traite les réclamations ?")."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().ranking_cues if cue not in _WHICH_ONE) \
        or bool(_COMPARATIVE.search(folded))


def compares(text: str) -> bool:
    """Whether a message sets the jobs against each other: "les deux", "lequel", "le plus", "vs", "différence"."""
    vocabulary = queries.vocabulary()
    folded = fold(text)
    return asks_both(text) or ranks(text) \
        or any(word.strip("?!.,;:") in vocabulary.comparison_words for word in folded.split())


NAMES_A_FACT = 0.4  # share of a comparison's words a fact of another topic must have to give the comparison its topic


def _topic_asked(text: str, fallback: str | None, understood: bool = False) -> str:
    """The topic a comparison is about: the one the message names, else (`understood`: the NLU's own topic) the
    fallback before a keyword guess ("et après le bac je fais quoi ?" is the studies, not the careers' "après")."""
    catalogue = queries.topics()
    named = [t for t in analyse(text, queries.vocabulary()).topics_named if t in catalogue]
    guessed = (fallback if understood else None) or queries.topic_of_text(text)
    kept = guessed or fallback
    if not named and kept:
        # "et pour l'expérience demandée, ça se compare ?" right after the studies: no fact of that topic has the words
        # asked, the figures' "1ère expérience ou jeune diplômé(e)" has — the topic of the facts the message names
        found = queries.find_facts(text) if queries.content_terms(queries.without_job_names(text)) else []
        runner_up = next((f.coverage for f in found if f.topic != found[0].topic), 0.0) if found else 0.0
        # (one topic clearly: "quelle est la différence ?" matches "différents" in two topics alike)
        if (found and found[0].coverage >= max(NAMES_A_FACT, 2 * runner_up)
                and all(f.topic != kept for f in found)):
            guessed = found[0].topic
    topic = (named[0] if named else None) or guessed or fallback or DEFAULT_COMPARISON_TOPIC
    return DEFAULT_COMPARISON_TOPIC if topic == "definition" else topic


def compare_on_button(dispatcher: CollectingDispatcher, remembered: str | None) -> str:
    """A comparison button ("/compare_jobs"): the remembered topic side by side; returns it."""
    topic = _topic_asked("", remembered)
    dispatch_comparison(dispatcher, topic)
    return topic


def answer_for_both(dispatcher: CollectingDispatcher, text: str, fallback_topic: str | None,
                    understood: bool = False, said_by: list[JobInfo] | None = None, no_verdict: bool = False) -> str:
    """A question about the two jobs; returns the topic answered. `said_by` (if given) receives the one job whose
    sheet alone says "oui" to a closed question ("c'est qui qui fait la facturation, middle ou back ?"): the job
    "lui" means next; `no_verdict`: the student's message contradicted the last answer or asked an opinion (the
    question answered may be the one remembered): no "oui".

    A closed question ("les deux demandent l'esprit d'équipe ?") gets each job's own answer, with the same gate
    before "oui" as for one job. A point that facts name ("lequel demande le plus d'anglais ?") gets each sheet's
    facts on that point; a ranking is said to be beyond the sheets. Otherwise the topic side by side.
    """
    vocabulary = queries.vocabulary()
    shape = analyse(text, vocabulary)
    folded = fold(text)
    ranking = ranks(text)
    counted = ranking or vocabulary.asks_count(folded)
    topic = _topic_asked(text, fallback_topic, understood)
    if not queries.topics()[topic].in_sheets:
        dispatch_comparison(dispatcher, topic)
        return topic
    point = " ".join(w for w in shape.content.split() if w.strip("?!.,;:") not in vocabulary.comparison_words)
    terms = queries.content_terms(point)
    found = [f for f in queries.find_facts(point, None, topic) if f.coverage >= planner.STRONG] if terms else []
    named_items = queries.claim_reader().read(folded).items  # "avec un BTS je peux faire lequel ?": each job's answer
    if named_items and not shape.topics_named and not understood:
        # "si je veux devenir auditeur plus tard je commence par lequel des deux ?": a job named is looked for among
        # the careers, a diploma among the studies — not in the missions a comparison defaults to
        topic = planner.home_topic(named_items[0], topic)
    if named_items or (shape.form == YES_NO and not ranking and (found or shape.filters)):
        plans = [_each_answered(planner.plan_answer(text, topic, job), asks_both(text))
                 for job in queries.list_jobs()]
        said_yes = [any(part.kind in (planner.YES, planner.YES_TO_NEGATIVE) for part in plan.parts) for plan in plans]
        if (asks_both(text) or understood) and any(said_yes) and not all(said_yes):
            # (or "pareil pour le stress ?" right after a comparison: asked of both too)
            # "les deux demandent l'esprit d'équipe ?": one sheet says it in these words — no "oui" in front of it
            dispatcher.utter_message(response="utter_compare_not_both")
            yes = (planner.YES, planner.YES_TO_NEGATIVE)
            plans = [replace(plan, parts=[replace(part, kind=planner.FACTS) if part.kind in yes else part
                                          for part in plan.parts]) for plan in plans]
        if no_verdict or planner.wants_no_verdict(text):  # "mais non c'est le middle qui fait ça, pas le back"
            plans = [planner.without_verdict(plan) for plan in plans]
        for index, plan in enumerate(plans):
            dispatch_plan(dispatcher, plan, buttons=index == len(plans) - 1)
        # "si je fais un BUT GEA, je peux aller vers quel métier ?": the one sheet that lists the thing named is the
        # job "et après ?" goes on with
        named_in = [any(part.kind in (planner.YES, planner.YES_TO_NEGATIVE, planner.FACTS) and part.facts
                        for part in plan.parts) for plan in plans] if named_items else said_yes
        if said_by is not None and (said_yes.count(True) == 1 or (not any(said_yes) and named_in.count(True) == 1)):
            said_by.append(queries.list_jobs()[(said_yes if any(said_yes) else named_in).index(True)])
        return found[0].topic if found else topic
    if ranking and (ranks_on_a_scale(text) or not found):
        # ("lequel des deux traite les réclamations ?": which one does it, said by each sheet — no scale to refuse)
        dispatcher.utter_message(response="utter_compare_no_ranking")
    if found:
        _dispatch_point(dispatcher, found)
        return found[0].topic
    dispatch_comparison(dispatcher, topic, counted)
    return topic


def _each_answered(plan: planner.Plan, of_each: bool = False) -> planner.Plan:
    """Every job is answered in turn: "not in this sheet, it is in the other one's" becomes "not in this sheet" (the
    other sheet's answer follows; said twice otherwise); `of_each`: asked of each job ("les deux peuvent devenir
    auditeur ?"), with what this sheet lists instead (dispatch) — not when the question asks which job it is."""
    answered = {job.id for job in queries.list_jobs()}
    return replace(plan, parts=[
        planner.Part(planner.NOT_CITED, part.job, part.topic, other=part.other if of_each else None)
        if part.kind in (planner.NO_OTHER_JOB, planner.SILENT_OTHER_JOB) and part.other is not None
        and part.other.job.id in answered else part for part in plan.parts])


def _dispatch_point(dispatcher: CollectingDispatcher, found: list[queries.FoundFact]) -> None:
    """Each job's facts on the point the message names (or the sheet's silence on it)."""
    sections, sources, strong = [], [], []
    for job in queries.list_jobs():
        own = [f for f in found if f.job.id == job.id]
        strong.append(bool(own) and own[0].coverage >= planner.STRONG)
        close = [f.fact for f in own if f.coverage >= own[0].coverage * planner.CLOSE_TO_BEST][:planner.MAX_FACTS] \
            if own else []
        body = facts_block(tuple(close)) if close else response_text("utter_compare_not_in_sheet")
        sections.append(f"▸ {job.name}\n\n{body}")
        if own:
            sources.append(queries.topic_answer(job.id, own[0].topic).source.publisher)
    # "lequel demande l'anglais ?" where each sheet says it: said first that each does
    response = "utter_compare_point_both" if len(strong) > 1 and all(strong) else "utter_compare_point"
    dispatcher.utter_message(response=response, facts="\n\n".join(sections),
                             source=" ; ".join(dict.fromkeys(sources)), buttons=context.job_buttons())


def dispatch_comparison(dispatcher: CollectingDispatcher, topic: str, counted: bool = False) -> None:
    """Send every job's facts on `topic`, each under its job's name (with their number when `counted`), with both
    sources."""
    catalogue = queries.topics()
    if not catalogue[topic].in_sheets:
        dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=catalogue[topic].label.lower(),
                                 buttons=context.with_advisor(context.topic_buttons(None, list(catalogue[topic].next))))
        return
    answers = queries.compare(topic)
    sections = []
    for answer in answers:
        body = facts_block(answer.facts) if answer.found else response_text("utter_compare_not_in_sheet")
        if not answer.found and answer.instead is not None and answer.instead.found:
            # "quelles qualités ?" where a sheet has none: what it offers in their place, as for one job
            body = response_text("utter_compare_instead", topic_label=answer.instead.label.lower(),
                                 facts=facts_block(answer.instead.facts))
        count = f" ({len(answer.facts)})" if counted and answer.found else ""
        sections.append(f"▸ {answer.job.name}{count}\n\n{body}")
    sources = " ; ".join(dict.fromkeys(a.source.publisher for a in answers))
    # one button per job: it answers the same topic for that job alone
    # "t'as eu tes infos où ?": where each sheet comes from, said as the sheets they are
    response = "utter_compare_sources" if topic == planner.SOURCE_TOPIC else "utter_compare"
    dispatcher.utter_message(response=response, topic_label=catalogue[topic].label.lower(),
                             facts="\n\n".join(sections), source=sources, buttons=context.job_buttons())
