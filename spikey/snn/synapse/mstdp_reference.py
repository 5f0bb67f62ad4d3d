"""Florian's (2007) MSTDP and MSTDPET written out as plain loops: the oracle for
:mod:`spikey.snn.synapse.mstdp`.

One scalar recurrence per synapse and step, exactly the equations in that module's
docstring, with no vectorisation, masks or shared state, so that it can be read against the
paper line by line. Slow; for tests and the ``florian2007.fig1`` experiment.
"""

from __future__ import annotations

import math

import numpy as np


def florian_reference(
    spikes,
    rewards,
    w0,
    learning_rate: float,
    tau_plus: float = 20.0,
    tau_minus: float = 20.0,
    a_plus: float = 1.0,
    a_minus: float = -1.0,
    tau_z: float | None = None,
    n_inputs: int = 0,
    polarities=None,
    live=None,
    bounds=None,
) -> dict:
    """Run MSTDP (``tau_z`` None) or MSTDPET over a spike raster; return every trace.

    Parameters
    ----------
    spikes : array (T, n_inputs + n_neurons)
        Nonzero where a neuron spiked at step t (columns: inputs, then the body).
    rewards : array (T,)
        ``rewards[t]`` is r(t + 1), the reward applied right after step t's spikes.
    w0 : array (n_inputs + n_neurons, n_neurons)
        Initial weights, ``w0[j, i]`` for the synapse from column j to body neuron i.
    polarities : array (n_inputs + n_neurons,), optional
        Sign of each presynaptic column (default all +1); it multiplies the weight change.
    live : bool array like ``w0``, optional
        Which synapses exist (default all); an absent one keeps its weight.
    bounds : (low, high), optional
        Clip every weight into [low, high] after each step, as a Spikey weight object's
        ``clip()`` does (default: no clipping; the equations have none).

    Returns
    -------
    dict
        ``w`` (T + 1, pre, post): weights before step 0 and after each step's reward;
        ``pre_trace`` (T, pre), ``post_trace`` (T, post), ``zeta`` and ``z`` (T, pre, post).
        Clipped only when ``bounds`` is given.
    """
    f = np.asarray(spikes) != 0
    steps, n_pre = f.shape
    n_post = n_pre - n_inputs
    pol = np.ones(n_pre) if polarities is None else np.asarray(polarities, dtype=float)
    exists = np.ones((n_pre, n_post), bool) if live is None else np.asarray(live, dtype=bool)
    decay_plus, decay_minus = math.exp(-1.0 / tau_plus), math.exp(-1.0 / tau_minus)
    decay_z = math.exp(-1.0 / tau_z) if tau_z is not None else 0.0
    w = np.array(w0, dtype=float)
    out = {
        "w": np.zeros((steps + 1, n_pre, n_post)),
        "pre_trace": np.zeros((steps, n_pre)),
        "post_trace": np.zeros((steps, n_post)),
        "zeta": np.zeros((steps, n_pre, n_post)),
        "z": np.zeros((steps, n_pre, n_post)),
    }
    out["w"][0] = w
    p_plus = [0.0] * n_pre
    p_minus = [0.0] * n_post
    z = [[0.0] * n_post for _ in range(n_pre)]
    for t in range(steps):
        for j in range(n_pre):
            p_plus[j] = p_plus[j] * decay_plus + (a_plus if f[t, j] else 0.0)
        for i in range(n_post):
            p_minus[i] = p_minus[i] * decay_minus + (a_minus if f[t, n_inputs + i] else 0.0)
        r = float(rewards[t])
        for j in range(n_pre):
            for i in range(n_post):
                zeta = p_plus[j] * f[t, n_inputs + i] + p_minus[i] * f[t, j]
                if tau_z is not None:
                    z[j][i] = z[j][i] * decay_z + zeta / tau_z
                if exists[j, i]:
                    w[j, i] += learning_rate * r * (zeta if tau_z is None else z[j][i]) * pol[j]
                out["zeta"][t, j, i] = zeta
                out["z"][t, j, i] = z[j][i]
        if bounds is not None:
            for j in range(n_pre):
                for i in range(n_post):
                    w[j, i] = min(max(w[j, i], bounds[0]), bounds[1])
        out["pre_trace"][t] = p_plus
        out["post_trace"][t] = p_minus
        out["w"][t + 1] = w
    return out
