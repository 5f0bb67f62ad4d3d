"""spikey beside Brian2 ``cpp_standalone`` on the same exported network (kept for old links).

This used to write its own Brian2 network with Euler integration, which is not the paper's
half-step scheme, so it compared different models. It now runs the Brian2 rows of
``compare_simulators.py``, whose Brian2 network is ``spikey.export.to_brian2(net)``: the
paper's two half-steps, spikey's delays, input and plasticity rule (frozen weights spike for
spike with spikey). Brian2 needs numpy < 2.3 and runs from its own environment::

    python -m venv /work/b2venv
    /work/b2venv/bin/pip install "numpy<2.3" brian2 numba tqdm matplotlib cloudpickle
    /work/b2venv/bin/pip install --no-deps -e .
    python benchmarks/compare_brian2.py --seconds 10

Arguments are those of ``compare_simulators.py``.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compare_simulators import main  # noqa: E402

if __name__ == "__main__":
    main(["--only", "spikey,brian2", *sys.argv[1:]])
