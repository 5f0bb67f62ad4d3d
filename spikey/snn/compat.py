"""Old import paths of the original Spikey: ``spikey.input``, ``spikey.weight.template``,
``spikey.network`` ... (it found ``spikey/snn/<x>`` as ``spikey.<x>``).

:func:`install_aliases` registers every ``spikey.snn.<x>[.<y>]`` module also as
``spikey.<x>[.<y>]`` in ``sys.modules`` and as attributes of ``spikey``, so both spellings
give the very same module and classes (no second copy is ever loaded).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import spikey
import spikey.snn as snn

SUBPACKAGES = ("input", "neuron", "synapse", "weight", "readout", "reward")
MODULES = ("modifier", "network")


def install_aliases():
    """Make ``spikey.<part>`` name ``spikey.snn.<part>`` (idempotent); returns the new aliases.

    Meant to be called from ``spikey/__init__.py``; names already taken are left alone."""
    made = []
    for name in SUBPACKAGES + MODULES:
        module = importlib.import_module(f"spikey.snn.{name}")
        pairs = [(f"spikey.{name}", module)]
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__):
                sub = importlib.import_module(f"spikey.snn.{name}.{info.name}")
                pairs.append((f"spikey.{name}.{info.name}", sub))
        for alias, mod in pairs:
            if alias not in sys.modules:
                sys.modules[alias] = mod
                made.append(alias)
        if getattr(spikey, name, module) is module:
            setattr(spikey, name, module)
    for name in snn.__all__:
        if name != "spikey" and not hasattr(spikey, name):
            setattr(spikey, name, getattr(snn, name))
    return made
