"""Saving and loading spikey modules (networks, parts, games) with pickle.

``spikey.save(network, path)`` and ``spikey.load(path)``, as in the original Spikey. Only
load files you trust: unpickling runs code.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from spikey.module import Module


class NotAModuleError(TypeError, ValueError):
    """:func:`load` found something other than a spikey Module in the file.

    A ``ValueError`` as in the original Spikey (code written for it catches that) and a
    ``TypeError`` (what was found has the wrong type)."""


def save(
    module: Module,
    filename: str | os.PathLike,
    pickle_module: Any = pickle,
    pickle_protocol: int = pickle.HIGHEST_PROTOCOL,
) -> None:
    """Pickle a spikey module (network, part, game) to ``filename``."""
    with open(filename, "wb") as file:
        pickle_module.dump(module, file, protocol=pickle_protocol)


def load(filename: str | os.PathLike, pickle_module: Any = pickle) -> Module:
    """Load a module written by :func:`save`. Only load files you trust (pickle runs code)."""
    with open(filename, "rb") as file:
        try:
            module = pickle_module.load(file)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError) as err:
            raise ValueError(
                f"{filename} is not a complete saved module ({type(err).__name__}: {err}); "
                "expected a file written by spikey.save."
            ) from None
    if not isinstance(module, Module):
        raise NotAModuleError(
            f"{filename} holds a {type(module).__name__}; expected a spikey Module "
            "(a file written by spikey.save)."
        )
    return module
