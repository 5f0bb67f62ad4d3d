"""The LIF tick's arguments as typed tuples, and their flat form for the compiled call.

A tick reads four groups of values and one group of scratch space:

- :class:`TickInput`: the random and input draws of its steps (made by the parts up front,
  so the tick itself is deterministic);
- :class:`NeuronState`: the body neurons' potentials, refractory timers and spike schedule;
- :class:`SynapseState`: polarities, weights, which synapses exist, and the spike log;
- :class:`TickParams`: the neuron and synapse settings of this tick (and the trace);
- :class:`Scratch`: arrays the kernel writes into instead of allocating.

The compiled kernel takes them flattened into 17 arrays (:data:`ARGUMENTS`; numba's
ahead-of-time build needs a fixed signature of plain arrays): :func:`flatten` is the one
place that knows the order, and the ``N_*``, ``I_*``, ``S_*`` constants the one place that
knows which setting sits at which index of the three settings arrays. This module imports
no numba: a network checks and packs its arguments before it loads any compiled code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

# index of each setting in the packed float array ``nparams``
N_THRESHOLD, N_KEEP, N_RESTING, N_MAGNITUDE, N_REFRACTORY_MV = range(5)
# ... in the int array ``iparams`` (the fifth entry is optional: see TickParams.sums_kept)
I_NEURON_KIND, I_REFRACTORY, I_DELAY, I_SYNAPSE_KIND, I_SUMS_KEPT = range(5)
# ... in the float array ``sparams``
S_LEARNING_RATE, S_TRACE, S_TRACE_DECAY, S_MAX_WEIGHT, S_WANT_CREDIT = range(5)

#: neuron kinds: 0 ``Neuron`` (random firing), 1 ``RandPotential`` (potential noise)
NEURON, RAND_POTENTIAL = 0, 1
#: synapse kinds: 0 no per-step learning, 1 ``LTP``, 2 ``RLSTDP``
NO_LEARNING, LTP, RLSTDP = 0, 1, 2


class TickInput(NamedTuple):
    """What the parts drew for the tick's ``P`` steps."""

    #: float64 (P, k): signed spikes of the inputs that may fire, each step
    in_vals: np.ndarray
    #: int64 (k,): their input columns (the other inputs are silent)
    in_cols: np.ndarray
    #: bool (P or 0, n): random firing (``Neuron`` with ``prob_rand_fire > 0``)
    rand_fire: np.ndarray
    #: float64 (P or 0, n): potential noise (``RandPotential``)
    noise: np.ndarray


class NeuronState(NamedTuple):
    """The body neurons' state (changed in place by a tick)."""

    #: float64 (n,)
    potentials: np.ndarray
    #: int64 (n,): refractory timers
    timers: np.ndarray
    #: float64 (spike_delay + 1, n): scheduled spikes, row 0 leaves now
    schedule: np.ndarray


class SynapseState(NamedTuple):
    """Connections and spike history (weights and log changed in place)."""

    #: float64 (n_in + n,): +-1 of every presynaptic column
    polarities: np.ndarray
    #: float64 (n_in + n, n)
    weights: np.ndarray
    #: bool (n_in + n, n): existing synapses
    live: np.ndarray
    #: float64 (W + P, n_in + n): rows 0..W-1 hold the previous W steps; rows W.. are written
    log: np.ndarray


class TickParams(NamedTuple):
    """The settings of one tick call."""

    threshold: float
    #: 1 - potential_decay: the share of (potential - resting) kept per step
    keep: float
    resting_mv: float
    magnitude: float
    #: potential held while refractory
    refractory_mv: float
    #: :data:`NEURON` or :data:`RAND_POTENTIAL`
    neuron_kind: int
    refractory_period: int
    spike_delay: int
    #: :data:`NO_LEARNING`, :data:`LTP` or :data:`RLSTDP`
    synapse_kind: int
    learning_rate: float
    #: the synapse trace at the start of the call
    trace: float
    trace_decay: float
    max_weight: float
    #: fill ``Scratch.credit_out`` with the credit of the last step's window
    want_credit: bool = False
    #: ``Scratch.work`` still holds the window sums the previous call left on the log row
    #: before this one (consecutive one-step calls skip recomputing them)
    sums_kept: bool = False

    def packed(self) -> PackedParams:
        """The three settings arrays of the compiled call."""
        nparams = np.array(
            (self.threshold, self.keep, self.resting_mv, self.magnitude, self.refractory_mv),
            dtype=np.float64,
        )
        ints = (self.neuron_kind, self.refractory_period, self.spike_delay, self.synapse_kind)
        iparams = np.array(ints + ((1,) if self.sums_kept else ()), dtype=np.int64)
        sparams = np.array(
            (
                self.learning_rate,
                self.trace,
                self.trace_decay,
                self.max_weight,
                1.0 if self.want_credit else 0.0,
            ),
            dtype=np.float64,
        )
        return PackedParams(nparams, iparams, sparams)


class PackedParams(NamedTuple):
    """:class:`TickParams` as the compiled call takes them (see the index constants)."""

    nparams: np.ndarray
    iparams: np.ndarray
    sparams: np.ndarray


class Scratch(NamedTuple):
    """Arrays the kernel writes into (so that it never allocates)."""

    #: float64 (n_in + n,): when asked, the credit of the last step's window (what a
    #: deferred rule applies at reward time)
    credit_out: np.ndarray
    #: int64 (5, n_in + n): rows 1-2 are kept between one-step calls (``sums_kept``)
    work: np.ndarray
    #: float64 (n,): contents ignored
    incoming: np.ndarray

    @classmethod
    def zeros(cls, n_inputs: int, n_neurons: int) -> Scratch:
        """Fresh scratch space for ``n_inputs`` inputs and ``n_neurons`` body neurons."""
        n_all = n_inputs + n_neurons
        return cls(np.zeros(n_all), np.zeros((5, n_all), dtype=np.int64), np.zeros(n_neurons))


#: argument names, dtypes and dimensions of the compiled call, in order (C-contiguous arrays)
ARGUMENTS = (
    ("in_vals", np.float64, 2),
    ("in_cols", np.int64, 1),
    ("rand_fire", np.bool_, 2),
    ("noise", np.float64, 2),
    ("potentials", np.float64, 1),
    ("timers", np.int64, 1),
    ("schedule", np.float64, 2),
    ("polarities", np.float64, 1),
    ("nparams", np.float64, 1),
    ("iparams", np.int64, 1),
    ("weights", np.float64, 2),
    ("live", np.bool_, 2),
    ("log", np.float64, 2),
    ("sparams", np.float64, 1),
    ("credit_out", np.float64, 1),
    ("work", np.int64, 2),
    ("incoming", np.float64, 1),
)


def flatten(
    inputs: TickInput,
    neurons: NeuronState,
    synapses: SynapseState,
    params: PackedParams,
    scratch: Scratch,
) -> tuple:
    """The 17 arrays of the compiled call, in :data:`ARGUMENTS` order."""
    return (
        *inputs,
        *neurons,
        synapses.polarities,
        params.nparams,
        params.iparams,
        synapses.weights,
        synapses.live,
        synapses.log,
        params.sparams,
        *scratch,
    )


def check_arguments(args: Sequence[np.ndarray]) -> None:
    """Raise TypeError unless ``args`` match :data:`ARGUMENTS` (dtype, dimensions, C order).

    Parameters
    ----------
    args : sequence of numpy.ndarray
        The flat arguments (:func:`flatten`) of a compiled call.

    Raises
    ------
    TypeError
        Naming the first argument that is not a C-contiguous array of the expected dtype
        and number of dimensions (the compiled code checks nothing).
    """
    if len(args) != len(ARGUMENTS):
        raise TypeError(f"the tick kernel takes {len(ARGUMENTS)} arrays, got {len(args)}")
    for value, (name, dtype, ndim) in zip(args, ARGUMENTS):
        if (
            type(value) is not np.ndarray
            or value.dtype != dtype
            or value.ndim != ndim
            or not value.flags.c_contiguous
        ):
            got = (
                f"{value.dtype} array of shape {value.shape}"
                + ("" if value.flags.c_contiguous else ", not C-contiguous")
                if isinstance(value, np.ndarray)
                else type(value).__name__
            )
            raise TypeError(
                f"tick kernel argument '{name}': got {got}; expected a C-contiguous "
                f"{np.dtype(dtype)} array with {ndim} dimension(s)."
            )
