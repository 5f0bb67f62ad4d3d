"""User subclasses that override per-step methods: a neuron that adds a pacemaker
spike in __call__, a weight whose transmission is halved in __mul__, a synapse rule
written on the RLSynapse template, a readout and a game config subclass; keys given
in a template and overridden by kwargs, Key defaults left out."""

import numpy as np

from spikey.games import Logic
from spikey.module import Key
from spikey.snn import RLNetwork, input, neuron, reward, weight
from spikey.snn.readout.template import Readout
from spikey.snn.synapse.template import RLSynapse

np.random.seed(7)


class Pacemaker(neuron.Neuron):
    NECESSARY_KEYS = neuron.Neuron.extend_keys(
        [Key("pace", "Neuron 0 fires every pace steps.", int, default=3)]
    )

    def reset(self):
        super().reset()
        self.count = 0

    def __call__(self):
        self.count += 1
        if self.count % self._pace == 0:
            self.potentials[0] = self._firing_threshold
        return super().__call__()


class HalfWeight(weight.Manual):
    def __mul__(self, multiplier):
        return self.matrix * multiplier / 2


class PairRule(RLSynapse):
    """Potentiate pre->post for every pre spike in the window before a post spike."""

    def reset(self):
        self.trace = 0

    def _apply_stdp(self, spike_log, inhibitories):
        pre = np.where(np.any(spike_log[:-1], axis=0))[0]
        post = np.where(spike_log[-1])[0]
        if not pre.size or not post.size:
            return
        dts = np.ones(spike_log.shape[1]) * self._learning_rate * self.trace * inhibitories
        self._hebbian(pre, post, dts)
        self.weights.clip()

    def reward(self, rwd):
        self.trace = rwd
        self._apply_stdp(*self._stdp_params)


class Majority(Readout):
    def __call__(self, output_spike_train):
        counts = np.sum(output_spike_train != 0, axis=0)
        return bool(counts[: len(counts) // 2].sum() < counts[len(counts) // 2 :].sum())


class CycleXOR(Logic):
    config = {"expected_value": lambda state: int(state[0]) ^ int(state[1])}

    def __init__(self, **kwargs):
        super().__init__(preset="XOR", **kwargs)
        self.i = 0

    def _get_state(self):
        self.i += 1
        return [(False, False), (True, False), (True, True), (False, True)][self.i % 4]


class Net(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": Pacemaker,
        "weights": HalfWeight,
        "synapses": PairRule,
        "readout": Majority,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 4,
        "n_neurons": 6,
        "n_outputs": 4,
        "processing_time": 15,
        "magnitude": 1,
        "firing_threshold": 0.6,
        "potential_decay": 0.5,
        "refractory_period": 2,
        "max_weight": 2,
        "stdp_window": 3,
        "learning_rate": 0.125,
        "state_rate_map": {
            (False, False): np.array([0.0, 0.0]),
            (False, True): np.array([0.0, 1.0]),
            (True, False): np.array([1.0, 0.0]),
            (True, True): np.array([1.0, 1.0]),
        },
        "matrix": np.vstack(
            (
                np.array(
                    [
                        [1.0, 0.5, 0.0, 0.25, 0.5, 0.0],
                        [0.5, 1.0, 0.25, 0.0, 0.0, 0.5],
                        [0.0, 0.25, 1.0, 0.5, 0.5, 0.25],
                        [0.25, 0.0, 0.5, 1.0, 0.0, 0.5],
                    ]
                ),
                np.full((6, 6), 0.5) * (1 - np.eye(6)),
            )
        ),
    }


game = CycleXOR()
network = Net(game=game, learning_rate=0.25, pace=4)
actions, rewards, counts = [], [], []
network.reset()
state = game.reset()
for step in range(16):
    action = network.tick(state)
    state_next, _, done, info = game.step(action)
    rewards.append(float(network.reward(state, action, state_next)))
    actions.append(bool(action))
    counts.append(int(np.count_nonzero(network.spike_log)))
    state = state_next

RESULT = {
    "actions": actions,
    "rewards": rewards,
    "spike_counts": counts,
    "learning_rate": float(network.synapses._learning_rate),
    "pace": int(network.neurons._pace),
    "final_weights": network.weights.matrix.round(10).tolist(),
}
print(RESULT["actions"], RESULT["spike_counts"])
