"""RateMap: inputs fire at random with a rate chosen by the state."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import ConfigError, Key, config_error
from spikey.snn.fastpath import FastPart
from spikey.snn.input.template import Input


class RateMap(Input):
    """Each input fires each network step with probability ``state_rate_map[state][g]``.

    ``state_rate_map[state]`` gives one rate per group (a number for one group). Inputs
    are split into groups round-robin: input ``i`` belongs to group ``i % n_groups``
    (the original's layout). ``n_inputs`` must be a multiple of the number of groups
    and rates must lie in [0, 1]. A spike happens when a uniform draw in [0, 1) is
    below the rate, so rate 0 never fires and rate 1 always does; draws are made only
    for inputs whose rate is above 0.

    ``state_rate_map`` is a dict (looked up with the state as is) or an array indexed
    by the integer state (a bool picks row 0 or 1, as in the original); a tuple/array
    state selects rows (fancy indexing on the first axis, as the original did) whose
    rates are concatenated.
    """

    NECESSARY_KEYS = Input.extend_keys(
        [
            Key(
                "state_rate_map",
                "dict or ndarray: state -> rate of each input group.",
                type=(dict, np.ndarray),
            ),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        srm = self._state_rate_map
        if isinstance(srm, dict):
            self._state_rate_map = {k: self._check_rates(v, k) for k, v in srm.items()}
        else:
            arr = np.asarray(srm)
            if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
                raise config_error(self, "state_rate_map", srm, "a numeric array or a dict")
            arr = arr.astype(float)
            if arr.ndim == 0:
                raise config_error(self, "state_rate_map", srm, "an array with one entry per state")
            # a 1-D array holds one rate per state (one group); more dimensions: the last
            # axis holds the group rates of a state
            rows = arr.reshape(-1, 1) if arr.ndim == 1 else arr.reshape(-1, arr.shape[-1])
            for r in rows:
                self._check_rates(r, "(every state)")
            self._state_rate_map = arr
        self._groups = {}
        self._active = np.zeros(0, dtype=np.int64)
        self._active_rates = np.zeros(0)

    def _check_rates(self, rate, state):
        rate = np.atleast_1d(np.asarray(rate, dtype=float)).ravel()
        if rate.size == 0 or self._n_inputs % rate.size:
            raise ConfigError(
                f"{type(self).__name__}: key 'state_rate_map' gives {rate.size} group rate(s) for "
                f"state {state!r}, but n_inputs={self._n_inputs} is not a multiple of it; "
                f"expected n_inputs divisible by the number of groups."
            )
        if not np.all(np.isfinite(rate)) or rate.min() < 0 or rate.max() > 1:
            raise config_error(
                self, "state_rate_map", rate.tolist(), f"rates in [0, 1] for state {state!r}"
            )
        return rate

    def update(self, state: Any) -> None:
        """Look up the group rates of ``state`` and spread them over the inputs."""
        self.network_time = 0
        srm = self._state_rate_map
        try:
            if isinstance(srm, dict):
                rate = srm[state]
            elif isinstance(state, (tuple, list, np.ndarray)):
                # the original's rule: a sequence state picks rows by fancy indexing
                rate = srm[np.asarray(state).astype(np.int64)]
            else:
                if isinstance(state, (bool, np.bool_)):  # the original: True is row 1
                    state = int(state)
                if isinstance(state, (str, bytes)):  # float("1") would read it as state 1
                    raise TypeError
                if not float(state).is_integer():
                    raise TypeError
                if not 0 <= int(state) < len(srm):
                    raise IndexError
                rate = srm[int(state)]
        except (KeyError, IndexError, TypeError, ValueError):
            known = (
                list(srm.keys())[:10] if isinstance(srm, dict) else f"integers 0..{len(srm) - 1}"
            )
            raise ConfigError(
                f"{type(self).__name__}: state {state!r} is not in 'state_rate_map'; "
                f"expected one of {known}."
            ) from None
        rate = np.ravel(rate)
        if rate.size == 0 or self._n_inputs % rate.size:
            self._check_rates(rate, state)
        groups = self._groups.get(rate.size)
        if groups is None:
            groups = self._groups[rate.size] = np.arange(self._n_inputs) % rate.size
        self.values = rate[groups]
        self._active = np.flatnonzero(self.values > 0)
        self._active_rates = self.values[self._active]

    def __call__(self) -> np.ndarray:
        spikes = np.zeros(self._n_inputs)
        if self.values is not None and self._firing(self.network_time) and self._active.size:
            act = self._active
            draw = self.rng.random(act.size)
            spikes[act] = np.where(
                draw < self._active_rates, self._magnitude * self.polarities[act], 0.0
            )
        self.network_time += 1
        return spikes

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces RateMap (the ``FastPath`` protocol).

        Returns
        -------
        FastPart
            Role ``inputs``, base ``RateMap``.
        """
        return FastPart("inputs", RateMap)

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
        act = self._active
        start = self.network_time
        fire = (
            n_steps
            if self._input_firing_steps == -1
            else max(0, min(n_steps, self._input_firing_steps + 1 - start))  # see _firing
        )
        self.network_time += n_steps
        if self.values is None or fire == 0 or not act.size:
            return np.zeros((n_steps, 0)), np.zeros(0, dtype=np.int64)
        draw = self.rng.random((fire, act.size))
        vals = np.where(draw < self._active_rates, self._magnitude * self.polarities[act], 0.0)
        if fire < n_steps:
            vals = np.concatenate((vals, np.zeros((n_steps - fire, act.size))))
        return vals, act
