"""action_session_start: slots carried over, and the jobs' names for every sentence that names them."""
from __future__ import annotations

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from bot.settings import PROJECT_DIR
from knowledge import queries
from knowledge.text import fold
from tests.actions.conftest import make_tracker

DOMAIN = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))


def _start(slots: dict) -> list[dict]:
    return ActionSessionStart().run(CollectingDispatcher(), make_tracker("greet", slots=slots), DOMAIN)


def test_session_start_carries_slots_over_and_names_the_jobs(default_kb):
    events = _start({"job": "back-office", "topic": "skills", "question": None})
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"job": "back-office", "topic": "skills", **queries.jobs_wording()}
    assert "gestionnaire de back-office" in slots["known_jobs"] and "gestionnaire middle-office" in slots["known_jobs"]


def test_a_third_job_is_named_and_counted(third_job_kb):
    slots = {e["name"]: e["value"] for e in _start({}) if e["event"] == "slot"}
    assert slots["jobs_count"] == "trois"
    assert slots["known_jobs"] == ("gestionnaire de back-office, gestionnaire middle-office "
                                   "et conseiller en gestion de patrimoine")


def test_no_response_names_a_job_in_its_own_words(default_kb):
    """Every sentence that names the jobs takes them from {known_jobs}: adding a job changes no wording."""
    names = {fold(alias) for aliases in queries.default_repository().aliases().values() for alias in aliases
             if len(alias) > 3}
    for key, variations in DOMAIN["responses"].items():
        for variation in variations:
            text = fold(variation.get("text") or "")
            assert not [n for n in names if n in text], key
