"""Old import paths of the original Spikey: ``spikey.input``, ``spikey.weight.template``,
``spikey.network`` ... (it found ``spikey/snn/<x>`` as ``spikey.<x>``).

``import spikey`` installs an import hook that answers every ``spikey.<x>[.<y>]`` with the
module ``spikey.snn.<x>[.<y>]`` itself (no second copy is ever loaded), on first use.
:func:`install_aliases` imports all of them at once.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import spikey

SUBPACKAGES = ("input", "neuron", "synapse", "weight", "readout", "reward")
MODULES = ("modifier", "network")


def install_aliases() -> list[str]:
    """Import every ``spikey.<part>[.<module>]`` alias now (idempotent); return the new ones."""
    made = []
    for name in spikey.SNN_ALIASES:
        real = importlib.import_module(f"spikey.snn.{name}")
        names = [f"spikey.{name}"]
        if hasattr(real, "__path__"):
            names += [f"spikey.{name}.{info.name}" for info in pkgutil.iter_modules(real.__path__)]
        for alias in names:
            if alias not in sys.modules:
                importlib.import_module(alias)
                made.append(alias)
    return made
