"""Compiled per-chunk kernels of the Izhikevich engine (numba).

Each kernel advances the network ``n_ms`` milliseconds in one call, in the author's order of
operations (see ``reference.py``, the NumPy oracle they are tested against spike for spike):

1. input: background noise (drawn here with the SFC64 generator, bit-identical to
   ``numpy.random.SFC64``), then stimuli;
2. spike detection (``v >= 30``) and reset;
3. LTP: every plastic synapse onto a neuron that fired gets ``a_plus * trace`` where the
   trace decays from the synapse's last delivery before this ms;
4. delivery of the spikes fired ``lag`` ms ago over synapses of delay ``lag + 1`` (weights read
   now) and LTD ``-a_minus * trace(post)``;
5. neuron update: two 0.5 ms half-steps of v, then u;
6. dopamine decay, weight change, then this ms's reward pulses and dopamine releases.

Arrays are mutated in place; no argument is bounds-checked here (``network.py`` validates).
fastmath is off on purpose: the neuron update must round exactly like the reference.
"""
from __future__ import annotations

import numpy as np
from numba import njit, uint64, float64

_TWO53 = 1.0 / 9007199254740992.0


@njit(cache=True)
def izh_sfc64_fill(state, out):
    """Fill ``out`` with doubles in [0, 1) exactly as ``Generator(SFC64).random`` does."""
    a = state[0]
    b = state[1]
    c = state[2]
    w = state[3]
    for i in range(out.size):
        tmp = a + b + w
        w += uint64(1)
        a = b ^ (b >> uint64(11))
        b = c + (c << uint64(3))
        c = ((c << uint64(24)) | (c >> uint64(40))) + tmp
        out[i] = float64(tmp >> uint64(11)) * _TWO53
    state[0] = a
    state[1] = b
    state[2] = c
    state[3] = w


@njit(cache=True)
def _izh_input(I, noise_mode, noise_scale, thal_amp, rng_state, k, st_t, st_n, st_a, si):
    """Background input for one ms into ``I``, then the stimuli at relative ms ``k``."""
    n = I.size
    if noise_mode == 1:
        a = rng_state[0]
        b = rng_state[1]
        c = rng_state[2]
        w = rng_state[3]
        for i in range(n):
            tmp = a + b + w
            w += uint64(1)
            a = b ^ (b >> uint64(11))
            b = c + (c << uint64(3))
            c = ((c << uint64(24)) | (c >> uint64(40))) + tmp
            I[i] = noise_scale * (float64(tmp >> uint64(11)) * _TWO53 - 0.5)
        rng_state[0] = a
        rng_state[1] = b
        rng_state[2] = c
        rng_state[3] = w
    else:
        for i in range(n):
            I[i] = 0.0
        if noise_mode == 2:
            a = rng_state[0]
            b = rng_state[1]
            c = rng_state[2]
            w = rng_state[3]
            tmp = a + b + w
            rng_state[3] = w + uint64(1)
            rng_state[0] = b ^ (b >> uint64(11))
            rng_state[1] = c + (c << uint64(3))
            rng_state[2] = ((c << uint64(24)) | (c >> uint64(40))) + tmp
            r = float64(tmp >> uint64(11)) * _TWO53
            I[int(n * r)] += thal_amp
    while si < st_t.size and st_t[si] == k:
        I[st_n[si]] += st_a[si]
        si += 1
    return si


@njit(cache=True)
def _izh_detect(v, u, cr, dr, last_fire, fired_ring, slot, t, sp_t, sp_i, n_sp):
    """Spike test and reset; the fired neurons go to ``fired_ring[slot]`` and the spike output."""
    nf = 0
    for n in range(v.size):
        if v[n] >= 30.0:
            fired_ring[slot, nf] = n
            nf += 1
            v[n] = cr[n]
            u[n] += dr[n]
            last_fire[n] = t
            sp_t[n_sp] = t
            sp_i[n_sp] = n
            n_sp += 1
    return nf, n_sp


@njit(cache=True)
def _izh_update(v, u, a, b, I):
    """Two 0.5 ms Euler half-steps of v, then one 1 ms step of u with the new v."""
    for n in range(v.size):
        vn = v[n]
        un = u[n]
        i_n = I[n]
        vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - un + i_n)
        vn = vn + 0.5 * ((0.04 * vn + 5.0) * vn + 140.0 - un + i_n)
        v[n] = vn
        u[n] = un + a[n] * (b[n] * vn - un)


@njit(cache=True)
def izh_run_stepped(t0, n_ms, v, u, a, b, cr, dr, last_fire,
                    noise_mode, noise_scale, thal_amp, rng_state,
                    syn_off, post, w, c, last_del, plastic, in_off, in_syn, plastic_idx,
                    fired_ring, fired_cnt, tab, fpar, w_every, dst, plastic_on,
                    st_t, st_n, st_a, rw_t, rw_a, da_release,
                    rec_syn, rec_every, rec_w, rec_c, rec_d, sp_t, sp_i, I):
    """Advance ``n_ms`` ms in stepped mode; returns (ms done, spikes written, samples written).

    Stops early (ms done < n_ms) when the spike buffer could overflow in the next ms.
    ``fpar`` = (a_plus, a_minus, tonic, w_min, w_max, c_decay, d_decay); ``dst[0]`` is d.
    """
    nn = v.size
    dmax = fired_cnt.size
    a_plus = fpar[0]
    a_minus = fpar[1]
    tonic = fpar[2]
    w_min = fpar[3]
    w_max = fpar[4]
    c_decay = fpar[5]
    d_decay = fpar[6]
    last = tab.size - 1
    d = dst[0]
    n_sp = 0
    n_rec = 0
    si = 0
    ri = 0
    cap = sp_t.size
    k = 0
    while k < n_ms:
        if n_sp + nn > cap:
            break
        t = t0 + k
        si = _izh_input(I, noise_mode, noise_scale, thal_amp, rng_state, k, st_t, st_n, st_a, si)
        slot = t % dmax
        nf, n_sp = _izh_detect(v, u, cr, dr, last_fire, fired_ring, slot, t, sp_t, sp_i, n_sp)
        fired_cnt[slot] = nf
        if plastic_on:
            for f in range(nf):
                n = fired_ring[slot, f]
                for q in range(in_off[n], in_off[n + 1]):
                    s = in_syn[q]
                    dt = min(t - 1 - last_del[s], last)
                    c[s] = c[s] + a_plus * tab[dt]
        for lag in range(dmax):
            sl = (t - lag) % dmax
            for f in range(fired_cnt[sl]):
                n = fired_ring[sl, f]
                base = n * dmax + lag
                for s in range(syn_off[base], syn_off[base + 1]):
                    p = post[s]
                    I[p] += w[s]
                    if plastic_on and plastic[s]:
                        dt = min(t - last_fire[p], last)
                        c[s] = c[s] - a_minus * tab[dt]
                    last_del[s] = t
        _izh_update(v, u, a, b, I)
        d = d * d_decay
        if plastic_on and (t + 1) % w_every == 0:
            g = tonic + d
            for q in range(plastic_idx.size):
                s = plastic_idx[q]
                w[s] = max(w_min, min(w_max, w[s] + g * c[s]))
                c[s] = c[s] * c_decay
        while ri < rw_t.size and rw_t[ri] == k:
            d = d + rw_a[ri]
            ri += 1
        for f in range(nf):
            d = d + da_release[fired_ring[slot, f]]
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
def _izh_touch(s, w, ch, al, acc, w_min, w_max):
    """Bring plastic synapse ``s``'s weight up to the accumulator's present; returns it."""
    x = max(w_min, min(w_max, w[s] + ch[s] * (acc - al[s])))
    w[s] = x
    al[s] = acc
    return x


@njit(cache=True)
def izh_run_exact(t0, n_ms, v, u, a, b, cr, dr, last_fire,
                  noise_mode, noise_scale, thal_amp, rng_state,
                  syn_off, post, w, ch, al, last_del, plastic, in_off, in_syn, plastic_idx,
                  fired_ring, fired_cnt, tab, fpar, rebase_ms, dst, pclock, plastic_on,
                  st_t, st_n, st_a, rw_t, rw_a, da_release,
                  rec_syn, rec_every, rec_w, rec_c, rec_d, sp_t, sp_i, I):
    """Advance ``n_ms`` ms in exact mode; returns (ms done, spikes written, samples written).

    Eligibility ``c(t) = ch * exp(-p / tau_c)`` with ``p = pclock[0]`` plastic ms since the last
    re-base; the weight integral uses the global accumulator
    ``acc = sum over plastic ms of (d + tonic) * g * exp(-p / tau_c)`` and each synapse's
    value ``al`` at its last touch. ``fpar`` = (a_plus, a_minus, tonic, w_min, w_max, tau_c,
    d_decay, g); ``dst`` = (d, acc).
    """
    nn = v.size
    dmax = fired_cnt.size
    a_plus = fpar[0]
    a_minus = fpar[1]
    tonic = fpar[2]
    w_min = fpar[3]
    w_max = fpar[4]
    tau_c = fpar[5]
    d_decay = fpar[6]
    gfac = fpar[7]
    last = tab.size - 1
    d = dst[0]
    acc = dst[1]
    p = pclock[0]
    n_sp = 0
    n_rec = 0
    si = 0
    ri = 0
    cap = sp_t.size
    k = 0
    while k < n_ms:
        if n_sp + nn > cap:
            break
        t = t0 + k
        if plastic_on and p >= rebase_ms:
            shrink = np.exp(-p / tau_c)
            for q in range(plastic_idx.size):
                s = plastic_idx[q]
                _izh_touch(s, w, ch, al, acc, w_min, w_max)
                ch[s] = ch[s] * shrink
                al[s] = 0.0
            acc = 0.0
            p = 0
        grow = np.exp(p / tau_c)
        si = _izh_input(I, noise_mode, noise_scale, thal_amp, rng_state, k, st_t, st_n, st_a, si)
        slot = t % dmax
        nf, n_sp = _izh_detect(v, u, cr, dr, last_fire, fired_ring, slot, t, sp_t, sp_i, n_sp)
        fired_cnt[slot] = nf
        if plastic_on:
            for f in range(nf):
                n = fired_ring[slot, f]
                for q in range(in_off[n], in_off[n + 1]):
                    s = in_syn[q]
                    dt = min(t - 1 - last_del[s], last)
                    _izh_touch(s, w, ch, al, acc, w_min, w_max)
                    ch[s] = ch[s] + (a_plus * tab[dt]) * grow
        for lag in range(dmax):
            sl = (t - lag) % dmax
            for f in range(fired_cnt[sl]):
                n = fired_ring[sl, f]
                base = n * dmax + lag
                for s in range(syn_off[base], syn_off[base + 1]):
                    pt = post[s]
                    if plastic[s]:
                        I[pt] += _izh_touch(s, w, ch, al, acc, w_min, w_max)
                        if plastic_on:
                            dt = min(t - last_fire[pt], last)
                            ch[s] = ch[s] - (a_minus * tab[dt]) * grow
                    else:
                        I[pt] += w[s]
                    last_del[s] = t
        _izh_update(v, u, a, b, I)
        d = d * d_decay
        if plastic_on:
            acc = acc + (d + tonic) * gfac * np.exp(-p / tau_c)
            p += 1
        while ri < rw_t.size and rw_t[ri] == k:
            d = d + rw_a[ri]
            ri += 1
        for f in range(nf):
            d = d + da_release[fired_ring[slot, f]]
        if rec_every > 0 and (t + 1) % rec_every == 0:
            shrink = np.exp(-p / tau_c)
            for j in range(rec_syn.size):
                s = rec_syn[j]
                if plastic[s]:
                    rec_w[n_rec, j] = max(w_min, min(w_max, w[s] + ch[s] * (acc - al[s])))
                else:
                    rec_w[n_rec, j] = w[s]
                rec_c[n_rec, j] = ch[s] * shrink
            rec_d[n_rec] = d
            n_rec += 1
        k += 1
    dst[0] = d
    dst[1] = acc
    pclock[0] = p
    return k, n_sp, n_rec
