"""Synapse tables: the paper's random connectivity, user-given arrays, and the index layout.

Synapses are stored by presynaptic neuron, and within one neuron by delay (stable), so that
delivering one spike's synapses of one delay is a single contiguous range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spikey.engine.params import MAX_DELAY_LIMIT
from spikey.module import ConfigError


@dataclass
class Synapses:
    """Synapse arrays in storage order (sorted by pre, then delay) and their indices.

    ``syn_off[n * D + k]`` is the first synapse of neuron ``n`` with delay ``k + 1``;
    ``in_syn[in_off[m]:in_off[m + 1]]`` are the plastic synapses onto neuron ``m``.
    """

    pre: np.ndarray  # int32
    post: np.ndarray  # int32
    delay: np.ndarray  # int32, 1..D
    weight: np.ndarray  # float64
    plastic: np.ndarray  # bool
    max_delay: int
    syn_off: np.ndarray  # int64, N * D + 1
    in_off: np.ndarray  # int64, N + 1
    in_syn: np.ndarray  # int32
    plastic_idx: np.ndarray  # int32
    shadowed: np.ndarray  # bool: a later synapse of the same (pre, delay) has the same post


def _bad(key, given, expected):
    return ConfigError(f"izhikevich engine: {key} got {given}; expected {expected}.")


def paper_connectivity(p: dict, rng: np.random.Generator):
    """The author's random network: ``syn_per_neuron`` targets per neuron, drawn with replacement
    (``allow_duplicates``) and self included (``allow_self``) unless those are False.

    Excitatory neurons target any neuron, inhibitory ones only excitatory neurons (unless
    ``inh_to_exc_only`` is False). Excitatory synapse ``j`` of a neuron gets delay
    ``1 + j * D // M`` (the 2006 network's even split over 1..D); inhibitory ones ``inh_delay``.
    Returns (pre, post, weight, delay, plastic), already in storage order.
    """
    ne, ni, m, dmax = p["n_exc"], p["n_inh"], p["syn_per_neuron"], p["max_delay"]
    if not p["w_min"] <= p["w_exc_init"] <= p["w_max"]:
        raise ValueError(
            f"izhikevich engine: parameter 'w_exc_init' got {p['w_exc_init']!r}; expected a "
            f"weight in [w_min, w_max] = [{p['w_min']}, {p['w_max']}]."
        )
    n = ne + ni
    exc_post = _draw_targets(rng, np.arange(ne), n, m, p["allow_self"], p["allow_duplicates"])
    inh_hi = ne if p["inh_to_exc_only"] else n
    inh_post = _draw_targets(
        rng, np.arange(ne, n), inh_hi, m, p["allow_self"] or inh_hi == ne, p["allow_duplicates"]
    )
    post = np.concatenate([exc_post.ravel(), inh_post.ravel()]).astype(np.int32)
    pre = np.repeat(np.arange(n, dtype=np.int32), m)
    exc_delay = 1 + (np.arange(m) * dmax) // max(m, 1)
    delay = np.concatenate([np.tile(exc_delay, ne), np.full(ni * m, p["inh_delay"])]).astype(
        np.int32
    )
    weight = np.concatenate(
        [np.full(ne * m, float(p["w_exc_init"])), np.full(ni * m, float(p["w_inh"]))]
    )
    plastic = pre < ne
    return pre, post, weight, delay, plastic


def _draw_targets(rng, sources, hi, m, allow_self, allow_duplicates=True):
    """Targets in [0, hi) for each source, ``m`` each (with replacement unless told otherwise).

    With ``allow_self=False`` every source must lie in [0, hi) (pass True when none can).
    """
    k = len(sources)
    if k == 0 or m == 0:
        return np.zeros((k, m), dtype=np.int64)
    src = sources[:, None]
    own = src < hi  # a source can only hit itself when it lies in the target range
    n_options = hi - (0 if allow_self else 1)
    if n_options < 1 or (not allow_duplicates and n_options < m):
        raise _bad(
            "connectivity",
            f"{n_options} possible target(s) per neuron for {m} synapses",
            "enough targets (allow duplicates or self-connections, or use fewer synapses)",
        )

    if allow_self:
        targets = rng.integers(0, hi, size=(k, m))
    else:
        t = rng.integers(0, hi - 1, size=(k, m))
        targets = t + ((t >= src) & own)  # skip the source itself
    if allow_duplicates:
        return targets
    while True:  # redraw repeated targets until every row is distinct
        order = np.argsort(targets, axis=1, kind="stable")
        srt = np.take_along_axis(targets, order, axis=1)
        dup_sorted = np.zeros_like(srt, dtype=bool)
        dup_sorted[:, 1:] = srt[:, 1:] == srt[:, :-1]
        if not dup_sorted.any():
            return targets
        dup = np.zeros_like(dup_sorted)
        np.put_along_axis(dup, order, dup_sorted, axis=1)
        rows, cols = np.nonzero(dup)
        t = rng.integers(0, n_options, size=rows.size)
        if not allow_self:
            t = t + ((t >= sources[rows]) & (sources[rows] < hi))
        targets[rows, cols] = t


def build_synapses(
    n: int, pre, post, weight, delay, plastic, max_delay: int, w_min: float, w_max: float
) -> tuple[Synapses, np.ndarray]:
    """Validate user arrays and lay them out; returns the table and the permutation applied.

    ``perm[k]`` is the input position of stored synapse ``k`` (the sort is stable, so arrays
    already sorted by (pre, delay) keep their order).
    """
    arrays = {}
    for name, arr in (("pre", pre), ("post", post), ("delay", delay)):
        a = np.asarray(arr)
        if a.ndim != 1:
            raise _bad(name, f"an array of shape {a.shape}", "a 1-D array")
        if a.size and not np.issubdtype(a.dtype, np.integer):
            if not (
                np.issubdtype(a.dtype, np.floating)
                and np.all(np.isfinite(a))
                and np.all(a == np.round(a))
            ):
                raise _bad(name, f"dtype {a.dtype}", "integers")
        arrays[name] = a.astype(np.int64)
    s = arrays["pre"].size
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim == 0:
        w = np.full(s, float(w))
    pl = np.ones(s, dtype=bool) if plastic is None else np.asarray(plastic)
    if pl.ndim == 0:
        pl = np.full(s, bool(pl))
    for name, a in (
        ("post", arrays["post"]),
        ("delay", arrays["delay"]),
        ("weight", w),
        ("plastic", pl),
    ):
        if a.shape != (s,):
            raise _bad(name, f"shape {a.shape}", f"shape ({s},) like pre")
    if pl.dtype != bool:
        raise _bad("plastic", f"dtype {pl.dtype}", "a boolean array")
    for name in ("pre", "post"):
        a = arrays[name]
        if s and (a.min() < 0 or a.max() >= n):
            bad = a[(a < 0) | (a >= n)][0]
            raise _bad(name, f"neuron index {bad}", f"indices in 0..{n - 1}")
    dl = arrays["delay"]
    if not 1 <= max_delay <= MAX_DELAY_LIMIT:
        raise _bad("max_delay", max_delay, f"1..{MAX_DELAY_LIMIT}")
    if s and (dl.min() < 1 or dl.max() > max_delay):
        bad = dl[(dl < 1) | (dl > max_delay)][0]
        raise _bad("delay", f"{bad} ms", f"delays in 1..max_delay={max_delay} ms")
    if not np.all(np.isfinite(w)):
        raise _bad("weight", f"non-finite value {w[~np.isfinite(w)][0]}", "finite weights")
    out = pl & ((w < w_min) | (w > w_max))
    if out.any():
        k = int(np.flatnonzero(out)[0])
        raise _bad(
            "weight",
            f"{w[k]} at plastic synapse {k}",
            f"plastic weights in [w_min, w_max] = [{w_min}, {w_max}]",
        )
    perm = np.lexsort((dl, arrays["pre"]))
    pre_s = arrays["pre"][perm].astype(np.int32)
    post_s = arrays["post"][perm].astype(np.int32)
    delay_s = dl[perm].astype(np.int32)
    key = pre_s.astype(np.int64) * max_delay + (delay_s - 1)
    syn_off = np.searchsorted(key, np.arange(n * max_delay + 1)).astype(np.int64)
    pl_s = pl[perm].copy()
    plastic_idx = np.flatnonzero(pl_s).astype(np.int32)
    order = np.argsort(post_s[plastic_idx], kind="stable")
    in_syn = plastic_idx[order].astype(np.int32)
    in_off = np.searchsorted(post_s[in_syn], np.arange(n + 1)).astype(np.int64)
    table = Synapses(
        pre_s,
        post_s,
        delay_s,
        w[perm].copy(),
        pl_s,
        int(max_delay),
        syn_off,
        in_off,
        in_syn,
        plastic_idx,
        shadowed_twins(pre_s, post_s, delay_s),
    )
    return table, perm


def shadowed_twins(pre, post, delay) -> np.ndarray:
    """True for each synapse that a later one (in the given order) with the same pre, post and
    delay shadows under the ``duplicates="last"`` rule; the last of each group is False."""
    s = np.asarray(pre).size
    shadow = np.zeros(s, dtype=bool)
    if s < 2:
        return shadow
    order = np.lexsort((np.arange(s), post, delay, pre))  # groups together, position ascending
    key = np.stack([np.asarray(a)[order] for a in (pre, delay, post)])
    same_as_next = np.all(key[:, 1:] == key[:, :-1], axis=0)
    shadow[order[:-1]] = same_as_next
    return shadow
