"""Random weights from a user's weight_generator with a body mask, NeuronRates with
n_actions=0, train() vs eval(), Network.copy(), params and a plain (non-RL) Network."""

import numpy as np

from spikey.snn import Network, RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(3)
N_IN, N = 4, 8
mask = np.ones((N, N), dtype=bool)
mask[:, :2] = False  # nothing feeds back into neurons 0-1 from the body


def generator(shape):
    return np.random.RandomState(7).choice([0.25, 0.5, 0.75], size=shape)


parts = {
    "inputs": input.RateMap,
    "neurons": neuron.Neuron,
    "weights": weight.Random,
    "synapses": synapse.RLSTDP,
    "readout": readout.NeuronRates,
    "rewarder": reward.MatchExpected,
}
keys = {
    "n_inputs": N_IN,
    "n_neurons": N,
    "n_outputs": 4,
    "n_actions": 0,
    "processing_time": 12,
    "magnitude": 1,
    "firing_threshold": 1.3,
    "potential_decay": 0.5,
    "refractory_period": 2,
    "max_weight": 1,
    "stdp_window": 6,
    "learning_rate": 0.5,
    "weight_generator": generator,
    "matrix_mask": mask,
    "state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0]]),
    "expected_value": lambda state: np.array([1, 0, 0, 1]) * 0.5,
}

network = RLNetwork(**parts, **keys)
start = network.weights.matrix.copy()
rates = []
network.reset()
for step in range(10):
    if step == 5:
        network.eval()
    state = step % 2
    out = network.tick(state)
    network.reward(state, out, None, reward=1.0)
    rates.append([round(float(x), 10) for x in out])
after_train = network.weights.matrix.copy()

fresh = network.copy()
fresh.reset()
copy_rates = [[round(float(x), 10) for x in fresh.tick(1)] for _ in range(2)]

plain = Network(
    **{k: v for k, v in parts.items() if k != "rewarder"},
    **{k: v for k, v in keys.items() if k != "expected_value"},
)
plain.reset()
plain_out = [round(float(x), 10) for x in plain.tick(0)]

RESULT = {
    "start_weights": start.tolist(),
    "rates": rates,
    "weights_after": after_train.round(10).tolist(),
    "copy_rates": copy_rates,
    "copy_weights_equal_start": bool(np.array_equal(fresh.weights.matrix, start)),
    "plain_out": plain_out,
    "param_keys": sorted(k for k in network.params if not k.startswith("_")),
    "n_out": len(rates[0]),
}
print(RESULT["rates"])
