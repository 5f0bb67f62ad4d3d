"""Parts used one by one, outside a network, as the tutorial does: inputs called by
hand, a neuron driven with += and (), synapses updated with a hand-made window and
rewarded, readouts and a rewarder called on hand-made spike trains, Key printing."""

import numpy as np

from spikey.module import Key
from spikey.snn import input, neuron, readout, reward, synapse, weight

np.random.seed(15)
out = {}

inputs = input.RateMap(n_inputs=6, magnitude=2, state_rate_map={"a": np.array([1.0, 0.0, 1.0])})
inputs.update("a")
out["ratemap"] = [np.asarray(inputs()).tolist() for _ in range(2)]
static = input.StaticMap(n_inputs=3, magnitude=1.5, state_spike_map={7: np.eye(3)})
static.update(7)
out["staticmap"] = [np.asarray(static()).tolist() for _ in range(3)]
out["input_len"] = len(static)

cells = neuron.Neuron(
    magnitude=1.5,
    n_neurons=3,
    firing_threshold=1,
    potential_decay=0.5,
    refractory_period=2,
    spike_delay=1,
    polarities=[1, -1, 1],
)
cells.reset()
trace = []
for current in ([1.5, 0, 0.5], [0, 1.25, 0.5], [0, 0, 0.5], [0.5, 0.5, 0.5], [0, 0, 0], [2, 2, 2]):
    spikes = cells()
    cells += np.array(current)
    v = np.asarray(cells.potentials, dtype=float)
    # refractory potentials are "very negative" (float16 there, so not the same number)
    trace.append([np.asarray(spikes).tolist(), np.where(v < -1000, -1000, v).tolist()])
out["neuron"] = trace

w = weight.Manual(n_inputs=2, n_neurons=3, max_weight=1, matrix=np.full((5, 3), 0.5) * [1, 0, 1])
syn = synapse.RLSTDP(w, n_inputs=2, n_neurons=3, stdp_window=4, learning_rate=0.5)
syn.reset()
window = np.array([[1, 0, 0, 0, 0], [0, 1, 1, 0, 0], [1, 1, 0, 0, 0], [0, 0, 1, 1, 1]], dtype=bool)
polarities = np.array([1.0, -1.0, 1.0, 1.0, 1.0])
syn.update(window, polarities)
syn.reward(1.0)
after_reward = w.matrix.tolist()
syn.update(window, polarities)
syn.reward(-0.5)
out["synapse"] = [after_reward, w.matrix.tolist()]
ltp_w = weight.Manual(n_inputs=2, n_neurons=3, max_weight=1, matrix=np.full((5, 3), 0.5))
ltp = synapse.LTP(ltp_w, n_inputs=2, n_neurons=3, stdp_window=4, learning_rate=0.5, trace_decay=0.5)
ltp.reset()
ltp.reward(1.0)
ltp.update(window, polarities)
ltp.update(window, polarities)
out["ltp"] = [ltp_w.matrix.tolist(), float(ltp.trace)]

train = np.array([[1, 0, 1, 0], [1, 0, 0, 0], [0, 0, 1, 1], [1, 0, 0, 1]], dtype=float) * 2
out["threshold"] = readout.Threshold(n_outputs=4, magnitude=2, action_threshold=0.4)(train)
mean = readout.Threshold(n_outputs=4, magnitude=2, action_threshold="mean", output_range=[-1, 1])
out["threshold_mean"] = [mean(train), mean(train / 2), mean(train)]
out["population"] = readout.PopulationVector(n_outputs=4, magnitude=2, n_actions=2)(train).tolist()
out["rates"] = readout.NeuronRates(n_outputs=4, magnitude=2, n_actions=2)(train).tolist()
out["top"] = int(readout.TopAction(n_outputs=4, magnitude=2, n_actions=4)(train))
match = reward.MatchExpected(expected_value=lambda s: s[0] > s[1], reward_mult=2, punish_mult=0.5)
out["match"] = [float(match((2, 1), True, None)), float(match((1, 2), True, None))]
out["key"] = [
    str(Key("rate", "The rate.", float, default=0.5)),
    str(Key("n", "Count.", int)),
    str(Key("x", "Anything.")),
]
RESULT = out
print(out["synapse"][1])
