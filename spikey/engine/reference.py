"""The NumPy oracle: the author's per-ms algorithm (daspnet.m / spnet.m), slow and plain.

It keeps the STDP trace the way the author's program does, one value per neuron per ms in a
history of the last D + 1 ms (``trace_hist``; reset to 1 at a spike, times ``1 - 1/tau_stdp``
each ms), and reads a presynaptic trace ``delay`` ms back. The compiled kernels keep the same
history (``kernels.py``); the tests demand identical spikes.

Dopamine is signed: d (the deviation from the tonic baseline) may be negative after a dip,
and every step uses ``tonic + d`` as it is, negative or not.

``exact`` mode here integrates every plastic synapse densely each ms (c decays by
``exp(-1/tau_c)``, ``w += (d + tonic) * g * c`` and is clipped every ms), the slow form of what
the compiled exact kernel does lazily.
"""

from __future__ import annotations

import math

import numpy as np

from spikey.engine import noise


def run(net, n_ms, stim, rew, rec_syn, rec_every, rec_w, rec_c, rec_d):
    """Advance ``net`` (an IzhNetwork with engine "reference") ``n_ms`` ms.

    Returns (ms done, spike times, spike neurons, samples written), like the kernels.
    """
    st, syn, p = net.state, net.syn, net.params
    n, dmax = net.n, syn.max_delay
    gen = net.noise_state  # advanced here, handed back at the end
    v, u, w, c = st["v"], st["u"], st["w"], st["c"]
    hist = st["trace_hist"]
    ring, cnt = st["fired_ring"], st["fired_cnt"]
    plastic = syn.plastic
    trace_decay = 1.0 - 1.0 / p["tau_stdp"]
    d_decay = 1.0 - 1.0 / p["tau_d"]
    c_decay_stepped = 1.0 - p["w_every"] / p["tau_c"]
    c_decay_exact = math.exp(-1.0 / p["tau_c"])
    g_exact = p["tau_c"] * (-math.expm1(-1.0 / p["tau_c"])) / p["w_every"]
    lo, hi = p["w_min"], p["w_max"]
    pidx = syn.plastic_idx
    exact = net.mode == "exact"
    on = net.plasticity
    last_only = p["duplicates"] == "last"
    d = st["d"]
    out_t, out_i = [], []
    n_rec = 0
    for k in range(n_ms):
        t = st["t"] + k
        # 1. input
        I = np.zeros(n)
        if p["noise"] == "thalamic":  # the last generator picks the neuron
            I[int(n * noise.unit(noise.next_words(gen, slice(n, n + 1)))[0])] += p["thalamic_amp"]
        background = 0.0  # uniform noise: each neuron's own generator; added last, in step 5
        if p["noise"] == "uniform":
            background = (2.0 * p["noise_amp"]) * (
                noise.unit(noise.next_words(gen, slice(0, n))) - 0.5
            )
        sel = stim[0] == k
        np.add.at(I, stim[1][sel], stim[2][sel])
        # 2. spikes and reset
        fired = np.flatnonzero(v >= 30.0)
        v[fired] = net.c_reset[fired]
        u[fired] += net.d_reset[fired]
        slot = t % dmax
        ring[slot, : fired.size] = fired
        cnt[slot] = fired.size
        out_t.append(np.full(fired.size, t, dtype=np.int64))
        out_i.append(fired.astype(np.int32))
        now = hist[t % (dmax + 1)]
        now[fired] = 1.0
        # 3. LTP: plastic synapses onto fired neurons, presynaptic trace `delay` ms back
        if on:
            for m in fired:
                s = syn.in_syn[syn.in_off[m] : syn.in_off[m + 1]]
                c[s] += p["a_plus"] * hist[(t - syn.delay[s]) % (dmax + 1), syn.pre[s]]
        # 4. delivery of spikes fired lag ms ago over delay lag + 1, LTD with the post trace now
        for lag in range(dmax):
            sl = (t - lag) % dmax
            for m in ring[sl, : cnt[sl]]:
                s = np.arange(syn.syn_off[m * dmax + lag], syn.syn_off[m * dmax + lag + 1])
                if s.size == 0:
                    continue
                if last_only:  # MATLAB's I(ind) = I(ind) + s: of repeated targets the last wins
                    rev_first = np.unique(syn.post[s][::-1], return_index=True)[1]
                    keep = s[s.size - 1 - rev_first]
                    np.add.at(I, syn.post[keep], w[keep])
                else:
                    np.add.at(I, syn.post[s], w[s])
                if on:
                    sp = s[plastic[s]]
                    c[sp] -= p["a_minus"] * now[syn.post[sp]]
        # 5. neurons
        I = I + background
        v += 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + I)
        v += 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + I)
        u += net.a * (net.b * v - u)
        # a trace at or below trace_floor drops to 0 (and is then skipped by the kernels)
        hist[(t + 1) % (dmax + 1)] = np.where(now > p["trace_floor"], trace_decay * now, 0.0)
        # 6. dopamine and weights
        d = d * d_decay
        if on and not exact and (t + 1) % p["w_every"] == 0:
            w[pidx] = np.maximum(lo, np.minimum(hi, w[pidx] + (p["tonic_da"] + d) * c[pidx]))
            c[pidx] *= c_decay_stepped
        if on and exact:
            w[pidx] = np.clip(w[pidx] + (d + p["tonic_da"]) * g_exact * c[pidx], lo, hi)
            c[pidx] *= c_decay_exact
        for amount in rew[1][rew[0] == k]:
            d = d + amount
        for m in fired:
            d = d + net.da_release[m]
        # 7. recording
        if rec_every > 0 and (t + 1) % rec_every == 0:
            rec_w[n_rec] = w[rec_syn]
            rec_c[n_rec] = c[rec_syn]
            rec_d[n_rec] = d
            n_rec += 1
    st["d"] = d
    st["t"] += n_ms
    net.noise_state = gen
    return (
        n_ms,
        np.concatenate(out_t) if out_t else np.zeros(0, np.int64),
        np.concatenate(out_i) if out_i else np.zeros(0, np.int32),
        n_rec,
    )
