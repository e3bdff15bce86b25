"""Consistency of the domain, the training data and the held-out test set."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from common.settings import PROJECT_DIR
from knowledge.loader import load_topics
from knowledge.text import fold

DOMAIN = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
VALIDATION = yaml.safe_load((PROJECT_DIR / "tests/validation/action_responses.yml").read_text(encoding="utf-8"))
ACTION_SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_DIR / "actions").glob("*.py"))
CHANNEL_SOURCE = (PROJECT_DIR / "bot/channels.py").read_text(encoding="utf-8")
TOPICS = load_topics(PROJECT_DIR / "knowledge/topics.yml")


def _sent_by_code() -> set[str]:
    names = set(re.findall(r'"(utter_\w+)"', ACTION_SOURCES + CHANNEL_SOURCE))
    names |= {f"utter_answer_{t}" for t, d in TOPICS.items() if d.in_sheets}
    names.add("utter_default")  # Rasa's action_default_fallback (RulePolicy core fallback)
    names.discard("utter_action")  # the key under which Rasa records a bot message's response, not a response
    return names


def test_every_topic_has_its_answer_response():
    for topic, definition in TOPICS.items():
        if definition.in_sheets:
            assert f"utter_answer_{topic}" in DOMAIN["responses"], topic


def test_every_topic_has_its_intent():
    assert {f"ask_{t}" for t in TOPICS} <= set(DOMAIN["intents"])


def test_validation_list_matches_responses_sent_by_code():
    declared = {step["action"] for step in VALIDATION["rules"][0]["steps"] if "action" in step}
    assert declared == _sent_by_code()
    assert declared <= set(DOMAIN["responses"])


def _norm(text: str) -> str:
    text = fold(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text))
    return " ".join(re.sub(r"[^\w' ]", " ", text).split())


def _examples(path: Path) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = {}
    for block in data.get("nlu", []):
        if "intent" in block:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    result[_norm(line.strip()[2:])] = block["intent"]
    return result


def _held_out() -> dict[str, str]:
    """Every held-out NLU file (tests/nlu/*.yml): the original set and the precise-questions set."""
    result: dict[str, str] = {}
    for path in sorted((PROJECT_DIR / "tests/nlu").glob("*.yml")):
        result.update(_examples(path))
    return result


def test_held_out_messages_are_never_trained_on():
    training = {}
    for path in (PROJECT_DIR / "data").rglob("*.yml"):
        training.update(_examples(path))
    held_out = _held_out()
    assert len(held_out) >= 350
    overlap = sorted(set(training) & set(held_out))
    assert not overlap, f"held-out messages found in data/: {overlap[:10]}"


def test_held_out_covers_every_intent():
    held_out = set(_held_out().values())
    # external intents come from the console through Rasa's API (trigger_intent), never from a student's words
    assert {i for i in DOMAIN["intents"] if not i.startswith("EXTERNAL_")} <= held_out


def test_held_out_annotates_every_filter_entity():
    text = "".join(p.read_text(encoding="utf-8") for p in (PROJECT_DIR / "tests/nlu").glob("*.yml"))
    for entity in ("skill_type", "skill_level", "study_level", "diploma_kind"):
        assert text.count(f"]({entity})") >= 15, entity


def test_rasa_http_api_needs_a_token(monkeypatch):
    from common.settings import get_settings
    from launch.stack import rasa_api_arguments

    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    assert rasa_api_arguments(get_settings()) == []
    monkeypatch.setenv("RASA_API_TOKEN", "s3cret")
    assert rasa_api_arguments(get_settings()) == ["--enable-api"]  # the token stays in the environment
    from bot.rasa_server import with_api_token
    assert with_api_token(["rasa", "run", "--enable-api"], "s3cret") == ["rasa", "run", "--enable-api",
                                                                        "--auth-token=s3cret"]
    assert with_api_token(["rasa", "run"], "s3cret") == ["rasa", "run"]


def test_a_generated_token_starting_with_a_dash_is_read_by_rasas_own_parser():
    """secrets.token_urlsafe gives a token starting with '-' once in 64: Rasa's argparse must still read it whole."""
    from rasa.__main__ import create_argument_parser

    from bot.rasa_server import with_api_token

    argv = with_api_token(["rasa", "run", "--enable-api"], "-Xy_z9")
    arguments = create_argument_parser().parse_args(argv[1:])
    assert arguments.auth_token == "-Xy_z9" and arguments.enable_api
