"""The words of precise questions (`knowledge/vocabulary.yml`): cues, filters, topic names, short forms."""
from __future__ import annotations

import re
from dataclasses import dataclass
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
    become_verbs: tuple[str, ...] = ()
    number_words: dict[int, str] | None = None

    def filter_value(self, kind: str, raw: str | None) -> FilterValue | None:
        """The filter value an entity's text means ("comportementaux" -> comportementale), or None."""
        key = fold(str(raw or "")).strip(" ?!.,")
        for item in self.filters:
            if item.kind == kind and (key == fold(item.value) or key in item.words):
                return item
        return None


def contains_phrase(folded_text: str, phrase: str) -> re.Match | None:
    """Where `phrase` occurs in `folded_text` as whole words (both already folded)."""
    return re.search(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])", folded_text)


def _folded_list(path: Path, raw, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, (str, int)) for x in raw):
        raise DataFileError(path, None, f"{where} must be a list of words")
    if any(isinstance(x, bool) for x in raw):  # YAML reads bare on/off/yes/no/y/n as booleans
        raise DataFileError(path, None,
                            f"{where}: quote the words on, off, yes, no, y, n (YAML reads them as true/false)")
    return tuple(dict.fromkeys(fold(str(x)) for x in raw))


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
        become_verbs=_folded_list(path, data.get("become_verbs") or [], "become_verbs"),
        number_words={int(k): str(v) for k, v in (data.get("number_words") or {}).items() if k != LINE_KEY},
    )
