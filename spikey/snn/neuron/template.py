"""Leaky integrate-and-fire neurons of the Spikey model."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module, check_memory, config_error
from spikey.snn._util import check_number, make_rng, random_polarities
from spikey.snn.fastpath import FastPart

#: Potential held during the refractory period (the original's float16 minimum).
REFRACTORY_MV = -65499.0


class Neuron(Module):
    """A group of leaky integrate-and-fire neurons (float64 state).

    Per network step the network calls ``neurons()`` (who spikes now) and then
    ``neurons += incoming`` (integrate). A neuron fires when its potential is
    ``>= firing_threshold`` (or, with probability ``prob_rand_fire``, at random) and it
    is not refractory; its spike leaves ``spike_delay`` steps later with size
    ``magnitude * polarity``. For ``refractory_period`` steps after a spike its
    potential is held at ``REFRACTORY_MV``; then it restarts from ``resting_mv``.
    Each step the potential decays toward ``resting_mv`` by the share
    ``potential_decay`` before the incoming current is added.

    Pass ``polarities=`` (array of +-1) to fix which neurons are inhibitory; otherwise
    a random ``neuron_pct_inhibitory`` share gets polarity -1.
    """

    NECESSARY_KEYS = [
        Key("magnitude", "Size of a spike.", float),
        Key("n_neurons", "Number of neurons in the network body.", int),
        Key("firing_threshold", "Potential at or above which a neuron fires.", float),
        Key("neuron_pct_inhibitory", "[0, 1] Share of neurons with polarity -1.", float, default=0),
        Key("potential_decay", "[0, 1] Share of (potential - resting) lost per step.", float),
        Key(
            "prob_rand_fire",
            "[0, 1] Chance per step that a neuron fires at random.",
            float,
            default=0,
        ),
        Key("refractory_period", "Steps after a spike during which a neuron cannot fire.", int),
        Key("resting_mv", "Resting potential.", float, default=0.0),
        Key("spike_delay", "Steps between crossing the threshold and the spike.", int, default=0),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.rng = make_rng(kwargs.get("rng"))
        check_number(self, "n_neurons", self._n_neurons, lo=1, integer=True)
        check_number(self, "magnitude", self._magnitude)
        check_number(self, "firing_threshold", self._firing_threshold)
        check_number(self, "neuron_pct_inhibitory", self._neuron_pct_inhibitory, lo=0, hi=1)
        check_number(self, "potential_decay", self._potential_decay, lo=0, hi=1)
        check_number(self, "prob_rand_fire", self._prob_rand_fire, lo=0, hi=1)
        check_number(self, "refractory_period", self._refractory_period, lo=0, integer=True)
        check_number(self, "resting_mv", self._resting_mv)
        check_number(self, "spike_delay", self._spike_delay, lo=0, integer=True)
        check_memory(self, "n_neurons", self._n_neurons, 4 * self._n_neurons)
        check_memory(
            self, "spike_delay", self._spike_delay, (self._spike_delay + 1) * self._n_neurons
        )
        if "polarities" in kwargs and kwargs["polarities"] is not None:
            pol = np.asarray(kwargs["polarities"], dtype=float)
            if pol.shape != (self._n_neurons,) or not np.all(np.isin(pol, (-1.0, 1.0))):
                raise config_error(
                    self,
                    "polarities",
                    kwargs["polarities"],
                    f"an array of n_neurons={self._n_neurons} values, each +1 or -1",
                )
            self.polarities = pol.copy()
        else:
            self.polarities = random_polarities(
                self.rng, self._n_neurons, self._neuron_pct_inhibitory
            )
        self.potentials = self.refractory_timers = self.schedule = None
        self.reset()

    def reset(self) -> None:
        """Resting potentials, no refractory neuron, no scheduled spike."""
        n = self._n_neurons
        self.potentials = np.full(n, float(self._resting_mv))
        self.refractory_timers = np.zeros(n, dtype=np.int64)
        self.schedule = np.zeros((self._spike_delay + 1, n))

    def _random_fire(self):
        if self._prob_rand_fire > 0:
            return self.rng.random(self._n_neurons) < self._prob_rand_fire
        return None

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces Neuron (the ``FastPath`` protocol).

        Returns
        -------
        FastPart
            Role ``neurons``, base ``Neuron``, kernel kind ``NEURON`` (0).
        """
        return FastPart("neurons", Neuron, 0)

    def tick_draws(self, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """The random numbers of ``n_steps`` calls at once (what the compiled tick uses).

        Parameters
        ----------
        n_steps : int
            Network steps of the block.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Random firing (bool, (n_steps or 0, n)) and potential noise (float,
            (n_steps or 0, n)); an empty block when the neurons draw none.
        """
        n = self._n_neurons
        if self._prob_rand_fire > 0:
            fire = self.rng.random((n_steps, n)) < self._prob_rand_fire
        else:
            fire = np.zeros((0, n), dtype=np.bool_)
        return fire, np.zeros((0, n))

    def _fire(self, spikes):
        spikes &= self.refractory_timers <= 0
        self.refractory_timers[spikes] = self._refractory_period + 1
        self.schedule[self._spike_delay, spikes] += 1.0
        return self.schedule[0] * self.polarities * self._magnitude

    def __call__(self) -> np.ndarray:
        """Signed spike magnitudes leaving each neuron at this step."""
        spikes = self.potentials >= self._firing_threshold
        rand = self._random_fire()
        if rand is not None:
            spikes |= rand
        return self._fire(spikes)

    def __iadd__(self, incoming_v):
        self.update(incoming_v)
        return self

    def update(self, incoming_v: np.ndarray) -> None:
        """Advance one step: refractory bookkeeping, leak, then add ``incoming_v``."""
        self.refractory_timers -= 1
        self.schedule[:-1] = self.schedule[1:]
        self.schedule[-1] = 0.0
        self.potentials[self.refractory_timers > 0] = REFRACTORY_MV
        self.potentials[self.refractory_timers == 0] = self._resting_mv
        decay = 1.0 - self._potential_decay
        self.potentials = (self.potentials - self._resting_mv) * decay + self._resting_mv
        self.potentials += incoming_v
