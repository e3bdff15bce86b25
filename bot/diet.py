"""DIET as Rasa trains and runs it, loaded faster: a registered graph component named in config.yml.

Rasa 3.6 builds a loaded DIET model by compiling it and fitting it on one example (tracing the whole training
graph, gradients included) before loading the trained weights over it — most of the server's start-up after
spaCy. Here the weights are restored as the variables are created by one prediction (TensorFlow's
restore-on-create), which traces only the prediction graph. Every variable the prediction uses must be
matched in the checkpoint, or the model is loaded Rasa's way; predictions are the same (tests/bot/test_diet.py).
"""
from __future__ import annotations

import logging
from typing import Any

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)


class QuickLoadDIET(DIET):
    """DIET's TensorFlow model, restored without a training step when loaded for prediction."""

    @classmethod
    def load(cls, model_file_name: str, model_data_example: RasaModelData,
             predict_data_example: RasaModelData | None = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                      run_eagerly=config.get(RUN_EAGERLY))
        status = model.load_weights(model_file_name)  # deferred: values land as variables are created
        model.run_inference(predict_data_example)  # creates the prediction's variables (and traces it once)
        try:
            status.assert_existing_objects_matched()
        except AssertionError as error:  # a variable without its trained value: never serve that
            logger.warning("DIET weights not all restored on prediction (%s); loading the model Rasa's way.",
                           str(error)[:200])
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        status.expect_partial()  # the optimizer's slots and training-only layers are not needed to predict
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class QuickLoadDIETClassifier(DIETClassifier):
    """Rasa's DIETClassifier (same training, same predictions) whose model loads without a training step."""

    @staticmethod
    def model_class() -> type[DIET]:
        return QuickLoadDIET
