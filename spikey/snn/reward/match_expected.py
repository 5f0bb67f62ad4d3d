"""MatchExpected: reward when the action equals the expected one."""

from __future__ import annotations

import numpy as np

from spikey.module import Key, config_error
from spikey.snn.reward.template import Reward


class MatchExpected(Reward):
    """``reward_mult`` where ``action == expected_value(state)``, else ``-punish_mult``
    (summed over elements for array actions)."""

    NECESSARY_KEYS = Reward.extend_keys(
        [
            Key("expected_value", "f(state) -> the correct action."),
        ]
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not callable(self._expected_value):
            raise config_error(self, "expected_value", self._expected_value, "a function f(state)")

    def __call__(self, state, action, state_next) -> float:
        expected = self._expected_value(state)
        try:
            match = np.equal(action, expected)
        except TypeError:  # e.g. a str action against an int expected value: no match
            match = np.equal(np.asarray(action, dtype=object), np.asarray(expected, dtype=object))
        return float(np.sum(np.where(match, self._reward_mult, -self._punish_mult)))
