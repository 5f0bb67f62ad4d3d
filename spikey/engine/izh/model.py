"""What every Izhikevich engine reads and never writes: the :class:`Model`, built once per
network from its parameters and synapses, and the per-call :func:`io` tuple.

The compiled kernels (``spikey/engine/kernels.py``) take four named tuples: the model's
``Structure`` and ``Params``, an engine's state (``izh/lazy.py``, ``izh/dense.py``) and ``IO``.
The NumPy oracle (``izh/reference.py``) takes the same tuples.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from spikey.engine import kernels
from spikey.engine.connectivity import Synapses

NOISE_CODE = {"none": 0, "uniform": 1, "thalamic": 2}
#: the dtype of each Structure table an engine may leave empty
_EMPTY = {"in_pre": np.uint32, "in_delay": np.int32, "in_pd": np.int64}


class Model(NamedTuple):
    """The fixed part of a network, shared by every engine.

    Attributes
    ----------
    structure : kernels.Structure
        Synapse tables and neuron constants in the kernels' types (``da_release`` included).
    par : kernels.Params
        The rule's scalars and lookup tables.
    syn : Synapses
        The synapses as built (storage order).
    params : dict
        The resolved parameter dict (the reference reads the rule from it).
    exact : bool
        True in ``exact`` mode (continuous c), False in ``stepped`` mode.
    """

    structure: kernels.Structure
    par: kernels.Params
    syn: Synapses
    params: dict
    exact: bool


def build_model(
    params: dict, syn: Synapses, abcd: np.ndarray, mode: str, da_release, unused=()
) -> Model:
    """The :class:`Model` of a network (``abcd``: per-neuron a, b, c, d; ``da_release``: the
    dopamine each neuron's spike adds), every field checked by ``kernels.make``. The fields
    named in ``unused`` (an engine's ``UNUSED_STRUCTURE``) are left empty, and arrays the
    synapses already hold in the kernels' types are shared, not copied (1M neurons: 100M
    synapses, each byte per synapse is 100 MB)."""
    n = abcd.shape[0]
    a, b, c_reset, d_reset = (np.ascontiguousarray(abcd[:, k]) for k in range(4))
    # compact targets when they fit 16 bits (less memory traffic per event)
    if n < 2**16:
        post = syn.post.astype(np.uint16)
    else:  # the same non-negative int32 values, read as uint32
        post = np.ascontiguousarray(syn.post, dtype=np.int32).view(np.uint32)

    def table(name, make):
        return np.zeros(0, dtype=_EMPTY[name]) if name in unused else make()

    in_pre = table("in_pre", lambda: syn.pre[syn.in_syn].view(np.uint32))
    in_delay = table("in_delay", lambda: syn.delay[syn.in_syn].astype(np.int32))
    structure = kernels.make(
        kernels.Structure,
        syn_off=syn.syn_off.astype(np.uint32) if syn.pre.size < 2**32 else syn.syn_off,
        post=post,
        kind=outgoing_kind(syn, n, twins=params["duplicates"] == "last"),
        plastic=np.ascontiguousarray(syn.plastic, dtype=bool).view(np.uint8),
        in_off=syn.in_off,
        in_syn=syn.in_syn.view(np.uint32),
        in_pre=in_pre,
        in_delay=in_delay,
        in_pd=table("in_pd", lambda: _packed_pre_delay(syn, n)),
        pruns=runs(syn.plastic),
        a=a,
        b=b,
        block_ab=block_ab(a, b),
        c_reset=c_reset,
        d_reset=d_reset,
        da_release=np.array(da_release, dtype=np.float64),
    )
    exact = mode == "exact"
    return Model(structure, rule_params(params, exact), syn, dict(params), exact)


def _packed_pre_delay(syn: Synapses, n: int) -> np.ndarray:
    """Presynaptic neuron * 128 + delay of each plastic synapse in ``syn.in_syn`` order,
    uint32 where it fits (n < 2**25): packed in storage order (sequential), then gathered
    once."""
    pd = syn.pre.astype(np.uint32 if n * 128 < 2**32 else np.int64)
    pd *= 128
    np.add(pd, syn.delay, out=pd, casting="unsafe")
    return pd[syn.in_syn]


def rule_params(p: dict, exact: bool) -> kernels.Params:
    """The kernels' ``Params`` for parameter dict ``p`` in exact or stepped mode."""
    tau_c = float(p["tau_c"])
    if exact:  # continuous c: per ms exp(-1/tau_c), weight gain g per ms
        period, c_decay = 1, math.exp(-1.0 / tau_c)
        gain = tau_c * (-math.expm1(-1.0 / tau_c)) / p["w_every"]
    else:  # the author's rule: every w_every ms, w += (d + tonic) c, then c *= c_decay
        period, c_decay, gain = int(p["w_every"]), 1.0 - p["w_every"] / tau_c, 1.0
    # re-base the lazy accumulator every rebase_ms, or sooner if c would shrink > 1000x
    steps = max(1, min(int(p["rebase_ms"]) // period, int(math.log(1e-3) / math.log(c_decay))))
    k = np.arange(steps + 1)
    shrink = np.exp(-k / tau_c) if exact else np.power(c_decay, k)
    return kernels.make(
        kernels.Params,
        a_plus=p["a_plus"],
        a_minus=p["a_minus"],
        tonic=p["tonic_da"],
        w_min=p["w_min"],
        w_max=p["w_max"],
        d_decay=1.0 - 1.0 / p["tau_d"],
        trace_decay=1.0 - 1.0 / p["tau_stdp"],
        trace_floor=p["trace_floor"],
        c_decay=c_decay,
        gain=gain,
        period=period,
        noise_mode=NOISE_CODE[p["noise"]],
        noise_scale=2.0 * p["noise_amp"],
        thal_amp=float(p["thalamic_amp"]),
        trace=trace_table(p["tau_stdp"], p["trace_floor"]),
        grow=np.exp(k / tau_c) if exact else 1.0 / shrink,
        shrink=shrink,
    )


def io(stim, rew, rec, spikes, lane_i, work) -> kernels.IO:
    """The ``IO`` tuple of one call: ``stim`` (t, neuron, amount) and ``rew`` (t, amount) with
    t relative to the call, ``rec`` (synapses, every ms, w, c, d buffers), ``spikes`` (the
    time and neuron buffers), the input lane and the scratch arrays ``work``."""
    return kernels.make(
        kernels.IO,
        st_t=stim[0],
        st_n=stim[1],
        st_a=stim[2],
        rw_t=rew[0],
        rw_a=rew[1],
        rec_syn=rec[0],
        rec_every=rec[1],
        rec_w=rec[2],
        rec_c=rec[3],
        rec_d=rec[4],
        sp_t=spikes[0],
        sp_i=spikes[1],
        I=lane_i,
        **work,
    )


def trace_table(tau_stdp: float, floor: float) -> np.ndarray:
    """The author's STDP trace by age: 1 at a spike, times ``1 - 1/tau_stdp`` per ms while above
    ``floor`` (then 0), by the same repeated multiplication as the per-ms trace array, so the
    values are bit-identical. The last entry is the first 0 (any older age reads it)."""
    decay = 1.0 - 1.0 / tau_stdp
    out = [1.0]
    h = 1.0
    while h != 0.0:
        h = decay * h if h > floor else 0.0
        out.append(h)
    return np.array(out)


def block_ab(a, b) -> np.ndarray:
    """Per detection block of ``kernels.BLOCK`` neurons: the (a, b) all of a full block's
    neurons share, or NaN (mixed, or the last, partial block)."""
    full = a.size // kernels.BLOCK
    out = np.full((-(-a.size // kernels.BLOCK), 2), np.nan)
    ab = np.stack([a, b], axis=1)[: full * kernels.BLOCK].reshape(full, kernels.BLOCK, 2)
    same = (ab == ab[:, :1]).all(axis=(1, 2))
    out[:full][same] = ab[same, 0]
    return out


def outgoing_kind(syn, n, twins=False) -> np.ndarray:
    """Per neuron: 0 no plastic outgoing synapse, 1 all plastic, 2 mixed, and with ``twins``
    (``duplicates="last"``) 3 where a shadowed twin is among them (the kernels then find it
    by target). Counted in chunks of 2**22 synapses (whole-array counts with weights took 2 s
    and 800 MB at 100M synapses)."""
    total = np.diff(syn.syn_off[:: syn.max_delay]) if n else np.zeros(0, np.int64)
    plastic = np.zeros(n, dtype=np.int64)
    step = 2**22
    for lo in range(0, syn.pre.size, step):
        part = slice(lo, lo + step)
        plastic += np.bincount(syn.pre[part][syn.plastic[part]], minlength=n)
    kind = np.full(n, 2, dtype=np.uint8)
    kind[plastic == 0] = 0
    kind[(plastic == total) & (total > 0)] = 1
    if twins:
        kind[syn.pre[syn.shadowed]] = 3
    return kind


def runs(mask) -> np.ndarray:
    """(start, stop) of each run of True in ``mask``, shape (R, 2), int64."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(m[1:] != m[:-1])
    return edges.reshape(-1, 2).astype(np.int64)


def thread_bounds(in_degree: np.ndarray, threads: int) -> np.ndarray:
    """Neuron ranges of ``threads`` threads in whole detection blocks, each receiving about
    the same number of synapses (a thread delivers onto its own neurons)."""
    n = in_degree.size
    blocks = -(-n // kernels.BLOCK)
    per_block = np.add.reduceat(in_degree + 1, np.arange(0, n, kernels.BLOCK)) if n else []
    work = np.concatenate([[0], np.cumsum(per_block)])
    cuts = np.searchsorted(work, np.linspace(0, work[-1], threads + 1))
    cuts[0], cuts[-1] = 0, blocks
    bounds = np.minimum(np.maximum.accumulate(cuts) * kernels.BLOCK, n)
    return bounds.astype(np.int64)
