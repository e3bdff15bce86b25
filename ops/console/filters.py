"""What the operator asks the message list for: the filters, a text search and a page, checked at the door.

A bad value the page would never send (a page number that is not one, a search longer than the box allows) is a
`BadFilter` with its French reason, answered 400 by the server; a date that is not one is ignored as before. The
search folds accents, case and punctuation (ops/console/text.fold) on both sides; every word searched
must begin a word of the message.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from ops.console.store import FLAGS, Turn
from ops.console.text import fold

MAX_SEARCH = 200          # characters of the search box (its maxlength)
PAGE_SIZE = 100           # messages per page of the list
MAX_PAGE = 100_000
STATES = ("todo", "reviewed", "ignored", "labelled")


class BadFilter(ValueError):
    """A filter the console refuses; the argument is the French reason shown to the operator."""


def _valid_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat() if value else ""
    except ValueError:
        return ""


def search_words(text: str) -> tuple[str, ...]:
    """The folded words to find, or BadFilter for a search too long or with nothing to look for."""
    if len(text) > MAX_SEARCH:
        raise BadFilter(f"Recherche trop longue : {MAX_SEARCH} caractères au plus ({len(text)} reçus).")
    words = _words(text)
    if text.strip() and not words:
        raise BadFilter("La recherche ne contient ni lettre ni chiffre.")
    return words


def _words(text: str) -> tuple[str, ...]:
    """Folded words, apostrophes apart: "C'est" -> ("c", "est")."""
    return tuple(word for word in re.split(r"[\s']+", fold(text)) if word)


def page_number(query: dict[str, str]) -> int:
    """The page asked for (1 when none), or BadFilter."""
    raw = query.get("page", "").strip() or "1"
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and 1 <= int(raw) <= MAX_PAGE):
        raise BadFilter(f"Numéro de page invalide : « {raw[:20]} » (un nombre entier à partir de 1).")
    return int(raw)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def one_page(items: list, page: int, size: int = PAGE_SIZE) -> list:
    """The items of page `page` (1-based), or BadFilter past the last page."""
    pages = page_count(len(items), size)
    if page > pages:
        raise BadFilter(f"La page {page} n'existe pas : {pages} page{'s' if pages > 1 else ''} pour ces filtres.")
    return items[(page - 1) * size: page * size]


@dataclass(frozen=True)
class TurnFilter:
    channel: str = ""
    date_from: str = ""         # YYYY-MM-DD, inclusive
    date_to: str = ""
    intent: str = ""
    job: str = ""
    flag: str = ""              # one of FLAGS, or "any"
    status: str = ""            # "todo" (neither reviewed nor ignored), "reviewed", "ignored", "labelled" or ""
    advisors: bool = False      # include the advisors' shell tests
    words: tuple[str, ...] = ()  # folded words of the search box, all to be found in the folded message

    @classmethod
    def from_query(cls, query: dict[str, str]) -> TurnFilter:
        return cls(channel=query.get("channel", "")[:50], date_from=_valid_date(query.get("from", "")),
                   date_to=_valid_date(query.get("to", "")), intent=query.get("intent", "")[:100],
                   job=query.get("job", "")[:100],
                   flag=query.get("flag", "") if query.get("flag", "") in FLAGS + ("any",) else "",
                   status=query.get("status", "") if query.get("status") in STATES else "",
                   advisors=query.get("advisors", "") in ("1", "true", "on"),
                   words=search_words(query.get("q", "")))

    def describe(self) -> dict:
        """The filter for the access log: the search's word count, never its words (they may be a student's)."""
        described = {k: v for k, v in asdict(self).items() if v and k != "words"}
        return {**described, "search_words": len(self.words)} if self.words else described

    def period(self) -> tuple[float | None, float | None]:
        """The dates as epoch seconds: from the first day's midnight (local time) to the midnight after the last."""
        def midnight(day: str, later: int = 0) -> float | None:
            return (datetime.fromisoformat(day) + timedelta(days=later)).timestamp() if day else None
        return midnight(self.date_from), midnight(self.date_to, 1)

    def keep(self, turn: Turn, status: str) -> bool:
        if turn.advisor and not self.advisors:
            return False
        if self.channel and turn.channel != self.channel:
            return False
        if self.date_from and turn.day < self.date_from or self.date_to and turn.day > self.date_to:
            return False
        if self.intent and turn.intent != self.intent or self.job and turn.job != self.job:
            return False
        if self.flag == "any" and not turn.flags or self.flag and self.flag != "any" and self.flag not in turn.flags:
            return False
        if self.words and not self._found(turn.text):
            return False
        if self.status == "todo":
            return not status
        return not self.status or status == self.status

    def _found(self, text: str) -> bool:
        """Every word searched begins a word of the message: "etudi" finds "étudier", "12" not "112"."""
        said = _words(text)
        return all(any(word.startswith(searched) for word in said) for searched in self.words)
