"""The seed notebook's loop shape: per-episode logs of input rates, output rates,
states and actions, printed with print_rates and print_common_action; Logic OR
through a _get_state override; a PopulationVector read with argmax."""

import contextlib
import io

import numpy as np

from spikey.games import Logic
from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight
from spikey.viz import print_common_action, print_rates

np.random.seed(8)
ORDER = [(False, True), (True, True), (False, False), (True, False), (True, True), (False, True)]


class ScriptedOR(Logic):
    def __init__(self, **kwargs):
        super().__init__(preset="OR", **kwargs)
        self.i = -1

    def _get_state(self):
        self.i += 1
        return ORDER[self.i % len(ORDER)]


class Net(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "weights": weight.Manual,
        "synapses": synapse.LTP,
        "readout": readout.PopulationVector,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 4,
        "n_neurons": 6,
        "n_outputs": 2,
        "n_actions": 2,
        "processing_time": 20,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 3,
        "max_weight": 1,
        "stdp_window": 4,
        "learning_rate": 0.5,
        "state_rate_map": {
            (False, False): np.array([0.0, 1.0]),
            (False, True): np.array([1.0, 1.0]),
            (True, False): np.array([1.0, 0.0]),
            (True, True): np.array([1.0, 1.0]),
        },
        "matrix": np.vstack(
            (
                np.array(
                    [
                        [1.0, 0.0, 0.5, 0.5, 1.0, 0.0],
                        [0.0, 1.0, 0.5, 0.5, 0.0, 0.5],
                        [1.0, 0.0, 0.5, 0.5, 0.5, 0.0],
                        [0.0, 1.0, 0.5, 0.5, 0.0, 0.25],
                    ]
                ),
                np.full((6, 6), 0.25) * (1 - np.eye(6)),
            )
        ),
    }


game = ScriptedOR()
network = Net(game=game)
inrates, outrates, states, actions = [], [], [], []
for episode in range(2):
    network.reset()
    state = game.reset()
    inrates.append([]), outrates.append([]), states.append([]), actions.append([])
    for s in range(6):
        action = int(np.argmax(network.tick(state)))  # ties go to action 0
        state_next, _, done, __ = game.step(action)
        network.reward(state, action, state_next)
        inrates[-1].append(np.mean(np.abs(network.spike_log[:, :4])))
        outrates[-1].append(np.mean(np.abs(network.spike_log[:, -2:])))
        states[-1].append(state)
        actions[-1].append(action)
        state = state_next

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print_rates(inrates, outrates, states, game.observation_space)
    print_rates(inrates, outrates, states, game.observation_space, precision=4, episode=0)
    # print_common_action compares whole states: give it state numbers
    ids = [[game.observation_space.index(st) for st in ep] for ep in states]
    print_common_action(inrates, actions, ids, range(4))
    print_common_action(inrates, actions, ids, [0, 1, 3], episode=0)

RESULT = {
    "printed": buf.getvalue().splitlines(),
    "actions": [[int(a) for a in ep] for ep in actions],
    "weight_sum": round(float(network.weights.matrix.sum()), 10),
}
print("\n".join(RESULT["printed"]))
