"""The chaos soak's short version (`make chaos` runs it for 10 minutes with 20 conversations): conversations go on
while servers are killed and paused, the database locked and a conversation forgotten; nothing is lost, crossed,
forgotten by the context or brought back after a forget (ops/chaos.py)."""
from __future__ import annotations

from ops.chaos import FAULTS, run


def test_a_short_chaos_soak_loses_nothing(tmp_path):
    report = run(minutes=1.2, conversations=6, every=(4.0, 8.0), kinds=FAULTS, folder=tmp_path)
    print(report)
    assert report["faults"] >= 4 and report["answered"] > 100
    assert report["lost"] == report["crossed"] == report["context_lost"] == report["resurrected"] == 0, report
    assert report["unexpected"] == 0, report
