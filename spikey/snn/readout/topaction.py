"""TopAction: index of the most active action group."""

from __future__ import annotations

import numpy as np

from spikey.snn.readout.population_vector import PopulationVector


class TopAction(PopulationVector):
    """Index of the group with the most spikes; ties broken at random (own Generator)."""

    def __call__(self, output_spike_train):
        pv = super().__call__(output_spike_train)
        best = np.flatnonzero(pv == pv.max())
        return int(best[0] if best.size == 1 else self.rng.choice(best))
