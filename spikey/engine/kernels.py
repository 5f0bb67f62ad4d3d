"""Compiled per-chunk kernels of the Izhikevich engine (numba).

Each kernel advances the network ``n_ms`` milliseconds in one call, in the author's order of
operations (see ``reference.py``, the NumPy oracle they are tested against spike for spike):

1. input: background noise (drawn here with the SFC64 generator, bit-identical to
   ``numpy.random.SFC64``), then stimuli;
2. spike detection (``v >= 30``) and reset;
3. LTP: every plastic synapse onto a neuron that fired gets ``a_plus`` times its presynaptic
   neuron's trace ``delay`` ms ago (the author's STDP array: ``hist[t % (D + 1), n]`` is 1 at
   a spike and decays by ``1 - 1/tau_stdp`` per ms; a trace at or below ``trace_floor``
   (default 1e-300) drops to 0 and is skipped);
4. delivery of the spikes fired ``lag`` ms ago over synapses of delay ``lag + 1`` (weights read
   now) and LTD ``-a_minus * trace(post)``;
5. neuron update: two 0.5 ms half-steps of v, then u; the traces decay into the next slot;
6. dopamine decay, weight change, then this ms's reward pulses and dopamine releases.

Arrays are mutated in place; no argument is bounds-checked here (``network.py`` validates).
fastmath is off on purpose: the neuron update must round exactly like the reference.
"""

from __future__ import annotations

import numpy as np
from numba import float64, njit, uint64

_TWO53 = 1.0 / 9007199254740992.0


@njit(inline="always")
def _izh_sfc64_step(a, b, c, w):
    """One SFC64 step: (output word, next a, b, c, w)."""
    tmp = a + b + w
    return (
        tmp,
        b ^ (b >> uint64(11)),
        c + (c << uint64(3)),
        ((c << uint64(24)) | (c >> uint64(40))) + tmp,
        w + uint64(1),
    )


@njit(inline="always")
def _izh_unit(word):
    """A double in [0, 1) from the top 53 bits of ``word`` (numpy's ``random``)."""
    return float64(word >> uint64(11)) * _TWO53


@njit(cache=True)
def izh_sfc64_fill(state, out):
    """Fill ``out`` with doubles in [0, 1) exactly as ``Generator(SFC64).random`` does."""
    a, b, c, w = state[0], state[1], state[2], state[3]
    for i in range(out.size):
        tmp, a, b, c, w = _izh_sfc64_step(a, b, c, w)
        out[i] = _izh_unit(tmp)
    state[0], state[1], state[2], state[3] = a, b, c, w


@njit(cache=True)
def _izh_input(I, noise_mode, noise_scale, thal_amp, rng_state, k, st_t, st_n, st_a, si):
    """Background input for one ms into ``I``, then the stimuli at relative ms ``k``.

    ``I`` has N + 1 entries; the last is the sink of shadowed twins and gets no input."""
    n = I.size - 1
    if noise_mode != 0:
        a, b, c, w = rng_state[0], rng_state[1], rng_state[2], rng_state[3]
        if noise_mode == 1:
            for i in range(n):
                tmp, a, b, c, w = _izh_sfc64_step(a, b, c, w)
                I[i] = noise_scale * (_izh_unit(tmp) - 0.5)
        else:  # thalamic; I arrives cleared by the previous ms's update
            tmp, a, b, c, w = _izh_sfc64_step(a, b, c, w)
            I[int(n * _izh_unit(tmp))] += thal_amp
        rng_state[0], rng_state[1], rng_state[2], rng_state[3] = a, b, c, w
    while si < st_t.size and st_t[si] == k:
        I[st_n[si]] += st_a[si]
        si += 1
    return si


@njit(cache=True)
def _izh_count(v):
    """How many neurons are at or above threshold (a vectorisable reduction)."""
    count = 0
    for n in range(v.size):
        count += v[n] >= 30.0
    return count


@njit(cache=True)
def _izh_detect(count, v, u, cr, dr, hnow, fired_ring, slot, t, sp_t, sp_i, n_sp):
    """Spike test and reset of the ``count`` neurons at threshold (counted by the last update);
    they go to ``fired_ring[slot]``, the output, and ``hnow`` = 1. The scan stops at the last."""
    nf = 0
    if count == 0:
        return nf, n_sp
    for n in range(v.size):
        if nf == count:
            break
        if v[n] >= 30.0:
            fired_ring[slot, nf] = n
            nf += 1
            v[n] = cr[n]
            u[n] += dr[n]
            hnow[n] = 1.0
            sp_t[n_sp] = t
            sp_i[n_sp] = n
            n_sp += 1
    return nf, n_sp


@njit(cache=True)
def _izh_update(v, u, a, b, I, hnow, hnext, decay, floor):
    """Two 0.5 ms Euler half-steps of v, then one 1 ms step of u with the new v; clears I;
    decays the STDP traces into the next ms's slot. Returns how many reached threshold."""
    count = 0
    for n in range(v.size):
        vn = v[n]
        un = u[n]
        i_n = I[n]
        vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - un + i_n)
        vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - un + i_n)
        v[n] = vn
        u[n] = un + a[n] * (b[n] * vn - un)
        I[n] = 0.0
        h = hnow[n]
        hnext[n] = decay * h if h > floor else 0.0
        count += vn >= 30.0
    return count


@njit(inline="always")
def _izh_fpar(fpar):
    """The constants both kernels share, ``fpar[:8]`` = (a_plus, a_minus, tonic, w_min, w_max,
    d_decay, trace_decay, trace_floor); ``fpar[8]`` is the mode's own."""
    return fpar[0], fpar[1], fpar[2], fpar[3], fpar[4], fpar[5], fpar[6], fpar[7]


@njit(inline="always")
def _izh_ms_start(
    t,
    k,
    count,
    v,
    u,
    cr,
    dr,
    hist,
    fired_ring,
    fired_cnt,
    sp_t,
    sp_i,
    n_sp,
    I,
    noise_mode,
    noise_scale,
    thal_amp,
    rng_state,
    st_t,
    st_n,
    st_a,
    si,
):
    """Steps 1-2 of ms ``t`` (``k`` into the call): input, then spikes into the ring and output.
    Returns (stimuli consumed, ring slot, trace slot, spikes this ms, spikes written)."""
    si = _izh_input(I, noise_mode, noise_scale, thal_amp, rng_state, k, st_t, st_n, st_a, si)
    slot = t % fired_cnt.size
    hs = t % hist.shape[0]
    nf, n_sp = _izh_detect(count, v, u, cr, dr, hist[hs], fired_ring, slot, t, sp_t, sp_i, n_sp)
    fired_cnt[slot] = nf
    return si, slot, hs, nf, n_sp


@njit(inline="always")
def _izh_dopamine_in(d, k, rw_t, rw_a, ri, fired_ring, slot, nf, da_release):
    """End of step 6: add this ms's reward pulses, then the release of its spikes, to ``d``."""
    while ri < rw_t.size and rw_t[ri] == k:
        d = d + rw_a[ri]
        ri += 1
    for f in range(nf):
        d = d + da_release[fired_ring[slot, f]]
    return d, ri


@njit(cache=True)
def izh_run_stepped(
    t0,
    n_ms,
    v,
    u,
    a,
    b,
    cr,
    dr,
    hist,
    noise_mode,
    noise_scale,
    thal_amp,
    rng_state,
    syn_off,
    post,
    dpost,
    w,
    c,
    kind,
    plastic,
    in_off,
    in_syn,
    in_pre,
    in_delay,
    pruns,
    fired_ring,
    fired_cnt,
    fpar,
    w_every,
    dst,
    plastic_on,
    st_t,
    st_n,
    st_a,
    rw_t,
    rw_a,
    da_release,
    rec_syn,
    rec_every,
    rec_w,
    rec_c,
    rec_d,
    sp_t,
    sp_i,
    I,
):
    """Advance ``n_ms`` ms in stepped mode; returns (ms done, spikes written, samples written).

    Stops early (ms done < n_ms) when the spike buffer could overflow in the next ms.
    ``fpar`` = (a_plus, a_minus, tonic, w_min, w_max, d_decay, trace_decay, trace_floor, c_decay);
    ``dst[0]`` is d. ``dpost[s]`` is where synapse s delivers: ``post[s]``, or the sink
    ``I[N]`` for a twin shadowed under ``duplicates="last"``. ``kind[n]``: 0 no plastic outgoing synapse, 1 all plastic, 2 mixed (then
    ``plastic[s]`` decides). ``pruns`` are the (start, stop) ranges of plastic synapses.
    ``in_syn/in_pre/in_delay[in_off[m]:in_off[m+1]]``: plastic synapses onto m, their source
    and delay. Index arrays are unsigned so numba skips negative-index fixes.
    """
    nn = v.size
    dmax = fired_cnt.size
    nh = hist.shape[0]
    a_plus, a_minus, tonic, w_min, w_max, d_decay, tr_decay, tr_floor = _izh_fpar(fpar)
    c_decay = fpar[8]
    d = dst[0]
    n_sp = 0
    n_rec = 0
    si = 0
    ri = 0
    cap = sp_t.size
    count = _izh_count(v)
    k = 0
    while k < n_ms:
        if n_sp + nn > cap:
            break
        t = t0 + k
        si, slot, hs, nf, n_sp = _izh_ms_start(
            t,
            k,
            count,
            v,
            u,
            cr,
            dr,
            hist,
            fired_ring,
            fired_cnt,
            sp_t,
            sp_i,
            n_sp,
            I,
            noise_mode,
            noise_scale,
            thal_amp,
            rng_state,
            st_t,
            st_n,
            st_a,
            si,
        )
        hnow = hist[hs]
        if plastic_on:
            for f in range(nf):
                n = fired_ring[slot, f]
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
            for f in range(fired_cnt[sl]):
                n = fired_ring[sl, f]
                base = n * dmax + lag
                s0 = np.uint64(syn_off[base])
                s1 = np.uint64(syn_off[base + 1])
                kd = kind[n]
                if kd == 0 or not plastic_on:
                    for s in range(s0, s1):
                        I[dpost[s]] += w[s]
                else:
                    for s in range(s0, s1):
                        p = post[s]
                        I[dpost[s]] += w[s]
                        if kd == 1 or plastic[s]:
                            h = hnow[p]
                            if h != 0.0:
                                c[s] = c[s] - a_minus * h
        count = _izh_update(v, u, a, b, I, hnow, hist[(t + 1) % nh], tr_decay, tr_floor)
        d = d * d_decay
        if plastic_on and (t + 1) % w_every == 0:
            g = tonic + d
            for r in range(pruns.shape[0]):
                for s in range(pruns[r, 0], pruns[r, 1]):
                    w[s] = max(w_min, min(w_max, w[s] + g * c[s]))
                    c[s] = c[s] * c_decay
        d, ri = _izh_dopamine_in(d, k, rw_t, rw_a, ri, fired_ring, slot, nf, da_release)
        if rec_every > 0 and (t + 1) % rec_every == 0:
            for j in range(rec_syn.size):
                rec_w[n_rec, j] = w[rec_syn[j]]
                rec_c[n_rec, j] = c[rec_syn[j]]
            rec_d[n_rec] = d
            n_rec += 1
        k += 1
    dst[0] = d
    return k, n_sp, n_rec


@njit(cache=True)
def izh_run_exact(
    t0,
    n_ms,
    v,
    u,
    a,
    b,
    cr,
    dr,
    hist,
    noise_mode,
    noise_scale,
    thal_amp,
    rng_state,
    syn_off,
    post,
    dpost,
    wc,
    kind,
    plastic,
    in_off,
    in_syn,
    in_pre,
    in_delay,
    pruns,
    fired_ring,
    fired_cnt,
    fpar,
    egrow,
    eshrink,
    dst,
    pclock,
    plastic_on,
    st_t,
    st_n,
    st_a,
    rw_t,
    rw_a,
    da_release,
    rec_syn,
    rec_every,
    rec_w,
    rec_c,
    rec_d,
    sp_t,
    sp_i,
    I,
):
    """Advance ``n_ms`` ms in exact mode; returns (ms done, spikes written, samples written).

    A plastic synapse's state ``wc[s] = (wk, ch)`` is affine in the global accumulator
    ``acc = sum over plastic ms of (d + tonic) * g * exp(-p / tau_c)`` (p = plastic ms since
    the last re-base, ``pclock[0]``): weight ``w = clip(wk + ch * acc)``, eligibility
    ``c = ch * exp(-p / tau_c)``. Changing ``ch`` by ``delta`` keeps w continuous with
    ``wk -= delta * acc``; only when ``ch`` changes sign is w clipped and re-anchored, which is
    exact because between sign changes w moves one way (tonic + d >= 0). Fixed synapses keep
    their weight in ``wk``. ``fpar`` = (a_plus, a_minus, tonic, w_min, w_max, d_decay,
    trace_decay, trace_floor, g); ``dst`` = (d, acc); ``dpost`` as in ``izh_run_stepped``.
    ``egrow[p]`` = exp(p / tau_c) and
    ``eshrink[p]`` = exp(-p / tau_c) for p = 0..rebase_ms (the re-base happens at rebase_ms).
    """
    nn = v.size
    dmax = fired_cnt.size
    nh = hist.shape[0]
    a_plus, a_minus, tonic, w_min, w_max, d_decay, tr_decay, tr_floor = _izh_fpar(fpar)
    gfac = fpar[8]
    d = dst[0]
    acc = dst[1]
    p = pclock[0]
    rebase_ms = egrow.size - 1
    n_sp = 0
    n_rec = 0
    si = 0
    ri = 0
    cap = sp_t.size
    count = _izh_count(v)
    k = 0
    while k < n_ms:
        if n_sp + nn > cap:
            break
        t = t0 + k
        if plastic_on and p >= rebase_ms:
            shrink = eshrink[p]
            for r in range(pruns.shape[0]):
                for s in range(pruns[r, 0], pruns[r, 1]):
                    wc[s, 0] = max(w_min, min(w_max, wc[s, 0] + wc[s, 1] * acc))
                    wc[s, 1] = wc[s, 1] * shrink
            acc = 0.0
            p = 0
        grow = egrow[p]
        si, slot, hs, nf, n_sp = _izh_ms_start(
            t,
            k,
            count,
            v,
            u,
            cr,
            dr,
            hist,
            fired_ring,
            fired_cnt,
            sp_t,
            sp_i,
            n_sp,
            I,
            noise_mode,
            noise_scale,
            thal_amp,
            rng_state,
            st_t,
            st_n,
            st_a,
            si,
        )
        hnow = hist[hs]
        if plastic_on:
            ap = a_plus * grow
            for f in range(nf):
                n = fired_ring[slot, f]
                for q in range(in_off[n], in_off[n + 1]):
                    r = hs - in_delay[q]
                    if r < 0:
                        r += nh
                    h = hist[r, in_pre[q]]
                    if h == 0.0:
                        continue
                    s = in_syn[q]
                    # branch-free on the loaded values, so many cache misses can be in flight
                    delta = ap * h
                    wk = wc[s, 0]
                    c_old = wc[s, 1]
                    c_new = c_old + delta
                    keep = wk - delta * acc
                    fold = max(w_min, min(w_max, wk + c_old * acc)) - c_new * acc
                    wc[s, 0] = keep if c_old * c_new > 0.0 else fold
                    wc[s, 1] = c_new
        am = a_minus * grow
        for lag in range(dmax):
            sl = slot - lag
            if sl < 0:
                sl += dmax
            for f in range(fired_cnt[sl]):
                n = fired_ring[sl, f]
                base = n * dmax + lag
                s0 = np.uint64(syn_off[base])
                s1 = np.uint64(syn_off[base + 1])
                kd = kind[n]
                if kd == 0:
                    for s in range(s0, s1):
                        I[dpost[s]] += wc[s, 0]
                else:
                    for s in range(s0, s1):
                        pt = post[s]
                        if kd == 1 or plastic[s]:
                            wk = wc[s, 0]
                            c_old = wc[s, 1]
                            x = max(w_min, min(w_max, wk + c_old * acc))
                            I[dpost[s]] += x
                            h = hnow[pt]
                            if plastic_on and h != 0.0:
                                delta = am * h
                                c_new = c_old - delta
                                if c_old * c_new > 0.0:
                                    wc[s, 0] = wk + delta * acc
                                else:
                                    wc[s, 0] = x - c_new * acc
                                wc[s, 1] = c_new
                        else:
                            I[dpost[s]] += wc[s, 0]
        count = _izh_update(v, u, a, b, I, hnow, hist[(t + 1) % nh], tr_decay, tr_floor)
        d = d * d_decay
        if plastic_on:
            acc = acc + (d + tonic) * gfac * eshrink[p]
            p += 1
        d, ri = _izh_dopamine_in(d, k, rw_t, rw_a, ri, fired_ring, slot, nf, da_release)
        if rec_every > 0 and (t + 1) % rec_every == 0:
            shrink = eshrink[p]
            for j in range(rec_syn.size):
                s = rec_syn[j]
                if plastic[s]:
                    rec_w[n_rec, j] = max(w_min, min(w_max, wc[s, 0] + wc[s, 1] * acc))
                else:
                    rec_w[n_rec, j] = wc[s, 0]
                rec_c[n_rec, j] = wc[s, 1] * shrink
            rec_d[n_rec] = d
            n_rec += 1
        k += 1
    dst[0] = d
    dst[1] = acc
    pclock[0] = p
    return k, n_sp, n_rec
