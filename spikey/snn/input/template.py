"""Input template: turns an environment state into input-neuron spikes each network step."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, Module, check_memory
from spikey.snn._util import check_number, make_rng, random_polarities


class Input(Module):
    """Spike encoder of the environment state (template).

    ``update(state)`` is called once per game step, ``__call__()`` once per network step
    and returns the signed spike magnitudes of the ``n_inputs`` input neurons.
    Polarities are -1 for a random ``input_pct_inhibitory`` share of inputs, else +1.
    """

    NECESSARY_KEYS = [
        Key("n_inputs", "Number of input neurons, separate from the body.", int),
        Key("magnitude", "Size of each input spike.", float),
        Key(
            "input_firing_steps",
            "Network steps per game step the inputs fire for; -1 = all. RateMap, as the "
            "original's, fires while its step count is <= this: steps 0..N.",
            int,
            default=-1,
        ),
        Key("input_pct_inhibitory", "[0, 1] Share of inputs with polarity -1.", float, default=0),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.rng = make_rng(kwargs.get("rng"))
        check_number(self, "n_inputs", self._n_inputs, lo=0, integer=True)
        check_number(self, "magnitude", self._magnitude)
        check_number(self, "input_firing_steps", self._input_firing_steps, lo=-1, integer=True)
        check_number(self, "input_pct_inhibitory", self._input_pct_inhibitory, lo=0, hi=1)
        check_memory(self, "n_inputs", self._n_inputs, 4 * self._n_inputs)
        self.polarities = random_polarities(self.rng, self._n_inputs, self._input_pct_inhibitory)
        self.values = None
        self.network_time = 0

    def __len__(self) -> int:
        return self._n_inputs

    def reset(self) -> None:
        """Start of an episode: an input that keeps state between steps clears it here."""

    def update(self, state: Any) -> None:
        """Take the state of the current game step."""
        self.network_time = 0
        try:
            self.values = tuple(state)
        except TypeError:
            self.values = state

    def _firing(self, step: int) -> bool:
        # the original's RateMap tested the count before counting the step: N + 1 steps
        return self._input_firing_steps == -1 or step <= self._input_firing_steps

    def __call__(self) -> np.ndarray:
        """Signed spike magnitudes of every input for this network step."""
        raise NotImplementedError(f"{type(self).__name__}.__call__ is not implemented.")

    def tick_block(self, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """The next ``n_steps`` steps' spikes at once (what the compiled ticks call).

        Equivalent to ``n_steps`` calls of ``__call__`` (same random draws). The default
        simply calls ``__call__``; the built-in inputs draw the whole block at once.

        Parameters
        ----------
        n_steps : int
            Network steps of the block.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Values (n_steps, k) for the input columns (k,) that may fire; the rest are
            silent.
        """
        out = np.zeros((n_steps, self._n_inputs))
        for i in range(n_steps):
            out[i] = self()
        return out, np.arange(self._n_inputs, dtype=np.int64)
