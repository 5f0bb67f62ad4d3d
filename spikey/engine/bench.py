"""``spikey bench PRESET``: how fast the engine simulates a preset network on this machine.

Prints the real-time factor (model seconds per wall second), the network rate, synaptic
events per second (spikes times their synapses, per wall second) and the peak resident memory.
With ``--json`` the last line is one JSON object (keys ``realtime_factor``, ``rate_hz``,
``peak_rss_mb`` and more). Compilation is done (or loaded from numba's cache) before timing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

from spikey.engine.params import PRESETS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("preset", choices=sorted(PRESETS), help="network preset")
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="model seconds to simulate (default 60)"
    )
    parser.add_argument(
        "--mode",
        choices=("exact", "stepped"),
        default="exact",
        help="plasticity mode (default exact)",
    )
    parser.add_argument(
        "--neurons",
        type=int,
        default=None,
        help="network size (80 %% excitatory; default the preset's 1000)",
    )
    parser.add_argument("--no-plasticity", action="store_true", help="freeze STDP and weights")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1, help="timed runs (median reported)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def measure(
    preset: str,
    seconds: float = 60.0,
    mode: str = "exact",
    neurons: int | None = None,
    plasticity: bool = True,
    seed: int = 0,
    engine: str = "numba",
) -> dict:
    """Build, warm up (compile), then time one run; returns the figures as a dict
    (``run_s`` wall and ``cpu_s`` process CPU seconds of the run)."""
    import numpy as np

    from spikey.models import izhikevich2007 as izh

    overrides = {}
    if neurons is not None:
        overrides = {
            "n_exc": int(round(neurons * 0.8)),
            "n_inh": neurons - int(round(neurons * 0.8)),
        }
    izh.build(preset, seed=seed, mode=mode, engine=engine, n_exc=8, n_inh=2, syn_per_neuron=5).run(
        20
    )
    t0 = time.perf_counter()
    net = izh.build(preset, seed=seed, mode=mode, engine=engine, **overrides)
    build_s = time.perf_counter() - t0
    net.plasticity = plasticity
    ms = int(round(seconds * 1000))
    t0, c0 = time.perf_counter(), time.process_time()
    spikes = net.run(ms)
    run_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    out_degree = np.bincount(net.pre, minlength=net.n)
    events = int(out_degree[spikes.i].sum())
    w = net.weights()[net.plastic]
    return {
        "preset": preset,
        "mode": mode,
        "engine": engine,
        "neurons": net.n,
        "synapses": int(net.pre.size),
        "plasticity": plasticity,
        "seconds": seconds,
        "build_s": build_s,
        "run_s": run_s,
        "cpu_s": cpu_s,
        "realtime_factor": seconds / run_s,
        "rate_hz": len(spikes) / net.n / seconds,
        "syn_events": events,
        "syn_events_per_s": events / run_s,
        "mean_exc_weight": float(w.mean()) if w.size else float("nan"),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(args) -> int:
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    runs = [
        measure(
            args.preset, args.seconds, args.mode, args.neurons, not args.no_plasticity, args.seed
        )
        for _ in range(max(1, args.repeats))
    ]
    res = dict(runs[-1])
    res["run_s"] = statistics.median(r["run_s"] for r in runs)
    res["realtime_factor"] = args.seconds / res["run_s"]
    res["syn_events_per_s"] = statistics.median(r["syn_events_per_s"] for r in runs)
    res["peak_rss_mb"] = peak_rss_mb()
    print(
        f"{res['preset']} ({res['neurons']} neurons, {res['synapses']} synapses), mode {res['mode']}, "
        f"plasticity {'on' if res['plasticity'] else 'off'}, {args.seconds:g} model s"
    )
    print(
        f"  real-time factor   {res['realtime_factor']:.0f}x  ({res['run_s']:.3f} s wall"
        f"{', median of ' + str(len(runs)) if len(runs) > 1 else ''})"
    )
    print(f"  network rate       {res['rate_hz']:.2f} Hz")
    print(f"  synaptic events/s  {res['syn_events_per_s']:.3g}")
    print(f"  mean exc. weight   {res['mean_exc_weight']:.3f}")
    print(f"  build              {res['build_s']:.2f} s")
    print(f"  peak RSS           {res['peak_rss_mb']:.0f} MiB")
    if args.json:
        print(json.dumps(res))
    return 0
