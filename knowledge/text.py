"""Text folding: one way to compare what students type, and one way to compare quotes with sheets."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " "})


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lowercase, no accents, apostrophes and whitespace folded: how user text is compared. The same texts (the
    message, the facts' texts, the vocabulary) are folded many times per message: the last ones are kept."""
    return " ".join(strip_accents(text.translate(_APOSTROPHES)).lower().split())


def compact(text: str) -> str:
    """`fold` without spaces, hyphens or dots, so "Back-Office", "back office" and "backoffice" meet."""
    return re.sub(r"[\s\-_.']+", "", fold(text))


def normalise_sheet_text(text: str) -> str:
    """Fold a sheet (or a quote) for provenance checks, undoing the PDF extraction's artefacts.

    Artefacts (see the sheets' README): bullets printed as a line-initial "n " and "\ufffd", words split
    by a hyphen at the end of a line, and lost ligatures ("O!ce" = "Office", "a!aires" = "affaires").
    Accents are kept: a quote must match the sheet's own spelling.
    """
    text = text.translate(_APOSTROPHES).replace("\ufffd", "")
    text = re.sub(r"(?m)^\s*n\s+", "", text)
    text = re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "", text)
    text = re.sub(r"(?i)(?<=\w)!ce\b", "ffice", text)
    text = re.sub(r"(?<=\w)!(?=\w)", "ff", text)
    return " ".join(text.lower().split())


_PHONETIC = [(r"ph", "f"), (r"qu", "k"), (r"ck", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"(eau|au)", "o"),
             (r"(ai|ei)", "e"), (r"y", "i"), (r"w", "v"), (r"h", ""), (r"(.)\1+", r"\1"), (r"e(?=[a-z]*$)$", ""),
             (r"[sxtd]$", "")]


def phonetic(text: str) -> str:
    """A rough French sound key of a compacted text: "backoffice", "bakofis" and "bak ofice" meet as "bakofis";
    "middleoffice" and "midlofis" become "midleofis" and "midlofis" (close, for a fuzzy match after it)."""
    key = compact(text)
    for pattern, replacement in _PHONETIC:
        key = re.sub(pattern, replacement, key)
    return key


def as_written(folded_words: str, text: str, max_gap: int = 2) -> str:
    """The student's own spelling of words read folded ("conseiller clientele" -> "conseiller clientèle", "terminale
    generale spe ses" -> "terminale générale avec spé SES"): the shortest stretch of `text` whose words fold to
    these, in order, with up to `max_gap` other words between two of them; the folded words when none is found."""
    wanted = folded_words.split()
    words = [(m.start(), m.end(), fold(m.group(0))) for m in re.finditer(r"[\w'+]+", text or "")]
    best: tuple[int, int] | None = None
    for first in range(len(words)):
        if not wanted or words[first][2] != wanted[0]:
            continue
        at, last, gap = 1, first, 0
        for index in range(first + 1, len(words)):
            if at == len(wanted):
                break
            if words[index][2] == wanted[at]:
                at, last, gap = at + 1, index, 0
            else:
                gap += 1
                if gap > max_gap:
                    break
        if at == len(wanted):
            span = (words[first][0], words[last][1])
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
    return text[best[0]:best[1]] if best else folded_words
