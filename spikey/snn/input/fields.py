"""Receptive-field encoders for continuous (and discrete) observations."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from spikey.module import ConfigError, Key, config_error
from spikey.snn._util import check_number
from spikey.snn.input.template import Input


def _space_bounds(space) -> tuple[np.ndarray, np.ndarray] | None:
    """(low, high) of a Box-like space (anything with ``low``/``high``), else None."""
    if space is None or not hasattr(space, "low"):
        return None
    return (
        np.asarray(space.low, dtype=float).ravel(),
        np.asarray(space.high, dtype=float).ravel(),
    )


class GaussianFields(Input):
    """Each observation dimension seen by ``n_fields`` Gaussian receptive fields.

    Field centres span ``[lo, hi]`` of their dimension evenly; sigma is ``field_width``
    times the spacing. ``conjunctive_pairs`` adds an ``n_conjunctive`` x ``n_conjunctive``
    grid of 2-D fields per pair of dimensions (their activity is the product of the two
    1-D profiles). ``n_bias_inputs`` inputs fire at the full rate always. Ranges come from
    ``field_ranges`` (one ``[lo, hi]`` per dimension, ``None`` entries taken from
    ``observation_space``) or from the space where it is finite. Values outside are clipped
    and counted in ``n_clipped``.

    ``input_code="rate"``: every network step each input fires with probability
    ``max_rate_hz / 1000 * activity`` (1 ms steps); ``"latency"``: each field with activity
    >= 0.05 fires once per game step, earlier the stronger it is. ``n_inputs`` follows from
    the fields (give it only to check it).
    """

    NECESSARY_KEYS = Input.extend_keys(
        [
            Key("n_inputs", "Derived from the fields; give it only to check.", default=None),
            Key("magnitude", "Size of each input spike.", float, default=1.0),
            Key("n_fields", "Gaussian fields per observation dimension.", int, default=12),
            Key(
                "field_ranges",
                "[[lo, hi], ...] per dimension (None entries: from observation_space).",
                default=None,
            ),
            Key("observation_space", "A gymnasium Box (its finite bounds).", default=None),
            Key("field_width", "Field sigma as a multiple of the centre spacing.", float, default=1.0),
            Key("conjunctive_pairs", "[[a, b], ...] dimension pairs with 2-D grids.", default=()),
            Key("n_conjunctive", "Fields per dimension of each 2-D grid.", int, default=6),
            Key("n_bias_inputs", "Inputs that always fire at the full rate.", int, default=1),
            Key("max_rate_hz", "Firing rate of a fully active field (Hz).", float, default=200.0),
            Key("input_code", "'rate' (Poisson-like) or 'latency' (one timed spike).", str, default="rate"),
        ]
    )  # fmt: skip

    def __init__(self, **kwargs: Any):
        from spikey.engine import fields as fields_kernel  # lazy: loads numba

        given = kwargs.get("n_inputs")
        self._add_values(dict(kwargs, n_inputs=0))  # the field keys first: they give n_inputs
        n_in = fields_kernel.n_inputs(self._make_fields())
        if given is not None and given != n_in:
            raise config_error(self, "n_inputs", given, f"{n_in} (what the fields make) or None")
        super().__init__(**dict(kwargs, n_inputs=n_in))
        self.fields = self._make_fields()
        self._pairs = fields_kernel.pair_array(self.fields)
        self.activity_values = np.zeros(n_in)
        self.n_clipped = 0

    def _make_fields(self):
        from spikey.engine.fields import Fields

        check_number(self, "n_fields", self._n_fields, lo=1, integer=True)
        check_number(self, "n_conjunctive", self._n_conjunctive, lo=1, integer=True)
        check_number(self, "n_bias_inputs", self._n_bias_inputs, lo=0, integer=True)
        check_number(self, "field_width", self._field_width, lo=0, lo_open=True)
        check_number(self, "max_rate_hz", self._max_rate_hz, lo=0, hi=1000)
        if self._input_code not in ("rate", "latency"):
            raise config_error(self, "input_code", self._input_code, "'rate' or 'latency'")
        lo, hi = self._ranges()
        pairs = self._conjunctive_pairs
        try:
            pairs = tuple((int(a), int(b)) for a, b in (pairs or ()))
        except (TypeError, ValueError):
            raise config_error(
                self, "conjunctive_pairs", pairs, "a list of [a, b] dimension pairs"
            ) from None
        for a, b in pairs:
            if not (0 <= a < lo.size and 0 <= b < lo.size) or a == b:
                raise config_error(
                    self, "conjunctive_pairs", self._conjunctive_pairs,
                    f"pairs of two different dimensions in [0, {lo.size})",
                )  # fmt: skip
        return Fields(lo, hi, self._n_fields, float(self._field_width), pairs,
                      self._n_conjunctive, self._n_bias_inputs)  # fmt: skip

    def _ranges(self) -> tuple[np.ndarray, np.ndarray]:
        bounds = _space_bounds(self._observation_space)
        declared = self._field_ranges
        if declared is None and bounds is None:
            raise config_error(
                self, "field_ranges", None, "[[lo, hi], ...] per dimension, or an observation_space"
            )
        if declared is not None and (isinstance(declared, str) or not hasattr(declared, "__len__")):
            raise config_error(self, "field_ranges", declared, "[[lo, hi], ...] per dimension")
        n = len(declared) if declared is not None else bounds[0].size
        if bounds is not None and bounds[0].size != n:
            raise config_error(
                self,
                "field_ranges",
                declared,
                f"{bounds[0].size} ranges (the observation space's size)",
            )
        lo, hi = np.empty(n), np.empty(n)
        missing = []
        for d in range(n):
            r = None if declared is None else declared[d]
            if r is None:
                r = (bounds[0][d], bounds[1][d]) if bounds is not None else (np.nan, np.nan)
                if not np.all(np.isfinite(r)):
                    missing.append(d)
                    continue
            try:
                lo[d], hi[d] = (float(v) for v in r)
            except (TypeError, ValueError):
                raise config_error(
                    self, "field_ranges", declared, f"[lo, hi] numbers for dimension {d}"
                ) from None
            width = float(hi[d]) - float(lo[d])  # Python floats: inf without a warning
            if not (math.isfinite(width) and lo[d] < hi[d]):  # the width too (no NaN)
                raise config_error(
                    self,
                    "field_ranges",
                    declared,
                    f"finite lo < hi, hi - lo finite too, for dimension {d} (got "
                    f"[{lo[d]}, {hi[d]}])",
                )
        if missing:
            raise ConfigError(
                f"{type(self).__name__}: key 'field_ranges' must declare [lo, hi] for the observation "
                f"dimension(s) {missing}, whose space bounds are unbounded; expected e.g. "
                f"field_ranges=[None, [-3, 3], ...]."
            )
        return lo, hi

    def activity(self, obs) -> np.ndarray:
        """Field activities in [0, 1] for one observation (clipping counted)."""
        try:
            arr = np.asarray(obs, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise config_error(
                self, "observation", obs, f"{self.fields.lo.size} numbers (the fields' dimensions)"
            ) from None
        if arr.size != self.fields.lo.size:
            raise config_error(
                self, "observation", obs, f"{self.fields.lo.size} values (the fields' dimensions)"
            )
        if not np.all(np.isfinite(arr)):
            raise config_error(self, "observation", obs, "finite values (no NaN or inf)")
        from spikey.engine.fields import activity

        _, n = activity(self.fields, arr, self._pairs, self.activity_values)
        self.n_clipped += n
        return self.activity_values

    def probabilities(self, activity: np.ndarray, n_steps: int) -> np.ndarray:
        """Per-step spike probabilities (n_steps, n_inputs) for one game step."""
        from spikey.engine.fields import spike_probabilities

        return spike_probabilities(activity, n_steps, self._max_rate_hz / 1000.0, self._input_code)

    def update(self, state: Any) -> None:
        """Take the observation of the current game step."""
        super().update(state)
        self._act_now = self.activity(state).copy()

    def __call__(self) -> np.ndarray:
        """This network step's input spikes (signed magnitudes), for the classic tick."""
        if getattr(self, "_act_now", None) is None:
            raise ConfigError(f"{type(self).__name__}: call update(state) before drawing spikes.")
        if self._input_code == "rate":
            p = self._max_rate_hz / 1000.0 * self._act_now
        else:  # the latency code spans the input_firing_steps of each game step
            steps = self._input_firing_steps
            if steps < 1:
                raise config_error(
                    self, "input_firing_steps", steps, "the steps a latency code spans (>= 1)"
                )
            p = self.probabilities(self._act_now, steps)[min(self.network_time, steps - 1)]
        fire = self.rng.random(p.size) < p
        if not self._firing(self.network_time):
            fire[:] = False
        self.network_time += 1
        return self._magnitude * self.polarities * fire


class OneHotStates(Input):
    """A discrete observation ``s`` in ``range(n_states)`` activates input ``s`` (plus bias
    inputs); the spike code is :class:`GaussianFields`'s rate code."""

    NECESSARY_KEYS = Input.extend_keys(
        [
            Key("n_inputs", "Derived: n_states + n_bias_inputs; give it only to check.", default=None),
            Key("magnitude", "Size of each input spike.", float, default=1.0),
            Key("n_states", "Number of discrete states.", int),
            Key("n_bias_inputs", "Inputs that always fire at the full rate.", int, default=1),
            Key("max_rate_hz", "Firing rate of the active input (Hz).", float, default=200.0),
        ]
    )  # fmt: skip

    def __init__(self, **kwargs: Any):
        n_states, n_bias = kwargs.get("n_states"), kwargs.get("n_bias_inputs", 1)
        check_number(self, "n_states", n_states, lo=1, integer=True)
        check_number(self, "n_bias_inputs", n_bias, lo=0, integer=True)
        n_in = n_states + n_bias
        if kwargs.get("n_inputs") not in (None, n_in):
            raise config_error(self, "n_inputs", kwargs["n_inputs"], f"{n_in} or None")
        super().__init__(**dict(kwargs, n_inputs=n_in))
        check_number(self, "max_rate_hz", self._max_rate_hz, lo=0, hi=1000)
        self.activity_values = np.zeros(n_in)
        self.n_clipped = 0

    def activity(self, obs) -> np.ndarray:
        """One-hot activity of state ``obs`` (bias inputs at 1)."""
        s = np.asarray(obs).ravel()
        if s.size != 1 or not np.issubdtype(s.dtype, np.integer) or not 0 <= s[0] < self._n_states:
            raise config_error(
                self, "observation", obs, f"an integer state in [0, {self._n_states})"
            )
        self.activity_values[:] = 0.0
        self.activity_values[int(s[0])] = 1.0
        self.activity_values[self._n_states :] = 1.0
        return self.activity_values

    def probabilities(self, activity: np.ndarray, n_steps: int) -> np.ndarray:
        """Per-step spike probabilities (n_steps, n_inputs): the rate code."""
        return np.broadcast_to(self._max_rate_hz / 1000.0 * activity, (n_steps, activity.size))
