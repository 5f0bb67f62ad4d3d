"""Measured effects of the differences from the original Spikey (docs/migration.md).

Run ``python tests/snn/compat_effects.py`` to print the numbers the migration guide
quotes; ``test_compat_original.py`` uses the same helpers on a smaller budget.

``Float16Neuron`` reproduces the original's float16 potentials on top of the built-in
neuron (it redefines ``reset`` and ``update``, so a network holding it takes the Python
path); everything else in a run is the same, so a difference in the results is the
float16 state's alone.
"""

from __future__ import annotations

import time

import numpy as np

from spikey.games import Logic
from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight
from spikey.snn.neuron.template import REFRACTORY_MV


class Float16Neuron(neuron.Neuron):
    """The built-in neuron with the original's float16 potentials: every operation on
    them rounds to float16, as numpy did on the original's ``float16`` array."""

    def reset(self):
        super().reset()
        self.potentials = self.potentials.astype(np.float16)

    def update(self, incoming_v):
        self.refractory_timers -= 1
        self.schedule[:-1] = self.schedule[1:]
        self.schedule[-1] = 0.0
        v = self.potentials
        v[self.refractory_timers > 0] = REFRACTORY_MV
        v[self.refractory_timers == 0] = self._resting_mv
        decay = 1.0 - self._potential_decay
        v = (v - np.float16(self._resting_mv)) * np.float16(decay) + np.float16(self._resting_mv)
        v += np.asarray(incoming_v, dtype=float).astype(np.float16)
        self.potentials = v


def expected_or(state):
    """The OR gate's answer for a Logic state."""
    return int(state[0] or state[1])


class OrNetwork(RLNetwork):
    """A Logic OR learner in the original's API: RateMap, Neuron, RLSTDP, Random weights."""

    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "weights": weight.Random,
        "synapses": synapse.RLSTDP,
        "readout": readout.Threshold,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 20,
        "n_neurons": 30,
        "n_outputs": 10,
        "processing_time": 50,
        "magnitude": 2.3,
        "firing_threshold": 7.1,
        "potential_decay": 0.13,
        "refractory_period": 2,
        "neuron_pct_inhibitory": 0.2,
        "max_weight": 0.35,
        "weight_generator": lambda shape: np.random.uniform(0, 1, shape),
        "stdp_window": 20,
        "learning_rate": 0.05,
        "trace_decay": 0.1,
        "state_rate_map": np.array([0.05, 0.6]),
        "action_threshold": 0.1,
        "expected_value": expected_or,
        "reward_mult": 1.0,
        "punish_mult": 0.5,
    }


def or_run(neurons=neuron.Neuron, seed=0, game_steps=200):
    """Play OR for ``game_steps`` steps; return (actions, body spikes, final weights)."""
    np.random.seed(seed)
    game = Logic(preset="OR")
    net = OrNetwork(game=game, neurons=neurons, seed=seed)
    net.reset()
    game.seed(seed)
    state = game.reset()
    actions, body = [], 0
    for _ in range(game_steps):
        action = net.tick(state)
        body += int(np.count_nonzero(net.spike_log[:, net._n_inputs :]))
        state_next, _, done, _ = game.step(action)
        net.reward(state, action, state_next)
        actions.append(action)
        state = game.reset() if done else state_next
    return np.array(actions), body, net.weights.matrix.copy()


def float16_effect(seeds=range(10), game_steps=200):
    """Per seed: share of game steps whose action differs, body spikes (float64,
    float16), and the largest weight difference at the end."""
    rows = []
    for seed in seeds:
        a64, b64, w64 = or_run(neuron.Neuron, seed, game_steps)
        a16, b16, w16 = or_run(Float16Neuron, seed, game_steps)
        first = int(np.argmax(a64 != a16)) if np.any(a64 != a16) else None
        rows.append(
            {
                "seed": seed,
                "actions_differ": float(np.mean(a64 != a16)),
                "first_differing_step": first,
                "body_spikes": (b64, b16),
                "max_weight_diff": float(np.max(np.abs(w64 - w16))),
            }
        )
    return rows


def masked_update_cost(n_all=160, n=100, reps=2000):
    """Seconds per learning-rule block update: the original's masked ``_matrix`` vs a
    plain array with a ``live`` mask (same entries change)."""
    g = np.random.default_rng(0)
    dense = g.uniform(0, 1, (n_all, n)) * (g.random((n_all, n)) < 0.5)
    rows, cols = np.sort(g.choice(n_all, 30, replace=False)), np.sort(g.choice(n, 20, False))
    ix = np.ix_(rows, cols)
    d = g.normal(0, 0.01, (rows.size, 1))
    masked = np.ma.array(dense.copy(), mask=dense == 0, fill_value=0)
    plain, live = dense.copy(), dense != 0
    t0 = time.perf_counter()
    for _ in range(reps):
        masked[ix] += d
        np.clip(masked.data, 0.0, 1.0, out=masked.data)
    t_masked = (time.perf_counter() - t0) / reps
    t0 = time.perf_counter()
    for _ in range(reps):
        block = plain[ix]
        plain[ix] = np.clip(np.where(live[ix], block + d, block), 0.0, 1.0)
    t_plain = (time.perf_counter() - t0) / reps
    same = np.array_equal(masked.data, plain)
    return t_masked, t_plain, same


def main():
    print("float16 potentials (OR task, 200 game steps, RLSTDP, seeds 0-9):")
    rows = float16_effect()
    for r in rows:
        print(f"  {r}")
    differ = [r["actions_differ"] for r in rows]
    print(
        f"  seeds with a different action sequence: {sum(d > 0 for d in differ)}/{len(rows)}; "
        f"share of steps differing: mean {np.mean(differ):.3f}, max {np.max(differ):.3f}"
    )
    print(f"  5.6 stored as float16: {float(np.float16(5.6))!r}")
    t_m, t_p, same = masked_update_cost()
    print(
        f"masked _matrix block update {t_m * 1e6:.1f} us vs plain + live {t_p * 1e6:.1f} us "
        f"({t_m / t_p:.1f}x); same weights: {same}"
    )


if __name__ == "__main__":
    main()
