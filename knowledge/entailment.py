"""The gate before every "oui": does one fact say everything a closed question claims?

A closed question claims more than its topic: the items the student names ("un bac pro commerce", "devenir
contrôleur financier"), a level ("expert en anglais"), a frequency ("toute la journée"), an obligation ("il faut
forcément un master ?"). A fact that shares a word with the question is not a "oui": "Baccalauréat professionnel –
Gestion administration" does not say "bac pro commerce". `Claim` is what the message asks, read once; `verdict`
compares it with one fact. The words live in `knowledge/vocabulary.yml` (`claims:`); this module only reads
structure. Tested on facts built in the test itself (tests/knowledge/test_entailment.py) and on every list of the
real sheets (tests/actions/test_never_wrong_yes.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.matching import TYPO_SIMILARITY, similarity
from knowledge.text import fold
from knowledge.vocabulary import ClaimWords, contains_phrase, teaches_before

# Verdicts
ENTAILED = "entailed"  # the fact says everything asked: "oui" is allowed
MISSING_ITEM = "missing_item"  # a named item (diploma, job) is not what the fact says
KIND_ONLY = "kind_only"  # a bare kind ("un BTS") where the sheet lists one precise diploma of that kind
LEVEL_TOO_LOW = "level_too_low"  # the sheet expects a lower level than asked
LEVEL_UNRATED = "level_unrated"  # a level is asked; the fact gives none
LESS_OFTEN = "less_often"  # the fact says "éventuellement", "peu fréquents" where the student asks "tout le temps"
FREQUENCY_UNSAID = "frequency_unsaid"  # a frequency is asked; the fact says none
NOT_REQUIRED = "not_required"  # an obligation is asked; the sheet lists options, never an obligation
EXCLUDED = "excluded"  # the fact names what the student leaves out ("un bac général sans maths")
NUMBER_UNSAID = "number_unsaid"  # a figure asked ("au moins 5 ans d'expérience") that the fact does not state
NOT_ONLY = "not_only"  # "uniquement", "que de la saisie": one fact of a list of several is not all there is
OPPOSITE = "opposite"  # the fact says the opposite of a word asked ("hausses d'activité" for "baisser")
REQUIRED_UNSAID = "required_unsaid"  # "l'anglais c'est obligatoire ?" of a skill the sheet lists, never as required

# "que des" restricts ("c'est que des chiffres ?"), except in a question's own "est-ce que des..." or a comparison
_NOT_RESTRICTIVE = re.compile(r"(?:est-ce|est ce|esque|eske|\bce|parce|plus|moins|autant|aussi|tant|avant|alors|bien)"
                              r"\s*$")

_WORD = re.compile(r"[a-z0-9]+")
_ARTICLES = frozenset({"un", "une", "le", "la", "les", "l'", "des", "du", "d'", "mon", "ma", "mes", "son", "sa", "ses"})
# "j'ai seulement un bac", "je n'ai qu'un CAP", "il a juste un BTS": "only" of what the student holds
_ONLY_MINE = re.compile(r"(?<![a-z0-9])(?:(?:j'ai|jai|j ai|il a|elle a|on a|je suis|jsuis|il est|elle est)\s+"
                        r"(?:que|qu'|seulement|juste|uniquement)|n'(?:ai|a|avons|ont)\s+(?:que|qu'))")
# "c'est juste rigueur et organisation ?", "il faut juste un BTS ?": "only" before what is claimed ("c'est juste ?"
# alone asks whether it is right; "juste après le bac" is a moment)
_JUST = re.compile(r"(?<![a-z0-9])(?:c'est|c|cest|ce sont|ce serait|il faut|faut|fo|y a|il y a|il fait|il gere)"
                   r"\s+juste\s+(?!apres|avant|a\s|au\s|en\s|pour\s|un peu|ca\s*\?|\?)[a-z]")
_STUDY_LEVEL = re.compile(r"(?<![a-z0-9])bac\s*\+\s*\d+")  # "bac + 3": a level, not a bac
_DAMPENED = re.compile(r"(?:\bpeu|\bpas|\bpas tres|\bpas si|\bmoins|\bassez peu)\s+$")  # "peu fréquents"
# A job's name used as a verb: followed by its object's determiner ("manager des gens", "conseiller les clients")
# A job's name used as a reflexive verb: "qui s'en charge", "il se charge"
_REFLEXIVE = re.compile(r"(?<![a-z])(?:s'en|se|s'|m'en|me|t'en|te|l'en)\s*$")
# "en charge du règlement-livraison", "prend en charge les réclamations": being in charge of, no "chargé de …" named
_IN_CHARGE = re.compile(r"(?<![a-z])en\s+$")
_VERB_OBJECT = re.compile(r"\s+(?:une|un|des|les|la|le|l'|son|sa|ses|leur|leurs|ce|cette|ces)\s")
# "un sens commercial", "l'esprit commercial": a job's word used as an adjective of a quality, no job named
_QUALITY_BEFORE = re.compile(r"(?<![a-z])(?:sens|esprit|fibre|aspect|cote|approche|temperament|profil|talent|talents|"
                             r"qualites|qualite|competences|competence)\s+$")


@dataclass(frozen=True)
class NamedItem:
    """A diploma or job the student names: its words as written, its search terms, its kind's terms."""

    text: str
    terms: tuple[str, ...]
    kind_terms: tuple[str, ...]
    plural: bool = False  # "des BTS", "les masters": whether the sheet lists some, not "is mine enough"
    diploma: bool = True  # False for a job ("contrôleur financier")
    at: int = field(default=-1, compare=False)  # where it starts in the folded message

    @property
    def bare(self) -> bool:
        """Only a kind ("un BTS", "un bac pro"), no specialty."""
        return set(self.terms) <= set(self.kind_terms)


@dataclass(frozen=True)
class Claim:
    """What a message asks beyond its topic (empty for "le BO gère les réclamations ?")."""

    items: tuple[NamedItem, ...] = ()
    level: int | None = None
    period: str | None = None  # "chaque semaine": the period of a frequency asked ("week")
    frequent: bool = False
    required: bool = False
    extra: tuple[str, ...] = field(default=())  # other outside items (the NLU's `other_job` entities)
    written: tuple[str, ...] = field(default=())  # every term of the message (an item's title may run past a comma)
    excluded: tuple[str, ...] = field(default=())  # terms of what is left out ("sans maths")
    numbers: tuple[str, ...] = field(default=())  # figures written ("5 ans"): the fact must state each
    only: bool = False  # one thing claimed to be all there is ("uniquement avec les clients ?")
    only_mine: bool = False  # "only" said of what the student holds ("j'ai seulement un bac"), not of the sheet's list
    sides: tuple[tuple[int, int], ...] = ()  # (pair, side) of the opposite words written ("baisser": a decrease)
    needed: bool = False  # a need verb ("il faut de l'expérience ?"): of a list of options, an obligation asked

    @property
    def empty(self) -> bool:
        return not (self.items or self.level or self.period or self.frequent or self.required or self.extra
                    or self.excluded or self.numbers or self.only or self.needed or self.sides)


# "elle se demande si", "je me demandais", "on demande si": wondering, not a need ("le poste demande un master ?")
_WONDERS = re.compile(r"(?<![a-z0-9])(?:(?:se|me|te|nous|vous)\s+demand[a-z]*|demand[a-z]*\s+si)(?![a-z0-9])")
# "après le bac", "avant le BTS", "post-bac": a moment of the path, not a diploma the student names
_TIME_BEFORE = re.compile(r"(?<![a-z0-9])(?:(?:apres|avant|post|pendant)\s*-?\s*(?:le\s+|l')?"
                          r"|(?:au-dela|au dela|par-dela)\s+(?:du\s+|de\s+l'|de\s+la\s+)"
                          r"|une fois (?:le|son|sa|mon|ma|ton|ta|leur)\s+)$")  # "une fois son bac en poche"


class ClaimReader:
    """Reads claims from folded text and checks them against facts; built once per knowledge base."""

    def __init__(self, words: ClaimWords, abbreviations: dict[str, str], stem: Callable[[str], str]):
        self.words = words
        self.abbreviations = abbreviations
        self._stem = stem
        starts = sorted({*words.diploma_starts, *words.job_starts, *words.series_starts}, key=len, reverse=True)
        self._starts = set(starts)
        self._start = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, starts)) + r")(?![a-z0-9+])")
        self.terms_of = lru_cache(maxsize=4096)(self._terms_of)
        self._read_once = lru_cache(maxsize=1024)(self._read)
        # the words of a fact that names only a level of study ("Niveau 6 Licence (bac + 3)"), read once
        self._level_general = {t for word in (*words.diploma_starts, *words.level_words) for t in self.terms_of(word)}
        own = "|".join(map(re.escape, sorted(words.own_cues, key=len, reverse=True))) or r"(?!x)x"
        # "je suis en 1ère STMG": the class year between the cue and the diploma
        self._own = re.compile(r"(?<![a-z0-9'])(?:" + own + r")\s+(?:(?:un|une|le|la|l'|d'un|d'une|du|en)\s*)?"
                               r"(?:(?:1ere|1re|premiere|terminale|tle|term|seconde|2nde|2de)\s+)?$")
        cues = "|".join(map(re.escape, words.specialty_words)) or r"(?!x)x"
        # "spé SES en bac général": up to three words between the cue and "en/au/du/de" right before the diploma
        self._specialty_before = re.compile(r"(?<![a-z0-9])(?:" + cues + r")\s+((?:[a-z0-9']+\s+){1,3}?)"
                                            r"(?:en|au|du|de|d'|pour le|pour un)\s*$")

        self._specialty_cue = re.compile(r"(?<![a-z0-9])(?:" + cues + r")\s+")
        self._specialty_after = re.compile(r"\s*(?:(?:la|les|l'|une|un|des|ses|mes)\s*)?(?:" + cues + r")(?![a-z0-9])")

    def _terms_of(self, text: str) -> tuple[str, ...]:
        """Stemmed words of an item or a fact, short forms expanded, function words skipped."""
        terms: list[str] = []
        for word in _WORD.findall(fold(text)):
            if word in self.words.item_skips:
                continue
            if word not in self.abbreviations and word.endswith("s") and word[:-1] in self.abbreviations:
                word = word[:-1]  # "bacs" is "bac" (baccalauréat)
            for part in self.abbreviations.get(word, word).split():
                if part not in self.words.item_skips:
                    terms.append(self._stem(part))
        return tuple(dict.fromkeys(terms))

    def _joins_specialty(self, words: list[str], start: str, after: str) -> bool:
        """Whether "et" inside a diploma's title joins two words of its specialty ("BTS Banque et Assurance"): a
        specialty already begun and a plain word next (no article, pronoun, stop word or other diploma)."""
        following = re.match(r"\s*([a-z0-9']+)", after)
        if start in self.words.job_starts or len(words) < 2 or following is None:
            return False
        word = following.group(1)
        return not (word in self.words.item_stops or word in self.words.item_skips or word in self.words.diploma_starts
                    or word in _ARTICLES or word in self.words.modalities)

    def _bac_specialty_next(self, start: str, after: str) -> bool:
        """Whether a bac ("bac général", "terminale", "STMG") is followed by one of its specialties after "avec"."""
        following = re.match(r"\s*([a-z0-9'-]+)", after)
        bac = start in self.words.series_starts or self.terms_of(start) == self.terms_of("bac")
        return (bac and following is not None and following.group(1) in self.words.bac_specialties
                and not self._possessive(following.group(1), after[following.end():]))

    def _possessive(self, word: str, after: str) -> bool:
        """"avec ses copines": "ses" before a noun is a possessive; "avec SES et HGGSP", "avec SES." the specialty."""
        following = re.match(r"\s*([a-z0-9'-]+)", after)
        return word == "ses" and following is not None and following.group(1) != "et" \
            and following.group(1) not in self.words.bac_specialties

    def items(self, folded: str) -> tuple[NamedItem, ...]:
        """Diplomas and jobs named in the message, each with the specialty words written after it."""
        found: list[NamedItem] = []
        end = 0
        for match in self._start.finditer(folded):
            if match.start() < end or re.match(r"\s*\+\s*\d", folded[match.end():]):
                continue  # inside the previous item ("école d'ingénieur ... comptable"); "bac+2": a study level
            start = match.group(1)
            rest = folded[match.end():]
            if start in self.words.job_starts and (_VERB_OBJECT.match(rest)
                                                   or _REFLEXIVE.search(folded[:match.start()])
                                                   or _QUALITY_BEFORE.search(folded[:match.start()])
                                                   or (start.startswith("charge")
                                                       and _IN_CHARGE.search(folded[:match.start()]))):
                continue  # "manager des gens", "conseiller les clients": a verb and its object, not a job named
            words = [start]
            end = match.end()
            specialties = False  # right after "avec" and the bac's specialties named after it
            for token in re.finditer(r"[a-z0-9']+|[?!.,;:()/]", rest):
                word = token.group(0)
                # "spé SES": after a specialty word, "ses" is the specialty, not a possessive that ends the item
                stops = word in self.words.item_stops and words[-1] not in self.words.specialty_words
                if stops and word == "et" and self._joins_specialty(words, start, rest[token.end():]):
                    continue  # "BTS Banque et Assurance": one diploma's title, not two items
                if (specialties and word in self.words.bac_specialties
                        and not self._possessive(word, rest[token.end():])):
                    words.append(word)  # "avec SES et HGGSP": "ses" is the specialty, not a possessive
                    end = match.end() + token.end()
                    continue
                if specialties and word == "et":
                    continue
                if stops and word == "avec" and self._bac_specialty_next(start, rest[token.end():]):
                    specialties = True  # "terminale générale avec SES et HGGSP": the bac's specialties
                    continue
                if specialties:
                    break  # "avec SES et ses amis": the specialties end the diploma
                if stops and word == "avec" and self._specialty_after.match(rest[token.end():]):
                    continue  # "bac général avec spé SES": the specialties are the diploma's
                if not word[0].isalnum() or stops or len(words) >= 7 or word in self.words.modalities:
                    break
                next_item = start in self.words.job_starts and self._start.fullmatch(word)
                if word in self.words.diploma_starts or next_item:
                    break  # the next item starts: "un BTS ou un BUT"
                words.append(word)
                end = match.end() + token.end()
            ambiguous = self.words.ambiguous_starts.get(start)
            if ambiguous is not None and (len(words) < 2 or words[1] not in ambiguous):
                continue  # "le bak (offic)": the back office in SMS; "bak pro": a diploma
            if len(words) == 1 and _TIME_BEFORE.search(folded[max(0, match.start() - 12):match.start()]):
                continue  # "et après le bac ?": a time of the path (the studies after it), no diploma named
            if start not in self.words.job_starts and teaches_before(self.words.teaching_cues,
                                                                     folded[:match.start()]):
                continue  # "professeur en BTS Banque, …": the class the writer teaches, no diploma asked about
            specialty = self._specialty_before.search(folded[max(0, match.start() - 60):match.start()])
            if specialty:
                words += specialty.group(1).split()
            while len(words) > 1 and words[-1] in self.words.item_skips:
                words.pop()  # "bts banque en (alternance)": the diploma as the student wrote it, without the "en"
            text = " ".join(words)
            before = re.findall(r"[a-z']+", folded[:match.start()])[-4:]
            # "des BTS", "il y a un magistère ?": whether the sheet lists one, not whether mine is enough
            plural = ((start.endswith("s") and start[:-1] in self._starts) or before[-1:] in (["des"], ["les"])
                      or any(w in ("ya", "existe", "quels", "quelles") for w in before) or "y a" in " ".join(before))
            kind = "bac" if start in self.words.series_starts else start  # "STMG" alone is a bac, of that series
            item = NamedItem(text, self.terms_of(text), self.terms_of(kind), bool(plural),
                             diploma=start not in self.words.job_starts, at=match.start())
            if item.terms and all(item.text != other.text for other in found):
                found.append(item)
        return self._with_specialty_apart(folded, tuple(found))

    def _with_specialty_apart(self, folded: str, found: tuple[NamedItem, ...]) -> tuple[NamedItem, ...]:
        """"La spé SES, elle fait partie des options du bac général ?": a specialty named apart from the one bac the
        message names is that bac's (every word of it must be in the fact, as when written next to it)."""
        bac = self.terms_of("bac")
        bacs = [i for i in found if i.diploma and i.kind_terms == bac]
        if len(bacs) != 1:
            return found
        named: list[str] = []
        for cue in self._specialty_cue.finditer(folded):
            for token in re.finditer(r"[a-z0-9']+|[?!.,;:()/]", folded[cue.end():]):
                word = token.group(0)
                if (not word[0].isalnum() or (word in self.words.item_stops and word != "ses")
                        or word in self.words.item_skips or word in self.words.diploma_starts or len(named) >= 3):
                    break
                named.append(word)
        extra = [t for t in self.terms_of(" ".join(named)) if t not in bacs[0].terms]
        if not extra:
            return found
        item = bacs[0]
        joined = NamedItem(f"{item.text} {' '.join(named)}", (*item.terms, *extra), item.kind_terms, item.plural,
                           item.diploma, item.at)
        return tuple(joined if i is item else i for i in found)

    def own_items(self, folded: str) -> tuple[NamedItem, ...]:
        """The diplomas the student says are theirs ("je suis en bac général spé maths", "mon fils prépare un BTS
        MCO"), not those asked about ("un BTS suffit ?")."""
        return tuple(item for item in self.items(folded) if item.diploma and self._own.search(folded[:item.at]))

    def level(self, folded: str) -> int | None:
        levels = [level for level, cues in self.words.levels.items() if any(contains_phrase(folded, c) for c in cues)]
        return max(levels) if levels else None

    def left_out(self, folded: str) -> tuple[tuple[str, ...], bool]:
        """The terms of what the message leaves out ("sans maths"), and whether it says one cannot do without it
        ("sans BTS Banque on peut pas": then it is claimed required, nothing is left out)."""
        excluded: list[str] = []
        for cue in self.words.excluding:
            if cue not in folded:  # most cues are not in the message: no pattern to build and run
                continue
            for match in re.finditer(r"(?<![a-z0-9'])" + re.escape(cue) + r"(?![a-z0-9])", folded):
                rest = folded[match.end():]
                if any(contains_phrase(rest, c) for c in self.words.impossible):
                    return (), True
                words: list[str] = []
                for token in re.finditer(r"[a-z0-9']+|[?!.,;:()/]", rest):
                    word = token.group(0)
                    if not word[0].isalnum() or word in self.words.item_stops or len(words) >= 4:
                        break
                    words.append(word)
                excluded += self.terms_of(" ".join(words))
        return tuple(dict.fromkeys(excluded)), False

    def negated(self, folded: str) -> bool:
        """Whether a closed question is asked in the negative ("y a pas de stress à gérer ?"), leaving aside the
        negations that deny nothing asked ("ou pas ?", "j'ai pas de bac", "pas que de la saisie")."""
        kept = folded
        for cue in self.words.not_negations:
            while (match := contains_phrase(kept, cue)) is not None:
                kept = kept[:match.start()] + " " + kept[match.end():]
        return any(contains_phrase(kept, cue) for cue in self.words.negations)

    def only(self, folded: str) -> bool:
        """Whether the message claims one thing is all there is ("il bosse qu'avec les clients ?")."""
        if _JUST.search(folded):
            return True
        for cue in self.words.only:
            match = contains_phrase(folded, cue)
            if match and not (cue.startswith("qu") and _NOT_RESTRICTIVE.search(folded[:match.start()])):
                return True
        return False

    def period(self, folded: str) -> str | None:
        """The period of a frequency named ("chaque semaine": "week"), or None."""
        return next((name for name, cues in self.words.periods.items()
                     if any(contains_phrase(folded, cue) for cue in cues)), None)

    def often(self, folded: str) -> bool:
        """Whether the message claims a high frequency ("toute la journée"), not a low one ("peu fréquents")."""
        folded = re.sub(r"\s+", " ", folded)  # "tous les  jobname ": a job's name taken out leaves two spaces
        for cue in self.words.frequent:
            match = contains_phrase(folded, cue)
            if match and not _DAMPENED.search(folded[:match.start()]):
                return True
        return False

    def without_frequency(self, folded: str) -> str:
        """The message without the words of a high frequency it claims ("il voit les clients tous les jours ?": "il
        voit les clients ?"), to find what the sheet says of the rest."""
        folded = re.sub(r"\s+", " ", folded)
        for cue in sorted(self.words.frequent, key=len, reverse=True):
            match = contains_phrase(folded, cue)
            if match:
                folded = f"{folded[:match.start()]} {folded[match.end():]}"
        return folded

    @staticmethod
    def numbers(folded: str) -> tuple[str, ...]:
        """Figures written ("5 ans", "bac+5"), not ordinals ("en 3e", "1ère") nor a skill level ("niveau 3": read as
        a level)."""
        return tuple(dict.fromkeys(re.findall(r"(?<![a-z0-9])(?<!niveau )(?<!niveau)\d+(?![0-9a-z])", folded)
                                   + re.findall(r"niveau ?([5-9]|\d\d+)(?![0-9a-z])", folded)))

    def read(self, folded: str, extra: Iterable[str] = ()) -> Claim:
        """The claim of one folded message; `extra`: outside items the NLU found (`other_job` values). Read once
        per text: the planner and the actions ask for the same message's claim several times (a Claim is frozen)."""
        return self._read_once(folded, tuple(extra))

    def _read(self, folded: str, extra: tuple[str, ...]) -> Claim:
        excluded, needed = self.left_out(folded)
        items = tuple(i for i in self.items(folded) if not set(i.terms) <= set(excluded))  # "sans bac": not named
        needs = _WONDERS.sub(" ", folded)  # "elle se demande si…" asks; it needs nothing
        # "il faut passer par une école de commerce ?": a diploma named after a need is claimed required
        needed = needed or (any(i.diploma for i in items)
                            and any(contains_phrase(needs, c) for c in self.words.need_verbs))
        # "au moins 5 ans ?", "il faut 10 ans d'expérience ?": a minimum, where the sheet may list levels under it
        needed = needed or any(
            c in folded and re.search(r"(?<![a-z0-9])" + re.escape(c) + r"\s+(?:de\s+|d')?\d", folded)
            for c in self.words.minimum_cues)
        # "les deux demandent un bac+5 ?": a study level after a need verb is claimed required too
        needed = needed or (bool(re.search(r"(?<![a-z0-9])bac\s*\+\s*\d", folded))
                            and any(contains_phrase(needs, c) for c in self.words.need_verbs))
        units = "|".join(map(re.escape, self.words.duration_units)) or r"(?!x)x"
        needed = needed or (bool(re.search(r"(?<![a-z0-9])\d+\s*(?:" + units + r")(?![a-z])", folded))
                            and any(contains_phrase(needs, c) for c in self.words.need_verbs))
        return Claim(
            items=items,
            level=self.level(folded),
            period=self.period(folded),
            frequent=self.often(folded),
            required=needed or any(contains_phrase(folded, c) for c in self.words.required),
            numbers=self.numbers(folded),
            only=self.only(folded),
            only_mine=bool(_ONLY_MINE.search(folded)),
            sides=tuple((i, side) for i, pair in enumerate(self.words.opposites) for side in (0, 1)
                        if any(contains_phrase(folded, w) for w in pair[side])),
            needed=any(contains_phrase(needs, c) for c in self.words.need_verbs),
            extra=tuple(dict.fromkeys(fold(e) for e in extra if e)),
            written=self.terms_of(folded),
            excluded=excluded,
        )

    def covers(self, item_terms: Iterable[str], fact_text: str) -> bool:
        """Whether every term of an item is a term of the fact (exactly, as a prefix, or within a typo)."""
        fact_terms = self.terms_of(fact_text)
        return all(any(similarity(term, t) >= TYPO_SIMILARITY for t in fact_terms) for term in item_terms)

    def names_level_only(self, fact_text: str, kind_terms: Iterable[str] = ()) -> bool:
        """Whether a fact names a level of study, no particular diploma ("Niveau 6 Licence (bac + 3)"): its words
        are diploma kinds, level words and figures only — and, given `kind_terms`, it names that kind itself (a
        bac pro is not the "bac" of "bac + 2")."""
        general = self._level_general
        terms = self.terms_of(fact_text)
        named = self.terms_of(_STUDY_LEVEL.sub(" ", fold(fact_text)))
        return (bool(terms) and all(t.isdigit() or t in general for t in terms)
                and all(any(similarity(k, t) >= TYPO_SIMILARITY for t in named) for k in kind_terms))

    def fact_level(self, text: str, level: int | None) -> int | None:
        """The fact's own rating, else a level its words state ("Maîtrise de l'anglais" is 3)."""
        return level if level else self.level(fold(text))

    def exact(self, items: tuple[NamedItem, ...], fact_text: str, distinct: frozenset[str],
              claim_terms: tuple[str, ...] = ()) -> bool:
        """Whether the items name this fact itself, not a wider or neighbouring one: every word of the fact's title
        (before any parenthesis) is written, or one written word names this fact alone ("GEA", "STMG")."""
        written = {t for item in items for t in item.terms} | set(claim_terms)
        title = self.terms_of(fact_text.split("(")[0])
        if all(any(similarity(t, w) >= TYPO_SIMILARITY for w in written) for t in title):
            return True
        kinds = {t for item in items for t in item.kind_terms}
        return any(t in distinct and t not in kinds for t in self.terms_of(fact_text) if t in written)

    def verdict(self, claim: Claim, fact_text: str, fact_level: int | None = None, topic: str | None = None,
                listed: int = 1, distinct: frozenset[str] = frozenset()) -> str:
        """ENTAILED when `fact_text` says all `claim` asks; otherwise why not (one of the verdicts above).

        Args:
            claim: what the message asks.
            fact_text: the fact's text with its aliases.
            fact_level: the sheet's rating of the fact (skills), if any.
            topic: the fact's topic; an obligation is read of studies, careers and trainings (lists of options).
            listed: how many facts the sheet lists under that topic.
            distinct: terms only one fact of the topic uses (across jobs): writing one names that fact.
        """
        folded_fact = fold(fact_text)
        if (claim.required or claim.needed) and topic in self.words.required_topics and listed > 1:
            return NOT_REQUIRED
        items = claim.items
        words = set(_WORD.findall(folded_fact))
        for item in items:
            if not item.diploma and topic not in self.words.job_topics and not set(_WORD.findall(item.text)) <= words:
                # a job asked of a fact that lists no job: word for word ("contrôle" is not "contrôleur")
                return MISSING_ITEM
            if not self.covers(item.terms, fact_text):
                return MISSING_ITEM
        named = tuple(i for i in items if not (i.bare and i.plural))  # "des BTS ?": whether the sheet lists some
        if named and not self.exact(named, fact_text, distinct, claim.written):
            # "un BTS" is not "BTS Banque"; "master finance" is not "Master Gestion, spécialité finance"
            return KIND_ONLY
        if any(not self.covers(self.terms_of(extra), fact_text) for extra in claim.extra):
            return MISSING_ITEM
        if any(self.covers((term,), fact_text) for term in claim.excluded):
            return EXCLUDED
        fact_numbers = {*re.findall(r"\d+", folded_fact), *re.findall(r"\d+", folded_fact.replace(" ", ""))}
        if any(number not in fact_numbers for number in claim.numbers):
            return NUMBER_UNSAID
        if claim.level:
            level = self.fact_level(fact_text, fact_level)
            if level is None:
                return LEVEL_UNRATED
            if level < claim.level:
                return LEVEL_TOO_LOW
        if claim.period and self.period(folded_fact) != claim.period:  # "chaque semaine ?" of a daily reporting
            return FREQUENCY_UNSAID
        if claim.frequent:
            if any(contains_phrase(folded_fact, c) for c in self.words.rare_in_fact):
                return LESS_OFTEN
            if not any(contains_phrase(folded_fact, c) for c in self.words.frequent_in_fact):
                return FREQUENCY_UNSAID
        # "j'ai seulement un bac": mine, not the list's; "c'est uniquement le bac STMG qui est conseillé ?": the list's
        for pair, side in claim.sides:  # "la crise a fait baisser l'activité ?" of "des hausses d'activité"
            said, other = self.words.opposites[pair][side], self.words.opposites[pair][1 - side]
            if any(contains_phrase(folded_fact, w) for w in other) and not any(
                    contains_phrase(folded_fact, w) for w in said):
                return OPPOSITE
        if claim.only and listed > 1 and not (claim.only_mine and any(item.diploma for item in items)):
            return NOT_ONLY
        if claim.required and not claim.only and topic not in self.words.required_topics and not any(
                contains_phrase(folded_fact, c) for c in self.words.required_in_fact):
            # a skill, a mission listed is not said to be required
            return REQUIRED_UNSAID
        return ENTAILED
