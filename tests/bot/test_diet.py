"""bot.diet.QuickLoadDIETClassifier: trained like Rasa's DIET, loaded without a training step, same predictions."""
from __future__ import annotations

import asyncio
import textwrap

import pytest

from tests.bot.models import train_toy_nlu

CONFIG = """\
recipe: default.v1
language: fr
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 2
    max_ngram: 4
  - name: bot.diet.QuickLoadDIETClassifier
    epochs: 5
    random_seed: 1
"""
NLU = """\
version: "3.1"
nlu:
- intent: ask_missions
  examples: |
    - quelles missions au [back office](job)
    - que fait le [middle office](job)
    - les taches du [bo](job)
    - il fait quoi le [mo](job)
- intent: ask_studies
  examples: |
    - quelles etudes pour le [back office](job)
    - quel diplome pour le [middle office](job)
    - il faut un master pour le [bo](job)
    - apres le bac pour le [mo](job)
- intent: greet
  examples: |
    - bonjour
    - salut
    - coucou
    - hello
"""
MESSAGES = ["quelles missions pour le bo", "quel diplome au middle office", "salut", "bonjour le mo", "xyz"]


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    return train_toy_nlu(tmp_path_factory.mktemp("diet"), CONFIG, textwrap.dedent(NLU))


def _parse_all(model: str) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    try:
        return [loop.run_until_complete(agent.parse_message(text)) for text in MESSAGES]
    finally:
        loop.close()


def test_quick_load_predicts_like_rasas_own_load(toy_model, monkeypatch):
    from rasa.utils.tensorflow.models import RasaModel

    from bot import diet

    quick = _parse_all(toy_model)
    calls = []
    original = diet.QuickLoadDIET.load.__func__

    def rasas_way(cls, *args, **kwargs):
        calls.append(1)
        return RasaModel.load.__func__(cls, *args, **kwargs)

    monkeypatch.setattr(diet.QuickLoadDIET, "load", classmethod(rasas_way))
    reference = _parse_all(toy_model)
    monkeypatch.setattr(diet.QuickLoadDIET, "load", classmethod(original))
    assert calls, "the reference load did not go through Rasa's RasaModel.load"
    for mine, theirs in zip(quick, reference, strict=True):
        assert mine["intent"]["name"] == theirs["intent"]["name"]
        assert mine["intent"]["confidence"] == pytest.approx(theirs["intent"]["confidence"], abs=1e-5)
        assert [(e["entity"], e["value"]) for e in mine["entities"]] == \
               [(e["entity"], e["value"]) for e in theirs["entities"]]


def test_quick_load_skips_the_training_step(toy_model, monkeypatch):
    from rasa.nlu.classifiers.diet_classifier import DIET

    fits = []
    monkeypatch.setattr(DIET, "fit", lambda self, *a, **k: fits.append(1))
    parsed = _parse_all(toy_model)
    assert not fits, "the quick load ran a training step"
    assert parsed[0]["intent"]["name"] == "ask_missions"
