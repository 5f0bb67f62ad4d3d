"""Deprecated alias of :mod:`spikey.engine.lif.reference` (the LIF tick's NumPy oracle
moved there); it goes in the next release."""

import warnings

from spikey.engine.lif.reference import propagate, snn_tick_reference

warnings.warn(
    "spikey.engine.snn_reference moved to spikey.engine.lif.reference; the old path goes "
    "in the next release.",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["propagate", "snn_tick_reference"]
