"""Compiled tick of the Spikey-compatible network (one numba call per game step).

:func:`snn_tick_kernel` runs ``processing_time`` network steps of leaky integrate-and-fire
neurons with the synapse rule applied every step. Randomness is drawn by the caller up
front and passed in, so this function is deterministic. Its plain NumPy oracle is
:func:`spikey.engine.lif.reference.snn_tick_reference`; the two agree bit for bit.

The arguments are :mod:`spikey.engine.lif.types`' tuples flattened into 17 arrays
(:func:`~spikey.engine.lif.types.flatten`, order :data:`ARGUMENTS`); the settings arrays
are read through that module's index constants. Callers validate every array (shapes,
dtypes, C order) first: numba does not check bounds.

One step is four helpers in order: :func:`_load_inputs` (the inputs' spikes into the log),
:func:`_fire` (who fires now), :func:`_integrate` (deliver the spikes, leak, refractory
bookkeeping) and :func:`_learn` (the rule over the window, then slide it by one row).
Scratch arrays come from the caller, integers come in an int64 array, and clipping is
written out, so that the kernel calls no NumPy allocator, ``int()``, ``min`` or ``max``:
each would be compiled as a function of its own and slow down the first, cold compile.

Besides the JIT-compiled :func:`snn_tick_kernel`, :func:`build_ahead_of_time` compiles the
same function into a plain extension module (numba's ``pycc``) that loads without numba;
:mod:`spikey.engine.lif.loader` builds it once per machine and uses it.
"""

from __future__ import annotations

import os

import numpy as np
from numba import njit

from spikey.engine.lif.types import ARGUMENTS as _TYPED_ARGUMENTS
from spikey.engine.lif.types import (
    I_DELAY,
    I_NEURON_KIND,
    I_REFRACTORY,
    I_SUMS_KEPT,
    I_SYNAPSE_KIND,
    N_KEEP,
    N_MAGNITUDE,
    N_REFRACTORY_MV,
    N_RESTING,
    N_THRESHOLD,
    RAND_POTENTIAL,
    RLSTDP,
    S_LEARNING_RATE,
    S_MAX_WEIGHT,
    S_TRACE,
    S_TRACE_DECAY,
    S_WANT_CREDIT,
)


@njit(cache=True, inline="always")
def _load_inputs(in_vals, in_cols, i, row, n_in, log, spiking, cols_sorted):
    """Write step ``i``'s input spikes into log row ``row``; list the spiking input
    columns in ``spiking`` (ascending); return how many."""
    n_active = in_cols.shape[0]
    for j in range(n_in):
        log[row, j] = 0.0
    n_spiking = 0
    for c in range(n_active):
        log[row, in_cols[c]] = in_vals[i, c]
        if cols_sorted and in_vals[i, c] != 0.0:
            spiking[n_spiking] = in_cols[c]
            n_spiking += 1
    if not cols_sorted:
        for j in range(n_in):
            if log[row, j] != 0.0:
                spiking[n_spiking] = j
                n_spiking += 1
    return n_spiking


@njit(cache=True, inline="always")
def _fire(i, row, n_in, rand_fire, noise, potentials, timers, schedule, polarities, nparams,
          iparams, log, spiking, n_spiking):  # fmt: skip
    """Who fires at step ``i``: schedule their spikes, write the spikes leaving now into
    log row ``row`` and append their columns to ``spiking``; return its new length."""
    n = potentials.shape[0]
    thr = nparams[N_THRESHOLD]
    mag = nparams[N_MAGNITUDE]
    rand_potential = iparams[I_NEURON_KIND] == RAND_POTENTIAL
    refractory = iparams[I_REFRACTORY]
    delay = iparams[I_DELAY]
    has_rand = rand_fire.shape[0] > 0
    has_noise = noise.shape[0] > 0
    for k in range(n):
        if rand_potential:
            if has_noise:
                potentials[k] += noise[i, k]
            fire = potentials[k] >= thr
        else:
            fire = potentials[k] >= thr
            if has_rand and rand_fire[i, k]:
                fire = True
            if timers[k] > 0:
                fire = False
        if fire:
            timers[k] = refractory + 1
            schedule[delay, k] += 1.0
        out = schedule[0, k] * polarities[n_in + k] * mag
        log[row, n_in + k] = out
        if out != 0.0:
            spiking[n_spiking] = n_in + k
            n_spiking += 1
    return n_spiking


@njit(cache=True, inline="always")
def _integrate(row, log, spiking, n_spiking, weights, potentials, timers, schedule, nparams,
               incoming):  # fmt: skip
    """Deliver the spikes of log row ``row`` (only the columns in ``spiking``), count the
    refractory timers down, shift the schedule, and leak and charge the potentials."""
    n = potentials.shape[0]
    n_sched = schedule.shape[0]
    rest = nparams[N_RESTING]
    keep_v = nparams[N_KEEP]
    refr_mv = nparams[N_REFRACTORY_MV]
    for k in range(n):
        incoming[k] = 0.0
    for m in range(n_spiking):
        j = spiking[m]
        s = log[row, j]
        for k in range(n):
            incoming[k] += s * weights[j, k]
    for k in range(n):
        timers[k] -= 1
    for r in range(n_sched - 1):
        for k in range(n):
            schedule[r, k] = schedule[r + 1, k]
    for k in range(n):
        schedule[n_sched - 1, k] = 0.0
    for k in range(n):
        v = potentials[k]
        if timers[k] > 0:
            v = refr_mv
        elif timers[k] == 0:
            v = rest
        v = (v - rest) * keep_v + rest
        potentials[k] = v + incoming[k]


@njit(cache=True, inline="always")
def _window_sums(log, window, count, credit, learn, sums_kept):
    """Spike counts and credit (sum of k * spike) of the window's pre rows, unless the
    previous one-step call left them in ``count`` and ``credit``."""
    n_all = log.shape[1]
    if not (learn and sums_kept):
        for j in range(n_all):
            count[j] = 0
            credit[j] = 0
    if learn and not sums_kept:
        for r in range(window - 1):
            for j in range(n_all):
                if log[r, j] != 0.0:
                    count[j] += 1
                    credit[j] += r


@njit(cache=True, inline="always")
def _learn(i, window, n_in, log, weights, live, polarities, work, syn_kind, lr, trace, w_max):
    """Plasticity over the window rows ``i .. i+window-1`` (post row = the previous step),
    then slide the window's sums by one row.

    Every touched weight gets its potentiation, then its depression, then the clip (the
    Python rule's order); rows are walked in memory order."""
    n_all = log.shape[1]
    n = weights.shape[1]
    count = work[1]  # pre spikes in the window
    credit = work[2]  # sum of k * spike over the window's pre rows
    post_cols = work[3]  # columns that spiked at the window's last (post) row
    post_body = work[4]  # body neurons among them
    post = i + window - 1
    if syn_kind == 1:
        mult = lr / window * trace
    else:
        mult = lr * trace / (window - 2)
    if mult != 0.0:
        n_post = 0
        n_post_body = 0
        for j in range(n_all):
            if log[post, j] != 0.0:
                post_cols[n_post] = j
                n_post += 1
                if j >= n_in:
                    post_body[n_post_body] = j - n_in
                    n_post_body += 1
        depress = syn_kind == RLSTDP
        # potentiation w[j, p] += d_j: pre columns j with credit, post body p
        for j in range(n_all):
            if credit[j] == 0:
                continue
            dj = (credit[j] * polarities[j]) * mult
            # is row j also depressed (j spiked at the post row)?
            j_depressed = depress and log[post, j] != 0.0
            for m in range(n_post_body):
                p = post_body[m]
                w = weights[j, p]
                if live[j, p]:
                    w += dj
                if not (j_depressed and credit[n_in + p] != 0):
                    w = 0.0 if w < 0.0 else (w_max if w > w_max else w)
                weights[j, p] = w
        # depression w[p, q] -= d_q: post columns p, body q with credit
        if depress:
            for m in range(n_post):
                p = post_cols[m]
                for q in range(n):
                    c = credit[n_in + q]
                    if c == 0:
                        continue
                    w = weights[p, q]
                    if live[p, q]:
                        w -= (c * polarities[n_in + q]) * mult
                    weights[p, q] = 0.0 if w < 0.0 else (w_max if w > w_max else w)
    # slide the window by one row
    for j in range(n_all):
        old = 1 if log[i, j] != 0.0 else 0
        new = 1 if log[post, j] != 0.0 else 0
        count[j] += new - old
        credit[j] += (window - 1) * new - count[j]


@njit(cache=True, inline="always")
def _last_window_credit(log, n_steps, window, credit_out):
    """Credit of the last step's window: pre rows ``n_steps-1 .. n_steps+window-3``."""
    for j in range(log.shape[1]):
        credit_out[j] = 0.0
    for r in range(n_steps - 1, n_steps + window - 2):
        for j in range(log.shape[1]):
            if log[r, j] != 0.0:
                credit_out[j] += r - (n_steps - 1)


@njit(cache=True)
def snn_tick_kernel(
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
    work: np.ndarray,
    incoming: np.ndarray,
) -> float:
    """Run ``in_vals.shape[0]`` network steps in place; return the synapse trace after them.

    The arguments are the fields of :mod:`spikey.engine.lif.types`' tuples, flattened;
    they are not checked here (see :func:`spikey.engine.lif.types.check_arguments`).
    """
    n_steps = in_vals.shape[0]
    n_in = polarities.shape[0] - potentials.shape[0]
    window = log.shape[0] - n_steps
    syn_kind = iparams[I_SYNAPSE_KIND]
    lr = sparams[S_LEARNING_RATE]
    trace = sparams[S_TRACE]
    keep_t = 1.0 - sparams[S_TRACE_DECAY]
    w_max = sparams[S_MAX_WEIGHT]
    learn = syn_kind != 0 and window > (2 if syn_kind == RLSTDP else 1)  # else all credit is 0
    spiking = work[0]  # columns that spiked this step, ascending
    cols_sorted = True
    for c in range(1, in_cols.shape[0]):
        if in_cols[c] <= in_cols[c - 1]:
            cols_sorted = False
    sums_kept = iparams.shape[0] > I_SUMS_KEPT and iparams[I_SUMS_KEPT] != 0
    _window_sums(log, window, work[1], work[2], learn, sums_kept)
    for i in range(n_steps):
        row = window + i
        n_spiking = _load_inputs(in_vals, in_cols, i, row, n_in, log, spiking, cols_sorted)
        n_spiking = _fire(i, row, n_in, rand_fire, noise, potentials, timers, schedule,
                          polarities, nparams, iparams, log, spiking, n_spiking)  # fmt: skip
        _integrate(row, log, spiking, n_spiking, weights, potentials, timers, schedule, nparams,
                   incoming)  # fmt: skip
        if learn:
            _learn(i, window, n_in, log, weights, live, polarities, work, syn_kind, lr, trace,
                   w_max)  # fmt: skip
        trace *= keep_t
    if sparams[S_WANT_CREDIT] != 0.0:
        _last_window_credit(log, n_steps, window, credit_out)
    return trace


#: argument names, dtypes and dimensions of the kernel, in order (all C-contiguous arrays)
ARGUMENTS = tuple((name, np.dtype(t).name, d) for name, t, d in _TYPED_ARGUMENTS)

_NUMBA_TYPE = {"float64": "f8", "int64": "i8", "bool": "b1"}


def signature() -> str:
    """The kernel's explicit numba signature (C-contiguous arrays, float64 result).

    Returns
    -------
    str
        The signature string that :func:`build_ahead_of_time` exports.
    """
    dims = {1: "[::1]", 2: "[:, ::1]"}
    return "f8(" + ", ".join(_NUMBA_TYPE[t] + dims[d] for _, t, d in ARGUMENTS) + ")"


def build_ahead_of_time(directory: str, module_name: str) -> str:
    """Compile the kernel into the extension module ``module_name`` (one function,
    ``tick``) in ``directory``; return the file's path. Needs a C compiler.

    Parameters
    ----------
    directory : str
        Where the extension module is written.
    module_name : str
        The module's name (:func:`spikey.engine.lif.loader.module_name`).

    Returns
    -------
    str
        The path of the built extension module.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc announces its own deprecation
        from numba.pycc import CC

        cc = CC(module_name)
        cc.output_dir = directory
        cc.verbose = False
        cc.target_cpu = "host"  # the build is per machine (see spikey.engine.lif.loader)
        cc.export("tick", signature())(snn_tick_kernel.py_func)
        cc.compile()
    return os.path.join(directory, os.path.basename(cc.output_file))
