"""The event-driven engine (``engine="numba"``): plasticity applied where an event touches a
synapse (``kernels.izh_run_lazy``; on several threads ``kernels.izh_run_lazy_threads``).

A plastic synapse's state is ``wc[s] = (wk, ch)``: weight ``clip(wk + ch * acc)`` and
eligibility ``ch * P(p)``, with the accumulator ``acc = scal[1]`` and weight-step clock
``p = pclock[0]`` (see the kernels' module doc); a fixed synapse keeps its weight in ``wk``.
"""

from __future__ import annotations

import os

# The threaded kernel meets its threads at a barrier every ms. OpenMP's default wait spins for
# a long while before sleeping; on a machine whose other core is busy the spinning thread took
# the core from the one doing the work: 2 threads ran 0.01-0.08x the speed of 1 (20k neurons,
# bench_engine --busy), 0.69-0.95x with passive waiting. Set before numba loads its OpenMP pool
# (at the first threaded call); a value the user set wins. See izh/threads.py for the rest.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numba  # noqa: E402
import numpy as np  # noqa: E402

from spikey.engine import kernels
from spikey.engine.izh.model import Model

State = kernels.LazyState
#: Structure tables this engine's kernel never reads (left empty: memory at 100M synapses)
UNUSED_STRUCTURE = ("in_pre", "in_delay")
THREADED = True


def neuron_state(model: Model, lanes: dict) -> dict:
    """The fields every engine's state shares, at rest: v = -65 mV and u = b v in their lanes,
    empty spike rings, the noise words (already in their lanes) and ``scal`` = (d, acc) = 0."""
    n, dmax = model.structure.a.size, model.syn.max_delay
    v, u = lanes["lane_v"], lanes["lane_u"]
    v[:] = -65.0
    u[:] = model.structure.b * v
    return dict(
        v=v,
        u=u,
        fired_ring=np.zeros((dmax, n), dtype=np.uint32),
        fired_cnt=np.zeros(dmax, dtype=np.int64),
        noise0=lanes["lane_s0"],
        noise1=lanes["lane_s1"],
        scal=np.zeros(2),
    )


def initial_state(model: Model, lanes: dict) -> State:
    """The state at rest: no spike yet, weights as built, every c = 0."""
    n, dmax = model.structure.a.size, model.syn.max_delay
    weight = model.syn.weight
    return kernels.make(
        State,
        last=np.full(n, kernels.NEVER, dtype=np.int64),
        spk=np.full((n, dmax + 1), kernels.NEVER, dtype=np.int64),
        spk_n=np.zeros(n, dtype=np.int64),
        wc=_weights_and_zero_c(weight),
        pclock=np.zeros(1, dtype=np.int64),
        **neuron_state(model, lanes),
    )


def _weights_and_zero_c(weight) -> np.ndarray:
    """The (S, 2) table (w, 0) without a temporary of S values (800 MB at 100M synapses);
    zeros come from the system already zeroed, so only the weights are written."""
    wc = np.zeros((weight.size, 2))
    wc[:, 0] = weight
    return wc


def advance(model: Model, state: State, t0, n_ms, plastic_on, io, bounds):
    """Advance ``n_ms`` ms from ms ``t0`` on ``bounds.size - 1`` threads."""
    if bounds.size > 2:
        numba.set_num_threads(bounds.size - 1)
        return kernels.izh_run_lazy_threads(
            t0, n_ms, plastic_on, model.structure, model.par, state, io, bounds
        )
    return kernels.izh_run_lazy(t0, n_ms, plastic_on, model.structure, model.par, state, io)


def weights(model: Model, state: State) -> np.ndarray:
    """All weights now (pending integrals applied, clipped)."""
    w = state.wc[:, 0].copy()
    p = model.syn.plastic
    w[p] = np.clip(w[p] + state.wc[p, 1] * state.scal[1], model.par.w_min, model.par.w_max)
    return w


def eligibility(model: Model, state: State) -> np.ndarray:
    """All eligibility traces c now."""
    return state.wc[:, 1] * model.par.shrink[state.pclock[0]]


def set_weights(model: Model, state: State, idx, values) -> None:
    """Set synapses ``idx`` to ``values`` (checked by the caller), keeping their c."""
    wc = state.wc
    wc[idx, 0] = np.where(model.syn.plastic[idx], values - wc[idx, 1] * state.scal[1], values)


def from_v2(old: dict) -> dict:
    """A version-2 checkpoint's numba state as this engine's fields (and ``t``)."""
    keep = ("v", "u", "last", "spk", "spk_n", "fired_ring", "fired_cnt", "wc")
    out = {k: old[k] for k in keep}
    out["scal"] = np.array([old["d"], old["acc"]], dtype=np.float64)
    out["pclock"] = np.array([old["pclock"]], dtype=np.int64)
    return out
