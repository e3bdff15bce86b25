"""What shape a student's message has: yes/no or open question, which attribute, filters, topics named.

Plain functions over the vocabulary (no Rasa): the answer planner reads them beside the NLU's intent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold
from knowledge.vocabulary import FilterValue, Vocabulary, contains_phrase, said_plainly

YES_NO, OPEN, STATEMENT = "yes_no", "open", "statement"
LEVEL_FILTER = "skill_level"  # the filter of the rated topic ("compétences de niveau 4": a list, not a yes/no)


@dataclass(frozen=True)
class QuestionShape:
    form: str  # YES_NO, OPEN or STATEMENT
    attribute: str | None  # "level", "code", "url", "job" or None
    topics_named: tuple[str, ...]  # topics the message names, in the order written
    filters: tuple[FilterValue, ...]
    content: str  # the folded message without its filter words (what the fact search reads)
    after: tuple[FilterValue, ...] = ()  # diploma kinds written as a starting point ("après le bac")


_IN_A_LIST = re.compile(r"\b(?:dans|de|sur|parmi) (?:la|les|cette|ces|ta|sa|leur) $")  # "il est dans la liste ?"


_IS_OF_ONE = re.compile(r"\b(?:c'est|c est|cest|est-ce|est-il|est-elle|est un|est une|sont des)\b")  # said of one thing


# "et s'il y a une erreur avec un client ?", "et si le client paie pas ?": what happens then — an open question, no
# claim to say "oui" to (unless a closed question follows the condition: "si j'ai un bac pro, je peux ?")
_ALSO = ("aussi", "egalement", "de meme")  # "et l'allemand aussi ?": the closed question before, of another thing
_HYPOTHESIS = re.compile(r"^(?:et |mais |ok |donc |du coup |bon )*(?:si|s'il|s'ils|s il|s ils)\b[^,]*\??\s*$")


# "c'est plus technique ou relationnel ?", "plutôt bureau ou terrain ?": which of two, never a yes
_WHICH_OF_TWO = re.compile(r"\b(?:plus|plutot|davantage|moins|surtout)\b[^?.!]*\bou\b(?!\s+(?:pas|non)\b)")


# "gérer les outils monétiques = ?": what it means, never a yes
_EQUALS_WHAT = re.compile(r"=\s*\?*\s*$")


# "pourriez-vous me les détailler ?", "tu peux m'expliquer …", "pouvez-vous nous présenter …": asked for, to the writer
_REQUEST = re.compile(r"\b(?:pourriez|pouvez|pourrais|peux|peut|pourrait)(?:[- ](?:vous|tu))?\s+(?:svp\s+|stp\s+)?"
                      r"(?:me|m'|nous)\s*(?:les\s+|la\s+|le\s+|l'|en\s+|y\s+)?(?:detailler|preciser|indiquer|expliquer|"
                      r"lister|citer|donner|presenter|decrire|rappeler|enumerer|resumer|communiquer|dire|parler)\b")


# "seulement les métiers où on peut aller", "juste les compétences du back": a part of a list asked for
_ONLY_THE = re.compile(r"^\W*(?:(?:et|ok|alors|donc|bon)\s+)?(?:seulement|juste|uniquement|rien que|que)\s+"
                       r"(?:les|la|le|l'|ses|sa|son|des|ceux|celles)\b")


# "se situe où", "ça se passe où ?", "il travaille où ?", "c'est où ?": where (folded "ou" is also "or")
_WHERE = re.compile(r"\b(?:situe|situent|trouve|trouvent|passe|passent|travaille|travaillent|bosse|bossent|place|"
                    r"positionne|positionnent|exerce|exercent|c'est|cest)\s+ou\b(?!\s+(?:le|la|les|un|une|des|pas)\s|\s+l')")


# "si y a un litige, c'est le middle qui fait l'intermédiaire ?": a cleft after the condition, a closed question
_CLEFT = re.compile(r"\b(?:c'est|c est|cest|c)\s+(?:le|la|les|l'|lui|elle|eux|elles)\b[^?]*?\bqui\b")


def _form(folded: str, vocabulary: Vocabulary) -> str:
    if (_HYPOTHESIS.match(folded.strip()) and not _CLEFT.search(folded)) or _WHICH_OF_TWO.search(folded) \
            or _EQUALS_WHAT.search(folded):
        return OPEN
    for cue in vocabulary.indirect_yes_no:
        match = contains_phrase(folded, cue)
        if match and not any(contains_phrase(folded[match.end():], w) for w in vocabulary.wh_words):
            return YES_NO  # "pourriez-vous m'indiquer si c'est accessible"
    attribute = _attribute(folded, vocabulary)
    rated = {topic for kind, topic in vocabulary.filter_topics.items() if kind == LEVEL_FILTER}
    names_level = any(contains_phrase(folded, w) for words in vocabulary.claims.levels.values() for w in words)
    asks_for = any(_asks_for(folded, w) for w in vocabulary.wh_words)
    if attribute == "level" and names_level and (not rated & set(_topics_named(folded, vocabulary))
                                                 or (not asks_for and _IS_OF_ONE.search(folded))):
        # "l'anglais c'est niveau expert ?", "gérer le stress, c'est une compétence de niveau expert ?": the level
        # named is asked of one thing, a yes/no question ("quelles compétences de niveau expert ?" asks for a list)
        attribute = None
    if asks_for or attribute:
        return OPEN  # "niveau d'études demandé ?" asks for a value, not for a yes
    if _WHERE.search(folded):
        return OPEN  # "et le middle se situe où là-dedans ?": "où" (where), not "ou" (or)
    if _REQUEST.search(folded):
        return OPEN  # "pourriez-vous me les détailler ?", "tu peux m'expliquer le BO ?": a request, not a yes/no
    if _ONLY_THE.match(folded) and not folded.rstrip().endswith("?"):
        return OPEN  # "seulement les métiers où on peut aller après le middle": a part of a list asked for
    if _noun_follow_up(folded, vocabulary) and not any(contains_phrase(folded, c) for c in _ALSO):
        return OPEN  # "et l'expérience demandée ?": what the sheet says of it, not a yes ("et l'allemand aussi ?" is)
    if folded.rstrip().endswith("?") or any(contains_phrase(folded, c) for c in vocabulary.yes_no_cues):
        return YES_NO
    # French inversion: "gère-t-il", "faut-il", "peut-on"
    if re.search(r"[a-z]-(t-)?(il|elle|on)\b", folded):
        return YES_NO
    return STATEMENT


# "faut venir en costume quand on est au middle office ?": "quand" opening a clause (a subject after it) inside the
# sentence says when, it does not ask it
_RELATIVE_CE = re.compile(r"[a-z]-(?:t-)?(?:il|elle|ils|elles|on)\b.*\b(?:a|avec|de|par|selon)\s+(?:ce\s+)?$")
_WHEN_CLAUSE = re.compile(r"\s*(?:on|il|elle|ils|elles|je|j'|tu|t'|nous|vous)\b")


def _asks_for(folded: str, wh_word: str) -> bool:
    """A wh-word that asks for a value: "la liste des compétences", not "il est dans la liste ?"."""
    match = contains_phrase(folded, wh_word)
    if match is not None and _RELATIVE_CE.search(folded[:match.start()]):
        return False  # "ce profil correspond-il à ce qu'indique la fiche ?": a relative clause, the question is closed
    if match is not None and wh_word == "quand" and re.search(r"[a-z]", folded[:match.start()]) \
            and not re.fullmatch(r"\W*(?:et|mais|alors|donc|ok)?\W*", folded[:match.start()]) \
            and _WHEN_CLAUSE.match(folded[match.end():]):
        return False
    if match is not None and _RELATIVE_WHERE.search(folded[:match.start()]) and wh_word in ("d'ou", "ou ca"):
        return False  # "mon métier fait partie des métiers d'où on vient ?": the sheet's heading, not "from where?"
    if (match is not None and _CLOSING_PLEA.fullmatch(folded[match.start():])
            and re.search(r"[a-z]", folded[:match.start()])):
        return False  # "je peux devenir auditeur stp dis moi": a plea closing the question, which asks no value
    return match is not None and not _IN_A_LIST.search(folded[:match.start()])


# "…, dis-moi", "stp dites-moi !": a request closing the message, nothing asked after it
_CLOSING_PLEA = re.compile(r"(?:dis|dites)[- ]moi(?:\s+(?:stp|svp|steuplait|stv|please|merci))?\s*[?!.]*\s*")


# a noun of jobs right before "d'où": a relative clause ("les métiers d'où l'on vient")
_RELATIVE_WHERE = re.compile(r"\b(?:metiers?|postes?|jobs?|emplois?|professions?|ceux|celui|celles?)\s*$")

_FOLLOW_UP = re.compile(r"^(?:ok |bon |alors |d'accord )?(?:et|puis) (?:pour |avec |niveau |cote |au niveau |"
                        r"concernant |question )?(?:le |la |les |l'|du |des |ses |son |sa )")
# "et expertise ?", "et techniques ?": a filter value alone, no determiner
_BARE_FOLLOW_UP = re.compile(r"^(?:ok |bon |alors |d'accord )?(?:et|puis) (?:en |niveau |au niveau )?([a-z]+)\s*\??$")
_SUBJECTS = {"il", "elle", "on", "ils", "elles", "je", "j", "tu", "c", "ca", "cest", "y", "lui", "eux", "ya"}
# A question this short only makes sense after an answer ("et en expertise ?", "c'est obligatoire ?", "et pourquoi ?",
# "et l'inverse ?", "et un comptable ?"): the one limit the dialogue's follow-up rules share
FOLLOW_UP_WORDS = 6


def _noun_follow_up(folded: str, vocabulary: Vocabulary) -> bool:
    """A follow-up made of a noun phrase ("et l'expérience demandée ?", "et pour les horaires ?"): no subject, no
    yes/no cue, a few words."""
    words = re.findall(r"[a-z0-9]+", folded)
    bare = _BARE_FOLLOW_UP.match(folded.strip())
    if bare and any(bare.group(1) in (fold(f.value), *f.words) for f in vocabulary.filters):
        return True  # "et expertise ?": the facts of that level, not a yes
    return bool(_FOLLOW_UP.match(folded.strip())) and len(words) <= FOLLOW_UP_WORDS \
        and not _SUBJECTS & set(words) and not any(contains_phrase(folded, c) for c in vocabulary.yes_no_cues) \
        and not re.search(r"[a-z]-(t-)?(il|elle|on)\b", folded)


# "quel est son lien avec le middle-office ?", "le lien entre les deux": a relation, not a web link
_RELATION = re.compile(r"\bliens?\s+(?:avec|entre)\b")


def _attribute(folded: str, vocabulary: Vocabulary) -> str | None:
    unrelated = _RELATION.sub(" ", folded)
    for name, cues in vocabulary.attributes.items():
        if any(contains_phrase(unrelated, cue) for cue in cues):
            return name
    return None


_EXCLUDED = re.compile(r"\b(?:pas|sans|sauf|hors|ni)\s+(?:les?\s+|la\s+|l'|des?\s+|d')?$")


def _topics_named(folded: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """Topics the message asks about, in the order written; "pas les compétences" excludes that topic."""
    found: list[tuple[int, str]] = []
    for topic, names in vocabulary.topic_names.items():
        starts = [m.start() for m in (contains_phrase(folded, n) for n in names)
                  if m and not _EXCLUDED.search(folded[max(0, m.start() - 12):m.start()])]
        if starts:
            found.append((min(starts), topic))
    return tuple(topic for _, topic in sorted(found))


# "après le bac", "en sortant de l'école": where the student starts from, not a filter
_STARTING_POINT = re.compile(r"\b(?:(?:apres|apre) (?:le|la|l'|un|une|mon|ma|son|sa|ton|ta) ?|"
                             r"(?:en sortant|a la sortie|sorti|sortie|sortant"
                             # "quelles formations au-delà du BTS ?": what follows it
                             r"|au-dela|au dela|audela|par-dela|suite|a la suite) "
                             r"(?:de l'|de la |du |d'un |d'une |de mon |de ma |de son |de sa |de |d'|au |a un "
                             r"|a une ))$"
                             # "une fois son baccalauréat en poche", "une fois le bac obtenu"
                             r"|\bune fois (?:qu'(?:il|elle|on) (?:aura|a) |que (?:j'aurai|j'ai|tu auras) )?"
                             r"(?:le|la|l'|son|sa|mon|ma|ton|ta|leur) ?$")


# "avec stmg ya koi comme etudes apres": the studies after the diploma named before
_STUDIES_AFTER = re.compile(r"\b(?:etudes?|formations?|ecoles?|diplomes?)\s+(?:apres|ensuite|derriere)\s*[?!.]*\s*$")
# "c'est bac+combien ?", "bac + quoi ?": the studies after it, how far they go
_YEARS_AFTER = re.compile(r"\s*(?:\+|plus)\s*(?:combien|cb|cmb|quoi|koi|\?)")


def find_filters(folded: str, vocabulary: Vocabulary, skipped: list[FilterValue] | None = None,
                 in_jobs: list[FilterValue] | None = None) -> tuple[list[FilterValue], str]:
    """Filters written in the message (longest spelling first, no overlaps) and the message without them.

    `skipped` receives the diploma kinds written as a starting point ("après le bac"), not as a filter; `in_jobs`
    the filter words that start a job's name ("le bac ofis").
    """
    spellings = sorted(((w, f) for f in vocabulary.filters for w in f.words), key=lambda pair: -len(pair[0]))
    found: list[FilterValue] = []
    text = folded
    starts = "|".join(re.escape(w) for w in vocabulary.claims.diploma_starts)
    # "BUT Techniques de commercialisation": a word of a diploma's name, not a filter (the technical skills)
    in_diploma = re.compile(rf"\b(?:{starts})(?:\s+(?:pro|professionnel|professionnelle))?\s+$") if starts else None
    ends = "|".join(re.escape(w) for w in vocabulary.job_name_ends)
    # "le bac ofis": the start of a job's name, not a diploma
    in_job = re.compile(rf"^\s*(?:{ends})\b") if ends else None
    for word, item in spellings:
        match = contains_phrase(text, word)
        if match and in_job and in_job.match(text[match.end():]):
            text = text[:match.start()] + " " * len(word) + text[match.end():]
            if in_jobs is not None:
                in_jobs.append(item)
            continue
        if match and item.kind != "diploma_kind" and in_diploma and in_diploma.search(text[:match.start()]):
            continue
        if match and item.kind == "diploma_kind" and (_STARTING_POINT.search(text[:match.start()])
                                                      or _YEARS_AFTER.match(text[match.end():])
                                                      or _STUDIES_AFTER.search(text[match.end():])):
            if skipped is not None:
                skipped.append(item)
            # "quelles études après le bac": a starting point, neither a filter nor a fact to look for
            text = text[:match.start()] + " " * len(word) + text[match.end():]
            continue
        if match:
            if item not in found:
                found.append(item)
            text = text[:match.start()] + " " * len(word) + text[match.end():]
    return found, " ".join(text.split())


# The student already holds the job named ("je suis gestionnaire jobname", "je bosse en jobname")
_IS_THE_JOB = re.compile(r"\b(?:je suis|jsuis|chui|je travaille|je bosse|j'exerce)\s+"
                         r"(?:en\s+|comme\s+|dans le\s+|au\s+)?(?:gestionnaire\s+)?(?:de\s+|du\s+)?jobname\b")


# "passer DE gestionnaire middle-office À contrôleur de gestion": leaving the job for another (not the other job)
_FROM_THE_JOB = re.compile(r"(?<![a-z0-9'])(?:de|du|d'|depuis)\s*(?:le\s+|la\s+|l')?jobname\s*,?\s*"
                           r"(?:a|au|aux|vers|pour|en)\b(?!\s*(?:le\s+|la\s+|l')?jobname)")


_WHAT = ("quoi", "quel", "quels", "quelle", "quelles")
_ACCORDING_TO = re.compile(r"(?<![a-z0-9])d'apres(?![a-z0-9])")


def career_direction(text: str, vocabulary: Vocabulary, job_words: set[str]) -> str | None:
    """"from" (a job one comes from), "to" (a job one moves on to), or None when the message does not say."""
    folded = _ACCORDING_TO.sub("selon", fold(text or ""))  # "d'après la fiche" is no "après" (a job one moves to)
    words = re.findall(r"[a-z0-9]+", folded)
    if "jobname" in job_words and _FROM_THE_JOB.search(folded):
        return "to"
    held = _IS_THE_JOB.search(folded) if job_words else None
    if held and any(w in vocabulary.become_verbs for w in words) and "jobname" not in folded[held.end():]:
        # "je suis gestionnaire MO, je pourrais devenir secrétaire général ?": from the job in context (not "je suis
        # au back office, ça mène au middle ?": the other job is where one goes)
        return "to"
    comes_from = any(contains_phrase(folded, cue) for cue in vocabulary.career_from
                     if cue not in vocabulary.present_state_cues)
    if comes_from and any(contains_phrase(folded, cue) for cue in vocabulary.career_to):
        return None  # "d'où viennent-ils, et ils partent vers quoi après ?": both directions
    cues = [cue for cue in vocabulary.career_from if contains_phrase(folded, cue)]
    if cues and (any(cue not in vocabulary.present_state_cues for cue in cues)
                 or _names_a_job_after(folded, vocabulary, job_words)):
        return "from"  # "je suis comptable…" comes from a job; "je suis rigoureuse…" says nothing of a direction
    verbs = [i for i, w in enumerate(words) if w in vocabulary.become_verbs]
    jobs = [i for i, w in enumerate(words) if w in job_words]
    if any(words[i - 1] == "vers" or (i > 1 and words[i - 2] == "vers") for i in jobs if i > 0):
        return "from"  # "analyste crédit vers le middle office"
    if any(w in _WHAT for i in verbs for w in words[i + 1:i + 3]):
        return "to"  # "ça mène à quoi, le back office ?", "ça débouche sur quels postes ?": where the job leads
    if verbs and jobs and min(verbs) < max(jobs):  # "X peut devenir gestionnaire MO"
        return "from" if not any(contains_phrase(folded, cue) for cue in vocabulary.career_to) else "to"
    if any(contains_phrase(folded, cue) for cue in vocabulary.career_to) or verbs:
        return "to"  # "après le MO...", "on peut devenir auditeur ?" (from the job in context)
    return None


def both_directions(text: str, vocabulary: Vocabulary) -> bool:
    """"d'où on vient, où on va ensuite ?": where one comes from and where one goes, both asked."""
    folded = _ACCORDING_TO.sub("selon", fold(text or ""))
    comes_from = [cue for cue in vocabulary.career_from if cue not in vocabulary.present_state_cues]
    return (any(contains_phrase(folded, cue) for cue in comes_from)
            and any(contains_phrase(folded, cue) for cue in vocabulary.career_to))


def _names_a_job_after(folded: str, vocabulary: Vocabulary, job_words: set[str], span: int = 4) -> bool:
    """Whether a job (of the sheets, or a job word of the claims) follows a present-state cue ("je suis") within
    `span` words: "je suis au back office", "jsuis conseiller clientèle", not "je suis rigoureuse"."""
    starts = set(vocabulary.claims.job_starts) | job_words
    for cue in vocabulary.present_state_cues:
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(cue)}(?![a-z0-9])", folded):
            if any(w in starts for w in re.findall(r"[a-z0-9'-]+", folded[match.end():])[:span]):
                return True
    return False


_SHAPES_KEPT = 256  # recent messages whose shape is kept (a turn analyses its message and the one before)


def analyse(text: str, vocabulary: Vocabulary, entity_filters: list[FilterValue] | None = None) -> QuestionShape:
    """The shape of one message; `entity_filters` (from the NLU) come first, the text adds what they miss.

    Computed once per message and vocabulary: the shape is immutable and the rules of one turn ask for it several
    times."""
    key = (text, tuple(entity_filters or ()))
    shape = vocabulary.shapes.get(key)
    if shape is None:
        if len(vocabulary.shapes) >= _SHAPES_KEPT:
            vocabulary.shapes.clear()
        shape = vocabulary.shapes[key] = _shape_of(text, vocabulary, entity_filters)
    return shape


def _shape_of(text: str, vocabulary: Vocabulary, entity_filters: list[FilterValue] | None) -> QuestionShape:
    folded = said_plainly(fold(text or ""), vocabulary)
    skipped: list[FilterValue] = []
    in_jobs: list[FilterValue] = []
    found, content = find_filters(folded, vocabulary, skipped, in_jobs)
    # an entity the NLU found inside a longer filter ("bac" in "bac+5") is that filter, not one more
    inside = [f for f in entity_filters or [] if f not in found and any(contains_phrase(folded, w) for w in f.words)
              and not any(contains_phrase(content, w) for w in f.words)]
    filters = [f for f in entity_filters or [] if (f in found or f not in (*skipped, *in_jobs)) and f not in inside]
    filters += [f for f in found if f not in filters]
    return QuestionShape(
        form=_form(folded, vocabulary),
        attribute=_attribute(folded, vocabulary),
        topics_named=_topics_named(folded, vocabulary),
        filters=tuple(filters),
        content=content,
        after=tuple(f for f in dict.fromkeys(skipped) if f not in filters),
    )
