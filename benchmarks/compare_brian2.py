"""Side by side: the Izhikevich (2007) delays network in Brian2 (cpp_standalone) and in spikey.

Both simulate the same network for ``--seconds`` of model time on one core: 800 RS + 200 FS
Izhikevich neurons, 100 outgoing synapses each (excitatory -> any with 1-20 ms delays, plastic in
[0, 4]; inhibitory -> excitatory, 1 ms, fixed at -1), nearest-spike STDP into an eligibility trace,
global dopamine (tonic 0.002), weights updated every 10 ms, and the 2006-network input (on average
one neuron gets 20 mV each ms). Brian2 runs at dt = 1 ms with Euler integration; its input is drawn
per neuron with probability 1/N (same mean drive, one random number per neuron per ms).

Brian2 does not support numpy >= 2.3, so run this from an environment with both installed, e.g.::

    python -m venv /tmp/b2 && /tmp/b2/bin/pip install "numpy<2.3" brian2 numba tqdm matplotlib
    /tmp/b2/bin/pip install --no-deps -e . && /tmp/b2/bin/python benchmarks/compare_brian2.py

Prints each simulator's wall time (Brian2's compile time separately), the real-time factor, the
network rate, and the ratio spikey / Brian2. Medians over ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def run_brian2(seconds: float, seed: int):
    import brian2 as b2
    import numpy as np
    from brian2 import ms, mV  # noqa: F401  (units used in strings)

    workdir = tempfile.mkdtemp(prefix="spikey_b2_")
    b2.set_device("cpp_standalone", directory=workdir, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.defaultclock.dt = 1 * b2.ms
    b2.seed(seed)
    n_exc, n_inh, fanout, n = 800, 200, 100, 1000

    eqs = """
    dv/dt = (0.04*v**2 + 5*v + 140 - u + I) / ms : 1
    du/dt = a*(b*v - u) / ms : 1
    I : 1
    a : 1
    b : 1
    c_reset : 1
    d_reset : 1
    dtrace/dt = -trace / (20*ms) : 1
    """
    g = b2.NeuronGroup(
        n, eqs, threshold="v >= 30", reset="v = c_reset; u += d_reset; trace = 0.1", method="euler"
    )
    g.a = np.where(np.arange(n) < n_exc, 0.02, 0.1)
    g.b = 0.2
    g.c_reset = -65
    g.d_reset = np.where(np.arange(n) < n_exc, 8.0, 2.0)
    g.v = -65
    g.u = "b*v"
    g.run_regularly("I = 20*int(rand() < 0.001)", dt=1 * b2.ms)

    plastic = """
    w : 1
    c : 1
    d : 1 (shared)
    """
    exc = b2.Synapses(
        g[:n_exc],
        g,
        plastic,
        on_pre="v_post += w\nc -= 1.5*trace_post",
        on_post="c += trace_pre",
        method="euler",
    )
    rng = np.random.default_rng(seed)
    exc.connect(i=np.repeat(np.arange(n_exc), fanout), j=rng.integers(0, n, n_exc * fanout))
    exc.w = 1.0
    exc.delay = "(1 + floor(rand()*20))*ms"
    exc.run_regularly("w = clip(w + (0.002 + d)*c, 0, 4)\nc *= 0.99", dt=10 * b2.ms)
    exc.run_regularly("d *= 0.995", dt=1 * b2.ms)
    inh = b2.Synapses(g[n_exc:], g[:n_exc], "w : 1", on_pre="v_post += w")
    inh.connect(i=np.repeat(np.arange(n_inh), fanout), j=rng.integers(0, n_exc, n_inh * fanout))
    inh.w = -1.0
    inh.delay = 1 * b2.ms
    mon = b2.SpikeMonitor(g)
    b2.run(seconds * b2.second)

    t0 = time.perf_counter()
    b2.device.build(directory=workdir, compile=True, run=False, with_output=False)
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    b2.device.run(directory=workdir, with_output=False)
    run_s = time.perf_counter() - t0
    rate = mon.num_spikes / n / seconds
    b2.device.reinit()
    b2.device.activate()
    return {"compile_s": compile_s, "run_s": run_s, "rate_hz": rate}


def run_spikey(seconds: float, seed: int, mode: str):
    from spikey.models import izhikevich2007 as izh

    net = izh.build("izhikevich2007-delays", seed=seed, mode=mode)
    net.run(1000)  # JIT warm-up (cached on disk after the first process)
    t0 = time.perf_counter()
    spikes = net.run(int(seconds * 1000))
    run_s = time.perf_counter() - t0
    return {"run_s": run_s, "rate_hz": len(spikes.t) / net.n / seconds}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--mode", default="exact", choices=["exact", "stepped"])
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    b2 = [run_brian2(args.seconds, s) for s in range(args.repeats)]
    sp = [run_spikey(args.seconds, s, args.mode) for s in range(args.repeats)]
    b2_run = statistics.median(r["run_s"] for r in b2)
    sp_run = statistics.median(r["run_s"] for r in sp)
    out = {
        "seconds": args.seconds,
        "brian2_compile_s": statistics.median(r["compile_s"] for r in b2),
        "brian2_run_s": b2_run,
        "brian2_realtime_factor": args.seconds / b2_run,
        "brian2_rate_hz": statistics.median(r["rate_hz"] for r in b2),
        "spikey_mode": args.mode,
        "spikey_run_s": sp_run,
        "spikey_realtime_factor": args.seconds / sp_run,
        "spikey_rate_hz": statistics.median(r["rate_hz"] for r in sp),
        "speedup_vs_brian2": b2_run / sp_run,
    }
    for k, v in out.items():
        print(f"{k:24s} {v:.3f}" if isinstance(v, float) else f"{k:24s} {v}")
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
