"""Engine benchmark: every ratio of issue 9's table, baselines run in the same process.

Run: ``python benchmarks/bench_engine.py [--seconds 60] [--repeats 5] [--scale] [--json]
[--against OLD_KERNELS.py]``; ``--flips`` instead times what sign changes of the dopamine
modulator cost (``flip_table``).

For each preset it times, interleaved (one round = every program once, ``--repeats`` rounds):

- ``plain``: the engine's own plain per-ms numba loop of the preset (``engine="dense"``,
  stepped: every plastic synapse swept every 10 ms; tested bit-identical to the NumPy
  reference, ``tests/engine/test_against_reference.py``),
- ``numba_ref``: the prototype folder's ``numba_ref.py`` (its own network, same size and rules)
  when ``--prototype`` (default ``../shared/prototypes/exact-engine``) exists,
- ``exact`` and ``stepped``: the engine's event-driven kernel in both modes,
- with ``--cutoff``, ``exact-cut``: exact mode with ``trace_floor = 0.95**768``, the shortcut
  of the prototype's ``exact_numba.py`` (pairings more than 768 ms apart are skipped),
- with ``--against FILE`` (another version of ``spikey/engine/kernels.py``, e.g.
  ``git show HEAD~1:spikey/engine/kernels.py > /tmp/old_kernels.py``), ``exact-old`` and
  ``stepped-old``: the same networks run by that file's event-driven kernel, interleaved, and
  the ratios ``exact/exact-old``, ``stepped/stepped-old`` (> 1: today's kernel is faster; a
  change's cost measured beside it, in one process, on the same load),

and prints real-time factors (model s per wall s and per CPU s of this process) and the
ratios, from medians. CPU time is the steadier figure on a shared machine; ratios use it
unless ``--wall``. ``--scale`` adds the Fig. 1 preset at 100k neurons (1 thread; and
``--threads N`` if given). Numba compilation is excluded (warm-up first).

``--busy`` instead times the Fig. 1 preset at ``--neurons`` on 1 thread, on ``--threads``
(default 2) threads always, and on them with ``adaptive_threads`` (each chunk on the threads or
on one, whichever ran faster lately), first as the machine is ("idle": other users' load
included) and then with a busy-looping process of ours beside it ("loaded"), interleaved over
``--repeats`` rounds in rotating order; prints x real time (wall) and the medians of each round's
ratio to 1 thread (``busy_table``), with 1 thread timed twice as the noise floor.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from spikey.engine import kernels  # noqa: E402
from spikey.models import izhikevich2007 as izh  # noqa: E402

PRESETS = ("izhikevich2007-delays", "izhikevich2007")
#: 0.95 ** 768: with this trace_floor the engine skips STDP pairings more than 768 ms apart,
#: as the prototype's exact_numba.py does (not the author's model; every engine agrees on it)
CUTOFF_FLOOR = 0.95**768
_REPO = Path(__file__).resolve().parents[1]
_CANDIDATES = [  # the shared folder beside the checkout (or beside the worktrees' parent)
    up / "shared" / "prototypes" / "exact-engine" for up in (_REPO.parent, _REPO.parent.parent)
]
DEFAULT_PROTOTYPE = next((c for c in _CANDIDATES if c.exists()), _CANDIDATES[0])


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def engine_program(preset, seconds, mode, engine="numba", lazy=None, **kw):
    """A zero-argument callable that builds (untimed) and returns a timed run; ``lazy``: the
    event-driven kernel to run instead of today's (a function like
    ``kernels.izh_run_lazy``)."""

    def run():
        own = kernels.izh_run_lazy
        if lazy is not None:  # the network calls kernels.izh_run_lazy at each run
            kernels.izh_run_lazy = lazy
        try:
            net = izh.build(preset, seed=0, mode=mode, engine=engine, **kw)
            return _timed(lambda: net.run(int(round(seconds * 1000))))
        finally:
            kernels.izh_run_lazy = own

    small = dict(kw, n_exc=8, n_inh=2, syn_per_neuron=5)  # compile (untimed)
    own = kernels.izh_run_lazy
    kernels.izh_run_lazy = lazy or own
    try:
        izh.build(preset, mode=mode, engine=engine, **small).run(20)
    finally:
        kernels.izh_run_lazy = own
    return run


def kernels_from(path):
    """``izh_run_lazy`` of another version of ``kernels.py`` (compiled under its own module
    name, so numba's cache keeps the two apart)."""
    spec = importlib.util.spec_from_file_location("bench_kernels_against", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # numba's cache finds the module by name when it loads
    spec.loader.exec_module(module)
    return module.izh_run_lazy


def prototype_program(folder, seconds):
    """The prototype's ``numba_ref.py`` per-ms loop, or None when the folder is missing."""
    if not (Path(folder) / "numba_ref.py").exists():
        return None
    sys.path.insert(0, str(Path(folder).resolve()))
    try:
        import common  # the prototype's network
        import numba_ref
    finally:
        sys.path.pop(0)
    numba_ref.Sim(common.make_net(0.01, 1)).run(10)
    net = common.make_net(seconds, 42)

    def run():
        sim = numba_ref.Sim(net)
        return _timed(lambda: sim.run(net["T"]))

    return run


def rounds(programs: dict, repeats: int) -> dict:
    """Median wall and CPU seconds of each program over interleaved rounds."""
    times = {name: [] for name in programs}
    for _ in range(repeats):
        for name, run in programs.items():
            times[name].append(run())
    return {
        name: {
            "wall": statistics.median(t[0] for t in ts),
            "cpu": statistics.median(t[1] for t in ts),
        }
        for name, ts in times.items()
    }


def preset_table(args) -> dict:
    out = {}
    key = "wall" if args.wall else "cpu"
    proto = prototype_program(args.prototype, args.seconds)
    for preset in PRESETS:
        programs = {"plain": engine_program(preset, args.seconds, "stepped", engine="dense")}
        if proto is not None and preset == "izhikevich2007-delays":
            programs["numba_ref"] = proto
        programs["exact"] = engine_program(preset, args.seconds, "exact")
        programs["stepped"] = engine_program(preset, args.seconds, "stepped")
        if args.cutoff:  # the prototype's shortcut: pairings > 768 ms apart skipped
            programs["exact-cut"] = engine_program(
                preset, args.seconds, "exact", trace_floor=CUTOFF_FLOOR
            )
        if args.against:
            old = kernels_from(args.against)
            for mode in ("exact", "stepped"):
                programs[f"{mode}-old"] = engine_program(preset, args.seconds, mode, lazy=old)
        med = rounds(programs, args.repeats)
        print(f"{preset}: {args.seconds:g} model s, medians of {args.repeats} interleaved rounds")
        for name, m in med.items():
            print(
                f"  {name:<10} {args.seconds / m['wall']:7.0f}x real time (wall)  "
                f"{args.seconds / m['cpu']:7.0f}x (CPU)"
            )
        ratios = {}
        for base in ("numba_ref", "plain"):
            if base in med:
                for mode in ("exact", "stepped", "exact-cut"):
                    if mode not in med:
                        continue
                    ratios[f"{mode}/{base}"] = med[base][key] / med[mode][key]
        for mode in ("exact", "stepped"):
            if f"{mode}-old" in med:
                ratios[f"{mode}/{mode}-old"] = med[f"{mode}-old"][key] / med[mode][key]
        print("  ratios (" + key + "): " + ", ".join(f"{k} {v:.3f}" for k, v in ratios.items()))
        out[preset] = {"median_s": med, "ratios": ratios}
    return out


def scale_table(args) -> dict:
    """Fig. 1 preset at ``--neurons`` (100 synapses each), exact mode, real-time factors."""
    n = args.neurons
    kw = {"n_exc": int(round(0.8 * n)), "n_inh": n - int(round(0.8 * n))}
    secs = args.scale_seconds
    rows = {}
    for threads in sorted({1, args.threads}):
        extra = {"threads": threads} if threads > 1 else {}
        izh.build("izhikevich2007", mode="exact", n_exc=8, n_inh=2, syn_per_neuron=5, **extra).run(
            20
        )
        net = izh.build("izhikevich2007", seed=0, mode="exact", **kw, **extra)
        net.run(200)  # settle the first transient
        wall, cpu = _timed(lambda net=net: net.run(int(secs * 1000)))
        rows[threads] = {"realtime_wall": secs / wall, "cpu_per_model_s": cpu / secs}
        print(
            f"  {n} neurons, {threads} thread(s): {secs / wall:.2f}x real time (wall), "
            f"{cpu / secs:.2f} CPU s per model s"
        )
    return rows


def busy_table(args) -> dict:
    """x real time (wall) of 1 thread, ``--threads`` threads and those threads adaptive, on the
    machine as it is and beside a busy loop of ours; medians over ``--repeats`` rounds."""
    n, threads, secs = args.neurons, max(2, args.threads), args.scale_seconds
    kw = {"n_exc": int(round(0.8 * n)), "n_inh": n - int(round(0.8 * n))}
    izh.build("izhikevich2007", mode="exact", threads=threads, n_exc=8, n_inh=2).run(20)
    net = izh.build("izhikevich2007", seed=0, mode="exact", **kw)
    net.run(200)  # settle the first transient
    configs = {"1 thread": (1, False), f"{threads} threads": (threads, False)}
    configs[f"{threads} adaptive"] = (threads, True)
    configs["1 thread again"] = (1, False)  # the noise floor: its ratios to the first
    rows = {}
    for load in ("idle", "loaded"):
        spinner = None
        if load == "loaded":  # holds one core while the three run
            spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            times = {name: [] for name in configs}
            order = list(configs.items())
            for r in range(args.repeats):  # the order rotates so that drift favours none
                for name, (k, adaptive) in order[r % len(order) :] + order[: r % len(order)]:
                    net.threads, net.adaptive_threads = k, adaptive
                    times[name].append(_timed(lambda: net.run(int(secs * 1000)))[0])
        finally:
            if spinner is not None:
                spinner.kill()
                spinner.wait()
        rows[load] = {name: secs / statistics.median(ts) for name, ts in times.items()}
        # each round's own ratio to 1 thread (the rounds share the moment's load), then medians
        paired = {
            name: sorted(a / b for a, b in zip(times["1 thread"], ts))
            for name, ts in times.items()
            if name != "1 thread"
        }
        rows[load].update(
            {f"{name} / 1 thread": statistics.median(r) for name, r in paired.items()}
        )
        print(
            f"  {load:<6} "
            + ", ".join(f"{name} {secs / statistics.median(ts):.2f}x" for name, ts in times.items())
            + " real time; vs 1 thread, paired per round: "
            + ", ".join(
                f"{name} {statistics.median(r):.2f} ({r[0]:.2f}-{r[-1]:.2f})"
                for name, r in paired.items()
            )
        )
    return rows


def flip_table(args) -> dict:
    """What sign changes of the modulator cost the event-driven kernel: pulses of 0.1 every
    P ms alternating in sign (each dip starts a new epoch: a sweep over the plastic synapses)
    against +0.1 only at the same times; median of paired time ratios (signed / positive)."""
    import numpy as np

    out = {}
    n = int(round(args.seconds * 1000))
    for preset in PRESETS:
        for mode in ("exact", "stepped"):
            engine_program(preset, 0.02, mode)  # compile
            for period in (20, 100, 1000):
                t = np.arange(0, n, period)
                ratios = []
                for rep in range(args.repeats):
                    cpu = {}
                    for signed in (False, True) if rep % 2 == 0 else (True, False):
                        amount = np.full(t.size, 0.1)
                        if signed:
                            amount[1::2] = -0.1
                        net = izh.build(preset, seed=0, mode=mode)
                        rw = (t, amount)
                        cpu[signed] = _timed(lambda net=net, rw=rw: net.run(n, rewards=rw))[1]
                    ratios.append(cpu[True] / cpu[False])
                med = statistics.median(ratios)
                out[f"{preset} {mode} {period}"] = med
                print(
                    f"  {preset} {mode}: a pulse every {period} ms, alternating sign: "
                    f"{med:.2f}x the time of positive pulses"
                )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--prototype", default=str(DEFAULT_PROTOTYPE))
    ap.add_argument("--wall", action="store_true", help="ratios from wall time, not CPU time")
    ap.add_argument("--scale", action="store_true", help="also the 100k-neuron Fig. 1 preset")
    ap.add_argument("--neurons", type=int, default=100_000)
    ap.add_argument("--scale-seconds", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument(
        "--cutoff", action="store_true", help="also exact mode with the prototype's 768 ms cutoff"
    )
    ap.add_argument(
        "--against",
        default=None,
        help="another version of spikey/engine/kernels.py: its event-driven kernel runs too",
    )
    ap.add_argument(
        "--flips",
        action="store_true",
        help="only the cost of signed dopamine's sign changes (pulses alternating in sign)",
    )
    ap.add_argument(
        "--busy",
        action="store_true",
        help="only threads on a busy machine: 1, --threads and adaptive, idle and loaded",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.busy:
        print(
            f"izhikevich2007 at {args.neurons} neurons, exact mode, {args.scale_seconds:g} model s"
            f" per run, medians of {args.repeats} interleaved rounds"
        )
        result = {"busy": busy_table(args)}
        if args.json:
            print(json.dumps(result))
        return 0
    if args.flips:
        print(f"sign changes of the modulator: {args.seconds:g} model s, {args.repeats} pairs")
        result = {"flips": flip_table(args)}
        if args.json:
            print(json.dumps(result))
        return 0
    result = {"presets": preset_table(args)}
    if args.scale:
        print(f"izhikevich2007 at {args.neurons} neurons, exact mode, {args.scale_seconds:g} s")
        result["scale"] = scale_table(args)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
