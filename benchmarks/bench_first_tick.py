"""First ``tick()`` of the seed notebook's network in a fresh process, numba cache warm.

    python benchmarks/bench_first_tick.py [--repeats 7]

Each run is a new Python process that imports spikey, builds the classical-conditioning
network (``bench_seed_classical.build``), resets it and times its first and second tick.
One unmeasured run first fills the cache. Also measured, each in fresh processes: the
floor numba itself sets (importing numba, then the first call of a trivial cached
function) and the time ``import spikey.snn`` takes. Prints medians; the goal is a first
tick of at most 0.15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

FIRST_TICK = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {here!r})
import bench_seed_classical as b
game, model = b.build()
t1 = time.perf_counter()
model.reset()
state = game.reset()
t2 = time.perf_counter()
model.tick(state)
t3 = time.perf_counter()
model.tick(state)
t4 = time.perf_counter()
print(json.dumps({{"import_build": t1 - t0, "first": t3 - t2, "second": t4 - t3,
                   "numba_loaded_before_tick": "numba" in sys.modules}}))
"""

NUMBA_FLOOR = """
import json, os, sys, time
sys.path.insert(0, {cache!r})
t0 = time.perf_counter()
import numba
t1 = time.perf_counter()
import floor_fn
t2 = time.perf_counter()
floor_fn.f(1.0)
t3 = time.perf_counter()
print(json.dumps({{"import_numba": t1 - t0, "first_call": t3 - t2}}))
"""

FLOOR_MODULE = """
from numba import njit

@njit(cache=True)
def f(x):
    return x + 1.0
"""


def _fresh(code: str, env=None) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))

    code = FIRST_TICK.format(here=HERE)
    _fresh(code, env)  # fill the cache
    runs = [_fresh(code, env) for _ in range(args.repeats)]
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "floor_fn.py"), "w") as f:
            f.write(FLOOR_MODULE)
        floor_code = NUMBA_FLOOR.format(cache=tmp)
        _fresh(floor_code, env)
        floors = [_fresh(floor_code, env) for _ in range(args.repeats)]

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    first, second = med(runs, "first"), med(runs, "second")
    print(f"first tick   : median {first:.4f} s over {len(runs)} fresh processes "
          f"(min {min(r['first'] for r in runs):.4f})")  # fmt: skip
    print(f"second tick  : median {second:.4f} s")
    print(f"import+build : median {med(runs, 'import_build'):.4f} s "
          f"(numba imported before the first tick: {runs[0]['numba_loaded_before_tick']})")  # fmt: skip
    print(f"numba floor  : import numba {med(floors, 'import_numba'):.4f} s, first call of a "
          f"trivial cached function {med(floors, 'first_call'):.4f} s")  # fmt: skip
    print(f"first-tick overhead over a warm tick: {first - second:.4f} s; "
          f"goal first tick <= 0.15 s: {'met' if first <= 0.15 else 'NOT met'} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
