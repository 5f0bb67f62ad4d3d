"""Manual weights as a list of feed-forward layers and as a function of the part,
signed spike-log values (magnitude 2, inhibitory body neurons through 'polarities'),
Threshold with a custom output_range, list_keys, spikey.save/load, Network.copy()."""

import contextlib
import io
import os
import re
import tempfile

import numpy as np

import spikey
from spikey.snn import Network, input, neuron, readout, synapse, weight

np.random.seed(10)

layers = [
    np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5]]),  # 2 inputs -> 3 hidden
    np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]),  # 3 hidden -> 2 outputs
]


def ring(w):
    """A function matrix: each body neuron excites the next, inputs feed neuron 0."""
    m = np.zeros((w._n_inputs + w._n_neurons, w._n_neurons))
    m[: w._n_inputs, 0] = 1.5
    for i in range(w._n_neurons):
        m[w._n_inputs + i, (i + 1) % w._n_neurons] = 1.5
    return m


parts = {
    "inputs": input.RateMap,
    "neurons": neuron.Neuron,
    "weights": weight.Manual,
    "synapses": synapse.LTP,
    "readout": readout.Threshold,
}
keys = {
    "n_inputs": 2,
    "n_neurons": 5,
    "n_outputs": 2,
    "processing_time": 12,
    "magnitude": 2,
    "firing_threshold": 1.3,
    "potential_decay": 0.5,
    "refractory_period": 1,
    "polarities": [1, 1, -1, 1, 1],
    "max_weight": 2,
    "stdp_window": 4,
    "learning_rate": 0.5,
    "action_threshold": 0.2,
    "output_range": ["low", "high"],
    "state_rate_map": np.array([[0.0, 1.0], [1.0, 1.0]]),
    "matrix": layers,
}

results = {}
for name, matrix in (("layers", layers), ("ring", ring)):
    net = Network(**parts, **dict(keys, matrix=matrix))
    net.reset()
    outs, sums, mins, maxs = [], [], [], []
    for step in range(6):
        outs.append(net.tick(step % 2))
        sums.append(float(net.spike_log.sum()))
        mins.append(float(net.spike_log.min()))
        maxs.append(float(net.spike_log.max()))
    results[name] = {
        "outputs": outs,
        "log_sums": sums,
        "log_min": mins,
        "log_max": maxs,
        "matrix": net.weights.matrix.tolist(),
        "internal_time": int(net.internal_time),
    }

path = os.path.join(tempfile.mkdtemp(), "net.spikey")
net = Network(**parts, **keys)
net.reset()
first = net.tick(1)
spikey.save(net.weights, path)
loaded = spikey.load(path)
os.remove(path)
os.rmdir(os.path.dirname(path))
copied = net.copy()
copied.reset()

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    Network.list_keys(**parts)

RESULT = {
    **results,
    "first": first,
    "loaded_equal": bool(np.array_equal(loaded.matrix, net.weights.matrix)),
    "copy_tick": copied.tick(1),
    "copy_log_sum": float(copied.spike_log.sum()),
    "listed_keys": sorted(set(re.findall(r'"(\w+)":', buf.getvalue()))),
}
print(RESULT["layers"]["outputs"], RESULT["ring"]["outputs"])
