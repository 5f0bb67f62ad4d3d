"""Engine benchmark: real-time factors of the presets, baselines in the same process, scaling.

Run: ``python benchmarks/bench_engine.py [--seconds 60] [--repeats 3] [--scale]``

Prints, per preset, the real-time factor (model s per wall s and per CPU s of this process;
CPU time is the steadier figure on a shared machine) of
- ``exact`` mode (event-driven plasticity; the engine's fast path),
- ``stepped`` mode (the author's cadence; a plain per-ms numba loop that sweeps every plastic
  synapse every 10 ms) and
- the NumPy reference (``engine="reference"``, the author's per-ms algorithm, timed over a
  shorter run),
with the ratios exact/stepped and exact/reference. ``--scale`` adds 10k and 100k neurons (100
synapses each; each size in its own process so peak memory is per size).
Medians over ``--repeats``; numba compilation is excluded (warm-up run first).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")


def timed_run(preset, seconds, mode, engine="numba", plasticity=True, seed=0):
    from spikey.engine.bench import measure

    r = measure(preset, seconds, mode, plasticity=plasticity, seed=seed, engine=engine)
    return {"wall": r["run_s"], "cpu": r["cpu_s"], "rate": r["rate_hz"], "events": r["syn_events"]}


def median_run(repeats, *args, **kw):
    runs = [timed_run(*args, **kw) for _ in range(repeats)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def line(label, seconds, r):
    print(
        f"  {label:<26} {seconds / r['wall']:8.0f}x wall {seconds / r['cpu']:8.0f}x cpu"
        f"   {1000 * r['cpu'] / seconds:7.2f} ms cpu per model-s   rate {r['rate']:.2f} Hz"
    )


def presets(args):
    out = {}
    for preset in ("izhikevich2007-delays", "izhikevich2007"):
        print(f"{preset}: {args.seconds:g} model s, one core")
        ex = median_run(args.repeats, preset, args.seconds, "exact")
        exoff = median_run(args.repeats, preset, args.seconds, "exact", plasticity=False)
        st = median_run(args.repeats, preset, args.seconds, "stepped")
        ref_s = args.reference_seconds
        ref = timed_run(preset, ref_s, "stepped", engine="reference")
        line("exact (DA-STDP)", args.seconds, ex)
        line("exact, plasticity frozen", args.seconds, exoff)
        line("stepped (per-ms loop)", args.seconds, st)
        line(f"NumPy reference ({ref_s:g} s)", ref_s, ref)
        r_st = (args.seconds / ex["cpu"]) / (args.seconds / st["cpu"])
        r_ref = (args.seconds / ex["cpu"]) / (ref_s / ref["cpu"])
        print(
            f"  exact / stepped {r_st:.1f}x   exact / reference {r_ref:.0f}x   "
            f"synaptic events/s (exact) {ex['events'] / ex['wall']:.3g}"
        )
        out[preset] = {
            "exact_rtf_wall": args.seconds / ex["wall"],
            "exact_rtf_cpu": args.seconds / ex["cpu"],
            "stepped_rtf_cpu": args.seconds / st["cpu"],
            "reference_rtf_cpu": ref_s / ref["cpu"],
            "rate_hz": ex["rate"],
        }
    return out


def scale(args):
    print(
        "scaling: izhikevich2007 preset (uniform noise keeps the rate fixed), exact mode, 100 syn/neuron"
    )
    rows = {}
    for n, secs in (
        (1000, args.seconds),
        (10_000, min(args.seconds, 10.0)),
        (100_000, min(args.seconds, 2.0)),
    ):
        cmd = [
            sys.executable,
            "-m",
            "spikey.cli",
            "bench",
            "izhikevich2007",
            "--seconds",
            str(secs),
            "--neurons",
            str(n),
            "--json",
        ]
        res = json.loads(
            subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1]
        )
        ns_per_event = 1e9 / res["syn_events_per_s"]
        print(
            f"  {n:>7} neurons: {res['realtime_factor']:8.2f}x real time, {res['syn_events_per_s']:.3g} "
            f"synaptic events/s ({ns_per_event:.0f} ns per event, all costs), rate {res['rate_hz']:.2f} Hz, "
            f"peak RSS {res['peak_rss_mb']:.0f} MiB, build {res['build_s']:.1f} s"
        )
        rows[n] = res
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--reference-seconds", type=float, default=2.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scale", action="store_true", help="also 10k and 100k neurons")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result = {"presets": presets(args)}
    if args.scale:
        result["scale"] = scale(args)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
