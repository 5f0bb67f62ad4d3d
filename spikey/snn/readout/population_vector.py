"""Population-vector readout: share of spikes of each action group."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import ConfigError, Key
from spikey.snn._util import check_number
from spikey.snn.readout.template import Readout


class PopulationVector(Readout):
    """Outputs are split into ``n_actions`` consecutive groups of
    ``n_outputs // n_actions`` neurons (left-over neurons are ignored); returns each
    group's share of the spikes (a float array summing to 1; uniform when none fired)."""

    NECESSARY_KEYS = Readout.extend_keys(
        [
            Key("n_actions", "Number of action groups.", int),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "n_actions", self._n_actions, lo=1, integer=True)
        if self._n_outputs and self._n_actions > self._n_outputs:
            raise ConfigError(
                f"{type(self).__name__}: key 'n_actions' got {self._n_actions}; expected at most "
                f"n_outputs={self._n_outputs} (each action group needs an output neuron)."
            )

    def __call__(self, output_spike_train):
        if self._n_outputs == 0:
            return np.zeros(self._n_actions)
        counts = np.count_nonzero(np.asarray(output_spike_train), axis=0)
        size = self._n_outputs // self._n_actions
        p = (
            counts[: size * self._n_actions]
            .reshape(self._n_actions, size)
            .sum(axis=1)
            .astype(float)
        )
        total = p.sum()
        return p / total if total else np.full(self._n_actions, 1.0 / self._n_actions)
