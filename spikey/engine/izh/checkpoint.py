"""Checkpoint dicts of an Izhikevich network: version 3 is the engine's state
(``state._asdict()`` less the noise words, which travel as ``noise_state``) plus the time
``t`` and dopamine ``d``; version-2 dicts and files (a dict of engine-dependent keys with ``t``
and ``d`` inside) are converted on loading by the engine's ``from_v2``.
"""

from __future__ import annotations

import os

import numpy as np

from spikey.engine import checkpoint_file
from spikey.engine.connectivity import Synapses, check_table
from spikey.engine.connectivity import engine_error as _bad
from spikey.engine.izh import ENGINES
from spikey.engine.izh.checks import is_int
from spikey.module import ConfigError

VERSION = 3
KEYS = ("params", "mode", "syn", "abcd", "noise_state", "state", "t", "d", "plasticity")
KEYS += ("da_release",)
#: state fields that travel as the checkpoint's ``noise_state``
NOISE_FIELDS = ("noise0", "noise1")


def saved_state(state) -> dict:
    """Copies of the state's arrays (the noise words left out)."""
    return {k: np.array(v) for k, v in state._asdict().items() if k not in NOISE_FIELDS}


def normalized(ck) -> dict:
    """A version-3 checkpoint dict from ``ck``: a dict or file (path) of version 2 or 3.
    Refuses, naming the part, a dict that lacks a part or whose synapses do not fit its own
    network (the kernels index state arrays by their sizes without bounds checks)."""
    if isinstance(ck, (str, os.PathLike)):
        ck = checkpoint_file.load(ck)
    if not isinstance(ck, dict) or ck.get("version") not in (2, VERSION):
        raise _bad("checkpoint", type(ck).__name__, "a dict made by IzhNetwork.checkpoint()")
    if ck["version"] == 2:
        ck = _from_v2(ck)
    missing = [k for k in KEYS if k not in ck]
    if missing:
        raise _bad("checkpoint", f"a dict without {missing}", "a dict made by checkpoint()")
    syn, p = ck["syn"], ck["params"]
    if not isinstance(p, dict):
        raise _bad("checkpoint params", type(p).__name__, "the dict of the network's parameters")
    if not isinstance(syn, Synapses):
        raise _bad("checkpoint syn", type(syn).__name__, "the network's Synapses")
    n = int(p.get("n_exc", 0)) + int(p.get("n_inh", 0))
    try:  # the build's check of a table, named here as the checkpoint's
        check_table(syn, n, syn.max_delay)
    except ConfigError:
        raise _bad(
            "checkpoint syn", f"synapses of another network (n={n})", "its own synapses"
        ) from None
    return ck


def _from_v2(ck: dict) -> dict:
    """A version-2 dict as version 3: the engine converts the state; ``t`` and ``d`` move
    out of it."""
    old = ck.get("state")
    engine = ck.get("engine", ck.get("backend")) or "numba"
    convert = getattr(ENGINES.get(engine), "from_v2", None)
    if not isinstance(old, dict) or convert is None:
        return dict(ck, version=VERSION)  # refused below, naming what is missing
    try:
        state, t, d = convert(old), old["t"], old["d"]
    except KeyError as err:
        raise _bad(
            "checkpoint state", sorted(old), f"a version-2 state of engine {engine!r} ({err})"
        ) from None
    return dict(ck, version=VERSION, state=state, t=t, d=d)


def load_state(state, saved, t, d) -> None:
    """Copy a checkpoint's ``saved`` state (from :func:`saved_state`) into ``state``, in place,
    with dopamine ``d``, after checking its keys, shapes, dtypes and values; and ``t``."""
    fields = [f for f in state._fields if f not in NOISE_FIELDS]
    if not isinstance(saved, dict) or set(saved) != set(fields):
        keys = sorted(saved) if isinstance(saved, dict) else type(saved).__name__
        raise _bad("checkpoint state", keys, f"the keys {sorted(fields)}")
    for key in fields:
        want, got = getattr(state, key), saved[key]
        if not isinstance(got, np.ndarray) or got.shape != want.shape or got.dtype != want.dtype:
            raise _bad(
                f"checkpoint state '{key}'",
                f"shape {getattr(got, 'shape', None)} {getattr(got, 'dtype', type(got).__name__)}",
                f"shape {want.shape} {want.dtype} (another network's state?)",
            )
        if got.dtype.kind == "f" and not np.all(np.isfinite(got)):
            raise _bad(f"checkpoint state '{key}'", "a NaN or inf", "finite values")
    if not is_int(t) or not 0 <= t < 2**62:
        raise _bad("checkpoint t", repr(t), "an integer number of ms in 0..2**62 - 1")
    if not isinstance(d, (int, float, np.number)) or not np.isfinite(d):
        raise _bad("checkpoint d", repr(d), "a finite dopamine level")
    for key in fields:
        np.copyto(getattr(state, key), saved[key])
    state.scal[0] = d
