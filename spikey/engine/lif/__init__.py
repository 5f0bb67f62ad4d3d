"""The LIF tick of the Spikey-compatible network: one compiled call per game step.

- :mod:`~spikey.engine.lif.types`: the tick's arguments as typed tuples (``TickInput``,
  ``NeuronState``, ``SynapseState``, ``TickParams``, ``Scratch``), their flat form and the
  argument checks;
- :mod:`~spikey.engine.lif.kernel`: the numba kernel (and its ahead-of-time build);
- :mod:`~spikey.engine.lif.reference`: its plain NumPy oracle (the tests compare them
  spike for spike);
- :mod:`~spikey.engine.lif.loader`: the kernel a network calls, loaded without numba when
  an ahead-of-time build exists.

:func:`run` is the entry point: typed arguments in, the trace after the tick out;
:func:`step_by_step` runs the same tick one step per call (when user code runs between
steps).
Importing this package loads no numba.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from spikey.engine.lif.loader import tick_kernel
from spikey.engine.lif.types import (
    I_SUMS_KEPT,
    S_TRACE,
    NeuronState,
    PackedParams,
    Scratch,
    SynapseState,
    TickInput,
    TickParams,
    check_arguments,
    flatten,
)

__all__ = [
    "NeuronState",
    "PackedParams",
    "Scratch",
    "SynapseState",
    "TickInput",
    "TickParams",
    "check_arguments",
    "flatten",
    "run",
    "step_by_step",
    "tick_kernel",
]


def run(
    inputs: TickInput,
    neurons: NeuronState,
    synapses: SynapseState,
    params: TickParams | PackedParams,
    scratch: Scratch,
    kernel: Callable | None = None,
    check: bool = True,
) -> float:
    """Run ``inputs.in_vals.shape[0]`` network steps in place; return the trace after them.

    Parameters
    ----------
    inputs, neurons, synapses, scratch : TickInput, NeuronState, SynapseState, Scratch
        The tick's draws, state and scratch space (neurons, synapses and scratch change in
        place).
    params : TickParams or PackedParams
        The settings (packed once by ``TickParams.packed`` when called step by step).
    kernel : callable, optional
        The compiled function (default: :func:`tick_kernel`'s), or
        :func:`spikey.engine.lif.reference.snn_tick_reference`.
    check : bool, default True
        Check the arrays' dtypes, dimensions and order first (callers that slice arrays
        already checked along their first axis may skip it).

    Returns
    -------
    float
        The synapse trace after the tick.
    """
    packed = params.packed() if isinstance(params, TickParams) else params
    args = flatten(inputs, neurons, synapses, packed, scratch)
    if check:
        check_arguments(args)
    return (kernel or tick_kernel()[0])(*args)


def step_by_step(
    inputs: TickInput,
    neurons: NeuronState,
    synapses: SynapseState,
    params: PackedParams,
    scratch: Scratch,
    kernel: Callable | None = None,
) -> Callable[[int, float], float]:
    """The tick as one compiled call per step: ``call(i, trace)`` runs step ``i`` alone,
    starting from ``trace``, and returns the trace after it.

    Calling it for ``i = 0, 1, ...`` gives the same numbers as :func:`run` over all steps
    (from the second step on the kernel reuses the window sums it left in
    ``scratch.work``). The arguments are checked once here; each call only slices them.

    Parameters
    ----------
    inputs, neurons, synapses, params, scratch
        As for :func:`run` (``params`` packed; its trace is set by each call).
    kernel : callable, optional
        The compiled function (default: :func:`tick_kernel`'s).

    Returns
    -------
    callable
        ``call(i, trace) -> trace``.
    """
    check_arguments(flatten(inputs, neurons, synapses, params, scratch))
    kernel = kernel or tick_kernel()[0]
    in_vals, in_cols, rand_fire, noise = inputs
    potentials, timers, schedule = neurons
    polarities, weights, live, log = synapses
    nparams, iparams, sparams = params
    credit, work, incoming = scratch
    has_rand, has_noise = rand_fire.shape[0] > 0, noise.shape[0] > 0
    window = log.shape[0] - in_vals.shape[0]
    iparams_next = np.append(iparams[:I_SUMS_KEPT], 1)  # the window sums are kept

    def call(i: int, trace: float) -> float:
        sparams[S_TRACE] = trace
        return kernel(
            in_vals[i : i + 1], in_cols,
            rand_fire[i : i + 1] if has_rand else rand_fire,
            noise[i : i + 1] if has_noise else noise,
            potentials, timers, schedule, polarities, nparams,
            iparams_next if i else iparams, weights, live,
            log[i : i + window + 1], sparams, credit, work, incoming,
        )  # fmt: skip

    return call
