"""Plain NumPy statements of the escape-noise layer, its learning step and the encoder.

Slow and obviously right: the oracles that :mod:`spikey.engine.escape` and
:mod:`spikey.engine.fields` are tested against (same random numbers in, same spikes
out). The order of operations is the one stated in :mod:`spikey.engine.escape`.
"""

from __future__ import annotations

import numpy as np


def window(p_in, rand_in, expo, W, params, state, layout):
    """One window; returns ``(elig, counts, expected, log)``, advancing ``state`` in place."""
    x, y, refr, act = state
    group, group_size, competes, post_rho = layout
    n_groups = group_size.size
    elig = np.zeros_like(W)
    counts = np.zeros(n_groups)
    expected = np.zeros(n_groups)
    log = np.zeros((p_in.shape[0], W.shape[0] + W.shape[1]), dtype=bool)
    for t in range(p_in.shape[0]):
        log[t, : W.shape[0]] = rand_in[t] < p_in[t]
        s = log[t, : W.shape[0]].astype(float)
        x[:] = x * params.decay_syn + s
        y[:] = y * params.decay_mem + (1.0 - params.decay_mem) * x
        u = params.bias - refr
        for j in range(W.shape[0]):  # the kernel's summation order: input by input
            u = u + W[j] * y[j]
        total = act[competes].sum()
        u = np.where(competes[group], u - params.w_inh * (total - act[group]), u)
        rho = params.rho0 * np.exp(np.minimum(u / params.du, params.u_cap))
        fired = expo[t] < rho
        log[t, W.shape[0] :] = fired
        np.add.at(expected, group, rho)
        refr[:] = (refr + np.where(fired, params.refr_amp, 0.0)) * params.decay_refr
        spikes = np.bincount(group[fired], minlength=n_groups).astype(float)
        post = np.where(post_rho, rho, fired.astype(float))
        elig += y[:, None] * post[None, :]
        counts += spikes
        act[:] = act * params.decay_inh + spikes / group_size
    return elig, counts, expected, log


def td_learn(W, z, elig, tag, decay, rate, delta, w_max):
    """``W += rate delta z`` (clipped), then ``z = decay z + tag elig``; in place."""
    W[:] = np.clip(W + (rate * delta)[None, :] * z, -w_max, w_max)
    z[:] = z * decay[None, :] + tag[None, :] * elig


def _centres(lo, hi, k):
    """Centres (n_dims, k) and sigma = spacing (one field: the middle, and the range)."""
    if k == 1:
        return ((lo + hi) / 2)[:, None], (hi - lo)
    return lo[:, None] + (hi - lo)[:, None] * (np.arange(k) / (k - 1))[None, :], (hi - lo) / (k - 1)


def field_activity(f, obs):
    """Field activities in [0, 1] for one observation, and how many values were clipped."""
    obs = np.asarray(obs, dtype=np.float64)
    v = np.clip(obs, f.lo, f.hi)
    clipped = int(np.count_nonzero(v != obs))
    c, spacing = _centres(f.lo, f.hi, f.n_fields)
    z = (v[:, None] - c) / (f.width * spacing)[:, None]
    parts = [np.exp(-0.5 * z * z).ravel()]
    if f.pairs:
        cg, sg = _centres(f.lo, f.hi, f.n_conj)
        g = np.exp(-0.5 * ((v[:, None] - cg) / (f.width * sg)[:, None]) ** 2)
        for a, b in f.pairs:
            parts.append(np.outer(g[a], g[b]).ravel())
    parts.append(np.ones(f.n_bias))
    return np.concatenate(parts), clipped
