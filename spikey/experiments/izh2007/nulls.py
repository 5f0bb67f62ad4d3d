"""Deprecated alias: the nulls' data moved to :mod:`spikey.experiments.izh2007.null_store`
and the tool that measures them to :mod:`spikey.nulls` (``python -m spikey.nulls``); this
path goes in the next release."""

import sys
import warnings

from spikey.experiments.izh2007.null_store import (  # noqa: F401
    EFFECT_METRICS,
    FROM_PLAN,
    NULL_OF,
    PATH,
    RUNS,
    THRESHOLDS,
    load,
    null_for,
    summary,
)
from spikey.nulls import collect, collect_rundir, effect, main, measure  # noqa: F401

warnings.warn(
    "spikey.experiments.izh2007.nulls is now spikey.experiments.izh2007.null_store (the "
    "data) and spikey.nulls (the tool, python -m spikey.nulls); the old path goes in the "
    "next release.",
    DeprecationWarning,
    stacklevel=2,
)

if __name__ == "__main__":
    sys.exit(main())
