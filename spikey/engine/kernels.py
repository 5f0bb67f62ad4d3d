"""Compiled kernels of the Izhikevich engine (numba), with named inputs.

Each kernel advances the network ``n_ms`` milliseconds in one call, in the author's order of
operations (see ``reference.py``, the NumPy oracle they are tested against spike for spike):

1. input: thalamic input (one random neuron), then stimuli;
2. spike detection (``v >= 30``) and reset;
3. LTP: every plastic synapse onto a neuron that fired gets ``a_plus`` times its presynaptic
   neuron's trace ``delay`` ms ago (the author's STDP array: ``hist[t % (D + 1), n]`` is 1 at
   a spike and decays by ``1 - 1/tau_stdp`` per ms; a trace at or below ``trace_floor``
   drops to 0 and is skipped);
4. delivery of the spikes fired ``lag`` ms ago over synapses of delay ``lag + 1`` (weights read
   now) and LTD ``-a_minus * trace(post)``;
5. neuron update on the summed input plus uniform background noise (added last; see
   ``noise.py``: one generator per neuron), two 0.5 ms half-steps of v, then u; the traces
   decay into the next slot;
6. dopamine decay, weight change, then this ms's reward pulses and dopamine releases.

Interface: every kernel is a pure function ``kernel(t0, n_ms, plastic_on, net, par, st, io)
-> (ms done, spikes written, samples written)`` of four named tuples (see ``NAMED``):
``Structure`` (the synapse tables and neuron constants, never written), ``Params``
(scalars and lookup tables), a state (``LazyState`` or ``DenseState``, updated in place) and
``IO`` (this call's stimuli, rewards, recording and spike buffers, and scratch arrays). Build
them with :func:`make`, which checks every field's name, dtype and rank before compiled code
sees it; each kernel checks the sizes itself. Keep v, u, I and the noise words in
:func:`lanes` (the network does): elsewhere the update may run 2.4x slower. The kernels
allocate nothing and are compiled without numba's reference counting (``_nrt=False``): an
inlined helper taking arrays otherwise pays an atomic incref and decref per array per call.

Two kernels:

- :func:`izh_run_lazy` (the engine's ``numba`` path) applies plasticity only where an event
  touches a synapse. A plastic synapse's state ``wc[s] = (wk, ch)`` is affine in one global
  accumulator ``acc = sum over weight steps of (d + tonic) * gain * P(p)`` with
  ``P(p) = shrink[p]`` the decay of c over ``p`` weight steps since the last re-base:
  weight ``w = clip(wk + ch * acc)``, eligibility ``c = ch * P(p)``. A touch that changes
  ``ch`` clips w and re-anchors it (``wk = w - ch_new * acc``). This is exact because within
  an *epoch* every weight step's modulator ``m = d + tonic`` has one sign, and between
  touches c keeps its sign, so w moves one way and clipping once at the next touch equals
  clipping every step. Dopamine may dip below its baseline (a negative reward: ``d < 0``,
  and ``m < 0`` while ``d < -tonic``), so m can change sign; a weight step whose m has the
  opposite sign of ``acc`` (which carries its epoch's sign: every term added since the last
  re-base has it) re-bases first (:func:`_weight_step`): every plastic synapse is brought up
  to date and clipped, and the new epoch starts from ``acc = 0``. A weight that would hit a
  bound during a dip and come back is thus clipped where the per-step rule clips it. A sign
  change costs one sweep over the plastic synapses (as a re-base every ``rebase_ms``); runs
  whose m never changes sign (rewards >= 0) never pay it. ``period = 1`` with
  ``P(p) = exp(-p / tau_c)`` is the exact (continuous) rule; ``period = w_every`` with
  ``P(p) = (1 - w_every / tau_c) ** p`` replays the author's 10 ms rule (identical spikes to
  the dense kernel, weights equal up to rounding).
- :func:`izh_run_dense` (engine ``dense``) is the plain per-ms loop that sweeps every plastic
  synapse each weight step: the oracle, bit-identical to ``reference.py`` in both modes.

Arrays are mutated in place; no argument is bounds-checked here (``network.py`` validates).
fastmath is off on purpose: the neuron update must round exactly like the reference.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import float64, int64, njit, prange, types, uint64
from numba.extending import overload

from spikey.engine.wide import njit_wide

_TWO53 = 1.0 / 9007199254740992.0
BLOCK = 64  # neurons per detection block
NEVER = -(2**62)  # spike time of a neuron that has not fired

Structure = namedtuple(
    "Structure",
    [
        "syn_off",  # uint32 (< 2**32 synapses) or int64 (N * D + 1): first synapse of n, delay k + 1
        "post",  # uint16 (N < 65535) or uint32 (S): target of each synapse (storage order)
        "kind",  # uint8 (N): 0 no plastic outgoing synapse, 1 all plastic, 2 mixed, 3 a
        # shadowed twin among them (duplicates="last"; plastic tested per synapse)
        "plastic",  # uint8 (S)
        "in_off",  # int64 (N + 1): plastic synapses onto m are in_*[in_off[m]:in_off[m+1]]
        "in_syn",  # uint32: their storage index
        "in_pre",  # uint32: their presynaptic neuron (dense kernel; may be empty for the lazy)
        "in_delay",  # int32: their delay (dense kernel; may be empty for the lazy)
        "in_pd",  # uint32 or int64: presynaptic neuron * 128 + delay (one load in the lazy
        # kernel; may be empty for the dense)
        "pruns",  # int64 (R, 2): (start, stop) ranges of plastic synapses
        "a",  # float64 (N): neuron constants (a, b, c, d)
        "b",
        "block_ab",  # float64 (ceil(N / BLOCK), 2): the (a, b) a full block shares, else NaN
        "c_reset",
        "d_reset",
        "da_release",  # float64 (N): dopamine added at each spike of the neuron
    ],
)
Params = namedtuple(
    "Params",
    [
        "a_plus",
        "a_minus",
        "tonic",
        "w_min",
        "w_max",
        "d_decay",  # per ms
        "trace_decay",  # per ms
        "trace_floor",
        "c_decay",  # dense kernel: factor of c per weight step
        "gain",  # weight change per step = (d + tonic) * gain * c
        "period",  # int64: ms per weight step (1: exact, w_every: stepped)
        "noise_mode",  # int64: 0 none, 1 uniform, 2 thalamic
        "noise_scale",  # uniform: noise = noise_scale * (U[0, 1) - 0.5)
        "thal_amp",
        "trace",  # float64 (K + 1): STDP trace by age in ms (lazy kernel); trace[K] = 0
        "grow",  # float64 (rebase + 1): 1 / P(p) (lazy kernel)
        "shrink",  # float64 (rebase + 1): P(p); the accumulator is re-based at p = rebase
    ],
)
LazyState = namedtuple(
    "LazyState",
    [
        "v",  # float64 (N)
        "u",  # float64 (N)
        "last",  # int64 (N): time of each neuron's last spike (NEVER before the first)
        "spk",  # int64 (N, D + 1): each neuron's last D + 1 spike times (a ring)
        "spk_n",  # int64 (N): spikes so far (the ring's head)
        "fired_ring",  # uint32 (D, N): who fired in each of the last D ms
        "fired_cnt",  # int64 (D)
        "noise0",  # uint64 (N + 1): xoroshiro128+ state (first word) of each neuron, then thalamus
        "noise1",  # uint64 (N + 1): its second word
        "wc",  # float64 (S, 2): (wk, ch) per synapse; fixed synapses keep w in wk
        "scal",  # float64 (2): (d, acc)
        "pclock",  # int64 (1): weight steps since the last re-base
    ],
)
DenseState = namedtuple(
    "DenseState",
    ["v", "u", "hist", "fired_ring", "fired_cnt", "noise0", "noise1", "w", "c", "scal"],
)
IO = namedtuple(
    "IO",
    [
        "st_t",  # int64: stimulus times relative to the call's first ms (sorted)
        "st_n",  # int32: stimulated neuron
        "st_a",  # float64: amount (mV)
        "rw_t",  # int64: reward times (sorted)
        "rw_a",  # float64: dopamine added
        "rec_syn",  # int64: recorded synapses
        "rec_every",  # int64: sample every this many ms (0: none)
        "rec_w",  # float64 (samples, synapses)
        "rec_c",
        "rec_d",  # float64 (samples)
        "sp_t",  # int64: spike output buffer (times)
        "sp_i",  # int32: spike output buffer (neurons)
        # scratch (see :func:`scratch`; the kernels allocate nothing, so they run without
        # numba's reference counting)
        "hits",  # int64 (ceil(N / BLOCK)): per block, neurons at threshold
        "cand_s",  # uint32 (threads, max plastic in-degree): LTP candidates' synapses
        "cand_h",  # float64 (threads, max plastic in-degree): their presynaptic traces
        "counts",  # int64 (threads): neurons at threshold per thread
        "I",  # float64 (N + 1): the input of one ms (scratch, cleared at the start); I[N] is
        # the sink of shadowed twins
    ],
)

_F, _I64, _I32, _U32, _U8, _U64 = (
    np.float64,
    np.int64,
    np.int32,
    np.uint32,
    np.uint8,
    np.uint64,
)
#: Every field's (dtype, rank); rank 0 is a Python/NumPy scalar of that dtype's kind.
SPEC = {
    Structure: dict(
        syn_off=((_U32, _I64), 1),
        post=((np.uint16, _U32), 1),
        kind=(_U8, 1),
        plastic=(_U8, 1),
        in_off=(_I64, 1),
        in_syn=(_U32, 1),
        in_pre=(_U32, 1),
        in_delay=(_I32, 1),
        in_pd=((_U32, _I64), 1),
        pruns=(_I64, 2),
        a=(_F, 1),
        b=(_F, 1),
        block_ab=(_F, 2),
        c_reset=(_F, 1),
        d_reset=(_F, 1),
        da_release=(_F, 1),
    ),
    Params: dict(
        a_plus=(_F, 0),
        a_minus=(_F, 0),
        tonic=(_F, 0),
        w_min=(_F, 0),
        w_max=(_F, 0),
        d_decay=(_F, 0),
        trace_decay=(_F, 0),
        trace_floor=(_F, 0),
        c_decay=(_F, 0),
        gain=(_F, 0),
        period=(_I64, 0),
        noise_mode=(_I64, 0),
        noise_scale=(_F, 0),
        thal_amp=(_F, 0),
        trace=(_F, 1),
        grow=(_F, 1),
        shrink=(_F, 1),
    ),
    LazyState: dict(
        v=(_F, 1),
        u=(_F, 1),
        last=(_I64, 1),
        spk=(_I64, 2),
        spk_n=(_I64, 1),
        fired_ring=(_U32, 2),
        fired_cnt=(_I64, 1),
        noise0=(_U64, 1),
        noise1=(_U64, 1),
        wc=(_F, 2),
        scal=(_F, 1),
        pclock=(_I64, 1),
    ),
    DenseState: dict(
        v=(_F, 1),
        u=(_F, 1),
        hist=(_F, 2),
        fired_ring=(_U32, 2),
        fired_cnt=(_I64, 1),
        noise0=(_U64, 1),
        noise1=(_U64, 1),
        w=(_F, 1),
        c=(_F, 1),
        scal=(_F, 1),
    ),
    IO: dict(
        st_t=(_I64, 1),
        st_n=(_I32, 1),
        st_a=(_F, 1),
        rw_t=(_I64, 1),
        rw_a=(_F, 1),
        rec_syn=(_I64, 1),
        rec_every=(_I64, 0),
        rec_w=(_F, 2),
        rec_c=(_F, 2),
        rec_d=(_F, 1),
        sp_t=(_I64, 1),
        sp_i=(_I32, 1),
        hits=(_I64, 1),
        cand_s=(_U32, 2),
        cand_h=(_F, 2),
        counts=(_I64, 1),
        I=(_F, 1),
    ),
}
NAMED = tuple(SPEC)


def make(named, /, **fields):
    """Build the named tuple ``named`` after checking every field: a missing or unknown name,
    a wrong dtype, rank or a non-contiguous array raises TypeError naming the field.
    Scalars are converted to the field's type (float64 or int64)."""
    spec = SPEC[named]
    unknown = sorted(set(fields) - set(spec))
    missing = sorted(set(spec) - set(fields))
    if unknown or missing:
        raise TypeError(
            f"{named.__name__}: unknown field(s) {unknown}, missing field(s) {missing}; "
            f"expected exactly {list(spec)}"
        )
    out = {}
    for name, (dtype, rank) in spec.items():
        value = fields[name]
        if rank == 0:
            if isinstance(value, np.ndarray) or not isinstance(
                value, (int, float, np.integer, np.floating, bool, np.bool_)
            ):
                raise TypeError(
                    f"{named.__name__}.{name}: got {type(value).__name__}; expected a scalar"
                )
            if dtype is _I64 and not isinstance(value, (int, np.integer, bool, np.bool_)):
                raise TypeError(
                    f"{named.__name__}.{name}: got {value!r}; expected an integer scalar"
                )
            out[name] = np.int64(value) if dtype is _I64 else np.float64(value)
            continue
        if not isinstance(value, np.ndarray):
            raise TypeError(
                f"{named.__name__}.{name}: got {type(value).__name__}; expected a numpy array"
            )
        allowed = dtype if isinstance(dtype, tuple) else (dtype,)
        if value.dtype not in allowed or value.ndim != rank:
            names = " or ".join(str(np.dtype(a)) for a in allowed)
            raise TypeError(
                f"{named.__name__}.{name}: got a {value.ndim}-D {value.dtype} array; "
                f"expected a {rank}-D {names} array"
            )
        if not value.flags.c_contiguous:
            raise TypeError(f"{named.__name__}.{name}: expected a C-contiguous array")
        out[name] = value
    return named(**out)


#: where each lane starts within a 4 KiB page (bytes; multiples of 64): any two are at least
#: 768 bytes apart, so a load never looks like (aliases) a recent store of another stream
LANE_OFFSETS = (0, 832, 1664, 2496, 3328)


def lanes(n_neurons) -> dict:
    """Five views of one buffer for the neuron update's streams (``lane_v``, ``lane_u``,
    ``lane_I``, ``lane_s0``, ``lane_s1``), each 64-byte aligned and starting at its
    :data:`LANE_OFFSETS` within a page. The network keeps its v, u and noise state in them and
    passes ``lane_I`` as ``IO.I``.

    Why: the neuron update streams through v, u, I and the two noise words, loading ahead of
    its stores. When one array starts a few hundred bytes after another modulo 4096, the CPU
    takes a load for a dependent of an earlier store to the other (4K aliasing) and waits:
    measured 2.4x slower on the delays preset, for about one build in three, depending only on
    where numpy happened to allocate the state.
    """
    size = 8 * (n_neurons + 1)
    raw = np.zeros(len(LANE_OFFSETS) * (size + 4096) + 4096, dtype=np.uint8)
    addr, pos = raw.ctypes.data, 0
    views = []
    for offset in LANE_OFFSETS:
        pos += (offset - addr - pos) % 4096  # the next position at that offset in a page
        views.append(raw[pos : pos + size])
        pos += size
    f64 = [x.view(np.float64) for x in views[:3]]
    return dict(
        lane_v=f64[0][:n_neurons],
        lane_u=f64[1][:n_neurons],
        lane_I=f64[2],
        lane_s0=views[3].view(np.uint64),
        lane_s1=views[4].view(np.uint64),
    )


def scratch(n_neurons, in_off, threads=1) -> dict:
    """The IO tuple's scratch arrays (all but ``I``) for a network of ``n_neurons`` whose
    plastic synapses onto neuron m are ``in_off[m]:in_off[m + 1]``, run on ``threads``
    threads."""
    deg = int(np.diff(in_off).max()) if n_neurons else 0
    return dict(
        hits=np.zeros(-(-n_neurons // BLOCK), dtype=np.int64),
        cand_s=np.zeros((threads, deg), dtype=np.uint32),
        cand_h=np.zeros((threads, deg), dtype=np.float64),
        counts=np.zeros(threads, dtype=np.int64),
    )


@njit(inline="always")
def _check_scratch(nn, in_off, io, nt):
    """Raise unless the scratch arrays are large enough (compiled code is not bounds-checked)."""
    if io.hits.size < (nn + BLOCK - 1) // BLOCK or io.counts.size < nt:
        raise ValueError("IO.hits or IO.counts is smaller than the network; see kernels.scratch")
    if io.cand_s.shape[0] < nt or io.cand_h.shape[0] < nt:
        raise ValueError("IO.cand_s / cand_h have fewer rows than threads; see kernels.scratch")
    if io.cand_s.shape[1] < _max_in_degree(in_off) or io.cand_h.shape[1] < io.cand_s.shape[1]:
        raise ValueError("IO.cand_s / cand_h are narrower than the in-degree; see kernels.scratch")


@njit(inline="always")
def _check_state_clear_input(nn, st, io):
    """Raise unless u, the noise words and I match v's N neurons; then clear I[:N + 1] (the
    network's I is already clear; a caller's may not be)."""
    if st.u.size != nn or st.noise0.size != nn + 1 or st.noise1.size != nn + 1:
        raise ValueError("state u / noise0 / noise1 do not match v: expected N and N + 1 values")
    if io.I.size < nn + 1:
        raise ValueError("IO.I is smaller than the network: expected N + 1 values")
    for i in range(nn + 1):
        io.I[i] = 0.0


@njit(inline="always")
def _xoro(s0, s1):
    """One step of a xoroshiro128+ generator in state (s0, s1): (output word, next s0, next
    s1)."""
    out = s0 + s1
    s1 ^= s0
    return (
        out,
        ((s0 << uint64(24)) | (s0 >> uint64(40))) ^ s1 ^ (s1 << uint64(16)),
        (s1 << uint64(37)) | (s1 >> uint64(27)),
    )


@njit(inline="always")
def _izh_unit(word):
    """A double in [0, 1) from the top 53 bits of ``word``. The 53-bit integer converts
    exactly as a signed one, one instruction on every x86-64."""
    return float64(int64(word >> uint64(11))) * _TWO53


@njit(cache=True)
def izh_noise_fill(state, n_ms, scale, out):
    """``out[k, i]``: neuron ``i``'s uniform noise in ms ``k`` (the kernels' draws, for tests
    against ``noise.py``); advances ``state`` (2, N + 1)."""
    s0a, s1a = state[0], state[1]
    for k in range(n_ms):
        for i in range(out.shape[1]):
            word, s0a[i], s1a[i] = _xoro(s0a[i], s1a[i])
            out[k, i] = scale * (_izh_unit(word) - 0.5)


# The helpers below take plain arrays and scalars, unpacked from the named tuples once per
# call; all are inlined into the kernels.


@njit(inline="always")
def _input(I, n, s0a, s1a, mode, thal_amp, st_t, st_n, st_a, k, si):
    """Step 1: thalamic input of one ms into ``I`` (cleared by the last update), then the
    stimuli at relative ms ``k``; returns the next stimulus index. (Uniform noise is drawn in
    the update.)"""
    if mode == 2:
        word, s0a[n], s1a[n] = _xoro(s0a[n], s1a[n])
        I[int(n * _izh_unit(word))] += thal_amp
    while si < st_t.size and st_t[si] == k:
        I[st_n[si]] += st_a[si]
        si += 1
    return si


@njit(inline="always")
def _detect(v, u, c_reset, d_reset, ring, cnt, hnow, sp_t, sp_i, t, slot, n_sp, count):
    """Step 2: the ``count`` neurons at threshold (counted by the last update) are reset, set
    their trace to 1 and go to the ring and the output. Blocks of ``BLOCK`` neurons are tested
    with a vectorised count first; the scan stops at the last spike. Returns
    (spikes this ms, spikes written)."""
    n = v.size
    nf = 0
    lo = 0
    while nf < count and lo < n:
        hi = min(n, lo + BLOCK)
        in_block = 0
        for i in range(uint64(lo), uint64(hi)):
            in_block += v[i] >= 30.0
        if in_block:
            for i in range(uint64(lo), uint64(hi)):
                if v[i] >= 30.0:
                    ring[slot, nf] = i
                    nf += 1
                    v[i] = c_reset[i]
                    u[i] += d_reset[i]
                    hnow[i] = 1.0
                    sp_t[n_sp] = t
                    sp_i[n_sp] = i
                    n_sp += 1
        lo = hi
    cnt[slot] = nf
    return nf, n_sp


@njit(inline="always")
def _izh_step(vn, un, i_n, a, b):
    """One ms of a neuron: two 0.5 ms Euler half-steps of v, then u with the new v."""
    vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - un + i_n)
    vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - un + i_n)
    return vn, un + a * (b * vn - un)


@njit(inline="always")
def _update(v, u, a, b, I, hnow, hnext, decay, floor, s0a, s1a, scale, uniform):
    """Step 5: every neuron's ms on its input plus its noise (drawn from generators ``s0a``,
    ``s1a``; none unless ``uniform``); clears I; decays the traces into the next slot. Returns how many neurons
    reached threshold. (One flat loop: LLVM vectorises it; splitting it into blocks made it
    several times slower.)"""
    count = 0
    for i in range(v.size):
        i_n = I[i]
        if uniform:
            word, s0a[i], s1a[i] = _xoro(s0a[i], s1a[i])
            i_n += scale * (_izh_unit(word) - 0.5)
        vn, un = _izh_step(v[i], u[i], i_n, a[i], b[i])
        v[i] = vn
        u[i] = un
        I[i] = 0.0
        h = hnow[i]
        hnext[i] = decay * h if h > floor else 0.0
        count += vn >= 30.0
    return count


@njit(inline="always")
def _older_spike(spk, spk_n, p, x):
    """Time of neuron ``p``'s last spike at or before ``x`` when its very last one is later
    (rare; NEVER if none is remembered: the ring ``spk`` holds D + 1 spikes, enough for any
    x >= t - D)."""
    depth = spk.shape[1]
    head = spk_n[p]
    for j in range(2, min(depth, head) + 1):
        ls = spk[p, (head - j) % depth]
        if ls <= x:
            return ls
    return NEVER


@njit(inline="always")
def _max_in_degree(in_off):
    """The most plastic synapses onto one neuron (the size of the LTP scratch)."""
    deg = 0
    for m in range(in_off.size - 1):
        deg = max(deg, in_off[m + 1] - in_off[m])
    return deg


@njit(inline="always")
def _ltp(n, t, in_off, in_pd, in_syn, last, spk, spk_n, trace, cand_s, cand_h, wc, ap, acc, lo, hi):
    """Step 3 of the lazy kernels for fired neuron ``n``: every plastic synapse onto it gets
    ``ap`` times its presynaptic trace ``delay`` ms back (``cand_*``: scratch of in-degree)."""
    kmax = trace.size - 1
    # pass 1: the trace of every incoming synapse's presynaptic neuron; those with a trace go
    # (branch-free) to the candidate list
    nc = 0
    for q in range(uint64(in_off[n]), uint64(in_off[n + 1])):
        pd = uint64(in_pd[q])  # presynaptic neuron * 128 + delay (delays <= 64)
        pre = pd >> uint64(7)
        tx = t - int64(pd & uint64(127))  # the presynaptic trace is read at t - delay
        ls = last[pre]
        if ls > tx:  # it fired again since: an older spike counts
            ls = _older_spike(spk, spk_n, pre, tx)
        h = trace[uint64(min(tx - ls, kmax))]
        cand_s[nc] = in_syn[q]
        cand_h[nc] = h
        nc += h != 0.0
    # pass 2: touch them; a lean loop, so many synapses' cache misses are in flight
    for j in range(uint64(nc)):
        s = cand_s[j]
        wk = wc[s, 0]
        c_old = wc[s, 1]
        c_new = c_old + ap * cand_h[j]
        wc[s, 0] = max(lo, min(hi, wk + c_old * acc)) - c_new * acc
        wc[s, 1] = c_new


def _each(x, j):
    """``x[j]`` for an array, ``x`` itself for a scalar (a neuron constant shared by all)."""
    return x[j] if isinstance(x, np.ndarray) else x


@overload(_each, inline="always")
def _each_compiled(x, j):
    if isinstance(x, types.Array):
        return lambda x, j: x[j]
    return lambda x, j: x


@njit(inline="always")
def _update_run(v, u, I, a, b, start, stop):
    """The neuron update of neurons ``start:stop`` on their input ``I`` (cleared here), with
    per-neuron (a, b) arrays or one shared (a, b) (two loads per neuron fewer); returns how
    many reached threshold."""
    h = 0
    for j in range(start, stop):
        vn, un = _izh_step(v[j], u[j], I[j], _each(a, j), _each(b, j))
        v[j] = vn
        u[j] = un
        I[j] = 0.0
        h += vn >= 30.0
    return h


@njit(inline="always")
def _add_noise(I, start, stop, s0a, s1a, scale):
    """Each neuron's uniform noise of this ms added to its input (``start:stop``)."""
    for j in range(start, stop):
        word, s0a[j], s1a[j] = _xoro(s0a[j], s1a[j])
        I[j] = I[j] + scale * (_izh_unit(word) - 0.5)


@njit(inline="always")
def _update_blocks(v, u, I, a, b, block_ab, lo, hi, hits, s0a, s1a, scale, uniform):
    """Step 5 of the lazy kernels for neurons ``lo:hi`` (``lo`` a multiple of ``BLOCK`` unless
    the range is empty): the neuron update on the input (plus each neuron's noise, added to
    it first, when ``uniform``), clearing I and setting each block's count of neurons at
    threshold (``hits``, so that detection scans only blocks that fired); returns the total.
    A full block's update loop has the constant length ``BLOCK`` (LLVM unrolls it: more
    independent lanes in flight; 5-12 % faster, measured) and, where its neurons share them
    (``block_ab``), scalar (a, b) (2-3 % faster), the noise has its own loop (inside the
    unrolled one it stopped vectorising: 2x slower), and bounds are unsigned (no
    negative-index fix-up)."""
    count = 0
    if hi <= lo:  # an empty thread range (lo = hi = N) must not update N's block again
        return count
    for blk in range(lo // BLOCK, (hi + BLOCK - 1) // BLOCK):
        start = uint64(blk * BLOCK)
        stop = uint64(min(hi, (blk + 1) * BLOCK))
        if uniform:
            _add_noise(I, start, stop, s0a, s1a, scale)
        ga = block_ab[blk, 0]
        if ga == ga:  # a full block sharing (a, b) (NaN otherwise)
            h = _update_run(v, u, I, ga, block_ab[blk, 1], start, start + uint64(BLOCK))
        elif stop - start == BLOCK:
            h = _update_run(v, u, I, a, b, start, start + uint64(BLOCK))
        else:
            h = _update_run(v, u, I, a, b, start, stop)
        hits[blk] = h
        count += h
    return count


@njit(inline="always")
def _detect_blocks(
    v, u, c_reset, d_reset, ring, cnt, last, spk, spk_n, sp_t, sp_i, t, slot, n_sp, count, hits
):
    """Step 2 of the lazy kernels: like ``_detect``, but a spike is recorded as a time (in
    ``last`` and the neuron's ring ``spk``) instead of a trace set to 1, and only the blocks
    whose ``hits`` (from the last update) are non-zero are scanned, in ascending order, each
    up to its last counted spike."""
    depth = spk.shape[1]
    n = v.size
    nf = 0
    for blk in range(hits.size):
        if nf >= count:
            break
        if hits[blk] == 0:
            continue
        left = hits[blk]
        for i in range(uint64(blk * BLOCK), uint64(min(n, (blk + 1) * BLOCK))):
            if left == 0:
                break
            if v[i] >= 30.0:
                left -= 1
                ring[slot, nf] = i
                nf += 1
                v[i] = c_reset[i]
                u[i] += d_reset[i]
                last[i] = t
                spk[i, spk_n[i] % depth] = t
                spk_n[i] += 1
                sp_t[n_sp] = t
                sp_i[n_sp] = i
                n_sp += 1
    cnt[slot] = nf
    return nf, n_sp


@njit(inline="always")
def _start_hits(v, hits):
    """Per-block threshold counts at the start of a call (the state may come from outside)."""
    count = 0
    for blk in range(hits.size):
        h = 0
        for i in range(blk * BLOCK, min(v.size, (blk + 1) * BLOCK)):
            h += v[i] >= 30.0
        hits[blk] = h
        count += h
    return count


@njit(inline="always")
def _dopamine_in(d, k, rw_t, rw_a, ri, da_release, ring, slot, nf):
    """End of step 6: this ms's reward pulses, then the release of its spikes, added to d."""
    while ri < rw_t.size and rw_t[ri] == k:
        d = d + rw_a[ri]
        ri += 1
    for f in range(nf):
        d = d + da_release[ring[slot, f]]
    return d, ri


@njit(inline="always")
def _start_count(v):
    """Neurons at threshold at the start of a call (the state may come from outside)."""
    count = 0
    for i in range(v.size):
        count += v[i] >= 30.0
    return count


@njit(inline="always")
def _rebase(wc, pruns, acc, shrink, w_min, w_max):
    """Fold the accumulator into every plastic synapse (exact: see the module doc); returns
    the re-based (acc, weight-step clock) = (0, 0)."""
    for r in range(pruns.shape[0]):
        for s in range(pruns[r, 0], pruns[r, 1]):
            wc[s, 0] = max(w_min, min(w_max, wc[s, 0] + wc[s, 1] * acc))
            wc[s, 1] = wc[s, 1] * shrink
    return 0.0, 0


@njit(inline="always")
def _weight_step(wc, pruns, acc, p, m, gain, shrink_t, w_min, w_max):
    """One weight step of the lazy kernels with modulator ``m = d + tonic``: adds
    ``m * gain * P(p)`` to the accumulator; returns (acc, p + 1). Re-bases every plastic
    synapse first when the clock has reached the table's end (``p`` = rebase, for precision)
    or when m has the opposite sign of ``acc`` (dopamine dipped below baseline, or came back
    above it), so that within an epoch all terms of acc share one sign (see the module doc:
    this keeps clipping at touches exact). One call site for both: a second inlined sweep
    in the kernels' loop made them 3-8 % slower (measured)."""
    if p >= shrink_t.size - 1 or (m < 0.0 and acc > 0.0) or (m > 0.0 and acc < 0.0):
        acc, p = _rebase(wc, pruns, acc, shrink_t[p], w_min, w_max)
    return acc + m * gain * shrink_t[p], p + 1


@njit(inline="always")
def _record_lazy(wc, plastic, rec_syn, rec_w, rec_c, rec_d, n_rec, acc, d, shrink, w_min, w_max):
    """One recording sample of the lazy state: the recorded synapses' w and c, and d."""
    for j in range(rec_syn.size):
        s = rec_syn[j]
        if plastic[s]:
            rec_w[n_rec, j] = max(w_min, min(w_max, wc[s, 0] + wc[s, 1] * acc))
        else:
            rec_w[n_rec, j] = wc[s, 0]
        rec_c[n_rec, j] = wc[s, 1] * shrink
    rec_d[n_rec] = d
    return n_rec + 1


# The lazy kernels' per-ms body, written once: izh_run_lazy and izh_run_lazy_threads differ
# only in how they call _lazy_part (once over all neurons, or once per thread's range).


@njit(inline="always")
def _lazy_open(t0, nt, net, par, st, io):
    """Checks and starting values of a lazy kernel's call on ``nt`` threads: (neurons at
    threshold, d, acc, weight-step clock, ring slot of ``t0``, phase of ``t0 + 1`` in the
    weight period)."""
    _check_state_clear_input(st.v.size, st, io)
    _check_scratch(st.v.size, net.in_off, io, nt)
    count = _start_hits(st.v, io.hits)
    slot = t0 % st.fired_cnt.size  # then kept as counters (no division per ms)
    return count, st.scal[0], st.scal[1], st.pclock[0], slot, (t0 + 1) % par.period


@njit(inline="always")
def _next_ms(slot, phase, dmax, period):
    """The ring slot and weight phase of the next ms."""
    slot += 1
    if slot == dmax:
        slot = 0
    phase += 1
    if phase == period:
        phase = 0
    return slot, phase


@njit(inline="always")
def _ms_start(k, t, slot, count, si, n_sp, net, par, st, io):
    """Steps 1-2 of ms ``t`` (relative ms ``k``): input, then detection; returns (next
    stimulus index, spikes this ms, spikes written)."""
    si = _input(
        io.I, st.v.size, st.noise0, st.noise1, par.noise_mode, par.thal_amp,
        io.st_t, io.st_n, io.st_a, k, si,
    )  # fmt: skip
    nf, n_sp = _detect_blocks(
        st.v, st.u, net.c_reset, net.d_reset, st.fired_ring, st.fired_cnt, st.last, st.spk,
        st.spk_n, io.sp_t, io.sp_i, t, slot, n_sp, count, io.hits,
    )  # fmt: skip
    return si, nf, n_sp


@njit(inline="always")
def _touch(syn, to, now, ltd, acc_now, I, net, par, st, kmax):
    """Delivery over plastic synapse ``syn`` at ms ``now`` with its LTD (the plastic update
    of a touch): its weight (clipped) goes to input ``I[to]``, c drops by ``ltd`` times the
    target's trace, and the weight is re-anchored to the new c (see the module doc)."""
    wc = st.wc
    c_old = wc[syn, 1]
    x = max(par.w_min, min(par.w_max, wc[syn, 0] + c_old * acc_now))
    I[to] += x
    c_new = c_old - ltd * par.trace[uint64(min(now - st.last[net.post[syn]], kmax))]
    wc[syn, 0] = x - c_new * acc_now
    wc[syn, 1] = c_new


@njit(inline="always")
def _twin_target(post, s, s1, sink):
    """Where synapse ``s`` of a group ending at ``s1`` delivers under ``duplicates="last"``:
    targets ascend within a group, so a synapse whose next one has its target is a shadowed
    twin and delivers to the ``sink``; any other to its target."""
    to = int64(post[s])
    if s + 1 < s1 and int64(post[s + 1]) == to:
        return sink
    return to


@njit(inline="always")
def _deliver_group(s0, s1, kd, plastic_on, t, am, acc, I, net, par, st):
    """Step 4 over synapses ``s0:s1`` of one (presynaptic neuron, delay) group whose neuron's
    outgoing ``kind`` is ``kd``: one loop per kind, so the common cases test nothing per
    synapse. Kind 3 (a neuron with a shadowed twin, rare) tests each synapse
    (:func:`_twin_target`; a thread's sub-range keeps twins together: it is cut by target)."""
    wc, post = st.wc, net.post
    kmax = par.trace.size - 1
    if kd == 0:
        for s in range(s0, s1):
            I[post[s]] += wc[s, 0]
    elif kd == 3:
        sink = st.v.size  # I[N]: cleared each ms, read by no neuron
        for s in range(s0, s1):
            to = _twin_target(post, s, s1, sink)
            if not net.plastic[s]:
                I[to] += wc[s, 0]
            elif plastic_on:
                _touch(s, to, t, am, acc, I, net, par, st, kmax)
            else:
                I[to] += max(par.w_min, min(par.w_max, wc[s, 0] + wc[s, 1] * acc))
    elif not plastic_on:  # frozen: read the weights only
        for s in range(s0, s1):
            if kd == 1 or net.plastic[s]:
                I[post[s]] += max(par.w_min, min(par.w_max, wc[s, 0] + wc[s, 1] * acc))
            else:
                I[post[s]] += wc[s, 0]
    elif kd == 1:  # all plastic: no test per synapse
        for s in range(s0, s1):
            _touch(s, post[s], t, am, acc, I, net, par, st, kmax)
    else:
        for s in range(s0, s1):
            if net.plastic[s]:
                _touch(s, post[s], t, am, acc, I, net, par, st, kmax)
            else:
                I[post[s]] += wc[s, 0]


@njit(inline="always")
def _first_target(post, lo, hi, target):
    """The first synapse in ``lo:hi`` (targets ascending) whose target is at least ``target``."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if int64(post[mid]) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(inline="always")
def _deliver(j, nt, lo, hi, t, slot, plastic_on, am, acc, net, par, st, io):
    """Step 4 onto neurons ``lo:hi`` (thread ``j`` of ``nt``): the spikes fired ``lag`` ms
    ago over their synapses of delay ``lag + 1``. Targets ascend within a group, so a
    thread's part of it is one sub-range (found by bisection; the first and last thread
    need one bound only, one thread none)."""
    dmax = st.fired_cnt.size
    for lag in range(dmax):
        sl = slot - lag
        if sl < 0:
            sl += dmax
        for f in range(st.fired_cnt[sl]):
            n = st.fired_ring[sl, f]
            base = uint64(n * dmax + lag)
            s0 = int64(net.syn_off[base])
            s1 = int64(net.syn_off[base + uint64(1)])
            if j > 0:
                s0 = _first_target(net.post, s0, s1, lo)
            if j < nt - 1:
                s1 = _first_target(net.post, s0, s1, hi)
            _deliver_group(
                uint64(s0), uint64(s1), net.kind[n], plastic_on, t, am, acc, io.I, net, par, st
            )


@njit(inline="always")
def _lazy_part(j, nt, lo, hi, t, slot, nf, plastic_on, grow, acc, net, par, st, io):
    """Steps 3-5 of ms ``t`` for neurons ``lo:hi`` (thread ``j`` of ``nt``; the serial kernel
    is thread 0 of 1): LTP onto those that fired, delivery with LTD onto them, their update.
    Only this part writes these neurons' input and the state of the synapses onto them, in
    the serial order; returns how many of them reached threshold."""
    if plastic_on:
        ap = par.a_plus * grow
        for f in range(nf):
            n = st.fired_ring[slot, f]
            if lo <= n < hi:
                _ltp(
                    n, t, net.in_off, net.in_pd, net.in_syn, st.last, st.spk, st.spk_n,
                    par.trace, io.cand_s[j], io.cand_h[j], st.wc, ap, acc, par.w_min, par.w_max,
                )  # fmt: skip
    _deliver(j, nt, lo, hi, t, slot, plastic_on, par.a_minus * grow, acc, net, par, st, io)
    return _update_blocks(  # ranges are block-aligned: no block is shared
        st.v, st.u, io.I, net.a, net.b, net.block_ab, lo, hi, io.hits, st.noise0, st.noise1,
        par.noise_scale, par.noise_mode == 1,
    )  # fmt: skip


#: the same part as a called function, for the threaded kernel's parallel loop: inlined there,
#: the parfor passed the tuples' arrays to its threads twice (as the tuple and as a hoisted
#: field), as arguments numba marks non-aliasing, and LLVM dropped LTD's writes (measured: a
#: test of 2 threads against 1 failed); one call per thread per ms costs nothing measurable
_lazy_part_called = njit(_nrt=False)(_lazy_part.py_func)


@njit(inline="always")
def _ms_end(k, t, slot, nf, step, d, acc, p, ri, n_rec, net, par, st, io):
    """Step 6 of ms ``t`` and its recording: dopamine decay, the weight step when ``step``,
    rewards and releases; returns (d, acc, clock, next reward index, samples written)."""
    d = d * par.d_decay
    if step:
        acc, p = _weight_step(
            st.wc, net.pruns, acc, p, d + par.tonic, par.gain, par.shrink, par.w_min, par.w_max
        )
    d, ri = _dopamine_in(d, k, io.rw_t, io.rw_a, ri, net.da_release, st.fired_ring, slot, nf)
    if io.rec_every > 0 and (t + 1) % io.rec_every == 0:
        n_rec = _record_lazy(
            st.wc, net.plastic, io.rec_syn, io.rec_w, io.rec_c, io.rec_d, n_rec, acc, d,
            par.shrink[p], par.w_min, par.w_max,
        )  # fmt: skip
    return d, acc, p, ri, n_rec


@njit(inline="always")
def _lazy_close(st, d, acc, p):
    """Store the call's scalars back into the state."""
    st.scal[0] = d
    st.scal[1] = acc
    st.pclock[0] = p


@njit_wide(cache=True, _nrt=False)
def izh_run_lazy(t0, n_ms, plastic_on, net, par, st, io):
    """Advance ``n_ms`` ms, plasticity event-driven (see the module doc); returns
    (ms done, spikes written, samples written). Stops early (ms done < n_ms) when the spike
    buffer could overflow in the next ms."""
    nn = st.v.size
    count, d, acc, p, slot, phase = _lazy_open(t0, 1, net, par, st, io)
    n_sp, n_rec, si, ri, k = 0, 0, 0, 0, 0
    while k < n_ms and n_sp + nn <= io.sp_t.size:
        t = t0 + k
        si, nf, n_sp = _ms_start(k, t, slot, count, si, n_sp, net, par, st, io)
        count = _lazy_part(0, 1, 0, nn, t, slot, nf, plastic_on, par.grow[p], acc, net, par, st, io)
        step = plastic_on and phase == 0
        d, acc, p, ri, n_rec = _ms_end(k, t, slot, nf, step, d, acc, p, ri, n_rec, net, par, st, io)
        slot, phase = _next_ms(slot, phase, st.fired_cnt.size, par.period)
        k += 1
    _lazy_close(st, d, acc, p)
    return k, n_sp, n_rec


@njit(cache=True, parallel=True, _nrt=False)
def izh_run_lazy_threads(t0, n_ms, plastic_on, net, par, st, io, bounds):
    """:func:`izh_run_lazy` on ``bounds.size - 1`` threads; spikes and state bit-identical.

    Neurons are split into ranges ``bounds[j]:bounds[j + 1]`` (multiples of ``BLOCK``, but
    the last); thread j owns the synapses onto its neurons (a contiguous part of each
    (pre, delay) group, stored by target): it alone writes their state and their targets'
    input, and it visits them in the single-threaded order, so every sum is formed in the
    same order (:func:`_lazy_part`). Thalamic input, stimuli, detection (ascending, as
    before) and dopamine stay serial; one parallel region per ms. Pays off on large networks
    only."""
    nn = st.v.size
    nt = bounds.size - 1
    at_thr, d, acc, p, slot, phase = _lazy_open(t0, nt, net, par, st, io)
    counts = io.counts
    n_sp, n_rec, si, ri, k = 0, 0, 0, 0, 0
    while k < n_ms and n_sp + nn <= io.sp_t.size:
        t = t0 + k
        si, nf, n_sp = _ms_start(k, t, slot, at_thr, si, n_sp, net, par, st, io)
        grow = par.grow[p]
        for j in prange(nt):
            counts[j] = _lazy_part_called(
                j, nt, bounds[j], bounds[j + 1], t, slot, nf, plastic_on, grow, acc,
                net, par, st, io,
            )  # fmt: skip
        at_thr = 0
        for j in range(nt):
            at_thr += counts[j]
        step = plastic_on and phase == 0
        d, acc, p, ri, n_rec = _ms_end(k, t, slot, nf, step, d, acc, p, ri, n_rec, net, par, st, io)
        slot, phase = _next_ms(slot, phase, st.fired_cnt.size, par.period)
        k += 1
    _lazy_close(st, d, acc, p)
    return k, n_sp, n_rec


@njit(inline="always")
def _dense_group(s0, s1, kd, plastic_on, I, w, c, hnow, a_minus, net, sink):
    """The dense kernel's step 4 over one (presynaptic neuron, delay) group ``s0:s1``:
    delivery, then LTD of its plastic synapses by the targets' traces ``hnow``; kinds as in
    :func:`_deliver_group`."""
    post, plastic = net.post, net.plastic
    if kd == 3:  # a shadowed twin among them
        for s in range(s0, s1):
            I[_twin_target(post, s, s1, sink)] += w[s]
            if plastic_on and plastic[s]:
                h = hnow[post[s]]
                if h != 0.0:
                    c[s] = c[s] - a_minus * h
    elif kd == 0 or not plastic_on:
        for s in range(s0, s1):
            I[post[s]] += w[s]
    else:
        for s in range(s0, s1):
            I[post[s]] += w[s]
            if kd == 1 or plastic[s]:
                h = hnow[post[s]]
                if h != 0.0:
                    c[s] = c[s] - a_minus * h


@njit(cache=True, _nrt=False)  # not njit_wide: 512-bit vectors made it 5 % slower (measured)
def izh_run_dense(t0, n_ms, plastic_on, net, par, st, io):
    """Advance ``n_ms`` ms with a dense sweep over every plastic synapse at each weight step
    (``w = clip(w + (d + tonic) * gain * c)``, ``c *= c_decay``): the oracle, the reference's
    arithmetic exactly. Returns (ms done, spikes written, samples written)."""
    v, u, scal = st.v, st.u, st.scal
    nn = v.size
    _check_state_clear_input(nn, st, io)
    I, s0a, s1a = io.I, st.noise0, st.noise1
    dmax = st.fired_cnt.size
    a_arr, b_arr, c_reset, d_reset = net.a, net.b, net.c_reset, net.d_reset
    da_release, pruns = net.da_release, net.pruns
    st_t, st_n, st_a, rw_t, rw_a = io.st_t, io.st_n, io.st_a, io.rw_t, io.rw_a
    sp_t, sp_i, rec_syn, rec_w, rec_c, rec_d = (
        io.sp_t,
        io.sp_i,
        io.rec_syn,
        io.rec_w,
        io.rec_c,
        io.rec_d,
    )
    noise_mode, noise_scale, thal_amp, d_decay = (
        par.noise_mode,
        par.noise_scale,
        par.thal_amp,
        par.d_decay,
    )
    uniform = noise_mode == 1
    tr_decay, tr_floor = par.trace_decay, par.trace_floor
    hist = st.hist
    nh = hist.shape[0]
    ring, cnt = st.fired_ring, st.fired_cnt
    syn_off, kind = net.syn_off, net.kind
    sink = st.v.size  # I[N] (see _twin_target)
    in_off, in_syn, in_pre, in_delay = net.in_off, net.in_syn, net.in_pre, net.in_delay
    w, c = st.w, st.c
    a_plus, a_minus, tonic = par.a_plus, par.a_minus, par.tonic
    w_min, w_max, gain, period, c_decay = par.w_min, par.w_max, par.gain, par.period, par.c_decay
    d = scal[0]
    n_sp = 0
    n_rec = 0
    si = 0
    ri = 0
    cap = sp_t.size
    rec_every = io.rec_every
    count = _start_count(v)
    k = 0
    while k < n_ms:
        if n_sp + nn > cap:
            break
        t = t0 + k
        si = _input(I, nn, s0a, s1a, noise_mode, thal_amp, st_t, st_n, st_a, k, si)
        slot = t % dmax
        hs = t % nh
        hnow = hist[hs]
        nf, n_sp = _detect(
            v, u, c_reset, d_reset, ring, cnt, hnow, sp_t, sp_i, t, slot, n_sp, count
        )
        if plastic_on:
            for f in range(nf):
                n = ring[slot, f]
                for q in range(in_off[n], in_off[n + 1]):
                    r = hs - in_delay[q]
                    if r < 0:
                        r += nh
                    h = hist[r, in_pre[q]]
                    if h != 0.0:
                        s = in_syn[q]
                        c[s] = c[s] + a_plus * h
        for lag in range(dmax):
            sl = slot - lag
            if sl < 0:
                sl += dmax
            for f in range(cnt[sl]):
                n = ring[sl, f]
                base = n * dmax + lag
                s0 = np.uint64(syn_off[base])
                s1 = np.uint64(syn_off[base + 1])
                _dense_group(s0, s1, kind[n], plastic_on, I, w, c, hnow, a_minus, net, sink)
        count = _update(
            v,
            u,
            a_arr,
            b_arr,
            I,
            hnow,
            hist[(t + 1) % nh],
            tr_decay,
            tr_floor,
            s0a,
            s1a,
            noise_scale,
            uniform,
        )
        d = d * d_decay
        if plastic_on and (t + 1) % period == 0:
            g = (d + tonic) * gain
            for r in range(pruns.shape[0]):
                for s in range(pruns[r, 0], pruns[r, 1]):
                    w[s] = max(w_min, min(w_max, w[s] + g * c[s]))
                    c[s] = c[s] * c_decay
        d, ri = _dopamine_in(d, k, rw_t, rw_a, ri, da_release, ring, slot, nf)
        if rec_every > 0 and (t + 1) % rec_every == 0:
            for j in range(rec_syn.size):
                rec_w[n_rec, j] = w[rec_syn[j]]
                rec_c[n_rec, j] = c[rec_syn[j]]
            rec_d[n_rec] = d
            n_rec += 1
        k += 1
    scal[0] = d
    return k, n_sp, n_rec
