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
"""
from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_MAX_HISTORY
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
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


def _recent_or_whole(tracker: DialogueStateTracker, domain: Domain, turns: int) -> DialogueStateTracker:
    needed = domain.__dict__.get("_whole_history_needed")  # read once per loaded domain, not per message
    if needed is None:
        needed = domain.__dict__["_whole_history_needed"] = bool(whole_history_needed(domain))
    return tracker if needed else recent_turns(tracker, turns)


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
        if recent_only:
            tracker = _recent_or_whole(tracker, domain, turns)
        return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentMemoizationPolicy(MemoizationPolicy):
    """MemoizationPolicy (same training, same memory) predicting from the recent turns (module docstring)."""

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any
                                     ) -> PolicyPrediction:
        max_history = self.config.get(POLICY_MAX_HISTORY)
        if max_history is not None and max_history < 2 * RECENT_TURNS:  # None: it reads the whole story
            tracker = _recent_or_whole(tracker, domain, turns_for(max_history))
        return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
