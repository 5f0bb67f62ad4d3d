"""The NumPy oracle (``engine="reference"``): the author's per-ms algorithm (daspnet.m /
spnet.m), slow and plain.

It keeps the STDP trace the way the author's program does, one value per neuron per ms in a
history of the last D + 1 ms (``hist``; reset to 1 at a spike, times ``1 - 1/tau_stdp`` each
ms), and reads a presynaptic trace ``delay`` ms back. Its state is the dense engine's
(``izh/dense.py``), and so are its accessors; the compiled kernels keep the same history and
the tests demand identical spikes.

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
from spikey.engine.izh.dense import State, eligibility, from_v2, initial_state, set_weights, weights
from spikey.engine.izh.model import Model

THREADED = False
UNUSED_STRUCTURE = ("in_pre", "in_delay", "in_pd")  # it reads the synapses themselves
__all__ = [
    "THREADED",
    "UNUSED_STRUCTURE",
    "State",
    "advance",
    "eligibility",
    "from_v2",
    "initial_state",
    "set_weights",
    "weights",
]


def _deliver(model: Model, state: State, I, t, on) -> None:
    """Step 4: the spikes fired ``lag`` ms ago over synapses of delay ``lag + 1``, then LTD
    with the postsynaptic trace now."""
    syn, p = model.syn, model.params
    dmax = syn.max_delay
    now = state.hist[t % (dmax + 1)]
    for lag in range(dmax):
        sl = (t - lag) % dmax
        for m in state.fired_ring[sl, : state.fired_cnt[sl]]:
            s = np.arange(syn.syn_off[m * dmax + lag], syn.syn_off[m * dmax + lag + 1])
            if s.size == 0:
                continue
            if p["duplicates"] == "last":  # MATLAB's I(ind) = I(ind) + s: the last twin wins
                rev_first = np.unique(syn.post[s][::-1], return_index=True)[1]
                keep = s[s.size - 1 - rev_first]
                np.add.at(I, syn.post[keep], state.w[keep])
            else:
                np.add.at(I, syn.post[s], state.w[s])
            if on:
                sp = s[syn.plastic[s]]
                state.c[sp] -= p["a_minus"] * now[syn.post[sp]]


def _weights_step(model: Model, state: State, t, d, pidx) -> None:
    """Step 6's weight change (plasticity on) of the plastic synapses ``pidx``: every w_every
    ms in stepped mode, every ms in exact mode."""
    p = model.params
    w, c = state.w, state.c
    lo, hi = p["w_min"], p["w_max"]
    if model.exact:
        g = p["tau_c"] * (-math.expm1(-1.0 / p["tau_c"])) / p["w_every"]
        w[pidx] = np.clip(w[pidx] + (d + p["tonic_da"]) * g * c[pidx], lo, hi)
        c[pidx] *= math.exp(-1.0 / p["tau_c"])
    elif (t + 1) % p["w_every"] == 0:
        w[pidx] = np.maximum(lo, np.minimum(hi, w[pidx] + (p["tonic_da"] + d) * c[pidx]))
        c[pidx] *= 1.0 - p["w_every"] / p["tau_c"]


def advance(model: Model, state: State, t0, n_ms, plastic_on, io, bounds):
    """Advance ``n_ms`` ms from ms ``t0``; returns (ms done, spikes written, samples written),
    like the kernels (and stops early, as they do, when the spike buffer could overflow)."""
    st, syn, p, net = state, model.syn, model.params, model.structure
    n, dmax = st.v.size, syn.max_delay
    gen = np.stack([st.noise0, st.noise1])  # advanced here, stored back at the end
    v, u, hist = st.v, st.u, st.hist
    d = st.scal[0]
    pidx = syn.plastic_idx
    n_sp = n_rec = k = 0
    while k < n_ms and n_sp + n <= io.sp_t.size:
        t = t0 + k
        # 1. input
        I = np.zeros(n)
        if p["noise"] == "thalamic":  # the last generator picks the neuron
            I[int(n * noise.unit(noise.next_words(gen, slice(n, n + 1)))[0])] += p["thalamic_amp"]
        background = 0.0  # uniform noise: each neuron's own generator; added last, in step 5
        if p["noise"] == "uniform":
            background = (2.0 * p["noise_amp"]) * (
                noise.unit(noise.next_words(gen, slice(0, n))) - 0.5
            )
        sel = io.st_t == k
        np.add.at(I, io.st_n[sel], io.st_a[sel])
        # 2. spikes and reset
        fired = np.flatnonzero(v >= 30.0)
        v[fired] = net.c_reset[fired]
        u[fired] += net.d_reset[fired]
        st.fired_ring[t % dmax, : fired.size] = fired
        st.fired_cnt[t % dmax] = fired.size
        io.sp_t[n_sp : n_sp + fired.size] = t
        io.sp_i[n_sp : n_sp + fired.size] = fired
        n_sp += fired.size
        now = hist[t % (dmax + 1)]
        now[fired] = 1.0
        # 3. LTP: plastic synapses onto fired neurons, presynaptic trace `delay` ms back
        if plastic_on:
            for m in fired:
                s = syn.in_syn[syn.in_off[m] : syn.in_off[m + 1]]
                st.c[s] += p["a_plus"] * hist[(t - syn.delay[s]) % (dmax + 1), syn.pre[s]]
        # 4. delivery and LTD
        _deliver(model, st, I, t, plastic_on)
        # 5. neurons
        I = I + background
        v += 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + I)
        v += 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + I)
        u += net.a * (net.b * v - u)
        # a trace at or below trace_floor drops to 0 (and is then skipped by the kernels)
        hist[(t + 1) % (dmax + 1)] = np.where(
            now > p["trace_floor"], (1.0 - 1.0 / p["tau_stdp"]) * now, 0.0
        )
        # 6. dopamine and weights
        d = d * (1.0 - 1.0 / p["tau_d"])
        if plastic_on:
            _weights_step(model, st, t, d, pidx)
        for amount in io.rw_a[io.rw_t == k]:
            d = d + amount
        for m in fired:
            d = d + net.da_release[m]
        # 7. recording
        if io.rec_every > 0 and (t + 1) % io.rec_every == 0:
            io.rec_w[n_rec] = st.w[io.rec_syn]
            io.rec_c[n_rec] = st.c[io.rec_syn]
            io.rec_d[n_rec] = d
            n_rec += 1
        k += 1
    st.scal[0] = d
    st.noise0[:], st.noise1[:] = gen
    return k, n_sp, n_rec
