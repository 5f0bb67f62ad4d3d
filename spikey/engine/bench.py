"""``spikey bench PRESET``: how fast the engine simulates a preset network on this machine.

Prints the real-time factor (model seconds per wall second), the network rate, synaptic
events per second (spikes times their synapses, per wall second) and the peak resident memory.
With ``--json`` the last line is one JSON object (keys ``realtime_factor``, ``rate_hz``,
``peak_rss_mb`` and more). Compilation is done (or loaded from numba's cache) before timing.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time

from spikey.engine.params import MAX_INDEX, PRESETS, check_size
from spikey.module import ConfigError

MAX_SECONDS = 1e6  # model seconds of one timed run (about 1 h of wall time at 300x)


def _number(kind, lo, hi, what):
    """An argparse type: a finite ``kind`` in [lo, hi], with an error naming ``what``."""

    def parse(text):
        try:
            value = kind(text)
        except (TypeError, ValueError):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not (lo <= value <= hi):  # also rejects NaN
            raise argparse.ArgumentTypeError(f"{text!r}: expected {what} in {lo}..{hi}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``spikey bench`` options (preset, duration, repeats, size, threads, mode)."""
    parser.add_argument("preset", choices=sorted(PRESETS), help="network preset")
    parser.add_argument(
        "--seconds",
        type=_number(float, 0.001, MAX_SECONDS, "a number of model seconds"),
        default=60.0,
        help="model seconds to simulate (default 60)",
    )
    parser.add_argument(
        "--mode",
        choices=("exact", "stepped"),
        default="exact",
        help="plasticity mode (default exact)",
    )
    parser.add_argument(
        "--neurons",
        type=_number(int, 2, MAX_INDEX, "a whole number of neurons"),
        default=None,
        help="network size (80 %% excitatory; default the preset's 1000)",
    )
    parser.add_argument("--no-plasticity", action="store_true", help="freeze STDP and weights")
    parser.add_argument(
        "--threads",
        type=_number(int, 1, 1024, "a number of threads"),
        default=1,
        help="threads of the numba engine (identical results; default 1)",
    )
    parser.add_argument("--seed", type=_number(int, 0, 2**63 - 1, "a seed >= 0"), default=0)
    parser.add_argument(
        "--repeats",
        type=_number(int, 1, 1000, "a number of runs"),
        default=1,
        help="timed runs (median reported)",
    )
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
    threads: int = 1,
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
    net = izh.build(preset, seed=seed, mode=mode, engine=engine, threads=threads, **overrides)
    if threads > 1:  # compile the threaded kernel before timing
        izh.build(preset, mode=mode, n_exc=8, n_inh=2, syn_per_neuron=5, threads=threads).run(20)
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
        "threads": threads,
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
    """Run ``spikey bench``: check the sizes first, then time the preset; exit status."""
    try:
        if args.neurons is not None:
            check_size(args.neurons, 100, 20)  # before anything is allocated
        runs = _runs(args)
    except ConfigError as err:
        print(f"spikey bench: {err}", file=sys.stderr)
        return 2
    _report(args, runs)
    return 0


def _runs(args) -> list[dict]:
    return [
        measure(
            args.preset,
            args.seconds,
            args.mode,
            args.neurons,
            not args.no_plasticity,
            args.seed,
            threads=args.threads,
        )
        for _ in range(max(1, args.repeats))
    ]


def _report(args, runs) -> None:
    res = dict(runs[-1])
    res["run_s"] = statistics.median(r["run_s"] for r in runs)
    res["realtime_factor"] = args.seconds / res["run_s"]
    res["syn_events_per_s"] = statistics.median(r["syn_events_per_s"] for r in runs)
    res["peak_rss_mb"] = peak_rss_mb()
    print(
        f"{res['preset']} ({res['neurons']} neurons, {res['synapses']} synapses), mode {res['mode']}, "
        f"plasticity {'on' if res['plasticity'] else 'off'}, {args.seconds:g} model s, "
        f"{res['threads']} thread(s)"
    )
    print(
        f"  real-time factor   {res['realtime_factor']:.3g}x  ({res['run_s']:.3f} s wall"
        f"{', median of ' + str(len(runs)) if len(runs) > 1 else ''})"
    )
    print(f"  network rate       {res['rate_hz']:.2f} Hz")
    print(f"  synaptic events/s  {res['syn_events_per_s']:.3g}")
    print(f"  mean exc. weight   {res['mean_exc_weight']:.3f}")
    print(f"  build              {res['build_s']:.2f} s")
    print(f"  peak RSS           {res['peak_rss_mb']:.0f} MiB")
    if args.json:
        print(json.dumps(res))
