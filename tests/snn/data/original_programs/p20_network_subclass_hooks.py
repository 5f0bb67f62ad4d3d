"""A network subclass that overrides the per-step hook _process_step (recording the
potentials and injecting a current into neuron 0 on even steps) and tick (counting
calls, reading spike_log), and a rewarder that reads the network's own state."""

import numpy as np

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(20)


class Recording(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "weights": weight.Manual,
        "synapses": synapse.RLSTDP,
        "readout": readout.PopulationVector,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 4,
        "n_neurons": 4,
        "n_outputs": 4,
        "n_actions": 2,
        "processing_time": 8,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "max_weight": 2,
        "stdp_window": 4,
        "learning_rate": 0.25,
        "expected_value": lambda state: state,
        "punish_mult": 1,
        "state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0]]),
        "matrix": np.vstack((np.full((4, 4), 0.5), np.full((4, 4), 0.25) * (1 - np.eye(4)))),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.potential_log = []
        self.ticks = 0

    def _process_step(self, i, state):
        if i % 2 == 0:
            self.neurons.potentials[0] += 0.5
        super()._process_step(i, state)
        self.potential_log.append(np.asarray(self.neurons.potentials, dtype=float).tolist())

    def tick(self, state):
        self.ticks += 1
        vector = super().tick(state)
        return int(np.argmax(vector))


network = Recording()
network.reset()
actions, rewards = [], []
for step in range(6):
    state = step % 2
    action = network.tick(state)
    rewards.append(float(network.reward(state, action, None)))
    actions.append(action)

RESULT = {
    "actions": actions,
    "rewards": rewards,
    "ticks": network.ticks,
    "potentials": [[max(v, -1000.0) for v in row] for row in network.potential_log],
    "weights": network.weights.matrix.round(10).tolist(),
}
print(RESULT["actions"], RESULT["rewards"])
