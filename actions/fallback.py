"""What the bot says when it cannot help: its scope, then topic buttons at the second miss in a row."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, planner
from actions.answer_term import asks_meaning_of_item, asks_meaning_of_word, dispatch_term_question, dispatch_terms
from actions.compare_jobs import compares
from actions.questions import (
    TERM_INTENT,
    answer_all,
    asks_for_more,
    asks_why_of_it,
    challenged_topic_intent,
    hinted_topic_intent,
    points_at_rank,
    reverses_last_move,
    tells_only_own_path,
)
from knowledge import queries
from knowledge.glossary import meaning_asked, terms_in
from knowledge.question import FOLLOW_UP_WORDS, STATEMENT, YES_NO, analyse
from knowledge.text import fold
from knowledge.vocabulary import contains_phrase

MISS_INTENTS = {"nlu_fallback", "out_of_scope"}
LOW_CONFIDENCE = 0.3  # config.yml's FallbackClassifier threshold: below it the message was not understood
CANDIDATE = 0.2  # not understood, but the best intent this sure: its answer is compared with the second's
UNSURE = 0.5  # "out of scope" scored under this, for a message naming a diploma or a topic: answered instead
FACT_DECIDES = 0.55  # share of the message a fact must match (twice any other section's) to decide alone
INTERCHANGEABLE = {"definition", "missions"}  # "que fait un gestionnaire … ?": either answer is right


def _precise(plan: planner.Plan) -> list[tuple]:
    """The facts a plan quotes precisely (not whole topics)."""
    return [part.facts for part in plan.parts if part.kind != planner.TOPIC]


def _fact_intent(tracker: Tracker) -> str | None:
    """Not understood, but the message names one fact of the job's sheet almost word for word ("c'est lui qui lance
    les procédures de recouvrement ?"): the intent of that fact's section."""
    named = context.mentioned_jobs(tracker)
    job = named[0] if named else context.context_job(tracker)
    text = context.question_text(tracker)
    if job is None or not text or not queries.content_terms(text):
        return None
    # the job's own sheet first; else the other sheets ("le back office fait la valorisation ?": a mission of the
    # middle office, answered as the missions, where the planner says which sheet has it)
    for jobs in ((job.id,), None):
        found = queries.find_facts(text, jobs)
        # the definition restates the missions ("il contrôle le respect des échéances"): no rival of theirs
        alike = ({found[0].topic} | (INTERCHANGEABLE if found[0].topic in INTERCHANGEABLE else set())) if found \
            else set()
        runner_up = next((f.coverage for f in found[1:] if f.topic not in alike), 0.0) if found else 0.0
        if found and found[0].coverage >= FACT_DECIDES and found[0].coverage >= 2 * runner_up:
            intent = f"{context.TOPIC_INTENT_PREFIX}{found[0].topic}"
            return intent if context.topic_of_intent(intent) else None
    return None  # no fact, or two sections alike: asking stays the honest move


def _in_topic_shown(tracker: Tracker) -> str | None:
    """Not understood, but the message's words are those of a fact (or heading) of the topic just shown, for the job
    in context: that topic's intent."""
    text = context.question_text(tracker)
    shown = tracker.get_slot("topic")
    job = context.context_job(tracker)
    if (not text or job is None or not isinstance(shown, str) or shown not in queries.topics()
            or not queries.topics()[shown].in_sheets or not queries.content_terms(queries.without_job_names(text))):
        return None
    found = [f for f in queries.find_facts(text, (job.id,), shown) if f.topic == shown]
    intent = f"{context.TOPIC_INTENT_PREFIX}{shown}"
    return intent if found and found[0].coverage >= FACT_DECIDES and context.topic_of_intent(intent) else None


def _named_intent(tracker: Tracker) -> str | None:
    """Not understood, but the message names one topic by its own words ("on se déplace peu ?": the rhythm) or a
    diploma ("ça prend quels bacs ?": the studies): that topic's intent."""
    text = context.question_text(tracker)
    if not text:
        return None
    named = {t for t in analyse(text, queries.vocabulary()).topics_named
             if context.topic_of_intent(f"{context.TOPIC_INTENT_PREFIX}{t}")}
    if len(named) == 2 and planner.DEFINITION_TOPIC in named:
        # "pourriez-vous m'indiquer le salaire …, afin que je puisse le présenter en classe ?": what the job is is
        # named by words any request uses ("présenter"); the other topic is the one asked
        named.discard(planner.DEFINITION_TOPIC)
    if len(named) == 1:
        return f"{context.TOPIC_INTENT_PREFIX}{named.pop()}"
    hinted = hinted_topic_intent(text) if not named else None
    if hinted:  # "il faut parler allemand ?": a word pointing to one topic (the skills)
        return hinted
    diploma = any(e.get("entity") == "diploma_kind" for e in tracker.latest_message.get("entities") or [])
    return f"{context.TOPIC_INTENT_PREFIX}studies" if not named and (diploma or planner.names_diploma(text)) else None


def _job_only(tracker: Tracker) -> str | None:
    """Not understood, but the message names a job and nothing else ("et celle du middle office précisément ?"):
    the same question for that job."""
    text = context.question_text(tracker)
    if not text or not context.mentioned_jobs(tracker) or queries.content_terms(queries.without_job_names(text)):
        return None
    return "inform_job"


def _asks_wh_of_last(tracker: Tracker) -> bool:
    """"à quel moment ?", "comment ça ?": a short question word and no word of the sheets, right after a precise
    answer (a question remembered)."""
    text = context.question_text(tracker) or ""
    folded = fold(text)
    remembered = tracker.get_slot("question")
    return (isinstance(remembered, str) and bool(remembered) and len(folded.split()) <= FOLLOW_UP_WORDS
            and any(contains_phrase(folded, w) for w in queries.vocabulary().wh_words)
            and not queries.find_facts(text))  # "à quel moment ?": no word of a fact of its own


def _follow_up_intent(tracker: Tracker) -> str | None:
    """Not understood, but a short question naming no job, no topic and no fact, right after an answer on a topic of
    the sheets ("c'est obligatoire ?" after the studies): a question about that topic."""
    text = context.question_text(tracker)
    topic = tracker.get_slot("topic")
    if not text or not isinstance(topic, str) or topic not in queries.topics() or not queries.topics()[topic].in_sheets:
        return None
    if len(text.split()) > FOLLOW_UP_WORDS or context.mentioned_jobs(tracker) or context.mentions_other_job(tracker):
        return None
    shape = analyse(text, queries.vocabulary())
    if shape.topics_named or shape.form == STATEMENT or context.silent_subject(text):
        return None
    intent = f"{context.TOPIC_INTENT_PREFIX}{topic}"
    return intent if context.topic_of_intent(intent) else None


def why_follow_up(tracker: Tracker) -> str | None:
    """"pourquoi ça change ?" right after an answer on a topic of the sheets: that topic's intent (whatever the NLU
    made of it: out of scope, most often), else None."""
    return _follow_up_intent(tracker) if asks_why_of_it(context.question_text(tracker) or "") else None


def claim_follow_up(tracker: Tracker) -> str | None:
    """"c'est obligatoire ?", "toujours ?" right after an answer on a topic of the sheets: that topic's intent, else
    None (see planner.claims_of_last)."""
    return _follow_up_intent(tracker) if planner.claims_of_last(context.question_text(tracker) or "") else None


def decided_intent(tracker: Tracker) -> str | None:
    """The intent to answer with when the NLU hesitated between two topics whose answers do not differ.

    The fallback's ambiguity rule asks "tu veux savoir quoi ?" when two intents score alike. That is only useful
    when the two answers differ: the definition and the missions both answer "que fait un gestionnaire … ?", and a
    message naming a fact gets the same precise answer under either topic.
    """
    ranking = [e for e in tracker.latest_message.get("intent_ranking") or [] if e.get("name") != "nlu_fallback"]
    if context.mentioned_jobs(tracker) and context.asks_same_question(context.question_text(tracker) or ""):
        return "inform_job"  # "et pour le middle il est cité ?": the last question, for the job named
    if len(ranking) < 2 or (ranking[0].get("confidence") or 0.0) < LOW_CONFIDENCE:
        if _another_term_of_the_same_kind(tracker, ranking):
            return TERM_INTENT  # "et niv 7" right after "niveau 6 c quoi": that word of the sheets, explained
        found = _named_intent(tracker) or _fact_intent(tracker) or _job_only(tracker) or _follow_up_intent(tracker)
        if found or len(ranking) < 2 or (ranking[0].get("confidence") or 0.0) < CANDIDATE:
            return found
        # unsure, but two topics stand out: the one whose sheet section answers it ("la monétique, ça apparaît où ?")
        first, second = ranking[0].get("name") or "", ranking[1].get("name") or ""
        return _between_topics(tracker, first, second) or _closed_about_job(tracker, first)
    first, second = ranking[0].get("name") or "", ranking[1].get("name") or ""
    named = _named_intent(tracker)
    if named in (first, second):  # "c'est dans quel secteur ?" between the definition and the figures: the one named
        return named
    if named and tells_only_own_path(context.question_text(tracker) or "") and (
            context.mentioned_jobs(tracker) or context.context_job(tracker)):
        return named  # "moi jsuis en terminale générale" with a job in context: whether its sheet lists it
    if context.ITEM_INTENT in (first, second):  # "et lotre ?" between an item by its rank and a job alone
        other = second if first == context.ITEM_INTENT else first
        return context.ITEM_INTENT if points_at_rank(context.question_text(tracker) or "") else other or None
    if "inform_job" in (first, second):  # a job alone, or a topic for it: the topic if the message names it
        other = second if first == "inform_job" else first
        if other == "compare_jobs":  # "et l'autre métier ?": the job alone, unless the message compares
            return other if compares(context.question_text(tracker) or "") else "inform_job"
        topic = context.topic_of_intent(other)
        asked = analyse(context.question_text(tracker), queries.vocabulary()).topics_named
        return other if topic and topic in asked else "inform_job" if topic else None
    if "compare_jobs" in (first, second):  # a topic, or that topic compared: the jobs named decide
        other = second if first == "compare_jobs" else first
        if not context.topic_of_intent(other):
            return None
        both = len(context.mentioned_jobs(tracker)) > 1 or compares(context.question_text(tracker))
        return "compare_jobs" if both else other
    candidates = context.topic_of_intent(first), context.topic_of_intent(second)
    if candidates[0] is not None and candidates[1] is not None and set(candidates) <= INTERCHANGEABLE:
        return first
    if TERM_INTENT in (first, second) and terms_in(fold(context.question_text(tracker) or ""), queries.glossary()):
        return TERM_INTENT  # "c'est quelle famille déjà ?" between a topic and a word's meaning: a word of the sheets
    other = second if first == TERM_INTENT else first if second == TERM_INTENT else None
    if other and context.topic_of_intent(other) and not asks_meaning_of_word(context.question_text(tracker) or ""):
        return other  # "et la monétique ?": no word of the glossary, no meaning asked — the topic that has it
    # "c'est quoi la part des jeunes diplômés ?" between the figures and a word's meaning: the fact it names decides
    # "et le back-office a des niveaux comme ça ?": a closed question naming a job and nothing of its own (a level is
    # a detail of the question before): that question, for the job named
    folded = fold(context.question_text(tracker) or "")
    closed = not any(contains_phrase(folded, w) for w in queries.vocabulary().wh_words)
    return _between_topics(tracker, first, second) or _fact_intent(tracker) or (
        _job_only(tracker) if closed and isinstance(tracker.get_slot("question"), str) and tracker.get_slot("question")
        else None) or _closed_about_job(tracker, first)


def _another_term_of_the_same_kind(tracker: Tracker, ranking: list[dict[str, Any]]) -> bool:
    """A short follow-up that names a word of the sheets' glossary, right after the bot explained one, and that the NLU
    reads, unsurely, as a word's meaning among its two best intents."""
    text = context.question_text(tracker) or ""
    return (TERM_INTENT in [e.get("name") for e in ranking[:2]] and len(text.split()) <= FOLLOW_UP_WORDS
            and bool(context.terms_just_explained(tracker)) and bool(terms_in(fold(text), queries.glossary())))


def _closed_about_job(tracker: Tracker, best: str) -> str | None:
    """Not understood, but a yes/no question about the job in context ("il fait des tableaux Excel ?" right after its
    missions): the best topic intent, whose answer checks the sheet (no fact says it: "la fiche n'en parle pas", then
    what it does say) — never "je ne connais que deux métiers" about a job it knows. (A job named in the message gets
    its likeliest topics offered instead.)"""
    text = context.question_text(tracker) or ""
    if not context.topic_of_intent(best) or context.mentions_other_job(tracker) or context.mentioned_jobs(tracker):
        return None
    if context.context_job(tracker) is None or not queries.content_terms(text):
        return None
    return best if analyse(text, queries.vocabulary()).form == YES_NO else None


def _between_topics(tracker: Tracker, first: str, second: str) -> str | None:
    """Of two topic intents, the one whose answer is precise: the same facts either way, facts for one only, or
    facts from the topic's own section where the other's come from elsewhere; None when the answers really differ."""
    candidates = context.topic_of_intent(first), context.topic_of_intent(second)
    if candidates[0] is None or candidates[1] is None:
        return None
    topics = (candidates[0], candidates[1])
    named = context.mentioned_jobs(tracker)
    job = named[0] if named else context.context_job(tracker)
    text = context.question_text(tracker)
    if job is None or not text:
        return None
    asked = analyse(text, queries.vocabulary()).topics_named
    if (topics[0] in asked) != (topics[1] in asked):  # "quel niveau d'études …": the topic the message names
        return first if topics[0] in asked else second
    plans = [planner.plan_answer(text, topic, job, job_named=bool(named)) for topic in topics]
    precise = [_precise(plan) for plan in plans]
    if precise[0] and precise[0] == precise[1]:  # the same facts either way: the intent of their own section
        return second if plans[1].topic == topics[1] and plans[0].topic != topics[0] else first
    if precise[0] and not precise[1]:
        return first
    if precise[1] and not precise[0]:
        return second
    own = [plan.topic == topic and all(part.topic == topic for part in plan.parts) for plan, topic in zip(
        plans, topics, strict=True)]
    if precise[0] and own[0] != own[1]:  # "il peut intervenir sur les marchés ?": the missions say it themselves
        return first if own[0] else second
    return None


def _short(tracker: Tracker) -> bool:
    """A follow-up of a few words ("et ingé ?"): what it names decides, however sure the NLU was of "out of scope"."""
    return len((context.question_text(tracker) or "").split()) <= FOLLOW_UP_WORDS


def _unsure(tracker: Tracker) -> bool:
    """Whether the NLU's best intent scored under UNSURE."""
    return ((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0) < UNSURE


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
        text = context.question_text(tracker)
        subject = context.silent_subject(text)
        # "quel âge", "dans quelles villes": the honest gap, whatever the NLU made of it
        if subject and not context.mentions_other_job(tracker) and not planner.goes_beyond_topic(text, "",
                                                                                                 names_count=False):
            job = context.context_job(tracker)
            buttons = context.topic_buttons(job.id if job else None, ["missions", "studies"])
            dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=subject,
                                     buttons=context.with_advisor(buttons))
            return []
        asked_terms = meaning_asked(fold(text), queries.glossary()) if text else []
        if asked_terms and not context.mentions_other_job(tracker):
            # "c'est quoi exactement le BUT GEA ?" read as out of scope: a word of the sheets, explained from them
            dispatch_terms(dispatcher, asked_terms)
            return []
        if (asks_meaning_of_item(text) or (context.latest_intent(tracker) == "nlu_fallback"
                                           and asks_meaning_of_word(text))) and not context.mentions_other_job(tracker):
            # "auditeur c'est quoi ça ?" after the careers: where a sheet names it, undescribed
            answered, job = dispatch_term_question(dispatcher, text, say_unknown=False)
            if answered:
                return [SlotSet("job", job.id)] if job else []
        asked = [q for q in tracker.latest_message.get("questions") or [] if isinstance(q, dict)]
        if len(asked) >= 2 and not context.mentions_other_job(tracker) and any(
                context.topic_of_intent(str(q.get("intent"))) for q in asked):
            # "Quels diplômes la fiche cite-t-elle ? J'aimerais aussi comprendre ce que signifie « valorisation »":
            # unsure of the message as a whole, but each of its questions was read: each is answered
            return answer_all(dispatcher, tracker)
        decided = decided_intent(tracker) if context.latest_intent(tracker) == "nlu_fallback" else None
        why = why_follow_up(tracker) if not decided else None
        if not (decided or why) and reverses_last_move(tracker):  # "et l'inverse ?" right after a move
            return answer_all(dispatcher, tracker, f"{context.TOPIC_INTENT_PREFIX}careers")
        claimed = claim_follow_up(tracker) if not (decided or why) else None
        if claimed:  # "elle est obligatoire ?" right after the trainings: of what was just answered
            return answer_all(dispatcher, tracker, claimed)
        if why:  # the sheet's facts again, said plainly that it explains no more
            dispatcher.utter_message(response="utter_why_follow_up")
            return answer_all(dispatcher, tracker, why)
        if context.latest_intent(tracker) == "out_of_scope" and (_unsure(tracker) or _short(tracker)) and not \
                context.mentions_other_job(tracker):
            decided = _named_intent(tracker)  # "il y a un magistère aussi ?", "et ingé ?": a diploma is in scope
            if decided is None and _asks_wh_of_last(tracker):
                decided = _follow_up_intent(tracker)  # "à quel moment ?" right after "le BO voit les clients ?"
        if not decided and not context.mentions_other_job(tracker):
            # "Pourriez-vous préciser laquelle est spécifique au métier ?" right after the trainings: words of the
            # list just shown
            decided = _in_topic_shown(tracker)
        if not decided:  # "n'importe quoi, ma mère y travaille et voit jamais de client": of the answer just given
            decided = challenged_topic_intent(tracker, text or "")
        if decided:
            return answer_all(dispatcher, tracker, decided)
        if context.other_job_in_careers(tracker):  # "et un comptable ?" right after the careers
            return answer_all(dispatcher, tracker, f"{context.TOPIC_INTENT_PREFIX}{tracker.get_slot('topic')}")
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
            dispatcher.utter_message(response="utter_fallback_topics", buttons=context.with_advisor(buttons))
        elif context.mentions_other_job(tracker) and not context.mentioned_jobs(tracker):
            dispatcher.utter_message(response="utter_unknown_job", buttons=context.with_advisor(context.job_buttons()))
        else:
            dispatcher.utter_message(response="utter_out_of_scope", buttons=context.with_advisor(context.job_buttons()))
        return []


class ActionHelp(Action):
    """"tu sais faire quoi ?": what the bot can do — unless the message, read as a request for help, asks about the
    sheets: a diploma named ("ya quels autres bacs ?": the studies) or why, right after an answer ("pourquoi ces
    métiers-là ?": that answer, said plainly that the sheet explains no more)."""

    def name(self) -> str:
        return "action_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = context.question_text(tracker) or ""
        why = why_follow_up(tracker)
        if why:
            dispatcher.utter_message(response="utter_why_follow_up")
            return answer_all(dispatcher, tracker, why)
        if planner.names_diploma(text) and not context.mentions_other_job(tracker):
            return answer_all(dispatcher, tracker, f"{context.TOPIC_INTENT_PREFIX}studies")
        dispatcher.utter_message(response="utter_help")
        return []


class ActionBotChallenge(Action):
    """"t'es un robot ?": what the bot is — unless the message doubts the answer just given ("t'es sûr ?", "c'est
    faux"), read as a question about the bot: the claim is checked on that answer's topic."""

    def name(self) -> str:
        return "action_bot_challenge"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = context.question_text(tracker) or ""
        doubted = claim_follow_up(tracker) or challenged_topic_intent(tracker, text)
        if doubted:
            return answer_all(dispatcher, tracker, doubted)
        shown = tracker.get_slot("topic")
        if asks_for_more(text) and isinstance(shown, str) and context.topic_of_intent(
                f"{context.TOPIC_INTENT_PREFIX}{shown}"):  # "une autre ?" right after one quality: the whole list
            return answer_all(dispatcher, tracker, f"{context.TOPIC_INTENT_PREFIX}{shown}")
        dispatcher.utter_message(response="utter_iamabot")
        return []

