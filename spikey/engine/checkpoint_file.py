"""Engine checkpoints on disk: one ``.npz`` of plain arrays plus a JSON header, no pickle.

Format 3 (this version) stores the network's checkpoint of format 3 (``t`` and ``d`` in the
header, the engine's state arrays under ``state/``); files of format 2 (``t``, ``d`` and the
numba engine's ``acc`` and ``pclock`` inside the state) are read too, and converted by
``IzhNetwork.restore``.

A file written by :func:`save` is read back with ``numpy.load(..., allow_pickle=False)``, so
opening a checkpoint someone sent you cannot run code: a pickle (or anything else) in its
place is refused with a :class:`~spikey.module.ConfigError` before anything is unpickled.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import fields

import numpy as np

from spikey.engine.connectivity import Synapses
from spikey.module import ConfigError

FORMAT = "spikey-izh-checkpoint"
VERSION = 3
READABLE = (2, 3)  # file formats :func:`load` reads


def _plain(x):
    """A JSON-safe copy of ``x`` (numpy scalars to Python numbers)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, (bool, int, float, str)) or x is None:
        return x
    raise TypeError(f"checkpoint: cannot store {type(x).__name__} as JSON")


def save(ck: dict, path) -> str:
    """Write the dict of :meth:`IzhNetwork.checkpoint` to ``path`` (``.npz`` is appended when
    missing); returns the path written. Written to a temporary file, then renamed."""
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigError(
            f"izhikevich engine: save_checkpoint path got {path!r:.60}; expected a file path "
            "(str or pathlib.Path)."
        )
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    arrays = {}
    state_meta = {}
    for key, value in ck["state"].items():
        if isinstance(value, np.ndarray):
            arrays[f"state/{key}"] = value
        else:
            state_meta[key] = _plain(value)
    syn = ck["syn"]
    for f in fields(Synapses):
        value = getattr(syn, f.name)
        if isinstance(value, np.ndarray):
            arrays[f"syn/{f.name}"] = value
    arrays["noise_state"] = np.asarray(ck["noise_state"])
    arrays["abcd"] = ck["abcd"]
    arrays["da_release"] = ck["da_release"]
    header = {
        "format": FORMAT,
        "version": VERSION,
        "checkpoint_version": int(ck["version"]),
        "params": _plain(ck["params"]),
        "mode": ck["mode"],
        "engine": ck["engine"],
        "plasticity": bool(ck["plasticity"]),
        "max_delay": int(syn.max_delay),
        "state": state_meta,
        "t": int(ck["t"]),
        "d": float(ck["d"]),
        "arrays": sorted(arrays),
    }
    arrays["header"] = np.array(json.dumps(header))
    tmp = path + ".tmp.npz"
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
    return path


def _refuse(path, why):
    return ConfigError(
        f"izhikevich engine: checkpoint file {os.fspath(path)!r} {why}; expected a .npz file "
        "written by IzhNetwork.save_checkpoint (pickles are never loaded)."
    )


def load(path) -> dict:
    """Read a checkpoint written by :func:`save` into the dict :meth:`IzhNetwork.restore` takes.

    Raises ConfigError for anything else (a pickle, a truncated or foreign file)."""
    try:
        return _load(path)
    except ConfigError:
        raise
    except (TypeError, AttributeError, KeyError) as err:  # a header edited or of another form
        raise _refuse(path, f"has a damaged header ({type(err).__name__}: {err})") from None


def _load(path) -> dict:
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "is not an .npz archive (a pickle or another file?)")
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"][()]))
            if header.get("format") != FORMAT or header.get("version") not in READABLE:
                raise _refuse(path, f"has format {header.get('format')!r} v{header.get('version')}")
            missing = [k for k in header["arrays"] if k not in z.files]
            if missing:
                raise _refuse(path, f"lacks arrays {missing}")
            arrays = {k: z[k] for k in header["arrays"]}
    except ConfigError:
        raise
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, json.JSONDecodeError) as err:
        raise _refuse(path, f"cannot be read ({type(err).__name__}: {err})") from None
    syn_kw = {f.name: arrays[f"syn/{f.name}"] for f in fields(Synapses) if f.name != "max_delay"}
    state = dict(header["state"])
    state.update({k.split("/", 1)[1]: v for k, v in arrays.items() if k.startswith("state/")})
    out = {"t": header["t"], "d": header["d"]} if header["version"] >= 3 else {}
    return out | {
        "version": header["checkpoint_version"],
        "params": header["params"],
        "mode": header["mode"],
        "engine": header["engine"],
        "syn": Synapses(max_delay=header["max_delay"], **syn_kw),
        "abcd": arrays["abcd"],
        "noise_state": arrays["noise_state"],
        "state": state,
        "plasticity": header["plasticity"],
        "da_release": arrays["da_release"],
    }
