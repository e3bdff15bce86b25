"""The console's "reformulé juste après" signal, measured on 108 pairs labelled apart (tests/e2e/rephrase_pairs.yml,
written by a helper who saw only the job sheets): each pair is sent to the real bot as a two-message conversation,
read back from the tracker store by the console's ConversationStore, and the first message's flag compared with
the label. Issue 23 asks precision and recall of at least 0.8 each."""
from __future__ import annotations

from pathlib import Path

import yaml

from ops.console.store import ConversationStore
from tests.e2e.chat import Chat

PAIRS = Path(__file__).with_name("rephrase_pairs.yml")
BAR = 0.8


def test_rephrase_signal_precision_and_recall(stack):
    pairs = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))["pairs"]
    store = ConversationStore(stack.settings.tracker_db_url, retention_days=30)
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    misses = []
    for pair in pairs:
        chat = Chat(stack.settings.rasa_url, sender=f"rephrase-{pair['id']}")
        chat.say(pair["first"])
        chat.say(pair["second"])
        turns = store.turns(chat.sender)
        assert len(turns) == 2, (pair["id"], [t.text for t in turns])
        flagged = "rephrased" in turns[0].flags
        key = ("t" if flagged == pair["rephrase"] else "f") + ("p" if flagged else "n")
        counts[key] += 1
        if key in ("fp", "fn"):
            misses.append(f"{key} {pair['id']}: {pair['first']} || {pair['second']}")
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    print(f"\nrephrase signal on {len(pairs)} pairs: precision {precision:.2f}, recall {recall:.2f} {counts}")
    assert len(pairs) >= 60 and sum(p["rephrase"] for p in pairs) >= 30
    assert precision >= BAR and recall >= BAR, "\n".join(misses)
