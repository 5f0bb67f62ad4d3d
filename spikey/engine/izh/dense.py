"""The dense engine (``engine="dense"``): the plain per-ms kernel that sweeps every plastic
synapse at each weight step (``kernels.izh_run_dense``), bit-identical to the NumPy reference.

Its state keeps the author's STDP trace array ``hist`` (one row per ms of the last D + 1), the
weights ``w`` and eligibility ``c`` as they are; ``scal[0]`` is d (``scal[1]`` unused).
"""

from __future__ import annotations

import numpy as np

from spikey.engine import kernels
from spikey.engine.izh.lazy import neuron_state
from spikey.engine.izh.model import Model

State = kernels.DenseState
#: Structure tables this engine's kernel never reads (left empty: memory at 100M synapses)
UNUSED_STRUCTURE = ("in_pd",)
THREADED = False


def initial_state(model: Model, lanes: dict) -> State:
    """The state at rest: no trace yet, weights as built, every c = 0."""
    n, dmax = model.structure.a.size, model.syn.max_delay
    weight = model.syn.weight
    return kernels.make(
        State,
        hist=np.zeros((dmax + 1, n)),
        w=weight.copy(),
        c=np.zeros(weight.size),
        **neuron_state(model, lanes),
    )


def advance(model: Model, state: State, t0, n_ms, plastic_on, io, bounds):
    """Advance ``n_ms`` ms from ms ``t0`` (one thread: ``bounds`` is ``[0, N]``)."""
    return kernels.izh_run_dense(t0, n_ms, plastic_on, model.structure, model.par, state, io)


def weights(model: Model, state: State) -> np.ndarray:
    """All weights now."""
    return state.w.copy()


def eligibility(model: Model, state: State) -> np.ndarray:
    """All eligibility traces c now."""
    return state.c.copy()


def set_weights(model: Model, state: State, idx, values) -> None:
    """Set synapses ``idx`` to ``values`` (checked by the caller)."""
    state.w[idx] = values


def from_v2(old: dict) -> dict:
    """A version-2 checkpoint's dense or reference state as this engine's fields."""
    out = {k: old[k] for k in ("v", "u", "fired_ring", "fired_cnt", "w", "c")}
    out["hist"] = old["trace_hist"]
    out["scal"] = np.array([old["d"], 0.0], dtype=np.float64)
    return out
