"""StaticMap looked up by states of several forms: a dict keyed by tuples read with
list and array states, an array map read with int and tuple states; every input and
every body neuron inhibitory (pct 1), LTP learning from negative credit."""

import numpy as np

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(14)
T = 6
pattern_a = np.zeros((T, 4))
pattern_a[::2] = [1, 1, 0, 0]
pattern_b = np.zeros((T, 4))
pattern_b[1::2] = [0, 1, 1, 1]
array_map = np.stack([pattern_a, pattern_b, pattern_a + pattern_b])

base = {
    "neurons": neuron.Neuron,
    "weights": weight.Manual,
    "synapses": synapse.LTP,
    "readout": readout.Threshold,
    "rewarder": reward.MatchExpected,
    "inputs": input.StaticMap,
}
keys = {
    "n_inputs": 4,
    "n_neurons": 4,
    "n_outputs": 2,
    "processing_time": T,
    "magnitude": 1,
    "firing_threshold": -1.3,  # inhibitory inputs drive the potentials down
    "potential_decay": 0.5,
    "refractory_period": 1,
    "resting_mv": 0,
    "input_pct_inhibitory": 1.0,
    "neuron_pct_inhibitory": 1.0,
    "max_weight": 2,
    "stdp_window": 4,
    "learning_rate": 0.5,
    "action_threshold": -0.2,
    "punish_mult": 1,
    "expected_value": lambda state: 1,
    "matrix": np.vstack((np.full((4, 4), 0.75), np.full((4, 4), 0.5) * (1 - np.eye(4)))),
}


class FiresBelow(neuron.Neuron):
    """Fires when the potential falls below the (negative) threshold."""

    def __call__(self):
        self.potentials = -self.potentials
        out = super().__call__()
        self.potentials = -self.potentials
        return out


results = {}
for name, smap, states in (
    ("dict", {(0, 1): pattern_a, (1, 0): pattern_b}, [[0, 1], np.array([1, 0]), (0, 1)]),
    ("array", array_map, [0, (1,), np.int64(2), 1]),
):
    network = RLNetwork(**dict(base, neurons=FiresBelow), **dict(keys, state_spike_map=smap))
    network.reset()
    logs = []
    for step in range(6):
        state = states[step % len(states)]
        action = network.tick(state)
        network.reward(state, action, None)
        logs.append(np.asarray(network.spike_log).sum(axis=0).tolist())
    results[name] = {
        "log_sums": logs,
        "weights": network.weights.matrix.round(10).tolist(),
        "polarities": [
            np.asarray(network.inputs.polarities).tolist(),
            np.asarray(network.neurons.polarities).tolist(),
        ],
    }

RESULT = results
print(results["dict"]["log_sums"][-1], results["array"]["log_sums"][-1])
