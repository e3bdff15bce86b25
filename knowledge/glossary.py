"""The sheets' own terms (`knowledge/glossary.yml`): "ça veut dire quoi Avancé ?", "c'est quoi l'AMF ?".

Each definition rests on a quote of one job's sheet, checked like the facts' quotes when loaded, so a definition
can only say what a sheet says. A third job's terms are data: an entry naming its `job`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.loader import LINE_KEY, DataFileError, read_yaml
from knowledge.text import fold, normalise_sheet_text
from knowledge.vocabulary import contains_phrase

# How a student asks what a word means: the glossary is read only after one of these (or the ask_term intent).
# Strong cues ask for a meaning whatever the word; "c'est quoi" may also ask for a list ("c'est quoi les
# compétences niveau 3 ?"), so it reads only the terms that are not also filters.
STRONG_CUES = ("veut dire", "veux dire", "ca signifie", "signifie", "definition", "definis", "kesako", "what does",
               "meaning", "correspond a quoi", "ca correspond", "vt dire", "veut dir",
               "c'est-a-dire", "c'est a dire", "cest a dire", "c-a-d",  # "c'est-à-dire maîtrise ?"
               "definit", "definissent", "definit-elle", "definissent-elles")  # "comment la fiche définit-elle …"
WEAK_CUES = ("c'est quoi", "cest quoi", "c quoi", "c koi", "ckoi", "qu'est-ce que", "qu'est ce que", "c'est qui",
             "what is", "explique", "quoi l'", "quoi la", "quoi le")
FILTER_TERMS = ("skill-levels", "training-levels")


@dataclass(frozen=True)
class Term:
    id: str
    job_id: str
    words: tuple[str, ...]
    definition: str
    topic: str | None = None  # the list of its sheet the term heads ("depuis ce métier": the careers)
    direction: str | None = None  # ... in that career direction ("to": where one moves on to)
    # the terms right after whose explanation this one is read ("et le back-office ?" after the front-office's
    # definition: the service, not the job); never read otherwise — its words name something else (a job)
    follows: tuple[str, ...] = ()


def load_glossary(path: Path, sheets: dict[str, Path], strict: bool = True) -> tuple[Term, ...]:
    """Load the glossary; every quote must be text of its job's sheet (`sheets`: job id -> sheet file).

    `strict=False` skips the terms of jobs absent from `sheets` (a base built with fewer jobs).
    """
    if not path.is_file():
        return ()
    data = read_yaml(path)
    entries = (data or {}).get("terms") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise DataFileError(path, 1, "expected `terms:` mapping each term id to job, words, definition, quote")
    terms = []
    for term_id, entry in entries.items():
        if term_id == LINE_KEY:
            continue
        line = entry.get(LINE_KEY) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("job", "words", "definition", "quote")):
            raise DataFileError(path, line, f"term {term_id!r}: needs job, words, definition and quote")
        if entry["job"] not in sheets and not strict:
            continue
        if entry["job"] not in sheets:
            raise DataFileError(path, line, f"term {term_id!r}: unknown job {entry['job']!r}")
        sheet = normalise_sheet_text(sheets[entry["job"]].read_text(encoding="utf-8"))
        quotes = entry["quote"] if isinstance(entry["quote"], list) else [entry["quote"]]
        for quote in quotes:
            if normalise_sheet_text(str(quote)) not in sheet:
                raise DataFileError(path, line, f"term {term_id!r}: quote not found in the sheet: {quote!r}")
        words = tuple(fold(str(w)) for w in entry["words"])
        lists = entry.get("lists") or {}
        if not isinstance(lists, dict) or (lists and not lists.get("topic")) or lists.get("direction") not in (
                None, "from", "to"):
            raise DataFileError(path, line, f"term {term_id!r}: `lists` needs a topic (and a direction: from or to)")
        follows = entry.get("follows") or ()
        follows = (follows,) if isinstance(follows, str) else tuple(str(f) for f in follows)
        if any(f not in entries for f in follows):
            raise DataFileError(path, line, f"term {term_id!r}: `follows` names an unknown term: {follows}")
        terms.append(Term(str(term_id), entry["job"], words, str(entry["definition"]),
                          str(lists["topic"]) if lists else None, lists.get("direction"), follows))
    return tuple(terms)


def meaning_asked(folded: str, glossary: tuple[Term, ...]) -> list[Term]:
    """The glossary terms a folded message asks the meaning of (none when it asks no meaning)."""
    found = terms_in(folded, glossary)
    if any(contains_phrase(folded, cue) for cue in STRONG_CUES):
        return found
    if any(contains_phrase(folded, cue) for cue in WEAK_CUES):
        return [t for t in found if t.id not in FILTER_TERMS]
    return []


def terms_in(folded: str, glossary: tuple[Term, ...], explained: Iterable[str] = ()) -> list[Term]:
    """Terms written in a folded message, in the order written (longest spelling wins on overlap); a term that
    `follows` others only when one of them was just `explained`."""
    found: list[tuple[int, Term]] = []
    just = set(explained)
    for term in glossary:
        if term.follows and not just & set(term.follows):
            continue
        starts = [m.start() for m in (contains_phrase(folded, w) for w in term.words) if m]
        if starts:
            found.append((min(starts), term))
    return [term for _, term in sorted(found, key=lambda pair: pair[0])]
