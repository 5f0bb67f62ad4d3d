"""Compiled tick of the Spikey-compatible network (one numba call per game step).

:func:`snn_tick_kernel` runs ``processing_time`` network steps of leaky
integrate-and-fire neurons with the synapse rule applied every step. Randomness is
drawn by the caller up front and passed in, so this function is deterministic. Its
plain NumPy oracle is :func:`spikey.engine.snn_reference.snn_tick_reference`; the two
agree bit for bit. Callers validate every array (shapes, dtypes, C order) first:
numba does not check bounds.

Arguments (all mutated in place where marked *)
----------------------------------------------
in_vals : float64 (P, k)          signed spikes of the inputs that may fire, each step
in_cols : int64 (k,)              their input columns (other inputs are silent)
rand_fire : bool (P or 0, n)      random firing (Neuron with prob_rand_fire > 0)
noise : float64 (P or 0, n)       potential noise (RandPotential)
potentials* : float64 (n,)
timers* : int64 (n,)              refractory timers
schedule* : float64 (delay+1, n)  scheduled spikes, row 0 leaves now
polarities : float64 (n_in + n,)  +-1 of every presynaptic column
nparams : float64 (5,)            threshold, 1 - potential_decay, resting_mv, magnitude,
                                  refractory potential
iparams : int64 (4 or 5,)         neuron kind (0 Neuron, 1 RandPotential), refractory_period,
                                  spike_delay, synapse kind (0 no per-step learning, 1 LTP,
                                  2 RLSTDP), and optionally 1 when ``work`` still holds the
                                  window sums left by the previous call on the log row before
                                  this one (consecutive one-step calls skip recomputing them)
weights* : float64 (n_in + n, n)
live : bool (n_in + n, n)         existing synapses
log* : float64 (W + P, n_in + n)  rows 0..W-1 hold the previous W steps; rows W.. are written
sparams : float64 (5,)            learning_rate, trace, trace_decay, max_weight, and 1.0 to
                                  fill credit_out
credit_out* : float64 (n_in + n,) when asked: the credit of the last step's window
                                  (what a deferred rule applies at reward time)
work* : int64 (5, n_in + n)       scratch space (rows 1-2 kept between calls, see iparams)
incoming* : float64 (n,)          scratch space (contents ignored)

(Scratch arrays come from the caller, integers come in an int64 array, and clipping is
written out, so that the kernel calls no NumPy allocator, ``int()``, ``min`` or ``max``:
each would be compiled as a function of its own and slow down the first, cold compile.)

Returns the trace after the tick.

Besides the JIT-compiled :func:`snn_tick_kernel`, :func:`build_ahead_of_time` compiles
the same function into a plain extension module (numba's ``pycc``) that loads without
numba; :mod:`spikey.snn.fastpath` builds it once per machine and uses it.
"""

from __future__ import annotations

import os

from numba import njit


@njit(cache=True)
def snn_tick_kernel(
    in_vals,
    in_cols,
    rand_fire,
    noise,
    potentials,
    timers,
    schedule,
    polarities,
    nparams,
    iparams,
    weights,
    live,
    log,
    sparams,
    credit_out,
    work,
    incoming,
):
    n_steps = in_vals.shape[0]
    n_active = in_cols.shape[0]
    n = potentials.shape[0]
    n_all = polarities.shape[0]
    n_in = n_all - n
    window = log.shape[0] - n_steps
    thr = nparams[0]
    keep_v = nparams[1]
    rest = nparams[2]
    mag = nparams[3]
    neuron_kind = iparams[0]
    refractory = iparams[1]
    delay = iparams[2]
    syn_kind = iparams[3]
    refr_mv = nparams[4]
    n_sched = schedule.shape[0]
    has_rand = rand_fire.shape[0] > 0
    has_noise = noise.shape[0] > 0
    lr = sparams[0]
    trace = sparams[1]
    keep_t = 1.0 - sparams[2]
    w_max = sparams[3]
    learn = syn_kind != 0 and window > (2 if syn_kind == 2 else 1)  # else all credit is 0

    spiking = work[0]  # columns that spiked this step, ascending
    count = work[1]  # pre spikes in the window
    credit = work[2]  # sum of k * spike over the window's pre rows
    post_cols = work[3]  # columns that spiked at the window's last (post) row
    post_body = work[4]  # body neurons among them
    cols_sorted = True
    for c in range(1, n_active):
        if in_cols[c] <= in_cols[c - 1]:
            cols_sorted = False
    sums_kept = iparams.shape[0] > 4 and iparams[4] != 0
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

    for i in range(n_steps):
        row = window + i
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
        # who fires now
        for k in range(n):
            if neuron_kind == 1:
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
        # propagate only the spikes that happened
        for k in range(n):
            incoming[k] = 0.0
        for m in range(n_spiking):
            j = spiking[m]
            s = log[row, j]
            for k in range(n):
                incoming[k] += s * weights[j, k]
        # integrate
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
        # plasticity over the window rows i .. i+window-1 (post row = the previous step).
        # Every touched weight gets its potentiation, then its depression, then the clip
        # (the Python rule's order); rows are walked in memory order.
        if learn:
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
                depress = syn_kind == 2
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
        trace *= keep_t
    if sparams[4] != 0.0:
        # credit of the last step's window: pre rows n_steps-1 .. n_steps+window-3
        for j in range(n_all):
            credit_out[j] = 0.0
        for r in range(n_steps - 1, n_steps + window - 2):
            for j in range(n_all):
                if log[r, j] != 0.0:
                    credit_out[j] += r - (n_steps - 1)
    return trace


#: argument names, dtypes and dimensions of the kernel, in order (all C-contiguous arrays)
ARGUMENTS = (
    ("in_vals", "float64", 2),
    ("in_cols", "int64", 1),
    ("rand_fire", "bool", 2),
    ("noise", "float64", 2),
    ("potentials", "float64", 1),
    ("timers", "int64", 1),
    ("schedule", "float64", 2),
    ("polarities", "float64", 1),
    ("nparams", "float64", 1),
    ("iparams", "int64", 1),
    ("weights", "float64", 2),
    ("live", "bool", 2),
    ("log", "float64", 2),
    ("sparams", "float64", 1),
    ("credit_out", "float64", 1),
    ("work", "int64", 2),
    ("incoming", "float64", 1),
)

_NUMBA_TYPE = {"float64": "f8", "int64": "i8", "bool": "b1"}


def signature() -> str:
    """The kernel's explicit numba signature (C-contiguous arrays, float64 result)."""
    dims = {1: "[::1]", 2: "[:, ::1]"}
    return "f8(" + ", ".join(_NUMBA_TYPE[t] + dims[d] for _, t, d in ARGUMENTS) + ")"


def build_ahead_of_time(directory: str, module_name: str) -> str:
    """Compile the kernel into the extension module ``module_name`` (one function,
    ``tick``) in ``directory``; return the file's path. Needs a C compiler."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc announces its own deprecation
        from numba.pycc import CC

        cc = CC(module_name)
        cc.output_dir = directory
        cc.verbose = False
        cc.target_cpu = "host"  # the build is per machine (see spikey.snn.fastpath)
        cc.export("tick", signature())(snn_tick_kernel.py_func)
        cc.compile()
    return os.path.join(directory, os.path.basename(cc.output_file))
