"""bot/graph_runner.py: the prediction graph run node after node gives what Rasa's dask run gives, on the real
model (NLU outputs and policy predictions), and is installed for prediction graphs only."""
from __future__ import annotations

import numpy as np
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import bot.components  # noqa: F401 - installs the runner
from bot.graph_runner import dependency_order
from tests.bot.models import latest_project_model

MESSAGES = ["quelles compétences pour le back office ?", "c koi le MO", "merci !", "un BTS banque ça suffit ?",
            "je veux parler à un conseiller", "blabla truc", "les compétences comportementales niveau 3 du middle"]


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent

    return Agent.load(latest_project_model())


def _both(runner, inputs_factory, target):
    original = DaskGraphRunner.run.rasa_original  # type: ignore[attr-defined]
    in_order = runner.run(inputs=inputs_factory(), targets=[target])
    by_dask = original(runner, inputs=inputs_factory(), targets=[target])
    return in_order[target], by_dask[target]


def test_installed_for_prediction_graphs(agent):
    assert getattr(DaskGraphRunner.run, "_runs_in_order", False)
    assert agent.processor.graph_runner._execution_context.model_id is not None


@pytest.mark.parametrize("text", MESSAGES)
def test_nlu_outputs_are_rasa_s(agent, text):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    tracker = DialogueStateTracker("t", agent.domain.slots)
    mine, rasa_s = _both(runner, lambda: {PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker},
                         target)
    parsed = ("text", "intent", "intent_ranking", "entities")
    assert [{k: m.get(k) for k in parsed} for m in mine] == [{k: m.get(k) for k in parsed} for m in rasa_s]
    assert mine[0].get("intent")


def test_policy_predictions_are_rasa_s(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.core_target
    tracker = DialogueStateTracker("t", agent.domain.slots)
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)):
        tracker.update(event)
    for intent in ("greet", "ask_skills", "ask_studies", "thank", "compare_jobs", "out_of_scope", "ask_advisor"):
        tracker.update(UserUttered("x", {"name": intent, "confidence": 1.0}))
        for _ in range(2):
            mine, rasa_s = _both(runner, lambda: {PLACEHOLDER_TRACKER: tracker}, target)
            assert mine.policy_name == rasa_s.policy_name and np.allclose(mine.probabilities, rasa_s.probabilities)
            tracker.update(ActionExecuted(agent.domain.action_names_or_texts[int(np.argmax(mine.probabilities))]))


def test_dependency_order_and_inputs():
    nodes = {"c": SchemaNode(needs={"x": "b", "y": "__in__"}, uses=object, constructor_name="create",
                             fn="run", config={}, is_target=True),
             "b": SchemaNode(needs={"x": "a"}, uses=object, constructor_name="create", fn="run", config={}),
             "a": SchemaNode(needs={}, uses=object, constructor_name="create", fn="run", config={})}
    assert dependency_order(GraphSchema(nodes), ("c",)) == ("a", "b", "c")

    class Runner:
        _graph_schema = GraphSchema(nodes)
        _instantiated_nodes = {"a": lambda: ("a", 1), "b": lambda a: ("b", a[1] + 1),
                               "c": lambda b, given: ("c", (b[1], given))}

    from bot.graph_runner import run_in_order
    assert run_in_order(Runner(), {"__in__": "x"}, ["c"]) == {"c": (2, ("__in__", "x"))}
    with pytest.raises(GraphRunError):
        run_in_order(Runner(), {"__in__": "a"}, ["c"])  # an input named like a node: Rasa's error
