"""Escape-noise (SRM0) populations for reward learning: one env step as one compiled call.

The network is a layer of stochastic neurons fed by encoder spikes. Per millisecond, in
this order:

1. input spikes ``s_j = [rand < p_in[t, j]]``; synaptic trace ``x_j <- x_j e_s + s_j`` and
   membrane trace ``y_j <- y_j e_m + (1 - e_m) x_j`` (a double-exponential PSP);
2. each neuron's potential ``u_i = bias + sum_j W_ij y_j - r_i - w_inh (A - a_g(i))``,
   where ``a_g`` is the filtered activity of neuron i's group and ``A`` the sum over the
   groups that compete (mutual inhibition between actor populations);
3. firing intensity ``rho_i = rho0 exp(min(u_i / du, u_cap))``, spike with probability
   ``1 - exp(-rho_i dt)`` (``rand < p``);
4. refractoriness ``r_i <- (r_i + refr_amp s_i) e_r``; group activity
   ``a_g <- a_g e_i + spikes_g / size_g``;
5. eligibility of the window: ``E_ij += post_i y_j`` with ``post_i`` the spike (TD-LTP
   critics) or ``rho_i dt`` (actors: the intensity, not the sample, so a neuron's own
   spikes do not bias its update).

Inputs whose trace ``y_j`` is exactly 0 (never fired since the window began) add exactly
nothing to steps 2 and 5, so the kernel skips them; with receptive fields most inputs
are silent, which makes this the main saving. Results are bit-identical to the dense
sums of the reference.

Learning happens between windows (:func:`td_learn`): the TD error scales the traces.
Random numbers come in as an array drawn by the caller's ``numpy.random.Generator``, so
the NumPy reference (:mod:`spikey.engine.escape_reference`) sees the same stream.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba as nb
import numpy as np


class EscapeParams(NamedTuple):
    """Constants of the escape-noise layer (decays are per-ms factors ``exp(-dt/tau)``)."""

    rho0: float  # intensity at u = 0 (per ms)
    du: float  # escape-noise width (potential units)
    u_cap: float  # cap on u / du (keeps exp finite)
    refr_amp: float  # refractory jump after a spike
    decay_refr: float
    decay_syn: float
    decay_mem: float
    w_inh: float  # mutual inhibition between competing groups
    decay_inh: float
    bias: float


class EscapeState(NamedTuple):
    """What carries over between windows within an episode."""

    x: np.ndarray  # (n_in,) synaptic traces
    y: np.ndarray  # (n_in,) membrane traces
    refr: np.ndarray  # (n,) refractory potentials
    act: np.ndarray  # (n_groups,) filtered group activity


class EscapeLayout(NamedTuple):
    """Which neuron belongs where, and what its eligibility samples."""

    group: np.ndarray  # (n,) int64 group index of each neuron
    group_size: np.ndarray  # (n_groups,) float64
    competes: np.ndarray  # (n_groups,) bool: takes part in mutual inhibition
    post_rho: np.ndarray  # (n,) bool: eligibility from rho dt (True) or the spike (False)


def initial_state(n_in: int, n: int, n_groups: int) -> EscapeState:
    """All traces at rest (start of an episode)."""
    return EscapeState(np.zeros(n_in), np.zeros(n_in), np.zeros(n), np.zeros(n_groups))


@nb.njit(cache=True, nogil=True)
def _window(p_in, rand_in, expo, W, params, x, y, refr, act, group, group_size, competes,
            post_rho, elig, counts, expected, log):  # fmt: skip
    n_steps, n_in = p_in.shape
    n = W.shape[1]
    n_groups = counts.shape[0]
    n_rho = 0  # neurons with post_rho come first (checked by the caller)
    while n_rho < n and post_rho[n_rho]:
        n_rho += 1
    elig[:, :] = 0.0
    counts[:] = 0.0
    expected[:] = 0.0
    spk_g = np.zeros(n_groups)
    u = np.empty(n)
    rho = np.empty(n)
    active = np.empty(n_in, dtype=np.int64)
    fired_idx = np.empty(n, dtype=np.int64)
    for t in range(n_steps):
        n_active = 0
        for j in range(n_in):
            fired_in = rand_in[t, j] < p_in[t, j]
            log[t, j] = fired_in
            x[j] = x[j] * params.decay_syn + (1.0 if fired_in else 0.0)
            y[j] = y[j] * params.decay_mem + (1.0 - params.decay_mem) * x[j]
            if y[j] != 0.0:  # inputs at rest add exactly nothing: skip them below
                active[n_active] = j
                n_active += 1
        total = 0.0
        for g in range(n_groups):
            if competes[g]:
                total += act[g]
            spk_g[g] = 0.0
        for i in range(n):
            u[i] = params.bias - refr[i]
        for q in range(n_active):  # u += W^T y, input by input (vectorises over i)
            j = active[q]
            yj = y[j]
            for i in range(n):
                u[i] += W[j, i] * yj
        n_fired = 0
        for i in range(n):
            g = group[i]
            ui = u[i]
            if competes[g]:
                ui -= params.w_inh * (total - act[g])
            r = params.rho0 * math.exp(min(ui / params.du, params.u_cap))
            rho[i] = r
            fired = expo[t, i] < r  # P(fire) = 1 - exp(-rho dt), dt = 1 ms
            log[t, n_in + i] = fired
            expected[g] += r
            refr[i] = (refr[i] + (params.refr_amp if fired else 0.0)) * params.decay_refr
            if fired:
                spk_g[g] += 1.0
                if i >= n_rho:
                    fired_idx[n_fired] = i
                    n_fired += 1
        for q in range(n_active):  # eligibility: rho y for the first n_rho, spike y after
            j = active[q]
            yj = y[j]
            for i in range(n_rho):
                elig[j, i] += rho[i] * yj
            for f in range(n_fired):
                elig[j, fired_idx[f]] += yj
        for g in range(n_groups):
            counts[g] += spk_g[g]
            act[g] = act[g] * params.decay_inh + spk_g[g] / group_size[g]


def window(p_in, rand_in, expo, W, params: EscapeParams, state: EscapeState,
           layout: EscapeLayout, out) -> None:  # fmt: skip
    """Run one window of ``len(p_in)`` ms; fills ``out`` = (elig, counts, expected, log).

    ``W`` is (n_in, n): row j holds input j's weights onto every neuron. ``p_in``
    (T, n_in) spike probabilities per ms; ``rand_in`` (T, n_in) uniforms in [0, 1);
    ``expo`` (T, n) standard exponentials (neuron i fires at ms t when
    ``expo[t, i] < rho_i(t) dt``, i.e. with probability ``1 - exp(-rho dt)``).
    ``counts``/``expected`` are per group: spikes and summed ``rho dt``; ``elig`` is
    (n_in, n); ``log`` (T, n_in + n) bool: who fired when (inputs, then neurons).
    ``state`` is advanced in place. Shapes are checked before compiled code.
    """
    elig, counts, expected, log = out
    n_in, n = W.shape
    t = p_in.shape[0]
    ng = layout.group_size.shape[0]
    checks = (
        (p_in, (t, n_in)),
        (rand_in, (t, n_in)),
        (expo, (t, n)),
        (state.x, (n_in,)),
        (state.y, (n_in,)),
        (state.refr, (n,)),
        (state.act, (ng,)),
        (layout.group, (n,)),
        (layout.competes, (ng,)),
        (layout.post_rho, (n,)),
        (elig, (n_in, n)),
        (counts, (ng,)),
        (expected, (ng,)),
        (log, (t, n_in + n)),
    )
    for arr, shape in checks:
        if arr.shape != shape:
            raise ValueError(f"escape.window: an array of shape {arr.shape}; expected {shape}")
    if layout.group.size and (layout.group.min() < 0 or layout.group.max() >= ng):
        raise ValueError(f"escape.window: group indices must lie in [0, {ng})")
    n_rho = int(layout.post_rho.sum())
    if not layout.post_rho[:n_rho].all():
        raise ValueError("escape.window: neurons with post_rho must come first")
    _window(p_in, rand_in, expo, W, params, *state, *layout, elig, counts, expected, log)


@nb.njit(cache=True, nogil=True)
def _td_learn(W, z, elig, tag, decay, rate, delta, w_max):
    n_in, n = W.shape
    step = np.empty(n)
    for i in range(n):
        step[i] = rate[i] * delta
    for j in range(n_in):
        for i in range(n):
            W[j, i] = min(max(W[j, i] + step[i] * z[j, i], -w_max), w_max)
            z[j, i] = z[j, i] * decay[i] + tag[i] * elig[j, i]


def td_learn(W, z, elig, tag, decay, rate, delta: float, w_max: float) -> None:
    """Apply a TD error, then fold this window's eligibility into the traces (in place).

    ``W += rate_i * delta * z`` (clipped to ``[-w_max, w_max]``), then
    ``z = decay_i * z + tag_i * elig``. The order matters: the error of the transition
    that ends at this window credits what happened before it.
    """
    n = W.shape[1]
    for name, arr in (("tag", tag), ("decay", decay), ("rate", rate)):
        if arr.shape != (n,):
            raise ValueError(f"escape.td_learn: '{name}' has shape {arr.shape}; expected ({n},)")
    if z.shape != W.shape or elig.shape != W.shape:
        raise ValueError(f"escape.td_learn: traces {z.shape}/{elig.shape}; expected {W.shape}")
    if not math.isfinite(delta):
        raise ValueError(f"escape.td_learn: the TD error is {delta!r}; expected a finite number")
    _td_learn(W, z, elig, tag, decay, rate, float(delta), float(w_max))
