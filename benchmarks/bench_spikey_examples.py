"""Ours vs the original Spikey on two cells of its example notebooks, a fresh process each.

    python benchmarks/bench_spikey_examples.py [--repeats 3] [--only xor|classical]
        [--xor-ticks 800] [--original-python /work/venv-orig/bin/python]

Workloads (each the body of a notebook cell's ``train_func``, run directly, without Ray):

- ``xor``: florian2007_XOR.ipynb, rate coding, learning cell: ActiveRLNetwork, RLSTDP, a
  continuous-reward lambda, 60 inputs, 61 neurons, processing_time 500, 800 game steps.
- ``classical``: izhikevich2007.ipynb, classical-conditioning learning cell: RLNetwork,
  LTP, 100 inputs, 50 neurons, 5 episodes x 100 game steps of 100 network steps.

The same script text runs on both packages (it uses only the original's API). Each run
is a new Python process; the time is the cell's (building the game and network, the
loop, the prints), so our first-call costs (numba's cache load) are included. Prints the
median of ``--repeats`` runs per side, the ratio original/ours and the goal (>= 10x for
xor, >= 25x for classical), and each side's learning result.

The original needs Python with ``numpy<1.24`` and the original package installed, e.g.
``python3.11 -m venv /work/venv-orig && /work/venv-orig/bin/pip install numpy==1.23.5
matplotlib && /work/venv-orig/bin/pip install --no-deps -e <SpikeyCNS/spikey checkout>
--config-settings editable_mode=compat`` (its setup.py lists only the top package, so it
works only as an editable install). Without it the original's side is skipped, with a
message, and our timings are printed alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_ORIGINAL = os.environ.get("SPIKEY_ORIGINAL_PYTHON", "/work/venv-orig/bin/python")
GOALS = {"xor": 10.0, "classical": 25.0}

COMMON = """
import contextlib, io, json, sys, time
import numpy as np
from spikey.snn import *
from spikey.games import Logic
from spikey.viz import print_rates
np.random.seed(0)
"""

XOR = (
    COMMON
    + """
TICKS = {ticks}
t0 = time.perf_counter()


class XorReward(reward.template.Reward):
    def __call__(self, state, action, state_next):
        if sum(state) % 2 == 1:
            return self._reward_mult if action == True else 0
        return -self._punish_mult if action == True else 0


n_in, n, n_out, pt = 60, 61, 1, 500
layers = [np.random.uniform(0, 0.2, (n_in, n - n_out)), np.random.uniform(0, 0.2, (n - n_out, n_out))]
hi = 40 / pt
rates = {{(0, 0): np.array([0, 0]), (0, 1): np.array([0, hi]),
          (1, 0): np.array([hi, 0]), (1, 1): np.array([hi, hi])}}


class XorNet(ActiveRLNetwork):
    parts = {{"inputs": input.RateMap, "neurons": neuron.Neuron, "synapses": synapse.RLSTDP,
             "weights": weight.Manual, "readout": readout.Threshold, "rewarder": XorReward}}
    keys = dict(n_inputs=n_in, n_neurons=n, n_outputs=n_out, matrix=layers,
                input_pct_inhibitory=0.5, neuron_pct_inhibitory=0, magnitude=1,
                firing_threshold=16, refractory_period=0, prob_rand_fire=0.15,
                potential_decay=0.05, trace_decay=0.04, punish_mult=1, processing_time=pt,
                learning_rate=0.625 / 25, max_weight=5, stdp_window=20, action_threshold=0,
                continuous_rwd_action=lambda network, game: network.spike_log[-1, -1],
                state_rate_map=rates)


game = Logic(preset="XOR")
model = XorNet()
w0 = model.synapses.weights.matrix.copy()
model.reset()
state = game.reset()
inrates, outrates, states = [], [], []
for s in range(TICKS):
    action = model.tick(state)
    state_next, _, done, __ = game.step(action)
    model.reward(state, action, state_next)
    inrates.append(np.mean(np.abs(model.spike_log[-pt:, :n_in])))
    outrates.append(np.mean(np.abs(model.spike_log[-pt:, -n_out:])))
    states.append(state)
    state = state_next
    if done:
        break
with contextlib.redirect_stdout(io.StringIO()) as printed:
    print_rates(step_inrates=[inrates], step_outrates=[outrates], step_states=[states],
                observation_space=game.observation_space)
w1 = model.synapses.weights.matrix
seconds = time.perf_counter() - t0
st = np.array(states).reshape((-1, 2))
out = np.array(outrates)
last = max(1, min(50, len(out)) // 4)
high = min(np.mean(out[np.all(st == x, axis=1)][-last:]) for x in ([0, 1], [1, 0]))
low = max(np.mean(out[np.all(st == x, axis=1)][-last:]) for x in ([0, 0], [1, 1]))
print(json.dumps({{"seconds": seconds,
    "result": "w_in %.0f -> %.0f, high %.3f low %.3f win %s" % (
        w0[:, :n_in].sum(), w1[:, :n_in].sum(), high, low, bool(high > low + 0.02))}}))
"""
)

CLASSICAL = (
    COMMON
    + """
t0 = time.perf_counter()


class rand_state(Logic):
    NECESSARY_KEYS = Logic.extend_keys({{"n_states": "Number of input groups."}})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.observation_space = list(range(self._n_states))

    def _get_state(self):
        return np.random.randint(self._n_states)


class StateRewarder(reward.template.Reward):
    FIRE_STATES = [0, 3, 6, 9]

    def __call__(self, state, action, state_next):
        return self._reward_mult if state in self.FIRE_STATES else self._punish_mult


w_matrix = np.vstack((np.random.uniform(0, 0.5, (100, 50)), np.zeros((50, 50))))
state_rate_map = np.zeros((10, 10))
for s in range(10):
    state_rate_map[s, s] = 0.2


class network_template(RLNetwork):
    parts = {{"inputs": input.RateMap, "neurons": neuron.Neuron, "synapses": synapse.LTP,
             "weights": weight.Manual, "readout": readout.Threshold, "rewarder": StateRewarder}}
    keys = {{"n_inputs": 100, "n_neurons": 50, "n_outputs": 50, "matrix": w_matrix,
            "magnitude": 1, "potential_decay": 0.05, "n_states": 10, "refractory_period": 0,
            "firing_threshold": 8, "processing_time": 100, "learning_rate": 0.1,
            "max_weight": 2, "stdp_window": 100, "reward_mult": 1, "punish_mult": 0,
            "action_threshold": 0.0, "state_rate_map": state_rate_map}}


game = rand_state(**network_template.keys)
model = network_template()
inrates, outrates, states = [], [], []
for epoch in range(5):
    model.reset()
    state = game.reset()
    inrates.append([]); outrates.append([]); states.append([])
    for s in range(100):
        action = model.tick(state)
        state_next, _, done, __ = game.step(action)
        model.reward(state, action, state_next)
        inrates[-1].append(np.mean(np.abs(model.spike_log[-model._processing_time:, :model._n_inputs])))
        outrates[-1].append(np.mean(np.abs(model.spike_log[-model._processing_time:, -model._n_outputs:])))
        states[-1].append(state)
        state = state_next
        if done:
            break
with contextlib.redirect_stdout(io.StringIO()) as printed:
    print_rates(step_inrates=inrates, step_outrates=outrates, step_states=states,
                observation_space=game.observation_space)
seconds = time.perf_counter() - t0
rewarded = [l.split("->")[1].strip() for l in printed.getvalue().splitlines()
            if "->" in l and int(l.split(":")[0]) in StateRewarder.FIRE_STATES]
other = [l.split("->")[1].strip() for l in printed.getvalue().splitlines()
         if "->" in l and int(l.split(":")[0]) not in StateRewarder.FIRE_STATES]
print(json.dumps({{"seconds": seconds,
    "result": "rewarded states -> %s, others -> %s" % (" ".join(rewarded), " ".join(other))}}))
"""
)


def run_once(python: str, code: str, ours: bool) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if ours:
        env["PYTHONPATH"] = ROOT
    # the original runs outside our tree so that its own package is the one imported
    cwd = ROOT if ours else os.path.expanduser("~")
    out = subprocess.run(
        [python, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=3600
    )
    if out.returncode != 0:
        raise RuntimeError(f"{python} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def original_available(python: str) -> str | None:
    """None when ``python`` runs the original Spikey, else why not."""
    if not os.path.exists(python):
        return f"{python} does not exist"
    check = "import numpy, spikey.snn; print(numpy.__version__)"
    try:
        run = subprocess.run(
            [python, "-c", check],
            capture_output=True,
            text=True,
            cwd=os.path.expanduser("~"),
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            timeout=120,
        )
    except OSError as err:
        return str(err)
    if run.returncode != 0:
        return run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "import failed"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", choices=sorted(GOALS))
    ap.add_argument("--xor-ticks", type=int, default=800)
    ap.add_argument("--original-python", default=DEFAULT_ORIGINAL)
    args = ap.parse_args(argv)
    codes = {"xor": XOR.format(ticks=args.xor_ticks), "classical": CLASSICAL.format()}
    names = [args.only] if args.only else ["classical", "xor"]
    why_not = original_available(args.original_python)
    if why_not:
        print(
            f"original Spikey: SKIPPED ({why_not}); install it as the docstring says, or "
            f"pass --original-python. Printing our timings only."
        )
    run_once(sys.executable, codes["classical"].replace("range(5)", "range(1)"), True)  # cache
    for name in names:
        ours = [run_once(sys.executable, codes[name], True) for _ in range(args.repeats)]
        o = statistics.median(r["seconds"] for r in ours)
        print(f"{name:9s} ours     : median {o:.3f} s over {len(ours)} fresh processes; "
              f"{ours[-1]['result']}")  # fmt: skip
        if why_not:
            continue
        orig = [run_once(args.original_python, codes[name], False) for _ in range(args.repeats)]
        g = statistics.median(r["seconds"] for r in orig)
        print(f"{name:9s} original : median {g:.3f} s over {len(orig)} fresh processes; "
              f"{orig[-1]['result']}")  # fmt: skip
        print(f"{name:9s} ratio original/ours: {g / o:.1f}x (goal >= {GOALS[name]:.0f}x: "
              f"{'met' if g / o >= GOALS[name] else 'NOT met'})")  # fmt: skip
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
