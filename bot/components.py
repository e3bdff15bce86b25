"""The project's Rasa graph components, named in config.yml (Rasa's door for changing the NLU pipeline).

`SharedSpacyNLP` is Rasa's `SpacyNLP` with a lighter load. Rasa builds two graph nodes from SpacyNLP
(provide and run), each loading its own copy of the spaCy pipeline with every trained component but the
parser; the NLU uses only spaCy's tokenizer and static word vectors. Here the pipeline is loaded once per
process and without those components (figures: docs/performance.md). Rasa's checks are kept: missing
model name, model not installed, model built for another spaCy version, each with Rasa's message.
Being named in config.yml, it is used by `rasa train`, `rasa run`, `rasa shell` and `rasa test` alike.

Importing this module also installs the Rasa 3.6 fixes that have no door (bot/rasa_compat.py): every Rasa
process of the project imports it to build or load the model's graph.
"""
from __future__ import annotations

from functools import lru_cache

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

from bot.rasa_compat import (
    install_cached_action_validator,
    install_event_types_by_name,
    install_graph_runner_in_order,
    install_kept_endpoint_sessions,
    install_recent_action_calls,
)

# spaCy components Rasa's pipeline does not use: tokens and static word vectors need none of them.
UNUSED_SPACY_COMPONENTS = ("tok2vec", "morphologizer", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner",
                           "senter")


@lru_cache(maxsize=4)
def _load_light(spacy_model_name: str) -> SpacyModel:
    import spacy

    if not spacy_model_name:
        return SpacyNLP.load_model(spacy_model_name)  # raises Rasa's "missing model configuration" error
    try:
        language = spacy.load(spacy_model_name, exclude=list(UNUSED_SPACY_COMPONENTS))
        model_info = spacy.info(spacy_model_name)
    except OSError:
        return SpacyNLP.load_model(spacy_model_name)  # raises Rasa's "model not installed" error
    # Rasa's own spaCy version check, with its message.
    runtime_version = spacy.about.__version__
    required_version = model_info.get("spacy_version") if isinstance(model_info, dict) else ""
    if not spacy.util.is_compatible_version(runtime_version, required_version):
        raise InvalidModelError(
            f"The specified model - {spacy_model_name} requires a spaCy "
            f"runtime version {required_version} and is not compatible "
            f"with the current spaCy runtime version {runtime_version}"
        )
    return SpacyModel(model=language, model_name=spacy_model_name)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SharedSpacyNLP",
)
class SharedSpacyNLP(SpacyNLP):
    """Rasa's SpacyNLP loading its spaCy pipeline once per process, without the unused components."""

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        """One shared light pipeline per model name (Rasa's errors when it cannot be loaded)."""
        return _load_light(spacy_model_name)


install_cached_action_validator()
install_kept_endpoint_sessions()
install_graph_runner_in_order()
install_recent_action_calls()
install_event_types_by_name()
