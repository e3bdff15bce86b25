"""What a word of the sheets means: the sheet's own explanation, else where the sheet uses it, else the honest gap."""
from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.planner import SOURCE_TOPIC
from knowledge import queries
from knowledge.glossary import STRONG_CUES, WEAK_CUES, Term, terms_in
from knowledge.queries import JobInfo
from knowledge.question import analyse
from knowledge.render import facts_block, quoted_facts
from knowledge.text import fold
from knowledge.vocabulary import contains_phrase

MAX_TERMS = 2
MAX_WORD_TERMS = 3  # more content words than this: a whole question, not a word asked about
USED_COVERAGE = 0.5  # a fact using the asked word(s): at least half of the message's content matched


def dispatch_terms(dispatcher: CollectingDispatcher, terms: list, buttons: list | None = None) -> JobInfo | None:
    """Each term's definition with its sheet as the source; the job when all come from one sheet."""
    for index, term in enumerate(terms[:MAX_TERMS]):
        job = next(j for j in queries.list_jobs() if j.id == term.job_id)
        last = index == min(len(terms), MAX_TERMS) - 1
        values = {"job_name": context.lower_first(job.name), "definition": term.definition,
                  "source": queries.topic_answer(job.id, "source").source.publisher,
                  "buttons": (buttons or []) if last else []}
        listed = _listed(term)
        if listed:  # "depuis ce métier c'est quoi ?": what it means, then the list it heads
            dispatcher.utter_message(response="utter_term_defined_list", facts=facts_block(listed), **values)
        else:
            dispatcher.utter_message(response="utter_term_defined", **values)
    return _one_job({term.job_id for term in terms[:MAX_TERMS]})


def _listed(term: Term) -> tuple[queries.FactItem, ...]:
    """The facts of the list a term heads in its sheet (none when it heads none, or the topic is unknown)."""
    if term.topic is None or term.topic not in queries.topics():
        return ()
    facts = queries.topic_answer(term.job_id, term.topic).facts
    return tuple(f for f in facts if term.direction is None or f.direction == term.direction)


def _one_job(job_ids: set[str]) -> JobInfo | None:
    return next((job for job in queries.list_jobs() if job_ids == {job.id}), None)


def dispatch_term_question(dispatcher: CollectingDispatcher, text: str, say_unknown: bool = True
                           ) -> tuple[bool, JobInfo | None]:
    """Answer "ça veut dire quoi X ?": the glossary's entry, else where a sheet uses the word, else the gap (only
    with `say_unknown`: the caller may answer otherwise). Returns whether it answered, and the job whose sheet
    answered (the conversation goes on about it: "et il s'en occupe ?")."""
    folded = fold(text)
    terms = terms_in(folded, queries.glossary())
    if terms:
        return True, dispatch_terms(dispatcher, terms)
    job = dispatch_usage(dispatcher, text)
    if job is None and (not say_unknown or _words_count(asked_word(text)) > MAX_WORD_TERMS):
        return False, None  # a whole question, not a word: never "the sheets do not use this word"
    if job is None:
        dispatcher.utter_message(response="utter_term_unknown",
                                 buttons=context.topic_buttons(None, ["definition", "missions", "skills"]))
    return True, job


_QUOTED = re.compile(r"[«\"“]\s*([^»\"”]{2,60}?)\s*[»\"”]")  # « règlement-livraison »: the word asked


def _words_count(text: str) -> int:
    """The words of `text` that are not stopwords ("c'est quoi la trigonométrie" has one)."""
    stopwords = queries.vocabulary().stopwords
    return sum(1 for w in re.findall(r"[a-z0-9]+", fold(text)) if w not in stopwords and len(w) > 2)


def asked_word(text: str) -> str:
    """The word(s) a question about a word asks: the quoted ones, else the message without jobs' names and the
    words of a question about a word ("vu", "contexte", "veut dire")."""
    asking = queries.vocabulary().term_question_words
    quoted = _QUOTED.search(text)
    said = quoted.group(1) if quoted else _WHERE_ON_THE_SHEET.sub(" ", queries.without_job_names(text))
    return " ".join(w for w in fold(said).split() if w.strip("?!.,;:'") not in asking)


# "écrit en haut de la fiche", "tout en bas": where the student saw the word, no word of it
_WHERE_ON_THE_SHEET = re.compile(r"\b(?:tout\s+)?(?:en haut|en bas|au debut|a la fin|au dessus|en dessous)"
                                 r"(?:\s+(?:de|du|des|d'))?(?![a-z])")


def dispatch_usage(dispatcher: CollectingDispatcher, text: str) -> JobInfo | None:
    """Where a sheet uses the asked word, when no entry explains it: that sheet's job; None when no sheet uses it."""
    # "j'ai vu recouvrement dans la fiche back-office, c'est dans quel contexte ?": the word asked, in that sheet
    word = asked_word(text)
    named = tuple(job.id for job in queries.jobs_in_text(text)) or None
    found = [f for f in queries.find_facts(word, named) if f.coverage >= USED_COVERAGE] \
        if queries.content_terms(word) else []
    found = found or queries.facts_quoting(word, named)  # a code, a link or a skill type: in the sheet's line
    if not found:
        # "c'est quoi les liens RNCP ?", "des numéros RNCP, ça renvoie à quoi ?": the one word of the sheets among
        # the student's own around it
        words = [w for w in dict.fromkeys(re.findall(r"[a-z0-9]+", fold(word))) if len(w) > 2]
        # (a sigle or a code the sheets write in capitals, "RNCP 34025": not "niveau", a word of many questions)
        in_sheets = [w for w in words if any(re.search(rf"\b{re.escape(w.upper())}\b", " ".join(
            filter(None, (f.fact.quote, f.fact.code)))) for f in queries.facts_quoting(w, named))]
        if len(in_sheets) == 1 < len(words) and _words_count(word) <= MAX_WORD_TERMS:
            found = queries.facts_quoting(in_sheets[0], named)
    if not found:
        return _dispatch_source_usage(dispatcher, word, named)
    best = found[0]
    facts = tuple(f.fact for f in found if f.job == best.job and f.coverage >= best.coverage)[:3]
    label = queries.topics()[best.topic].label.lower()
    dispatcher.utter_message(response="utter_term_used", job_name=context.lower_first(best.job.name),
                             where=label, facts=quoted_facts(facts),
                             source=queries.topic_answer(best.job.id, best.topic).source.publisher,
                             buttons=context.topic_buttons(best.job.id, [best.topic]))
    return best.job


def _dispatch_source_usage(dispatcher: CollectingDispatcher, word: str, named: tuple[str, ...] | None
                           ) -> JobInfo | None:
    """"IDCC 2931 c koi ?": a word no fact uses but a sheet's source names (each answer's source line shows it) —
    where it is written, never "the sheets do not use this word"; None when no source names it."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(word)) if queries.content_terms(w)]  # not "c koi"
    if not words:
        return None
    for job in queries.list_jobs():
        if named and job.id not in named:
            continue
        source = queries.topic_answer(job.id, SOURCE_TOPIC)
        quoting = tuple(f for f in source.facts if all(contains_phrase(fold(f.text), w) for w in words))
        if quoting:
            dispatcher.utter_message(response="utter_term_used", job_name=context.lower_first(job.name),
                                     where=queries.topics()[SOURCE_TOPIC].label.lower(), facts=quoted_facts(quoting),
                                     source=source.source.publisher,
                                     buttons=context.topic_buttons(job.id, [SOURCE_TOPIC]))
            return job
    return None


def asks_meaning_of_item(text: str) -> bool:
    """"c quoi un secrétaire général ?", "c'est quoi le BTS Banque ?": the meaning of an item a sheet lists (a job
    one moves to, a diploma, a training), written whole — the sheets name these without describing them."""
    folded = fold(text)
    if not any(contains_phrase(folded, cue) for cue in (*STRONG_CUES, *WEAK_CUES)) or not queries.content_terms(text):
        return False
    if analyse(text, queries.vocabulary()).attribute:  # "c'est quoi le numéro RNCP du master finance ?": its code
        return False
    found = queries.find_facts(text)
    if not found or found[0].coverage < 0.99:
        return False
    best, reader = found[0], queries.claim_reader()
    return (best.topic in reader.words.option_topics
            and reader.covers(reader.terms_of(best.fact.text), queries.without_job_names(text)))


def asks_meaning_of_word(text: str) -> bool:
    """"monetik c koi pr le bo", "c'est quoi le reporting ?": what a word is, one or a few words of the sheets named
    (they may name it without explaining it: then where they use it)."""
    folded = fold(text)
    if not any(contains_phrase(folded, cue) for cue in (*STRONG_CUES, *WEAK_CUES)):
        return False
    if analyse(text, queries.vocabulary()).topics_named:  # "qu'est-ce que les compétences … ont en commun ?"
        return False
    words = queries.content_terms(queries.without_job_names(text))
    return 0 < len(words) <= MAX_WORD_TERMS and bool(queries.find_facts(text))


def only_as_partner(text: str) -> bool:
    """Whether every glossary term of the message is whom someone works with ("et il fait quoi avec le front ?"),
    with no word of a meaning question: a question about that work, not about the word."""
    folded = fold(text)
    terms = terms_in(folded, queries.glossary())
    if not terms or any(contains_phrase(folded, cue) for cue in STRONG_CUES):
        return False
    starts = [m.start() for term in terms for m in (contains_phrase(folded, w) for w in term.words) if m]
    return all(context.whom_one_works_with(folded, start) for start in starts)
