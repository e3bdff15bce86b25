"""Rasa's command line (`python -m bot.rasa_server train|run|shell|test ...`) with two measured fixes.

Every Rasa command of the project goes through here, so training and serving see the same pipeline.
1. Speed: Rasa 3.6 checks every action server reply with `jsonschema.validate(result, schema)`, which
   rebuilds a validator for the large events schema on each call (about half of a reply's time).
   Here the validator is built once; replies are checked exactly as before.
2. Memory: Rasa's SpacyNLP loads the spaCy pipeline twice (two graph nodes) with every component but the
   parser, although the NLU uses only the tokenizer and the word vectors. Here it is loaded once, without
   the unused trained components (tagger, lemmatizer, NER...); the heap left over by loading is given
   back to the OS. Figures: docs/performance.md.
"""
from __future__ import annotations

import sys


def install_cached_action_validator() -> None:
    """Replace RemoteAction._validate_action_result with an equivalent that reuses one validator."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)
    original_docs_hint = ". Failed to validate Action server response from API"

    def validate_action_result(self, result) -> bool:  # noqa: ANN001 - same signature as Rasa's
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += f"{original_docs_hint}, make sure your response from the Action endpoint is valid."
            raise

    RemoteAction._validate_action_result = validate_action_result


# spaCy components Rasa's pipeline does not use: tokens and static word vectors need none of them.
UNUSED_SPACY_COMPONENTS = ["tok2vec", "morphologizer", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner",
                           "senter"]


def install_shared_spacy_model() -> None:
    """Make SpacyNLP load each spaCy pipeline once, without the components the NLU does not use."""
    from functools import lru_cache

    import spacy
    from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

    original = SpacyNLP.load_model

    @lru_cache(maxsize=4)
    def load_model(spacy_model_name: str) -> SpacyModel:
        if not spacy_model_name:
            return original(spacy_model_name)  # Rasa's "missing model configuration" error
        try:
            language = spacy.load(spacy_model_name, exclude=UNUSED_SPACY_COMPONENTS)
        except OSError:
            return original(spacy_model_name)  # Rasa's own "model not installed" message
        return SpacyModel(model=language, model_name=spacy_model_name)

    SpacyNLP.load_model = staticmethod(load_model)


def install_heap_trim_after_model_load() -> None:
    """Give back to the OS the memory freed once the model is loaded (~100 MB of loading leftovers)."""
    import ctypes
    import gc

    from rasa.core import agent

    original = agent.load_agent

    async def load_agent(*args, **kwargs):  # noqa: ANN002, ANN003 - same signature as Rasa's
        loaded = await original(*args, **kwargs)
        gc.collect()
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc: nothing to trim
            pass
        return loaded

    agent.load_agent = load_agent


def main() -> None:
    install_cached_action_validator()
    install_shared_spacy_model()
    install_heap_trim_after_model_load()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
