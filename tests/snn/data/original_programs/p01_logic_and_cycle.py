"""Logic AND with a cycling state, 0/1 rates, RLSTDP and a 'mean' threshold readout."""

import numpy as np

from spikey.games import Logic
from spikey.snn import *  # noqa: F403

np.random.seed(1)

STATES = [(False, False), (False, True), (True, False), (True, True)]


class CycleAND(Logic):
    def __init__(self, **kwargs):
        super().__init__(preset="AND", **kwargs)
        self.t = 0

    def _get_state(self):
        self.t += 1
        return STATES[self.t % 4]


class network_template(RLNetwork):  # noqa: F405
    parts = {
        "inputs": input.RateMap,  # noqa: F405
        "neurons": neuron.Neuron,  # noqa: F405
        "weights": weight.Manual,  # noqa: F405
        "synapses": synapse.RLSTDP,  # noqa: F405
        "readout": readout.Threshold,  # noqa: F405
        "rewarder": reward.MatchExpected,  # noqa: F405
    }
    keys = {
        "n_inputs": 4,
        "n_neurons": 6,
        "n_outputs": 2,
        "processing_time": 20,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 2,
        "max_weight": 2,
        "stdp_window": 4,
        "learning_rate": 0.25,
        "punish_mult": 0.5,
        "action_threshold": "mean",
        "state_rate_map": {
            (False, False): np.array([0.0, 0.0]),
            (False, True): np.array([0.0, 1.0]),
            (True, False): np.array([1.0, 0.0]),
            (True, True): np.array([1.0, 1.0]),
        },
        "matrix": np.vstack(
            (
                np.array(
                    [
                        [1.0, 0.5, 0.0, 0.0, 0.5, 0.5],
                        [0.0, 1.0, 0.5, 0.0, 0.5, 0.0],
                        [0.0, 0.0, 1.0, 0.5, 0.0, 0.5],
                        [0.5, 0.0, 0.0, 1.0, 0.5, 0.5],
                    ]
                ),
                np.full((6, 6), 0.25) * (1 - np.eye(6)),
            )
        ),
    }


game = CycleAND()
network = network_template(game=game)
actions, rewards, body_spikes, weight_sums = [], [], [], []
for episode in range(2):
    network.reset()
    state = game.reset()
    for s in range(12):
        action = network.tick(state)
        state_next, _, done, __ = game.step(action)
        rwd = network.reward(state, action, state_next)
        actions.append(int(action))
        rewards.append(float(rwd))
        body_spikes.append(int(np.count_nonzero(network.spike_log[:, 4:])))
        weight_sums.append(float(np.sum(network.weights.matrix)))
        state = state_next

RESULT = {
    "actions": actions,
    "rewards": rewards,
    "body_spikes": body_spikes,
    "weight_sums": weight_sums,
    "final_weights": network.weights.matrix.round(10).tolist(),
}
print(RESULT["actions"], RESULT["rewards"])
