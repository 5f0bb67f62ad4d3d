"""Weight matrices.

``DelayedSparse`` (the compiled Izhikevich engine's synapses) is imported on first use, so
that networks of the other parts never load numba.
"""

import importlib

from spikey.snn.weight import template
from spikey.snn.weight.manual import Manual
from spikey.snn.weight.random import Random
from spikey.snn.weight.template import Weight

__all__ = ["DelayedSparse", "Manual", "Random", "Weight", "template"]

_LAZY = {"DelayedSparse": "spikey.snn.weight.delayed", "delayed": None}


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name] or f"{__name__}.{name}")
        return module if _LAZY[name] is None else getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
