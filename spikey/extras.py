"""Optional dependencies, imported in one place that names the extra to install.

spikey runs on numpy, numba, matplotlib, tqdm and cloudpickle. Ray, Optuna and gymnasium
are extras: a module that needs one calls :func:`require` where it is used, so
``import spikey`` never pays for them and a missing one is a clear message, not an
ImportError from deep inside.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: module -> the pip extra that installs it
EXTRAS = {"ray": "ray", "optuna": "ray", "gymnasium": "gym"}


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message names the extra."""


def require(module: str, purpose: str, instead: str = "") -> ModuleType:
    """Import ``module`` (e.g. ``"ray"``, ``"ray.tune"``, ``"optuna"``) or raise MissingExtra.

    Parameters
    ----------
    purpose : str
        What needs it, for the message ("the 'ray' backend").
    instead : str, optional
        What the user can do without it ("use --backend process").
    """
    top = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ImportError as err:
        extra = EXTRAS.get(top)
        how = f"pip install 'spikey-snn[{extra}]'" if extra else f"pip install {top}"
        raise MissingExtra(
            f"{top} is not installed; {purpose} needs it: {how}"
            + (f" (or {instead})" if instead else "")
        ) from err
