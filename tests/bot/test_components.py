"""bot/components.py: the light shared spaCy load is a graph component named in config.yml, so every
Rasa command (plain `rasa` or `python -m bot.rasa_server`) builds the same graph, with Rasa's checks."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from rasa.engine.recipes.recipe import Recipe
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.utils.io import read_yaml_file

from bot import components
from bot.components import UNUSED_SPACY_COMPONENTS, SharedSpacyNLP
from common.settings import PROJECT_DIR

FINGERPRINT_LINE = re.compile(r"Calculated fingerprint_key '(\w+)' for class '(\w+)'")


def _graph():
    config = read_yaml_file(str(PROJECT_DIR / "config.yml"))
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    return recipe.graph_config_for_recipe(config, {})


def test_config_yml_names_the_shared_component_in_both_graphs():
    graph = _graph()
    for schema in (graph.train_schema, graph.predict_schema):
        used = {node.uses for node in schema.nodes.values()}
        assert SharedSpacyNLP in used and SpacyNLP not in used
    provider = next(name for name, node in graph.train_schema.nodes.items()
                    if node.uses is SharedSpacyNLP and node.fn == "provide")
    runner = next(node for node in graph.train_schema.nodes.values()
                  if node.uses is SharedSpacyNLP and node.fn == "process_training_data")
    assert runner.needs["model"] == provider  # Rasa's model_from link works for the renamed component


TOY_DOMAIN = """
version: "3.1"
intents: [saluer, remercier]
responses:
  utter_bonjour: [{text: "Bonjour !"}]
  utter_de_rien: [{text: "De rien."}]
"""
TOY_DATA = """
version: "3.1"
nlu:
- intent: saluer
  examples: "- bonjour\\n- salut\\n- coucou\\n- bonsoir\\n- hello\\n"
- intent: remercier
  examples: "- merci\\n- merci beaucoup\\n- je te remercie\\n- super merci\\n- merci bien\\n"
rules:
- rule: saluer
  steps: [{intent: saluer}, {action: utter_bonjour}]
- rule: remercier
  steps: [{intent: remercier}, {action: utter_de_rien}]
"""
RASA = str(Path(sys.executable).with_name("rasa"))
WRAPPER = [sys.executable, "-m", "bot.rasa_server"]


def _rasa_train(command: list[str], project: Path, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
           "PYTHONPATH": str(PROJECT_DIR), "RASA_CACHE_DIRECTORY": str(project / "cache")}
    return subprocess.run([*command, "train", "--config", str(PROJECT_DIR / "config.yml"), "--domain", "domain.yml",
                           "--data", "data.yml", "--out", "models", *options],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


def test_plain_rasa_and_the_wrapper_give_the_same_model_fingerprint(tmp_path):
    """A tiny model trained by a plain `rasa train` with the project's config.yml is up to date for
    `python -m bot.rasa_server train --dry-run`: every graph node has the same fingerprint (no training)."""
    (tmp_path / "domain.yml").write_text(TOY_DOMAIN, encoding="utf-8")
    (tmp_path / "data.yml").write_text(TOY_DATA, encoding="utf-8")
    trained = _rasa_train([RASA], tmp_path)
    assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]
    plain = _rasa_train([RASA], tmp_path, "--dry-run", "--debug")
    wrapper = _rasa_train(WRAPPER, tmp_path, "--dry-run", "--debug")
    plain_keys = FINGERPRINT_LINE.findall(plain.stdout + plain.stderr)
    wrapper_keys = FINGERPRINT_LINE.findall(wrapper.stdout + wrapper.stderr)
    expected = {"SharedSpacyNLP", "SpacyTokenizer", "LinearIntentClassifier", "QuickLoadCRFEntityExtractor",
                "RecentRulePolicy"}
    assert {cls for _, cls in plain_keys} >= expected
    assert "SpacyNLP" not in {cls for _, cls in plain_keys}
    assert sorted(wrapper_keys) == sorted(plain_keys)
    for dry_run in (plain, wrapper):
        assert dry_run.returncode == 0 and "No training of components required" in dry_run.stdout


@pytest.fixture(scope="module")
def shared_model():
    return SharedSpacyNLP.load_model("fr_core_news_md")


def test_spacy_is_loaded_once_without_the_unused_components(shared_model):
    assert SharedSpacyNLP.load_model("fr_core_news_md") is shared_model
    assert not set(shared_model.model.pipe_names) & set(UNUSED_SPACY_COMPONENTS)
    assert shared_model.model.vocab.vectors.shape[1] == 300  # the word vectors the featurizer reads
    tokens = [token.text for token in shared_model.model("Qu'est-ce qu'un gestionnaire back-office ?")]
    assert "gestionnaire" in tokens and "?" in tokens


def test_two_graph_nodes_share_one_pipeline(shared_model):
    first = SharedSpacyNLP.create({"model": "fr_core_news_md"}, None, None, None)
    second = SharedSpacyNLP.create({"model": "fr_core_news_md"}, None, None, None)
    assert first.provide() is second.provide() is shared_model


def _rasa_error(name: str) -> str:
    with pytest.raises(InvalidModelError) as error:
        SpacyNLP.load_model(name)
    return str(error.value)


@pytest.mark.parametrize("name", ["", "xx_no_such_spacy_model"])
def test_missing_or_uninstalled_model_gives_rasa_s_error(name):
    with pytest.raises(InvalidModelError) as error:
        SharedSpacyNLP.load_model(name)
    assert str(error.value) == _rasa_error(name)


def test_rasa_s_spacy_version_check_is_kept(monkeypatch):
    monkeypatch.setattr(spacy, "load", lambda name, **_: spacy.blank("fr"))
    monkeypatch.setattr(spacy, "info", lambda name: {"spacy_version": ">=99.0.0,<99.1.0"})
    with pytest.raises(InvalidModelError) as error:
        components._load_light.__wrapped__("fr_core_news_md")  # past the cache: a fresh load
    assert str(error.value) == _rasa_error("fr_core_news_md")
    assert "requires a spaCy runtime version >=99.0.0,<99.1.0" in str(error.value)
