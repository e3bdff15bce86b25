""""Reformulé juste après": did the student ask the same thing again because the answer missed?

A rephrasing is told from an ordinary follow-up by what the second message does, not by how many words it shares:
- it says it corrects ("non je voulais dire…", "je reformule", "*middle office"): a rephrasing;
- it picks up a word of the answer ("c'est payant la certif AMF ?" after a list naming the AMF), narrows with
  "et …" ("et les comportementales ?"), thanks, or asks the same for the other job: a follow-up;
- after a miss (not understood, out of scope, a clarifying question, low confidence), a new try on the same
  subject is a rephrasing; otherwise the same intent about the same job, or mostly the same words, is one.
Plain functions on plain values (`Said`), tested on tiny fixtures (tests/ops/test_rephrase.py) and measured on
pairs labelled apart (tests/e2e/test_rephrase_signal.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from common.settings import PROJECT_DIR
from knowledge.loader import load_all
from knowledge.vocabulary import load_vocabulary
from ops.console.text import fold

# The second message says it corrects or repeats the first
CORRECTION_CUES = ("non je", "non pas", "non mais je", "non c'est", "non,", "je voulais dire", "je veux dire",
                   "je voulais savoir", "je parle de", "je parle du", "je parlais", "je reformule", "je repete",
                   "je recommence", "je precise", "autrement dit", "en d'autres termes", "ma question", "tu m'as pas",
                   "t'as pas compris", "tas pas compris", "pas compris", "c'est pas ce que", "c'etait pas", "pas ca",
                   "je demandais", "ce que je veux", "ce que je demande")
# The second message goes on from the answer
FOLLOW_UP_STARTS = ("et ", "et,", "ok ", "ok,", "ok.", "dac", "d'accord", "merci", "super", "cool", "top", "ah ",
                    "ah,", "oh ", "aussi", "mais aussi", "tu peux detailler", "peux-tu detailler", "detaille",
                    "explique", "ca veut dire", "que veut dire", "qu'est-ce que ca veut")
# What the bot does when it missed: not understood, a clarifying question, out of scope
MISS_ACTIONS = frozenset({"action_handle_fallback", "action_default_fallback", "utter_out_of_scope",
                          "action_out_of_scope", "utter_default", "utter_ask_rephrase"})
MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
LOW_CONFIDENCE = 0.6
SIMILAR = 0.5  # share of content words (Jaccard) for "mostly the same words"


@dataclass(frozen=True)
class Said:
    """One student message as the console stores it, with the bot's reply to it."""

    text: str
    intent: str = ""
    job: str = ""  # the job slot after the message
    confidence: float = 1.0
    reply: str = ""  # the bot's replies' texts and buttons, joined
    missed: bool = False  # the bot did not understand (fallback, clarifying question, out of scope)


_STEM = snowballstemmer.stemmer("french").stemWord


@lru_cache(maxsize=1)
def _words_to_skip() -> frozenset[str]:
    """Function words, everyday verbs ("devenir", "faire"), and the words of the jobs' names ("back office" says
    which job, not what is asked), stemmed."""
    vocabulary = load_vocabulary(PROJECT_DIR / "knowledge" / "vocabulary.yml")
    _, jobs = load_all(PROJECT_DIR / "knowledge")
    names = {w for job in jobs for alias in (job.name, *job.aliases) for w in re.findall(r"[a-z0-9]+", fold(alias))}
    words = {*vocabulary.stopwords, *vocabulary.generic_words, *names, "gestionnaire", "metier", "job", "taf", "boulot"}
    return frozenset(_STEM(w) for w in words)


@lru_cache(maxsize=1)
def _topic_words() -> frozenset[str]:
    """Stems of the topics' names ("rythme", "chiffres"): every answer names its topic, asking it is no follow-up."""
    vocabulary = load_vocabulary(PROJECT_DIR / "knowledge" / "vocabulary.yml")
    return frozenset(_STEM(w) for names in vocabulary.topic_names.values() for name in names
                     for w in re.findall(r"[a-z0-9]+", name))


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """Stems of the folded words of three letters or more that are neither function words, everyday verbs nor job
    names ("compétences" and "competence" are one)."""
    skip = _words_to_skip()
    stems = (_STEM(w) for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 2)
    return frozenset(s for s in stems if s not in skip)


def _starts(text: str, cues: tuple[str, ...]) -> bool:
    return fold(text).lstrip("*-. ").startswith(cues)


def corrects(text: str) -> bool:
    """"non je voulais dire…", "je reformule", "*middle office" (a spelling fix)."""
    folded = fold(text)
    return text.lstrip().startswith("*") or any(re.search(r"(?<![a-z])" + re.escape(c), folded)
                                                for c in CORRECTION_CUES)


def rephrases(first: Said, second: Said) -> bool:
    """Whether `second`, sent right after `first`, asks the same thing again."""
    if corrects(second.text):
        return True
    if first.job and second.job and first.job != second.job:
        return False  # the same question for the other job
    if _starts(second.text, FOLLOW_UP_STARTS):
        return False
    words_first, words_second = content_words(first.text), content_words(second.text)
    if words_first and not words_first & words_second and (words_second - _topic_words()) & content_words(first.reply):
        return False  # nothing of the question, an item of the answer ("la certif AMF ?"): about the answer
    missed = first.missed or first.intent in MISS_INTENTS or first.confidence < LOW_CONFIDENCE
    shared = len(words_first & words_second) / len(words_first | words_second) if words_first | words_second else 0
    if missed:
        return bool(words_first & words_second) or first.intent == second.intent or not words_first
    return shared >= SIMILAR or (first.intent == second.intent and first.intent.startswith("ask_"))
