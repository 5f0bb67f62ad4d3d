"""A spikey network on NEST across MPI ranks: the same spikes and weights as on one rank?

Needs a NEST built with MPI and mpi4py (``docs/nest-mpi.md`` has the recipe). Every rank
builds the same spikey network (``izh.build(preset, seed)``), exports it with
``spikey.export.to_nest`` and runs it; the handle gathers the ranks' spikes and weights.
Rank 0 writes them, with the times, to ``--out``::

    mpirun -np 1 python benchmarks/nest_mpi_check.py --seconds 10 --out one.npz
    mpirun -np 2 python benchmarks/nest_mpi_check.py --seconds 10 --out two.npz
    python benchmarks/nest_mpi_check.py --compare one.npz two.npz

Each run does the frozen network (static synapses; also compared with spikey's own spikes on
rank 0) and the plastic one (``stdp_dopamine_synapse`` with relays). ``--compare`` prints
whether the frozen spikes, the plastic spikes and the plastic weights are identical, and the
Simulate times.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np


def run(args) -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from spikey.export import to_nest
    from spikey.models import izhikevich2007 as izh

    ms = int(args.seconds * 1000)
    out = {}
    frozen = izh.build(args.preset, seed=args.seed, mode="exact")
    frozen.plasticity = False
    handle = to_nest(frozen)
    import nest

    ranks = nest.GetKernelStatus("num_processes")
    rank = nest.Rank()
    sp = handle.run(ms)
    out.update(frozen_t=sp.t, frozen_i=sp.i, frozen_build_s=handle.build_s)
    out["frozen_simulate_s"] = handle.simulate_s
    if rank == 0:
        ours = frozen.run(ms)
        out["frozen_same_as_spikey"] = bool(
            np.array_equal(ours.t, sp.t) and np.array_equal(ours.i, sp.i)
        )
    plastic = izh.build(args.preset, seed=args.seed, mode="exact")
    t0 = time.perf_counter()
    handle = to_nest(plastic)
    build_s = time.perf_counter() - t0
    sp = handle.run(ms)
    w = handle.weights()
    out.update(plastic_t=sp.t, plastic_i=sp.i, plastic_w=w, plastic_build_s=build_s)
    out["plastic_simulate_s"] = handle.simulate_s
    out["ranks"] = ranks
    if rank == 0:
        np.savez(args.out, **out)
        summary = {k: v for k, v in out.items() if np.ndim(v) == 0}
        print(json.dumps(summary))


def compare(a_path, b_path) -> None:
    a, b = np.load(a_path), np.load(b_path)
    for name in ("frozen", "plastic"):
        same = np.array_equal(a[name + "_t"], b[name + "_t"]) and np.array_equal(
            a[name + "_i"], b[name + "_i"]
        )
        print(
            f"{name} spikes ({len(a[name + '_t'])} / {len(b[name + '_t'])}): "
            f"{'identical' if same else 'DIFFERENT'}"
        )
    dw = np.abs(a["plastic_w"] - b["plastic_w"]).max()
    print(f"plastic weights: largest difference {dw:.3g}")
    for f in (a, b):
        print(
            f"{int(f['ranks'])} rank(s): frozen Simulate {float(f['frozen_simulate_s']):.2f} s, "
            f"plastic build {float(f['plastic_build_s']):.2f} s, Simulate "
            f"{float(f['plastic_simulate_s']):.2f} s; frozen = spikey's: "
            f"{bool(f['frozen_same_as_spikey'])}"
        )


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="izhikevich2007-delays")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--out", default="nest_mpi.npz")
    p.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = p.parse_args(argv)
    if args.compare:
        compare(*args.compare)
    else:
        run(args)


if __name__ == "__main__":
    main()
