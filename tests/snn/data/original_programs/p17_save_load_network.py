"""A whole network saved with spikey.save mid-run and loaded back: the loaded network
goes on exactly as the one that never stopped (weights, spike log, neuron state);
spikey.load refuses a pickle that is not a spikey Module."""

import os
import pickle
import tempfile

import numpy as np

import spikey
from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(17)


def expected(state):
    return state % 2


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
        "n_neurons": 4,
        "n_outputs": 2,
        "processing_time": 10,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "max_weight": 2,
        "stdp_window": 4,
        "learning_rate": 0.25,
        "action_threshold": 0.15,
        "punish_mult": 1,
        "expected_value": expected,
        "state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0]]),
        "matrix": np.vstack((np.full((4, 4), 0.75), np.full((4, 4), 0.5) * (1 - np.eye(4)))),
    }


def play(network, steps, start):
    out = []
    for step in range(start, start + steps):
        state = step % 2 if step % 5 else 1
        action = network.tick(state)
        network.reward(state, action, None)
        out.append([int(action), int(np.count_nonzero(network.spike_log))])
    return out


folder = tempfile.mkdtemp()
path = os.path.join(folder, "network.pickle")
network = Net()
network.reset()
first = play(network, 6, 0)
spikey.save(network, path)
kept = play(network, 6, 6)
loaded = spikey.load(path)
again = play(loaded, 6, 6)
with open(os.path.join(folder, "other.pickle"), "wb") as f:
    pickle.dump({"not": "a module"}, f)
try:
    spikey.load(os.path.join(folder, "other.pickle"))
    refused = False
except ValueError:
    refused = True
for name in os.listdir(folder):
    os.remove(os.path.join(folder, name))
os.rmdir(folder)

RESULT = {
    "first": first,
    "kept": kept,
    "loaded_again": again,
    "same_weights": bool(np.array_equal(network.weights.matrix, loaded.weights.matrix)),
    "same_log": bool(np.array_equal(network.spike_log, loaded.spike_log)),
    "refused": refused,
}
print(RESULT)
