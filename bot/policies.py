"""Rasa's RulePolicy and MemoizationPolicy, predicting from the conversation's recent turns only.

Both policies turn the whole conversation into dialogue states on every prediction (Rasa replays every
event and copies the tracker at each turn), so a message's cost grows with the conversation: measured
in process, the policies took 5 ms per message around turn 15 and 11 ms around turn 45. Their predictions
only read the last states: MemoizationPolicy the last `max_history` (5), RulePolicy as many as its longest
rule, the bot having no `conversation_start` rule and no form (tests/bot/test_policies.py checks both, and
that every prediction is the same as from the whole conversation). Here each policy is given a tracker
holding the last user turns it reads (`turns_for`: MemoizationPolicy's max_history of 5 states is 4 turns, the
longest rule's 2 states 2 turns; RECENT_TURNS at most); training is Rasa's own. Slots do not matter: none influences the
conversation (domain.yml), and the processor keeps the whole tracker for everything else.

Predicting is still ~1 ms per policy and prediction (the states of the recent turns are rebuilt by replaying
their events, then looked up). The same recent events always give the same states, hence the same prediction:
each policy keeps its last predictions keyed on what its states are made of (`state_key`: the actions, the
intents and the featurised entities of the turns it reads), and a hit skips the replay. Any event that could
change the states otherwise (a revert, a loop, added entities …) disables the shortcut for that prediction.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rasa.core.constants import POLICY_MAX_HISTORY
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

RECENT_TURNS = 8  # user turns given to the policies: 16+ states, over 3x what any of them reads


def recent_turns(tracker: DialogueStateTracker, turns: int = RECENT_TURNS) -> DialogueStateTracker:
    """The tracker itself when it has `turns` user turns or fewer, else a tracker of its events from the
    `action_listen` that opened the last `turns` turns."""
    events = tracker.events
    listens = [index for index, event in enumerate(events)
               if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME]
    if len(listens) <= turns:
        return tracker
    recent = tracker.init_copy()
    for event in list(events)[listens[-turns - 1]:]:
        recent.update(event)
    return recent


# Events that make no state of a domain whose slots do not influence the conversation (checked before use)
_STATELESS = (SlotSet, BotUttered)
_PREDICTIONS_KEPT = 4096  # per policy: a few hundred kinds of recent turns cover real traffic (bench: hit rate)


def state_key(tracker: DialogueStateTracker, turns: int) -> tuple | None:
    """What the dialogue states of the tracker's last `turns` user turns are made of (the same events as
    `recent_turns` keeps, after its last session start or restart), or None when an event could make them
    differently (a revert, a loop, entities added by an action …): then only replaying them tells."""
    key: list[tuple] = []
    listens = 0
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            key.append((event.action_name, event.action_text))
            if event.action_name == ACTION_LISTEN_NAME:
                listens += 1
                if listens > turns:
                    return tuple(key)
        elif isinstance(event, UserUttered):
            entities = sorted((str(e.get("entity")), str(e.get("role")), str(e.get("group"))) for e in event.entities)
            key.append((event.intent_name, tuple(entities), event.use_text_for_featurization))
        elif isinstance(event, DefinePrevUserUtteredFeaturization):  # intent or text for the message before
            key.append(("featurized", event.use_text_for_featurization))
        elif isinstance(event, (SessionStarted, Restarted)):
            key.append((type(event).__name__,))
            return tuple(key)
        elif not isinstance(event, _STATELESS):
            return None
    return tuple(key)


def _copy(prediction: PolicyPrediction) -> PolicyPrediction:
    return PolicyPrediction(list(prediction.probabilities), prediction.policy_name, prediction.policy_priority,
                            list(prediction.events), list(prediction.optional_events),
                            prediction.is_end_to_end_prediction, prediction.is_no_user_prediction,
                            dict(prediction.diagnostic_data), prediction.hide_rule_turn,
                            dict(prediction.action_metadata) if prediction.action_metadata else None)


class PredictionMemory:
    """A policy's last predictions by `state_key` (least recently used dropped), with its hit counts."""

    def __init__(self, size: int = _PREDICTIONS_KEPT) -> None:
        self.size = size
        self.kept: OrderedDict[tuple, PolicyPrediction] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> PolicyPrediction | None:
        found = self.kept.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.kept.move_to_end(key)
        return _copy(found)

    def put(self, key: tuple, prediction: PolicyPrediction) -> None:
        self.kept[key] = _copy(prediction)
        if len(self.kept) > self.size:
            self.kept.popitem(last=False)


def _reads_text(keys: Any) -> bool:
    """Whether lookup keys (JSON of dialogue states) hold a user's text: end-to-end, which `state_key` omits."""
    return any('"text"' in str(key) for key in keys)


def _memorised(policy: Any, turns: int, tracker: DialogueStateTracker, domain: Domain,
               rule_only_data: dict[str, Any] | None, predict: Any) -> PolicyPrediction:
    """The policy's prediction for the recent turns, from its memory when these turns were seen before."""
    memory = policy.__dict__.get("_memory")
    if memory is None:
        memory = policy.__dict__["_memory"] = PredictionMemory()
    events = state_key(tracker, turns) if not _whole_needed(domain) else None
    key = None if events is None else (id(domain), repr(sorted((rule_only_data or {}).items())), events)
    if key is not None and (found := memory.get(key)) is not None:
        return found
    prediction = predict(_recent_or_whole(tracker, domain, turns))
    if key is not None:
        memory.put(key, prediction)
    return prediction


def whole_history_needed(domain: Domain) -> list[str]:
    """Why this domain's predictions need the conversation before the cut (empty: they do not): a slot
    that influences the conversation or a form carries state from earlier turns."""
    reasons = [f"slot {slot.name} influences the conversation" for slot in domain.slots
               if slot.influence_conversation]
    reasons += [f"form {name}" for name in domain.form_names]
    return reasons


def turns_for(states: int) -> int:
    """User turns that give at least `states` dialogue states, and one more: each turn gives two at least (the
    user's message after a listen, then the bot's action), and a cut conversation's first state may be partial."""
    return min(RECENT_TURNS, -(-states // 2) + 1)


def _whole_needed(domain: Domain) -> bool:
    needed = domain.__dict__.get("_whole_history_needed")  # read once per loaded domain, not per message
    if needed is None:
        needed = domain.__dict__["_whole_history_needed"] = bool(whole_history_needed(domain))
    return needed


def _recent_or_whole(tracker: DialogueStateTracker, domain: Domain, turns: int) -> DialogueStateTracker:
    return tracker if _whole_needed(domain) else recent_turns(tracker, turns)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentRulePolicy(RulePolicy):
    """RulePolicy (same training, same rules) predicting from the recent turns (module docstring)."""

    def rules_read_recent_turns_only(self) -> bool:
        """False when a learned rule could see past the cut: a `conversation_start` rule (a state without a
        previous action, which a cut conversation's first state also is) or a rule longer than the states
        the recent turns give (two per turn at least). Computed once per loaded policy."""
        return self._rule_reach()[0]

    def _rule_reach(self) -> tuple[bool, int]:
        """Whether the rules read recent turns only, and how many turns their longest rule reads (once per policy)."""
        cached = self.__dict__.get("_reach")
        if cached is None:
            rules = [self._rule_key_to_state(key) for key in self.lookup.get(RULES, {})]
            starts = any(not state.get(PREVIOUS_ACTION) for states in rules for state in states)
            longest = max((len(states) for states in rules), default=0)
            cached = self.__dict__["_reach"] = (not starts and longest < 2 * RECENT_TURNS, turns_for(longest))
        return cached

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any
                                     ) -> PolicyPrediction:
        recent_only, turns = self._rule_reach()
        if not recent_only:
            return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        if self.__dict__.get("_reads_text") is None:
            self.__dict__["_reads_text"] = _reads_text(self.lookup.get(RULES, {}))
        if self.__dict__["_reads_text"]:
            tracker = _recent_or_whole(tracker, domain, turns)
            return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        return _memorised(self, turns, tracker, domain, rule_only_data, lambda recent: super(
            RecentRulePolicy, self).predict_action_probabilities(recent, domain, rule_only_data, **kwargs))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentMemoizationPolicy(MemoizationPolicy):
    """MemoizationPolicy (same training, same memory) predicting from the recent turns (module docstring)."""

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any
                                     ) -> PolicyPrediction:
        max_history = self.config.get(POLICY_MAX_HISTORY)
        if max_history is None or max_history >= 2 * RECENT_TURNS:  # None: it reads the whole story
            return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        if self.__dict__.get("_reads_text") is None:
            self.__dict__["_reads_text"] = _reads_text(self.lookup)
        if self.__dict__["_reads_text"]:
            tracker = _recent_or_whole(tracker, domain, turns_for(max_history))
            return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        return _memorised(self, turns_for(max_history), tracker, domain, rule_only_data, lambda recent: super(
            RecentMemoizationPolicy, self).predict_action_probabilities(recent, domain, rule_only_data, **kwargs))
