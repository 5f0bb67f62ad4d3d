"""StaticMap spike trains, LTP with a decaying reward trace (learning every step),
a PopulationVector readout read with argmax, a user Reward subclass, spike_delay,
resting_mv, polarities given as a key."""

import numpy as np

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

np.random.seed(2)

T = 10
on = np.zeros((T, 4))
on[::2, :2] = 1  # inputs 0-1 fire every other step
on[1::3, 2:] = 1  # inputs 2-3 every third step
off = np.zeros((T, 4))
off[::5, :] = 1


class CountingReward(reward.template.Reward):
    """Reward 1 when the chosen group is the state's parity, else -punish_mult."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def __call__(self, state, action, state_next):
        self.calls += 1
        return self._reward_mult if action == state % 2 else -self._punish_mult


class network_template(RLNetwork):
    parts = {
        "inputs": input.StaticMap,
        "neurons": neuron.Neuron,
        "weights": weight.Manual,
        "synapses": synapse.LTP,
        "readout": readout.PopulationVector,
        "rewarder": CountingReward,
    }
    keys = {
        "n_inputs": 4,
        "n_neurons": 6,
        "n_outputs": 4,
        "n_actions": 2,
        "processing_time": T,
        "magnitude": 2,
        "firing_threshold": 2.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "resting_mv": 0.5,
        "spike_delay": 1,
        "polarities": np.array([1.0, -1.0, 1.0, 1.0, 1.0, 1.0]),
        "max_weight": 3,
        "stdp_window": 4,
        "learning_rate": 0.5,
        "trace_decay": 0.5,
        "reward_mult": 2,
        "punish_mult": 1,
        "state_spike_map": {0: on, 1: off, 2: on[::-1], 3: off[::-1]},
        "matrix": np.vstack(
            (
                np.array(
                    [
                        [1.0, 0.5, 0.5, 0.0, 0.75, 0.0],
                        [0.5, 1.0, 0.0, 0.5, 0.0, 0.75],
                        [0.25, 0.0, 1.0, 0.75, 0.5, 0.5],
                        [0.0, 0.25, 0.75, 1.0, 0.5, 0.5],
                    ]
                ),
                np.full((6, 6), 0.5) * (1 - np.eye(6)),
            )
        ),
    }


network = network_template()
actions, rewards, log_sums, weight_rows = [], [], [], []
network.reset()
for step in range(16):
    state = step % 4
    vector = network.tick(state)
    action = int(np.argmax(vector))
    rwd = network.reward(state, action, (step + 1) % 4)
    actions.append(action)
    rewards.append(float(rwd))
    log_sums.append(float(np.sum(network.spike_log)))
    weight_rows.append([round(float(x), 10) for x in network.weights.matrix.sum(axis=1)])

RESULT = {
    "vector_last": [round(float(x), 10) for x in vector],
    "actions": actions,
    "rewards": rewards,
    "spike_log_sums": log_sums,
    "weight_row_sums": weight_rows,
    "rewarder_calls": network.rewarder.calls,
    "spike_log_shape": list(network.spike_log.shape),
}
print(RESULT["actions"], RESULT["rewards"])
