"""Spiking neuron groups.

``Izhikevich`` (the compiled engine's neurons) is imported on first use, so that
networks of the other parts never load numba.
"""

import importlib

from spikey.snn.neuron import template
from spikey.snn.neuron.escape import EscapeNoise
from spikey.snn.neuron.rand_potential import RandPotential
from spikey.snn.neuron.template import Neuron

__all__ = ["EscapeNoise", "Izhikevich", "Neuron", "RandPotential", "template"]

_LAZY = {"Izhikevich": "spikey.snn.neuron.izhikevich", "izhikevich": None}


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name] or f"{__name__}.{name}")
        return module if _LAZY[name] is None else getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
