"""Neurons whose potential gets random kicks."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key
from spikey.snn._util import check_number
from spikey.snn.fastpath import FastPart
from spikey.snn.neuron.template import Neuron


class RandPotential(Neuron):
    """Each step, each neuron with probability ``prob_rand_fire`` gets noise
    ``U(0, potential_noise_scale)`` added to its potential before the threshold test.

    As in the original, a neuron whose potential crosses the threshold fires even
    during its refractory period (its potential is then held far below threshold, so
    only a huge noise scale can do that), and there is no separate random firing.
    """

    NECESSARY_KEYS = Neuron.extend_keys(
        [
            Key("potential_noise_scale", "Upper bound of the uniform potential noise.", float),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "potential_noise_scale", self._potential_noise_scale, lo=0)

    def _noise(self, draw):
        n = self._n_neurons
        noise = draw[..., :n] * self._potential_noise_scale
        return np.where(draw[..., n:] < self._prob_rand_fire, noise, 0.0)

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces RandPotential (the ``FastPath`` protocol).

        Returns
        -------
        FastPart
            Role ``neurons``, base ``RandPotential``, kernel kind ``RAND_POTENTIAL`` (1).
        """
        return FastPart("neurons", RandPotential, 1)

    def tick_draws(self, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """The random numbers of ``n_steps`` calls at once (see ``Neuron.tick_draws``).

        Parameters
        ----------
        n_steps : int
            Network steps of the block.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            An empty random-firing block and the noise (n_steps, n).
        """
        n = self._n_neurons
        noise = self._noise(self.rng.random((n_steps, 2 * n)))
        return np.zeros((0, n), dtype=np.bool_), np.ascontiguousarray(noise)

    def __call__(self) -> np.ndarray:
        self.potentials += self._noise(self.rng.random(2 * self._n_neurons))
        spikes = self.potentials >= self._firing_threshold
        self.refractory_timers[spikes] = self._refractory_period + 1
        self.schedule[self._spike_delay, spikes] += 1.0
        return self.schedule[0] * self.polarities * self._magnitude
