"""The filtered messages as a CSV file for a spreadsheet: what was said, understood and decided, never who said it.

No sender id (nor anything else naming a student) is written. UTF-8 with a byte order mark and `;` between
columns: French Excel then opens the accents and the columns right, with the confidence as a number ("0,91"). A
cell that a spreadsheet would run as a formula (a student's "=HYPERLINK(…)", "+33…", "-…", "@…") starts with an
apostrophe and is shown as text.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from ops.console.marks import Mark
from ops.console.store import Turn

COLUMNS = ("date", "canal", "message", "intention", "confiance", "métier", "thème", "signaux", "état",
           "revu par", "revu le")
FLAG_LABELS = {"fallback": "non compris", "out_of_scope": "hors sujet", "low_confidence": "confiance faible",
               "rephrased": "reformulé juste après", "asked_again": "redemandé", "disliked": "noté 👎"}
STATUS_LABELS = {"reviewed": "revu", "ignored": "ignoré", "labelled": "étiqueté"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # control characters, lone surrogates


def safe_cell(value: str) -> str:
    """The value as a spreadsheet shows it, never runs it; control characters (a student's NUL broke the whole
    export) and lone surrogates (not UTF-8) are left out."""
    value = "'" + value if value.startswith(FORMULA_STARTS) else value
    return _UNWRITABLE.sub("", value)


def row(turn: Turn, mark: Mark | None) -> list[str]:
    marked = mark.to_json() if mark else {}
    when = datetime.fromtimestamp(turn.timestamp).strftime("%Y-%m-%d %H:%M")
    return [when, turn.channel, " ".join(turn.text.split()), turn.intent,
            f"{turn.confidence:.2f}".replace(".", ","), turn.job, turn.topic,
            ", ".join(FLAG_LABELS.get(flag, flag) for flag in turn.flags),
            STATUS_LABELS.get(mark.status, mark.status) if mark else "à revoir",
            marked.get("marked_by", ""), marked.get("marked_at", "")]


def csv_bytes(rows: list[tuple[Turn, Mark | None]]) -> bytes:
    """The CSV file of these messages, in their order, with its header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for turn, mark in rows:
        writer.writerow([safe_cell(cell) for cell in row(turn, mark)])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
