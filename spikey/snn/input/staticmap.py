"""StaticMap: a fixed spike pattern per state."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import ConfigError, Key, config_error
from spikey.snn.fastpath import FastPart
from spikey.snn.input.template import Input


class StaticMap(Input):
    """``state_spike_map[state]`` is the input pattern: (n_inputs,) fired every step, or
    (steps, n_inputs) with row ``t`` fired at network step ``t`` (silent past the last row).
    Entries are multiplied by ``magnitude`` and the input polarities."""

    NECESSARY_KEYS = Input.extend_keys(
        [
            Key(
                "state_spike_map",
                "dict or ndarray: state -> (steps, n_inputs) or (n_inputs,) spikes.",
            ),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        smap = self._state_spike_map
        if isinstance(smap, (str, bytes)) or not hasattr(smap, "__getitem__"):
            raise config_error(
                self, "state_spike_map", smap, "a dict or array: state -> spike pattern"
            )

    def update(self, state: Any) -> None:
        """Show ``state``: look up its pattern in ``state_spike_map`` and restart the clock.

        A sequence state (tuple, list, array) is looked up as a tuple first, as the
        original did, then as it is.

        ConfigError when the state is not a key of the map or its pattern has the wrong
        shape or a non-finite value.
        """
        self.network_time = 0
        # the original looked a sequence state up as a tuple (a list or array state
        # finds its tuple key); the state as is comes second (a str only as is)
        keys = [state]
        if not isinstance(state, (str, bytes)):
            try:
                keys.insert(0, tuple(state))
            except TypeError:
                pass
        for key in keys:
            try:
                pattern = self._state_spike_map[key]
                break
            except (KeyError, IndexError, TypeError):
                continue
        else:
            raise ConfigError(
                f"{type(self).__name__}: state {state!r} is not in key 'state_spike_map' "
                f"(a {type(self._state_spike_map).__name__}); expected a state that indexes it."
            ) from None
        pattern = np.asarray(pattern, dtype=float)
        if (
            pattern.shape[-1:] != (self._n_inputs,)
            or pattern.ndim > 2
            or not np.all(np.isfinite(pattern))
        ):
            raise ConfigError(
                f"{type(self).__name__}: key 'state_spike_map' gives shape {pattern.shape} for state "
                f"{state!r}; expected finite values of shape (n_inputs,) or (steps, n_inputs) "
                f"with n_inputs={self._n_inputs}."
            )
        self.values = pattern

    def _row(self, t):
        v = self.values
        if v is None or not self._firing(t):
            return np.zeros(self._n_inputs)
        if v.ndim == 2:
            return (
                v[t] * self._magnitude * self.polarities
                if t < v.shape[0]
                else np.zeros(self._n_inputs)
            )
        return v * self._magnitude * self.polarities

    def __call__(self) -> np.ndarray:
        spikes = self._row(self.network_time)
        self.network_time += 1
        return spikes

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces StaticMap (the ``FastPath`` protocol).

        Returns
        -------
        FastPart
            Role ``inputs``, base ``StaticMap``.
        """
        return FastPart("inputs", StaticMap)

    def tick_block(self, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """The next ``n_steps`` steps' spikes at once (see ``Input.tick_block``).

        Parameters
        ----------
        n_steps : int
            Network steps of the block.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Values (n_steps, k) and the k input columns they belong to.
        """
        rows = [self._row(self.network_time + i) for i in range(n_steps)]
        self.network_time += n_steps
        return np.array(rows, dtype=float).reshape(n_steps, self._n_inputs), np.arange(
            self._n_inputs, dtype=np.int64
        )
