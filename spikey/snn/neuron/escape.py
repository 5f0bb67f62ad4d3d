"""Escape-noise (SRM0) neurons: stochastic spiking with an exponential hazard."""

from __future__ import annotations

import math
from typing import Any

from spikey.module import Key, Module
from spikey.snn._util import check_number


class EscapeNoise(Module):
    """Neurons that fire at intensity ``rho = rho0 exp(u / escape_width)`` (Gerstner's
    escape noise), on a double-exponential PSP of their inputs, with a refractory kernel.

    A thin shell: it holds the constants of :mod:`spikey.engine.escape`, which runs the
    neurons of a whole game step in one compiled call. The noise is the neurons' own: a
    spike is a draw, so two runs differ unless they share the seed.
    """

    NECESSARY_KEYS = [
        Key("rho0_hz", "Firing intensity at u = 0 (Hz).", float, default=20.0),
        Key("escape_width", "Potential units per e-fold of intensity.", float, default=1.0),
        Key("refractory_amp", "Potential drop right after a spike.", float, default=2.0),
        Key("tau_refractory_ms", "Recovery time constant of the drop (ms).", float, default=5.0),
        Key("tau_syn_ms", "Synaptic current time constant (ms).", float, default=5.0),
        Key("tau_mem_ms", "Membrane time constant (ms).", float, default=10.0),
        Key("neuron_bias", "Constant potential offset.", float, default=0.0),
        Key(
            "escape_cap",
            "Cap on u / escape_width: the intensity never exceeds rho0 exp(escape_cap) "
            "(8: about 60 kHz at 20 Hz, no cap in practice; 3: about 400 Hz).",
            float,
            default=8.0,
        ),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        check_number(self, "rho0_hz", self._rho0_hz, lo=0, hi=1000, lo_open=True)
        check_number(self, "escape_width", self._escape_width, lo=0, lo_open=True)
        check_number(self, "refractory_amp", self._refractory_amp, lo=0)
        check_number(self, "neuron_bias", self._neuron_bias)
        check_number(self, "escape_cap", self._escape_cap, lo=0, hi=30, lo_open=True)
        for key in ("tau_refractory_ms", "tau_syn_ms", "tau_mem_ms"):
            check_number(self, key, getattr(self, f"_{key}"), lo=0, lo_open=True)

    def params(self, w_inh: float, tau_inh_ms: float):
        """The kernel's :class:`~spikey.engine.escape.EscapeParams` (1 ms steps)."""
        from spikey.engine.escape import EscapeParams

        def decay(tau):
            return math.exp(-1.0 / tau)

        return EscapeParams(
            self._rho0_hz / 1000.0, self._escape_width, self._escape_cap, self._refractory_amp,
            decay(self._tau_refractory_ms), decay(self._tau_syn_ms), decay(self._tau_mem_ms),
            float(w_inh), decay(tau_inh_ms), self._neuron_bias,
        )  # fmt: skip
