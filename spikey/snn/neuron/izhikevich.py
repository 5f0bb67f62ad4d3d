"""Izhikevich neurons as a network part, simulated by the compiled engine.

This part holds configuration only: who is inhibitory, each neuron's (a, b, c, d) and the
background input. The network builds one :class:`spikey.engine.IzhNetwork` from it together
with :class:`~spikey.snn.weight.delayed.DelayedSparse` and
:class:`~spikey.snn.synapse.da_stdp.DASTDP` (the three are used together; see
:mod:`spikey.snn.izh_driver`), so overriding the methods of this class in Python does not
change the dynamics. After the network's ``reset`` the live engine is ``self.engine``.
"""

from __future__ import annotations

import numbers

import numpy as np

from spikey.engine import NEURON_TYPES
from spikey.engine.params import AMPLITUDE_LIMIT
from spikey.module import ConfigError, Key, Module, config_error
from spikey.snn._util import check_number, make_rng, numeric_array

NOISE_MODES = ("uniform", "thalamic", "none")


class Izhikevich(Module):
    """A group of Izhikevich (2003) neurons: v' = 0.04 v^2 + 5 v + 140 - u + I, u' = a (b v - u),
    spike at v >= 30 mV, then v <- c, u <- u + d (the 2007 paper's two 0.5 ms half-steps).

    Exactly ``round(neuron_pct_inhibitory * n_neurons)`` neurons, drawn at random from the
    part's Generator, are inhibitory (polarity -1, type ``inh_type``); the rest are
    excitatory (``exc_type``). ``polarities=`` (+1/-1 per neuron) fixes the split instead,
    ``neuron_abcd=`` (n_neurons x 4) sets every neuron's a, b, c, d. Background input each ms:
    ``noise="uniform"`` (every neuron U[-noise_amp, noise_amp], the paper's Fig. 1 program),
    ``"thalamic"`` (one random neuron gets ``thalamic_amp``), ``"none"``, or a number (uniform
    half-width). In ``spike_log`` a body spike reads ``magnitude * polarity``. Polarities
    and types are fixed when the network is built (the weight table's signs follow them).
    """

    NECESSARY_KEYS = [
        Key("n_neurons", "Number of neurons in the network body.", int),
        Key(
            "neuron_pct_inhibitory",
            "[0, 1] Share of inhibitory neurons (exact count, random placement).",
            float,
            default=0.2,
        ),
        Key(
            "exc_type",
            f"Type of excitatory neurons, one of {sorted(NEURON_TYPES)}.",
            str,
            default="RS",
        ),
        Key(
            "inh_type",
            f"Type of inhibitory neurons, one of {sorted(NEURON_TYPES)}.",
            str,
            default="FS",
        ),
        Key(
            "neuron_abcd",
            "(n_neurons, 4) per-neuron a, b, c, d; None: from the types.",
            default=None,
        ),
        Key("polarities", "n_neurons values +1/-1 (-1 inhibitory); None: drawn.", default=None),
        Key(
            "noise",
            "Background input: 'uniform', 'thalamic', 'none', or a number (uniform half-width).",
            default="uniform",
        ),
        Key("noise_amp", "Half-width of the uniform background input (mV).", float, default=6.5),
        Key(
            "thalamic_amp",
            "Input to the one random neuron of 'thalamic' noise (mV).",
            float,
            default=20.0,
        ),
        Key("magnitude", "Size of a body spike in spike_log.", float, default=1.0),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rng = make_rng(kwargs.get("rng"))
        n = self._n_neurons
        check_number(self, "n_neurons", n, lo=1, integer=True)
        check_number(self, "neuron_pct_inhibitory", self._neuron_pct_inhibitory, lo=0, hi=1)
        check_number(self, "noise_amp", self._noise_amp, lo=0, hi=AMPLITUDE_LIMIT)
        check_number(
            self, "thalamic_amp", self._thalamic_amp, lo=-AMPLITUDE_LIMIT, hi=AMPLITUDE_LIMIT
        )
        check_number(self, "magnitude", self._magnitude)
        for key in ("exc_type", "inh_type"):
            if getattr(self, f"_{key}") not in NEURON_TYPES:
                raise config_error(
                    self, key, getattr(self, f"_{key}"), f"one of {sorted(NEURON_TYPES)}"
                )
        noise = self._noise
        if isinstance(noise, numbers.Real) and not isinstance(noise, bool):
            check_number(self, "noise", noise, lo=0)
        elif noise not in NOISE_MODES:
            raise config_error(self, "noise", noise, f"one of {NOISE_MODES} or a number >= 0")
        self.polarities = self._make_polarities()
        self.abcd = self._make_abcd()
        # the engine's seed (its background input stream), drawn after the polarities
        self.engine_seed = int(self.rng.integers(0, 2**63))
        self.engine = None

    def _make_polarities(self) -> np.ndarray:
        n = self._n_neurons
        given = self._polarities
        if given is not None:
            pol = np.asarray(given, dtype=float) if numeric_array(given, bools=True) else None
            if pol is None or pol.shape != (n,) or not np.all(np.isin(pol, (-1.0, 1.0))):
                raise config_error(
                    self, "polarities", given, f"an array of n_neurons={n} values, each +1 or -1"
                )
            return pol.copy()
        pol = np.ones(n)
        k = int(np.floor(self._neuron_pct_inhibitory * n + 0.5))
        if k:
            pol[self.rng.choice(n, size=k, replace=False)] = -1.0
        return pol

    def _make_abcd(self) -> np.ndarray:
        n = self._n_neurons
        given = self._neuron_abcd
        if given is not None:
            arr = np.asarray(given, dtype=float) if numeric_array(given, bools=True) else None
            if arr is None or arr.shape != (n, 4) or not np.all(np.isfinite(arr)):
                raise config_error(
                    self,
                    "neuron_abcd",
                    _short(given),
                    f"a finite array of shape (n_neurons, 4) = ({n}, 4)",
                )
            return arr.copy()
        exc, inh = NEURON_TYPES[self._exc_type], NEURON_TYPES[self._inh_type]
        return np.where(self.polarities[:, None] > 0, np.asarray(exc), np.asarray(inh)).astype(
            float
        )

    @property
    def inhibitory(self) -> np.ndarray:
        """Boolean mask of the inhibitory neurons."""
        return self.polarities < 0

    def engine_params(self) -> dict:
        """The engine parameters this part sets (background input)."""
        noise = self._noise
        if isinstance(noise, numbers.Real) and not isinstance(noise, bool):
            return {
                "noise": "uniform",
                "noise_amp": float(noise),
                "thalamic_amp": float(self._thalamic_amp),
            }
        return {
            "noise": noise,
            "noise_amp": float(self._noise_amp),
            "thalamic_amp": float(self._thalamic_amp),
        }

    @property
    def potentials(self):
        """Membrane potentials v now (read-only; None before the network's first reset)."""
        return None if self.engine is None else self.engine.v

    def reset(self):
        """Nothing to do here: the network rebuilds the engine (v = -65, u = b v) at reset."""

    def __call__(self):
        raise ConfigError(
            f"{type(self).__name__}: Izhikevich neurons are simulated by the "
            "compiled engine; use them in a Network with weight.DelayedSparse and "
            "synapse.DASTDP, not step by step."
        )


def _short(value):
    """``value`` itself, or just its shape when it is an array (for error messages)."""
    try:
        shape = np.shape(value)
    except (TypeError, ValueError):
        return value
    return f"an array of shape {shape}" if shape else value
