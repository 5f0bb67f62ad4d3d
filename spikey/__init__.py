"""spikey: spiking neural networks that learn from reward.

``from spikey.snn import *`` gives the Spikey-compatible network API; ``spikey.run`` runs
registered experiments over seeds; ``spikey.engine`` is the compiled Izhikevich core.

``import spikey`` is light: it loads :mod:`spikey.module` and :mod:`spikey.saving` only.
Everything else, including the original Spikey's shortcuts, is imported on first use (module ``__getattr__`` and an
import hook), so numba and Ray load only when a part that needs them is used:

- ``spikey.games``, ``spikey.viz``, ``spikey.snn``, ``spikey.engine``, ``spikey.runner``,
  ``spikey.experiments`` ...: the subpackages;
- ``spikey.input``, ``spikey.neuron``, ``spikey.synapse``, ``spikey.weight``,
  ``spikey.readout``, ``spikey.reward``, ``spikey.modifier``, ``spikey.network`` (and their
  submodules, e.g. ``spikey.weight.template``): the very same modules as ``spikey.snn.<x>``;
- ``spikey.Network``, ``spikey.RLNetwork``, ``spikey.ActiveRLNetwork``, ``spikey.Modifier``,
  ``spikey.LinearDecay``, ``spikey.DropOff``: the network classes;
- ``spikey.RL``: the games package (the original tutorial's ``spikey.RL.Logic``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from typing import Any

from spikey.module import Key, Module
from spikey.saving import load, save
from spikey.version import __version__  # one place for it: the run directory reads it too

#: the original's ``spikey.<x>`` spellings of ``spikey.snn.<x>``
SNN_ALIASES = ("input", "neuron", "synapse", "weight", "readout", "reward", "modifier", "network")
#: other short names: alias -> real module
OTHER_ALIASES = {"RL": "spikey.games"}
#: names of ``spikey.snn`` offered as ``spikey.<name>``
SNN_NAMES = ("Network", "RLNetwork", "ActiveRLNetwork", "Modifier", "LinearDecay", "DropOff")
#: subpackages and modules loaded on attribute access
SUBMODULES = (
    "games",
    "viz",
    "snn",
    "engine",
    "runner",
    "experiments",
    "models",
    "replicate",
    "cli",
    "progress",
)


def run(*args: Any, **kwargs: Any) -> dict:
    """Run a registered experiment over seeds (see :func:`spikey.runner.run`)."""
    from spikey.runner import run as _run  # lazy: `import spikey` loads no runner or experiments

    return _run(*args, **kwargs)


def _real_name(alias: str) -> str | None:
    """``spikey.synapse.rlstdp`` -> ``spikey.snn.synapse.rlstdp``; None if not an alias."""
    parts = alias.split(".")
    if len(parts) < 2 or parts[0] != "spikey":
        return None
    if parts[1] in SNN_ALIASES:
        return ".".join(["spikey", "snn"] + parts[1:])
    if parts[1] in OTHER_ALIASES:
        return ".".join([OTHER_ALIASES[parts[1]]] + parts[2:])
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands out an already imported module under a second name (no second copy)."""

    def __init__(self, module):
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        module.__spec__ = self.spec  # importlib set the alias spec; keep the real one


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``spikey.<alias>[...]`` by importing the real module (see :data:`SNN_ALIASES`)."""

    def find_spec(self, fullname, path=None, target=None):
        real = _real_name(fullname)
        if real is None:
            return None
        try:
            module = importlib.import_module(real)
        except ModuleNotFoundError as err:
            if err.name == real:
                return None
            raise
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(module), is_package=hasattr(module, "__path__")
        )


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())  # before the path finder, which would load a copy


def __getattr__(name: str):
    if name in SNN_ALIASES or name in OTHER_ALIASES or name in SUBMODULES:
        return importlib.import_module(f"spikey.{name}")
    if name in SNN_NAMES:
        value = getattr(importlib.import_module("spikey.snn"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'spikey' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(SNN_ALIASES) | set(OTHER_ALIASES) | set(SNN_NAMES))


__all__ = ["Key", "Module", "load", "run", "save", "__version__"]
