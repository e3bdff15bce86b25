"""bot/policies.py: the trained project's RulePolicy and MemoizationPolicy predict the same from the recent
turns as from the whole conversation, on long conversations walked by the policies themselves."""
from __future__ import annotations

import random

import numpy as np
import pytest
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies import RECENT_TURNS, RecentMemoizationPolicy, RecentRulePolicy, recent_turns, whole_history_needed
from tests.bot.models import latest_project_model


def _conversation(turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker("t", [])
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    for turn in range(turns):
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        tracker.update(UserUttered(f"message {turn}", {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    return tracker


def test_short_conversations_are_given_whole():
    tracker = _conversation(RECENT_TURNS - 1)
    assert recent_turns(tracker) is tracker


def test_long_conversations_are_cut_at_a_listen_before_the_last_turns():
    tracker = _conversation(30)
    recent = recent_turns(tracker)
    users = [e for e in recent.events if isinstance(e, UserUttered)]
    assert len(users) == RECENT_TURNS
    assert isinstance(recent.events[0], ActionExecuted) and recent.events[0].action_name == ACTION_LISTEN_NAME
    assert list(recent.events)[-10:] == list(tracker.events)[-10:]
    assert recent.latest_message.text == tracker.latest_message.text
    assert len(tracker.events) == 2 + 30 * 3 + 1  # the tracker itself is untouched


@pytest.fixture(scope="module")
def trained():
    """The policies of the project's latest trained model (make test trains it first)."""
    from rasa.core.agent import Agent

    agent = Agent.load(latest_project_model())
    nodes = agent.processor.graph_runner._instantiated_nodes  # test-only look into the loaded graph
    policies = {type(node._component): node._component for node in nodes.values()}
    return agent.domain, policies[RecentRulePolicy], policies[RecentMemoizationPolicy]


def test_the_project_s_domain_and_rules_allow_the_cut(trained):
    domain, rules, _ = trained
    assert whole_history_needed(domain) == []
    assert rules.rules_read_recent_turns_only()


def _same(first, second) -> bool:
    return np.allclose(first.probabilities, second.probabilities) and first.policy_name == second.policy_name \
        and first.is_end_to_end_prediction == second.is_end_to_end_prediction


def test_same_predictions_as_from_the_whole_conversation(trained):
    domain, rules, memory = trained
    intents = [i for i in domain.intents if not i.startswith(("session_start", "restart", "back"))]
    checked = cut = 0
    for conversation in range(6):
        # conversations 4 and 5 say again what 0 and 1 said: their predictions come from the policies' memory
        rng = random.Random(7 + conversation % 4)
        tracker = DialogueStateTracker(f"long-{conversation}", domain.slots)
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        for _turn in range(3 * RECENT_TURNS):
            intent = rng.choice(intents)
            entities = rng.choice([[], [], [{"entity": "job", "value": "back-office", "start": 0, "end": 2}],
                                   [{"entity": "skill_type", "value": "savoir", "start": 0, "end": 2}]])
            tracker.update(UserUttered("…", {"name": intent, "confidence": rng.choice([0.95, 0.5, 0.2])}, entities))
            for _step in range(4):  # the actions the policies choose, up to the next listen
                predictions = []
                for policy, stock in ((rules, RulePolicy), (memory, MemoizationPolicy)):
                    recent = policy.predict_action_probabilities(tracker, domain)
                    whole = stock.predict_action_probabilities(policy, tracker, domain)
                    assert _same(recent, whole), (conversation, intent, [e.as_dict() for e in tracker.events[-6:]])
                    predictions.append(whole)
                    checked += 1
                cut += len(recent_turns(tracker).events) < len(tracker.events)
                best = max(predictions, key=lambda p: max(p.probabilities))
                action = domain.action_names_or_texts[int(np.argmax(best.probabilities))]
                tracker.update(ActionExecuted(action))
                if action == ACTION_LISTEN_NAME:
                    break
            else:
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    assert checked > 300 and cut > 100  # most predictions were made on a cut conversation
    # the same recent turns came back: some predictions came from the policies' memory, each checked above
    assert rules.__dict__["_memory"].hits > 50 and memory.__dict__["_memory"].hits > 50


def test_each_policy_is_given_the_turns_it_reads(trained):
    """MemoizationPolicy's max_history of 5 states: 4 turns; the longest rule's states: 2 turns at most 2 more."""
    from bot.policies import turns_for

    _, rules, memory = trained
    assert turns_for(5) == 4 and turns_for(2) == 2 and turns_for(100) == RECENT_TURNS
    recent_only, turns = rules._rule_reach()
    assert recent_only and turns <= 3


def test_the_memory_key_holds_what_the_states_are_made_of():
    from rasa.shared.core.events import BotUttered, SlotSet, UserUtteranceReverted

    from bot.policies import state_key

    tracker = _conversation(12)
    key = state_key(tracker, 2)
    assert key is not None and sum(part == (ACTION_LISTEN_NAME, None) for part in key) == 3  # 2 turns + the cut
    same = _conversation(12)
    same.update(SlotSet("job", "back-office"))  # no slot influences the conversation
    same.update(BotUttered("…"))
    assert state_key(same, 2) == key
    other = _conversation(12)
    other.events[-3].entities.append({"entity": "job", "value": "mo"})  # a featurised entity is a state
    assert state_key(other, 2) != key
    reverted = _conversation(12)
    reverted.update(UserUtteranceReverted())
    assert state_key(reverted, 2) is None  # replaying the events is the only way to know their states
    short = _conversation(1)
    assert state_key(short, 4)[-1] == ("SessionStarted",)  # a short conversation: from its session's start


def test_a_remembered_prediction_is_a_copy(trained):
    domain, rules, _ = trained
    tracker = _conversation(3)
    first = rules.predict_action_probabilities(tracker, domain)
    first.probabilities[0] = 42.0
    assert rules.predict_action_probabilities(tracker, domain).probabilities[0] != 42.0
