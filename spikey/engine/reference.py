"""Deprecated location of the NumPy oracle: it is :mod:`spikey.engine.izh.reference` now
(``advance(model, state, t0, n_ms, plastic_on, io, bounds)`` on the typed state; the old
``run(net, ...)`` on the network's dict is gone with that dict). Kept one release."""

import warnings

from spikey.engine.izh.reference import *  # noqa: F403
from spikey.engine.izh.reference import __all__  # noqa: F401

warnings.warn(
    "spikey.engine.reference moved to spikey.engine.izh.reference",
    DeprecationWarning,
    stacklevel=2,
)
