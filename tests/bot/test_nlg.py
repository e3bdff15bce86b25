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


_TUTOIE = re.compile(r"\b(?:tu|te|ta|tes|ton|toi)\b|\bt'|-tu\b|-toi\b"
                     r"|\b(?:demande-moi|pose-moi|choisis|réessaie|écris)\b", re.IGNORECASE)


def _tracker(*texts: str):
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [e for text in texts for e in (UserUttered(text), BotUttered("…"))]
    return DialogueStateTracker.from_events("register-test", events)


def test_the_register_is_read_from_how_the_person_writes():
    from bot.nlg import FORMAL, conversation_register, register_of

    assert register_of("Bonjour, pourriez-vous m'indiquer les études ?") == FORMAL
    assert register_of("Madame, Monsieur, je suis conseillère d'orientation.") == FORMAL
    assert register_of("tu peux me dire c koi le back") == "informal"
    assert register_of("Et les études ?") is None
    # parents and teachers who never write "vous" in that message still write formally
    assert register_of("Nous voudrions surtout comprendre ce qu'elle ferait au quotidien.") == FORMAL
    assert register_of("Notre fille hésite. Cordialement, Famille Lambert") == FORMAL
    assert register_of("Bonjour, ma fille de 18 ans hésite entre le middle-office et le back-office.") == FORMAL
    assert register_of("Je souhaiterais connaître les conditions de travail du gestionnaire middle-office.") == FORMAL
    assert register_of("ma fille c'est ma meilleure amie, tu connais le back ?") == "informal"  # "tu" wins
    # a message that says neither keeps the register of the one before
    assert conversation_register(_tracker("Je vous remercie. Quelles études ?", "Et les horaires ?")) == FORMAL
    assert conversation_register(_tracker("Je vous remercie.", "et toi tu sais ?")) == "informal"
    assert conversation_register(_tracker("salut", "et les études ?")) is None


def test_a_person_who_writes_vous_is_answered_with_vous(default_kb):
    import asyncio

    generator = _generator()
    formal = _tracker("Bonjour, je suis professeur. Pourriez-vous m'aider ?")
    student = _tracker("slt tu connais quels metiers ?")
    for response in ("utter_ask_job", "utter_thank", "utter_not_in_any_sheet", "utter_iamabot"):
        said = asyncio.run(generator.generate(response, formal, "rest", topic_label="salaire"))["text"]
        assert not _TUTOIE.search(said) and re.search(r"\bvous\b|\bvotre\b|-vous\b", said), (response, said)
        told = asyncio.run(generator.generate(response, student, "rest", topic_label="salaire"))["text"]
        assert told != said, response
    buttons = asyncio.run(generator.generate("utter_iamabot", formal, "rest"))["buttons"]
    assert buttons and buttons[0]["payload"] == "/ask_advisor"


def test_every_response_that_tutoies_has_a_vouvoiement_variation():
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    for name, variations in responses.items():
        plain = [v for v in variations if not v.get("condition")]
        formal = [v for v in variations if v.get("condition") == [{"type": "slot", "name": "register",
                                                                    "value": "formal"}]]
        if any(_TUTOIE.search(v.get("text", "")) for v in plain):
            assert formal, name
        for variation in formal:
            assert not _TUTOIE.search(variation["text"]), (name, variation["text"])
            assert [b["payload"] for b in variation.get("buttons", [])] == [
                b["payload"] for b in plain[0].get("buttons", [])], name


def test_the_variation_is_drawn_among_those_that_suit_as_rasa_draws_it():
    """Rasa's filter (channel, conditions), the standard library's uniform draw: every suitable variation comes out,
    no other; an unknown response gives nothing, as with Rasa."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    responses = {"utter_x": [{"text": "a"}, {"text": "b"},
                             {"text": "vous", "condition": [{"type": "slot", "name": "register", "value": "formal"}]},
                             {"text": "web", "channel": "socketio"}]}
    generator = JobsNaturalLanguageGenerator(domain=Domain.from_dict({"responses": responses}))
    rasa_s = TemplatedNaturalLanguageGenerator(responses)
    for slots, channel in (({}, "rest"), ({"register": "formal"}, "rest"), ({}, "socketio")):
        mine = {generator._random_response_for("utter_x", channel, slots)["text"] for _ in range(200)}
        theirs = {rasa_s._random_response_for("utter_x", channel, slots)["text"] for _ in range(200)}
        assert mine == theirs and mine, (slots, channel)
    assert generator._random_response_for("utter_unknown", "rest", {}) is None
    generator.responses = {"utter_new": [{"text": "nouveau"}]}  # what Rasa does when it loads another domain
    assert generator._random_response_for("utter_new", "rest", {})["text"] == "nouveau"
