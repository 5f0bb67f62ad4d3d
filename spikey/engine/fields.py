"""Gaussian receptive fields: continuous observations as input activities (compiled).

Each observation dimension ``d`` gets ``n_fields`` fields with centres spread evenly over
``[lo_d, hi_d]`` and width ``width * spacing``; a field's activity is
``exp(-(v - c)^2 / (2 sigma^2))``. A conjunctive grid on a pair of dimensions ``(a, b)``
has ``n_conj x n_conj`` fields whose activity is the product of the two 1-D Gaussians, so
it fires for a *combination* of values (e.g. "cart left *and* moving left"), which a
linear readout of 1-D fields cannot express. Values outside the range are clipped to it
(and counted by the caller). Bias inputs fire at the full rate all the time.
:func:`spikey.engine.escape_reference.field_activity` is the plain NumPy statement.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba as nb
import numpy as np


class Fields(NamedTuple):
    """Where the fields sit: per-dimension ranges and the grid layout."""

    lo: np.ndarray  # (n_dims,)
    hi: np.ndarray  # (n_dims,)
    n_fields: int
    width: float
    pairs: tuple  # ((a, b), ...) dimension pairs with conjunctive grids
    n_conj: int
    n_bias: int


def n_inputs(f: Fields) -> int:
    """How many input neurons the fields make."""
    return len(f.lo) * f.n_fields + len(f.pairs) * f.n_conj**2 + f.n_bias


def spike_probabilities(act: np.ndarray, n_steps: int, max_prob: float, code: str) -> np.ndarray:
    """Per-ms spike probabilities (n_steps, n_in) of a window.

    ``code="rate"``: every ms with probability ``max_prob * activity`` (Poisson-like);
    ``code="latency"``: one sure spike at ms ``round((1 - activity) * (n_steps - 1))`` for
    fields with activity >= 0.05 (stronger activity fires earlier), none otherwise.
    """
    if code == "rate":
        return np.broadcast_to(max_prob * act, (n_steps, act.size))
    p = np.zeros((n_steps, act.size))
    on = act >= 0.05
    t = np.rint((1.0 - act[on]) * (n_steps - 1)).astype(np.int64)
    p[t, np.flatnonzero(on)] = 1.0
    return p


def pair_array(f: Fields) -> np.ndarray:
    """The conjunctive pairs as an (n_pairs, 2) int64 array (what the kernel takes)."""
    return np.asarray(f.pairs, dtype=np.int64).reshape(-1, 2)


@nb.njit(cache=True, nogil=True, inline="always")
def _profile(v, lo, hi, k, f, width):
    """Field ``f`` of ``k`` spanning [lo, hi] (one field: centred, sigma the range) at v."""
    if k == 1:
        c, sig = 0.5 * (lo + hi), hi - lo
    else:
        sig = (hi - lo) / (k - 1)
        c = lo + (hi - lo) * (f / (k - 1))
    z = (v - c) / (width * sig)
    return math.exp(-0.5 * z * z)


@nb.njit(cache=True, nogil=True)
def _activity(obs, lo, hi, n_fields, width, pairs, n_conj, n_bias, out):
    n_dims = lo.shape[0]
    clipped = 0
    v = np.empty(n_dims)
    for d in range(n_dims):
        v[d] = min(max(obs[d], lo[d]), hi[d])
        if v[d] != obs[d]:
            clipped += 1
    k = 0
    for d in range(n_dims):
        for f in range(n_fields):
            out[k] = _profile(v[d], lo[d], hi[d], n_fields, f, width)
            k += 1
    g = np.empty((n_dims, n_conj))
    if pairs.shape[0] > 0:
        for d in range(n_dims):
            for f in range(n_conj):
                g[d, f] = _profile(v[d], lo[d], hi[d], n_conj, f, width)
    for q in range(pairs.shape[0]):
        a = pairs[q, 0]
        b = pairs[q, 1]
        for fa in range(n_conj):
            for fb in range(n_conj):
                out[k] = g[a, fa] * g[b, fb]
                k += 1
    for _ in range(n_bias):
        out[k] = 1.0
        k += 1
    return clipped


def activity(f: Fields, obs: np.ndarray, pairs: np.ndarray | None = None, out=None):
    """Compiled :func:`~spikey.engine.escape_reference.field_activity`; ``obs`` must be a finite float64 vector of the
    fields' dimension (checked here). Returns ``(activity, n_clipped)``."""
    obs = np.asarray(obs, dtype=np.float64).ravel()
    if obs.shape != f.lo.shape:
        raise ValueError(f"encoder: the observation has {obs.size} values; expected {f.lo.size}")
    if out is None:
        out = np.empty(n_inputs(f))
    pairs = pair_array(f) if pairs is None else pairs
    n = _activity(obs, f.lo, f.hi, f.n_fields, f.width, pairs, f.n_conj, f.n_bias, out)
    return out, n
