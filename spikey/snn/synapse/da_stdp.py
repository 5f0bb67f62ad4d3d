"""Dopamine-modulated STDP (Izhikevich 2007) as a network part for the Izhikevich engine.

Like the other two engine parts, this one holds configuration: the compiled engine does the
work (STDP traces -> eligibility c -> weight change scaled by dopamine). What lives here is
the reward interface: ``reward(r)`` queues a dopamine pulse of ``r * reward_amount`` that the
engine receives at the first ms of the next ``tick`` (rewards are decided between ticks, so
this is exact for the engine's chunked driving). The rewarder's ``reward_mult`` sets ``r``;
a negative ``r`` (``-punish_mult``, or a reward-prediction error below expectation) is a dip
of dopamine below its baseline, which depresses eligible synapses.
"""

from __future__ import annotations

import numbers

import numpy as np

from spikey.module import ConfigError, Key, Module, config_error
from spikey.snn._util import check_number, numeric_array

MODES = ("stepped", "exact")


class DASTDP(Module):
    """Dopamine-modulated STDP on the plastic synapses of a
    :class:`~spikey.snn.weight.delayed.DelayedSparse`.

    Nearest-spike STDP (``a_plus`` for pre before post, ``-a_minus`` for post before pre,
    traces decaying with ``tau_stdp``) feeds each synapse's eligibility c (decay ``tau_c``);
    the weight changes by (``tonic_da`` + d) * c, clipped to [0, max_weight]. Dopamine d
    decays with ``tau_d``; each reward ``r`` adds ``r * reward_amount``; every spike of body
    neuron i adds ``da_release[i]`` (a number for all, or one per neuron; the paper's VTA
    group). ``plasticity_mode="stepped"`` is the author's program (weights updated every
    ``w_every`` ms), ``"exact"`` the event-driven integration (see ``docs/engine-api.md``).

    Dopamine is signed: d is the deviation from the tonic baseline and decays to 0; a
    negative reward is a dip (d < 0), and while ``tonic_da + d < 0`` eligible synapses move
    the other way (c > 0 depresses), clipped to the bounds exactly as the per-step rule
    clips (see ``docs/engine-api.md``). A negative ``da_release`` lowers d at each spike.
    ``eval()`` freezes STDP, eligibility and weights; rewards still change d. The engine
    reads the keys when the network builds it (at ``reset``), so a change, e.g. by a
    modifier, takes effect at the next episode; ``reward_amount`` acts at once.
    """

    NECESSARY_KEYS = [
        Key("a_plus", "STDP amplitude, pre before post.", float, default=0.1),
        Key(
            "a_minus", "STDP amplitude, post before pre (enters as -a_minus).", float, default=0.15
        ),
        Key("tau_stdp", "STDP trace time constant (ms, in (1, 5000]).", float, default=20.0),
        Key("tau_c", "Eligibility trace time constant (ms, > w_every).", float, default=1000.0),
        Key("tau_d", "Dopamine time constant (ms, > 1).", float, default=200.0),
        Key("tonic_da", "Tonic dopamine added to d in the weight change.", float, default=0.002),
        Key("reward_amount", "Dopamine added per unit of reward.", float, default=0.5),
        Key("w_every", "Stepped mode: ms between weight updates.", int, default=10),
        Key("plasticity_mode", f"One of {MODES}.", str, default="stepped"),
        Key(
            "da_release",
            "Dopamine each spike of a body neuron adds (number or per neuron; < 0 lowers it).",
            default=0.0,
        ),
        Key("n_neurons", "Number of neurons in the network body.", int),
    ]

    def __init__(self, w=None, **kwargs):
        super().__init__(**kwargs)
        self.weights = w
        for key in ("a_plus", "a_minus", "tonic_da", "reward_amount"):  # a dip: reward(r < 0)
            check_number(self, key, getattr(self, f"_{key}"), lo=0)
        check_number(self, "w_every", self._w_every, lo=1, integer=True)
        # hi: the engine tabulates a trace until it falls below 1e-300 (at most 4e6 ms)
        check_number(self, "tau_stdp", self._tau_stdp, lo=1, hi=5000, lo_open=True)
        check_number(self, "tau_d", self._tau_d, lo=1, lo_open=True)
        check_number(self, "tau_c", self._tau_c, lo=self._w_every, lo_open=True)
        if self._plasticity_mode not in MODES:
            raise config_error(self, "plasticity_mode", self._plasticity_mode, f"one of {MODES}")
        n = self._n_neurons
        check_number(self, "n_neurons", n, lo=1, integer=True)
        from spikey.engine.network import DA_LIMIT  # lazy: the engine loads numba

        rel = self._da_release
        arr = np.asarray(rel, dtype=float) if numeric_array(rel) else None
        if arr is None or arr.shape not in ((), (n,)) or not np.all(np.abs(arr) <= DA_LIMIT):
            raise config_error(
                self,
                "da_release",
                rel,
                f"a finite number or n_neurons={n} of them, |value| <= {DA_LIMIT:g} (dopamine "
                "per spike; negative lowers it)",
            )
        self.da_release = np.broadcast_to(arr, (n,)).copy()
        self.pending_dopamine = 0.0
        self.engine = None

    def engine_params(self) -> dict:
        """The engine parameters this part sets."""
        return {
            "a_plus": float(self._a_plus),
            "a_minus": float(self._a_minus),
            "tau_stdp": float(self._tau_stdp),
            "tau_c": float(self._tau_c),
            "tau_d": float(self._tau_d),
            "tonic_da": float(self._tonic_da),
            "reward_amount": float(self._reward_amount),
            "w_every": int(self._w_every),
        }

    def reward(self, rwd):
        """Queue a dopamine pulse of ``rwd * reward_amount`` for the start of the next tick
        (``rwd < 0``: a dip below baseline)."""
        if isinstance(rwd, bool) or not isinstance(rwd, numbers.Real) or not np.isfinite(rwd):
            raise config_error(self, "reward", rwd, "a finite number (< 0: a dopamine dip)")
        from spikey.engine.network import DA_LIMIT

        pulse = self.pending_dopamine + float(rwd) * self._reward_amount
        if not abs(pulse) <= DA_LIMIT:
            raise config_error(
                self,
                "reward",
                rwd,
                f"a reward whose dopamine (reward * reward_amount, {pulse:g} queued) is at most "
                f"{DA_LIMIT:g} in size",
            )
        self.pending_dopamine = pulse

    def take_pulse(self) -> float:
        """The queued dopamine, cleared (the network calls this at each tick)."""
        amount, self.pending_dopamine = self.pending_dopamine, 0.0
        return amount

    @property
    def dopamine(self) -> float:
        """The engine's dopamine level d now (0 before the network's first reset)."""
        return 0.0 if self.engine is None else self.engine.d

    def eligibility(self) -> np.ndarray:
        """Eligibility c of every body synapse (the weight part's storage order, input
        synapses excluded)."""
        if self.engine is None:
            raise ConfigError(
                f"{type(self).__name__}: no engine yet; reset or tick the network first."
            )
        return self.engine.eligibility()

    def reset(self):
        """Drop a queued pulse (the network rebuilds the engine with d = 0, c = 0)."""
        self.pending_dopamine = 0.0


__all__ = ["DASTDP", "MODES"]
