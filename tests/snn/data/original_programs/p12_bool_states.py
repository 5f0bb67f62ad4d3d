"""A one-bit game whose states are plain bools, looked up in an array state_rate_map
(True is row 1, as an int); a Threshold whose output_range is [False, True];
MatchExpected comparing bools; a network with no outputs."""

import numpy as np

from spikey.games.template import RL
from spikey.snn import Network, RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(12)


class Blinker(RL):
    def reset(self):
        self.state = False
        return self.state

    def step(self, action):
        self.state = not self.state
        return self.state, 0, False, {}


parts = {
    "inputs": input.RateMap,
    "neurons": neuron.Neuron,
    "weights": weight.Manual,
    "synapses": synapse.RLSTDP,
    "readout": readout.Threshold,
    "rewarder": reward.MatchExpected,
}
keys = {
    "n_inputs": 4,
    "n_neurons": 4,
    "n_outputs": 2,
    "processing_time": 10,
    "magnitude": 1,
    "firing_threshold": 1.3,
    "potential_decay": 0.5,
    "refractory_period": 1,
    "max_weight": 1,
    "stdp_window": 4,
    "learning_rate": 0.25,
    "action_threshold": 0.2,
    "output_range": [False, True],
    "expected_value": lambda state: state,
    "punish_mult": 1,
    "state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0]]),
    "matrix": np.vstack(
        (
            np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]] * 2),
            np.full((4, 4), 0.25) * (1 - np.eye(4)),
        )
    ),
}

game = Blinker()
network = RLNetwork(game=game, **parts, **keys)
network.reset()
state = game.reset()
actions, rewards, counts = [], [], []
for step in range(10):
    action = network.tick(state)
    state_next, _, done, info = game.step(action)
    rewards.append(float(network.reward(state, action, state_next)))
    actions.append(bool(action))
    counts.append(np.count_nonzero(network.spike_log, axis=0).tolist())
    state = state_next

silent = Network(
    **{k: v for k, v in parts.items() if k != "rewarder"},
    **dict(keys, n_outputs=0),
)
silent.reset()
RESULT = {
    "actions": actions,
    "rewards": rewards,
    "spike_counts": counts,
    "weights": network.weights.matrix.round(10).tolist(),
    "no_outputs": [float(silent.tick(True)), float(silent.tick(False))],
}
print(RESULT["actions"], RESULT["rewards"])
