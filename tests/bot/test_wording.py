"""common/wording.py: domain.yml responses as texts; a broken domain.yml is an error, not silent defaults."""
from __future__ import annotations

import pytest

from common import wording


@pytest.fixture()
def domain_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(wording, "PROJECT_DIR", tmp_path)
    wording._responses.cache_clear()
    yield tmp_path
    wording._responses.cache_clear()


def test_invalid_domain_yaml_is_reported(domain_dir):
    (domain_dir / "domain.yml").write_text("responses:\n  utter_x: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"domain\.yml is not valid YAML"):
        wording.response_text("utter_x", "défaut")


def test_response_text_and_default(domain_dir):
    (domain_dir / "domain.yml").write_text('responses:\n  utter_x:\n  - text: "Bonjour {name}"\n', encoding="utf-8")
    assert wording.response_text("utter_x", name="Léa") == "Bonjour Léa"
    assert wording.response_text("utter_absent", "défaut") == "défaut"
    with pytest.raises(KeyError, match="utter_absent"):
        wording.response_text("utter_absent")


def test_no_domain_file_gives_the_defaults(domain_dir):
    assert wording.response_text("utter_x", "défaut") == "défaut"


def test_channels_fallback_sentences_are_the_domain_responses():
    """bot/channels.py keeps a copy of its notices for a missing domain.yml: the copy must not drift."""
    from bot.channels import _FALLBACK_WORDING

    wording._responses.cache_clear()
    responses = wording._responses()
    for key, fallback in _FALLBACK_WORDING.items():
        assert key in responses, f"{key} is not a domain.yml response"
        assert responses[key][0]["text"] == fallback, key
