"""512-bit vectors or not: the lazy kernel compiled with ``njit_wide`` against the same
function compiled with plain ``njit``, interleaved in one process, on both paper presets.

Run: ``python benchmarks/bench_wide.py [--seconds 20] [--repeats 7]``

Prints each variant's median real-time factor (CPU time) and the ratio wide / plain. On a CPU
without AVX-512 the two compile to the same code and the ratio is 1 within noise.
"""

from __future__ import annotations

import argparse
import statistics
import time

from numba import njit

from spikey.engine import kernels
from spikey.engine.wide import njit_wide
from spikey.models import izhikevich2007 as izh

PRESETS = ("izhikevich2007", "izhikevich2007-delays")


def _variants():
    fn = kernels.izh_run_lazy.py_func
    return {
        "plain": njit(_nrt=False)(fn),
        "wide": njit_wide(_nrt=False)(fn),
    }


def _timed_run(preset, kernel, ms):
    net = izh.build(preset, seed=0, mode="exact")
    original = kernels.izh_run_lazy
    kernels.izh_run_lazy = kernel  # the network looks the kernel up at each call
    try:
        t = time.process_time()
        net.run(ms)
        return time.process_time() - t
    finally:
        kernels.izh_run_lazy = original


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args(argv)
    ms = int(args.seconds * 1000)
    variants = _variants()
    for preset in PRESETS:
        for kernel in variants.values():  # compile and warm up
            _timed_run(preset, kernel, 50)
        times = {name: [] for name in variants}
        for _ in range(args.repeats):
            for name, kernel in variants.items():
                times[name].append(_timed_run(preset, kernel, ms))
        speed = {name: args.seconds / statistics.median(t) for name, t in times.items()}
        print(
            f"{preset}: plain {speed['plain']:.0f}x, wide {speed['wide']:.0f}x real time "
            f"(CPU, medians of {args.repeats}); wide / plain {speed['wide'] / speed['plain']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
