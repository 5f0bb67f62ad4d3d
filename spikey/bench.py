"""``spikey bench PRESET``: how fast the engine simulates a preset network on this machine.

Prints the real-time factor (model seconds per wall second), the network rate, synaptic
events per second (spikes times their synapses, per wall second), the build's wall and CPU
seconds (on a shared machine the CPU time is the figure that does not depend on the others'
load), and memory: steady (resident after the build) and peak (the process's high-water mark
after the run), each also per synapse. ``--nest`` builds the same network in NEST
(``spikey.export.to_nest``, in a child process) and prints NEST's own build time and memory
per synapse beside spikey's. With ``--json`` the last line is one JSON object (keys
``realtime_factor``, ``rate_hz``, ``peak_rss_mb``, ``build_cpu_s``, ``steady_bytes_per_synapse``
and more). Compilation is done (or loaded from numba's cache) before timing.
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

from spikey.engine.params import MAX_INDEX, PRESETS, check_size
from spikey.module import ConfigError

MAX_SECONDS = 1e6  # model seconds of one timed run (about 1 h of wall time at 300x)
#: above this many synapses the mean weight is not read back: ``net.weights()`` copies every
#: weight (tens of bytes per synapse at its peak), which would dominate the peak measured
MAX_READBACK = 10_000_000


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
    parser.add_argument(
        "--nest",
        action="store_true",
        help="also build the same network in NEST (the crosscheck extra) and print its build "
        "time and memory per synapse",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line")


def rss_mb() -> tuple[float | None, float | None]:
    """(resident, high-water mark) of this process in MiB from /proc (None where absent)."""
    try:
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return (
            int(fields["VmRSS"].split()[0]) / 1024.0,
            int(fields["VmHWM"].split()[0]) / 1024.0,
        )
    except (OSError, KeyError, ValueError):
        return None, None


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
    if threads > 1:  # compile the threaded kernel before timing
        izh.build(preset, mode=mode, n_exc=8, n_inh=2, syn_per_neuron=5, threads=threads).run(20)
    base_mb = rss_mb()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    net = izh.build(preset, seed=seed, mode=mode, engine=engine, threads=threads, **overrides)
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    steady_mb = rss_mb()[0]
    net.plasticity = plasticity
    ms = int(round(seconds * 1000))
    t0, c0 = time.perf_counter(), time.process_time()
    spikes = net.run(ms)
    run_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = rss_mb()[1]  # before any read-back below
    off = net.syn.syn_off[:: net.syn.max_delay]  # each neuron's first synapse, then the end
    out_degree = np.diff(off)  # (a bincount of pre would make a 64-bit copy of it)
    events = int(out_degree[spikes.i].sum())
    synapses = int(net.pre.size)
    w = net.weights()[net.plastic] if synapses <= MAX_READBACK else np.zeros(0)
    per_syn = 2**20 / max(synapses, 1)
    return {
        "preset": preset,
        "mode": mode,
        "engine": engine,
        "threads": threads,
        "neurons": net.n,
        "synapses": synapses,
        "plasticity": plasticity,
        "seconds": seconds,
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "base_mb": base_mb,
        "steady_mb": steady_mb,
        "run_peak_mb": peak_mb,
        "steady_bytes_per_synapse": (steady_mb - base_mb) * per_syn if steady_mb else None,
        "peak_bytes_per_synapse": (peak_mb - base_mb) * per_syn if peak_mb else None,
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
    nest = nest_figures(args) if args.nest else None
    _report(args, runs, nest)
    return 0


_NEST_CHILD = """
import json, sys, time
from spikey.bench import rss_mb
from spikey.models import izhikevich2007 as izh
from spikey.export import to_nest
preset, n, seed, mode, plastic = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
sizes = {} if n < 0 else {"n_exc": round(n * 0.8), "n_inh": n - round(n * 0.8)}
net = izh.build(preset, seed=seed, mode=mode, **sizes)
net.plasticity = plastic
import nest  # noqa: F401  (its own import is not the network's memory)
handle = to_nest(net)
syn_s, syn_mb = handle.stages["synapses"]
print(json.dumps({"nest_build_s": handle.build_s, "nest_synapse_build_s": syn_s,
                  "nest_synapse_mb": syn_mb, "nest_input_mb": handle.stages["neurons_and_input"][1],
                  "nest_bytes_per_synapse": syn_mb * 2**20 / net.pre.size,
                  "nest_relays": handle.n_relays}))
"""


def nest_figures(args) -> dict:
    """NEST's build seconds and resident memory per synapse for the same network, measured
    in a child process: the growth of its resident memory while ``to_nest`` connects the
    synapses (and relays); the neurons and their input generators are reported apart."""
    cmd = [sys.executable, "-c", _NEST_CHILD, args.preset, str(args.neurons or -1)]
    cmd += [str(args.seed), args.mode, "0" if args.no_plasticity else "1"]
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", PYNEST_QUIET="1")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return {"nest_error": tail[0] if tail else f"exit status {done.returncode}"}
    return json.loads(lines[-1])


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


def _report(args, runs, nest=None) -> None:
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
    if res["synapses"] <= MAX_READBACK:
        print(f"  mean exc. weight   {res['mean_exc_weight']:.3f}")
    print(f"  build              {res['build_s']:.2f} s wall, {res['build_cpu_s']:.2f} s CPU")
    if res["steady_bytes_per_synapse"] is not None:
        print(
            f"  memory             steady {res['steady_mb'] - res['base_mb']:.0f} MiB "
            f"({res['steady_bytes_per_synapse']:.1f} B/synapse), peak "
            f"{res['run_peak_mb'] - res['base_mb']:.0f} MiB "
            f"({res['peak_bytes_per_synapse']:.1f} B/synapse) above the "
            f"{res['base_mb']:.0f} MiB before the build"
        )
    print(f"  peak RSS           {res['peak_rss_mb']:.0f} MiB")
    if nest is not None:
        res.update(nest)
        if "nest_error" in nest:
            print(f"  NEST               not measured: {nest['nest_error']}")
        else:
            print(
                f"  NEST (same net)    build {nest['nest_build_s']:.2f} s (synapses "
                f"{nest['nest_synapse_build_s']:.2f} s); synapses {nest['nest_synapse_mb']:.0f} "
                f"MiB ({nest['nest_bytes_per_synapse']:.1f} B/synapse; "
                f"{nest['nest_relays']} relays), neurons and input generators "
                f"{nest['nest_input_mb']:.0f} MiB"
            )
    if args.json:
        print(json.dumps(res))
