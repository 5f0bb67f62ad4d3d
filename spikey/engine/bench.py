"""Deprecated alias of :mod:`spikey.bench` (the ``spikey bench`` command moved beside
``spikey.cli`` and ``spikey.replicate``: a command may import ``models``, the engine may
not); it goes in the next release."""

import warnings

from spikey.bench import add_arguments, main, measure, nest_figures, peak_rss_mb, rss_mb

warnings.warn(
    "spikey.engine.bench moved to spikey.bench; the old path goes in the next release.",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["add_arguments", "main", "measure", "nest_figures", "peak_rss_mb", "rss_mb"]
