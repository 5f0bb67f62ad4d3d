"""ActiveRLNetwork: a reward every network step through continuous_rwd_action, RLSTDP,
NeuronRates readout with output pools, a game state given as a list."""

import numpy as np

from spikey.snn import ActiveRLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(5)


def rwd_action(network, state):
    """Reward while the output group of the state's first bit has spiked this step."""
    return int(np.sum(network.spike_log[-1, -2:]) > 0)


parts = {
    "inputs": input.RateMap,
    "neurons": neuron.Neuron,
    "weights": weight.Manual,
    "synapses": synapse.RLSTDP,
    "readout": readout.NeuronRates,
    "rewarder": reward.MatchExpected,
}
keys = {
    "n_inputs": 6,
    "n_neurons": 6,
    "n_outputs": 4,
    "n_actions": 2,
    "processing_time": 10,
    "magnitude": 1,
    "firing_threshold": 1.3,
    "potential_decay": 0.5,
    "refractory_period": 1,
    "max_weight": 1.5,
    "stdp_window": 6,
    "learning_rate": 0.25,
    "continuous_rwd_action": rwd_action,
    "expected_value": lambda state: state[0],
    "reward_mult": 1,
    "punish_mult": 0.5,
    "state_rate_map": {
        (0, 0): np.array([0.0, 0.0, 1.0]),
        (0, 1): np.array([0.0, 1.0, 1.0]),
        (1, 0): np.array([1.0, 0.0, 1.0]),
        (1, 1): np.array([1.0, 1.0, 0.0]),
    },
    "matrix": np.vstack(
        (
            np.array(
                [
                    [1.0, 0.5, 0.0, 0.0, 0.75, 0.25],
                    [0.5, 1.0, 0.25, 0.0, 0.0, 0.75],
                    [0.0, 0.25, 1.0, 0.5, 0.5, 0.0],
                    [0.0, 0.0, 0.5, 1.0, 0.25, 0.5],
                    [0.75, 0.0, 0.0, 0.25, 1.0, 0.0],
                    [0.25, 0.75, 0.5, 0.0, 0.0, 1.0],
                ]
            ),
            np.full((6, 6), 0.25) * (1 - np.eye(6)),
        )
    ),
}
network = ActiveRLNetwork(**parts, **keys)
network.reset()
outs, sums = [], []
for step in range(12):
    state = [(0, 0), (0, 1), (1, 0), (1, 1)][step % 4]
    out = network.tick(state)
    outs.append([round(float(x), 3) for x in out])
    sums.append(round(float(network.weights.matrix.sum()), 10))

RESULT = {
    "outputs": outs,
    "weight_sums": sums,
    "internal_time": int(network.internal_time),
    "final_weights": network.weights.matrix.round(10).tolist(),
}
print(RESULT["weight_sums"])
