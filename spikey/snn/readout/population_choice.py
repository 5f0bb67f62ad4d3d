"""PopulationChoice: one population of neurons per action; the busiest one acts."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module, config_error
from spikey.snn._util import check_number


class PopulationChoice(Module):
    """``n_actions`` populations of ``n_per_action`` neurons that inhibit each other.

    The action is the population that fired most spikes in the game step (ties broken
    by a draw from the network's Generator): the network's own stochastic choice.
    ``choice="greedy"`` takes the largest *expected* count (summed intensity) instead,
    a noise-free readout for analysis. ``actions`` maps a population to what the game
    receives (default: its index), e.g. ``[[1, 0], [0, 1]]`` for spikey's CartPole.
    """

    NECESSARY_KEYS = [
        Key("n_actions", "Number of actions (populations).", int),
        Key("n_per_action", "Neurons per action population.", int, default=25),
        Key("inhibition", "Mutual inhibition between the populations.", float, default=0.0),
        Key("tau_inhibition_ms", "Time constant of the inhibition (ms).", float, default=5.0),
        Key("choice", "'spikes' (own stochastic choice) or 'greedy'.", str, default="spikes"),
        Key("actions", "What the game receives per population (None: the index).", default=None),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "n_actions", self._n_actions, lo=1, integer=True)
        check_number(self, "n_per_action", self._n_per_action, lo=1, integer=True)
        check_number(self, "inhibition", self._inhibition, lo=0)
        check_number(self, "tau_inhibition_ms", self._tau_inhibition_ms, lo=0, lo_open=True)
        if self._choice not in ("spikes", "greedy"):
            raise config_error(self, "choice", self._choice, "'spikes' or 'greedy'")
        if self._actions is not None and len(self._actions) != self._n_actions:
            raise config_error(self, "actions", self._actions, f"{self._n_actions} entries or None")

    def choose(self, counts: np.ndarray, expected: np.ndarray, rng: np.random.Generator) -> int:
        """The winning population's index."""
        score = expected if self._choice == "greedy" else counts
        best = np.flatnonzero(score == score.max())
        return int(best[0] if best.size == 1 else best[rng.integers(best.size)])

    def action(self, index: int) -> Any:
        """What the game receives for population ``index``."""
        return index if self._actions is None else self._actions[index]
