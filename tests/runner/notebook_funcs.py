"""The seed notebooks' control-then-learn pattern, importable by name in worker processes.

``train_func`` does what the notebooks' cells did: ``Template.keys.update(config)`` (a
class-level change), then trains a small RLNetwork rewarded on every step and returns how
much its weights moved. The control cell passes ``learning_rate=0``.
"""

import numpy as np

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight


class AlwaysReward(reward.template.Reward):
    def __call__(self, state, action, state_next):
        return self._reward_mult


class Template(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "synapses": synapse.LTP,
        "weights": weight.Manual,
        "readout": readout.Threshold,
        "rewarder": AlwaysReward,
    }
    keys = {
        "n_inputs": 20,
        "n_neurons": 10,
        "n_outputs": 10,
        "matrix": np.vstack((np.full((20, 10), 0.3), np.zeros((10, 10)))),
        "magnitude": 1,
        "potential_decay": 0.05,
        "n_states": 2,
        "refractory_period": 0,
        "firing_threshold": 2,
        "processing_time": 20,
        "learning_rate": 0.1,
        "max_weight": 2,
        "stdp_window": 20,
        "reward_mult": 1,
        "punish_mult": 0,
        "action_threshold": 0.0,
        "state_rate_map": np.eye(2) * 0.5,
    }


def train_func(config):
    """Notebook style: mutates the template class, then trains; returns the weight change."""
    Template.keys.update(config)
    model = Template()
    model.reset()
    before = float(np.sum(model.synapses.weights.matrix))
    for step in range(20):
        state = step % 2
        action = model.tick(state)
        model.reward(state, action, state)
    return {
        "weight_change": float(np.sum(model.synapses.weights.matrix)) - before,
        "learning_rate_seen": float(Template.keys["learning_rate"]),
    }
