"""Build-to-build spread: the same seed's network built again and again, each run for a while.

Run: ``python benchmarks/bench_builds.py [--builds 30] [--seconds 15] [--preset ...]``

Every build is the same network (same seed, same spikes), so its speed should not depend on
the build. It did: before the update's arrays were laid out as ``kernels.lanes``, one build in
three ran 2.4x slower (4K aliasing between where numpy had put v and I). This prints the
real-time factors (CPU time) sorted, and min / median / max: a bimodal list means the layout
matters again. Unrelated builds (other numpy arrays of random sizes) are allocated between
builds so that the allocator does not repeat one layout.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from spikey.models import izhikevich2007 as izh


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--builds", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--preset", default="izhikevich2007-delays")
    ap.add_argument("--mode", default="stepped", choices=["stepped", "exact"])
    args = ap.parse_args(argv)
    izh.build(args.preset, mode=args.mode, n_exc=8, n_inh=2, syn_per_neuron=5).run(20)
    rng = np.random.default_rng(1)
    keep, speeds = [], []
    for _ in range(args.builds):
        keep.append(np.empty(int(rng.integers(1, 5000))))  # shift the allocator
        net = izh.build(args.preset, seed=0, mode=args.mode)
        t = time.process_time()
        net.run(int(args.seconds * 1000))
        speeds.append(args.seconds / (time.process_time() - t))
    speeds.sort()
    print(f"{args.preset} ({args.mode}), {args.builds} builds of seed 0, {args.seconds:g} s each:")
    print("  " + " ".join(f"{s:.0f}" for s in speeds))
    print(
        f"  min {speeds[0]:.0f}x, median {statistics.median(speeds):.0f}x, max {speeds[-1]:.0f}x "
        f"real time (CPU); min / median {speeds[0] / statistics.median(speeds):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
