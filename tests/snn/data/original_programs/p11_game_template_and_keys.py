"""A user game on the RL template (PRESETS, class config, NECESSARY_KEYS) whose params
flow into the network (kwargs > template keys > game params), Logic's own step
results, a readout with dict-style NECESSARY_KEYS, prob_rand_fire=1 and
input_firing_steps, a reward of 0 given explicitly, Weight arithmetic, and the
state/action count helpers of spikey.viz."""

import numpy as np

from spikey.games import Logic
from spikey.games.template import RL
from spikey.module import Key
from spikey.snn import RLNetwork, input, neuron, reward, synapse, weight
from spikey.snn.readout.template import Readout
from spikey.viz import state_action_counts, state_transition_matrix

np.random.seed(11)


class Corridor(RL):
    """Walk along n_cells; state is the cell, action 1 steps right, 0 left."""

    NECESSARY_KEYS = [
        Key("n_cells", "Cells in the corridor.", int),
        Key("start", "First cell.", int, default=0),
        Key("processing_time", "Network steps per game step.", int),
    ]
    PRESETS = {"short": {"n_cells": 3, "processing_time": 9}, "long": {"n_cells": 6}}
    config = {"processing_time": 12}

    def __init__(self, preset="long", **kwargs):
        super().__init__(preset=preset, **kwargs)

    def reset(self):
        self.cell = self._start
        return self.cell

    def step(self, action):
        self.cell = int(np.clip(self.cell + (1 if action else -1), 0, self._n_cells - 1))
        return self.cell, float(self.cell == self._n_cells - 1), self.cell == self._n_cells - 1, {}


class FirstHalf(Readout):
    NECESSARY_KEYS = {
        "n_outputs": "Number of outputs.",
        "magnitude": "Spike magnitude.",
        "bias": "Added to the first half's count.",
    }

    def __call__(self, output_spike_train):
        counts = np.sum(output_spike_train != 0, axis=0)
        half = len(counts) // 2
        return int(counts[half:].sum() > counts[:half].sum() + self._bias)


class Net(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "weights": weight.Manual,
        "synapses": synapse.LTP,
        "readout": FirstHalf,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 6,
        "n_neurons": 4,
        "n_outputs": 4,
        "processing_time": 10,
        "magnitude": 1,
        "firing_threshold": 100,
        "potential_decay": 0.5,
        "prob_rand_fire": 1.0,
        "refractory_period": 2,
        "input_firing_steps": 4,
        "bias": 1,
        "max_weight": 1,
        "stdp_window": 4,
        "learning_rate": 0.5,
        "expected_value": lambda state: 1,
        "state_rate_map": np.eye(6),
        "matrix": np.vstack((np.full((6, 4), 0.5), np.zeros((4, 4)))),
    }


game = Corridor(start=1)
network = Net(game=game, refractory_period=1)
got = {
    "game_params": sorted(game.params),
    "processing_time": network._processing_time,
    "refractory": network.neurons._refractory_period,
    "n_cells": game._n_cells,
}
network.reset()
state = game.reset()
states, actions, logs, rewards = [state], [], [], []
for step in range(8):
    action = network.tick(state)
    state, rwd, done, info = game.step(action)
    given = network.reward(states[-1], action, state, reward=0 if step % 3 == 0 else None)
    states.append(state)
    actions.append(action)
    rewards.append(float(given))
    logs.append(np.count_nonzero(network.spike_log, axis=0).tolist())
    if done:
        state = game.reset()

logic = Logic(preset="AND")
s0 = logic.reset()
logic_step = logic.step(True)

w = network.weights
w += 0.25
w *= 2
w -= 0.5
w /= 2
after_ops = w.matrix.round(10).tolist()
item = float(np.asarray(w[0, 1]))

RESULT = {
    **got,
    "short": Corridor(preset="short").params,
    "states": states,
    "actions": actions,
    "rewards": rewards,
    "spike_counts": logs,
    # the state is random (np.random there, the game's Generator here): its form only
    "logic_step": [
        [v in (True, False) for v in logic_step[0]],
        logic_step[1],
        logic_step[2],
        logic_step[3],
    ],
    "logic_expected": [int(logic.params["expected_value"](s)) for s in logic.observation_space],
    "xor_printed": [str(Logic(preset="XOR").params["expected_value"](s)) for s in [(1, 0), (1, 1)]],
    "logic_spaces": [list(map(list, logic.observation_space)), list(logic.action_space)],
    "after_ops": after_ops,
    "item": item,
    "transitions": state_transition_matrix([1, 2, 3, 5, 6, 1, 2, 1, 2, 1, 2]).tolist(),
    "pairs": state_action_counts([1, 2, 3, 5, 6, 1], [1, 3, 3, 5, 6, 1]).tolist(),
}
print(RESULT["states"], RESULT["actions"])
