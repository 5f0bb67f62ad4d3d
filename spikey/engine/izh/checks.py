"""Checks of what a user hands an Izhikevich network, before compiled code sees it: each
failure is a ConfigError naming the part, what was given and what is expected."""

from __future__ import annotations

import numpy as np

from spikey.engine.connectivity import engine_error as _bad
from spikey.engine.connectivity import whole_floats

#: largest |dopamine| one reward pulse or one spike's release may add (0.5 is the paper's
#: reward); keeps the kernels' accumulator far from overflow
DA_LIMIT = 1e6
EMPTY_STIM = (np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0))
EMPTY_REW = (np.zeros(0, np.int64), np.zeros(0))


def describe(x) -> str:
    """A short description of a value a user gave (its repr, cut to 60 characters)."""
    text = repr(x)
    return text if len(text) <= 60 else f"{type(x).__name__} {text[:50]}..."


def float_array(x, what, expected) -> np.ndarray:
    """``x`` as a float64 array, or an error naming ``what`` (None, strings and ragged nests
    are refused here, not turned into NaN or a numpy error)."""
    try:
        a = np.asarray(x)
        if a.dtype.kind == "O":  # float(None) raises, where numpy would make it NaN
            a = np.array([float(v) for v in a.ravel()]).reshape(a.shape)
        if a.dtype.kind not in "biuf":
            raise TypeError
        return a.astype(np.float64)
    except (TypeError, ValueError):
        raise _bad(what, describe(x), expected) from None


def int_array(x, what) -> np.ndarray:
    """``x`` as a 1-D int64 array (whole-valued floats accepted), or an error naming ``what``."""
    try:
        a = np.atleast_1d(np.asarray(x))
    except ValueError:  # a ragged nest of lists
        raise _bad(what, describe(x), "a 1-D array") from None
    if a.ndim != 1:
        raise _bad(what, f"shape {a.shape}", "a 1-D array")
    if a.size and not np.issubdtype(a.dtype, np.integer) and not whole_floats(a):
        raise _bad(what, f"dtype {a.dtype}", "integer ms / indices")
    return a.astype(np.int64)


def is_int(x) -> bool:
    """Whether ``x`` is an integer (Python or numpy), not a bool."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def duration(value) -> int:
    """A run's length in ms: an integer >= 0."""
    if not is_int(value) or value < 0:
        raise _bad("run duration_ms", repr(value), "an integer number of ms >= 0")
    return int(value)


def _in_window(t, duration_ms, what) -> None:
    if t.min() < 0 or t.max() >= duration_ms:
        window = f"times in 0..{duration_ms - 1}" if duration_ms else "no times (a 0 ms run)"
        raise _bad(what, f"{t[(t < 0) | (t >= duration_ms)][0]} ms", f"{window} (relative to now)")


def _events(value, what, form) -> None:
    """Refuse a list of event tuples, which would be read column-wise as (t, ...) arrays:
    ``[(1, 0, 5.0), (2, 1, 5.0), (3, 2, 5.0)]`` is three events, not t = (1, 0, 5)."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        raise _bad(
            what,
            f"a list of {len(value)} tuples ({describe(value)})",
            f"{form}: one array per field, not one tuple per event "
            "(zip(*events) turns the one into the other)",
        )


def stimuli(value, duration_ms, n):
    """``(t, neuron, amount)`` sorted by time (int64, int32, float64), from a run's stimuli."""
    if value is None:
        return EMPTY_STIM
    _events(value, "run stimuli", "a tuple (t, neuron, amount) of arrays")
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise _bad("run stimuli", type(value).__name__, "a tuple (t, neuron, amount) of arrays")
    t = int_array(value[0], "run stimuli t")
    i = int_array(value[1], "run stimuli neuron")
    a = float_array(value[2], "run stimuli amount", "finite amounts (mV), a number or an array")
    a = np.broadcast_to(a, t.shape).copy() if a.ndim == 0 else a
    if not (t.shape == i.shape == a.shape):
        raise _bad(
            "run stimuli",
            f"shapes {t.shape}, {i.shape}, {a.shape}",
            "three 1-D arrays of one length",
        )
    if t.size == 0:
        return EMPTY_STIM
    _in_window(t, duration_ms, "run stimuli t")
    if i.min() < 0 or i.max() >= n:
        raise _bad(
            "run stimuli neuron", f"{i[(i < 0) | (i >= n)][0]}", f"neuron indices in 0..{n - 1}"
        )
    if not np.all(np.isfinite(a)):
        raise _bad("run stimuli amount", "a non-finite value", "finite amounts (mV)")
    order = np.argsort(t, kind="stable")
    return t[order], i[order].astype(np.int32), a[order]


def rewards(value, duration_ms, amount):
    """``(t, amount)`` sorted by time, from a run's rewards (times alone get ``amount``)."""
    if value is None:
        return EMPTY_REW
    _events(value, "run rewards", "times t, or a tuple (t, amount) of arrays")
    if isinstance(value, (tuple, list)) and len(value) == 2 and np.ndim(value[0]) == 1:
        t = int_array(value[0], "run rewards t")
        a = float_array(value[1], "run rewards amount", "dopamine amounts, a number or an array")
        a = np.broadcast_to(a, t.shape).copy() if a.ndim == 0 else a
    else:
        t = int_array(value, "run rewards t")
        a = np.full(t.shape, float(amount))
    if t.shape != a.shape:
        raise _bad(
            "run rewards", f"shapes {t.shape} and {a.shape}", "(t, amount) arrays of one length"
        )
    if t.size == 0:
        return EMPTY_REW
    _in_window(t, duration_ms, "run rewards t")
    bad = ~(np.abs(a) <= DA_LIMIT)  # NaN, inf or absurdly large
    if bad.any():
        raise _bad(
            "run rewards amount",
            f"{a[bad][0]!r} at t = {t[bad][0]} ms",
            f"finite dopamine amounts, |amount| <= {DA_LIMIT:g} (a negative amount is a "
            "dip below baseline)",
        )
    order = np.argsort(t, kind="stable")
    return t[order], a[order]


def synapse_index(idx, what, count) -> np.ndarray:
    """``idx`` as int64 indices of ``count`` synapses, or an error naming ``what``."""
    arr = np.atleast_1d(np.asarray(idx))
    if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
        raise _bad(
            what, f"{arr.dtype} array of shape {arr.shape}", "a 1-D array of synapse indices"
        )
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= count):
        bad = arr[(arr < 0) | (arr >= count)][0]
        raise _bad(what, f"index {bad}", f"synapse indices in 0..{count - 1}")
    return arr


def weight_values(values, idx, plastic, w_min, w_max) -> np.ndarray:
    """``values`` for synapses ``idx`` (broadcast), finite, and within [w_min, w_max] where
    ``plastic``."""
    vals = float_array(values, "set_weights values", "weights, a number or one per index")
    if vals.ndim > 1 or vals.size not in (1, idx.size):
        raise _bad(
            "set_weights values", f"shape {vals.shape}", f"a number or shape ({idx.size},) like idx"
        )
    vals = np.broadcast_to(vals.reshape(-1), idx.shape).copy()
    if not np.all(np.isfinite(vals)):
        raise _bad("set_weights values", "a non-finite value", "finite weights")
    bad = plastic[idx] & ((vals < w_min) | (vals > w_max))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise _bad(
            "set_weights values",
            f"{vals[k]} for plastic synapse {idx[k]}",
            f"weights in [w_min, w_max] = [{w_min}, {w_max}]",
        )
    return vals


def da_release(values, n) -> np.ndarray:
    """Per-neuron dopamine releases from a scalar or ``n`` values, finite and bounded."""
    arr = float_array(values, "da_release", f"a number or one per neuron, shape ({n},)")
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise _bad("da_release", f"shape {arr.shape}", f"one value per neuron, shape ({n},)")
    bad = ~(np.abs(arr) <= DA_LIMIT)
    if bad.any():
        raise _bad(
            "da_release",
            f"{arr[bad][0]!r} for neuron {int(np.flatnonzero(bad)[0])}",
            f"finite values, |value| <= {DA_LIMIT:g} (negative: each spike lowers dopamine)",
        )
    return arr.copy()


def noise_state(value, n: int) -> np.ndarray:
    """``value`` as the noise state of ``n`` neurons, or a ConfigError saying why not."""
    arr = np.asarray(value)
    if arr.shape != (2, n + 1) or arr.dtype != np.uint64:
        raise _bad(
            "noise_state", f"{arr.dtype} array of shape {arr.shape}", f"uint64, shape (2, {n + 1})"
        )
    if np.any((arr[0] == 0) & (arr[1] == 0)):
        raise _bad("noise_state", "a generator with an all-zero state", "non-zero columns")
    return arr


def finite(v, u, params, stim, t) -> None:
    """Raise if v or u left the finite range (inputs too large for the Euler steps)."""
    if np.isfinite(v.sum() + u.sum()):  # a NaN or inf propagates into the sum
        return
    if np.isfinite(v).all() and np.isfinite(u).all():  # huge, but finite
        return
    largest = float(np.max(np.abs(stim[2]))) if stim[2].size else 0.0
    raise _bad(
        "noise_amp / thalamic_amp / stimuli",
        f"noise_amp={params['noise_amp']!r}, thalamic_amp={params['thalamic_amp']!r}, largest "
        f"stimulus {largest!r} mV (v or u diverged to NaN or inf by t = {t} ms)",
        "inputs the model's 0.5 ms Euler steps can follow: background amplitudes of at "
        "most about 200 mV",
    )
