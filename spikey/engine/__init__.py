"""The compiled cores: the Izhikevich engine (``IzhNetwork``) and the LIF tick (``engine.lif``).

``IzhNetwork`` is the network object (see ``docs/engine-api.md``); presets are built by
:func:`spikey.models.izhikevich2007.build`. The names below are loaded on first use, so
``import spikey.engine.lif`` (what a Spikey-compatible network imports) loads no numba.
"""

from __future__ import annotations

import importlib
from typing import Any

#: name -> module that defines it (imported on first access)
_LAZY = {
    "IzhNetwork": "spikey.engine.network",
    "Recording": "spikey.engine.network",
    "Spikes": "spikey.engine.network",
    "DEFAULTS": "spikey.engine.params",
    "NEURON_TYPES": "spikey.engine.params",
    "PRESETS": "spikey.engine.params",
    "resolve": "spikey.engine.params",
}

__all__ = ["DEFAULTS", "IzhNetwork", "NEURON_TYPES", "PRESETS", "Recording", "Spikes", "resolve"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'spikey.engine' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
