"""Modifiers set on a built network (DropOff on the learning rate, LinearDecay from
the current rate), RLSTDP with trace_decay < 1 (learning every step from a decaying
reward trace), episodes with network.reset()."""

import numpy as np

from spikey.snn import (
    DropOff,
    LinearDecay,
    RLNetwork,
    input,
    neuron,
    readout,
    reward,
    synapse,
    weight,
)

np.random.seed(4)


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
        "processing_time": 16,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "max_weight": 2,
        "stdp_window": 4,
        "learning_rate": 0.5,
        "trace_decay": 0.5,
        "action_threshold": 0.2,
        "output_range": [-1, 1],
        "state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
        "expected_value": lambda state: 1 if state == 1 else -1,
        "punish_mult": 1,
        "matrix": np.vstack(
            (
                np.array(
                    [
                        [1.0, 0.0, 0.5, 0.5, 0.25],
                        [0.0, 1.0, 0.5, 0.25, 0.5],
                        [0.5, 0.5, 0.0, 0.75, 0.25],
                        [0.25, 0.5, 1.0, 0.0, 0.75],
                    ]
                ),
                np.full((5, 5), 0.5) * (1 - np.eye(5)),
            )
        ),
    }


network = Net()
network.modifiers = [DropOff(["network", "synapses", "_learning_rate"], 4, 0.5, 0.25)]
rates, actions, weights, traces = [], [], [], []
for episode in range(3):
    if episode == 2:
        network.modifiers = [LinearDecay(["network", "synapses", "_learning_rate"], 4, 0.25, 0.0)]
    network.reset()
    for step in range(6):
        state = (step + episode) % 3
        action = network.tick(state)
        rwd = network.reward(state, action, None)
        rates.append(float(network.synapses._learning_rate))
        actions.append(int(action))
        traces.append(round(float(network.synapses.trace), 10))
        weights.append(round(float(network.weights.matrix.sum()), 10))

RESULT = {
    "learning_rates": [round(r, 10) for r in rates],
    "actions": actions,
    "traces": traces,
    "weight_sums": weights,
    "modifier_step": network.modifiers[0].step,
}
print(RESULT)
