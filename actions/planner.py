"""The answer planner: from the intent's topic and the message's words, what exactly to answer.

Plain Python over `knowledge.queries` (no Rasa here): the action turns each `Part` into a `domain.yml`
response. The intent picks a section of the sheet; the planner narrows it to what the student asked —
one fact, a yes or a no, a filtered subset, or several topics — and otherwise answers the whole topic.
Rules that keep it honest: "oui" only with a fact of the asked job's sheet that matches the message;
never "the sheet is silent" while a fact of that sheet matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from actions.context import whom_one_works_with
from knowledge import entailment, queries
from knowledge.entailment import Claim
from knowledge.matching import TYPO_SIMILARITY, similarity
from knowledge.queries import FactItem, FoundFact, JobInfo
from knowledge.question import LEVEL_FILTER, OPEN, STATEMENT, YES_NO, QuestionShape, analyse, both_directions
from knowledge.sentences import SIGN_OFF_WORDS
from knowledge.text import as_written, fold
from knowledge.vocabulary import FilterValue, contains_phrase

STRONG = 0.5  # a fact matching at least half of the message's (rarity-weighted) content words
PARTIAL = 0.3  # a fact matching part of it: shown as what the sheet says, never as a "oui"
# the asked sheet's fact matching this much of a closed question another sheet says in full: shown (without a "oui"),
# not "la fiche ne le cite pas" ("Maîtrise de l'anglais" for "il utilise l'anglais ?"; not one common word, "clients")
NEAR_OWN = 0.4
# to answer from another topic than the intent's, the match must rest on a rare word (a word in 3 facts
# of ~100 weighs ~3.6; "finance", in many, ~2.6), not on a common one
ROUTING_WEIGHT = 3.0
OWN_SUBJECT = 0.8  # a question matching a fact this much is about that fact, not the items its context names
PARTIAL_SUBJECT = 0.5  # ... or this much with two words or more ("suit les dossiers de succession")
ROUTE_MARGIN = 0.6  # leave the intent's topic only for a match far better than its own best one
SAYS_WHAT_IT_DOES = ("definition", "missions")  # two sections that often say one thing alike
FOLLOW_UP_WORDS = 7  # a follow-up this short that names nothing is about the answer just given
CLOSE_TO_BEST = 0.85  # other facts shown beside the best one when they match almost as well
MAX_FACTS = 3
STUDY_LEVEL_FILTER = "study_level"  # "bac+5": a level, which a sheet may list in other words (a master)
BARE_FILTER_WORDS = 4  # "au niveau expert ?", "en expertise ?": a filter alone, asked of the fact just answered
LONG_LIST = 8  # a topic longer than this is shown by its heading when a whole list is the answer
CROSS_TOPIC_YES = 0.8  # a "oui" from another section than the asked one needs this share of the question matched
DEFINITION_TOPIC = "definition"  # what the job is: only its own section says "oui" to "c'est de la vente ?"
# Words after which the next one names a thing (an object, a person): "le reporting pour LES CLIENTS", "calcule
# LES SALAIRES". A "oui" must say each such thing; a verb the fact words otherwise ("il s'occupe de") need not.
# "et pour les clients aussi ?": a complement added to the closed question before (its verb and object carry over);
# "et les successions ?" replaces the object instead
_ADDS_COMPLEMENT = re.compile(r"^(?:ok |mais |alors )?et\s+(?:pour|avec|a|au|aux|chez|aupres|vers|sur)\b")
# the words a thing named follows ("du conseil EN patrimoine": the field of the thing, a thing of its own)
_BEFORE_A_NOUN = frozenset({"le", "la", "les", "l'", "des", "du", "de", "d'", "pour", "avec", "aux", "au", "un", "une",
                            "en"})
SOURCE_TOPIC = "source"
MAX_TOPICS = 3
JOB_MARKER = " jobname "  # where a job's name was: it ends a named item ("un bac pro POUR le back office")

# Kinds of answer parts (each has its response in domain.yml, see actions/answer_topic.py)
TOPIC = "topic"  # the whole topic, as before the planner
YES = "yes"  # a fact of the asked job's sheet says so
YES_TO_NEGATIVE = "yes_to_negative"  # "y a pas de stress ?" and a fact says there is: "si"
NO_OTHER_JOB = "no_other_job"  # only another job's sheet says so
SILENT_OTHER_JOB = "silent_other_job"  # the asked sheet has no such section; another job's sheet says it
ELSEWHERE_ONLY = "elsewhere_only"  # an open question ("il fait quoi avec les titres ?") only another sheet answers
NOT_IN_SHEET = "not_in_sheet"  # no sheet says so: the honest gap and what the sheet does say
OTHER_DIRECTION = "other_direction"  # a career move the sheet gives the other way round
FACTS = "facts"  # the few facts the question is about
FILTERED = "filtered"  # the facts passing the filters, with a count
FILTER_NONE = "filter_none"  # no fact passes the filters
FILTER_UNRATED = "filter_unrated"  # the sheet does not rate/classify what the filter reads
# Closed questions a fact does not entail (knowledge/entailment.py): never a "oui"
NOT_LISTED = "not_listed"  # the item named is not in the sheet's list: "non", and the list it gives
KIND_LISTED = "kind_listed"  # "un BTS": the sheet lists one precise diploma of that kind, not any
LEVEL_NAMED = "level_named"  # "une licence éco": the sheet names that level of study, no particular diploma of it
NOT_REQUIRED = "not_required"  # an obligation asked where the sheet lists several options
LEVEL_LOWER = "level_lower"  # the sheet expects a lower level than asked
LESS_OFTEN = "less_often"  # the sheet says "éventuellement", "peu fréquents"
UNQUALIFIED = "unqualified"  # the sheet says the fact, not the level or frequency asked
COUNT = "count"  # "combien de compétences ?": the number first, then the list
NOT_OF_KIND = "not_of_kind"  # "c'est une compétence technique ?" of a fact the sheet classes otherwise
NOT_ONLY = "not_only"  # "il travaille uniquement avec les clients ?": that fact, and the rest of its list
AFTER_POINT = "after_point"  # "quelles études après le bac ?": the studies that follow it, its own list left out
NOT_CITED = "not_cited"  # answering both jobs: this sheet does not say it (the other's answer follows)
NO_IMPORTANCE = "no_importance"  # "laquelle est la plus importante ?" of a list: no sheet rates importance
NOT_RANKED = "not_ranked"  # "le mieux, le BTS ou le BUT ?": the items the sheet lists, which it never ranks
SIDES_NOTE = "sides_note"  # "c'est plus technique ou relationnel ?": the sheet weighs neither; what it says of each
NEXT_STEP = "next_step"  # after the student's own diploma found under one heading: the heading that follows it
RANK_NOTE = "rank_note"  # "le diplôme le plus adapté ?" of diplomas told: no ranking, then what it says of each
VALUE_UNSAID = "value_unsaid"  # "il commence à quelle heure ?": the sheet gives no such value; what it says instead
ATTRIBUTE_NONE = "attribute_none"  # "des numéros RNCP ?" of a list none of whose items carries one
NOT_COUNTED = ("figures", "salary")  # "combien de postes", "combien on gagne" ask a figure, not a count of a list


@dataclass(frozen=True)
class Part:
    kind: str
    job: JobInfo
    topic: str
    facts: tuple[FactItem, ...] = ()
    other: FoundFact | None = None
    filters: tuple[FilterValue, ...] = ()
    total: int = 0
    attribute: str | None = None
    item: str = ""  # the item the student named, when the sheet does not list it


@dataclass
class Plan:
    parts: list[Part] = field(default_factory=list)
    ask_job: bool = False  # no job named, none in context, and no fact decides it
    precise: bool = False  # worth remembering the question for "et pour le back-office ?"
    question: str = ""  # the question as understood (with the previous one for a bare attribute)

    @property
    def topic(self) -> str | None:
        return self.parts[0].topic if self.parts else None

    @property
    def job(self) -> JobInfo | None:
        return self.parts[0].job if self.parts else None


def _strong(found: list[FoundFact], job_ids: set[str]) -> list[FoundFact]:
    return [f for f in found if f.job.id in job_ids and f.coverage >= STRONG]


def _by_heading(found: FoundFact) -> bool:
    """Whether a fact matches the message only through words of its heading."""
    group = found.fact.group
    return group is not None and group != "" and set(found.matched) <= set(queries.content_terms(group))


def _best_group(found: list[FoundFact], topic: str | None) -> list[FoundFact]:
    """The best match and those close to it, preferring the asked topic on a tie, at most MAX_FACTS."""
    if not found:
        return []
    best = max(found, key=lambda f: (f.coverage, f.topic == topic))
    in_topic = [f for f in found if f.topic == topic]
    if in_topic and best.topic != topic and in_topic[0].coverage >= max(STRONG, best.coverage * ROUTE_MARGIN):
        best = in_topic[0]  # another section is only a little better: the asked topic wins
    options = queries.claim_reader().words.option_topics
    if topic not in options and best.topic in options:
        # "il fait des trucs sur les marchés financiers ?": a diploma's title is only a little better than what
        # the job does — what it does wins
        doing = [f for f in found if f.topic not in options and f.job == best.job]
        if doing and doing[0].coverage >= best.coverage * ROUTE_MARGIN:
            best = doing[0]
    close = [f for f in found if f.coverage >= best.coverage * CLOSE_TO_BEST and f.job == best.job]
    close.sort(key=lambda f: (-f.coverage, f.topic != best.topic))
    same_topic = [f for f in close if f.topic == best.topic]
    if _by_heading(best):
        # the best fact matches no more than its heading does ("combien d'années d'expérience"): the whole
        # heading, and every other heading of the topic that matches as well
        headings = {f.fact.group for f in close if f.topic == best.topic and _by_heading(f)}
        order = queries.topic_answer(best.job.id, best.topic).facts
        chosen = [f for f in found if f.job == best.job and f.topic == best.topic and f.fact.group in headings]
        return sorted(chosen, key=lambda f: order.index(f.fact))
    order = queries.topic_answer(best.job.id, best.topic).facts
    if len(same_topic) == len(order) > MAX_FACTS:
        # every fact of the topic matches alike ("des formations sur la réglementation ?"): all of them, in order
        return sorted(same_topic, key=lambda f: order.index(f.fact))
    if len({f.fact.group for f in same_topic}) == 1 and len({f.coverage for f in same_topic}) == 1 and best.fact.group:
        # every fact of one heading matches alike ("les formations générales"): the whole heading is the answer
        return same_topic
    # "il contrôle quoi ?": a list whose heading says it ("Contrôler les risques opérationnels") is the answer, whole
    headed = [f for f in found if f.job == best.job and f.topic == best.topic and f not in same_topic
              and _by_heading(f) and set(best.matched) <= set(f.matched)]
    if headed and len({f.fact.group for f in headed}) == 1:
        return sorted(headed, key=lambda f: order.index(f.fact))
    return same_topic[:MAX_FACTS]


# "je suis conseillère principale d'éducation", "en tant que conseiller d'orientation": who writes, not whose path
_WRITER_ROLE = re.compile(r"(?:\bje suis|\bje me presente\s*:?|\ben tant que|\bje travaille comme)\s+"
                          r"(?:(?:un|une|le|la|l')\s*)?$")


# a sign-off, then no question: what follows is the writer's signature ("Cordialement, M. Benali, conseiller au CIO")
_SIGNED = re.compile(r"\b" + SIGN_OFF_WORDS + r"\b[^?]*$")


# "Bonjour, conseillère dans un CIO, j'accompagne…": a job written first, as the writer's signature
_OPENING_ROLE = re.compile(r"^[\s.,;:!]*(?:(?:bonjour|bonsoir|hello|salut|madame|monsieur|mesdames)[\s,;:!.]*)*"
                           r"(?:(?:moi|je suis|en tant que)\s+)?(?:(?:un|une|le|la|l')\s*)?$")


def _writers_role(item: entailment.NamedItem, said: str) -> bool:
    """A job the writer says is theirs while the message is about someone else ("je suis conseillère principale
    d'éducation … une mère d'élève m'a demandé…"): no item of the claim."""
    if item.at < 0:
        return False
    if _SIGNED.search(said[:item.at]):  # "… Cordialement, M. Benali, conseiller au CIO": the writer's signature
        return True
    if item.diploma:  # "professeur en BTS Banque, …": the class the writer teaches
        return queries.vocabulary().teaches_before(said[:item.at])
    words = queries.claim_reader().words
    about_someone = any(contains_phrase(said, cue) for cue in words.third_person_cues)
    return about_someone and bool(_WRITER_ROLE.search(said[max(0, item.at - 30):item.at])
                                  or _OPENING_ROLE.match(said[:item.at]))


def claims_of_last(text: str) -> bool:
    """"mais c'est obligatoire ou pas ?", "toujours ?", "c'est sûr ?": a short closed question that names nothing
    and only claims something (an obligation, a frequency, a level, a certainty) of the answer just given."""
    folded = fold(text)
    if len(folded.split()) > FOLLOW_UP_WORDS or queries.content_terms(text):
        return False
    words = queries.claim_reader().words
    claim = queries.claim_reader().read(folded)
    return bool(claim.required or claim.frequent or claim.level or claim.only
                or any(contains_phrase(folded, cue) for cue in words.certainty))


def _said_alike_elsewhere(own: list[FoundFact], group: list[FoundFact]) -> list[FoundFact]:
    """The facts of the section that restates the one answering (the definition for the missions, and back) that
    match as well as the best: an open question is answered by both ("le back office il contrôle quoi ?")."""
    best = group[0]
    if best.topic not in SAYS_WHAT_IT_DOES:
        return []
    shown = {f.fact for f in group}
    return [f for f in own if f.topic in SAYS_WHAT_IT_DOES and f.topic != best.topic and f.fact not in shown
            and f.job == best.job and f.coverage >= best.coverage * CLOSE_TO_BEST][:MAX_FACTS]


def _passes(found: FoundFact, shape: QuestionShape) -> bool:
    """Whether a fact passes the question's filters of its topic ("bac général, quelles spécialités ?": a master's
    "spécialité finance" is no bac)."""
    filters = _filters_for(shape, found.topic)
    return not filters or found.fact in (queries.filtered_facts(found.job.id, found.topic, filters) or ())


def _filters_for(shape: QuestionShape, topic: str) -> tuple[FilterValue, ...]:
    vocabulary = queries.vocabulary()
    return tuple(f for f in shape.filters if vocabulary.filter_topics.get(f.kind) == topic)


def _filter_part(job: JobInfo, topic: str, filters: tuple[FilterValue, ...], form: str) -> Part:
    everything = queries.topic_answer(job.id, topic).facts
    kept = queries.filtered_facts(job.id, topic, filters)
    if kept is None:
        return Part(FILTER_UNRATED, job, topic, everything, filters=filters, total=len(everything))
    if not kept:
        return Part(FILTER_NONE, job, topic, everything, filters=filters, total=len(everything))
    kind = YES if form == YES_NO else FILTERED
    return Part(kind, job, topic, kept, filters=filters, total=len(everything))


def _topic_parts(job: JobInfo, topics: list[str], shape: QuestionShape, claim: Claim) -> list[Part]:
    parts = []
    # "oui" for a filter only when the filter is all the message asks ("y a des masters ?") or a named diploma,
    # which the gate then checks; with other words ("la maîtrise des produits bancaires ?") the filtered list is
    # shown, without a "oui"
    form = shape.form if claim.items or not queries.content_terms(shape.content) else STATEMENT
    for topic in topics:
        filters = _filters_for(shape, topic)
        parts.append(_filter_part(job, topic, filters, form) if filters else Part(TOPIC, job, topic))
    return parts


def goes_beyond_topic(text: str, topic: str, names_count: bool = True) -> bool:
    """Whether a message asked about a topic no sheet covers (salary...) also names another topic or a fact
    (`names_count=False`: only a fact counts).

    Then the planner answers it; otherwise the bot just says the sheets are silent on that topic.
    """
    shape = analyse(text, queries.vocabulary())
    if names_count and any(t in queries.topics() and t != topic for t in shape.topics_named):
        return True
    found = queries.find_facts(shape.content) if queries.content_terms(shape.content) else []
    return any(f.coverage >= STRONG for f in found)


# "sans le bac", "si je rate mon bac", "si j'ai pas de diplôme": a diploma the student would not have
_WITHOUT = re.compile(r"\b(?:sans(?: avoir)?|si (?:je|j'|j|tu|t'|il|elle|on) ?(?:ne |n')?(?:rate|rates|loupe|loupes|"
                      r"echoue|ai pas|a pas|as pas|obtiens pas|obtient pas|l'ai pas|l'a pas|l'as pas|"
                      r"ai aucun|a aucun))\s+(?:(?:mon|ma|mes|son|sa|ses|ton|ta|le|la|les|l'|un|une|de|d'|du|des|aucun|"
                      r"aucune|a|au)\s*)*(?P<what>[a-z0-9+]+)")
_SAYS_A_LIST = (FILTERED, YES, FACTS, TOPIC, COUNT, UNQUALIFIED)


def without_filter(folded: str, filters: tuple[FilterValue, ...]) -> bool:
    """Whether the message asks about doing without a diploma it names ("sans le bac", "si je rate mon BTS")."""
    named = {word for f in filters for words in (f.words, (f.value,)) for w in words for word in fold(w).split()}
    return any(m.group("what") in named or m.group("what") in ("diplome", "diplomes", "etudes")
               for m in _WITHOUT.finditer(folded))


def _listed_without_verdict(part: Part, filters: tuple[FilterValue, ...]) -> Part:
    """The items of the filters' kind the part's section lists (else its facts, else the whole section), shown as what
    the sheet says — not as an answer."""
    assert part.job is not None
    listed = queries.filtered_facts(part.job.id, part.topic, filters) or part.facts or queries.topic_answer(
        part.job.id, part.topic).facts
    return Part(UNQUALIFIED, part.job, part.topic, listed)


def _with_attribute(found: FoundFact, attribute: str | None) -> Part:
    return Part(FACTS, found.job, found.topic, (found.fact,), attribute=attribute)


# "… parce que je suis nulle", "car j'aime les chiffres", "vu que moi j'ai un bac pro": the writer's own reason
_MY_REASON = re.compile(r"[,\s]+(?:parce que|parce qu'|pcq|psk|car|vu que|puisque)\s+(?:moi\s+)?(?:je|j'|jsuis|jai|j\s|"
                        r"ma|mon|mes|moi)\b", re.IGNORECASE)


def plan_answer(text: str, topic: str, job: JobInfo | None, entity_filters: list[FilterValue] | None = None,
                job_named: bool = True, previous_question: str | None = None, outside: tuple[str, ...] = (),
                background: str = "", previous_text: str = "", own_filters: tuple[FilterValue, ...] = (),
                counted: bool = False) -> Plan:
    """What to answer to `text`, asked about `topic` (the intent's, or the one in context) and `job`.

    Args:
        text: the student's message ("" for a button payload).
        topic: the topic the NLU understood, else the conversation's.
        job: the job named or in context; None when neither (a matching fact may then decide it).
        entity_filters: the filter entities the NLU extracted, resolved to vocabulary values.
        job_named: False when `job` only comes from the conversation's context.
        previous_question: the last precise question, for "et elle est à quel niveau ?" (an attribute
            asked of the fact just answered).
        outside: jobs the NLU found that no sheet knows (`other_job`): a "oui" must say them too.
        background: the student's sentences that ask nothing ("j'ai un bac pro commerce."): what they name is
            part of the claim a "oui" must cover.
        previous_text: the student's message before this one, whatever it asked ("le niveau 4 c'est quoi ?"), for
            "quelles compétences sont à ce niveau-là ?".
        own_filters: filters written only as the student's own diploma ("je suis en terminale STMG, c'est quoi ce
            métier ?"): they do not narrow the answer (a closed question still checks them as part of its claim).
        counted: the number is asked though the text says it in no words of its own ("combien ?" alone).
    """
    reason = _MY_REASON.search(text)
    if reason and queries.content_terms(text[:reason.start()]):
        # "est-ce qu'il faut parler anglais parce que je suis nulle ?": the student's reason is context, not a word
        # the sheet must say
        background = f"{background} . {text[reason.start():]}".strip(" .")
        text = text[:reason.start()].rstrip(" ,") + " ?"
    vocabulary = queries.vocabulary()
    shape = analyse(text, vocabulary, entity_filters)
    if shape.form == OPEN:
        # "je veux bosser dans la banque sans être commercial, le back office c'est quoi ?": what is left out is no
        # word to search
        shape = replace(shape, content=_without_left_out(shape.content))
    if own_filters:
        shape = replace(shape, filters=tuple(f for f in shape.filters if f not in own_filters))
    said_now = fold(text)
    if previous_text and not shape.filters and not queries.content_terms(shape.content) and (any(
            contains_phrase(said_now, c) for c in vocabulary.same_filter_cues) or (
            counted or vocabulary.asks_count(said_now)) and not shape.topics_named):
        # ... and "ça en fait combien ?" right after "lesquelles sont comportementales ?": that list, counted
        # "quelles compétences sont à ce niveau-là ?": the level (or kind) of the message before
        shape = replace(shape, filters=analyse(previous_text, vocabulary).filters, attribute=None)
    elif (previous_question and not queries.content_terms(shape.content) and shape.filters and shape.form == YES_NO
          and (any(contains_phrase(said_now, c) for c in vocabulary.same_subject_cues)
               or len(said_now.split()) <= BARE_FILTER_WORDS)):  # "au niveau expert ?" of the skill just answered
        subject = _subject_of(previous_question, topic, job, shape.filters)
        if subject is not None:  # "c'est une compétence technique ?" of the skill just answered
            return Plan([subject], precise=True, question=previous_question)
    adds_complement = bool(previous_question and _ADDS_COMPLEMENT.match(said_now) and shape.form == YES_NO
                           and len(said_now.split()) <= FOLLOW_UP_WORDS and not shape.topics_named
                           and not queries.jobs_in_text(text))
    if adds_complement or (previous_question and not shape.filters and not queries.content_terms(shape.content)
                           and not shape.topics_named and (shape.attribute or claims_of_last(text))):
        # "et pour les clients aussi ?" right after "le middle fait un reporting ?": the question before, for them
        # "et à quel niveau ?", "mais c'est obligatoire ou pas ?" ask about the fact just answered; "et niveau
        # qualités ?" switches topic
        text = f"{previous_question} {text}"
        asked_of_last = shape.attribute
        shape = analyse(text, queries.vocabulary(), entity_filters)
        if asked_of_last:  # "et des liens ?" after "les numéros RNCP ?": the detail asked now
            shape = replace(shape, attribute=asked_of_last)
    else:
        asked_of_last = None
    folded = queries.without_job_names(text, marker=JOB_MARKER)
    said = queries.without_job_names(f"{background} . {text}", marker=JOB_MARKER) if background else folded
    claim = queries.claim_reader().read(said, outside)
    if background:  # figures and obligations count in the question only ("une personne de 42 ans." is the
        # student, not a claim)
        asked = queries.claim_reader().read(folded, outside)
        # the items of the context count where the question names none ("son métier est-il cité comme voie
        # d'accès ?"), unless it names a topic they do not belong in ("ce métier demande-t-il de bonnes compétences
        # en anglais ?" after "élève de terminale générale")
        told = tuple(i for i in claim.items if i not in asked.items and not _writers_role(i, said))
        # "avec mon bac ?" after "j'ai un bac pro commerce": the diploma told, of the kind the question names
        # ("son bac pro" after "en bac professionnel ASSP": every word asked is in the diploma told)
        # ("ma filière est dans les bacs que la fiche indique ?": the plural names the list, the item is the one told)
        items = tuple(next((t for t in told if (not item.plural or _AMONG.search(folded[:max(item.at, 0)])) and (
            item.bare and set(item.kind_terms) <= set(t.kind_terms) or set(item.terms) <= set(t.terms))), item)
            for item in asked.items)
        # a question with its own subject ("si l'anglais est demandé") is not about the context's items either
        own_subject = any(f.coverage >= OWN_SUBJECT or (f.coverage >= PARTIAL_SUBJECT and len(f.matched) >= 2)
                          for f in queries.find_facts(shape.content, None, topic)[:1]
                          ) if queries.content_terms(shape.content) else False
        # "… si ce profil correspond AU MÉTIER de gestionnaire de back-office": the job's name and the student's own
        # profile ("ce profil", an access cue), no other topic named
        path_asked = any(contains_phrase(folded, cue) for cue in queries.claim_reader().words.access_cues
                         if "profil" in cue or "parcours" in cue)
        other_topics = () if path_asked else tuple(t for t in shape.topics_named if t != DEFINITION_TOPIC)
        items = items or tuple(i for i in told if home_topic(i, topic) in other_topics
                               or not (other_topics or own_subject))
        claim = replace(claim, numbers=asked.numbers, required=asked.required, items=items)
        told_used = tuple(i for i in items if i not in asked.items)
    else:
        told_used = ()
    coded = _by_code(text, job)
    plan = coded or _plan(text, shape, topic, job, job_named, claim)
    if job is not None and [p.kind for p in plan.parts] == [TOPIC] and not queries.content_terms(shape.content):
        plan = _with_partner_plan(text, job, topic) or plan  # "le middle il travaille avec le back pour quoi ?"
    answered = plan.parts[0].job if plan.parts and plan.parts[0].job else None
    for named in shape.topics_named:
        # "la rémunération et le nombre d'emplois ?": the figure found, and the honest gap on the salary said too
        if (answered is not None and named in queries.topics() and len(plan.parts) < MAX_TOPICS
                and all(part.topic != named for part in plan.parts)
                and not queries.topic_answer(answered.id, named).found):
            plan.parts.append(Part(TOPIC, answered, named))
    closed = shape.form != OPEN
    plan.parts = [checked for part in plan.parts for checked in _confirm(part, claim, folded, closed)][:MAX_TOPICS]
    if closed and told_used and (direction := queries.career_direction(folded)):
        # "Je suis conseiller clientèle. … mon métier mène au back-office ?": the job told before is checked in the
        # direction the question asks, as a job named in the question is
        plan.parts = [_in_direction(part, direction) for part in plan.parts]
    if closed and job is not None and plan.parts and asks_identity(text) and all(
            part.kind in _BESIDE_THE_JOB or part.kind in (UNQUALIFIED, FACTS) and part.topic != _careers_topic()
            and part.topic in queries.claim_reader().words.job_topics for part in plan.parts):
        # (a colleague's service that shares the words asked is no "oui" either; a career is what one becomes)
        # "le middle office c'est un métier de vente ?", "c'est bien le service commercial ?": what the job IS, which
        # its definition says — not the other job's sheet, nor the kind of colleague that shares the word
        defined = queries.topic_answer(job.id, DEFINITION_TOPIC).facts
        if defined:
            plan.parts = [Part(UNQUALIFIED, job, DEFINITION_TOPIC, defined)]
    kinds = shape.filters
    if any(contains_phrase(folded, cue) for cue in queries.claim_reader().words.minimum_cues):
        # "il faut au moins le niveau avancé ?": a minimum, checked by the claim's level (a higher level is a yes)
        kinds = tuple(f for f in kinds if f.kind != LEVEL_FILTER)
    if closed and kinds:
        plan.parts = [_of_kind(part, kinds) for part in plan.parts]
    if not closed and both_directions(queries.without_job_names(text, marker=JOB_MARKER), queries.vocabulary()):
        # "middle-office : d'où on vient, où on va ensuite ?": both lists, not the one whose heading says "vient"
        plan.parts = [Part(TOPIC, part.job, part.topic) if part.kind == FACTS and part.topic == _careers_topic()
                      and part.job is not None else part for part in plan.parts]
    if closed:  # "la fiche indique-t-elle des métiers de provenance ?": a direction the sheet never gives
        plan.parts = [directed if directed.kind == NOT_IN_SHEET else part
                      for part in plan.parts for directed in [_directed(part, text)]]
    else:
        directed = [_directed(part, text) for part in plan.parts]
        # "après le middle on peut faire quoi ?": one direction of the list, a precise answer the next turns refer to
        plan.precise = plan.precise or directed != plan.parts
        plan.parts = directed
    if shape.attribute in ("code", "url"):
        # "y a un code rncp pour le bts banque ?" of a diploma the sheet lists without one: said plainly, never the
        # diploma alone as if it answered
        plan.parts = [Part(ATTRIBUTE_NONE, part.job, part.topic, part.facts, attribute=shape.attribute)
                      if part.kind in (FILTERED, FACTS) and part.facts and part.job is not None
                      and not _carrying(part.facts, shape.attribute) else part
                      for part in plan.parts]
    if without_filter(folded, shape.filters):
        # "je peux faire back office sans le bac ?", "si je rate mon bac ?": the sheet says what it advises, never
        # whether one can do without it — the list it gives, said plainly not to answer that
        plan.parts = [_listed_without_verdict(part, shape.filters) if part.job is not None and part.kind in _SAYS_A_LIST
                      else part for part in plan.parts]
    elif counted or queries.vocabulary().asks_count(folded):
        plan.parts = [_counted(part) for part in plan.parts]
    elif any(contains_phrase(folded, cue) for cue in queries.vocabulary().duration_cues):
        # "bts banque c'est combien d'années ?": facts that give no duration are what the sheet says, no answer
        # "combien d'heures par semaine ?" of the whole rhythm section: no fact of it gives hours, said plainly
        plan.parts = [Part(UNQUALIFIED, part.job, part.topic, facts)
                      if part.kind in (FACTS, FILTERED, YES, TOPIC) and part.job is not None
                      and (facts := part.facts or queries.topic_answer(part.job.id, part.topic).facts)
                      and not any(_DURATION.search(fold(f.text)) for f in facts) else part for part in plan.parts]
    value = queries.vocabulary().precise_value_asked(folded)
    if value:
        plan.parts = [_value_unsaid(part, value) for part in plan.parts]
    if closed:
        plan.parts = [_in_group_asked(part, folded) for part in plan.parts]
    words = queries.claim_reader().words
    if closed and (claim.required or claim.needed):
        # "les deux demandent un bac+5 ?" of a sheet that names no such level: it lists options, no obligation
        # (a kind of diploma the sheet does not list, "un doctorat", stays the honest gap)
        plan.parts = [Part(NOT_REQUIRED, part.job, part.topic, queries.topic_answer(part.job.id, part.topic).facts)
                      if part.kind == FILTER_NONE and part.topic in words.required_topics
                      and all(f.kind == STUDY_LEVEL_FILTER for f in part.filters) and part.filters
                      and len(queries.topic_answer(part.job.id, part.topic).facts) > 1 else part
                      for part in plan.parts]
    if _ranks_items(folded, shape, claim):
        ranked: list[Part] = []
        for part in plan.parts:
            if part.kind == TOPIC and claim.items and part.job is not None:
                # "hésite entre une licence d'économie et un BTS Banque. Quel diplôme est le plus adapté ?": no
                # ranking, then each diploma checked against the sheet's list
                ranked += [Part(RANK_NOTE, part.job, part.topic), *_confirm(part, claim, folded, True)]
            elif part.kind in (YES, FACTS, FILTERED, KIND_LISTED, UNQUALIFIED) and part.facts:
                ranked.append(Part(NOT_RANKED, part.job, part.topic, part.facts))
            else:
                ranked.append(part)
        plan.parts = ranked[:MAX_TOPICS + 1]
    if asks_importance(folded):  # the list as the sheet gives it, said plainly that it rates no importance
        plan.parts = [Part(NO_IMPORTANCE, part.job, part.topic, part.facts if part.kind != TOPIC else
                           queries.topic_answer(part.job.id, part.topic).facts)
                      if part.kind in (TOPIC, FACTS, FILTERED, YES, UNQUALIFIED) and part.job is not None
                      and (part.facts or queries.topic_answer(part.job.id, part.topic).facts) else part
                      for part in plan.parts]
    if closed and job is not None:
        plan.parts = [_with_partner(part, text, job) for part in plan.parts]
    if closed and claim.numbers:
        plan.parts = [_of_wider_scope(part, folded) for part in plan.parts]
    if closed and queries.claim_reader().negated(folded):
        plan.parts = [replace(part, kind=YES_TO_NEGATIVE) if part.kind == YES else part for part in plan.parts]
    if shape.after and not closed and not _OWN_START.search(said_now):
        plan.parts = [_after_point(part, shape.after) for part in plan.parts]
    if shape.attribute == "level" and not queries.content_terms(shape.content):
        plan.parts = [_levels_unrated(part) for part in plan.parts]
    if asked_of_last == "level":  # "et à quel niveau ?" of a fact the sheet rates at no level: it does not say
        plan.parts = [Part(UNQUALIFIED, part.job, part.topic, part.facts)
                      if part.kind in (FACTS, YES, FILTERED) and part.facts and all(f.level is None for f in part.facts)
                      else part for part in plan.parts]
    written = f"{background} {text}"
    plan.parts = [replace(part, item=", ".join(as_written(i, written) for i in part.item.split(", ")))
                  if part.item else part for part in plan.parts]  # the student's spelling, accents included
    # "je suis en BTS Banque, ça marche pour le back ?" then "et pour le middle ?": the diploma told goes with it
    plan.question = " ".join([*(f"avec {i.text}," for i in told_used), text])
    if asked_of_last and previous_question:
        # "à quel niveau ?" then "et le back-office ?": the question itself for the other job, not its level
        plan.question = previous_question
    return plan


PARTNER_TOPICS = ("interlocutors", "missions")  # where a sheet says what the job does with another one


_CODE_NUMBER = re.compile(r"(?<![0-9])[0-9]{4,6}(?![0-9])")


def _by_code(text: str, job: JobInfo | None) -> Plan | None:
    """"l'intitulé exact de la certification RNCP 29764 ?": the item a sheet lists under that code, whatever topic the
    message was read as (None when no code of a sheet is written)."""
    numbers = set(_CODE_NUMBER.findall(text))
    if not numbers:
        return None
    rest = _CODE_NUMBER.sub(" ", text)
    named = queries.find_facts(rest) if queries.content_terms(rest) else []
    if named and named[0].coverage >= STRONG and not set(_CODE_NUMBER.findall(named[0].fact.code or "")) & numbers:
        return None  # "la licence pro …, c'est la fiche RNCP 35007 ?": an item named, its code checked
    jobs = [job] if job is not None else list(queries.list_jobs())
    for candidate in jobs:
        for topic in queries.topics():
            coded = tuple(f for f in queries.topic_answer(candidate.id, topic).facts
                          if f.code and set(_CODE_NUMBER.findall(f.code)) & numbers)
            if coded:
                return Plan([Part(FACTS, candidate, topic, coded, attribute="code")], precise=True)
    return None


def _with_partner_plan(text: str, job: JobInfo, topic: str) -> Plan | None:
    """"le middle il travaille avec le back pour quoi ?": another job named as whom the job works with, nothing else
    asked — the facts of the job's sheet that name that job (whom it works with, what it does with it)."""
    if topic not in (*PARTNER_TOPICS, *SAYS_WHAT_IT_DOES):
        return None
    folded = fold(text)
    partners = {named for start, named in queries.job_mentions(text)
                if named != job and whom_one_works_with(folded, start)}
    if not partners:
        return None
    parts = []
    for section in dict.fromkeys((topic, *PARTNER_TOPICS)):
        facts = tuple(f for f in queries.topic_answer(job.id, section).facts
                      if partners & set(queries.jobs_in_text(f.text)) and queries.content_terms(
                          queries.without_job_names(f.text)))
        if facts:
            parts.append(Part(FACTS, job, section, facts))
    return Plan(parts[:MAX_TOPICS], precise=True) if parts else None


def _of_wider_scope(part: Part, folded: str) -> Part:
    """"il y a 1 220 gestionnaires middle-office ?" of "Emploi actuel de la famille métiers : 1 220 emplois": a figure
    of a wider scope than the job asked about, shown without a "oui" (unless the question names that scope)."""
    if part.kind not in (YES, YES_TO_NEGATIVE) or not part.facts:
        return part
    scopes = queries.claim_reader().words.wider_scopes
    # a count ("1 220 emplois"), not a level of study ("Niveau 6 Licence (bac + 3)"), which job offers ask of the job
    levels = queries.claim_reader().words.level_words
    wider = [s for s in scopes if not contains_phrase(folded, s)
             and any(f.group and contains_phrase(fold(f.group), s)
                     and not any(contains_phrase(fold(f.text), w) for w in levels) for f in part.facts)]
    return Part(UNQUALIFIED, part.job, part.topic, part.facts) if wider else part


def _with_partner(part: Part, text: str, job: JobInfo) -> Part:
    """"le middle contrôle les résultats avec le back-office, non ?": another job named as whom the job works with is
    part of the claim — a fact that does not name it ("avec le front-office…") is shown without a "oui"."""
    if part.kind not in (YES, YES_TO_NEGATIVE) or not part.facts:
        return part
    folded = fold(text)
    partners = {named for start, named in queries.job_mentions(text)
                if named != job and whom_one_works_with(folded, start)}
    if not partners or any(partners & set(queries.jobs_in_text(f.text)) for f in part.facts):
        return part
    return Part(UNQUALIFIED, part.job, part.topic, part.facts)


def _subject_of(previous_question: str, topic: str, job: JobInfo | None,
                filters: tuple[FilterValue, ...]) -> Part | None:
    """The one fact the question before was about, checked against a filter asked of it now: "oui" when the sheet
    classes it so, otherwise the fact as the sheet classes it (NOT_OF_KIND)."""
    before = plan_answer(previous_question, topic, job)
    facts = [(part.job, part.topic, fact) for part in before.parts if part.kind in (FACTS, YES) for fact in part.facts]
    if len(facts) != 1:
        return None
    fact_job, fact_topic, fact = facts[0]
    if job is not None and fact_job.id != job.id:
        return None  # "elle est aussi citée pour le back office ?": the same subject, asked of another sheet
    own = tuple(f for f in filters if queries.vocabulary().filter_topics.get(f.kind) == fact_topic)
    kept = queries.filtered_facts(fact_job.id, fact_topic, own) if own else None
    if kept is None:
        return None
    return Part(YES if fact in kept else NOT_OF_KIND, fact_job, fact_topic, (fact,), filters=own)


def _of_kind(part: Part, filters: tuple[FilterValue, ...]) -> Part:
    """"c'est une compétence organisationnelle, encadrer une équipe ?": a "oui" only for facts the sheet classes as
    asked; a fact it classes otherwise is said as the sheet classes it (NOT_OF_KIND)."""
    own = tuple(f for f in filters if queries.vocabulary().filter_topics.get(f.kind) == part.topic)
    if part.kind != YES or not own or part.job is None:
        return part
    kept = queries.filtered_facts(part.job.id, part.topic, own)
    if kept is None:
        return part
    passing = tuple(fact for fact in part.facts if fact in kept)
    if passing:
        return replace(part, facts=passing)
    return Part(NOT_OF_KIND, part.job, part.topic, part.facts[:1], filters=own)


def _directed(part: Part, text: str) -> Part:
    """"de quels métiers on peut venir ?": only the careers of that direction (where one comes from / goes)."""
    if part.kind != TOPIC or part.topic != "careers" or part.job is None:
        return part
    direction = queries.career_direction(text)
    facts = queries.topic_answer(part.job.id, "careers").facts
    kept = tuple(f for f in facts if direction and f.direction == direction)
    if direction and facts and not kept and all(f.direction for f in facts):
        # "la fiche indique-t-elle des métiers de provenance ?" of a sheet listing only where one goes: it does not
        # say, then what it does list
        return Part(NOT_IN_SHEET, part.job, "careers")
    return Part(FACTS, part.job, "careers", kept) if kept and len(kept) < len(facts) else part


def _counted(part: Part) -> Part:
    """A whole topic or a few facts, counted: "La fiche en cite 12"."""
    if part.topic in NOT_COUNTED or part.job is None:
        return part
    if part.kind == TOPIC:
        facts = queries.topic_answer(part.job.id, part.topic).facts
        return Part(COUNT, part.job, part.topic, facts, total=len(facts)) if facts else part
    if part.kind == FACTS and len(part.facts) > 1:
        return replace(part, kind=COUNT, total=len(part.facts))
    return part


# "c'est lui qui décide …", "c'est le middle office qui encaisse …": the act the question says the job does
_WHO_DOES = re.compile(r"\bc(?:'est| est|est)\s+(?:lui|elle|eux|jobname)\s+qui\s+(?:ne\s+|n')?(?:s'|se\s+)?([a-z]+)")


def _unsaid_act(text: str, group: list[FoundFact]) -> bool:
    """Whether the question says the job does an act ("c'est lui qui décide …") that no fact found says: a verb of
    its own, not one of the verbs any task is said with ("gérer", "s'occuper", "traiter" …)."""
    said = queries.without_job_names(text, marker=JOB_MARKER)
    match = _WHO_DOES.search(said)
    if match is None or match.group(1) in queries.claim_reader().words.doing_verbs:
        return False
    terms = queries.content_terms(match.group(1))
    matched = {term for found in group for term in found.matched}
    return bool(terms) and not set(terms) & matched


def _unsaid_things(text: str, group: list[FoundFact]) -> list[str]:
    """The things the question names that none of the facts says ("les clients" in "le reporting pour les clients
    ?" where the fact says "pour le front-office et le management")."""
    matched = {term for found in group for term in found.matched}
    words = re.findall(r"[a-z0-9]+'|[a-z0-9]+", queries.without_job_names(text, marker=JOB_MARKER))  # l' anglais
    unsaid = []
    for index, (before, word) in enumerate(zip(words, words[1:], strict=False)):
        terms = queries.content_terms(word) if before in _BEFORE_A_NOUN and word != JOB_MARKER.strip() else []
        if terms and not set(terms) & matched:
            unsaid.append(word)
        # "un sens commercial" of "Sens relationnel": the word after the noun qualifies it — said by the facts, or by
        # another fact of the sheet with the noun ("les marchés financiers" of the job's definition), or not at all
        after = words[index + 2] if index + 2 < len(words) else ""
        qualifier = queries.content_terms(after) if terms and after != JOB_MARKER.strip() else []
        if qualifier and not set(qualifier) & matched and not _said_together(word, after, group[0].job):
            unsaid.append(after)
    return unsaid


def _said_together(noun: str, qualifier: str, job: JobInfo) -> bool:
    """Whether one fact of the job's sheet says the noun and the word qualifying it."""
    wanted = {*queries.content_terms(noun), *queries.content_terms(qualifier)}
    return any(wanted <= set(f.matched) for f in queries.find_facts(f"{noun} {qualifier}", (job.id,)))


# Answers that speak of another job or of a kind of colleague: no answer to what the job itself is
_BESIDE_THE_JOB = (NO_OTHER_JOB, SILENT_OTHER_JOB, KIND_LISTED)
_PATH_SAID = re.compile(r"\s*(?:parcours|chemin|voie|passage|passerelle|evolution|reconversion|possibilite|option|"
                        r"debouche|transition)\b")
_THE_JOB_NOUNS = ("metier", "poste", "job", "fonction", "role", "travail", "boulot", "taf", "profession")
_COMPLEMENT = re.compile(r"\b(?P<noun>[a-z]+)\s+(?:du|de|des|d')\s*(?:gestionnaires?\s+(?:de\s+|du\s+)?)?$")
_IDENTITY = re.compile(r"jobname\s*,?\s*(?:c'est|c est|cest|c|est|ce serait|serait)\s+"
                       # "c'est bien le service commercial ?", "c'est surtout un métier de contrôle ?"
                       r"(?:(?:bien|vraiment|juste|surtout|plutot|donc|en fait|avant tout|seulement)\s+)?"
                       r"(?:le|la|les|l'|un|une|du|de la|des)\b"
                       # "le middle il est commercial ?", "il est stressant le BO ?": one word said of the job itself
                       r"|jobname\s*,?\s*(?:il|elle)\s+(?:est|serait)\s+[a-z]+\s*[?!.]*\s*$"
                       # "le back office c stressant ?", "le middle c'est dur ?": one word said of the job itself
                       r"|jobname\s*,?\s*(?:c'est|c est|cest|c|ca|ca reste|c'est pas)\s+(?P<said>[a-z]+)\s*[?!.]*\s*$"
                       r"|^(?:et |mais |donc )?(?:il|elle)\s+(?:est|serait)\s+[a-z]+\s+(?:le |la |l')?\s*jobname"
                       r"\s*[?!.]*\s*$"
                       # "le middle-office est-il un métier stressant ?"
                       r"|jobname\s+(?:est|serait)-(?:il|elle)\s+(?:un|une)\b"
                       # "le métier est-il donc particulièrement stressant ?": one word said of the job itself
                       r"|jobname\s+(?:est|serait)-(?:il|elle)\s+(?:(?:donc|vraiment|particulierement|tres|assez|"
                       r"trop|plutot|si|souvent|reellement)\s+)*(?P<quality>[a-z]+)\s*[?!.]*\s*$")
# "le métier est-il stressant ?", "ce poste, c'est dur ?": the job in context, named by a noun
_THE_JOB_SAID = re.compile(r"^(?:(?:et|mais|donc|alors)\s+)?(?:le|ce|cet|ton|son|votre)\s+"
                           r"(?:metier|poste|job|travail|boulot|taf)(?=\s*,?\s*(?:c'est|c est|cest|c|est|serait)\b)")
# "le métier de gestionnaire BO consiste-t-il à vendre … ?": what the job consists in, which its definition says
_CONSISTS = re.compile(r"jobname\s*,?\s*(?:consiste|consisterait)(?:-t-(?:il|elle))?\s+(?:a|en)\b")


def asks_identity(text: str) -> bool:
    """"Le middle-office, c'est le service commercial ?": what the job IS, which only its definition says (a fact
    naming the commercial services among its colleagues is no "oui")."""
    folded = _THE_JOB_SAID.sub(JOB_MARKER.strip(), fold(queries.without_job_names(text, marker=JOB_MARKER)))
    match = _IDENTITY.search(folded)
    owner = _COMPLEMENT.search(folded[:match.start()]) if match else None
    if owner and owner.group("noun") not in _THE_JOB_NOUNS:
        return False  # "le reporting du middle office, c'est chaque semaine ?": said of the reporting, not the job
    words = queries.claim_reader().words
    said = match and (match.group("said") or match.group("quality"))
    if match and said:
        # "le back office c'est possible ?", "c'est accessible ?": whether one can get there, not what the job is
        return not any(contains_phrase(said, cue) for cue in (*words.access_cues, *words.certainty))
    if match and _PATH_SAID.match(folded[match.end():]):
        # "un secrétaire général qui veut passer middle office, c'est un parcours prévu ?": the way there
        return False
    return bool(match)


def asks_sameness(text: str) -> bool:
    """"le middle c'est comme le back ?", "X et Y, c'est le même métier ?": whether two things are one."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.claim_reader().words.sameness)


def _may_say_yes(group: list[FoundFact], topic: str, shape: QuestionShape, text: str = "") -> bool:
    """Whether the facts found may carry a "oui" to a closed question asked under `topic`: a fact of another section
    matching most of the question, never a diploma's or training's title for what the job does nor another section
    for what the job is, every other topic the question names said by the facts, and every thing it names."""
    best = group[0]
    reader = queries.claim_reader()
    words = reader.words
    if best.topic != DEFINITION_TOPIC and asks_identity(text):
        return False
    folded = fold(text)
    if asks_sameness(text):
        return False  # "analyste crédit c'est pareil que analyste financier ?": one line of a list says not that
    # "des contacts avec la clientèle ?" of "les conseillers de clientèle": a word inside a job the fact names, while
    # the question names no job, is not what the fact is about
    if _only_in_a_job_named(best, folded):
        return False
    # "il fait des études de marché ?" of "Master …, spécialité finance d'entreprise et de marchés": one word of a
    # diploma's title says "oui" only to a diploma or a level of study asked (two words, "gestion administration",
    # or its acronym, "GEA", name it)
    if (best.topic == queries.vocabulary().filter_topics.get("diploma_kind") and len(best.matched) < 2
            and not {a.lower() for a in _ACRONYM.findall(best.fact.text)} & set(re.findall(r"[a-z0-9]+", folded))
            and not shape.filters and not any(
            i.diploma for i in reader.items(queries.without_job_names(text, marker=JOB_MARKER)))):
        return False
    # "le middle office manage des gens ?" of "le management (reporting quotidien)": the question's verb is no person
    # a list of people names
    if best.topic in words.job_topics and (set(best.matched) <= _verbs_of_subject(text) or _only_in_an_aside(best)):
        return False
    if _done_by_another(best):
        return False
    # one word in common is not enough to leave the asked section ("suivre des formations" is not "il assure le suivi")
    if best.topic != topic and (best.coverage < CROSS_TOPIC_YES or len(best.matched) < 2 or topic == DEFINITION_TOPIC
                                or (best.topic in words.option_topics and topic not in words.option_topics)):
        return False
    skills = queries.vocabulary().filter_topics.get("skill_type")
    if best.topic == skills and (topic != skills or _EXISTS.search(folded)) and _ability_only(best, folded):
        return False  # "y a du stress ?" of "Gérer des situations de stress": a skill to have, not what the job is
    if not queries.in_sheet_words(best):
        return False  # found by the knowledge base's words for the fact, not the sheet's: its words, without "oui"
    if _unsaid_act(text, group):
        return False  # "c'est lui qui décide qui a raison en cas de litige ?" of "l'intermédiaire … en cas de litige"
    names = queries.vocabulary().topic_names
    said = fold(" ".join(" ".join((f.fact.text, *f.fact.aliases)) for f in group))
    if any(not any(contains_phrase(said, name) for name in names.get(named, ()))
           for named in shape.topics_named if named != best.topic):
        return False  # "le MO calcule les salaires ?": the salary is not in "il participe au calcul des résultats"
    return not _unsaid_things(shape.content, group)


# "il faut savoir gérer le stress ?", "il doit être capable de…": a skill asked as such
_ABILITY_ASKED = re.compile(r"\b(?:faut|fo|faudra|faudrait|doit|dois|doivent|devoir|savoir|sait|sais|capable|capables|"
                           r"competence|competences|demande|demandee|demandes|necessaire|besoin|requis|requise|exige|"
                           r"exigee|niveau|maitrise|maitriser|attendu|attendue|qualite|qualites|skill|skills)\b")


# "y a du stress ?", "c'est du stress ?": whether the job is so, not whether a skill is asked
_EXISTS = re.compile(r"\b(?:y a|ya|y'a|il y a|c'est|c est|cest|est-ce)\b")
VERB_STEM = 5  # "travaill" of "travailler", "travaille", "travaillent"


def _ability_only(found: FoundFact, folded: str) -> bool:
    """A skill said with its verb ("Gérer des situations de stress") matched only on what the verb acts on, while the
    question asks no skill ("y a du stress ?"): the sheet says the job must be able to do it, not that it is so."""
    first = fold(found.fact.text).split()[0] if found.fact.text.strip() else ""
    if not re.fullmatch(r"[a-z]+(?:er|ir|re)", first) or _ABILITY_ASKED.search(folded):
        return False
    terms = queries.content_terms(first)
    if not terms:  # a verb too common to search ("Travailler en équipe"): said when the question says it
        return not re.search(rf"\b{first[:VERB_STEM]}", folded)
    # the verb's stem as the search read it in the question ("verif" of "vérifie", "verifi" of "Vérifier")
    return not any(t.startswith(m) or m.startswith(t) for t in terms for m in found.matched)


_ACRONYM = re.compile(r"\b[A-Z]{2,}\d*\b")  # "GEA", "STMG": a word that names one diploma
_ASIDE = re.compile(r"\([^)]*\)")  # "le front-office (services commerciaux …)": what a name means, in brackets


def wants_no_verdict(text: str) -> bool:
    """"c'est pour moi ?", "mais non c'est le middle qui fait ça", "ce BTS garantit un poste ?": an opinion asked, the
    last answer contradicted or an outcome promised — a "oui" would read as a verdict, as agreeing, as a promise."""
    folded = fold(text)
    words = queries.vocabulary()
    return any(contains_phrase(folded, cue) for cue in (*words.opinion_cues, *words.suits_cues, *words.guarantee_cues,
                                                          *words.challenge_cues))


# "c'est plus technique ou relationnel ?", "il travaille plus en interne ou avec les clients ?": two things weighed
_SIDE_LEAD = r"(?:de la |de l'|des |du |de |d'|en |avec (?:le |la |les |l')?|au |aux |a la |a l')?"
_TWO_SIDES = re.compile(r"\b(?:plus|plutot|davantage|surtout)\s+" + _SIDE_LEAD + r"(?P<x>[a-z0-9' -]+?)\s+ou\s+"
                        r"(?:plutot\s+|bien\s+|alors\s+)?" + _SIDE_LEAD + r"(?P<y>[a-z0-9' -]+?)\s*(?:[?!.,;]|$)")
_SIDE_TAIL = re.compile(r"(?:\s+(?:le|la|les|l'|pour|au|aux|chez|dans|en|il|elle|jobname|c'est|cest))+\s*$")
_QUANTITY = re.compile(r"\b(?:plus|davantage)\s+(?:de|d')\s*\w")  # "y a plus de qualités ou de compétences ?"


def two_sides(text: str) -> tuple[str, str] | None:
    """The two things a question weighs within one job ("plus technique ou relationnel" -> ("technique",
    "relationnel")), or None (a job named on either side is a comparison of the jobs)."""
    folded = fold(queries.without_job_names(text, marker=JOB_MARKER))
    match = _TWO_SIDES.search(folded)
    if not match:
        return None
    sides = tuple(_SIDE_TAIL.sub("", match.group(side)).strip() for side in ("x", "y"))
    if any(not side or JOB_MARKER.strip() in side or side in ("moins", "non", "pas") for side in sides):
        return None
    vocabulary = queries.vocabulary()
    shapes = [analyse(side, vocabulary) for side in sides]
    if not all(queries.content_terms(side) or shape.filters or shape.topics_named
               for side, shape in zip(sides, shapes, strict=True)):
        return None
    return sides[0], sides[1]


def plan_sides(text: str, topic: str, job: JobInfo) -> Plan | None:
    """"c'est plus technique ou relationnel le middle ?": what the sheet says of each side, never a "oui" and never a
    side chosen — with their numbers when a quantity is weighed ("plus de compétences techniques ou
    comportementales ?"). None when the message weighs no two things."""
    sides = two_sides(text)
    if sides is None:
        return None
    counted = bool(_QUANTITY.search(fold(text)))
    catalogue = queries.topics()
    parts: list[Part] = []
    for side in sides:
        # "y a plus de qualités ou de compétences ?": a side that names a topic is asked of that topic
        named = [t for t in analyse(side, queries.vocabulary()).topics_named if t in catalogue]
        plan = plan_answer(side, named[0] if named else topic, job, counted=counted)
        if plan.ask_job or not plan.parts or plan.parts[0].kind == TOPIC and not named or plan.parts[0] in parts:
            return None  # a side the sheet says nothing precise of ("plus du bureau ou du terrain ?"): no weighing
        parts += without_verdict(plan).parts[:1]
    note = [] if counted else [Part(SIDES_NOTE, job, topic)]
    return Plan([*note, *parts], precise=True)


def with_next_step(plan: Plan) -> Plan:
    """"j'ai un bac STMG, je peux viser le back-office ?": the student's own diploma found under one heading of a list
    ("Bacs conseillés"), then the heading the sheet gives after it ("Après le bac"): the next step of the path it
    lays out (nothing more when the sheet has no heading after, or a long one)."""
    if len(plan.parts) != 1:
        return plan
    part = plan.parts[0]
    groups = {f.group for f in part.facts}
    if part.kind not in (YES, FACTS, UNQUALIFIED) or part.job is None or len(groups) != 1 or not part.facts[0].group:
        return plan
    facts = queries.topic_answer(part.job.id, part.topic).facts
    order = list(dict.fromkeys(f.group for f in facts))
    after = order[order.index(part.facts[0].group) + 1:] if part.facts[0].group in order else []
    listed = tuple(f for f in facts if after and f.group == after[0])
    if not listed or len(listed) > LONG_LIST:
        return plan
    return replace(plan, parts=[part, Part(NEXT_STEP, part.job, part.topic, listed)])


def without_verdict(plan: Plan, unsaid: bool = False) -> Plan:
    """A plan whose "oui" parts say the facts only: asked for an opinion ("c'est pour moi ?"), the bot gives none,
    and a "oui" would read as one. `unsaid`: an outcome promised ("ce BTS lui garantirait un poste ?"), which the
    sheet never says: said plainly before the facts."""
    kind, said = (UNQUALIFIED, (YES, YES_TO_NEGATIVE, FACTS)) if unsaid else (FACTS, (YES, YES_TO_NEGATIVE))
    return replace(plan, parts=[replace(part, kind=kind) if part.kind in said and part.facts else part
                                for part in plan.parts])


def promises_outcome(text: str) -> bool:
    """"ce BTS lui garantirait-il un poste ?": an outcome asked as promised, which no sheet promises."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().guarantee_cues)


def _only_in_an_aside(found: FoundFact) -> bool:
    """"il fait du commercial avec les clients ?" of "le front-office (services commerciaux en contact direct avec le
    client)": every word matched is in the brackets that say what a partner is, not in what the fact says of the
    job."""
    text = found.fact.text
    if "(" not in text:
        return False
    outside = queries.content_terms(_ASIDE.sub(" ", text))
    return not any(similarity(term, word) for term in found.matched for word in outside)

_BY_ANOTHER = re.compile(r"([a-z]+)\s+par\s+(?:les?|la|l'|des|d'autres|un|une)\b")


def _done_by_another(found: FoundFact) -> bool:
    """"le back office il vend ?" of "toutes les opérations vendues par les métiers en relation avec la clientèle
    passent entre ses mains": every word matched is an action the fact gives to someone else ("vendues par …")."""
    by_others = {t for word in _BY_ANOTHER.findall(fold(found.fact.text)) for t in queries.content_terms(word)}
    return bool(by_others) and all(any(similarity(term, word) for word in by_others) for term in found.matched)


# The word after the job or a subject pronoun: its verb ("le BO gère", "il manage", "on ne contrôle")
_SUBJECT_VERB = re.compile(r"(?:\bjobname|(?<![a-z'])(?:il|elle|ils|elles|on))\s+(?:ne\s+|n')?([a-z]+)")


def _verbs_of_subject(text: str) -> set[str]:
    """The search terms of the verbs said of the job ("manag" in "le middle office manage des gens ?")."""
    said = queries.without_job_names(text, marker=JOB_MARKER)
    return {t for verb in _SUBJECT_VERB.findall(said) for t in queries.content_terms(verb)}


def _only_in_a_job_named(found: FoundFact, folded: str) -> bool:
    """"des contacts avec la clientèle ?" of "les conseillers de clientèle", "il gère les crédits ?" of "Analyste
    financier / crédit": every word matched is inside a job the fact names, while the question names no job."""
    reader = queries.claim_reader()
    in_jobs = {t for item in reader.items(fold(found.fact.text)) if not item.diploma for t in item.terms}
    names_job = any(not i.diploma for i in reader.items(folded))
    if found.topic == _careers_topic():
        return not names_job  # a career move's line is a job's name, whole ("Analyste financier / crédit")
    inside = all(any(similarity(m, t) >= TYPO_SIMILARITY or t.startswith(m) for t in in_jobs) for m in found.matched)
    return bool(in_jobs) and inside and not names_job  # "clien" is inside "conseillers de clientèle" too


def topic_of_filters(text: str, topic: str, entity_filters: list[FilterValue] | None = None,
                     job: JobInfo | None = None) -> str:
    """"il faut forcément un bac+5 ?" read as the qualities: a message naming a diploma or a study level and no word
    of the intent's topic asks about the list those filters narrow (the studies) — unless the intent's topic is itself
    a list of options (careers: "avec un master on peut devenir quoi ?")."""
    vocabulary = queries.vocabulary()
    options = queries.claim_reader().words.option_topics
    if topic in options:
        return topic
    shape = analyse(text, vocabulary, entity_filters)
    narrowed = {vocabulary.filter_topics.get(f.kind) for f in shape.filters}
    # "le back office recrute que des bac+5 ?" of a sheet with no key figures: the studies, which it has
    silent = job is not None and not queries.topic_answer(job.id, topic).facts
    named_here = [t for t in shape.topics_named if not silent or t != topic]
    if len(narrowed) == 1 and not named_here and (silent or not _words_of_topic(text, topic)):
        named = narrowed.pop()
        if named in options:
            return named
    return topic


def _words_of_topic(text: str, topic: str) -> bool:
    """Whether the message has a word of one of the topic's names ("formations": the recommended trainings)."""
    words = set(re.findall(r"[a-z0-9]+", fold(text)))
    return any(len(w) > 3 and w in words for name in queries.vocabulary().topic_names.get(topic, ())
               for w in name.split())


def _unhedged(part: Part, folded: str = "") -> Part:
    """"Éventuellement les clients": a "oui" whose best fact hedges is the fact, without the "oui" — unless the
    question asks that much and no more ("les déplacements sont peu fréquents ?")."""
    words = queries.claim_reader().words
    if part.kind != YES or not part.facts or any(contains_phrase(folded, cue)
                                                 for cue in (*words.rare_in_fact, *words.possibility_asked)):
        return part  # "il peut aller sur les marchés ?" of "il peut être amené à intervenir sur les marchés": yes
    if _hedged(part.facts[0]) or _only_possible(part.facts[0], folded):  # neighbours matching less: no yes either
        return Part(UNQUALIFIED, part.job, part.topic, part.facts)
    return replace(part, facts=tuple(f for f in part.facts if not _hedged(f)))


_DURATION = re.compile(r"\d+\s*(?:ans?|annees?|mois)\b|bac\s*\+\s*\d")  # what a fact says of how long


def _only_possible(fact: FactItem, folded: str) -> bool:
    """"les horaires décalés c'est sûr ?" of "les équipes peuvent être réparties…": a certainty asked, a possibility
    said."""
    words = queries.claim_reader().words
    return (any(contains_phrase(folded, cue) for cue in words.certainty)
            and any(contains_phrase(fold(fact.text), cue) for cue in words.possible_in_fact))


def _carrying(facts: tuple[FactItem, ...], attribute: str | None) -> tuple[FactItem, ...]:
    """The facts that carry the attribute asked ("code": an RNCP number, "url": a link)."""
    return tuple(f for f in facts if (f.code if attribute == "code" else f.url))


def _hedged(fact: FactItem) -> bool:
    """A fact that says "éventuellement", "peut être amené à": not a plain yes."""
    folded = fold(fact.text)
    return any(contains_phrase(folded, cue) for cue in queries.claim_reader().words.rare_in_fact)


def home_topic(item: entailment.NamedItem | None, topic: str) -> str:
    """Where the sheet would list a named item: a diploma among the studies, a job among the careers."""
    if item is None:
        return topic
    words = queries.claim_reader().words
    if item.diploma:
        return queries.vocabulary().filter_topics.get("diploma_kind", topic)
    return topic if topic in words.job_topics else _careers_topic() or topic


def _careers_topic() -> str:
    """The section a job named is looked for in first (the careers: each of its lines is a job's name)."""
    return next(iter(queries.claim_reader().words.job_topics), "")


def _facts_of_kind(job: JobInfo, topic: str, claim: Claim) -> tuple[FactItem, ...]:
    """The facts that say every item named, else those of the items' kinds ("un BTS": the BTS the sheet lists)."""
    reader = queries.claim_reader()
    facts = queries.topic_answer(job.id, topic).facts
    full = tuple(f for f in facts if all(reader.covers(i.terms, f.text) for i in claim.items))
    return full or tuple(f for f in facts if any(reader.covers(i.kind_terms, f.text) for i in claim.items))


def _verdict(claim: Claim, job: JobInfo, topic: str, fact: FactItem, aliases: bool = True) -> str:
    """What the gate says of one fact of `job`'s sheet on `topic` (knowledge/entailment.py); `aliases=False`: of the
    sheet's own words only."""
    listed = len(queries.topic_answer(job.id, topic).facts)
    text = " ".join((fact.text, *fact.aliases)) if aliases else fact.text
    return queries.claim_reader().verdict(claim, text, fact.level, topic, listed, queries.distinct_terms(topic))


def _heading(job: JobInfo, topic: str, fact: FactItem) -> tuple[FactItem, ...]:
    """The list a fact belongs to: its heading's facts, or the whole topic."""
    facts = queries.topic_answer(job.id, topic).facts
    return tuple(f for f in facts if f.group == fact.group) if fact.group else facts


def _entailed_elsewhere(claim: Claim, job: JobInfo, topic: str, folded: str = "") -> FoundFact | None:
    """Another job's fact of the same topic that says all the claim asks (then: "not this sheet, that one"); for a
    career move, one in the direction asked ("accessible à partir d'un poste de conseiller clientèle ?" is not
    answered by a job the other sheet lists as where one goes)."""
    if not claim.items:
        return None
    direction = queries.career_direction(folded) if topic == "careers" else None
    for other in queries.list_jobs():
        if other.id == job.id:
            continue
        for fact in queries.topic_answer(other.id, topic).facts:
            if direction and fact.direction not in (None, direction):
                continue
            if _verdict(claim, other, topic, fact) == entailment.ENTAILED:
                return FoundFact(other, topic, fact, 1.0)
    return None


def _sharing(folded: str, job: JobInfo, topic: str) -> tuple[FactItem, ...]:
    """The topic's facts that share a content word with the message, topic names included ("déplacements")."""
    reader, vocabulary = queries.claim_reader(), queries.vocabulary()
    ignored = {*vocabulary.stopwords, *vocabulary.generic_words, JOB_MARKER.strip()}
    # "mentionne-t-elle …": the words of a hyphenated inversion, each ignored as such
    asked = set(reader.terms_of(" ".join(w for w in re.findall(r"[a-z0-9]+", folded) if w not in ignored)))
    # half of what was asked at least: "gère les crédits immobiliers ?" shares only its verb with "Gérer les outils
    # monétiques" — the sheet is silent on it
    return tuple(f for f in queries.topic_answer(job.id, topic).facts
                 if 2 * len(asked & set(reader.terms_of(" ".join((f.text, *f.aliases))))) >= len(asked) > 0)


def _said_in_other_topic(folded: str, job: JobInfo, topic: str) -> Part | None:
    """"faut faire des études de droit ?" of a sheet whose studies name no law: the fact of another of its sections that
    names the thing asked ("Connaissances juridiques de base", its skills), shown as what it says — never a "oui"."""
    rest = folded
    for name in queries.vocabulary().topic_names.get(topic, ()):
        rest = re.sub(rf"\b{re.escape(name)}\b", " ", rest)
    if not queries.content_terms(rest):
        return None
    found = [f for f in queries.find_facts(rest, (job.id,)) if f.topic != topic]
    if not found or found[0].coverage < STRONG or len(found[0].matched) < 1:
        return None
    return Part(FACTS, job, found[0].topic, (found[0].fact,))


def _not_silent(part: Part, claim: Claim, folded: str) -> list[Part]:
    """Never "the sheet does not talk about it" while a fact of the topic names what was asked."""
    sharing = _sharing(folded, part.job, part.topic)
    if not sharing:
        elsewhere = _said_in_other_topic(folded, part.job, part.topic)
        return [part, elsewhere] if elsewhere is not None else [part]
    for fact in sharing:
        verdict = _verdict(claim, part.job, part.topic, fact)
        if verdict in (entailment.LESS_OFTEN, entailment.LEVEL_TOO_LOW):
            kind = LESS_OFTEN if verdict == entailment.LESS_OFTEN else LEVEL_LOWER
            return [Part(kind, part.job, part.topic, (fact,))]
    # whether the sheet mentions it ("mentionne-t-elle des périodes de forte activité ?"): the facts that do; any other
    # closed question: what they say, said plainly not to be all that was asked (never a fact alone, read as a "yes")
    words = re.findall(r"[a-z]+", folded)
    mentioned = any(contains_phrase(folded, cue) or cue in words for cue in queries.vocabulary().mention_cues)
    return [Part(FACTS if mentioned else UNQUALIFIED, part.job, part.topic, sharing[:MAX_FACTS])]


def _confirm(part: Part, claim: Claim, folded: str, closed: bool = True) -> list[Part]:
    """A "oui" part kept only with the facts that say everything the question claims; otherwise the honest part.

    A closed question about a whole list ("j'ai un bac pro commerce. je peux faire back office ?") is checked
    against every fact of that list."""
    options = queries.claim_reader().words.option_topics
    listing = part.kind in (TOPIC, NOT_IN_SHEET) and part.topic in options
    if listing and closed and claim.items and part.job is not None and queries.topic_answer(part.job.id,
                                                                                           part.topic).facts:
        part = Part(YES, part.job, part.topic, queries.topic_answer(part.job.id, part.topic).facts)
    if part.kind == NOT_IN_SHEET and part.job is not None:
        return _not_silent(part, claim, folded)
    if (claim.empty or part.kind not in (YES, UNQUALIFIED, NO_OTHER_JOB, FILTERED)
            or not part.facts and part.kind != NO_OTHER_JOB):
        return [_unhedged(part, folded)]
    each = _confirm_each(part, claim, folded, closed)
    if each is not None:
        return each
    reader = queries.claim_reader()
    if part.kind == NO_OTHER_JOB:
        other = part.other
        if other is None or not claim.items:
            return [part]
        if _verdict(claim, other.job, other.topic, other.fact) == entailment.ENTAILED:
            return [_level_named(part.job, other.topic, claim.items[0]) or part]
        asked = claim.items[0]
        home = home_topic(asked, other.topic)
        if home != other.topic and queries.topic_answer(part.job.id, home).facts:
            # "après une licence de droit, le middle ?" near the other sheet's "connaissances juridiques": a diploma
            # is looked for among this job's studies (those of its kind, or the level job offers ask), not the skills
            named = _level_named(part.job, home, asked)
            if named is not None:
                return [replace(named, item=asked.text)]
            facts = queries.topic_answer(part.job.id, home).facts
            of_kind = tuple(f for f in facts if reader.covers(asked.kind_terms, f.text))
            return [Part(NOT_LISTED, part.job, home, of_kind or facts, item=asked.text)]
        return [Part(NOT_LISTED, part.job, other.topic, queries.topic_answer(part.job.id, other.topic).facts,
                     item=asked.text)]
    verdicts = [(fact, _verdict(claim, part.job, part.topic, fact)) for fact in part.facts]
    kept = tuple(fact for fact, verdict in verdicts if verdict == entailment.ENTAILED)
    said = tuple(fact for fact in kept if not fact.aliases or _verdict(claim, part.job, part.topic, fact,
                                                                        aliases=False) == entailment.ENTAILED)
    if kept and not said and part.kind == YES:
        # said only in the knowledge base's other words for the fact ("cartes bancaires" for "outils monétiques"):
        # the sheet's own words are shown, without a "oui" the sheet does not say
        return [Part(FACTS, part.job, part.topic, kept)]
    if kept:
        kept = said or kept
        return [_unhedged(replace(part, facts=kept), folded) if not claim.frequent else replace(part, facts=kept)]
    # the fact closest to the claim speaks: one naming the item (even loosely) before one missing it
    fact, verdict = next(((f, v) for f, v in verdicts if v != entailment.MISSING_ITEM), verdicts[0])
    if part.kind == FILTERED and verdict != entailment.NOT_REQUIRED:  # a list without "oui": nothing to withdraw
        return [part]
    if verdict == entailment.MISSING_ITEM and claim.items:
        # the search's best fact missed the item, another fact of the topic may name it exactly ("BTS Banque")
        exact = tuple(f for f in queries.topic_answer(part.job.id, part.topic).facts
                      if _verdict(claim, part.job, part.topic, f) == entailment.ENTAILED)
        beside = _beside_items(folded, claim)
        if exact and beside and reader.covers(beside, fact.text) and not any(reader.covers(beside, f.text)
                                                                            for f in exact):
            # "gestion administration, c'est un bac général ?": the thing asked about is the fact found (a bac
            # pro); the item named is what the student takes it for, which that fact does not say
            return [Part(UNQUALIFIED, part.job, part.topic, (fact,))]
        if exact:
            return [replace(part, facts=exact[:MAX_FACTS])]
    if verdict == entailment.MISSING_ITEM:
        elsewhere = _entailed_elsewhere(claim, part.job, part.topic, folded)
        if elsewhere is not None:
            # "BTS Banque" for the middle office: not in its sheet, but of a level it names ("Niveau 5 BTS/DUT")
            level = next((p for i in claim.items if (p := _level_named(part.job, part.topic, i)) is not None), None)
            return [level or Part(NO_OTHER_JOB, part.job, part.topic, other=elsewhere)]
        missing = next((i for i in claim.items if not reader.covers(i.terms, fact.text)), None)
        # an item the fact covers in words but not as what it is ("le service commercial": a job, not the front-office)
        missing = missing or (claim.items[0] if claim.items else None)
        item = missing.text if missing else (claim.extra[0] if claim.extra else "")
        # a diploma is looked for among the studies, a job among the careers, whatever section the search found
        if missing and not missing.diploma and asks_identity(folded):
            # "le middle c'est un informaticien ?": what the job is, which its definition says — not the careers
            return [Part(NOT_LISTED, part.job, DEFINITION_TOPIC,
                         queries.topic_answer(part.job.id, DEFINITION_TOPIC).facts, item=item)]
        home = home_topic(missing, part.topic)
        if home != part.topic and queries.topic_answer(part.job.id, home).facts:
            if part.kind != TOPIC:  # "Ce parcours est-il mentionné ?" read as the studies, of a job told before:
                return _in_home_topic(part.job, home, claim, folded, closed)  # checked in the careers
            fact, part = queries.topic_answer(part.job.id, home).facts[0], replace(part, topic=home)
        # what the sheet lists of that kind ("ses bacs pro"), else the list the best fact belongs to
        of_kind = tuple(f for f in queries.topic_answer(part.job.id, part.topic).facts
                        if missing and missing.diploma and reader.covers(missing.kind_terms, f.text))
        listed = of_kind or _directed(Part(TOPIC, part.job, part.topic), folded).facts or _heading(part.job,
                                                                                                    part.topic, fact)
        if home != part.topic or (missing and missing.diploma and not of_kind):
            listed = queries.topic_answer(part.job.id, part.topic).facts  # none of its kind: the whole list
        if missing and home == part.topic and (named := _level_named(part.job, part.topic, missing)) is not None:
            # "licence éco" where job offers ask "Niveau 6 Licence": not named, yet of a level the sheet names
            return [replace(named, item=item)]
        return [Part(NOT_LISTED, part.job, part.topic, listed, item=item)]
    if verdict == entailment.NOT_ONLY:
        everything = queries.topic_answer(part.job.id, part.topic).facts
        listed = everything if len(everything) <= LONG_LIST else _heading(part.job, part.topic, fact)
        return [Part(NOT_ONLY, part.job, part.topic, listed)]
    if verdict == entailment.KIND_ONLY:
        return [Part(KIND_LISTED, part.job, part.topic, _facts_of_kind(part.job, part.topic, claim) or part.facts)]
    if verdict == entailment.NOT_REQUIRED:
        # "au moins 5 ans ?": the levels of that list; "il faut forcément un master ?": every option of the topic
        everything = queries.topic_answer(part.job.id, part.topic).facts
        return [Part(NOT_REQUIRED, part.job, part.topic, _heading(part.job, part.topic, fact)
                     if claim.numbers or not claim.items else everything)]
    if verdict == entailment.LEVEL_TOO_LOW:
        return [Part(LEVEL_LOWER, part.job, part.topic, (fact,))]
    if verdict == entailment.LESS_OFTEN:
        return [Part(LESS_OFTEN, part.job, part.topic, (fact,))]
    return [Part(UNQUALIFIED, part.job, part.topic, (fact,))]  # LEVEL_UNRATED, FREQUENCY_UNSAID


def asks_importance(folded: str) -> bool:
    """"quelle compétence est la plus importante ?", "laquelle compte le plus ?": which item of a list matters most."""
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().importance_cues)


def _ranks_items(folded: str, shape: QuestionShape, claim: Claim) -> bool:
    """"c'est quoi le mieux entre le BTS et le BUT ?": which of several things named is better."""
    several = len(claim.items) >= 2 or len(shape.filters) >= 2
    return several and any(contains_phrase(folded, cue) for cue in queries.vocabulary().better_cues)


def _level_named(job: JobInfo, topic: str, item: entailment.NamedItem) -> Part | None:
    """The facts of a diploma's kind in the sheet's list, when one of them names only that level of study ("Niveau 6
    Licence (bac + 3)" for "licence éco"), else None."""
    if not item.diploma:
        return None
    reader = queries.claim_reader()
    of_kind = tuple(f for f in queries.topic_answer(job.id, topic).facts if reader.covers(item.kind_terms, f.text))
    if not any(reader.names_level_only(f.text, item.kind_terms) for f in of_kind):
        return None
    return Part(LEVEL_NAMED, job, topic, of_kind, item=item.text)


def _without_left_out(content: str) -> str:
    """The text without what it leaves out: "sans être commercial" up to the next comma or question mark."""
    return _left_out_pattern(queries.claim_reader().words.excluding).sub(" ", content)


@lru_cache(maxsize=4)
def _left_out_pattern(excluding: tuple[str, ...]) -> re.Pattern:
    cues = "|".join(re.escape(c) for c in excluding if " " not in c) or r"(?!x)x"
    return re.compile(rf"(?<![a-z])(?:{cues})\b[^,;?!.]*")


# "après MON bac général spé NSI, ça va pour le back ?": the student's own diploma, checked against the list (not a
# starting point that leaves that list out)
_OWN_START = re.compile(r"\b(?:apres|apre)\s+(?:mon|ma|son|sa|ton|ta|mes|ses)\b")


def _after_point(part: Part, after: tuple[FilterValue, ...]) -> Part:
    """"je fais quoi après le bac pour aller en back office ?": the studies that follow the starting point — the
    sheet's list without its list of diplomas of that kind (the bacs); unchanged when the sheet has no such list."""
    if part.kind not in (TOPIC, FACTS, FILTERED) or part.job is None or queries.vocabulary().filter_topics.get(
            after[0].kind) != part.topic:
        return part
    facts = queries.topic_answer(part.job.id, part.topic).facts
    left_out = set(queries.filtered_facts(part.job.id, part.topic, after[:1]) or ())
    if part.kind != TOPIC and not set(part.facts) <= left_out:
        return part  # "après le bac, un BTS Banque ?": the facts asked of, not the list that follows
    following = tuple(f for f in facts if f not in left_out)
    if not left_out or not following or any(f.group in {g.group for g in left_out} for f in following):
        return part  # only a whole list of the sheet is left out ("Bacs conseillés"), never a line among others
    return Part(AFTER_POINT, part.job, part.topic, following, filters=after[:1])


def _levels_unrated(part: Part) -> Part:
    """"et le back office, il a des niveaux comme ça ?" of a sheet that rates none of its skills: said so, with
    everything it lists (never the list as if it answered)."""
    if part.kind != TOPIC or part.job is None:
        return part
    levels = tuple(f for f in queries.vocabulary().filters if f.kind == LEVEL_FILTER)
    if not levels or queries.vocabulary().filter_topics.get(LEVEL_FILTER) != part.topic:
        return part
    if queries.filtered_facts(part.job.id, part.topic, levels[:1]) is not None:
        return part  # the sheet rates them: the whole list shows each level
    facts = queries.topic_answer(part.job.id, part.topic).facts
    return Part(FILTER_UNRATED, part.job, part.topic, facts, filters=levels[:1], total=len(facts))


def _in_group_asked(part: Part, folded: str) -> Part:
    """"la MIF 2 c'est une des formations générales ?" of a fact listed under "Formations recommandées spécifiques au
    métier": a word only another list's heading has is asked, the fact's own list says otherwise — no "oui" (the
    answer names the fact's list). Career moves have their own direction check."""
    if part.kind != YES or not part.facts or any(f.direction for f in part.facts):
        return part
    groups = {f.group for f in part.facts}
    everything = queries.topic_answer(part.job.id, part.topic).facts
    if len(groups) != 1 or None in groups:
        return part
    own = set(queries.content_terms(next(iter(groups)) or ""))
    in_facts = {t for f in everything for t in queries.content_terms(f.text)}
    others = {t for f in everything if f.group not in groups for t in queries.content_terms(f.group or "")}
    if set(queries.content_terms(folded)) & (others - own - in_facts):
        return Part(UNQUALIFIED, part.job, part.topic, part.facts)
    return part


def _in_home_topic(job: JobInfo, home: str, claim: Claim, folded: str, closed: bool) -> list[Part]:
    """A job named, checked in the careers (a diploma in the studies) whatever section the question was read as;
    a career move the sheet gives the other way round is said so."""
    checked = _confirm(Part(TOPIC, job, home), claim, folded, closed)
    direction = queries.career_direction(folded) if home == "careers" else None
    return [_in_direction(part, direction) for part in checked] if direction else checked


def _in_direction(part: Part, direction: str) -> Part:
    """A "oui" about a career move kept with the facts of the direction asked ("from": jobs one comes from);
    a move the sheet gives the other way round only is said so ("pas dans ce sens-là")."""
    if part.kind != YES or part.topic != _careers_topic():
        return part
    same = tuple(f for f in part.facts if f.direction in (None, direction))
    return replace(part, facts=same) if same else Part(OTHER_DIRECTION, part.job, part.topic, part.facts)


def _value_unsaid(part: Part, value: str) -> Part:
    """"il commence à quelle heure le matin ?" answered by the sheet's hours, which give no clock time: the value is
    said to be missing, then what the sheet says (never its section as if it answered)."""
    if part.kind not in (TOPIC, FACTS, YES, UNQUALIFIED, FILTERED):
        return part
    facts = part.facts or queries.topic_answer(part.job.id, part.topic).facts
    vocabulary = queries.vocabulary()
    if not facts or any(vocabulary.states_value(value, fold(f.text)) for f in facts):
        return part
    return Part(VALUE_UNSAID, part.job, part.topic, facts, item=value)


def _beside_items(folded: str, claim: Claim) -> tuple[str, ...]:
    """The search terms of the message outside the items it names ("gestion administr" in "et gestion administration
    c un bac général ?")."""
    in_items = {t for item in claim.items for t in (*item.terms, *item.kind_terms)}
    return tuple(t for t in queries.content_terms(folded)
                 if not any(t.startswith(i) or i.startswith(t) for i in in_items))


def _confirm_each(part: Part, claim: Claim, folded: str, closed: bool) -> list[Part] | None:
    """Several items named ("BTS Banque et BUT GEA, les deux sont dans la fiche ?", "plutôt BTS ou BUT ?"): each
    checked on its own — one fact never names both, and "not listed" must not be said of a listed one. One answer
    when they all get the same; otherwise what is not listed first, then the facts that name the others (no
    "oui" beside a "non")."""
    if len(claim.items) < 2 or part.job is None:
        return None
    answers = [p for item in claim.items for p in _confirm(part, replace(claim, items=(item,)), folded, closed)]
    if len({(p.kind, p.job, p.topic) for p in answers}) == 1:
        facts = tuple(dict.fromkeys(f for p in answers for f in p.facts))
        items = ", ".join(dict.fromkeys(p.item for p in answers if p.item))
        return [replace(answers[0], facts=facts, item=items)]
    found = tuple(dict.fromkeys(f for p in answers if p.kind in (YES, UNQUALIFIED) for f in p.facts))
    rest = [p for p in answers if p.kind not in (YES, UNQUALIFIED)]
    return rest + ([Part(FACTS, part.job, part.topic, found)] if found else [])


def _plan(text: str, shape: QuestionShape, topic: str, job: JobInfo | None, job_named: bool, claim: Claim) -> Plan:
    catalogue = queries.topics()
    if topic == SOURCE_TOPIC:  # where the facts come from: not a fact to search
        return Plan([Part(TOPIC, job, topic)]) if job else Plan(ask_job=True)
    if job is not None and _LEFT_OUT.search(fold(text)) and shape.form != YES_NO:
        grouped = _groups_asked(text, job, topic, claim)
        if grouped:  # "les formations, mais pas les générales": a heading left out is no word to search
            return Plan([Part(FACTS, job, topic, grouped)], precise=True)
    named = [t for t in shape.topics_named if t in catalogue]
    if shape.filters and job is not None and topic in catalogue and _filter_words_in_topic(text, job, topic, shape):
        # "et pour un débutant ?" after the experience asked in job offers: a word a fact of the topic asked uses
        # ("1ère expérience", said "débutant" by students) is no level of the skills
        shape = replace(shape, content=fold(text), filters=tuple(
            f for f in shape.filters if queries.vocabulary().filter_topics.get(f.kind) == topic))
    filter_topics = [t for t in dict.fromkeys(queries.vocabulary().filter_topics[f.kind] for f in shape.filters)
                     if t in catalogue]
    if filter_topics and topic not in named:
        # "c koi les BUT ki mènent au BO": a diploma kind asks about studies, whatever the intent guessed
        named = [*filter_topics, *(t for t in named if t not in filter_topics)]
    elif topic not in named:
        named = [topic, *named]
    terms = queries.content_terms(shape.content)
    all_jobs = {j.id for j in queries.list_jobs()}
    found = queries.find_facts(shape.content, None, topic) if terms else []
    if shape.attribute == "job" and not job_named and topic != "careers":  # "vers quels métiers" is a career
        job = None  # "MIF 2, c'est pour quel métier ?": the facts decide, not the conversation's job

    # an attribute of a diploma (RNCP code, link): only facts that carry one, narrowed by diploma filters
    if shape.attribute in ("code", "url") and terms:
        coded = [f for f in _strong(found, all_jobs) if f.fact.code or f.fact.url]
        filters = _filters_for(shape, "studies")
        if filters:
            coded = [f for f in coded if f.fact in (queries.filtered_facts(f.job.id, f.topic, filters) or ())]
        if coded:
            return Plan([_with_attribute(f, shape.attribute) for f in _best_group(coded, topic)], precise=True)

    if shape.attribute in ("code", "url") and not terms and job is not None and not shape.filters:
        # "et pour le back-office, des numéros RNCP ?": the items of the topic that carry one, else said plainly
        listed = queries.topic_answer(job.id, topic).facts
        carrying = _carrying(listed, shape.attribute)
        if listed and carrying:
            return Plan([Part(FACTS, job, topic, carrying, attribute=shape.attribute)], precise=True)
        elsewhere = {t for other in queries.list_jobs() for t in queries.topics()
                     if _carrying(queries.topic_answer(other.id, t).facts, shape.attribute)}
        if topic not in elsewhere and not shape.topics_named:  # (a section whose items may carry one: said of it)
            holders = {t: items for t in elsewhere
                       if (items := _carrying(queries.topic_answer(job.id, t).facts, shape.attribute))}
            if len(holders) == 1:
                # "il y a des codes RNCP ?" read as another topic: the one section whose items carry one (the studies)
                [(home, items)] = holders.items()
                return Plan([Part(FACTS, job, home, items, attribute=shape.attribute)], precise=True)
            home = next(iter(elsewhere)) if len(elsewhere) == 1 else ""
            if not holders and home and queries.topic_answer(job.id, home).facts:
                # ... and of a sheet whose items carry none: said so of that section (its list), never another topic's
                return Plan([Part(ATTRIBUTE_NONE, job, home, queries.topic_answer(job.id, home).facts,
                                  attribute=shape.attribute)], precise=True)
        if listed:
            return Plan([Part(ATTRIBUTE_NONE, job, topic, listed, attribute=shape.attribute)], precise=True)

    if job is None:
        strong = _strong(found, all_jobs)
        covering = [j for j in queries.list_jobs() if topic in catalogue and queries.topic_answer(j.id, topic).found]
        if not strong and len(covering) == 1 < len(all_jobs) and not shape.filters:
            # "ya des chiffres sur l'emploi ?" with no job in context: the one sheet that has them, named, after
            # the others that do not
            silent = [Part(NOT_CITED, j, topic) for j in queries.list_jobs() if j not in covering]
            return Plan([*silent, Part(TOPIC, covering[0], topic)])
        filters = _filters_for(shape, topic)
        passing = [j for j in queries.list_jobs() if filters and queries.filtered_facts(j.id, topic, filters)]
        if not strong and len(passing) == 1 < len(all_jobs):
            # "une compétence comportementale, c'est quoi par exemple ?" with no job in context: the one sheet that
            # rates its skills so, named after the others that do not
            silent = [Part(NOT_CITED, j, topic) for j in queries.list_jobs() if j not in passing]
            return Plan([*silent, *_topic_parts(passing[0], [topic], shape, claim)], precise=True)
        if not strong:
            return Plan(ask_job=True, precise=bool(terms or shape.filters or len(named) > 1))
        # the facts decide the job: every job whose sheet has the best-matching fact
        best = strong[0].coverage
        parts = []
        for job_id in dict.fromkeys(f.job.id for f in strong if f.coverage >= best * CLOSE_TO_BEST):
            group = _best_group([f for f in strong if f.job.id == job_id], topic)
            kind = FACTS
            if shape.form == YES_NO:
                kind = YES if _may_say_yes(group, topic, shape, text) else UNQUALIFIED
            parts.append(Part(kind, group[0].job, group[0].topic, tuple(f.fact for f in group),
                              attribute=shape.attribute))
        return Plan(parts[:2], precise=True)

    own = _strong(found, {job.id})
    others = _strong(found, all_jobs - {job.id})
    if any(queries.topic_answer(job.id, t).facts for t in shape.topics_named):
        # "des certifications et diplômes enregistrés au RNCP, pourriez-vous m'en donner la liste ?": one word in
        # common with another section ("l'enregistrement d'opérations") does not outweigh the sections named
        own = [f for f in own if f.topic in named or len(f.matched) >= 2]
        # nor does one word of another job's other section ("les horaires … ça change ?" is no "chargé d'affaires")
        others = [f for f in others if f.topic in named or len(f.matched) >= 2]
    # "le back office gère les crédits ?" is not the other sheet's "Analyste financier / crédit"
    # nor "il vend ?" the other sheet's "opérations vendues par les métiers …" (done by someone else)
    others = [f for f in others if not _only_in_a_job_named(f, fold(text)) and not _done_by_another(f)]

    # students often drop the "?": a statement naming a fact of a sheet is answered as a yes/no question
    asks_yes_no = shape.form == YES_NO or (shape.form == STATEMENT and bool(own or others))
    if asks_yes_no and terms:
        if own:
            group = _best_group(own, topic)
            direction = queries.career_direction(text) if group[0].topic == "careers" else None
            if direction:
                same = [f for f in group if f.fact.direction in (None, direction)]
                if not same:  # "après le MO, contrôleur de gestion ?": the sheet has it as a job one comes from
                    facts = tuple(f.fact for f in group)
                    return Plan([Part(OTHER_DIRECTION, job, group[0].topic, facts)], precise=True)
                group = same
            seldom = [f for f in own if claim.frequent and f.topic == group[0].topic and _hedged(f.fact)
                      and f.coverage >= group[0].coverage * CLOSE_TO_BEST]
            if seldom:  # "le métier exige-t-il beaucoup de contact avec la clientèle ?": "éventuellement les clients"
                return Plan([Part(LESS_OFTEN, job, seldom[0].topic, tuple(f.fact for f in seldom))], precise=True)
            if claim.empty and queries.in_sheet_words(group[0]) and not queries.in_sheet_words(group[0],
                                                                                               heading=False):
                # only the heading of a list says it ("c'est le nombre d'offres d'emploi ?" of the levels asked in
                # job offers): the list, as the sheet gives it, without a "oui" for its items
                return Plan([Part(FACTS, job, group[0].topic, tuple(f.fact for f in group))], precise=True)
            if not _may_say_yes(group, topic, shape, text):
                if group[0].topic != topic and len(group[0].matched) < 2 and _words_of_topic(text, topic) and \
                        queries.topic_answer(job.id, topic).facts and not asks_identity(text):
                    # one word in common with another section while the question says the section asked ("suivre
                    # des formations" is not "il assure le suivi"): that section, whole (or the headings it names)
                    return _whole_topic(text, job, topic, claim)
                # the facts say part of what is asked: shown as what the sheet says, never with a "oui"
                kind = UNQUALIFIED if shape.form == YES_NO else FACTS
                if (group[0].topic not in SAYS_WHAT_IT_DOES and queries.topic_answer(job.id, DEFINITION_TOPIC).facts
                        and _CONSISTS.search(fold(queries.without_job_names(text, marker=JOB_MARKER)))):
                    # "le métier consiste-t-il à vendre des produits bancaires ?" near a skill naming the products:
                    # what the job is, which its definition says
                    return Plan([Part(kind, job, DEFINITION_TOPIC, queries.topic_answer(job.id, DEFINITION_TOPIC)
                                      .facts)], precise=True)
                return Plan([Part(kind, job, group[0].topic, tuple(f.fact for f in group))], precise=True)
            return Plan([Part(YES, job, group[0].topic, tuple(f.fact for f in group))], precise=True)
        if not shape.filters or not _filters_for(shape, topic):
            named_job = next((i for i in claim.items if not i.diploma), None)
            home_of_job = home_topic(named_job, topic) if named_job is not None else None
            if (others and home_of_job is not None and _best_group(others, topic)[0].topic != home_of_job
                    and queries.topic_answer(job.id, home_of_job).facts):
                # "et devenir directeur financier ?" after the careers: a job is looked for among the careers, not
                # in the other sheet's "Markets in Financial Instruments" that shares a word with it
                said = queries.without_job_names(text, marker=JOB_MARKER)
                return Plan(_in_home_topic(job, home_of_job, claim, said, True), precise=True)
            if others:
                other = _best_group(others, topic)[0]
                near = [f for f in found if f.job.id == job.id and f.topic == topic and f.coverage >= PARTIAL
                        and set(f.matched) <= set(other.matched)]
                if not near and claim.frequent:
                    # "et le back, il voit les clients tous les jours aussi ?": the frequency's own words ("jours")
                    # take no share of what its sheet says of the rest ("éventuellement les clients")
                    rest = queries.claim_reader().without_frequency(fold(text))
                    near = [f for f in queries.find_facts(rest, (job.id,), topic) if f.coverage >= PARTIAL
                            and f.topic == topic and set(f.matched) <= set(other.matched)]
                if (near and shape.form == YES_NO and not (claim.frequent or claim.period)
                        and near[0].coverage >= NEAR_OWN):
                    # "le back office utilise l'anglais ?": its own sheet names much of it ("Maîtrise de l'anglais"),
                    # only not in the other sheet's words — what it says, without a "oui", never "ne le cite pas"
                    return Plan([Part(UNQUALIFIED, job, topic, tuple(f.fact for f in _best_group(near, topic)))],
                                precise=True)
                if near and shape.form == YES_NO and (claim.frequent or claim.period):
                    # "le back office il est avec les clients tous les jours ?": its sheet names the clients, only not
                    # that often ("éventuellement") — what it says, without a "oui", rather than the other sheet's fact
                    facts = tuple(f.fact for f in _best_group(near, topic))
                    hedged = tuple(f for f in facts if _hedged(f)) if claim.frequent else ()
                    return Plan([Part(LESS_OFTEN, job, topic, hedged) if hedged else Part(UNQUALIFIED, job, topic,
                                                                                          facts)], precise=True)
                covered = other.topic in queries.topic_answer(job.id, other.topic).covered_topics
                kind = NO_OTHER_JOB if covered else SILENT_OTHER_JOB
                return Plan([Part(kind, job, other.topic, other=other)], precise=True)
            partial = [f for f in found if f.job.id == job.id and f.coverage >= PARTIAL and f.topic == topic]
            if partial:  # never "the sheet is silent" while one of its facts matches: show it, without a yes
                group = _best_group(partial, topic)
                kind = UNQUALIFIED if shape.form == YES_NO else FACTS
                return Plan([Part(kind, job, group[0].topic, tuple(f.fact for f in group))], precise=True)
            if shape.form == YES_NO:
                return Plan([Part(NOT_IN_SHEET, job, topic)], precise=True)

    # filters ("seulement les compétences comportementales", "quels BTS") narrow one topic
    if any(_filters_for(shape, t) for t in named) and not (own and own[0].coverage >= 0.99 and _passes(own[0], shape)):
        topics = [t for t in named if _filters_for(shape, t)] + [t for t in named if not _filters_for(shape, t)]
        return Plan(_topic_parts(job, topics[:MAX_TOPICS], shape, claim), precise=True)

    if own and (not asks_yes_no or not terms):
        group = _best_group(own, topic)
        if len(group) >= MAX_FACTS and len({f.fact.group for f in group}) > 1:
            return _whole_topic(text, job, group[0].topic, claim)  # ties across the sheet's headings: show them all
        in_topic = max((f.coverage for f in found if f.job.id == job.id and f.topic == topic), default=0.0)
        # found by the sheet's own words: an alias the knowledge base adds ("manager des personnes") does not take
        # "combien de personnes ?" away from the key figures
        far_better = (group[0].weight >= ROUTING_WEIGHT and in_topic < group[0].coverage * ROUTE_MARGIN
                      and queries.in_sheet_words(group[0]))
        if group[0].topic == topic or far_better:
            parts = [Part(FACTS, job, group[0].topic, tuple(f.fact for f in group), attribute=shape.attribute)]
            alike = _said_alike_elsewhere(own, group)
            if alike:  # "il contrôle quoi ?": the missions' fact, and the definition's that says it too
                parts.append(Part(FACTS, job, alike[0].topic, tuple(f.fact for f in alike), attribute=shape.attribute))
            return Plan(parts, precise=True)
    if not own and others and not asks_yes_no:
        group = _best_group(others, topic)  # the conversation's job has no such fact; the other job's sheet has
        if group[0].weight >= ROUTING_WEIGHT and not job_named:
            return Plan([Part(FACTS, group[0].job, group[0].topic, tuple(f.fact for f in group),
                              attribute=shape.attribute)], precise=True)
        in_own = [f for f in found if f.job.id == job.id and f.coverage >= PARTIAL]
        covered = group[0].topic in queries.topic_answer(job.id, group[0].topic).covered_topics
        if (group[0].weight >= ROUTING_WEIGHT and group[0].coverage >= 0.99 and not in_own and not shape.filters
                and not shape.topics_named and covered):  # a section the sheet lacks: its own honest gap
            # "c'est pas le middle qui fait ça ?" of the titles only the back office's sheet names: said so, never
            # the middle office's whole section as if it answered
            return Plan([Part(ELSEWHERE_ONLY, job, group[0].topic, other=group[0])], precise=True)

    if len(named) > 1:
        return Plan(_topic_parts(job, named[:MAX_TOPICS], shape, claim), precise=True)
    return _whole_topic(text, job, topic, claim)


def _filter_words_in_topic(text: str, job: JobInfo, topic: str, shape: QuestionShape) -> bool:
    """Whether a fact of the topic asked matches the message only through the words of a filter of another topic."""
    vocabulary = queries.vocabulary()
    if all(vocabulary.filter_topics.get(f.kind) == topic for f in shape.filters):
        return False
    found = queries.find_facts(text, (job.id,), topic)
    if not found or found[0].topic != topic or found[0].coverage < STRONG:
        return False
    without = set(queries.content_terms(shape.content))
    return bool(set(found[0].matched) - without)


def _whole_topic(text: str, job: JobInfo, topic: str, claim: Claim) -> Plan:
    """The topic's answer, narrowed to the headings the message names ("seulement les formations spécifiques au
    métier, pas les générales": that heading's list)."""
    grouped = _groups_asked(text, job, topic, claim)
    return Plan([Part(FACTS, job, topic, grouped)], precise=True) if grouped else Plan([Part(TOPIC, job, topic)])


_NARROWS = re.compile(r"\b(?:seulement|uniquement|juste|rien que|que les|qu'les|only)\b")
_LEFT_OUT = re.compile(r"\b(?:pas|sauf|sans|hors|excepte|ni)\s+(?:les?\s+|la\s+|l'|des?\s+|d'|du\s+)?([a-z]+)")


def _groups_asked(text: str, job: JobInfo, topic: str, claim: Claim) -> tuple[FactItem, ...]:
    """The facts under the headings of a topic that the message names by their own words ("les formations
    spécifiques au métier", "en interne") or leaves the others of ("pas les générales"); () when it names none, or
    all of them."""
    folded = fold(text)
    if not (_LEFT_OUT.search(folded) or _NARROWS.search(folded)):  # a heading's words alone do not narrow
        return ()  # ("je prends quoi au lycée ?" is no "Après le bac (orientation au lycée)")
    facts = queries.topic_answer(job.id, topic).facts
    groups = list(dict.fromkeys(f.group for f in facts if f.group))
    if len(groups) < 2 or len(groups) < len({f.group for f in facts}):  # facts under no heading: not a split
        return ()
    heads = {g: set(queries.content_terms(g)) for g in groups}
    common = set.intersection(*(heads[g] for g in groups))
    own = {g: heads[g] - common for g in groups}  # what tells one heading from another
    left = " ".join(_LEFT_OUT.findall(folded))  # "pas les générales", "sauf les spécifiques"
    excluded = set(claim.excluded) | set(queries.content_terms(left) if left else ())
    said = set(queries.content_terms(text)) - excluded
    asked = [g for g in groups if own[g] & said and not own[g] & excluded]
    if not asked and excluded:
        asked = [g for g in groups if own[g] and not own[g] & excluded]
    if not asked or len(asked) == len(groups):
        return ()
    return tuple(f for f in facts if f.group in asked)


_FROM_BEFORE = re.compile(r"(?:\b(?:du|de|d'|depuis|en|venant du|venant de|quand on est|je suis|je bosse en|"
                          r"je travaille en))\s*(?:la |le |l')?$")
# "revenir en BO", "passer ensuite en MO": where one goes (checked first)
_TO_BEFORE = re.compile(r"(?:\b(?:au|aux|vers|a|pour le|devenir|(?:revenir|retourner|repasser|passer|aller|evoluer|"
                        r"basculer)\s+(?:ensuite\s+|plus tard\s+|apres\s+|un jour\s+|directement\s+)?en))"
                        r"\s*(?:la |le |l')?$")


# "jtravaille déjà au back office", "je suis actuellement au BO": where one works now (before any "au" of a move)
_WORKS_IN_BEFORE = re.compile(r"(?:travaille|taf|bosse|suis|jsuis|jtravaille|jbosse|travaillant|bossant)\s+"
                              r"(?:deja\s+|actuellement\s+|aujourd'hui\s+|en ce moment\s+)?"
                              r"(?:au|aux|en|dans le|dans la|dans un|a la)\s*(?:la |le |l')?$")


# "je suis au middle, on peut venir du back ?": where one comes from, said outright (outweighs where one works)
_COMES_FROM_BEFORE = re.compile(r"\b(?:venir|viens|vient|venant|arriver|arrive|arrivant|provenir|provenant)\s+"
                                r"(?:du|de la|de l'|de|d'|depuis le|depuis la|depuis l')\s*$")


def names_diploma(text: str) -> bool:
    """Whether the message names a diploma ("en bac pro commerce, c'est jouable pour le middle ou le back ?"): the
    student's own path, asked of each job, not a move between them."""
    folded = queries.without_job_names(text, marker=JOB_MARKER)
    return any(item.diploma for item in queries.claim_reader().read(folded).items)


def plan_move(text: str, jobs: list[JobInfo]) -> Plan:
    """"on peut passer du back au middle ?": a move between two known jobs, read in both sheets (the jobs one
    moves to from the first, the jobs one comes from to the second); "oui" only when a sheet lists it."""
    source, target = move_order(text, jobs)
    found = [(source, f) for f in queries.topic_answer(source.id, "careers").facts
             if f.direction != "from" and queries.resolve_job(f.text) == target]
    found += [(target, f) for f in queries.topic_answer(target.id, "careers").facts
              if f.direction == "from" and queries.resolve_job(f.text) == source]
    sheet = sheet_named(text)
    if sheet in (source, target) and found and all(job != sheet for job, _ in found):
        # "la fiche du back dit qu'on peut aller vers le middle ?": that sheet does not; the other one's line is
        # shown after, without a "oui" the sheet asked about does not say
        other = target if sheet == source else source
        return Plan([Part(NOT_LISTED, sheet, "careers", queries.topic_answer(sheet.id, "careers").facts,
                          item=other.name),
                     *(Part(FACTS, job, "careers", (fact,)) for job, fact in found)], precise=True)
    claim = queries.claim_reader().read(queries.without_job_names(text, marker=JOB_MARKER))
    if found and claim.required:
        # "pour devenir MO, il faut obligatoirement avoir été au BO ?": one way in among those the sheet lists
        job, fact = found[-1]
        options = _heading(job, "careers", fact)
        if len(options) > 1:
            return Plan([Part(NOT_REQUIRED, job, "careers", options)], precise=True)
    if found:
        moves = [Part(YES, job, "careers", (fact,)) for job, fact in found]
        # "on peut y arriver depuis le back office et après devenir trader ?": the other job named is checked in
        # the careers of the job one goes to; not listed, it comes first and the move is shown without a "oui"
        folded = fold(text)
        others = [part for item in claim.items
                  for part in _confirm(Part(TOPIC, target, "careers"), replace(claim, items=(item,)), folded)
                  if part.kind not in (YES, YES_TO_NEGATIVE)]
        if others:
            return Plan([*others, *(Part(FACTS, p.job, p.topic, p.facts) for p in moves)], precise=True)
        return Plan(moves, precise=True)
    return Plan([Part(NOT_LISTED, source, "careers", queries.topic_answer(source.id, "careers").facts,
                      item=target.name)], precise=True)


_AMONG = re.compile(r"(?:\bparmi|\bdans|\bde)\s+(?:les|ses|leurs|ces|tous les|toutes les)\s*$")

# "la fiche du back", "d'après la fiche back-office", "sa fiche au middle": the sheet a question names as its source
_SHEET_OF = re.compile(r"\bfiches?\s+(?:metiers?\s+)?(?:du|de la|de l'|des|de|d'|au|sur le|sur la)?\s*"
                       r"(?:gestionnaires?\s+)?(?:de\s+|du\s+)?$")


def sheet_named(text: str) -> JobInfo | None:
    """The one job whose sheet the message names as what it asks about ("la fiche du back dit que … ?"), else None."""
    folded = fold(text)
    named = {job for start, job in queries.job_mentions(text) if _SHEET_OF.search(folded[max(0, start - 40):start])}
    return next(iter(named)) if len(named) == 1 else None


def plan_moves(text: str, jobs: list[JobInfo]) -> Plan:
    """The move asked, and the other way round too when the message says so ("du middle au back et inversement ?",
    "dans les deux sens")."""
    plan = plan_move(text, jobs)
    folded = fold(text)
    if not any(contains_phrase(folded, cue) for cue in queries.vocabulary().reverse_cues):
        return plan
    source, target = move_order(text, jobs)
    back = plan_move(f"passer du {target.name} au {source.name} ?", [target, source])
    return Plan([*plan.parts, *(p for p in back.parts if p not in plan.parts)], precise=True)


def move_order(text: str, jobs: list[JobInfo]) -> tuple[JobInfo, JobInfo]:
    """(the job one leaves, the job one goes to): "du back", "en BO", "depuis le back" name the first; "au
    middle", "vers le MO" the second; otherwise the order written."""
    folded = fold(text)
    score = {job: 0 for job in jobs[:2]}
    for start, job in queries.job_mentions(text):
        if job in score:
            before = folded[max(0, start - 25):start]
            score[job] += 2 if _COMES_FROM_BEFORE.search(before) else 1 if _WORKS_IN_BEFORE.search(before) else \
                -1 if _TO_BEFORE.search(before) else 1 if _FROM_BEFORE.search(before) else 0
    first, second = jobs[0], jobs[1]
    return (second, first) if score[second] > score[first] else (first, second)
