"""NeuronRates: mean spike value of each output pool."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import ConfigError, Key
from spikey.snn._util import check_number
from spikey.snn.readout.template import Readout


class NeuronRates(Readout):
    """Mean of the output spike train over time and each pool's neurons; pools split
    the outputs as evenly as possible (``n_actions=0``: one pool per output neuron).
    Values are raw spike magnitudes (not divided by ``magnitude``)."""

    NECESSARY_KEYS = Readout.extend_keys(
        [
            Key("n_actions", "Number of pools; 0 = one per output neuron.", int),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "n_actions", self._n_actions, lo=0, integer=True)
        if self._n_actions == 0:
            self._n_actions = self._n_outputs
        if self._n_outputs and self._n_actions > self._n_outputs:
            raise ConfigError(
                f"{type(self).__name__}: key 'n_actions' got {self._n_actions}; expected at most "
                f"n_outputs={self._n_outputs}."
            )

    def __call__(self, output_spike_train):
        if self._n_outputs == 0:
            return 0
        train = np.asarray(output_spike_train, dtype=float)
        idx = np.linspace(0, self._n_outputs, self._n_actions + 1).astype(int)
        return np.array([train[:, idx[i] : idx[i + 1]].mean() for i in range(self._n_actions)])
