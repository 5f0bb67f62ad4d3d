"""Synapse tables: the paper's random connectivity, user-given arrays, and the index layout.

Synapses are stored by presynaptic neuron, and within one neuron by delay (stable), so that
delivering one spike's synapses of one delay is a single contiguous range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from spikey.engine.params import MAX_DELAY_LIMIT
from spikey.module import ConfigError


@dataclass
class Synapses:
    """Synapse arrays in storage order (sorted by pre, delay, then post) and their indices.

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
    shadowed: np.ndarray  # bool: a later synapse of the same (pre, delay) has the same post

    @property
    def plastic_idx(self) -> np.ndarray:
        """Storage indices of the plastic synapses, ascending (int32), computed when read: held,
        they took 3.2 bytes per synapse of a 100M-synapse network."""
        return np.flatnonzero(self.plastic).astype(np.int32)


def engine_error(key, given, expected) -> ConfigError:
    """A ConfigError "izhikevich engine: KEY got GIVEN; expected EXPECTED."."""
    return ConfigError(f"izhikevich engine: {key} got {given}; expected {expected}.")


_bad = engine_error


def whole_floats(a: np.ndarray) -> bool:
    """Whether ``a`` is a float array of whole numbers that int64 holds exactly (each
    ``|x| < 2**53``, so no NaN or inf): indices or times given as floats."""
    return bool(
        np.issubdtype(a.dtype, np.floating)
        and np.all(np.abs(a) < 2.0**53)
        and np.all(a == np.round(a))
    )


def check_table(syn, n: int, max_delay: int) -> None:
    """Refuse a synapse table that does not index a network of ``n`` neurons and delays
    1..``max_delay`` (the kernels read it without bounds checks)."""
    if not isinstance(syn, Synapses):
        raise _bad("synapses", type(syn).__name__, "a Synapses table (engine.connectivity)")
    s = syn.pre.size
    arrays = (syn.pre, syn.post, syn.delay, syn.weight, syn.plastic, syn.shadowed)
    fits = (
        syn.max_delay == max_delay
        and all(np.shape(a) == (s,) for a in arrays)
        and np.shape(syn.syn_off) == (n * max_delay + 1,)
        and np.shape(syn.in_off) == (n + 1,)
        and syn.syn_off[0] == 0
        and syn.syn_off[-1] == s
        and bool(np.all(np.diff(syn.syn_off) >= 0))
        and syn.in_off[0] == 0
        and syn.in_off[-1] == syn.in_syn.size
        and bool(np.all(np.diff(syn.in_off) >= 0))
        and (syn.in_syn.size == 0 or (syn.in_syn.min() >= 0 and syn.in_syn.max() < s))
        and (
            s == 0
            or (min(syn.pre.min(), syn.post.min()) >= 0 and max(syn.pre.max(), syn.post.max()) < n)
        )
        and (s == 0 or (syn.delay.min() >= 1 and syn.delay.max() <= max_delay))
    )
    if not fits:
        raise _bad(
            "synapses",
            f"a table of {s} synapses that does not fit n={n} neurons, max_delay={max_delay}",
            "the table build_synapses or paper_synapses makes for this network",
        )


def paper_connectivity(p: dict, rng: np.random.Generator):
    """The author's random network for the engine's parameter dict ``p`` (excitatory neurons
    are 0..n_exc-1); see :func:`paper_table`.

    Returns (pre, post, weight, delay, plastic) in draw order (already sorted by pre; storage
    order sorts by delay within a neuron).
    """
    ne, ni = p["n_exc"], p["n_inh"]
    _check_init_weight(p)
    pre, post, delay, exc = paper_table(
        rng,
        np.arange(ne),
        np.arange(ne, ne + ni),
        p["syn_per_neuron"],
        p["max_delay"],
        p["inh_delay"],
        allow_self=p["allow_self"],
        inh_to_exc_only=p["inh_to_exc_only"],
        allow_duplicates=p["allow_duplicates"],
    )
    weight = np.where(exc, float(p["w_exc_init"]), float(p["w_inh"]))
    return pre.astype(np.int32), post.astype(np.int32), weight, delay.astype(np.int32), exc


def _check_init_weight(p: dict) -> None:
    if not p["w_min"] <= p["w_exc_init"] <= p["w_max"]:
        raise ValueError(
            f"izhikevich engine: parameter 'w_exc_init' got {p['w_exc_init']!r}; expected a "
            f"weight in [w_min, w_max] = [{p['w_min']}, {p['w_max']}]."
        )


def paper_synapses(p: dict, rng: np.random.Generator, rows_per_chunk: int = 0) -> Synapses:
    """The author's random network as the synapse table, laid out directly in storage order.

    The same draws and the same table as ``build_synapses(*paper_connectivity(p, rng))``
    (tested field by field), built without its general sorts: the draws are already in
    presynaptic order and a neuron's delays rise with its synapse number, so each neuron's
    targets only need sorting within their delay groups (one row sort of delay * N + target).
    Targets are drawn a block of rows at a time (the generator's stream does not depend on
    the block size), the plastic synapses are ordered by target with a counting sort and
    twins are found next to each other. Temporaries stay small next to the table: at 1M
    neurons x 100 synapses the build takes a few seconds and about 29 bytes per synapse (the
    general path sorted 64-bit copies of every array).

    Networks with ``allow_self=False`` or ``allow_duplicates=False`` (redraws) take the
    general path.
    """
    ne, ni, m, dmax = p["n_exc"], p["n_inh"], p["syn_per_neuron"], p["max_delay"]
    n = ne + ni
    if not (p["allow_self"] and p["allow_duplicates"]) or m == 0 or n == 0:
        pre, post, weight, delay, plastic = paper_connectivity(p, rng)
        return build_synapses(n, pre, post, weight, delay, plastic, dmax, p["w_min"], p["w_max"])[0]
    _check_init_weight(p)
    s = n * m
    rows = rows_per_chunk or max(1, (1 << 20) // m)
    exc_delay = 1 + (np.arange(m, dtype=np.int64) * dmax) // m  # rising with j
    post = np.empty(s, dtype=np.int32)
    shadowed = np.zeros(s, dtype=bool)
    pool = ne if p["inh_to_exc_only"] else n

    def fill(first, count, bound, group):
        for lo in range(first, first + count, rows):
            r = min(rows, first + count - lo)
            key = rng.integers(0, bound, size=(r, m))
            if group is not None:  # delay group, then target: one sort per row
                key += group * n
            key.sort(axis=1)
            shadowed[lo * m : (lo + r) * m].reshape(r, m)[:, :-1] = key[:, 1:] == key[:, :-1]
            post[lo * m : (lo + r) * m] = (key % n if group is not None else key).ravel()

    fill(0, ne, n, (exc_delay - 1) if dmax > 1 else None)
    if ni:
        fill(ne, ni, pool, None)
    pre = np.repeat(np.arange(n, dtype=np.int32), m)
    delay = np.empty(s, dtype=np.int32)
    if ne:
        delay[: ne * m].reshape(ne, m)[:] = exc_delay
    delay[ne * m :] = p["inh_delay"]
    weight = np.empty(s)
    weight[: ne * m] = float(p["w_exc_init"])
    weight[ne * m :] = float(p["w_inh"])
    plastic = np.zeros(s, dtype=bool)
    plastic[: ne * m] = True
    per_delay = np.zeros((n, dmax), dtype=np.int64)
    per_delay[:ne] = np.bincount(exc_delay - 1, minlength=dmax)
    per_delay[ne:, p["inh_delay"] - 1] = m
    syn_off = np.concatenate([[0], np.cumsum(per_delay.ravel())]).astype(np.int64)
    in_off, in_syn = _by_target(post[: ne * m], n)
    return Synapses(pre, post, delay, weight, plastic, int(dmax), syn_off, in_off, in_syn, shadowed)


@numba.njit(cache=True)
def _by_target(post, n):
    """Stable counting sort of synapse numbers by target: (offsets N + 1, order int32)."""
    off = np.zeros(n + 1, dtype=np.int64)
    for k in range(post.size):
        off[post[k] + 1] += 1
    for i in range(n):
        off[i + 1] += off[i]
    fill = off[:-1].copy()
    out = np.empty(post.size, dtype=np.int32)
    for k in range(post.size):
        out[fill[post[k]]] = k
        fill[post[k]] += 1
    return off, out


def paper_table(
    rng: np.random.Generator,
    exc: np.ndarray,
    inh: np.ndarray,
    m: int,
    max_delay: int,
    inh_delay: int,
    *,
    allow_self: bool = True,
    inh_to_exc_only: bool = True,
    allow_duplicates: bool = True,
    owner: str = "izhikevich engine",
):
    """The random structure of the author's programs, for any split of neurons 0..N-1.

    Each excitatory neuron (``exc``, sorted indices) draws ``m`` targets among all N neurons,
    each inhibitory one (``inh``) among the excitatory ones (all N when ``inh_to_exc_only`` is
    False), with replacement and self included unless ``allow_duplicates`` / ``allow_self``
    are False. Excitatory synapse ``j`` of a neuron gets delay ``1 + j * max_delay // m`` (the
    2006 network's even split over 1..D), inhibitory ones ``inh_delay``. Used by the presets
    and by :class:`spikey.snn.weight.delayed.DelayedSparse`, so both draw the same way.

    Returns (pre, post, delay, is_excitatory_synapse) in draw order: all excitatory neurons'
    synapses (in ``exc`` order), then the inhibitory ones'. Errors name ``owner``.
    """
    exc = np.asarray(exc, dtype=np.int64)
    inh = np.asarray(inh, dtype=np.int64)
    n = exc.size + inh.size
    exc_post = draw_targets(rng, exc, np.arange(n), m, allow_self, allow_duplicates, owner)
    pool = exc if inh_to_exc_only else np.arange(n)
    if inh.size and m and not pool.size:
        raise ConfigError(
            f"{owner}: inh_to_exc_only got True; expected False when there is no excitatory "
            "neuron for the inhibitory ones to target."
        )
    inh_post = draw_targets(rng, inh, pool, m, allow_self, allow_duplicates, owner)
    pre = np.concatenate([np.repeat(exc, m), np.repeat(inh, m)])
    post = np.concatenate([exc_post.ravel(), inh_post.ravel()])
    exc_delay = 1 + (np.arange(m) * max_delay) // max(m, 1)
    delay = np.concatenate([np.tile(exc_delay, exc.size), np.full(inh.size * m, inh_delay)])
    is_exc = np.arange(pre.size) < exc.size * m
    return pre, post.astype(np.int64), delay.astype(np.int64), is_exc


def draw_targets(rng, sources, pool, m, allow_self=True, allow_duplicates=True, owner="engine"):
    """``m`` targets from ``pool`` (sorted indices) for each of ``sources``, shape (k, m).

    With replacement unless ``allow_duplicates`` is False (then repeated targets of a row are
    redrawn); a source in the pool skips itself unless ``allow_self``.
    """
    sources = np.asarray(sources, dtype=np.int64)
    pool = np.asarray(pool, dtype=np.int64)
    k = sources.size
    if k == 0 or m == 0:
        return np.zeros((k, m), dtype=np.int64)
    own = np.zeros(k, dtype=bool) if allow_self else np.isin(sources, pool)
    options = pool.size - own  # per row
    if options.min() < 1 or (not allow_duplicates and options.min() < m):
        raise ConfigError(
            f"{owner}: connectivity got {int(options.min())} possible target(s) per neuron for "
            f"{m} synapses; expected enough targets (allow duplicates or self-connections, or "
            "use fewer synapses)."
        )
    pos = np.searchsorted(pool, sources)  # a source's own place in the pool

    def draw(rows, size):
        hi = options[rows]
        if np.all(hi == hi[0]):  # one bound: numpy's scalar path (the presets' stream)
            idx = rng.integers(0, int(hi[0]), size=size)
        else:
            idx = rng.integers(0, hi.reshape((-1,) + (1,) * (len(size) - 1)), size=size)
        if not allow_self:
            skip = own[rows].reshape(idx.shape[:1] + (1,) * (idx.ndim - 1))
            at = pos[rows].reshape(skip.shape)
            idx = idx + ((idx >= at) & skip)
        return idx

    idx = draw(np.arange(k), (k, m))
    if not allow_duplicates:
        while True:  # redraw repeated targets until every row is distinct
            order = np.argsort(idx, axis=1, kind="stable")
            srt = np.take_along_axis(idx, order, axis=1)
            dup_sorted = np.zeros_like(srt, dtype=bool)
            dup_sorted[:, 1:] = srt[:, 1:] == srt[:, :-1]
            if not dup_sorted.any():
                break
            dup = np.zeros_like(dup_sorted)
            np.put_along_axis(dup, order, dup_sorted, axis=1)
            rows, cols = np.nonzero(dup)
            idx[rows, cols] = draw(rows, (rows.size,))
    return pool[idx]


def storage_order(pre, delay, post) -> np.ndarray:
    """The permutation into storage order: by presynaptic neuron, delay, then target (stable,
    so repeated synapses keep their given order). Targets ascending within each (pre, delay)
    group let a threaded run give each thread a contiguous part of the group."""
    return np.lexsort((np.asarray(post), np.asarray(delay), np.asarray(pre)))


def build_synapses(
    n: int, pre, post, weight, delay, plastic, max_delay: int, w_min: float, w_max: float
) -> tuple[Synapses, np.ndarray]:
    """Validate user arrays and lay them out; returns the table and the permutation applied.

    ``perm[k]`` is the input position of stored synapse ``k`` (the sort is stable, so arrays
    already sorted by (pre, delay, post) keep their order).
    """
    arrays = {}
    for name, arr in (("pre", pre), ("post", post), ("delay", delay)):
        a = np.asarray(arr)
        if a.ndim != 1:
            raise _bad(name, f"an array of shape {a.shape}", "a 1-D array")
        if a.size and not np.issubdtype(a.dtype, np.integer) and not whole_floats(a):
            raise _bad(name, f"dtype {a.dtype}", "integers")
        arrays[name] = a.astype(np.int64)
    s = arrays["pre"].size
    try:
        w = np.asarray(weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise _bad(
            "weight", repr(weight)[:60], "numbers (one per synapse, or one for all)"
        ) from None
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
    perm = storage_order(arrays["pre"], dl, arrays["post"])
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
    pre, post, delay = (np.asarray(a) for a in (pre, post, delay))
    spans = [int(a.max()) - int(a.min()) + 1 for a in (pre, delay, post)]
    if spans[0] * spans[1] * spans[2] < 2**62:
        # one packed key (pre, delay, post) and a stable sort: equal keys keep their positions
        # ascending, as the general lexsort below (several times faster on large networks)
        key = pre.astype(np.int64) - int(pre.min())
        key = key * spans[1] + (delay.astype(np.int64) - int(delay.min()))
        key = key * spans[2] + (post.astype(np.int64) - int(post.min()))
        order = np.argsort(key, kind="stable")
        key = key[order]
        shadow[order[:-1]] = key[1:] == key[:-1]
        return shadow
    order = np.lexsort((np.arange(s), post, delay, pre))  # groups together, position ascending
    keys = np.stack([a[order] for a in (pre, delay, post)])
    same_as_next = np.all(keys[:, 1:] == keys[:, :-1], axis=0)
    shadow[order[:-1]] = same_as_next
    return shadow
