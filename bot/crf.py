"""Rasa's CRFEntityExtractor, loaded without training it again: a registered graph component in config.yml.

Rasa 3.6 stores the CRF's training data in the model (not the trained CRF) and trains the CRF again each
time a model is loaded: ~6 s of the Rasa server's ~15 s start-up. This subclass trains and stores exactly
what Rasa does and also stores each trained CRF in CRFsuite's own file format (no pickle); loading opens
those files. A model without them, or with a file missing, is loaded Rasa's way. Same predictions
(tests/bot/test_crf.py compares both loads).
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken

logger = logging.getLogger(__name__)


def _model_file(tag_name: str) -> str:
    return f"crf_{tag_name}.crfsuite"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class QuickLoadCRFEntityExtractor(CRFEntityExtractor):
    """CRFEntityExtractor (same training, same predictions) whose trained CRFs are stored and reopened."""

    def persist(self, dataset: list[list[CRFToken]]) -> None:
        super().persist(dataset)  # Rasa's files: the model still loads with Rasa's own class
        with self._model_storage.write_to(self._resource) as directory:
            for tag_name, tagger in (self.entity_taggers or {}).items():
                source = tagger.modelfile.name
                if source:
                    with open(source, "rb") as trained, open(directory / _model_file(tag_name), "wb") as copy:
                        copy.write(trained.read())

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CRFEntityExtractor:
        import sklearn_crfsuite
        from rasa.shared.utils.io import read_json_file

        try:
            with model_storage.read_from(resource) as directory:
                crf_order = read_json_file(directory / "crf_order.json")
                files = {name: directory / _model_file(name) for name in crf_order}
                if files and all(path.is_file() for path in files.values()):
                    taggers = OrderedDict()
                    for name, path in files.items():
                        tagger = sklearn_crfsuite.CRF(model_filename=str(path))
                        tagger.tagger_  # noqa: B018 - opens (reads) the model file now, while it is there
                        taggers[name] = tagger
                    extractor = cls(config, model_storage, resource, taggers)
                    extractor.crf_order = crf_order
                    return extractor
        except (ValueError, OSError) as error:
            logger.warning("Stored CRF models unreadable (%s); loading the CRF Rasa's way.", error)
        return super().load(config, model_storage, resource, execution_context, **kwargs)
