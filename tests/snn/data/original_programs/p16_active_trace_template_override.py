"""ActiveRLNetwork with a decaying trace (LTP, then RLSTDP swapped in by a keyword
argument), a template that inherits another template's parts and keys, every body
neuron an output, the rewarder's expected_value coming from the game's preset."""

import numpy as np

from spikey.games import Logic
from spikey.snn import ActiveRLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(16)
STATES = [(True, False), (True, True), (False, False), (False, True)]


class Scripted(Logic):
    def __init__(self, **kwargs):
        super().__init__(preset="XOR", **kwargs)
        self.i = -1

    def _get_state(self):
        self.i += 1
        return STATES[self.i % 4]


class Base(ActiveRLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "weights": weight.Manual,
        "synapses": synapse.LTP,
        "readout": readout.Threshold,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 4,
        "n_neurons": 3,
        "n_outputs": 3,
        "processing_time": 8,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "max_weight": 2,
        "stdp_window": 4,
        "learning_rate": 0.25,
        "trace_decay": 0.5,
        "action_threshold": 0.25,
        "punish_mult": 0.5,
        "continuous_rwd_action": lambda network, state: bool(network.spike_log[-1, -1]),
        "state_rate_map": {
            (False, False): np.array([0.0, 0.0]),
            (False, True): np.array([0.0, 1.0]),
            (True, False): np.array([1.0, 0.0]),
            (True, True): np.array([1.0, 1.0]),
        },
    }


class Derived(Base):
    keys = {
        **Base.keys,
        "matrix": np.vstack(
            (
                np.array([[1.0, 0.5, 0.25], [0.25, 1.0, 0.5], [0.5, 0.25, 1.0], [1.0, 0.0, 0.5]]),
                np.full((3, 3), 0.5) * (1 - np.eye(3)),
            )
        ),
    }


out = {}
for name, extra in (("ltp", {}), ("rlstdp", {"synapses": synapse.RLSTDP})):
    game = Scripted()
    network = Derived(game=game, **extra)
    network.reset()
    state = game.reset()
    actions, sums, traces = [], [], []
    for step in range(10):
        action = network.tick(state)
        state_next, _, done, __ = game.step(action)
        network.reward(state, action, state_next)
        actions.append(bool(action))
        sums.append(round(float(network.weights.matrix.sum()), 10))
        traces.append(round(float(network.synapses.trace), 10))
        state = state_next
    out[name] = {
        "synapse": type(network.synapses).__name__,
        "actions": actions,
        "weight_sums": sums,
        "traces": traces,
    }
out["base_has_no_matrix"] = "matrix" not in Base.keys
RESULT = out
print(out["ltp"]["weight_sums"], out["rlstdp"]["weight_sums"])
