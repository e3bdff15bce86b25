"""Folding of messages, so that the console compares them the way the held-out check does (tests/bot/test_data.py)."""
from __future__ import annotations

import re
import unicodedata

ANNOTATION = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def plain(annotated: str) -> str:
    """The text of a Rasa example without its entity annotations: `le [BO](job)` -> `le BO`."""
    return ANNOTATION.sub(r"\1", annotated)


def fold(text: str) -> str:
    """Lower case, no accents, no annotation, no punctuation, single spaces.

    "C'est quoi le [BO](job) ?" -> "c'est quoi le bo"."""
    text = plain(text).replace("\u2019", "'").lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^\w' ]", " ", text).split())
