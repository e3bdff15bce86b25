"""The words of precise questions (`knowledge/vocabulary.yml`): cues, filters, topic names, short forms."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from knowledge.loader import LINE_KEY, DataFileError, read_yaml
from knowledge.text import fold

FILTER_KINDS = ("skill_type", "skill_level", "study_level", "diploma_kind")


@dataclass(frozen=True)
class FilterValue:
    kind: str
    value: str
    label: str
    words: tuple[str, ...]
    match: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimWords:
    """The words of what a closed question claims (`claims:` in vocabulary.yml, read by knowledge/entailment.py)."""

    diploma_starts: tuple[str, ...] = ()
    job_starts: tuple[str, ...] = ()
    item_stops: frozenset[str] = frozenset()
    item_skips: frozenset[str] = frozenset()
    required: tuple[str, ...] = ()
    required_in_fact: tuple[str, ...] = ()  # how a fact says something is required ("indispensable")
    third_person_cues: tuple[str, ...] = ()  # "ma fille", "un élève": the message is about someone else
    teaching_cues: tuple[str, ...] = ()  # "professeur en BTS Banque": the writer's class, no diploma asked about
    doing_verbs: tuple[str, ...] = ()  # "c'est lui qui gère …": verbs any task is said with (no act of their own)
    # "bak": a diploma only followed by one of its words ("bak pro"), else the SMS "back"
    ambiguous_starts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    negations: tuple[str, ...] = ()  # "y a pas de stress ?": a question that expects "non"
    not_negations: tuple[str, ...] = ()  # "ou pas ?", "pas que", "j'ai pas": no negation of what is asked
    level_words: tuple[str, ...] = ()  # "niveau", "bac": a fact of these and diploma kinds names a level, no diploma
    levels: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # "chaque semaine", "par mois": how often, by period; a fact naming another period (or none) does not say it
    periods: dict[str, tuple[str, ...]] = field(default_factory=dict)
    frequent: tuple[str, ...] = ()
    rare_in_fact: tuple[str, ...] = ()
    wider_scopes: tuple[str, ...] = ()  # a heading's words of a wider scope ("famille"): its figures are not the job's
    # pairs of word lists that say the opposite of each other ("hausse" / "baisser")
    opposites: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    frequent_in_fact: tuple[str, ...] = ()
    excluding: tuple[str, ...] = ()
    need_verbs: tuple[str, ...] = ()
    impossible: tuple[str, ...] = ()
    specialty_words: tuple[str, ...] = ()  # "spé", "option": a specialty that may be written before its diploma
    series_starts: tuple[str, ...] = ()  # "STMG": a bac's series, written alone or after "bac"
    bac_specialties: tuple[str, ...] = ()  # "SES", "maths": the general bac's specialties ("bac général avec SES")
    minimum_cues: tuple[str, ...] = ()  # "au moins" (before a figure): an obligation
    duration_units: tuple[str, ...] = ()  # "ans", "mois": a duration asked after "il faut" is an obligation
    own_cues: tuple[str, ...] = ()  # "je suis en", "mon fils prépare": the diploma written next is the student's
    access_cues: tuple[str, ...] = ()  # "ça passe ?", "lui est accessible": the student's own path is asked
    only: tuple[str, ...] = ()  # "uniquement", "que de la saisie": one item of a list claimed to be all of it
    modalities: tuple[str, ...] = ()  # "en alternance": how a diploma is taken, not part of the diploma named
    sameness: tuple[str, ...] = ()  # "X c'est genre Y ?", "X c'est pareil que Y ?": no list says two things are one
    certainty: tuple[str, ...] = ()  # "c'est sûr ?", "toujours ?": a certainty no "peut"/"peuvent" fact gives
    possible_in_fact: tuple[str, ...] = ()  # "les équipes peuvent être réparties": a possibility, not a certainty
    possibility_asked: tuple[str, ...] = ()  # "il peut aller sur les marchés ?": what "peut être amené à" says
    option_topics: tuple[str, ...] = ("studies", "careers", "trainings")
    required_topics: tuple[str, ...] = ("studies", "careers", "trainings", "figures")
    job_topics: tuple[str, ...] = ("careers", "interlocutors")


@dataclass(frozen=True)
class Vocabulary:
    stopwords: frozenset[str]
    generic_words: frozenset[str]
    topic_names: dict[str, tuple[str, ...]]
    yes_no_cues: tuple[str, ...]
    wh_words: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    filter_topics: dict[str, str]
    filter_names: dict[str, str]  # kind -> how the answer names it ("type", "niveau")
    filters: tuple[FilterValue, ...]
    abbreviations: dict[str, str]
    career_from: tuple[str, ...] = ()
    career_to: tuple[str, ...] = ()
    present_state_cues: tuple[str, ...] = ()  # "je suis": where the student is now, not a direction asked
    become_verbs: tuple[str, ...] = ()
    number_words: dict[int, str] | None = None
    claims: ClaimWords = field(default_factory=ClaimWords)
    # a noun and the verb of one action the stemmer cannot join ("achat"/"acheter", "gestion"/"gérer"): the sheet's
    # word said otherwise, which may carry a "oui" (a word of the same family that means something else does not)
    same_meaning: tuple[tuple[str, ...], ...] = ()
    count_cues: tuple[str, ...] = ()
    duration_cues: tuple[str, ...] = ()  # "en combien de temps ?": a duration asked, not a number of items
    ranking_cues: tuple[str, ...] = ()
    better_cues: tuple[str, ...] = ()  # "c'est quoi le mieux, le BTS ou le BUT ?": a ranking of a list's items
    mention_cues: tuple[str, ...] = ()  # "c'est dans la fiche ?", "la fiche parle de … ?": whether words are in it
    importance_cues: tuple[str, ...] = ()  # "laquelle est la plus importante ?": importance, which no sheet rates
    both_cues: tuple[str, ...] = ()
    move_cues: tuple[str, ...] = ()
    comparison_words: frozenset[str] = frozenset()
    topic_hints: dict[str, tuple[str, ...]] = field(default_factory=dict)  # words pointing to a topic (not names)
    term_question_words: frozenset[str] = frozenset()  # "vu", "contexte": words of a question about a word
    other_job_words: tuple[str, ...] = ()
    first_job_words: tuple[str, ...] = ()  # "le premier": the job named first in the conversation
    second_job_words: tuple[str, ...] = ()  # "le deuxième": the job named second
    indirect_yes_no: tuple[str, ...] = ()
    same_filter_cues: tuple[str, ...] = ()
    same_subject_cues: tuple[str, ...] = ()
    filler_phrases: tuple[str, ...] = ()  # "ça marche ?": words of the question, never a fact's ("marchés")
    # a word of the sheets -> the phrases students write for it ("impayé": "le client paie pas"), read as that word
    said_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # words right before which a `said_for` phrase means what it says ("ça paie pas bien": the job's pay)
    said_for_not_after: tuple[str, ...] = ()
    complete_cues: tuple[str, ...] = ()  # "c'est une liste complète ?" right after a list
    open_list_words: tuple[str, ...] = ()  # "(liste non exhaustive)": a heading or fact calling its list open
    that_cues: tuple[str, ...] = ()  # "c'est quoi ça ?" right after an answer: a word of that answer
    why_cues: tuple[str, ...] = ()  # "pourquoi ?" right after an answer: a question about that answer
    opinion_cues: tuple[str, ...] = ()  # "selon vous, est-ce adapté… ?": an opinion asked, none given
    suits_cues: tuple[str, ...] = ()  # "c'est fait pour moi ?": whether the job suits someone (an opinion too)
    guarantee_cues: tuple[str, ...] = ()  # "ce BTS lui garantirait-il un poste ?": an outcome no sheet promises
    example_cues: tuple[str, ...] = ()  # "un exemple concret ?": an example asked, which the sheets never give
    acknowledgements: tuple[str, ...] = ()  # "ok", "d'accord", "thx": a message of these alone asks nothing
    challenge_cues: tuple[str, ...] = ()  # "c'est faux", "pourtant …": the answer just given is contradicted
    sheet_says_cues: tuple[str, ...] = ()  # "que dit la fiche au sujet de …": what the sheet says of a thing
    same_question_cues: tuple[str, ...] = ()  # "et le middle il fait ça aussi ?": the last question, other job
    reverse_cues: tuple[str, ...] = ()  # "et l'inverse ?": the move just asked, the other way round
    more_cues: tuple[str, ...] = ()  # "quoi d'autre ?": the rest of the topic just answered
    job_name_ends: tuple[str, ...] = ()  # "bac OFIS": a filter word followed by one of these is a job's name
    silent_subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a precise value asked ("à quelle heure ?") -> (its cues, how a fact would state it: "#" is a number)
    precise_values: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    # shapes of the messages analysed with this vocabulary (knowledge/question.py): one message is read by several
    # rules of one turn, each asking the same question of it
    shapes: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @cached_property
    def said_for_word(self) -> dict[str, str]:
        """Each phrase of `said_for` -> the word of the sheets it stands for (built once per vocabulary)."""
        return {phrase: word for word, phrases in self.said_for.items() for phrase in phrases}

    @cached_property
    def said_for_pattern(self) -> re.Pattern | None:
        """All the phrases of `said_for`, longest first, as whole words (built once per vocabulary)."""
        phrases = sorted(self.said_for_word, key=len, reverse=True)
        return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, phrases)) + r")(?![a-z0-9])") \
            if phrases else None

    def teaches_before(self, folded_before: str) -> bool:
        """Whether a folded text ends with the writer's teaching role ("… professeur en "): what follows is the class
        they teach, not a diploma asked about."""
        return teaches_before(self.claims.teaching_cues, folded_before)

    def asks_count(self, folded: str) -> bool:
        """Whether a folded message asks how many ("combien de compétences ?"), not how long ("en combien de
        temps ?")."""
        return ((any(contains_phrase(folded, cue) for cue in self.count_cues) or bool(_HOW_MANY_ELIDED.search(folded)))
                and not any(contains_phrase(folded, cue) for cue in self.duration_cues))

    def precise_value_asked(self, folded: str) -> str | None:
        """The label of a precise value a folded message asks ("à quelle heure" -> "heures précises"), or None."""
        return next((label for label, (asks, _) in self.precise_values.items()
                     if any(contains_phrase(folded, cue) for cue in asks)), None)

    def states_value(self, label: str, folded_fact: str) -> bool:
        """Whether a folded fact states the value `label` names ("9h", "15 %"): "#" in `said_by` is a number."""
        _, said_by = self.precise_values.get(label, ((), ()))
        return any(re.search(r"(?<![a-z0-9])" + re.escape(form).replace("\\#", r"\d+") + r"(?![a-z0-9])", folded_fact)
                   for form in said_by)

    def filter_value(self, kind: str, raw: str | None) -> FilterValue | None:
        """The filter value an entity's text means ("comportementaux" -> comportementale), or None."""
        key = fold(str(raw or "")).strip(" ?!.,")
        for item in self.filters:
            if item.kind == kind and (key == fold(item.value) or key in item.words):
                return item
        return None


@lru_cache(maxsize=8)
def _teaching_pattern(cues: tuple[str, ...]) -> re.Pattern:
    # a cue, then at most four words and no punctuation ("professeur principal en", "enseignante d'anglais en")
    alternatives = "|".join(map(re.escape, sorted(cues, key=len, reverse=True)))
    return re.compile(r"(?<![a-z0-9'])(?:" + alternatives + r")(?:\s+[a-z0-9']+){0,4}\s*$")


def teaches_before(cues: tuple[str, ...], folded_before: str) -> bool:
    """Whether a folded text ends with a teaching role ("… professeur en "): what follows is the class the writer
    teaches, not a diploma asked about."""
    return bool(cues) and bool(_teaching_pattern(cues).search(folded_before[-60:]))


@lru_cache(maxsize=16384)
def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])")


# "combien d'activités ?": a cue ending on an apostrophe is followed by its word at once (whole-word matching of
# "combien d'" never sees it)
# "combien d'évolutions", and "combien il y a de …", "combien y a-t-il d'…", "cb ya de …" (the verb between)
_HOW_MANY_ELIDED = re.compile(r"(?<![a-z0-9])(?:combien|cb|kombien|nombre)\s+(?:(?:il\s+)?y\s*a(?:\s*-?\s*t\s*-?\s*il)?"
                              r"\s+(?:de\s+|d'|des\s+)|d(?:'|\s)(?=[a-z]))")


def said_plainly(folded_text: str, vocabulary: Vocabulary) -> str:
    """A folded message with the phrases students write for a word of the sheets replaced by that word ("si le client
    paie pas" -> "si le client impaye": the verb is no salary, "la paie"). Longest phrase first."""
    pattern = vocabulary.said_for_pattern
    if pattern is None:
        return folded_text
    words, subjects = vocabulary.said_for_word, vocabulary.said_for_not_after

    def plain(match: re.Match) -> str:
        before = folded_text[:match.start()].rstrip()
        if any(before == s or before.endswith(f" {s}") for s in subjects):
            return match.group(0)
        return words[match.group(0)]

    return pattern.sub(plain, folded_text)


def contains_phrase(folded_text: str, phrase: str) -> re.Match | None:
    """Where `phrase` occurs in `folded_text` as whole words (both already folded).

    The patterns are compiled once each: the vocabulary holds more phrases than `re`'s own cache of 512, which
    then compiled them again on every message (~15 ms a message). Most phrases are not in the text at all: a
    plain substring test says so first, without the pattern."""
    if phrase not in folded_text:
        return None
    return _phrase_pattern(phrase).search(folded_text)


def _folded_list(path: Path, raw, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, (str, int)) for x in raw):
        raise DataFileError(path, None, f"{where} must be a list of words")
    if any(isinstance(x, bool) for x in raw):  # YAML reads bare on/off/yes/no/y/n as booleans
        raise DataFileError(path, None,
                            f"{where}: quote the words on, off, yes, no, y, n (YAML reads them as true/false)")
    return tuple(dict.fromkeys(fold(str(x)) for x in raw))


def _precise_values(path: Path, raw) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """`precise_values:` label -> {asks: [...], said_by: [...]}, each a list of words."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataFileError(path, None, "precise_values must map a label to {asks: [...], said_by: [...]}")
    values = {}
    for label, entry in raw.items():
        if label == LINE_KEY:
            continue
        if not isinstance(entry, dict) or not entry.get("asks") or not entry.get("said_by"):
            raise DataFileError(path, None, f"precise_values/{label} needs 'asks' and 'said_by' lists")
        values[str(label)] = (_folded_list(path, entry["asks"], f"precise_values/{label}/asks"),
                              _folded_list(path, entry["said_by"], f"precise_values/{label}/said_by"))
    return values


def _word_groups(path: Path, raw, where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list) or not all(isinstance(group, list) and len(group) >= 2 for group in raw):
        raise DataFileError(path, None, f"{where} must be a list of word lists (two words or more each)")
    return tuple(_folded_list(path, group, where) for group in raw)


def _claim_words(path: Path, raw) -> ClaimWords:
    if raw is None:
        return ClaimWords()
    if not isinstance(raw, dict):
        raise DataFileError(path, None, "claims must be a mapping (diploma_starts, item_stops, levels...)")
    lists = {name: _folded_list(path, raw.get(name) or [], f"claims/{name}")
             for name in ("diploma_starts", "job_starts", "item_stops", "item_skips", "required", "frequent",
                          "rare_in_fact", "frequent_in_fact", "excluding", "impossible", "need_verbs",
                          "specialty_words", "own_cues", "access_cues", "series_starts", "minimum_cues",
                          "duration_units", "only", "certainty", "possible_in_fact", "possibility_asked", "sameness",
                          "modalities",
                          "required_in_fact", "third_person_cues", "level_words", "negations",
                          "not_negations", "wider_scopes", "teaching_cues", "doing_verbs", "bac_specialties")}
    levels_raw = raw.get("levels") or {}
    if not isinstance(levels_raw, dict):
        raise DataFileError(path, None, "claims/levels must map a level (1-4) to its words")
    levels = {int(k): _folded_list(path, v, f"claims/levels/{k}") for k, v in levels_raw.items() if k != LINE_KEY}
    periods_raw = raw.get("periods") or {}
    if not isinstance(periods_raw, dict):
        raise DataFileError(path, None, "claims/periods must map a period (day, week…) to its words")
    periods = {str(k): _folded_list(path, v, f"claims/periods/{k}") for k, v in periods_raw.items() if k != LINE_KEY}
    ambiguous_raw = raw.get("ambiguous_starts") or {}
    if not isinstance(ambiguous_raw, dict):
        raise DataFileError(path, None, "claims/ambiguous_starts must map a start to the words that make it a diploma")
    ambiguous = {fold(str(k)): _folded_list(path, v, f"claims/ambiguous_starts/{k}")
                 for k, v in ambiguous_raw.items() if k != LINE_KEY}
    opposites_raw = raw.get("opposites") or []
    if not isinstance(opposites_raw, list) or not all(isinstance(p, list) and len(p) == 2 for p in opposites_raw):
        raise DataFileError(path, None, "claims/opposites must be a list of pairs of word lists")
    opposites = tuple((_folded_list(path, a, "claims/opposites"), _folded_list(path, b, "claims/opposites"))
                      for a, b in opposites_raw)
    return ClaimWords(
        opposites=opposites,
        diploma_starts=lists["diploma_starts"], job_starts=lists["job_starts"],
        item_stops=frozenset(lists["item_stops"]), item_skips=frozenset(lists["item_skips"]),
        required=lists["required"], levels=levels, periods=periods, frequent=lists["frequent"],
        rare_in_fact=lists["rare_in_fact"], frequent_in_fact=lists["frequent_in_fact"],
        wider_scopes=lists["wider_scopes"],
        excluding=lists["excluding"], impossible=lists["impossible"], need_verbs=lists["need_verbs"],
        specialty_words=lists["specialty_words"], own_cues=lists["own_cues"], series_starts=lists["series_starts"],
        bac_specialties=lists["bac_specialties"],
        minimum_cues=lists["minimum_cues"], duration_units=lists["duration_units"], access_cues=lists["access_cues"],
        only=lists["only"], certainty=lists["certainty"], sameness=lists["sameness"], modalities=lists["modalities"],
        possible_in_fact=lists["possible_in_fact"], required_in_fact=lists["required_in_fact"],
        possibility_asked=lists["possibility_asked"],
        third_person_cues=lists["third_person_cues"], level_words=lists["level_words"],
        teaching_cues=lists["teaching_cues"], doing_verbs=lists["doing_verbs"],
        negations=lists["negations"], not_negations=lists["not_negations"],
        ambiguous_starts=ambiguous,
        option_topics=_folded_list(path, raw.get("option_topics") or [], "claims/option_topics"),
        required_topics=_folded_list(path, raw.get("required_topics") or [], "claims/required_topics"),
        job_topics=_folded_list(path, raw.get("job_topics") or [], "claims/job_topics"),
    )


def load_vocabulary(path: Path) -> Vocabulary:
    """Load and fold the vocabulary file; errors name the file."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path, 1, "expected a mapping (stopwords, generic_words, topic_names, filters...)")
    filters: list[FilterValue] = []
    filter_topics: dict[str, str] = {}
    filter_names: dict[str, str] = {}
    for kind, spec in (data.get("filters") or {}).items():
        if kind == LINE_KEY:
            continue
        if (kind not in FILTER_KINDS or not isinstance(spec, dict) or not isinstance(spec.get("topic"), str)
                or not isinstance(spec.get("values"), dict)):
            raise DataFileError(path, None,
                                f"filter {kind!r}: expected one of {FILTER_KINDS} with `topic` and `values`")
        filter_topics[kind] = spec["topic"]
        filter_names[kind] = spec.get("name") or kind
        for value, item in spec["values"].items():
            if value == LINE_KEY:
                continue
            if not isinstance(item, dict) or not item.get("label"):
                raise DataFileError(path, None, f"filter {kind}/{value}: needs `label` and `words`")
            words = _folded_list(path, item.get("words") or [], f"filter {kind}/{value} words")
            match = _folded_list(path, item.get("match") or [], f"filter {kind}/{value} match")
            filters.append(FilterValue(kind, str(value), item["label"], words, match))
    topic_names = {t: _folded_list(path, w, f"topic_names/{t}")
                   for t, w in (data.get("topic_names") or {}).items() if t != LINE_KEY}
    attributes = {a: _folded_list(path, w, f"attributes/{a}")
                  for a, w in (data.get("attributes") or {}).items() if a != LINE_KEY}
    abbreviations = {fold(k): fold(str(v)) for k, v in (data.get("abbreviations") or {}).items() if k != LINE_KEY}
    return Vocabulary(
        stopwords=frozenset(_folded_list(path, data.get("stopwords") or [], "stopwords")),
        generic_words=frozenset(_folded_list(path, data.get("generic_words") or [], "generic_words")),
        topic_names=topic_names,
        yes_no_cues=_folded_list(path, data.get("yes_no_cues") or [], "yes_no_cues"),
        wh_words=_folded_list(path, data.get("wh_words") or [], "wh_words"),
        attributes=attributes,
        filter_topics=filter_topics,
        filter_names=filter_names,
        filters=tuple(filters),
        abbreviations=abbreviations,
        career_from=_folded_list(path, data.get("career_from") or [], "career_from"),
        career_to=_folded_list(path, data.get("career_to") or [], "career_to"),
        present_state_cues=_folded_list(path, data.get("present_state_cues") or [], "present_state_cues"),
        become_verbs=_folded_list(path, data.get("become_verbs") or [], "become_verbs"),
        number_words={int(k): str(v) for k, v in (data.get("number_words") or {}).items() if k != LINE_KEY},
        claims=_claim_words(path, data.get("claims")),
        same_meaning=_word_groups(path, data.get("same_meaning") or [], "same_meaning"),
        count_cues=_folded_list(path, data.get("count_cues") or [], "count_cues"),
        duration_cues=_folded_list(path, data.get("duration_cues") or [], "duration_cues"),
        ranking_cues=_folded_list(path, data.get("ranking_cues") or [], "ranking_cues"),
        better_cues=_folded_list(path, data.get("better_cues") or [], "better_cues"),
        importance_cues=_folded_list(path, data.get("importance_cues") or [], "importance_cues"),
        mention_cues=_folded_list(path, data.get("mention_cues") or [], "mention_cues"),
        both_cues=_folded_list(path, data.get("both_cues") or [], "both_cues"),
        move_cues=_folded_list(path, data.get("move_cues") or [], "move_cues"),
        silent_subjects={label: _folded_list(path, words, f"silent_subjects/{label}")
                         for label, words in (data.get("silent_subjects") or {}).items() if label != LINE_KEY},
        precise_values=_precise_values(path, data.get("precise_values")),
        other_job_words=_folded_list(path, data.get("other_job_words") or [], "other_job_words"),
        first_job_words=_folded_list(path, data.get("first_job_words") or [], "first_job_words"),
        second_job_words=_folded_list(path, data.get("second_job_words") or [], "second_job_words"),
        same_filter_cues=_folded_list(path, data.get("same_filter_cues") or [], "same_filter_cues"),
        indirect_yes_no=_folded_list(path, data.get("indirect_yes_no") or [], "indirect_yes_no"),
        same_subject_cues=_folded_list(path, data.get("same_subject_cues") or [], "same_subject_cues"),
        why_cues=_folded_list(path, data.get("why_cues") or [], "why_cues"),
        that_cues=_folded_list(path, data.get("that_cues") or [], "that_cues"),
        complete_cues=_folded_list(path, data.get("complete_cues") or [], "complete_cues"),
        open_list_words=_folded_list(path, data.get("open_list_words") or [], "open_list_words"),
        opinion_cues=_folded_list(path, data.get("opinion_cues") or [], "opinion_cues"),
        suits_cues=_folded_list(path, data.get("suits_cues") or [], "suits_cues"),
        guarantee_cues=_folded_list(path, data.get("guarantee_cues") or [], "guarantee_cues"),
        example_cues=_folded_list(path, data.get("example_cues") or [], "example_cues"),
        acknowledgements=_folded_list(path, data.get("acknowledgements") or [], "acknowledgements"),
        challenge_cues=_folded_list(path, data.get("challenge_cues") or [], "challenge_cues"),
        sheet_says_cues=_folded_list(path, data.get("sheet_says_cues") or [], "sheet_says_cues"),
        filler_phrases=_folded_list(path, data.get("filler_phrases") or [], "filler_phrases"),
        said_for={fold(str(word)): _folded_list(path, phrases, f"said_for/{word}")
                  for word, phrases in (data.get("said_for") or {}).items() if word != LINE_KEY},
        said_for_not_after=_folded_list(path, data.get("said_for_not_after") or [], "said_for_not_after"),
        same_question_cues=_folded_list(path, data.get("same_question_cues") or [], "same_question_cues"),
        reverse_cues=_folded_list(path, data.get("reverse_cues") or [], "reverse_cues"),
        more_cues=_folded_list(path, data.get("more_cues") or [], "more_cues"),
        job_name_ends=_folded_list(path, data.get("job_name_ends") or [], "job_name_ends"),
        comparison_words=frozenset(_folded_list(path, data.get("comparison_words") or [], "comparison_words")),
        topic_hints={t: _folded_list(path, w, f"topic_hints/{t}")
                     for t, w in (data.get("topic_hints") or {}).items() if t != LINE_KEY},
        term_question_words=frozenset(_folded_list(path, data.get("term_question_words") or [], "term_question_words")),
    )
