"""Which facts a message is about: a small weighted term search over every fact of every job.

A message and each fact are reduced to terms: folded words, minus function words, question words and
job names, with students' short forms expanded, then stemmed (Snowball's French stemmer; a hand-written
prefix stemmer is kept for comparison, see docs/performance.md). A query term counts by its rarity
among the facts (inverse document frequency; a word no fact uses counts as the rarest); it matches a
fact term exactly, as a prefix ("compta" / "comptable") or within a typo. A fact's `coverage` is the
share of the message's term weight it matches: 1.0 means every content word of the message is in it.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from knowledge.text import fold
from knowledge.vocabulary import Vocabulary, said_plainly

GROUP_WEIGHT = 0.6  # a word of the fact's group heading counts less than a word of the fact itself
# a word only the knowledge base's aliases give a fact ("management d'équipe" for "Encadrer une équipe") counts less
# than the sheet's own: a fact saying the word itself comes first
ALIAS_WEIGHT = 0.8
# a typo of the sheet's word counts a little less than a word the knowledge base gives the fact (ALIAS_WEIGHT):
# "changer" (an alias of "les horaires peuvent varier") before "chargé"
PREFIX_SIMILARITY, TYPO_SIMILARITY = 0.9, 0.78
FAMILY_PREFIX = 7  # letters two stems share to be one word family (see similarity)
FAMILY_SIMILARITY = 0.7  # below a typo: a fact found only through a word's family is shown, never a "oui"


@dataclass(frozen=True)
class IndexedFact:
    """One fact as the search sees it; `key` is an opaque reference the caller gave (its FactItem...)."""

    job_id: str
    topic: str
    position: int
    text: str
    group: str | None
    aliases: tuple[str, ...]
    key: object


@dataclass(frozen=True)
class FactMatch:
    fact: IndexedFact
    coverage: float  # 0..1: share of the message's term weight this fact matches
    matched: tuple[str, ...]  # the message's terms it matched
    weight: float = 0.0  # the matched terms' rarity, summed (a rare word weighs ~3-5, a common one ~1-2)


class Analyzer:
    """Turns folded text into search terms."""

    def __init__(self, vocabulary: Vocabulary, ignored_words: Iterable[str] = (), stemmer: str = "snowball"):
        self.vocabulary = vocabulary
        phrases = [*(n for names in vocabulary.topic_names.values() for n in names),
                   *(c for cues in vocabulary.attributes.values() for c in cues)]
        cue_words = {w for phrase in phrases for w in re.findall(r"[a-z0-9]+", phrase)}
        self.ignored = set(vocabulary.stopwords) | set(vocabulary.generic_words) | set(ignored_words) | cue_words
        # "et les horaires, pour le premier ?": the job named first, no fact's word ("1ère expérience")
        fillers = sorted({*vocabulary.filler_phrases, *vocabulary.first_job_words, *vocabulary.second_job_words},
                         key=len, reverse=True)
        self._fillers = re.compile(r"(?<![a-z0-9'])(?:" + "|".join(map(re.escape, fillers)) + r")(?![a-z0-9])") \
            if fillers else None
        if stemmer == "snowball":
            import snowballstemmer

            self._stem = snowballstemmer.stemmer("french").stemWord
        elif stemmer == "prefix":
            self._stem = _prefix_stem
        else:
            raise ValueError(f"unknown stemmer {stemmer!r}")
        self.stem = lru_cache(maxsize=8192)(self._stem)

    def terms(self, text: str) -> list[str]:
        folded = said_plainly(fold(text), self.vocabulary)
        if self._fillers is not None:
            folded = self._fillers.sub(" ", folded)
        words = re.findall(r"[a-z0-9]+", folded)
        terms = []
        for at, word in enumerate(words):
            if word in self.ignored or word + "e" in self.ignored:  # "possibl": SMS drops a mute final e
                continue
            if word == "1" and self._sms_article(words[at + 1:at + 2]):
                continue  # "c koi 1 gestionnaire ?": SMS for "un", not the figure "1 220 emplois"
            word = self.vocabulary.abbreviations.get(word, word)
            for part in word.split():
                if part not in self.ignored:
                    terms.append(self.stem(part))
        return list(dict.fromkeys(terms))


    def _sms_article(self, following: list[str]) -> bool:
        """Whether "1" before these words is SMS for "un"/"une": a word follows that is no number and no unit of
        time ("1 an d'expérience" is a figure)."""
        return bool(following) and following[0].isalpha() and following[0] not in self.vocabulary.claims.duration_units


def _prefix_stem(word: str) -> str:
    """The hand-written baseline: a word's first 6 letters, plural 's'/'x' dropped."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return word[:6]


@lru_cache(maxsize=65536)
def similarity(query_term: str, fact_term: str) -> float:
    """1 for the same stem, 0.9 when one is a prefix of the other (4+ letters),
    0.8 for a typo (1 letter, 2 from 8 letters; the first letter kept)."""
    if query_term == fact_term:
        return 1.0
    if query_term.isdigit() or fact_term.isdigit():
        return 0.0
    shorter = min(len(query_term), len(fact_term))
    if shorter >= 4 and (fact_term.startswith(query_term) or query_term.startswith(fact_term)):
        return PREFIX_SIMILARITY
    # one family the stemmer splits: "comptabl(es)" and "comptabilit(é)" differ only past a long common prefix
    if shorter >= FAMILY_PREFIX + 1 and len(os.path.commonprefix((query_term, fact_term))) >= max(
            FAMILY_PREFIX, shorter - 1):
        return FAMILY_SIMILARITY
    # a typo keeps the first letter: "depart" is not "repart(ies)", "dossier" is "dosier"
    if shorter >= 5 and query_term[0] == fact_term[0] and Levenshtein.distance(
            query_term, fact_term, score_cutoff=2) <= (1 if shorter < 8 else 2):
        return TYPO_SIMILARITY
    return 0.0


_SIMILAR_KEPT = 20000  # message terms whose similar fact terms are kept


class FactIndex:
    """Every fact's terms, their rarity, and the search."""

    def __init__(self, facts: Iterable[IndexedFact], analyzer: Analyzer):
        self.analyzer = analyzer
        self.facts = list(facts)
        self._terms: list[dict[str, float]] = []
        document_frequency: dict[str, int] = {}
        for fact in self.facts:
            weights: dict[str, float] = {}
            for term in analyzer.terms(fact.group or ""):
                weights[term] = GROUP_WEIGHT
            for term in analyzer.terms(" ".join(fact.aliases)):
                weights[term] = 1.0 if term.isdigit() else ALIAS_WEIGHT  # a code (RNCP) is the sheet's own
            for term in analyzer.terms(fact.text):
                weights[term] = 1.0
            self._terms.append(weights)
            for term in weights:
                document_frequency[term] = document_frequency.get(term, 0) + 1
        self._length = {fact: len(analyzer.terms(fact.text)) for fact in self.facts}
        total = max(len(self.facts), 1)
        self._idf = {t: math.log(1 + total / df) for t, df in document_frequency.items()}
        self._unknown_idf = math.log(1 + total / 0.5)
        self._similar: dict[str, tuple[tuple[str, float], ...]] = {}
        # each word's other words of the same meaning ("achet" -> "achat"), as stems
        self._same_meaning: dict[str, set[str]] = {}
        for group in analyzer.vocabulary.same_meaning:
            stems = {analyzer.stem(word) for word in group}
            for stem in stems:
                self._same_meaning.setdefault(stem, set()).update(stems - {stem})

    def similar_terms(self, term: str) -> tuple[tuple[str, float], ...]:
        """The facts' terms similar to a message's term, with their similarity: computed once per term (the
        search then reads them for each fact), the last few thousand terms kept."""
        found = self._similar.get(term)
        if found is None:
            if len(self._similar) >= _SIMILAR_KEPT:
                self._similar.clear()
            found = self._similar[term] = tuple(
                (t, score) for t in self._idf if (score := similarity(term, t)))
        return found

    def in_own_words(self, own_text: str, matched: Iterable[str]) -> bool:
        """Whether each matched term of the message is in `own_text` (a fact's own words: text, heading, code), not
        only in the other words the knowledge base gives the fact (its aliases) nor only as a word of the same family
        ("comptabilité" is not the sheet's "comptables": shown, never a "oui")."""
        own = self.analyzer.terms(own_text)
        matched = tuple(matched)
        said = [term for term in matched if any(similarity(term, t) > FAMILY_SIMILARITY for t in own)]
        if len(said) == len(matched):
            return True
        # "acheter et vendre des titres" for the sheet's "opérations d'achat et de vente de titres": a verb for the
        # sheet's noun, beside a word of the sheet's own ("il vend ?" alone is too vague to be that fact)
        same = [other for t in own for other in self._same_meaning.get(t, ())]
        return bool(said) and all(term in said or any(similarity(term, t) > FAMILY_SIMILARITY for t in same)
                                  for term in matched)

    def weight(self, term: str) -> float:
        return self._idf.get(term, self._unknown_idf)

    def search(self, text: str, job_ids: Iterable[str] | None = None, min_coverage: float = 0.01) -> list[FactMatch]:
        """Facts of `job_ids` (all when None) matching the message, best first (ties: the sheet's order)."""
        query = self.analyzer.terms(text)
        if not query:
            return []
        weights = {term: self.weight(term) for term in query}
        total = sum(weights.values())
        wanted = set(job_ids) if job_ids is not None else None
        matches = []
        similar = {term: self.similar_terms(term) for term in weights}
        for fact, fact_terms in zip(self.facts, self._terms, strict=True):
            if wanted is not None and fact.job_id not in wanted:
                continue
            score, matched = 0.0, []
            for term, weight in weights.items():
                best = max((sim * fact_terms[t] for t, sim in similar[term] if t in fact_terms), default=0.0)
                if best:
                    score += weight * best
                    matched.append(term)
            coverage = score / total
            if coverage >= min_coverage:
                matches.append(FactMatch(fact, round(coverage, 4), tuple(matched), round(score, 4)))
        # on a tie, the shorter fact first: "master finance" is "Master - Finance"
        # before "Master Gestion, spécialité finance"
        matches.sort(key=lambda m: (-m.coverage, self._length[m.fact]))
        return matches

    def query_terms(self, text: str) -> list[str]:
        return self.analyzer.terms(text)
