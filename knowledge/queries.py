"""The query functions actions use: plain dataclasses in, plain dataclasses out, no SQL outside.

Nothing connects at import time. The default repository reads `KNOWLEDGE_DB_URL` (see common/settings.py)
on first use; its answers are cached, since the base only changes with a rebuild and a restart.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from sqlalchemy import select
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge.db import get_engine
from knowledge.entailment import ClaimReader
from knowledge.glossary import Term, load_glossary
from knowledge.loader import TopicDef, load_topics
from knowledge.matching import Analyzer, FactIndex, IndexedFact
from knowledge.models import Alias, Fact, Job, SkillLevel
from knowledge.question import career_direction as direction_of
from knowledge.text import compact, fold, phonetic
from knowledge.vocabulary import FilterValue, Vocabulary, contains_phrase, load_vocabulary

REBUILD_HINT = "run `make kb` (python -m knowledge build) to build it"
# Words before a job name that are not part of it: "et pour le", "gestionnaire de", "un"...
_JOB_TITLE_PREFIX = re.compile(r"^((et|pour|le|la|les|un|une|du|de|des|l'|en|au|aux|gestionnaires?|gestionaires?)\s+)+")


# "après le bak", "il a eu le bak", "je passe le bak": the exam, not the job, in whatever spelling
_EXAM_WORDS = frozenset({"apres", "avant", "depuis", "sans", "avec", "eu", "aura", "passe", "passer", "passes",
                         "passent", "obtenu", "obtenir", "obtient", "rate", "rater", "reussi", "reussir", "preparer",
                         "prepare", "pendant", "pour"})


class KnowledgeBaseUnavailable(RuntimeError):
    """The knowledge base is missing, empty or unreadable."""


@dataclass(frozen=True)
class JobInfo:
    id: str
    name: str


@dataclass(frozen=True)
class SourceInfo:
    publisher: str
    title: str
    url: str | None
    quote: str


@dataclass(frozen=True)
class FactItem:
    text: str
    quote: str
    group: str | None = None
    level: int | None = None
    level_label: str | None = None
    skill_type: str | None = None
    code: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    direction: str | None = None


@dataclass(frozen=True)
class FoundFact:
    """One fact a message is about: where it is (job, topic) and how much of the message it matches."""

    job: JobInfo
    topic: str
    fact: FactItem
    coverage: float
    matched: tuple[str, ...] = ()
    weight: float = 0.0


@dataclass(frozen=True)
class TopicAnswer:
    """What one job's sheet says on one topic; `facts` is empty when the sheet does not cover it."""

    job: JobInfo
    topic: str
    label: str
    facts: tuple[FactItem, ...]
    source: SourceInfo
    covered_topics: tuple[str, ...] = ()
    instead: TopicAnswer | None = field(default=None)

    @property
    def found(self) -> bool:
        return bool(self.facts)


class KnowledgeRepository:
    """Read access to one knowledge base."""

    def __init__(self, url: str, knowledge_dir: Path, stemmer: str = "snowball"):
        self.url = url
        self.knowledge_dir = Path(knowledge_dir)
        self.topics: dict[str, TopicDef] = load_topics(Path(knowledge_dir) / "topics.yml")
        self.vocabulary: Vocabulary = load_vocabulary(Path(knowledge_dir) / "vocabulary.yml")
        self.stemmer = stemmer
        self._own_duration = own_duration_pattern(self.vocabulary.claims.duration_units)
        self._engine = None
        self.topic_answer = lru_cache(maxsize=512)(self._topic_answer)
        self.resolve_job = lru_cache(maxsize=2048)(self._resolve_job)
        # a message's terms are read several times per answer (and headings' terms for every match)
        self._cached_terms = lru_cache(maxsize=4096)(self._content_terms)
        self.distinct_terms = lru_cache(maxsize=64)(self._distinct_terms)

    # -- connection ----------------------------------------------------------------------------
    def _session(self) -> Session:
        if self._engine is None:
            parsed = make_url(self.url)
            on_disk = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
            if on_disk and not Path(str(parsed.database)).is_file():
                raise KnowledgeBaseUnavailable(f"knowledge base not found at {parsed.database}: {REBUILD_HINT}")
            self._engine = get_engine(self.url)
        return Session(self._engine)

    def check(self) -> dict[str, int]:
        """Fail with a clear message unless the base is readable and holds jobs; return facts per job."""
        try:
            with self._session() as session:
                rows = session.execute(select(Fact.job_id, Fact.id)).all()
                jobs = session.execute(select(Job.id)).scalars().all()
        except SQLAlchemyError as error:
            reason = error.__class__.__name__
            raise KnowledgeBaseUnavailable(f"knowledge base unreadable ({reason}): {REBUILD_HINT}") from None
        if not jobs:
            raise KnowledgeBaseUnavailable(f"knowledge base is empty: {REBUILD_HINT}")
        counts = {job: 0 for job in jobs}
        for job_id, _ in rows:
            counts[job_id] += 1
        return counts

    # -- jobs ----------------------------------------------------------------------------------
    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def list_jobs(self) -> tuple[JobInfo, ...]:
        """Every job of the base, in a stable order."""
        with self._session() as session:
            return tuple(JobInfo(j.id, j.name) for j in session.execute(select(Job).order_by(Job.id)).scalars())

    def job(self, job_id: str) -> JobInfo | None:
        return next((j for j in self.list_jobs() if j.id == job_id), None)

    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def _aliases(self) -> dict[str, str]:
        with self._session() as session:
            return dict(session.execute(select(Alias.compact, Alias.job_id)).all())

    def aliases(self) -> dict[str, list[str]]:
        """Job id -> the aliases as written in the data files (for the generated NLU file)."""
        with self._session() as session:
            result: dict[str, list[str]] = {}
            for job_id, alias in session.execute(select(Alias.job_id, Alias.alias).order_by(Alias.id)).all():
                result.setdefault(job_id, []).append(alias)
            return result

    def _resolve_job(self, text: str | None) -> JobInfo | None:
        """The job a student means ("MO", "back-office", "midle ofice", "gestionnaire de BO"...), or None."""
        if not text or not text.strip():
            return None
        folded = _JOB_TITLE_PREFIX.sub("", fold(text)).strip(" ?!.")
        aliases = self._aliases()
        key = compact(folded)
        job_id = aliases.get(key)
        if job_id is None and len(key) >= 5:  # typos ("middel", "bck office"), never on short codes like "mo"
            candidates = [alias for alias in aliases if alias[:1] == key[:1]]
            close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.8)
            job_id = aliases[close[0]] if close else self._sounds_like(key)
        return self.job(job_id) if job_id else None

    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def _phonetic_aliases(self) -> dict[str, str]:
        """Sound keys of the aliases ("bakofi" for back office), long enough not to meet ordinary words."""
        return {phonetic(alias): job_id for alias, job_id in self._aliases().items() if len(phonetic(alias)) >= 4}

    def _sounds_like(self, key: str) -> str | None:
        """The job whose alias sounds like a compacted word ("bakofis", "midlofis"), or None."""
        sound = phonetic(key)
        if len(sound) < 4:
            return None
        keys = self._phonetic_aliases()
        if sound in keys:
            return keys[sound]
        if len(sound) < 5:
            return None
        close = difflib.get_close_matches(sound, [k for k in keys if k[:1] == sound[:1]], n=1, cutoff=0.85)
        return keys[close[0]] if close and len(sound) >= 6 else None

    def jobs_in_text(self, text: str) -> list[JobInfo]:
        """Jobs named in a message (when the NLU found no `job` entity): aliases written word for word first;
        if none, runs of one or two words close to an alias ("MIDLE OFISE", "bakofice"), as `resolve_job`
        reads an entity value."""
        words = re.findall(r"[a-z0-9]+", fold(text or ""))
        aliases, found = self._aliases(), []
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                job_id = aliases.get("".join(words[start:start + size]))
                job = self.job(job_id) if job_id else None
                if job and job not in found:
                    found.append(job)
        if found:
            return found
        # "et le bak ?": a start that is a diploma only before its diploma words ("bak pro") names a job after an
        # article ("le bak", "du bak", "au bak") when no such word follows
        ambiguous = self.vocabulary.claims.ambiguous_starts
        for at, word in enumerate(words):
            if word in ambiguous and at > 0 and words[at - 1] in ("le", "du", "au") and (
                    at + 1 == len(words) or words[at + 1] not in ambiguous[word]) and (
                    at < 2 or words[at - 2] not in _EXAM_WORDS):
                close = difflib.get_close_matches(word, [a for a in aliases if a[:1] == word[:1]], n=1, cutoff=0.8)
                job = self.job(aliases[close[0]]) if close else None
                if job and job not in found:
                    found.append(job)
        if found:
            return found
        # (not "bak": "bak ofiss" is the back office in SMS, "bak pro" a diploma)
        diplomas = set(self.vocabulary.claims.diploma_starts) - set(self.vocabulary.claims.ambiguous_starts)
        for size in (2, 1):
            for start in range(len(words) - size + 1):
                key = "".join(words[start:start + size])
                if len(key) < 5 or (size == 2 and len(key) < 6):
                    continue
                if any(w in diplomas or w.rstrip("sx") in diplomas for w in words[start:start + size]):
                    continue  # "et les bacs ?": a diploma written whole, though it sounds like "back"
                if len(key) < 7 and size == 1:  # short words meet aliases too easily ("office"):
                    job_id = self._phonetic_aliases().get(phonetic(key))  # only the same sound ("midle")
                else:
                    close = difflib.get_close_matches(key, [a for a in aliases if a[:1] == key[:1]], n=1, cutoff=0.8)
                    job_id = aliases[close[0]] if close else self._sounds_like(key)
                job = self.job(job_id) if job_id else None
                if job and job not in found:
                    found.append(job)
        return found

    # -- topics --------------------------------------------------------------------------------
    def topic_of_text(self, text: str) -> str | None:
        """The topic a free text points to by its keywords (used to focus a comparison), or None."""
        words = fold(text)
        best, best_pos = None, len(words) + 1
        for topic in self.topics.values():
            for keyword in topic.keywords:
                # long keywords are word starts ("competence" -> "competences"); short ones whole words
                tail = r"" if len(keyword) >= 5 else r"s?\b"
                match = re.search(r"\b" + re.escape(fold(keyword)) + tail, words)
                if match and topic.name != "definition" and match.start() < best_pos:
                    best, best_pos = topic.name, match.start()
        return best

    def _source(self, job_id: str) -> SourceInfo:
        with self._session() as session:
            job = session.get(Job, job_id)
            return SourceInfo(job.source_publisher, job.source_title, job.source_url, job.source_quote)

    def _facts(self, job_id: str, topic: str, skill_type: str | None = None) -> tuple[FactItem, ...]:
        with self._session() as session:
            levels = select(SkillLevel.level, SkillLevel.label).where(SkillLevel.job_id == job_id)
            labels = dict(session.execute(levels).all())
            query = select(Fact).where(Fact.job_id == job_id, Fact.topic == topic).order_by(Fact.position)
            if skill_type:
                query = query.where(Fact.skill_type == skill_type)
            return tuple(
                FactItem(
                    text=f.text,
                    quote=f.quote,
                    group=f.group_label,
                    level=f.level,
                    level_label=labels.get(f.level) if f.level else None,
                    skill_type=f.skill_type,
                    code=f.code,
                    url=f.url,
                    aliases=tuple((f.aliases or "").splitlines()),
                    direction=f.direction,
                )
                for f in session.execute(query).scalars()
            )

    def covered_topics(self, job_id: str) -> tuple[str, ...]:
        """Topics this job's sheet covers, in catalogue order (source always included)."""
        with self._session() as session:
            present = set(session.execute(select(Fact.topic).where(Fact.job_id == job_id).distinct()).scalars())
        return tuple(t for t in self.topics if t in present or t == "source")

    def _topic_answer(self, job_id: str, topic: str) -> TopicAnswer:
        """What the sheet of `job_id` says on `topic`; never another job's facts."""
        job = self.job(job_id)
        if job is None:
            raise KeyError(f"unknown job {job_id!r}")
        if topic not in self.topics:
            raise KeyError(f"unknown topic {topic!r}")
        definition = self.topics[topic]
        source = self._source(job_id)
        if topic == "source":
            facts: tuple[FactItem, ...] = (FactItem(text=source.publisher, quote=source.quote, url=source.url),)
        else:
            facts = self._facts(job_id, topic)
        instead = None
        if not facts and definition.instead_topic:
            alt = self._facts(job_id, definition.instead_topic, definition.instead_type)
            if alt:
                instead_label = self.topics[definition.instead_topic].label
                instead = TopicAnswer(job, definition.instead_topic, instead_label, alt, source)
        return TopicAnswer(job, topic, definition.label, facts, source, self.covered_topics(job_id), instead)

    # -- precise questions ----------------------------------------------------------------------
    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def fact_index(self) -> FactIndex:
        """The search index over every fact of every job (built once, on first use)."""
        analyzer = Analyzer(self.vocabulary, stemmer=self.stemmer)
        facts = [
            IndexedFact(job.id, topic, position, fact.text, fact.group, (*fact.aliases, fact.code or ""), key=fact)
            for job in self.list_jobs()
            for topic in self.topics
            if topic != "source"
            for position, fact in enumerate(self.topic_answer(job.id, topic).facts)
        ]
        return FactIndex(facts, analyzer)

    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def glossary(self) -> tuple[Term, ...]:
        """The sheets' own terms with their definitions (knowledge/glossary.yml), for the jobs of this base."""
        with self._session() as session:
            sheets = {job_id: self.knowledge_dir / "sheets" / sheet
                      for job_id, sheet in session.execute(select(Job.id, Job.sheet_file)).all()}
        return load_glossary(self.knowledge_dir / "glossary.yml", sheets, strict=False)

    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def claim_reader(self) -> ClaimReader:
        """What closed questions claim, read with the fact search's own stemmer (knowledge/entailment.py)."""
        return ClaimReader(self.vocabulary.claims, self.vocabulary.abbreviations, self.fact_index().analyzer.stem)

    def _distinct_terms(self, topic: str) -> frozenset[str]:
        """Terms only one fact of `topic` uses, across every job ("gea", "stmg"): writing one names that fact."""
        reader = self.claim_reader()
        counts: dict[str, int] = {}
        for job in self.list_jobs():
            for fact in self.topic_answer(job.id, topic).facts:
                for term in reader.terms_of(fact.text):
                    counts[term] = counts.get(term, 0) + 1
        return frozenset(term for term, count in counts.items() if count == 1)

    def find_facts(self, text: str, job_ids: tuple[str, ...] | None = None,
                   topic: str | None = None) -> list[FoundFact]:
        """Facts the message mentions, best first; `topic` breaks ties in favour of the asked topic.

        Args:
            text: the student's message (typos, no accents and SMS forms are fine).
            job_ids: the jobs to search (None: every job).
            topic: the topic the NLU understood, if any.
        """
        said = self._own_duration.sub(" ", self.without_job_names(text))  # "depuis 6 ans": the student, not "niveau 6"
        matches = self.fact_index().search(said, job_ids)
        matches.sort(key=lambda m: (-m.coverage, m.fact.topic != topic))
        # the index is built from this base's jobs and FactItems (fact_index)
        return [FoundFact(cast(JobInfo, self.job(m.fact.job_id)), m.fact.topic, cast(FactItem, m.fact.key), m.coverage,
                          m.matched, m.weight)
                for m in matches]

    def facts_quoting(self, text: str, job_ids: tuple[str, ...] | None = None) -> list[FoundFact]:
        """Facts whose sheet line holds every word the message asks about ("c'est quoi RNCP ?": the diplomas' links;
        "comportementale": the skills typed so), for a word the search ignores or a fact's text leaves out.

        Only the message's own words count (not its stopwords, question words nor jobs' names), one to three of
        them, each whole in the sheet's line, its code, link or skill type."""
        ignored = self.vocabulary.stopwords | self.vocabulary.term_question_words
        words = [w for w in re.findall(r"[a-z0-9]+", self.without_job_names(text)) if w not in ignored]
        if not 1 <= len(words) <= 3 or all(len(w) < 3 or w.isdigit() for w in words):
            return []
        found = []
        for job in self.list_jobs():
            if job_ids is not None and job.id not in job_ids:
                continue
            for topic in self.topics:
                if topic == "source":
                    continue
                for fact in self.topic_answer(job.id, topic).facts:
                    line = fold(" ".join(filter(None, (fact.quote, fact.code, fact.url, fact.skill_type))))
                    if all(contains_phrase(line, w) for w in words):
                        # the fact's own text first: a sheet line may run two columns together
                        said = all(contains_phrase(fold(fact.text), w) for w in words)
                        found.append(FoundFact(job, topic, fact, 1.0 if said else 0.9, tuple(words)))
        return sorted(found, key=lambda f: -f.coverage)

    def in_sheet_words(self, found: FoundFact, heading: bool = True) -> bool:
        """Whether the message's words that found a fact are the sheet's own (text, heading, code), not only the
        aliases the knowledge base adds ("cartes bancaires" for "outils monétiques"); `heading=False`: in the fact's
        own text or code, not only in the heading of its list."""
        own = " ".join((found.fact.text, found.fact.group or "" if heading else "", found.fact.code or ""))
        return self.fact_index().in_own_words(own, found.matched)

    def career_direction(self, text: str) -> str | None:
        """Whether a career question is about where one comes from ("from") or where one goes ("to")."""
        return direction_of(self.without_job_names(text, marker=" jobname "), self.vocabulary, {"jobname"})

    @lru_cache(maxsize=1)  # noqa: B019 - one repository per process (default_repository): nothing leaks
    def _job_name_pattern(self) -> re.Pattern:
        names = {re.sub(r"^(le|la|les|l') +", "", fold(a)) for aliases in self.aliases().values() for a in aliases}
        names |= {fold(job.name) for job in self.list_jobs()}
        # "back-office" also matches "back office" and "backoffice" (the aliases table keeps one spelling of each)
        spelled = sorted((r"[\s\-_.']*".join(map(re.escape, re.split(r"[\s\-_.']+", n))) for n in names if n.strip()),
                         key=len, reverse=True)
        title = r"(?:gestionnaires?\s+(?:de\s+|du\s+)?)?"
        english = r"(?:\s+(?:manager|managers|officer|officers|clerk|clerks|analyst|analysts))?"  # "back office clerk"
        return re.compile(r"(?<![a-z0-9])" + title + "(?:" + "|".join(spelled) + r")" + english + r"(?![a-z0-9])")

    def job_mentions(self, text: str) -> list[tuple[int, JobInfo]]:
        """Where each known job is named in the folded message, in order ("du back au middle")."""
        found = []
        for match in self._job_name_pattern().finditer(fold(text or "")):
            job = self.resolve_job(match.group(0))
            if job is not None:
                found.append((match.start(), job))
        return found

    def without_job_names(self, text: str, marker: str = " ") -> str:
        """The folded message with the jobs' names taken out ("le back office gère..." -> "le  gère..."):
        whole names only, so a job named "conseiller patrimoine" leaves "conseiller clientèle" alone."""
        return self._job_name_pattern().sub(marker, fold(text or ""))

    def content_terms(self, text: str) -> list[str]:
        """The terms of a message the fact search reads (empty: it names only a topic or a job)."""
        return list(self._cached_terms(text))

    def _content_terms(self, text: str) -> tuple[str, ...]:
        # the job's name as a word the search ignores: "c koi 1 midl ofis" keeps the "1" before it an SMS "un"
        return tuple(self.fact_index().query_terms(self.without_job_names(text, marker=" metier ")))

    def filtered_facts(self, job_id: str, topic: str, filters: tuple[FilterValue, ...]) -> tuple[FactItem, ...] | None:
        """The facts of one topic that pass every filter; None when the sheet does not carry what a filter reads.

        Skill types and levels are the sheet's own ratings; diploma kinds and study levels are words of the
        diploma's text ("BTS Banque", "Niveau 5 BTS/DUT (bac + 2)").
        """
        facts = self.topic_answer(job_id, topic).facts
        # values of one kind widen ("comportementales et organisationnelles"), kinds narrow ("techniques niveau 4")
        by_kind: dict[str, list[FilterValue]] = {}
        for item in filters:
            by_kind.setdefault(item.kind, []).append(item)
        for kind, items in by_kind.items():
            if kind == "skill_type" and not any(f.skill_type for f in facts):
                return None
            if kind == "skill_level" and not any(f.level for f in facts):
                return None
            facts = tuple(f for f in facts if any(_passes(f, item) for item in items))
        return facts

    def compare(self, topic: str) -> tuple[TopicAnswer, ...]:
        """Every job side by side on one topic."""
        return tuple(self.topic_answer(job.id, topic) for job in self.list_jobs())


def _passes(fact: FactItem, item: FilterValue) -> bool:
    """Whether one fact passes one filter value: the sheet's own rating, or a word of the diploma's text."""
    if item.kind == "skill_type":
        return fact.skill_type == item.value
    if item.kind == "skill_level":
        return fact.level == int(item.value)
    return any(re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", fold(fact.text)) for word in item.match)


@lru_cache(maxsize=1)
def default_repository() -> KnowledgeRepository:
    """The repository configured by the environment (built on first use, then shared)."""
    from common.settings import get_settings

    settings = get_settings()
    return KnowledgeRepository(settings.knowledge_db_url, settings.knowledge_dir)


def list_jobs() -> tuple[JobInfo, ...]:
    """Every known job."""
    return default_repository().list_jobs()


def resolve_job(text: str | None) -> JobInfo | None:
    """The job a student's wording means, or None."""
    return default_repository().resolve_job(text)


def jobs_in_text(text: str) -> list[JobInfo]:
    """Jobs named word for word in a message."""
    return default_repository().jobs_in_text(text)


def topic_answer(job_id: str, topic: str) -> TopicAnswer:
    """One job's facts on one topic (empty facts = the sheet doesn't say)."""
    return default_repository().topic_answer(job_id, topic)


def compare(topic: str) -> tuple[TopicAnswer, ...]:
    """All jobs side by side on one topic."""
    return default_repository().compare(topic)


def topic_of_text(text: str) -> str | None:
    """The topic a free text names by keyword, or None."""
    return default_repository().topic_of_text(text)


# How long the student has done something, or their age ("depuis 6 ans", "j'ai 16 ans", "âgé de 38 ans"): what they
# say of themselves, never a figure of a sheet to look for; the units are the vocabulary's (claims.duration_units)
# ("dans 10 ans", "d'ici 5 ans": when, in the student's future — no figure of a sheet either)
_OWN_DURATION_LEAD = (r"\b(?:depuis|ca fait|cela fait|j'ai|jai|il a|elle a|age de|agee de|ages de|agees de|dans|"
                      r"d'ici)\s+(?:plus de\s+|moins de\s+|environ\s+)?\d+\s*")


def own_duration_pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    """The student's own duration or age, with the vocabulary's units (longest first: "annees" before "an")."""
    alternatives = "|".join(map(re.escape, sorted(units, key=len, reverse=True))) or r"(?!x)x"
    return re.compile(_OWN_DURATION_LEAD + rf"(?:{alternatives})\b")


def facts_quoting(text: str, job_ids: tuple[str, ...] | None = None) -> list[FoundFact]:
    """Facts whose sheet line holds the words asked (see KnowledgeRepository.facts_quoting)."""
    return default_repository().facts_quoting(text, job_ids)


def find_facts(text: str, job_ids: tuple[str, ...] | None = None, topic: str | None = None) -> list[FoundFact]:
    """Facts a message mentions, best first (see KnowledgeRepository.find_facts)."""
    return default_repository().find_facts(text, job_ids, topic)


def filtered_facts(job_id: str, topic: str, filters: tuple[FilterValue, ...]) -> tuple[FactItem, ...] | None:
    """One topic's facts that pass the filters (None: the sheet does not rate or classify them)."""
    return default_repository().filtered_facts(job_id, topic, filters)


def glossary() -> tuple[Term, ...]:
    """The sheets' own terms (knowledge/glossary.yml)."""
    return default_repository().glossary()


def in_sheet_words(found: FoundFact, heading: bool = True) -> bool:
    """Whether a fact was found by the sheet's own words (see KnowledgeRepository.in_sheet_words)."""
    return default_repository().in_sheet_words(found, heading)


def claim_reader() -> ClaimReader:
    """Reads what a closed question claims and checks it against a fact (the gate before "oui")."""
    return default_repository().claim_reader()


def distinct_terms(topic: str) -> frozenset[str]:
    """Terms only one fact of a topic uses (cached per topic)."""
    return default_repository().distinct_terms(topic)


def job_mentions(text: str) -> list[tuple[int, JobInfo]]:
    """Where each known job is named in the folded message, in order."""
    return default_repository().job_mentions(text)


def without_job_names(text: str, marker: str = " ") -> str:
    """The folded message with the known jobs' names replaced by `marker`."""
    return default_repository().without_job_names(text, marker)


def career_direction(text: str) -> str | None:
    """"from", "to" or None: the direction a career question asks about."""
    return default_repository().career_direction(text)


def jobs_wording() -> dict[str, str]:
    """The known jobs as the bot's sentences name them: {known_jobs} ("gestionnaire de back-office et
    gestionnaire middle-office") and {jobs_count} ("deux"), so that adding a job changes every sentence."""
    names = [job.name[:1].lower() + job.name[1:] for job in list_jobs()]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    count = (default_repository().vocabulary.number_words or {}).get(len(names), str(len(names)))
    return {"known_jobs": joined, "jobs_count": count}


def content_terms(text: str) -> list[str]:
    """The terms of a message the fact search reads."""
    return default_repository().content_terms(text)


def vocabulary() -> Vocabulary:
    """The words of precise questions (knowledge/vocabulary.yml)."""
    return default_repository().vocabulary


def topics() -> dict[str, TopicDef]:
    """The topic catalogue."""
    return default_repository().topics
