"""The speed table: one spikey network on spikey, NEST and Brian2, side by side in one run.

The network is a preset built by spikey (default the plastic delays preset, seed 0) and
exported with ``spikey.export``: the same neurons, synapses, delays, weights and replayed input
in every simulator. Rows:

- spikey, exact and stepped plasticity, one thread;
- NEST (``pip install 'spikey-snn[crosscheck]'``), 1 and 2 threads, each in its own process
  with ``OMP_WAIT_POLICY=PASSIVE`` (spinning OpenMP threads collapse on a busy machine); the
  time is ``nest.Simulate`` alone (building, replaying the input and loading its generators
  apart); its plastic rule is NEST's ``stdp_dopamine_synapse`` (docs/cross-simulator.md),
  with the relays that make its pairings follow spikey's, and once more (1 thread) with
  NEST's own, dendritic, delays: the relays' 15 200 parrot neurons cost NEST ~5x;
- Brian2 ``cpp_standalone`` when its environment exists (``--brian2-python``, default
  /work/b2venv/bin/python; Brian2 needs numpy < 2.3, see docs/cross-simulator.md); compile
  time apart; it runs spikey's own rule in the network's mode (exact).

Each simulator also runs the network with frozen weights and its spikes are compared with
spikey's, spike for spike ("parity" column); the plastic runs are compared by rate, mean
excitatory weight and the KS distance of the weights. Prints x real time (model s per wall s),
and spikey exact's speed over each row's, per core (a row's wall time times its threads); and
the same from CPU seconds (all threads, and the compiled Brian2 program), the figure that
holds on a shared, loaded machine.

    python benchmarks/compare_simulators.py --seconds 10

``--json`` ends with one JSON line of all rows. ``--parity`` prints instead the plastic
agreement with NEST over both presets, seeds 0 and 1, with and without relays (rate, mean
excitatory weight, KS distance of the weights, correlation of the per-synapse weight changes)
and the frozen-weight spike-for-spike check of each:

    python benchmarks/compare_simulators.py --parity --seconds 10
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

B2_PYTHON = "/work/b2venv/bin/python"


def ks_distance(x, y) -> float:
    """Largest gap between the empirical distribution functions of ``x`` and ``y``."""
    z = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(np.sort(x), z, side="right") / x.size
    fy = np.searchsorted(np.sort(y), z, side="right") / y.size
    return float(np.max(np.abs(fx - fy)))


def cpu_s() -> float:
    """CPU seconds of this process (all its threads) and of its finished children."""
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def build(args, mode="exact"):
    from spikey.models import izhikevich2007 as izh

    return izh.build(args.preset, seed=args.seed, mode=mode)


def spikey_reference(args):
    """spikey's frozen and plastic (exact) runs of the network, for the comparisons."""
    ms = int(args.seconds * 1000)
    frozen = build(args)
    frozen.plasticity = False
    sp = frozen.run(ms)
    plastic = build(args)
    pl = plastic.run(ms)
    return sp, len(pl), plastic.weights()[plastic.plastic]


def compare(args, frozen_spikes, n_plastic_spikes, w):
    """Parity and statistics of a simulator's runs against spikey's."""
    ref_sp, ref_n, ref_w = spikey_reference(args)
    same = len(ref_sp) == len(frozen_spikes) and bool(
        np.array_equal(ref_sp.t, frozen_spikes.t) and np.array_equal(ref_sp.i, frozen_spikes.i)
    )
    return {
        "frozen_spikes": len(frozen_spikes),
        "frozen_spikey_spikes": len(ref_sp),
        "frozen_identical": same,
        "rate_rel": n_plastic_spikes / ref_n - 1.0,
        "mean_w_rel": float(w.mean() / ref_w.mean() - 1.0),
        "ks": ks_distance(w, ref_w),
    }


def run_spikey(args, mode):
    ms = int(args.seconds * 1000)
    from spikey.models import izhikevich2007 as izh

    izh.build(args.preset, mode=mode, n_exc=8, n_inh=2, syn_per_neuron=5).run(20)  # compile
    times, cpus, n_sp, w_mean = [], [], 0, 0.0
    for _ in range(args.repeats):
        net = build(args, mode)
        t0, c0 = time.perf_counter(), cpu_s()
        n_sp = len(net.run(ms))
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_s() - c0)
        w_mean = float(net.weights()[net.plastic].mean())
    return {
        "simulator": "spikey",
        "variant": mode,
        "threads": 1,
        "run_s": statistics.median(times),
        "cpu_s": statistics.median(cpus),
        "rate_hz": n_sp / net.n / args.seconds,
        "mean_w": w_mean,
    }


def child_nest(args):
    from spikey.export import to_nest

    ms = int(args.seconds * 1000)
    frozen = build(args)
    frozen.plasticity = False
    frozen_sp = to_nest(frozen, threads=args.threads, relay=args.relay).run(ms)
    times, builds, cpus = [], [], []
    for _ in range(args.repeats):
        net = build(args)
        handle = to_nest(net, threads=args.threads, deliver_interval_ms=1000, relay=args.relay)
        c0 = cpu_s()
        sp = handle.run(ms)
        cpus.append(cpu_s() - c0 - handle.prepare_cpu_s)
        times.append(handle.simulate_s)
        builds.append(handle.build_s)
    w = handle.weights()[net.plastic]
    out = {
        "simulator": "NEST",
        "variant": "stdp_dopamine, " + ("relays" if args.relay else "dendritic delays"),
        "threads": args.threads,
        "build_s": statistics.median(builds),
        "run_s": statistics.median(times),
        "cpu_s": statistics.median(cpus),
        "rate_hz": len(sp) / net.n / args.seconds,
        "mean_w": float(w.mean()),
    }
    out.update(compare(args, frozen_sp, len(sp), w))
    return out


def child_brian2(args):
    from spikey.export import to_brian2

    ms = int(args.seconds * 1000)
    frozen = build(args)
    frozen.plasticity = False
    frozen_sp = to_brian2(frozen, device="cpp_standalone").run(ms)
    times, compiles, cpus = [], [], []
    for _ in range(args.repeats):
        net = build(args)
        handle = to_brian2(net, device="cpp_standalone")
        sp = handle.run(ms)
        times.append(handle.run_s)
        cpus.append(handle.run_cpu_s)
        compiles.append(handle.compile_s)
    w = handle.weights()[net.plastic]
    out = {
        "simulator": "Brian2",
        "variant": "cpp_standalone, spikey's rule (exact)",
        "threads": 1,
        "compile_s": statistics.median(compiles),
        "run_s": statistics.median(times),
        "cpu_s": statistics.median(cpus),
        "rate_hz": len(sp) / net.n / args.seconds,
        "mean_w": float(w.mean()),
    }
    out.update(compare(args, frozen_sp, len(sp), w))
    return out


def parity_table(args) -> str:
    """Plastic and frozen agreement with NEST, per preset, seed and relay choice."""
    from spikey.export import to_nest
    from spikey.models import izhikevich2007 as izh

    ms = int(args.seconds * 1000)
    head = (
        f"{'preset':22s} {'seed':>4s} {'relays':>6s} {'frozen':>22s} {'rate':>8s} "
        f"{'mean w':>8s} {'KS':>7s} {'dw corr':>7s}"
    )
    out = [head, "-" * len(head)]
    for preset in ("izhikevich2007-delays", "izhikevich2007"):
        for seed in (0, 1):
            frozen = izh.build(preset, seed=seed, mode="exact")
            frozen.plasticity = False
            theirs = to_nest(frozen).run(ms)
            ours = frozen.run(ms)
            same = np.array_equal(theirs.t, ours.t) and np.array_equal(theirs.i, ours.i)
            verdict = f"{'identical' if same else 'DIFFERENT'} ({len(ours)})"
            mine = izh.build(preset, seed=seed, mode="exact")
            n_mine = len(mine.run(ms))
            w0 = izh.build(preset, seed=seed).weights()[mine.plastic]
            w_mine = mine.weights()[mine.plastic]
            for relay in (True, False) if preset.endswith("delays") else (True,):
                net = izh.build(preset, seed=seed, mode="exact")
                handle = to_nest(net, relay=relay)
                n_nest = len(handle.run(ms))
                w_nest = handle.weights()[net.plastic]
                corr = np.corrcoef(w_nest - w0, w_mine - w0)[0, 1]
                out.append(
                    f"{preset:22s} {seed:4d} {'yes' if relay else 'no':>6s} {verdict:>22s} "
                    f"{n_nest / n_mine - 1:+8.2%} {w_nest.mean() / w_mine.mean() - 1:+8.3%} "
                    f"{ks_distance(w_nest, w_mine):7.4f} {corr:7.3f}"
                )
    return "\n".join(out)


def in_child(args, which, python=None, threads=1, relay=True):
    """Run one simulator in its own process (its own environment variables, interpreter)."""
    env = dict(os.environ)
    env.update(OMP_WAIT_POLICY="PASSIVE", OMP_NUM_THREADS=str(threads), PYNEST_QUIET="1")
    cmd = [python or sys.executable, os.path.abspath(__file__), "--child", which]
    cmd += ["--threads", str(threads), "--preset", args.preset, "--seed", str(args.seed)]
    cmd += ["--seconds", str(args.seconds), "--repeats", str(args.repeats)]
    cmd += [] if relay else ["--no-relay"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"simulator": which, "threads": threads, "error": " | ".join(tail)}
    return json.loads(lines[-1])


def table(rows, seconds) -> str:
    ref = next(r for r in rows if r["simulator"] == "spikey" and r["variant"] == "exact")
    head = (
        f"{'simulator':8s} {'variant':38s} {'thr':>3s} {'run s':>8s} {'x real':>8s} "
        f"{'exact/row per core':>18s} {'CPU s':>7s} {'x real/CPU':>10s} {'exact/row CPU':>13s} "
        f"{'rate Hz':>8s} {'mean w':>7s}  parity (frozen) / stats"
    )
    out = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            out.append(f"{r['simulator']:8s} not run: {r['error']}")
            continue
        per_core = r["run_s"] * r["threads"] / ref["run_s"]
        extra = ""
        if "frozen_identical" in r:
            extra = (
                f"{'identical' if r['frozen_identical'] else 'DIFFERENT'} "
                f"({r['frozen_spikes']} spikes); rate {r['rate_rel']:+.2%}, "
                f"w {r['mean_w_rel']:+.2%}, KS {r['ks']:.4f}"
            )
        if "compile_s" in r:
            extra += f"; compile {r['compile_s']:.1f} s"
        out.append(
            f"{r['simulator']:8s} {r['variant']:38s} {r['threads']:3d} {r['run_s']:8.3f} "
            f"{seconds / r['run_s']:8.1f} {per_core:18.1f} {r['cpu_s']:7.3f} "
            f"{seconds / r['cpu_s']:10.1f} {r['cpu_s'] / ref['cpu_s']:13.1f} {r['rate_hz']:8.3f} "
            f"{r['mean_w']:7.4f}  {extra}"
        )
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="izhikevich2007-delays")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--nest-threads", default="1,2", help="comma-separated NEST thread counts")
    p.add_argument("--brian2-python", default=B2_PYTHON)
    p.add_argument("--only", default="spikey,nest,brian2")
    p.add_argument("--json", action="store_true")
    p.add_argument("--parity", action="store_true", help="the plastic agreement table with NEST")
    p.add_argument("--child", choices=["nest", "brian2"], help=argparse.SUPPRESS)
    p.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--no-relay", dest="relay", action="store_false", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps((child_nest if args.child == "nest" else child_brian2)(args)))
        return
    if args.parity:
        print(f"NEST against spikey (exact), {args.seconds:g} model s")
        print(parity_table(args))
        return
    only = set(args.only.split(","))
    rows = [run_spikey(args, "exact"), run_spikey(args, "stepped")]
    if "nest" in only:
        for k in (int(x) for x in args.nest_threads.split(",")):
            rows.append(in_child(args, "nest", threads=k))
        rows.append(in_child(args, "nest", threads=1, relay=False))  # NEST's own delays
    if "brian2" in only:
        if os.path.exists(args.brian2_python):
            rows.append(in_child(args, "brian2", python=args.brian2_python))
        else:
            rows.append({"simulator": "Brian2", "error": f"no {args.brian2_python}"})
    print(
        f"{args.preset}, seed {args.seed}, {args.seconds:g} model s, plastic; "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    print(table(rows, args.seconds))
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
