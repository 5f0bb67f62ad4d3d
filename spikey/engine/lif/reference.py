"""Plain NumPy oracle of :mod:`spikey.engine.lif.kernel` (same arguments, same results).

Written step by step in array form, without the kernel's incremental window sums, so
that it checks them. Also home of :func:`propagate`, the summation order that the
network's per-step Python path shares with the kernel.
"""

from __future__ import annotations

import numpy as np


def propagate(matrix: np.ndarray, spikes: np.ndarray) -> np.ndarray:
    """Incoming current ``sum_j spikes[j] * matrix[j]`` over spiking rows j in order."""
    incoming = np.zeros(matrix.shape[1])
    for j in np.flatnonzero(spikes):
        incoming += spikes[j] * matrix[j]
    return incoming


def snn_tick_reference(
    in_vals: np.ndarray,
    in_cols: np.ndarray,
    rand_fire: np.ndarray,
    noise: np.ndarray,
    potentials: np.ndarray,
    timers: np.ndarray,
    schedule: np.ndarray,
    polarities: np.ndarray,
    nparams: np.ndarray,
    iparams: np.ndarray,
    weights: np.ndarray,
    live: np.ndarray,
    log: np.ndarray,
    sparams: np.ndarray,
    credit_out: np.ndarray,
    work: np.ndarray | None = None,
    incoming: np.ndarray | None = None,
) -> float:
    """Reference of :func:`spikey.engine.lif.kernel.snn_tick_kernel`: the same flat
    arguments (:func:`spikey.engine.lif.types.flatten`), the same results; the scratch
    arrays ``work`` and ``incoming`` are accepted and ignored.

    Returns
    -------
    float
        The synapse trace after the tick.
    """
    n_steps = in_vals.shape[0]
    n = potentials.shape[0]
    n_in = polarities.shape[0] - n
    window = log.shape[0] - n_steps
    thr, keep_v, rest, mag, refr_mv = nparams
    neuron_kind, refractory, delay, syn_kind = (int(x) for x in iparams[:4])
    lr, trace, trace_decay, w_max, want_credit = sparams
    body_pol = polarities[n_in:]
    learn = syn_kind != 0 and window > (2 if syn_kind == 2 else 1)  # else all credit is 0
    for i in range(n_steps):
        row = window + i
        log[row, :n_in] = 0.0
        log[row, in_cols] = in_vals[i]
        if neuron_kind == 1:
            if noise.shape[0]:
                potentials += noise[i]
            fire = potentials >= thr
        else:
            fire = potentials >= thr
            if rand_fire.shape[0]:
                fire |= rand_fire[i]
            fire &= timers <= 0
        timers[fire] = refractory + 1
        schedule[delay, fire] += 1.0
        log[row, n_in:] = schedule[0] * body_pol * mag
        incoming = propagate(weights, log[row])
        timers -= 1
        schedule[:-1] = schedule[1:].copy()
        schedule[-1] = 0.0
        potentials[timers > 0] = refr_mv
        potentials[timers == 0] = rest
        potentials[:] = (potentials - rest) * keep_v + rest + incoming
        if learn:
            spiked = log[i : i + window] != 0.0
            k = np.arange(window - 1, dtype=float)
            credit = k @ spiked[:-1].astype(float)
            post = spiked[-1]
            mult = lr / window * trace if syn_kind == 1 else lr * trace / (window - 2)
            if mult != 0.0:
                d = credit * polarities * mult
                pre = np.flatnonzero(credit)
                post_body = np.flatnonzero(post[n_in:])
                touched = np.zeros(weights.shape, dtype=bool)
                ix = np.ix_(pre, post_body)
                weights[ix] = np.where(live[ix], weights[ix] + d[pre][:, None], weights[ix])
                touched[ix] = True
                if syn_kind == 2:
                    pre_body = pre[pre >= n_in] - n_in
                    ix2 = np.ix_(np.flatnonzero(post), pre_body)
                    weights[ix2] = np.where(
                        live[ix2], weights[ix2] - d[n_in + pre_body][None, :], weights[ix2]
                    )
                    touched[ix2] = True
                weights[touched] = np.clip(weights[touched], 0.0, w_max)
        trace *= 1.0 - trace_decay
    if want_credit:
        rows = log[n_steps - 1 : n_steps + window - 2] != 0.0
        credit_out[:] = np.arange(rows.shape[0], dtype=float) @ rows.astype(float)
    return trace
