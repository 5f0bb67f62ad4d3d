"""Seed classical-conditioning run (5 episodes x 100 ticks x processing_time 100):
compiled tick vs our pure-Python per-step path, in the same process.

    python benchmarks/bench_seed_classical.py [--repeats 7] [--slow-repeats 2] [--no-cold]

Prints the median wall time of each path, their ratio, the goal (<= 0.10 s warm, i.e.
>= 25x the original's 2.3-2.9 s) and the cold JIT compile time, measured in a
subprocess with an empty NUMBA_CACHE_DIR. The user code is the issue's, unchanged (its
game and rewarder imported from tests/snn/seed_user_code.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

# the notebook's game and rewarder, one copy shared with the tests
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "snn"))


def build(seed=0, learning_rate=0.1, fast_path=True):
    """The issue's classical experiment: (game, network) built after np.random.seed(seed)."""
    from seed_user_code import StateRewarder, rand_state

    from spikey.snn import RLNetwork, input, neuron, readout, synapse, weight

    np.random.seed(seed)

    w_matrix = np.vstack((np.random.uniform(0, 0.5, (100, 50)), np.zeros((50, 50))))
    state_rate_map = np.zeros((10, 10))
    for s in range(10):
        state_rate_map[s, s] = 0.2

    class network_template(RLNetwork):
        parts = {
            "inputs": input.RateMap,
            "neurons": neuron.Neuron,
            "synapses": synapse.LTP,
            "weights": weight.Manual,
            "readout": readout.Threshold,
            "rewarder": StateRewarder,
        }
        keys = {
            "n_inputs": 100,
            "n_neurons": 50,
            "n_outputs": 50,
            "matrix": w_matrix,
            "magnitude": 1,
            "potential_decay": 0.05,
            "n_states": 10,
            "refractory_period": 0,
            "firing_threshold": 8,
            "processing_time": 100,
            "learning_rate": learning_rate,
            "max_weight": 2,
            "stdp_window": 100,
            "reward_mult": 1,
            "punish_mult": 0,
            "action_threshold": 0.0,
            "state_rate_map": state_rate_map,
        }

    game = rand_state(**network_template.keys)
    return game, network_template(fast_path=fast_path)


def run(game, model, episodes=5, steps=100, cpu=False):
    """The user loop; returns (seconds, per-state mean output rate of the last episode).

    Seconds are wall time, or this process's CPU time with ``cpu=True`` (less affected
    by other programs on a busy machine)."""
    clock = time.process_time if cpu else time.perf_counter
    t0 = clock()
    last = {}
    for _ in range(episodes):
        model.reset()
        state = game.reset()
        last = {}
        for _ in range(steps):
            action = model.tick(state)
            state_next, _, done, __ = game.step(action)
            model.reward(state, action, state_next)
            rate = np.mean(np.abs(model.spike_log[-model._processing_time :, -model._n_outputs :]))
            last.setdefault(state, []).append(rate)
            state = state_next
    return clock() - t0, {s: float(np.mean(v)) for s, v in sorted(last.items())}


def cold_compile_seconds(aot: bool = False) -> tuple[float, float]:
    """Wall and CPU time (this process and its children: the C compiler) of the first tick
    in a fresh process with an empty cache: the JIT compile, or with ``aot`` the
    ahead-of-time build of the kernel (see spikey.engine.lif.loader)."""
    code = (
        "import resource, time, numpy as np, sys; sys.path.insert(0, %r)\n"
        "import bench_seed_classical as b\n"
        "game, model = b.build()\n"
        "def cpu():\n"
        "    s, c = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
        "    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime\n"
        "model.reset(); t = time.perf_counter(); c = cpu()\n"
        "model.tick(game.reset())\n"
        "print(time.perf_counter() - t, cpu() - c)"
    ) % os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, SPIKEY_AOT="1" if aot else "0")
        env.pop("SPIKEY_KERNEL_DIR", None)
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--slow-repeats", type=int, default=2)
    ap.add_argument("--no-cold", action="store_true")
    args = ap.parse_args(argv)

    run(*build(fast_path=True), episodes=1, steps=2)  # load / compile the kernel
    fast = [run(*build(seed=0, fast_path=True))[0] for _ in range(args.repeats)]
    fast_cpu = [run(*build(seed=0, fast_path=True), cpu=True)[0] for _ in range(args.repeats)]
    slow = [run(*build(seed=0, fast_path=False))[0] for _ in range(args.slow_repeats)]
    _, rates_fast = run(*build(seed=0, fast_path=True))
    _, rates_slow = run(*build(seed=0, fast_path=False))
    f, s = statistics.median(fast), statistics.median(slow)
    print(
        f"compiled tick : median {f:.4f} s over {len(fast)} runs (min {min(fast):.4f}); "
        f"CPU time median {statistics.median(fast_cpu):.4f} s"
    )
    print(f"python path   : median {s:.4f} s over {len(slow)} runs")
    print(f"ratio python/compiled: {s / f:.1f}x")
    print(
        f"goal <= 0.10 s warm: {'met' if f <= 0.10 else 'NOT met'}; vs original 2.3-2.9 s: "
        f"{2.3 / f:.0f}-{2.9 / f:.0f}x (load average now {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores: a busy machine inflates wall times)"
    )
    print(f"same last-episode rates on both paths: {rates_fast == rates_slow}")
    rewarded = np.mean([r for st, r in rates_fast.items() if st in (0, 3, 6, 9)])
    other = np.mean([r for st, r in rates_fast.items() if st not in (0, 3, 6, 9)])
    print(f"rewarded-state rate {rewarded:.3f} vs others {other:.3f}")
    if not args.no_cold:
        c, c_cpu = cold_compile_seconds()
        print(
            f"cold JIT compile (first tick, empty cache, SPIKEY_AOT=0): {c:.2f} s "
            f"(CPU {c_cpu:.2f} s); goal <= 3 s: {'met' if c <= 3 else 'NOT met'}"
        )
        a, a_cpu = cold_compile_seconds(aot=True)
        print(
            f"cold ahead-of-time build (the first tick ever on a machine, default): "
            f"{a:.2f} s (CPU with the C compiler {a_cpu:.2f} s); later fresh processes "
            f"load it in ~1 ms (benchmarks/bench_first_tick.py)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
