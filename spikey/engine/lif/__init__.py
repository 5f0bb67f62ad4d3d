"""The LIF tick of the Spikey-compatible network: one compiled call per game step.

- :mod:`~spikey.engine.lif.types`: the tick's arguments as typed tuples (``TickInput``,
  ``NeuronState``, ``SynapseState``, ``TickParams``, ``Scratch``), their flat form and the
  argument checks;
- :mod:`~spikey.engine.lif.kernel`: the numba kernel (and its ahead-of-time build);
- :mod:`~spikey.engine.lif.reference`: its plain NumPy oracle (the tests compare them
  spike for spike);
- :mod:`~spikey.engine.lif.loader`: the kernel a network calls, loaded without numba when
  an ahead-of-time build exists.

:func:`run` is the one entry point: typed arguments in, the trace after the tick out.
Importing this package loads no numba.
"""

from __future__ import annotations

from collections.abc import Callable

from spikey.engine.lif.loader import tick_kernel
from spikey.engine.lif.types import (
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
