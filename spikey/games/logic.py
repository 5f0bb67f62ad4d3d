"""Logic-gate games: each step shows a random input; the network should answer the gate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from spikey.games.template import RL
from spikey.module import Key, check_memory, config_error


# Module-level so games (and networks built from their params) pickle.
def and_fn(state: Sequence[bool]) -> bool:
    """AND of a 2-input state."""
    return bool(state[0] and state[1])


def or_fn(state: Sequence[bool]) -> bool:
    """OR of a 2-input state."""
    return bool(state[0] or state[1])


def xor_fn(state: Sequence[bool]) -> int:
    """XOR of a 2-input state: 1 or 0 (a number, as the original's ``np.sum(state) % 2``)."""
    return int(np.sum(state)) % 2


class Logic(RL):
    """Mimic a logic gate: every step draws two random booleans.

    The game itself gives no reward (0.0 every step, as in the original Spikey): the
    network's rewarder judges the action, e.g. ``reward.MatchExpected``, which reads the
    game's ``expected_value`` from the params a network built with ``game=`` receives.
    Episodes never end by themselves (``done`` is always False).

    Subclasses change the states by overriding :meth:`_get_state`.

    Parameters
    ----------
    preset : {"AND", "OR", "XOR"}, default "OR"
    expected_value : callable, optional
        ``f(state) -> bool``, the gate; overrides the preset's.

    Examples
    --------
    >>> game = Logic(preset="XOR")
    >>> _ = game.seed(0)
    >>> state = game.reset()
    >>> game.params["expected_value"](state) == (state[0] != state[1])
    True
    """

    action_space = [False, True]
    observation_space = [(a, b) for a in (False, True) for b in (False, True)]
    metadata = {"render_modes": ["ansi"]}

    NECESSARY_KEYS = [
        Key("expected_value", "f(state) -> bool: the gate's correct answer to a state."),
    ]
    PRESETS = {
        "AND": {"name": "AND", "expected_value": and_fn},
        "OR": {"name": "OR", "expected_value": or_fn},
        "XOR": {"name": "XOR", "expected_value": xor_fn},
    }

    def __init__(self, preset: str = "OR", **kwargs: Any):
        super().__init__(preset=preset, **kwargs)
        if not callable(self._expected_value):
            raise config_error(
                self, "expected_value", self._expected_value, "a function state -> bool"
            )
        self._state = None

    def _get_state(self):
        """Draw the next state: two independent fair booleans."""
        a, b = self.rng.uniform(size=2) <= 0.5
        return (bool(a), bool(b))

    def reset(self, seed: int | None = None) -> Any:
        """Draw and return the first state (reseeding ``self.rng`` first if ``seed`` is given)."""
        if seed is not None:
            self.seed(seed)
        self._state = self._get_state()
        return self._state

    def step(self, action: Any) -> tuple[Any, float, bool, dict]:
        """Return ``(next_state, 0.0, False, {})``; the action does not change the game."""
        self._state = self._get_state()
        return self._state, 0.0, False, {}

    def render(self, mode: str = "ansi") -> str:
        """The current state as text."""
        if mode != "ansi":
            raise ValueError(
                f"{type(self).__name__}.render: mode {mode!r} not supported; "
                f"expected one of {self.metadata['render_modes']}."
            )
        return f"state={self._state}"


class RandState(Logic):
    """One of ``n_states`` integer states, drawn uniformly at random every step.

    The seed notebook's ``rand_state`` game, built in: pair it with ``input.RateMap``
    (one input group per state) for classical conditioning.

    Parameters
    ----------
    n_states : int
        Number of states (and input groups); states are ``0 .. n_states - 1``.
    """

    NECESSARY_KEYS = Logic.extend_keys([Key("n_states", "Number of states (input groups).", int)])

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        if isinstance(self._n_states, bool) or self._n_states < 1:
            raise config_error(self, "n_states", self._n_states, "an integer >= 1")
        check_memory(self, "n_states", self._n_states, 8 * self._n_states)
        self.observation_space = list(range(self._n_states))

    def _get_state(self) -> int:
        return int(self.rng.integers(self._n_states))
