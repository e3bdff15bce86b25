"""bot/nlg.py: Rasa's response generator fills {known_jobs} / {jobs_count} from the knowledge base."""
from __future__ import annotations

import re

import yaml
from rasa.shared.core.domain import Domain

from bot.nlg import NEUTRAL_WORDING, JobsNaturalLanguageGenerator
from common.settings import PROJECT_DIR
from knowledge import queries
from knowledge.text import fold

DOMAIN_FILE = PROJECT_DIR / "domain.yml"


def _generator() -> JobsNaturalLanguageGenerator:
    return JobsNaturalLanguageGenerator(domain=Domain.load(str(DOMAIN_FILE)))


def _text(generator, response: str, **values) -> str:
    return generator.generate_from_slots(response, {}, "rest", **values)["text"]


def test_responses_name_and_count_the_jobs_of_the_knowledge_base(default_kb):
    from knowledge import queries

    generator = _generator()
    greet = _text(generator, "utter_greet")
    count = queries.jobs_wording()["jobs_count"]  # "deux", "trois" with a third job added as data
    assert f"{count} métiers" in greet and all(fold(job.name) in fold(greet) for job in queries.list_jobs())
    assert f"je ne connais que {count} metiers" in fold(_text(generator, "utter_out_of_scope"))
    if len(queries.list_jobs()) == 2:
        assert count == "deux"


def test_every_response_renders_without_a_placeholder_left(default_kb):
    generator = _generator()
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    for name in responses:
        values = {key: "x" for key in ("job_name", "facts", "source", "topic_label", "instead_label", "publisher",
                                       "title", "url", "max_chars", "where", "other_job_name", "count", "total",
                                       "filter_label", "filter_name", "definition", "item", "question", "answer",
                                       "own_where", "own_facts", "shown", "parts", "headings")}
        text = _text(generator, name, **values)
        assert not re.search(r"\{\w+\}", text) and "None" not in text, (name, text)


def test_a_third_job_is_named_and_counted(third_job_kb):
    greet = _text(_generator(), "utter_greet")
    assert "trois métiers" in greet and "conseiller en gestion de patrimoine" in greet


def test_an_unreadable_base_gives_a_neutral_wording(monkeypatch, tmp_path):
    monkeypatch.setenv("KNOWLEDGE_DB_URL", f"sqlite:///{tmp_path / 'missing.sqlite3'}")
    queries.default_repository.cache_clear()
    try:
        assert NEUTRAL_WORDING["known_jobs"] in _text(_generator(), "utter_help")
    finally:
        queries.default_repository.cache_clear()


def test_no_response_names_a_job_in_its_own_words(default_kb):
    """Every sentence that names the jobs takes them from {known_jobs}: adding a job changes no wording."""
    names = {fold(alias) for aliases in queries.default_repository().aliases().values() for alias in aliases
             if len(alias) > 3}
    for key, variations in yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"].items():
        for variation in variations:
            text = fold(variation.get("text") or "")
            assert not [n for n in names if n in text], key
