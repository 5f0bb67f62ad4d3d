"""Changing a built network between game steps: modifiers on other keys than the
learning rate (firing threshold, potential decay, input magnitude, refractory period,
readout threshold), direct writes to weights._matrix, polarities replaced between
episodes, eval() then train() again."""

import numpy as np

from spikey.snn import DropOff, RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(13)


class Net(RLNetwork):
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
        "n_neurons": 5,
        "n_outputs": 2,
        "processing_time": 12,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "max_weight": 2,
        "stdp_window": 4,
        "learning_rate": 0.25,
        "action_threshold": 0.1,
        "expected_value": lambda state: state % 2,
        "state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
        "matrix": np.vstack(
            (
                np.array(
                    [
                        [1.0, 0.5, 0.0, 0.5, 0.25],
                        [0.5, 1.0, 0.5, 0.0, 0.5],
                        [0.0, 0.5, 1.0, 0.5, 0.25],
                        [0.5, 0.0, 0.5, 1.0, 0.5],
                    ]
                ),
                np.full((5, 5), 0.25) * (1 - np.eye(5)),
            )
        ),
    }


network = Net()
network.modifiers = [
    DropOff(["network", "neurons", "_firing_threshold"], 3, 1.3, 2.3),
    DropOff(["network", "neurons", "_potential_decay"], 5, 0.5, 0.25),
    DropOff(["network", "inputs", "_magnitude"], 7, 1.0, 2.0),
    DropOff(["network", "neurons", "_refractory_period"], 9, 1, 3),
    DropOff(["network", "readout", "_action_threshold"], 4, 0.1, 0.3),
]
counts, actions, sums = [], [], []


def play(n, offset=0):
    for step in range(n):
        state = (step + offset) % 3
        action = network.tick(state)
        network.reward(state, action, None)
        counts.append(np.count_nonzero(network.spike_log, axis=0).tolist())
        actions.append(int(action))
        sums.append(round(float(network.weights.matrix.sum()), 10))


network.reset()
play(12)
network.weights.matrix[4:, :] = 0.5 * (1 - np.eye(5))  # the user rewires the body
play(3, 1)
network.modifiers = None
network.neurons.polarities = np.array([1.0, -1.0, 1.0, 1.0, 1.0])
network.reset()
play(4, 2)
before_eval = network.weights.matrix.copy()
n_before = len(sums)
network.eval()
play(3)
eval_sums = sums[n_before - 1 :]  # the sum before eval(), then the 3 eval steps
del counts[n_before:], actions[n_before:], sums[n_before:]
network.weights.matrix[:] = before_eval  # undo whatever eval() let through
network.train()
network.reset()  # and the neuron state it left
play(3)

RESULT = {
    "spike_counts": counts,
    "actions": actions,
    "weight_sums": sums,
    "eval_sums": eval_sums,
    "params_now": [
        float(network.neurons._firing_threshold),
        float(network.neurons._potential_decay),
        float(network.inputs._magnitude),
        int(network.neurons._refractory_period),
    ],
}
print(RESULT["actions"], RESULT["weight_sums"][-1])
