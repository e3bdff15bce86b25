"""One message, one or several questions: each is routed to its answer, in the order written.

The NLU (bot/intent_classifier.py) splits a message of several sentences: `questions` (up to three, each with its
intent) and `context` (sentences that ask nothing: "j'ai un bac pro commerce.", "j'accompagne des élèves de
seconde."). A message of one sentence is one question. Each question is answered as if asked alone — a term, a
comparison, a topic the sheets do not cover, or the planner's answer — and the student's context sentences are read
by the gate before "oui" ("j'ai un bac pro commerce. je peux faire back office ?").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, planner
from actions.answer_term import (
    asked_word,
    asks_meaning_of_item,
    dispatch_term_question,
    dispatch_terms,
    only_as_partner,
)
from actions.compare_jobs import DEFAULT_COMPARISON_TOPIC as COMPARED_BY_DEFAULT
from actions.compare_jobs import answer_for_both, asks_both, compares, has_comparative, ranks, ranks_on_a_scale
from actions.dispatch import dispatch_plan
from knowledge import queries
from knowledge.glossary import FILTER_TERMS, STRONG_CUES, WEAK_CUES, Term, meaning_asked, terms_in
from knowledge.queries import JobInfo
from knowledge.question import FOLLOW_UP_WORDS, OPEN, STATEMENT, YES_NO, analyse
from knowledge.render import facts_block
from knowledge.sentences import situation_told_first
from knowledge.text import fold
from knowledge.vocabulary import contains_phrase

TERM_INTENT, COMPARE_INTENT, COMPARE_ACTION = "ask_term", "compare_jobs", "action_compare_jobs"
SUITS_TOPIC = "qualities"  # "c'est pour moi ?" asks what the job asks of the person
PATH_TOPIC = "studies"  # where a student's own diploma is checked
OWN_FILTER_KIND = "diploma_kind"  # the filters a student's own diploma is written with
_WHICH = re.compile(r"\b(?:lequel|laquelle|lesquels|lesquelles|qui des deux)\b")  # which of the jobs


@dataclass
class State:
    """What the conversation knows while the questions of one message are answered."""

    topic: str | None
    job: JobInfo | None
    question: str | None = None
    job_answered: bool = False  # an answer named the job: the slot follows it
    profile: str | None = None  # the diplomas the student said are theirs ("bac general spe maths")
    both: bool = False  # the last question of the message was answered for both jobs


_THE_SHEET = re.compile(r"\bfiches?\b")
_WHICH_ITEM_OF_LIST = re.compile(r"\b(?:laquelle|lesquelles)\b")


def questions_of(tracker: Tracker, intent: str | None = None) -> list[tuple[str, str]]:
    """(text, intent) of each question of the latest message: the NLU's split, else the message itself with
    `intent` (default: the NLU's)."""
    intent = intent or context.latest_intent(tracker)
    split = tracker.latest_message.get("questions")
    asked = [(q["text"], q["intent"]) for q in split or []
             if isinstance(q, dict) and isinstance(q.get("text"), str) and isinstance(q.get("intent"), str)]
    text = context.question_text(tracker)
    parallel = (_plus_joined(text, intent) or _parallel_questions(text, intent) or _also_asked(text, intent)
                or _two_things(text) or _two_claims(text, intent)
                if len(asked) < 2 and text and not text.startswith("/") else [])
    if parallel:  # "le middle fait quoi avec les risques, et le back avec les échéances ?"
        return _same_of_another(parallel)
    if len(asked) < 2 or not text or text.startswith("/") or (
            # "et pour le back ?" split in two is one question; "Le back-office est-il un métier de provenance pour le
            # middle-office, et quelles activités … ?" read as a job alone on the whole is two
            context.latest_intent(tracker) == "inform_job"
            and not all(queries.content_terms(queries.without_job_names(question))
                        or analyse(question, queries.vocabulary()).topics_named for question, _ in asked)):
        # one question: the message's own text (or the remembered question), the NLU's intent
        # ("ok. et le middle office, lui ?": a job alone after an acknowledgement asks the remembered question)
        single = asked[0][0] if len(asked) == 1 and intent == asked[0][1] and intent != "inform_job" else text
        return [(single, intent)]
    return _without_repeats(_same_of_another(asked))


# "… et celui d'un gestionnaire middle-office": the thing just asked, of another job
_THAT_OF = re.compile(r"^\W*(?:et\s+)?(?:celui|celle|ceux|celles)\s+(?:d'un|d'une|du|de la|de l'|des|d')")


def _same_of_another(asked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"Pourriez-vous m'indiquer le salaire d'un gestionnaire de back-office et celui d'un gestionnaire middle-office,
    afin que je puisse le présenter en classe ?": the second part asks the first part's thing of the job it names,
    with the first part's intent (not the topic its other words point to, "présenter")."""
    result: list[tuple[str, str]] = []
    for text, intent in asked:
        if result and _THAT_OF.match(fold(text)) and queries.jobs_in_text(text):
            intent = result[-1][1]
        result.append((text, intent))
    return result


_AND_THEN = re.compile(r",\s*(?=et\s)")


def _parallel_questions(text: str, intent: str) -> list[tuple[str, str]]:
    """"le middle fait quoi avec les risques, et le back avec les échéances ?": a second question, elliptic, on
    another job — each part asks its own job about its own words (the same intent). "horaires du back et
    compétences du middle": each part names its own topic, each its own intent. [] when the message is one."""
    for match in _AND_THEN.finditer(text):
        before, after = text[:match.start()], text[match.end():]
        first, second = queries.jobs_in_text(before), queries.jobs_in_text(after)
        if (len(first) == 1 and len(second) == 1 and first != second
                and queries.content_terms(queries.without_job_names(before))
                and queries.content_terms(queries.without_job_names(after))):
            return [(before.strip(), intent), (after.strip(), intent)]
    for match in _AND_BARE.finditer(text):
        # without the comma, only where each side names a topic of its own ("les différences entre le middle et le
        # back" is one comparison)
        before, after = text[:match.start()], text[match.end():]
        first, second = queries.jobs_in_text(before), queries.jobs_in_text(after)
        topics = (named_topic_intent(before), named_topic_intent(after))
        if (len(first) == 1 and len(second) == 1 and first != second and all(topics) and topics[0] != topics[1]
                and not compares(text)):
            return [(before.strip(), topics[0] or intent), (after.strip(), topics[1] or intent)]
    return []


_AND_BARE = re.compile(r"\s+(?=et\s)")
SHORT_THING = 4  # words of a noun phrase that a second thing follows ("déplacements et anglais en middle ?")
# a request before the things asked ("donne-moi", "je voudrais connaître", "pouvez-vous me dire")
_REQUEST_LEAD = re.compile(r"^\W*(?:(?:bonjour|salut|stp|svp|alors|ok|du coup)\W+)*(?:(?:donne|dis|cite|explique|liste|"
                           r"presente|decris|indique|precise)(?:[- ]?(?:moi|nous))?|(?:donnez|dites|citez|expliquez|"
                           r"listez|presentez|decrivez|indiquez|precisez)(?:[- ]?(?:moi|nous))?|je voudrais(?: savoir| "
                           r"connaitre)?|j'aimerais(?: savoir| connaitre)?|(?:tu peux|peux-tu|pouvez-vous|vous pouvez)"
                           r" (?:me |nous )?(?:donner|dire|citer|expliquer|lister|presenter|decrire|indiquer))\b\W*")


def _two_things(text: str) -> list[tuple[str, str]]:
    """"déplacements et anglais en middle ça donne quoi": two things of two sections joined by "et", the first a
    short noun phrase — each asked of its own section (two topics the message names are one plan's already). []
    when the message asks one thing."""
    match = _AND_BARE.search(text)
    if match is None or compares(text) or len(set(queries.jobs_in_text(text))) > 1:
        return []
    before, after = text[:match.start()].strip(" ,"), text[match.end() + 3:].strip()
    # ("donne-moi les tâches du middle-office et …": the request and the job's name are no part of the thing)
    thing = _REQUEST_LEAD.sub("", fold(queries.without_job_names(before)))
    if not before or len(thing.split()) > SHORT_THING or not after:
        return []
    named = (named_topic_intent(before), named_topic_intent(after))
    if all(named):
        return []
    first = named[0] or hinted_topic_intent(before) or _fact_topic_intent(before, "nlu_fallback")
    second = named[1] or hinted_topic_intent(after) or _fact_topic_intent(after, "nlu_fallback")
    if _NOUN_PHRASE.match(fold(after)):
        after = f"et {after}"  # "… et l'anglais au middle ?": what the sheet says of it (a follow-up), not a yes/no
    return [(before, first), (after, second)] if first and second and first != second else []


# "ça voyage beaucoup ET ÇA bosse tard ?", "on fait de la compta ET ON parle anglais ?": a second clause, its subject
# (not "et c'est lui qui décide …": a cleft joined to a claim is one claim, checked whole)
_AND_CLAUSE = re.compile(r"\s+et\s+(?=(?:ca|il|elle|on|ils|elles)\s)")


_PLUS = re.compile(r"\s+\+\s+(?![0-9])")  # "les perspectives du back office + d'où on vient …" (not "bac + 5")


def _plus_joined(text: str, intent: str) -> list[tuple[str, str]]:
    """Two things joined by a "+", each asking something of its own (a topic named or words of its own): two
    questions, each with the topic it names (else the message's intent). [] otherwise."""
    parts = [part.strip() for part in _PLUS.split(text)]
    if len(parts) == 2 and _plus_of_a_sheet(parts[0], parts[1]):
        return []  # "Prépa et école d'ingénieur + spécialisation …": a sheet's own item
    if len(parts) != 2 or not all(queries.content_terms(queries.without_job_names(part)) or _names_a_topic(part)
                                  for part in parts):
        return []
    return [(part, named_topic_intent(part) or hinted_topic_intent(part) or intent) for part in parts]


def _plus_of_a_sheet(before: str, after: str) -> bool:
    """Whether the words on each side of a "+" are joined so in a fact of a sheet ("ingénieur + spécialisation")."""
    words_before, words_after = fold(before).split(), fold(after).split()
    if not words_before or not words_after:
        return False
    joined = f"{words_before[-1]} + {words_after[0]}"
    return any(joined in fold(fact.text) for job in queries.list_jobs() for topic in queries.topics()
               for fact in queries.topic_answer(job.id, topic).facts if "+" in fact.text)


def _names_a_topic(text: str) -> bool:
    """Whether a part of a message names a topic by its words ("ça voyage beaucoup": the rhythm)."""
    return bool(analyse(text, queries.vocabulary()).topics_named or hinted_topic_intent(text))


def _two_claims(text: str, intent: str) -> list[tuple[str, str]]:
    """"le middle office ça voyage beaucoup et ça bosse tard ?": two clauses, each with its own subject and its own
    words, are two questions (each checked against the sheet; a "oui" to one is no "oui" to the other). [] when the
    message is one clause, or compares."""
    folded = fold(text)
    if len(folded) != len(text) or compares(text):  # (the offsets of the folded text are the text's)
        return []
    for match in _AND_CLAUSE.finditer(folded):
        before, after = text[:match.start()].strip(" ,"), text[match.end():].strip()
        if all(queries.content_terms(queries.without_job_names(part)) or _names_a_topic(part)
               for part in (before, after)):
            return [(before, intent), (after, intent)]
    return []


# "…, ainsi que les évolutions possibles pour chacun d'eux ?": a second thing asked, joined without a question word
_ALSO = re.compile(r",?\s+(?:ainsi que|de meme que|mais aussi|et aussi|et egalement)\s+")


def _also_asked(text: str, intent: str) -> list[tuple[str, str]]:
    """"la différence entre ces deux métiers, ainsi que les évolutions possibles pour chacun d'eux ?": a topic named
    after "ainsi que" that the first part does not name is a question of its own (each part its own intent). [] when
    the message asks one thing."""
    folded = fold(text)
    match = _ALSO.search(folded) if len(folded) == len(text) else None  # the offsets of the folded text are the text's
    if not match or not queries.content_terms(folded[:match.start()]):
        return []
    before, after = text[:match.start()], text[match.end():]
    vocabulary = queries.vocabulary()
    named_after = [t for t in analyse(after, vocabulary).topics_named if context.topic_of_intent(
        f"{context.TOPIC_INTENT_PREFIX}{t}")]
    after_intent = named_topic_intent(after)
    if after_intent is None or set(named_after) & set(analyse(before, vocabulary).topics_named):
        return []
    # the first part keeps the NLU's intent, unless that intent is the second part's topic
    # (or the topic a word of its own points to: "le niveau d'anglais attendu, ainsi que la fréquence des
    # déplacements ?" read as the rhythm, its first part is the skills)
    before_intent = intent if context.topic_of_intent(intent) not in named_after else (
        named_topic_intent(before) or hinted_topic_intent(before) or _fact_topic_intent(before, "nlu_fallback")
        or (COMPARE_INTENT if compares(before) else None))
    if _NOUN_PHRASE.match(fold(after.strip())):
        # "…, ainsi que la fréquence des déplacements ?": a noun phrase governed by the first part's request, read as
        # the follow-up it is ("et la fréquence … ?": what the sheet says of it), not as a yes/no question
        after = f"et {after.strip()}"
    return [(before.strip(), before_intent), (after.strip(), after_intent)] if before_intent else []


_NOUN_PHRASE = re.compile(r"(?:le|la|les|l'|du|des|ses|son|sa|leur|leurs)\b")


def _names_only_the_job(text: str) -> bool:
    """"et pour le middle faut quoi" right after the back office's studies: a job and no word of its own (no fact's
    word, no topic, no filter) asks what was just asked, of that job — whatever topic the NLU guessed."""
    words = set(re.findall(r"[a-z]+'?", fold(queries.without_job_names(text))))
    return bool(words) and words <= _ONLY_THE_JOB_WORDS and "faut" in words | {"faut" if "fo" in words else ""}


# the words around a job's name that ask nothing of their own ("et pour le middle il faut quoi ?")
_ONLY_THE_JOB_WORDS = frozenset({"et", "pour", "le", "la", "les", "l'", "du", "de", "des", "au", "aux", "en", "il",
                                 "elle", "faut", "fo", "quoi", "koi", "alors", "donc", "ok", "ca", "sinon", "chez"})


def partner_of(tracker: Tracker, job: JobInfo, text: str) -> JobInfo | None:
    """The job before the message when the one named is only whom it works with ("et avec le back il fait quoi
    ensemble ?" about the middle office), else None."""
    before = context.job_before(tracker)
    if before in (None, job):
        return None
    return before if context.named_as_partner_only(text, job) or context.named_as_reference_only(text, job) else None


# "en" standing for what the question before named ("combien la fiche du middle EN liste ?", "elle en cite aussi ?")
_EN_BEFORE_VERB = re.compile(r"\b(?:en|n'en|y en)\s+(?:liste|listent|cite|citent|compte|comptent|a|ont|demande|"
                             r"demandent|mentionne|mentionnent|donne|donnent|propose|proposent|recense|recensent|"
                             r"indique|indiquent|prevoit|prevoient)\b")


def _fact_topic_intent(text: str, intent: str) -> str | None:
    """One question of several that the NLU read as no topic (out of scope, not understood) but that names a fact of
    the sheets clearly ("Vous parlez d'un reporting : j'aimerais comprendre à qui il est adressé"): the intent of
    that fact's section (as the fallback does for a whole message), else None."""
    if context.topic_of_intent(intent) or intent in (TERM_INTENT, COMPARE_INTENT, "inform_job"):
        return None
    named = named_topic_intent(text)
    if named:
        return named
    found = queries.find_facts(text) if queries.content_terms(queries.without_job_names(text)) else []
    if not found or found[0].coverage < FACT_DECIDES:
        return None
    runner_up = next((f.coverage for f in found[1:] if f.topic != found[0].topic), 0.0)
    intent = f"{context.TOPIC_INTENT_PREFIX}{found[0].topic}"
    return intent if found[0].coverage >= 2 * runner_up and context.topic_of_intent(intent) else None


def _without_repeats(asked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A question asked again in other words ("Elle se demande si son métier est cité… Son métier est-il cité ?"):
    the same intent and no word of its own that the earlier one lacks — answered once, leaving room for the others."""
    kept: list[tuple[str, str, set[str]]] = []
    vocabulary = queries.vocabulary()
    for text, intent in asked:
        folded = fold(text)
        # the words that name a topic count too: "se déplace souvent ? et les horaires ?" asks two things of one topic
        shape = analyse(text, vocabulary)
        # ... and a starting point: "son bac est-il cité ? Et quelles formations après le bac ?" asks two things
        terms = {*queries.content_terms(text), *(f"job:{job.id}" for job in queries.jobs_in_text(text)),
                 *(f"topic:{t}" for t in shape.topics_named), *(f"after:{f.value}" for f in shape.after),
                 # ... and a direction: "on y vient de quels métiers, ça mène à quoi ensuite ?" asks both ways
                 *(f"direction:{d}" for d in [queries.career_direction(text)] if d),
                 *(f"name:{n}" for names in vocabulary.topic_names.values() for n in names
                   if contains_phrase(folded, n))}
        if not any(intent == other and terms <= other_terms for _, other, other_terms in kept):
            kept.append((text, intent, terms))
    return [(text, intent) for text, intent, _ in kept]


FACT_TERMS_INSTEAD = 2  # words of a fact a question must name to be about that fact rather than its source or a word
STRONG_ENOUGH = 0.5  # share of a question asking what the sheet says of something that a fact must match
FACT_DECIDES = 0.55  # share of a question a fact must match (twice any other section's) to give it its topic


def topic_asked_instead(text: str) -> str | None:
    """"La fiche contient-elle une liste de qualités ?", "Qui a raison d'après la fiche ? …", "c'est quoi le niveau le
    plus haut demandé ?": a message read as a question about the sheets' source or about a word, that asks about what
    the sheets say; the intent of the topic it names, else of the fact it matches, else None."""
    named = named_topic_intent(text)
    if named and named != f"{context.TOPIC_INTENT_PREFIX}{planner.SOURCE_TOPIC}":
        return named
    if not queries.content_terms(text):
        return None
    folded = fold(text)
    items = queries.claim_reader().items(queries.without_job_names(text, marker=planner.JOB_MARKER))
    if items and any(contains_phrase(folded, cue) for cue in queries.vocabulary().mention_cues):
        # "genre l'ESSEC ou HEC, elles sont citées ?": whether the sheet lists them, where it would
        return f"{context.TOPIC_INTENT_PREFIX}{planner.home_topic(items[0], PATH_TOPIC)}"
    found = queries.find_facts(text)
    if found and len(found[0].matched) >= FACT_TERMS_INSTEAD:  # one word is not enough ("la fiche est à jour ?")
        return f"{context.TOPIC_INTENT_PREFIX}{found[0].topic}"
    if found and found[0].coverage >= STRONG_ENOUGH and any(
            contains_phrase(folded, cue) for cue in queries.vocabulary().sheet_says_cues):
        # "que dit la fiche au sujet du stress ?": what the sheet says of a thing it names, not where it comes from
        return f"{context.TOPIC_INTENT_PREFIX}{found[0].topic}"
    claim = queries.claim_reader().read(fold(text))
    if found and found[0].coverage >= 0.99 and (claim.period or claim.frequent or claim.level):
        # ... unless the message claims something of that fact ("le reporting c'est chaque semaine ?")
        return f"{context.TOPIC_INTENT_PREFIX}{found[0].topic}"
    return None


def asks_if_mentioned(text: str) -> bool:
    """"lcb ft c ds la fiche ?", "la fiche parle de crypto ?": whether the sheets mention words none of them uses (no
    fact, no word of the glossary) — a question about those words, not about where the sheets come from."""
    folded = fold(text)
    if not any(contains_phrase(folded, cue) for cue in queries.vocabulary().mention_cues):
        return False
    terms = queries.content_terms(queries.without_job_names(text))
    return bool(terms) and not queries.find_facts(text) and not terms_in(folded, queries.glossary())


def _only_shown_says_it(tracker: Tracker, state: State, text: str, topic: str, jobs: list[JobInfo]) -> bool:
    """"ça peut changer selon quoi ?" right after the travels, read as the careers: no word of the topic read is in
    the message, while a fact of the topic just shown says most of it ("les horaires peuvent varier selon
    l'actualité")."""
    shown = tracker.get_slot("topic")
    if (jobs or state.job is None or not isinstance(shown, str) or shown == topic or shown not in queries.topics()
            or not queries.content_terms(text) or analyse(text, queries.vocabulary()).form != OPEN):
        return False  # (an open question only: "donc il devient chef direct ?" is no "oui" of "encadrer une équipe")
    found = queries.find_facts(text, (state.job.id,), shown)
    in_shown = max((f.coverage for f in found if f.topic == shown), default=0.0)
    in_topic = max((f.coverage for f in found if f.topic == topic), default=0.0)
    return in_shown >= planner.STRONG and in_topic < planner.PARTIAL


def _said_in_topic_shown(tracker: Tracker, state: State, text: str) -> str | None:
    """"et quand c'est international ?" right after the hours, read as a word's meaning: a word of the topic just
    shown, for the job in context ("salles de marché internationales"), asks about that topic."""
    shown = tracker.get_slot("topic")
    if not isinstance(shown, str) or shown not in queries.topics() or state.job is None:
        return None
    found = queries.find_facts(text, (state.job.id,), shown)
    return f"{context.TOPIC_INTENT_PREFIX}{shown}" if found and found[0].topic == shown else None


# "et revenir en back-office ?", "il peut passer au middle ?": the job named is where one would go
_TOWARDS = re.compile(r"\b(?:revenir|retourner|repasser|passer|aller|evoluer|bouger|basculer|rejoindre|integrer|"
                      r"devenir)\s+(?:ensuite\s+|plus tard\s+|apres\s+)?"
                      r"(?:en|au|aux|dans le|dans la|vers le|vers la|vers|chez)?"
                      r"\s*(?:le\s+|la\s+|l')?\s*(?:gestionnaires?\s+)?(?:de\s+|du\s+)?$")


def destination_only(text: str, jobs: list[JobInfo], before: JobInfo, topic: str | None, intent: str) -> bool:
    """Whether the one job a career question names is only where one would move from the job the conversation was
    about (`before`): "et revenir en back-office ?" while talking about the middle office is a move between them."""
    if len(jobs) != 1 or jobs[0] == before:
        return False
    if context.topic_of_intent(intent) != "careers" and not (intent == "inform_job" and topic == "careers"):
        return False
    folded = fold(text)
    return any(start > 0 and _TOWARDS.search(folded[:start]) for start, job in queries.job_mentions(text)
               if job == jobs[0])


def _best_topic_intent(tracker: Tracker) -> str | None:
    ranking = tracker.latest_message.get("intent_ranking") or []
    return next((e["name"] for e in ranking if context.topic_of_intent(str(e.get("name") or ""))), None)


def background_of(tracker: Tracker) -> str:
    """The sentences of the latest message that ask nothing ("j'ai un bac pro commerce.")."""
    said = tracker.latest_message.get("context")
    return " ".join(s for s in said if isinstance(s, str)) if isinstance(said, list) else ""


def asks_something(text: str) -> bool:
    """Whether a message asks something of its own besides naming a job ("et l'autre, niveau études ?"): a topic
    or words of content."""
    return bool(analyse(text, queries.vocabulary()).topics_named or context.asks_more_than_a_job(text))


def named_topic_intent(text: str) -> str | None:
    """The intent of the one topic a message names by its own words ("niveau qualités", "parle-moi du"), or None."""
    named = [t for t in analyse(text, queries.vocabulary()).topics_named
             if context.topic_of_intent(f"{context.TOPIC_INTENT_PREFIX}{t}")]
    return f"{context.TOPIC_INTENT_PREFIX}{named[0]}" if len(named) == 1 else None


def hinted_topic_intent(text: str) -> str | None:
    """The intent of the one topic a word of the message points to without naming it ("il doit parler allemand ?":
    the skills), or None (vocabulary `topic_hints`)."""
    folded = fold(text)
    hinted = {t for t, words in queries.vocabulary().topic_hints.items()
              if any(contains_phrase(folded, w) for w in words)
              and context.topic_of_intent(f"{context.TOPIC_INTENT_PREFIX}{t}")}
    return f"{context.TOPIC_INTENT_PREFIX}{hinted.pop()}" if len(hinted) == 1 else None


def _only_as_own_path(words: tuple[str, ...], text: str) -> bool:
    """Whether a term is written once, as the student's own diploma ("je suis en terminale STMG … c'est quoi au
    juste ?" asks what the job is, not what STMG means)."""
    own, folded = fold(own_path(text) or ""), fold(text)
    return any(contains_phrase(own, w) for w in words) and sum(
        len(re.findall(rf"\b{re.escape(w)}\b", folded)) for w in words) <= 1


# "en première générale": the class before the terminale, of the bac's track, which names the bac ("terminale" alone
# already reads as the bac)
_CLASS_TRACK = re.compile(r"\b(premiere|1ere|1re)\s+(generale|general|technologique|techno|professionnelle|pro)\b")


def own_path(text: str) -> str | None:
    """The diplomas the student says are theirs in a message ("je suis en bac général spé maths", "ma fille est en
    première générale"), or None."""
    folded = _CLASS_TRACK.sub(lambda m: f"bac {m.group(2)}", fold(text))
    items = queries.claim_reader().own_items(folded)
    return " ; ".join(item.text for item in items) or None


_BECOME = re.compile(r"\b(?:deveni\w*|devien\w*|devenu\w*)\b")
_WHEN = ("avant",)  # "on peut le devenir avant le bac ?": when, not where one comes from
_BECOME_WORDS = 4  # "devenir gestionnaire de back office": the job follows the verb within a few words


def becomes_the_job(text: str) -> bool:
    """"comment devenir gestionnaire back-office ?", "on peut le devenir après le brevet ?": the way into a job (its
    studies), not where it leads — unless a job is where one starts from ("un comptable peut devenir … ?")."""
    folded = fold(text)
    match = _BECOME.search(folded)
    if not match:
        return False
    after = re.findall(r"[a-z0-9']+", folded[match.end():])[:_BECOME_WORDS]
    vocabulary = queries.vocabulary()
    if any(contains_phrase(" ".join(after[:2]), cue) for cue in vocabulary.career_to):
        return False  # "devenir après le BO", "devenir ensuite"
    if any(contains_phrase(folded, cue) for cue in vocabulary.career_from
           if not cue.startswith(vocabulary.present_state_cues + _WHEN)):
        return False  # "devenir gestionnaire BO en venant du contrôle de gestion": where one comes from
    before = folded[:match.start()]
    return bool(queries.jobs_in_text(" ".join(after))) and not queries.jobs_in_text(before) and not any(
        not item.diploma for item in queries.claim_reader().items(before))


_LEAD = re.compile(r"^(?:et |mais |ok |du coup |ah |bon )*")
LONG_WHY_WORDS = 9  # "pourquoi la fiche du bo en parle pas ?": a "why" naming nothing of its own


def asks_why_of_it(text: str) -> bool:
    """"pourquoi ils changent ?" right after an answer (a why cue of the vocabulary first): about what was just said
    (its topic), naming no topic."""
    folded = fold(text)
    asked = _LEAD.sub("", folded)
    cued = any(asked.startswith(cue) and contains_phrase(asked[:len(cue) + 1], cue)
               for cue in queries.vocabulary().why_cues)
    # "c'est-à-dire maîtrise ?" asks that word's meaning
    words = len(re.findall(r"[a-z0-9]+", folded))
    # "pourquoi la fiche du bo en parle pas ?": longer, yet naming nothing of its own
    short = words <= FOLLOW_UP_WORDS or (words <= LONG_WHY_WORDS
                                   and not queries.content_terms(queries.without_job_names(text)))
    return cued and short and not analyse(text, queries.vocabulary()).topics_named \
        and not meaning_asked(folded, queries.glossary())


_BARE_COUNT = re.compile(r"^\W*(?:et |ok |du coup |mais |alors |donc )?(?:combien|cb|cmb|kombien)"
                         r"(?: en tout| au total| y en a| il y en a| ca fait)?\W*$")  # "combien ?", alone


# "il EN a combien ?", "y EN a combien ?": the count of something said before
_COUNT_OF_IT = re.compile(r"\b(?:en|y en|n'en|y'en)\s+(?:a|as|ont|avez|aurait|auront|cite|citent|compte|comptent|"
                          r"liste|listent|fait|font|donne|donnent|demande|demandent)\b")


def counts_what_was_shown(text: str, topic: str) -> bool:
    """"ça en fait combien ?", "combien ?" read as the salary: a count that names no word of a topic no sheet covers
    is the number of what was just shown; so is "et lui, le middle, il en a combien ?" read as any topic, when it
    says nothing but the job and "en"."""
    vocabulary = queries.vocabulary()
    folded = fold(text)
    counts = vocabulary.asks_count(folded) or bool(_BARE_COUNT.match(folded))
    if not counts or analyse(text, vocabulary).topics_named:
        return False
    return not queries.topics()[topic].in_sheets or (
        bool(_COUNT_OF_IT.search(folded)) and not queries.content_terms(queries.without_job_names(text)))


def counts_within_shown(text: str, topic: str, shown: str, jobs: list[JobInfo]) -> bool:
    """"et les générales y en a combien ?" right after the trainings, read as the key figures: a count whose own words
    are all in the section just shown (its headings included) counts within that section."""
    folded = fold(text)
    if topic not in planner.NOT_COUNTED or shown in planner.NOT_COUNTED or len(jobs) != 1 or not (
            queries.vocabulary().asks_count(folded) or _BARE_COUNT.match(folded)):
        return False
    if analyse(text, queries.vocabulary()).topics_named:
        return False
    asked = set(queries.content_terms(queries.without_job_names(text)))
    facts = queries.topic_answer(jobs[0].id, shown).facts
    said = {t for f in facts for t in queries.content_terms(" ".join(filter(None, (f.text, f.group))))}
    return bool(asked) and asked <= said


# "cette formation", "son diplôme", "ses études": the diploma the student (or their child) told
_OWN_DIPLOMA = re.compile(r"\b(?:cette|cet|ce|son|sa|ses|mon|ma|mes|ton|ta|tes|votre|vos|leur)\s+(?:formation|"
                          r"formations|diplome|diplomes|cursus|parcours|filiere|etudes|bts|but|bac|licence|master|"
                          r"specialite|specialites|spe|spes|option|options)\b")


# "elle est dans les bacs que la fiche indique ?", "parmi ceux conseillés ?": among the sheet's list
_AMONG_LISTED = re.compile(r"\b(?:parmi|dans (?:la|les|sa|ses|leur|leurs) (?:liste|listes|bacs|diplomes|formations|"
                           r"etudes|filieres)|indiqu[a-z]*|conseill[a-z]*|recommand[a-z]*|propos[a-z]*)\b")


def refers_to_own_diploma(text: str, profile: str | None) -> bool:
    """"Cette formation figure-t-elle dans la fiche ?", "ma filière est dans les bacs que la fiche indique ?" once
    the student told theirs: whether the sheet lists it."""
    folded = fold(text)
    mentioned = bool(_AMONG_LISTED.search(folded)) or any(
        contains_phrase(folded, cue) for cue in queries.vocabulary().mention_cues)
    return bool(profile) and bool(_OWN_DIPLOMA.search(folded)) and mentioned


def asks_own_path(text: str, profile: str | None) -> bool:
    """"mon bac convient ?", "ça lui est accessible ?", "cette formation figure dans la fiche ?": a closed question on
    the student's own path, naming no diploma of its own, asked once the student said theirs."""
    if not profile:
        return False
    folded = fold(text)
    if analyse(text, queries.vocabulary()).form == OPEN:
        return False
    reader = queries.claim_reader()
    told = fold(own_path(text) or "")  # "je suis en terminale STMG et le back ça m'intéresse, c'est jouable ?"
    if any(not item.bare and not (told and contains_phrase(told, item.text))
           for item in reader.items(queries.without_job_names(text, marker=planner.JOB_MARKER))):
        return False  # a diploma named besides the student's own: whether the sheet lists that one
    return any(contains_phrase(folded, cue) for cue in reader.words.access_cues) or refers_to_own_diploma(text,
                                                                                                          profile)


# the words around "la fiche" of a job that ask nothing of their own ("et dans la fiche de l'autre métier ?")
_AROUND_A_SHEET = frozenset({"et", "dans", "sur", "selon", "d'apres", "pour", "la", "le", "sa", "ta", "leur", "fiche",
                             "de", "du", "l'", "l", "autre", "metier", "job", "poste", "alors", "ok", "chez", "celle",
                             "cette", "aussi", "sinon", "d'", "apres", "en", "ce", "qu'", "dit"})


def names_only_a_sheet(text: str) -> bool:
    """"et dans la fiche de l'autre métier ?", "et selon la fiche du back ?": a sheet named as where to look, nothing
    asked of its own (no source word: "d'où vient la fiche ?" asks where it comes from)."""
    words = re.findall(r"[a-z]+'?", fold(queries.without_job_names(text)))
    return "fiche" in words and set(words) <= _AROUND_A_SHEET


# the words around a job's name that ask nothing of their own ("et lui ? le middle", "et chez l'autre ?")
_AROUND_A_JOB = frozenset({"et", "lui", "elle", "eux", "pour", "le", "la", "les", "l'", "du", "de", "des", "au",
                           "aux", "en", "chez", "alors", "sinon", "ok", "puis", "autre", "celui", "celle", "la-bas",
                           "cote", "niveau", "dans", "son", "sa", "cas", "metier", "job", "poste",
                           # "et le back il en a besoin ?", "et l'autre, il lui en faut ?", "pareil pour le back ?":
                           # what was just asked, by its pronoun
                           "il", "a", "besoin", "faut", "fo", "aussi", "pareil", "idem", "meme", "chose", "ca"})


def names_only_a_job(text: str) -> bool:
    """"et lui ? le middle", "et chez l'autre ?": a job (or "l'autre") and nothing asked of its own."""
    words = re.findall(r"[a-z]+'?(?:-[a-z]+)?", fold(queries.without_job_names(text)))
    named = bool(queries.jobs_in_text(text)) or "autre" in words
    return named and set(words) <= _AROUND_A_JOB


def tells_only_own_path(text: str) -> bool:
    """"moi jsuis en terminale générale", "j'ai un bac pro commerce": a statement of the student's own diploma and
    nothing else — with a job in context, whether the sheet lists it."""
    told = own_path(text)
    if not told or analyse(text, queries.vocabulary()).form != STATEMENT:
        return False
    return set(queries.content_terms(text)) <= set(queries.content_terms(told))


def answer_all(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None = None) -> list[dict[str, Any]]:
    """Answer every question of the latest message (`intent`: the one to answer it as, default the NLU's); the slots
    the last answer leaves."""
    remembered = tracker.get_slot("question")
    reset = [SlotSet("job", None)] if context.slot_is_unreadable(tracker, "job") else []
    state = State(context.requested_topic(tracker), context.context_job(tracker),
                  remembered if isinstance(remembered, str) else None)
    profile = tracker.get_slot("profile")
    told = own_path(tracker.latest_message.get("text") or "")
    state.profile = told or (profile if isinstance(profile, str) else None)
    asked = questions_of(tracker, intent)
    whole_message = len(asked) == 1
    # (or the jobs set side by side by this action: "c'est quoi la diff ?" read as a term, answered for both)
    comparing = context.compared_last(tracker, COMPARE_ACTION) or context.said_comparison_last(tracker)
    for text, intent in asked:
        if not whole_message:  # "… j'aimerais comprendre comment se fait le règlement-livraison", read as no topic
            intent = _fact_topic_intent(text, intent) or intent
            if (state.topic in queries.topics() and _EN_BEFORE_VERB.search(fold(text))
                    and not analyse(text, queries.vocabulary()).topics_named):
                # "quelles compétences pour le back, et combien la fiche du middle en liste ?": "en" is the topic of the
                # question before it
                intent = f"{context.TOPIC_INTENT_PREFIX}{state.topic}"
        shown = tracker.get_slot("topic")
        if (whole_message and context.topic_of_intent(intent) and state.question
                and isinstance(shown, str) and shown in queries.topics() and shown != planner.SOURCE_TOPIC
                and (names_only_a_sheet(text) or names_only_a_job(text))):
            # "et dans la fiche de l'autre métier ?" right after "le BTS banque en fait partie ?" (read as the
            # sources), "et lui ? le middle" (read as a topic its words do not name): the question just asked, of
            # that job
            text, intent = state.question, f"{context.TOPIC_INTENT_PREFIX}{shown}"
        jobs = context.mentioned_jobs(tracker) if whole_message else queries.jobs_in_text(text)
        if whole_message and len(jobs) > 1 and tracker.latest_message.get("context"):
            # "J'ai cru comprendre que, côté middle-office, on conseille l'AMF. … si la fiche du back-office mentionne
            # elle aussi ce genre de formations": the job the question names, not every job of the context
            in_question = queries.jobs_in_text(text)
            jobs = in_question if 0 < len(in_question) < len(jobs) else jobs
        jobs = context.subject_jobs(text, jobs)  # "le middle travaille avec le back pour quoi ?": the middle office
        said = (tracker.latest_message.get("text") or "") if whole_message else text  # not the remembered question
        switched, understood = False, None
        if context.topic_of_intent(intent) == planner.SOURCE_TOPIC and refers_to_own_diploma(text, state.profile):
            intent = f"{context.TOPIC_INTENT_PREFIX}{PATH_TOPIC}"  # "cette formation figure dans la fiche ?"
        if context.topic_of_intent(intent) == planner.SOURCE_TOPIC:
            intent = topic_asked_instead(text) or intent
            if intent == f"{context.TOPIC_INTENT_PREFIX}{planner.SOURCE_TOPIC}":
                # "c'est faux, il faut obligatoirement un master, ma prof me l'a dit": a claim against the answer
                # just given, checked on that topic — not where the sheets come from
                intent = challenged_topic_intent(tracker, text) or intent
            if intent == f"{context.TOPIC_INTENT_PREFIX}{planner.SOURCE_TOPIC}" and asks_if_mentioned(text):
                intent = TERM_INTENT  # "lcb ft c ds la fiche ?": words no sheet uses — said so, not the sources
            shown = tracker.get_slot("topic")
            if (intent == f"{context.TOPIC_INTENT_PREFIX}{planner.SOURCE_TOPIC}" and state.question
                    and isinstance(shown, str) and shown in queries.topics() and shown != planner.SOURCE_TOPIC
                    and analyse(text, queries.vocabulary()).attribute in ("url", "code")
                    and not _THE_SHEET.search(fold(text))):  # "le site de la fiche back office ?": its source
                # "et le lien pour voir ?" right after "le master finance c bien ?": that diploma's link
                intent = f"{context.TOPIC_INTENT_PREFIX}{shown}"
        read = context.topic_of_intent(intent)
        if (whole_message and read and read != planner.SOURCE_TOPIC
                and read not in analyse(said, queries.vocabulary()).topics_named):
            # "t'es sûr ? c'est pas plutôt 12 000 ?" right after the number of jobs, read as the salary: the claim is
            # checked on the topic just answered, not on one the message does not name
            intent = challenged_topic_intent(tracker, said) or intent
        ranked = context.job_by_rank(tracker, said) if not jobs and whole_message else None
        if ranked is not None:  # "c'est quoi déjà le premier ?"
            jobs, switched = [ranked], ranked != state.job
        elif not jobs and state.job and context.asks_other_job(said):  # "et pour l'autre métier ?"
            others = [job for job in queries.list_jobs() if job != state.job]
            if len(others) != 1:  # three jobs or more: "l'autre" names none of them, ask which
                dispatcher.utter_message(response="utter_ask_job", buttons=context.job_buttons(others))
                continue
            jobs, switched = others, True
        elif (whole_message and len(jobs) == 2 and intent != COMPARE_INTENT and not planner.asks_sameness(said)
              and len(compared := [j for j in jobs if context.named_as_reference_only(said, j)]) == 1):
            # "le back-office fait aussi un reporting tous les jours, comme le middle ?": about the back office, the
            # middle office only what it is compared with (said after, without a "oui" of its own)
            jobs = [j for j in jobs if j not in compared]
        elif whole_message and len(jobs) == 1 and (partner := partner_of(tracker, jobs[0], said)) is not None:
            partnered, jobs = jobs[0], [partner]  # "et avec le back il fait quoi ?", "… comme le back ?"
            if (context.topic_of_intent(intent) == context.DEFAULT_TOPIC
                    and context.named_as_partner_only(said, partnered)):
                # "… il fait quoi ensemble ?" read as what the job is: what it does with that partner (its
                # interlocutors, where the sheet says so), not its definition
                intent = f"{context.TOPIC_INTENT_PREFIX}interlocutors"
        elif intent == "inform_job" and whole_message and jobs:  # "ok parle-moi du back office alors"
            named = named_topic_intent(said) or hinted_topic_intent(said)  # "le BO doit parler allemand ?"
            if named:
                intent, text = named, said  # its own topic, its own words
            elif asks_for_more(said):  # "et il fait quoi d'autre le back ?": the whole topic, not the last fact
                shown = tracker.get_slot("topic")
                if isinstance(shown, str) and shown in queries.topics() and shown != planner.SOURCE_TOPIC:
                    intent, text = f"{context.TOPIC_INTENT_PREFIX}{shown}", ""
        elif not jobs and comparing and intent not in (TERM_INTENT, "inform_job"):
            understood = context.topic_of_intent(intent)  # the topic the NLU read, kept for the comparison
            intent = COMPARE_INTENT  # right after a comparison, "et les études ?" goes on comparing
        # (one question of several: "Le back-office fait de la monétique ? Et le middle-office aussi ?" — the question
        # before it, for the job it names)
        if (len(jobs) == 1 and (context.asks_same_question(said) or _names_only_the_job(said))
                and (jobs[0] != context.job_before(tracker) if whole_message
                     else bool(state.question) and state.job is not None and jobs[0] != state.job)):
            # "et le middle il fait ça aussi ?", "pareil pour l'autre ?": the last question (else the topic in
            # context) for the job named — not a comparison, nor the topic the NLU read in it ("c'est pas le middle
            # qui fait ça ?" read as a question about the source)
            intent, text = "inform_job", state.question or said
            shown = tracker.get_slot("topic")
            state.topic = shown if isinstance(shown, str) and shown in queries.topics() else state.topic
        if intent == COMPARE_INTENT and len(jobs) == 1 and (not compares(said) or _superlative_of_one(said)):
            if switched and not asks_something(said):  # "et l'autre métier ?": the same question, for the other job
                intent, text = "inform_job", state.question or text
            elif whole_message:
                # one job named, nothing compared: the topic it names, else the NLU's best topic
                # (or the one its words point to: "et le middle se situe où là-dedans ?" is what the job is)
                intent = named_topic_intent(said) or hinted_topic_intent(said) or _best_topic_intent(tracker) or intent
            else:  # one question of several ("… si le métier de gestionnaire de back-office leur serait ouvert")
                intent = named_topic_intent(text) or topic_asked_instead(text) or f"{context.TOPIC_INTENT_PREFIX}" \
                    f"{context.DEFAULT_TOPIC}"
        # the job before: the conversation's, or within one message the job the question before was about ("… le
        # back-office, et pourra-t-elle ensuite évoluer vers le middle-office ?")
        before = context.job_before(tracker) if whole_message else (state.job if state.job_answered else None)
        if before is not None and destination_only(said, jobs, before, state.topic, intent):
            # a move from the job before to the one named, read in both sheets; the conversation goes on with the
            # job whose sheet answered
            jobs = [before, *jobs]
        if not whole_message and not jobs and state.both:
            # "… si ces métiers impliquent des horaires décalés, et si les déplacements y sont fréquents.": the
            # next question of the message, naming no job, goes on with the jobs the message names (or both)
            in_message, known = context.mentioned_jobs(tracker), list(queries.list_jobs())
            jobs = in_message if len(in_message) >= 2 else known if len(known) == 2 else []
        state.both = False
        start = len(dispatcher.messages)
        answer_one(dispatcher, tracker, state, text, intent, jobs, background_of(tracker), whole_message, understood)
        if _said_already(dispatcher.messages, start):
            # two questions of one message answered alike ("… a-t-il un rôle réglementaire ? … ce que dit la fiche sur
            # ses contrôles ?"): the answer once
            del dispatcher.messages[start:]
        comparing = False
    job = [SlotSet("job", state.job.id if state.job else None)] if state.job_answered else []
    path = [SlotSet("profile", told)] if told and told != profile else []
    return [*reset, SlotSet("topic", state.topic), *job, SlotSet("question", state.question), *path]


def _said_already(messages: list[dict[str, Any]], start: int) -> bool:
    """Whether the messages from `start` on repeat, in the same order, messages sent before them."""
    new = messages[start:]
    if not new:
        return False
    earlier = messages[:start]
    return any(earlier[i:i + len(new)] == new for i in range(len(earlier) - len(new) + 1))




def _reversed_move(tracker: Tracker, text: str) -> str | None:
    """"et l'inverse ?", "et dans l'autre sens ?" right after a move between two jobs ("on peut passer du middle au
    back ?"): that move the other way round, written as a question naming both jobs; else None."""
    folded = fold(text)
    if not any(contains_phrase(folded, cue) for cue in queries.vocabulary().reverse_cues):
        return None
    if len(folded.split()) > FOLLOW_UP_WORDS:  # "l'inverse" inside a question of its own
        return None
    previous = context.previous_user_text(tracker)
    named = list(dict.fromkeys(job for _, job in queries.job_mentions(previous)))
    if len(named) != 2 or not (queries.career_direction(previous) or any(
            contains_phrase(fold(previous), cue) for cue in queries.vocabulary().move_cues)):
        return None
    source, target = planner.move_order(previous, named)
    return f"passer du {target.name} au {source.name} ?"


def _filters_again(text: str, state: State) -> bool:
    """Whether a message names only terms that are filter values (a level) and no meaning cue, right after a question
    filtered the same way on the topic in context."""
    folded = fold(text)
    terms = terms_in(folded, queries.glossary())
    if (not terms or not all(t.id in FILTER_TERMS for t in terms) or not state.question or state.topic is None
            or any(contains_phrase(folded, cue) for cue in (*STRONG_CUES, *WEAK_CUES))):
        return False
    vocabulary = queries.vocabulary()
    now = {f.kind for f in analyse(text, vocabulary).filters}
    before = {f.kind for f in analyse(state.question, vocabulary).filters}
    return bool(now) and now <= before and all(vocabulary.filter_topics.get(k) == state.topic for k in now)


def _compared_point(text: str) -> bool:
    """Whether a comparison asked about a point of its own (words of the sheets besides the jobs and the comparing
    words: "lequel demande de l'anglais ?"), not a whole topic ("et les études ?")."""
    comparison = queries.vocabulary().comparison_words
    rest = " ".join(w for w in queries.without_job_names(text).split() if w.strip("?!.,;:") not in comparison)
    return bool(queries.content_terms(rest))


def asks_the_difference(text: str) -> bool:
    """"c'est quoi la différence alors ?", "c koi la diff ?": a comparison word and nothing else of content — the jobs
    set against each other, not the meaning of the word "différence"."""
    comparison = queries.vocabulary().comparison_words
    words = [w.strip("?!.,;:") for w in fold(text).split()]
    return any(w in comparison for w in words) and not queries.content_terms(
        " ".join(w for w in words if w not in comparison))


def challenges(text: str) -> bool:
    """"c'est faux", "tu racontes n'importe quoi", "pourtant ma mère …", "on m'a dit que …": the student contradicts
    the answer just given."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().challenge_cues)


def challenged_topic_intent(tracker: Tracker, text: str) -> str | None:
    """The intent of the topic just answered, when the message contradicts that answer and names no other topic: the
    claim it makes is checked against the same sheet section (never "where do your facts come from")."""
    shown = tracker.get_slot("topic")
    if not challenges(text) or not isinstance(shown, str) or shown not in queries.topics() or \
            shown == planner.SOURCE_TOPIC or not queries.topics()[shown].in_sheets:
        return None
    return named_topic_intent(text) or f"{context.TOPIC_INTENT_PREFIX}{shown}"


def asks_opinion(text: str) -> bool:
    """Whether the message asks the bot's own opinion ("à ton avis", "selon vous") — the bot gives none."""
    folded = fold(text)
    vocabulary = queries.vocabulary()
    return any(contains_phrase(folded, cue) for cue in (*vocabulary.opinion_cues, *vocabulary.suits_cues))


def asks_if_it_suits(text: str) -> bool:
    """"c'est fait pour moi ?", "cela correspond-il à son caractère ?": whether the job suits someone, naming no topic
    — no verdict, and what the sheet asks of the person (its qualities)."""
    folded = fold(text)
    vocabulary = queries.vocabulary()
    return (any(contains_phrase(folded, cue) for cue in vocabulary.suits_cues)
            and not analyse(text, vocabulary).topics_named
            and not queries.claim_reader().read(queries.without_job_names(folded)).items)  # "son profil de bac"


def reverses_last_move(tracker: Tracker) -> bool:
    """Whether the latest message asks the move between two jobs just asked, the other way round."""
    return _reversed_move(tracker, tracker.latest_message.get("text") or "") is not None


def asks_for_more(text: str) -> bool:
    """"et il fait quoi d'autre ?", "quoi d'autre ?", "et sinon ?": the rest of the topic just answered, naming
    nothing of its own."""
    folded = fold(text)
    return (any(contains_phrase(folded, cue) for cue in queries.vocabulary().more_cues)
            and not queries.content_terms(text) and not analyse(text, queries.vocabulary()).topics_named)


def asks_attribute_of_last(text: str, state: State) -> bool:
    """"à quel niveau ?", "c'est quel type ?" right after a precise answer: an attribute of the fact just answered,
    naming nothing else (no word of its own, no filter) — not the meaning of the word "niveau"."""
    return bool(state.question) and _asks_attribute(text)


def _asks_attribute(text: str) -> bool:
    """An attribute asked and nothing else ("à quel niveau ?"); "c'est quoi les autres niveaux ?" asks what the
    levels are."""
    shape = analyse(text, queries.vocabulary())
    folded = fold(text)
    return bool(shape.attribute and not shape.filters and not shape.topics_named
                and not queries.content_terms(shape.content)
                and not any(contains_phrase(folded, cue) for cue in (*STRONG_CUES, *WEAK_CUES)))


def _superlative_of_one(text: str) -> bool:
    """"c'est quoi le niveau le plus haut demandé pour le middle ?": a superlative within the one job named, no
    second job set against it (no "les deux", "lequel", "plus … que", "différence")."""
    folded = fold(text)
    vocabulary = queries.vocabulary()
    return (not asks_both(text) and not _WHICH.search(folded) and not has_comparative(text)
            and "deux" not in folded.split() and len(queries.jobs_in_text(text)) == 1
            and not any(w.strip("?!.,;:") in vocabulary.comparison_words for w in folded.split()))


def _term_following(tracker: Tracker, text: str) -> list:
    """The terms read only right after another's explanation that this message names, asking nothing else (no topic
    but what a thing is, no word of the sheets — "et back office dans ce sens là ?", not "et le middle il parle aux
    clients ?")."""
    explained = context.terms_just_explained(tracker)
    if not explained:
        return []
    following = [t for t in terms_in(fold(text), queries.glossary(), explained) if t.follows]
    shape = analyse(text, queries.vocabulary())
    asking = queries.vocabulary().term_question_words  # "dans ce sens", "dans ta phrase": no word of a fact
    rest = " ".join(w for w in queries.without_job_names(text).split() if w.strip("?!.,;:'") not in asking)
    if not following or set(shape.topics_named) - {"definition"} or shape.filters or queries.find_facts(rest):
        return []
    return following


_QUOTED_FACT = re.compile(r"«([^»]*)»")
_SOURCE_LINE = "📄"
MAX_TERMS_OFFERED = 4  # "c'est quoi ça ?" after an answer using more words of the glossary: which one, as buttons


def _answered_completeness(dispatcher: CollectingDispatcher, tracker: Tracker, state: State, text: str) -> bool:
    """"c'est une liste complète ?" right after a list of one job's sheet: "non" where the sheet calls the list open
    ("liste non exhaustive"), else that it does not say, with the whole list; False for any other message."""
    folded, vocabulary = fold(text), queries.vocabulary()
    shown = tracker.get_slot("topic")
    cues = [m for cue in vocabulary.complete_cues if (m := contains_phrase(folded, cue)) is not None]
    rest = folded
    for match in sorted(cues, key=lambda m: m.start(), reverse=True):
        rest = rest[:match.start()] + " " + rest[match.end():]
    if (state.job is None or not isinstance(shown, str) or shown not in queries.topics() or not cues
            or queries.content_terms(rest) or queries.jobs_in_text(text)):
        return False
    named = analyse(rest, vocabulary).topics_named or tuple(
        t for t in [context.topic_of_intent(hinted_topic_intent(rest) or "")] if t)
    if named and shown not in named:  # "et y a d'autres formations conseillées ?" after the missions: those asked
        return False
    answer = queries.topic_answer(state.job.id, shown)
    if not answer.facts:
        return False
    label = queries.topics()[shown].label.lower()
    open_groups = [g for g in dict.fromkeys(f.group for f in answer.facts if f.group)
                   if any(contains_phrase(fold(g), w) for w in vocabulary.open_list_words)]
    values = {"job_name": context.lower_first(state.job.name), "source": answer.source.publisher,
              "buttons": context.topic_buttons(state.job.id, list(queries.topics()[shown].next))}
    if open_groups:
        facts = tuple(f for f in answer.facts if f.group in open_groups)
        dispatcher.utter_message(response="utter_list_open", where=f"{label} › {open_groups[0]}",
                                 facts=facts_block(facts), **values)
    else:
        dispatcher.utter_message(response="utter_list_complete_unsaid", where=label, facts=facts_block(answer.facts),
                                 **values)
    state.topic, state.question, state.job_answered = shown, None, True
    return True


def _level_of_shown(text: str, shown: str, job: JobInfo | None) -> bool:
    """A level asked and nothing else ("le niveau attendu ?": no topic, no filter, no word of a fact) of a topic just
    shown whose list has levels (the studies' "Niveau 5 … 7", the skills' ratings)."""
    shape = analyse(text, queries.vocabulary())
    if (job is None or shape.attribute != "level" or shape.topics_named or shape.filters
            or queries.content_terms(queries.without_job_names(text))):
        return False
    return any(f.level is not None or "niveau" in fold(f"{f.group or ''} {f.text}")
               for f in queries.topic_answer(job.id, shown).facts)


def _asks_what_that_is(text: str) -> bool:
    """"c'est quoi ça ?", "ça veut dire quoi ?" and nothing else ("c'est quoi ça la MIF 2 ?", "ça veut dire quoi
    rncp ?" name their word)."""
    folded = fold(text)
    vocabulary = queries.vocabulary()
    cues = [m for cue in vocabulary.that_cues if (m := contains_phrase(folded, cue)) is not None]
    rest = folded
    for match in sorted(cues, key=lambda m: m.start(), reverse=True):
        rest = rest[:match.start()] + " " + rest[match.end():]
    return bool(cues) and all(word in vocabulary.stopwords for word in re.findall(r"[a-z0-9]+", rest))


def _words_of_last_answer(tracker: Tracker, text: str) -> list[tuple[Term, str]]:
    """"c'est quoi ça ?", "ça veut dire quoi ?" alone right after an answer: the glossary's terms that answer used
    (in the facts it quoted, else in its text before the source), each with its spelling there; [] for any other
    message."""
    if not _asks_what_that_is(text):
        return []
    said = context.last_answer_text(tracker).split(_SOURCE_LINE)[0]
    quoted = " ".join((" ; ".join(_QUOTED_FACT.findall(said)) or said).split())  # folding keeps its offsets
    where = fold(quoted)
    subject = _subject_words(context.previous_user_text(tracker))
    if subject and all(contains_phrase(where, word) for word in subject.split()):
        return []  # "le middle il fait du reporting ?" … "c'est quoi ça ?": the thing asked about, not a word beside
    found = []
    for term in terms_in(where, queries.glossary()):
        hits = [m for w in term.words if (m := contains_phrase(where, w)) is not None]
        spelled = quoted[hits[0].start():hits[0].end()] if hits and len(where) == len(quoted) else term.words[0]
        found.append((term, spelled))
    return found


def _subject_words(text: str) -> str:
    """The words of a question that search the facts ("le middle office il fait du reporting ?" -> "reporting")."""
    rest = queries.without_job_names(text)
    terms = set(queries.content_terms(rest))
    return " ".join(w for w in re.findall(r"[a-z0-9-]+", fold(rest))
                    if (own := queries.content_terms(w)) and set(own) <= terms)


def _named_job_id(text: str) -> str | None:
    jobs = queries.jobs_in_text(text)
    return jobs[0].id if len(jobs) == 1 else None


def _term_answered(state: State, job: JobInfo | None, text: str = "") -> None:
    """A word explained from one sheet: the conversation goes on about that job ("et il s'en occupe ?") and its
    topic ("c'est obligatoire ?" after "c'est quoi l'AMF ?" in the trainings); the word is the question remembered,
    so that "et le middle office il en fait ?" asks whether the other sheet uses it."""
    if job is not None:
        state.job, state.job_answered = job, True
    folded = fold(text)
    terms = terms_in(folded, queries.glossary()) if text else []
    # the sheet's term as written ("l'AMF"), else the word asked about ("monétique")
    word = next((w for w in terms[0].words if contains_phrase(folded, w)), "") if terms else " ".join(
        w for w in asked_word(text).split() if queries.content_terms(w)) if text else ""
    if word and queries.content_terms(word):
        state.question = f"{word} ?"


# "la 3e ?", "et la dernière mission ?", "c'est quoi la première ?": one item of a list, by its rank
_RANKS = {"premier": 0, "premiere": 0, "1er": 0, "1ere": 0, "1re": 0, "deuxieme": 1, "2e": 1, "2eme": 1, "2nd": 1,
          "2nde": 1, "second": 1, "seconde": 1, "troisieme": 2, "3e": 2, "3eme": 2, "quatrieme": 3, "4e": 3, "4eme": 3,
          "cinquieme": 4, "5e": 4, "5eme": 4, "sixieme": 5, "6e": 5, "6eme": 5, "dernier": -1, "derniere": -1,
          "avant-dernier": -2, "avant-derniere": -2, "first": 0, "third": 2, "fourth": 3, "last": -1}
# "et le suivant ?", "la précédente ?": the item next to the one the last answer showed
_NEXT = {"suivant": 1, "suivante": 1, "next": 1, "precedent": -1, "precedente": -1, "previous": -1}
_RANKED = re.compile(r"^\W*(?:(?:et|ok|euh|donc|alors|mais|and)\s+)*(?:(?:c'est quoi|c quoi|c koi|quel est|quelle est|"
                     r"qu'est-ce que c'est|c'est laquelle|c'est lequel|donne moi|donne-moi|what is|what's)\s+)?"
                     r"(?:la |le |l'|the |celle d'|celui d')?"
                     r"(?P<rank>" + "|".join(sorted([*_RANKS, *_NEXT, "apres"], key=len, reverse=True))
                     + r")\b(?P<rest>[^?]*)\?*\s*$")
# What the message asks of the item pointed at ("elle consiste en quoi ?", "ça veut dire quoi"): no topic of its own
_ABOUT_THE_ITEM = re.compile(r"\b(?:(?:elle|il|ca|cela|ce|c')\s*)?(?:consiste\w*|correspond\w*|veut dire|veulent dire|"
                             r"signifie\w*|implique\w*|c'est|c|est|one|please|stp|svp)\b(?:\s+(?:en|a|au|dire))?"
                             r"(?:\s+(?:quoi|koi|exactement|concretement|precisement))*")


# "cite les 3 premières", "donne-moi les deux premiers": the first items of the list shown
_FIRST_N = re.compile(r"^\W*(?:(?:et|ok|euh|donc|alors|mais|juste)\s+)*(?:(?:cite|cites|citez|donne|donnes|donnez|dis|"
                      r"dites|montre|montrez|liste|listez|ecris|ecrivez)(?:[- ]?moi|[- ]nous)?\s+)?(?:juste\s+|"
                      r"seulement\s+|uniquement\s+)?les\s+(?P<count>[2-9]|deux|trois|quatre|cinq|six)\s+"
                      r"(?P<rank>premier|premiers|premiere|premieres|1ers|1eres|derniers|dernieres)\b(?P<rest>[^?]*)"
                      r"\?*\s*$")
_COUNT_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}
# "le n°2 ?", "et le numéro 3": a rank by its number
_NUMBERED = re.compile(r"(?<![a-z0-9])(?:n°|n o|no|num|numero|number)\s*([1-6])(?![0-9])")


def _rank_match(text: str) -> re.Match | None:
    """The rank a message points at ("le n°2" read as "le 2e"), or None."""
    folded = _NUMBERED.sub(lambda m: "1er" if m.group(1) == "1" else f"{m.group(1)}e", fold(text))
    return _RANKED.match(folded) or _FIRST_N.match(folded)


def points_at_rank(text: str) -> bool:
    """"et la 2e ?", "cite les 3 premières", "le n°2", "et le suivant ?": items of a list by their rank."""
    return _rank_match(text) is not None


def _next_rank(step: int, listed: tuple, last_answer: str) -> int | None:
    """The rank next to (step 1) or before (step -1) the one item of `listed` the last answer showed, if one."""
    said = fold(last_answer)
    shown = [i for i, fact in enumerate(listed) if fold(fact.text) in said]
    if len(shown) != 1 or not 0 <= shown[0] + step < len(listed):
        return None
    return shown[0] + step


def _item_by_rank(state: State, text: str, shown: str | None, jobs: list[JobInfo],
                  last_answer: str = "") -> planner.Plan | None:
    """The item at the rank asked ("la 3e ?") of the list just shown (the precise answer remembered, else the whole
    topic), or of the list the message names ("c'est quoi la première mission du back ?"); None when the message asks
    no rank, names more than that list or a job the conversation was not on."""
    match = _rank_match(text)
    job = jobs[0] if len(jobs) == 1 else state.job if not jobs else None
    if not match or job is None:
        return None
    vocabulary = queries.vocabulary()
    rest = _ABOUT_THE_ITEM.sub(" ", queries.without_job_names(match.group("rest")))
    named = [t for t in analyse(rest, vocabulary).topics_named if t in queries.topics()]
    for names in vocabulary.topic_names.values():
        for name in names:
            rest = re.sub(rf"\b{re.escape(name)}\b", " ", rest)
    if queries.content_terms(rest) or len(named) > 1:
        return None
    topic = named[0] if named else shown
    if topic is None or topic not in queries.topics() or not queries.topics()[topic].in_sheets:
        return None
    listed: tuple = ()
    if state.question and not named and job == state.job:
        last = planner.plan_answer(state.question, topic, job)
        listed = last.parts[0].facts if len(last.parts) == 1 and len(last.parts[0].facts) > 1 else ()
    listed = listed or queries.topic_answer(job.id, topic).facts
    if "count" in match.groupdict():  # the first (or last) few
        count = int(match.group("count")) if match.group("count").isdigit() else _COUNT_WORDS[match.group("count")]
        if len(listed) < 2:
            return None
        few = listed[-count:] if match.group("rank").startswith("dernier") else listed[:count]
        return planner.Plan([planner.Part(planner.FACTS, job, topic, tuple(few))], precise=True)
    word = match.group("rank")
    if word in _NEXT or word == "apres":  # "et le suivant ?", "celle d'après ?": next to the item just shown
        if word == "apres" and not match.string[:match.start("rank")].endswith(("celle d'", "celui d'")):
            return None  # "après" alone is no rank: "celle d'après" is
        rank = _next_rank(_NEXT.get(word, 1), listed, last_answer)
        if rank is None:
            return None
    else:
        rank = _RANKS[word]
    if not listed or rank >= len(listed) or -rank > len(listed):
        return None
    return planner.Plan([planner.Part(planner.FACTS, job, topic, (listed[rank],))], precise=True)


_WHICH_ITEMS = re.compile(r"\b(?:lesquel\w*|lequel|laquelle|quels|quelles|quel|quelle|kel|kels)\b")
_MEANING = re.compile(r"\b(?:veut dire|veulent dire|signifie\w*|c'est quoi|c quoi|c koi|qu'est-ce que|definition)\b")


_DIFFERENCE = re.compile(r"\b(?:diff\w*|distingu\w*)")  # "c quoi la diff ?": the difference of the jobs themselves


def _which_of_filter(text: str) -> str | None:
    """The intent of the list a filter narrows when the message asks which items pass it ("et le plus haut niveau,
    c'est lesquelles ?") rather than what a word means; None otherwise."""
    folded = fold(text)
    if not _WHICH_ITEMS.search(folded) or _MEANING.search(folded) or meaning_asked(folded, queries.glossary()):
        return None
    vocabulary = queries.vocabulary()
    topics = {vocabulary.filter_topics.get(f.kind) for f in analyse(text, vocabulary).filters}
    topic = topics.pop() if len(topics) == 1 else None
    return f"{context.TOPIC_INTENT_PREFIX}{topic}" if topic and context.topic_of_intent(
        f"{context.TOPIC_INTENT_PREFIX}{topic}") else None


# "dans la liste du", "sur la fiche de l'", "selon la fiche du": the sheet a question is asked of
_IN_THE_SHEET_OF = re.compile(r"\b(?:dans|sur|selon|d'apres|d apres)\s+(?:la|sa|les|ses|leur|leurs)\s+"
                              r"(?:liste|listes|fiche|fiches)\s+(?:du|de la|de l'|des|de|d')\s*$")


_JOBS_JOINED = re.compile(r"jobname\s+,?\s*(?:ou|et|ou bien|ou alors|ou dans|ou sur)\s+(?:celle\s+)?"
                          r"(?:du|de la|de l'|de|d'|le|la|l'|des|au|a la)?\s*jobname")


def sheet_looked_up(text: str) -> JobInfo | None:
    """The one job whose sheet a message names as where to look ("… il est aussi dans la liste du back office ?"),
    or None."""
    folded = fold(text)
    if _JOBS_JOINED.search(queries.without_job_names(text, marker=planner.JOB_MARKER)):
        return None  # "dans la fiche du middle ou du back ?": which of the two
    looked = {job.id: job for start, job in queries.job_mentions(text) if _IN_THE_SHEET_OF.search(folded[:start])}
    return next(iter(looked.values())) if len(looked) == 1 else None


def _which_job_for_item(text: str) -> bool:
    """"si j'ai un bac STMG ça marche pour quel métier ?": which job a diploma (or a job) named leads to — each sheet's
    answer, no "pour quel métier ?" back."""
    folded = fold(text)
    return (analyse(text, queries.vocabulary()).attribute == "job"
            and bool(queries.claim_reader().read(queries.without_job_names(folded)).items))


# "passer ensuite en middle-office", "évoluer vers le BO": a move to the job named (not "évoluer vers quoi ?")
_MOVE_TO_NAMED = re.compile(r"\b(?:passer|aller|evoluer|basculer|changer|bouger|migrer|reconvertir|partir)\s+"
                            r"(?:[a-z]+\s+)?(?:en|au|vers|dans|pour)\s+(?:le |la |l'|un |une )?\s*jobname")


def answer_one(dispatcher: CollectingDispatcher, tracker: Tracker, state: State, text: str, intent: str,
               jobs: list[JobInfo], background: str, whole_message: bool, understood: str | None = None) -> None:
    """Answer one question and update `state` (topic, job, the precise question to remember); `understood`: the
    NLU's topic of a question answered as a comparison (right after one)."""
    if asks_opinion(text):  # "selon vous, est-il adapté à une personne anxieuse ?": no opinion, the sheets' facts
        dispatcher.utter_message(response="utter_no_opinion")
    reversed_move = _reversed_move(tracker, text) if whole_message else None
    if reversed_move is not None:  # "et l'inverse ?" right after "on peut passer du middle au back ?"
        plan = planner.plan_move(reversed_move, list(queries.list_jobs()))
        dispatch_plan(dispatcher, plan)
        state.topic, state.job, state.question, state.job_answered = "careers", plan.job, None, True
        return
    said = tracker.latest_message.get("text") or ""  # whole_message: the message itself, not a remembered question
    shown = tracker.get_slot("topic")
    picked = _item_by_rank(state, text, shown if isinstance(shown, str) else None, jobs,
                           context.last_answer_text(tracker)) if whole_message else None
    if picked is not None:  # "la 3e ?", "et la dernière ?" right after a list: that item of it
        dispatch_plan(dispatcher, picked)
        state.topic, state.job, state.job_answered = picked.topic or state.topic, picked.job or state.job, True
        return
    if whole_message and _answered_completeness(dispatcher, tracker, state, said):
        return
    that = _words_of_last_answer(tracker, said) if whole_message else []
    asked_of = _subject_words(context.previous_user_text(tracker)) if whole_message and not that and (
        _asks_what_that_is(said)) else ""
    if asked_of:
        # "c'est quoi ça ?" right after "il fait du reporting ?": what the sheet says of that word
        answered, job = dispatch_term_question(dispatcher, asked_of, say_unknown=False)
        if answered:
            _term_answered(state, job, asked_of)
            return
    if len(that) == 1:  # "c'est quoi ça ?" right after "MIF 2 (Markets in Financial Instruments Directive)"
        _term_answered(state, dispatch_terms(dispatcher, [that[0][0]]), f"{that[0][1]} ?")
        return
    if 1 < len(that) <= MAX_TERMS_OFFERED:  # several words of the glossary in that answer: which one
        dispatcher.utter_message(response="utter_which_term", buttons=[
            {"title": spelled, "payload": f"c'est quoi {spelled} ?"} for _, spelled in that])
        return
    following = _term_following(tracker, said) if whole_message else []
    if following:  # "et le back-office dans ce sens ?" right after the front-office's meaning: the service's
        _term_answered(state, dispatch_terms(dispatcher, following, buttons=context.topic_buttons(
            _named_job_id(said), ["definition"])))
        return
    if intent == TERM_INTENT and _filters_again(text, state):
        # "et au niveau notions ?" right after the skills of level Expertise: that list at another level, not what
        # the level means (no "c'est quoi", "ça veut dire")
        intent = f"{context.TOPIC_INTENT_PREFIX}{state.topic}"
    if intent == TERM_INTENT and (which := _which_of_filter(text)) is not None:
        intent = which  # "et le plus haut niveau, c'est lesquelles ?": the skills at that level, not a word's meaning
    if intent == TERM_INTENT and asks_the_difference(text):  # "c'est quoi la différence alors ?": the jobs compared
        intent = COMPARE_INTENT
    if intent == TERM_INTENT and only_as_partner(text):  # "et il fait quoi avec le front ?": not a word's meaning
        intent = _best_topic_intent(tracker) or f"{context.TOPIC_INTENT_PREFIX}interlocutors"
    shown = tracker.get_slot("topic")
    if intent == TERM_INTENT and asks_why_of_it(text) and isinstance(shown, str) and shown in queries.topics():
        intent = f"{context.TOPIC_INTENT_PREFIX}{shown}"  # "c'est-à-dire ?" right after an answer: of that answer
    if (intent == TERM_INTENT and whole_message and not jobs and state.topic in queries.topics()
            and _asks_attribute(text) and context.said_comparison_last(tracker)):
        previous = context.previous_user_text(tracker)
        if previous and _compared_point(previous):
            # "à quel niveau ?" right after a point compared ("lequel demande de l'anglais ?"): that point in each
            # sheet
            intent, text, understood = COMPARE_INTENT, f"{previous} {text}", state.topic
    if intent == TERM_INTENT and state.topic in queries.topics() and asks_attribute_of_last(text, state):
        # "à quel niveau ?" right after a skill (the message before, or the question before in this one): its level
        intent = f"{context.TOPIC_INTENT_PREFIX}{state.topic}"
    if intent == TERM_INTENT:
        # a word no entry explains and no sheet uses, in a message naming a topic ("c'est quoi le niveau le plus
        # haut demandé ?"): that topic's answer, rather than "the sheets do not use this word"
        instead = topic_asked_instead(text) or _said_in_topic_shown(tracker, state, text)
        answered, job = dispatch_term_question(dispatcher, text, say_unknown=instead is None)
        if answered:
            _term_answered(state, job, text)
            return
        # no topic named and more than a word asked: the NLU's best topic, else the one in context
        in_context = f"{context.TOPIC_INTENT_PREFIX}{state.topic or context.DEFAULT_TOPIC}"
        intent = instead or _best_topic_intent(tracker) or in_context
    asked_terms = [t for t in meaning_asked(fold(text), queries.glossary()) if not _only_as_own_path(t.words, text)]
    if asked_terms:  # "c'est quoi l'AMF ?" under another intent: the sheet's own explanation
        _term_answered(state, dispatch_terms(dispatcher, asked_terms), text)
        return
    if asks_meaning_of_item(text):  # "c quoi un secrétaire général ?": where the sheet names it, undescribed
        answered, job = dispatch_term_question(dispatcher, text, say_unknown=False)
        if answered:
            _term_answered(state, job, text)
            return
    topic = context.topic_of_intent(intent) or state.topic or context.DEFAULT_TOPIC
    shown = tracker.get_slot("topic")
    kept_question = None  # the question a "pourquoi ?" was asked about: "et le back alors ?" goes on with it
    if isinstance(shown, str) and shown in queries.topics():
        if counts_what_was_shown(text, topic) or counts_within_shown(text, topic, shown, jobs or (
                [state.job] if state.job else [])):
            topic = shown  # "ça en fait combien ?" after the skills: their number, not the salary
        elif asks_why_of_it(text) and (not jobs or not queries.content_terms(queries.without_job_names(text))):
            # "pourquoi ça peut changer ?" after the hours, "pourquoi c'est pas le back ?": what the sheet says of
            # them, said plainly that it explains no more
            dispatcher.utter_message(response="utter_why_follow_up")
            topic, text, kept_question = shown, "", state.question
        elif planner.claims_of_last(text) and not analyse(text, queries.vocabulary()).topics_named:
            # "mais c'est obligatoire ou pas ?" after the English skill (or after the trainings' list): of what was
            # just answered, its topic — whatever topic the NLU read in so short a question
            topic = shown
        elif topic != shown and _level_of_shown(text, shown, jobs[0] if len(jobs) == 1 else state.job):
            topic = shown  # "pourriez-vous préciser le niveau attendu ?" right after the studies: their levels
    if topic == "careers" and becomes_the_job(text):  # "comment devenir gestionnaire BO ?": the way in
        topic = PATH_TOPIC
    path_asked = asks_own_path(text, state.profile) or (tells_only_own_path(text) and bool(jobs or state.job))
    if path_asked:
        # "mon bac convient ?", "moi jsuis en terminale générale": the student's diplomas against the studies
        topic, background = PATH_TOPIC, f"{background} . {state.profile}"
    elif (asks_if_it_suits(text) and SUITS_TOPIC in queries.topics() and not state.profile
          and not queries.claim_reader().own_items(fold(background))):
        # (the student's diploma told beside it: the path answer, below, says what the sheet says of it)
        topic = SUITS_TOPIC  # "c'est fait pour moi ?": no verdict (said above), what the sheet asks of the person
    folded = fold(text)
    move = any(contains_phrase(folded, cue) for cue in queries.vocabulary().move_cues)
    mutual = move and any(contains_phrase(folded, c) for c in queries.vocabulary().move_cues if "l'autre" in c)
    if mutual and not jobs and len(queries.list_jobs()) == 2:  # "on peut passer de l'un à l'autre ?"
        jobs = list(queries.list_jobs())
    moving = (move or topic == "careers" or queries.career_direction(text)) and not planner.names_diploma(text)
    origin = (state.job if state.job != jobs[0] else context.job_before(tracker)) if len(jobs) == 1 else None
    if (origin is not None and origin != jobs[0] and not asks_both(text)
            and _MOVE_TO_NAMED.search(fold(queries.without_job_names(text, marker=planner.JOB_MARKER)))):
        jobs = [origin, jobs[0]]  # "est-il possible de passer ensuite en middle ?" after the back: from that one
    # (not "qui a le plus de possibilités d'évolution, le middle ou le back ?": the jobs ranked, no move asked)
    if (len(jobs) == 2 and moving and (intent != COMPARE_INTENT or move) and not asks_both(text)
            and (move or not ranks_on_a_scale(text))):
        plan = planner.plan_moves(text, jobs)  # "on peut passer du back au middle ?" (and the other way?)
        dispatch_plan(dispatcher, plan)
        state.topic, state.job, state.question, state.job_answered = "careers", plan.job, None, True
        return
    if (planner.asks_importance(folded) and len(jobs) <= 1 and (jobs or state.job is not None)
            and not asks_both(text) and "deux" not in folded.split()):
        # "laquelle est la plus importante ?" right after one job's skills: of that list, not the jobs ranked
        jobs = jobs or ([state.job] if state.job is not None else [])
        if intent == COMPARE_INTENT or not context.topic_of_intent(intent):
            shown = tracker.get_slot("topic")
            topic = shown if isinstance(shown, str) and shown in queries.topics() else topic
            intent = f"{context.TOPIC_INTENT_PREFIX}{topic}"
    # "ces fiches indiquent-elles un âge minimum pour l'un de ces métiers ?": a subject no sheet covers, for one job
    # or both
    catalogue = queries.topics()
    subject = context.silent_subject(text[situation_told_first(text):])  # not "je suis en BTS en alternance, …"
    # "c quoi les qualités à mettre pour un stage ?": the topic the NLU read and the message names is the question
    named_too = topic in analyse(text, queries.vocabulary()).topics_named and catalogue[topic].in_sheets
    if subject and not named_too and not planner.goes_beyond_topic(text, "", names_count=False):  # "quel âge"
        dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=subject, buttons=context.with_advisor(
            context.topic_buttons(jobs[0].id if jobs else None, ["missions", "studies"])))
        # the topic before stays: "et pour le back ?" goes on with it, not with the one the NLU misread here
        remembered = tracker.get_slot("topic")
        state.topic = remembered if isinstance(remembered, str) and remembered in catalogue else state.topic
        state.question = None
        return
    looked_up = sheet_looked_up(text) if len(jobs) > 1 and not asks_both(text) else None
    if looked_up is not None:
        # "et le Master Finance du middle office, il est aussi dans la liste du back office ?": asked of the sheet
        # named as where to look; the other job only says where the item comes from
        jobs = [looked_up]
        intent = intent if context.topic_of_intent(intent) else f"{context.TOPIC_INTENT_PREFIX}{topic}"
    # "je suis en BTS Banque, je pourrai faire lequel ?", "lequel est le plus en contact avec le client ?"
    if intent == COMPARE_INTENT or len(jobs) > 1 or (not jobs and asks_both(text)) or (
            not jobs and state.job is None and (compares(text) or _which_job_for_item(text))) or (
            not jobs and ranks(text) and _WHICH.search(fold(text))
            and not (state.job is not None and _which_of_filter(text))
            # "laquelle est spécifique au métier ?" right after one job's list: which item (a formation, a skill), not
            # which job ("lequel demande de l'anglais ?": a job, "le métier")
            and (state.job is None or ranks_on_a_scale(text) or asks_both(text)
                 or not _WHICH_ITEM_OF_LIST.search(fold(text)))):
        said_by: list[JobInfo] = []
        if intent == COMPARE_INTENT and not understood and asks_the_difference(text) and _DIFFERENCE.search(fold(text)):
            # "c quoi la diff avec le middle ?" right after one job's careers: the jobs themselves
            topic = COMPARED_BY_DEFAULT
        state.topic, state.question = answer_for_both(
            dispatcher, text, understood or topic, bool(understood), said_by,
            no_verdict=whole_message and planner.wants_no_verdict(said)), None
        state.both = not said_by
        if said_by:  # "c'est qui qui fait la facturation, middle ou back ?": "et lui …" is the one that does
            state.job, state.job_answered = said_by[0], True
        return
    catalogue = queries.topics()
    # ... or one the sheet in context is silent on ("juridique dans quel domaine ?" right after the back office's
    # skills, read as its figures)
    silent_here = (not jobs and state.job is not None and topic in catalogue and catalogue[topic].in_sheets
                   and not queries.topic_answer(state.job.id, topic).found)
    if (topic in catalogue and (not catalogue[topic].in_sheets or silent_here
                                or (whole_message and _only_shown_says_it(tracker, state, text, topic, jobs)))
            and topic not in analyse(text, queries.vocabulary()).topics_named
            and (instead := _said_in_topic_shown(tracker, state, text)) is not None):
        # "et pour un débutant ?" right after the experience asked in job offers, read as the salary: a fact of the
        # topic just shown says it ("1ère expérience ou jeune diplômé")
        topic = context.topic_of_intent(instead) or topic
    answered_for = jobs[0] if len(jobs) == 1 else state.job if not jobs else None
    said_topics = analyse(text, queries.vocabulary()).topics_named
    if (answered_for is not None and topic in catalogue and topic not in said_topics
            and not queries.topic_answer(answered_for.id, topic).found and (hinted := hinted_topic_intent(text))
            and (hinted_topic := context.topic_of_intent(hinted)) == planner.DEFINITION_TOPIC
            and queries.topic_answer(answered_for.id, hinted_topic).found):
        # "le back office c'est dans quel secteur ?" read as the figures, which its sheet does not have: what the job
        # is, which its words point to ("secteur", "famille de métiers") — not "et l'allemand ?" (the skills' whole
        # list for a language the sheet does not cite)
        topic = hinted_topic
    if not catalogue[topic].in_sheets and not planner.goes_beyond_topic(text, topic):
        dispatcher.utter_message(response="utter_not_in_any_sheet", topic_label=catalogue[topic].label.lower(),
                                 buttons=context.with_advisor(context.topic_buttons(None, list(catalogue[topic].next))))
        state.topic, state.question = topic, None
        return
    if not jobs and whole_message and context.mentions_other_job(tracker) and not context.other_job_in_careers(tracker):
        dispatcher.utter_message(response="utter_unknown_job", buttons=context.with_advisor(context.job_buttons()))
        state.topic = topic
        return
    shape = analyse(text, queries.vocabulary())
    named_here = [t for t in shape.topics_named if t in catalogue and catalogue[t].in_sheets]
    if shape.form == YES_NO and topic == planner.DEFINITION_TOPIC and topic not in shape.topics_named \
            and len(named_here) == 1:
        # "un gestionnaire middle office ne se déplace jamais ?" read as what the job is: a closed question is about
        # the one topic it names by its own words (the rhythm)
        topic = named_here[0]
    filters = context.filter_entities(tracker) if whole_message else []
    own = tuple(f for f in analyse(text, queries.vocabulary(), filters).filters
                if f.kind == OWN_FILTER_KIND and _only_as_own_path(f.words, text))
    if not own:  # "il faut forcément un bac+5 ?" read as the qualities: the studies
        topic = planner.topic_of_filters(text, topic, filters, jobs[0] if jobs else state.job)
    job = jobs[0] if jobs else state.job
    sided = planner.plan_sides(text, topic, job) if job is not None and len(jobs) <= 1 else None
    if sided is not None:  # "c'est plus technique ou relationnel le middle ?": what the sheet says of each side
        dispatch_plan(dispatcher, sided)
        state.topic, state.job, state.question, state.job_answered = topic, job, None, True
        return
    outside = context.outside_jobs(tracker) if whole_message else ()
    plan = planner.plan_answer(text, topic, jobs[0] if jobs else state.job, filters, job_named=bool(jobs),
                               previous_question=state.question, outside=outside, background=background,
                               previous_text=context.previous_user_text(tracker), own_filters=own,
                               counted=bool(_BARE_COUNT.match(fold(text))))
    shown_now = tracker.get_slot("topic")
    if (whole_message and [p.kind for p in plan.parts] == [planner.NOT_IN_SHEET] and isinstance(shown_now, str)
            and shown_now != topic and shown_now in queries.topics() and not jobs and state.job is not None
            and topic not in analyse(text, queries.vocabulary()).topics_named
            and _said_in_topic_shown(tracker, state, text)):
        # "et y a des équipes qui bossent en décalé ?" right after the hours, read as the interlocutors ("équipes"),
        # which say nothing of it: the topic just shown, whose facts name it ("les équipes … plages horaires")
        topic = shown_now
        plan = planner.plan_answer(text, topic, state.job, filters, job_named=False, previous_question=state.question,
                                   background=background)
    state.topic, state.question = topic, plan.question if plan.precise else kept_question
    if plan.ask_job and topic == planner.SOURCE_TOPIC:  # "t'as eu tes infos où ?": every sheet's source
        state.topic, state.question = answer_for_both(dispatcher, text, topic, True), None
        return
    if plan.ask_job:
        dispatcher.utter_message(response="utter_ask_job", buttons=context.job_buttons())
        return
    if planner.wants_no_verdict(text) or (whole_message and planner.wants_no_verdict(said)):
        # "je suis rigoureux, c'est pour moi ?": what the sheet says, never a "oui" as a verdict; "mais non c'est le
        # middle qui fait ça, pas le back": a "oui" would read as agreeing with the student
        plan = planner.without_verdict(plan, unsaid=planner.promises_outcome(text) or (
            whole_message and planner.promises_outcome(said)))
    if path_asked and topic == PATH_TOPIC and whole_message:  # "j'ai un bac STMG, je peux viser le back ?": then what
        # follows the bac (not when another question of the message asks the studies)
        plan = planner.with_next_step(plan)
    dispatch_plan(dispatcher, plan)
    state.topic, state.job, state.job_answered = plan.topic or topic, plan.job or state.job, True
