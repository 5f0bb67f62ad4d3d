"""Deprecated alias of :mod:`spikey.engine.lif.kernel` (the LIF tick moved there); it goes
in the next release."""

import warnings

from spikey.engine.lif.kernel import ARGUMENTS, build_ahead_of_time, signature, snn_tick_kernel

warnings.warn(
    "spikey.engine.snn_kernel moved to spikey.engine.lif.kernel (the tick's arguments as "
    "typed tuples: spikey.engine.lif.types); the old path goes in the next release.",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["ARGUMENTS", "build_ahead_of_time", "signature", "snn_tick_kernel"]
