"""CartPole with fixed initial ranges, a user Input subclass that bins the continuous
state, a PopulationVector whose [left, right] share is the action, game params flowing
into the network through game=."""

import numpy as np

from spikey.games import CartPole
from spikey.snn import RLNetwork, neuron, readout, reward, synapse, weight
from spikey.snn.input.template import Input

np.random.seed(6)


class SignInput(Input):
    """Input i fires every step while the sign of state feature i//2 matches i%2."""

    def __call__(self):
        self.network_time += 1
        return np.array(self.values, dtype=float) * self._magnitude * self.polarities

    def update(self, state):
        self.network_time = 0
        x, xdot, theta, thetadot = state
        bits = []
        for v in (x, xdot, theta, thetadot):
            bits += [float(v < 0), float(v >= 0)]
        self.values = bits


class PoleReward(reward.template.Reward):
    def __call__(self, state, action, state_next):
        return self._reward_mult if abs(state_next[2]) < 0.05 else -self._punish_mult


class Net(RLNetwork):
    parts = {
        "inputs": SignInput,
        "neurons": neuron.Neuron,
        "weights": weight.Manual,
        "synapses": synapse.RLSTDP,
        "readout": readout.PopulationVector,
        "rewarder": PoleReward,
    }
    keys = {
        "n_inputs": 8,
        "n_neurons": 4,
        "n_outputs": 4,
        "n_actions": 2,
        "processing_time": 8,
        "magnitude": 1,
        "firing_threshold": 1.3,
        "potential_decay": 0.5,
        "refractory_period": 1,
        "max_weight": 1,
        "stdp_window": 4,
        "learning_rate": 0.25,
        "punish_mult": 0.5,
        # theta < 0 -> push left (neurons 0-1), theta >= 0 -> push right (neurons 2-3)
        "matrix": np.vstack(
            (
                np.array(
                    [[0.25, 0.0, 0.0, 0.25], [0.0, 0.25, 0.25, 0.0]] * 2
                    + [[1.0, 0.75, 0.0, 0.0], [0.0, 0.0, 0.75, 1.0]] * 2
                ),
                np.zeros((4, 4)),
            )
        ),
    }


game = CartPole(
    x_init_range=[0.0, 0.0],
    xdot_init_range=[0.0, 0.0],
    theta_init_range=[0.0, 0.0],
    thetadot_init_range=[0.25, 0.25],
    Force_Mag=5.0,
)
network = Net(game=game)
network.reset()
state = game.reset()
state = np.abs(state)  # the random sign of a zero-width range: start falling to the right
game._state = state
states, pushes, rewards, dones = [], [], [], []
for step in range(25):
    action = network.tick(state)
    state_next, _, done, __ = game.step(action)
    rewards.append(float(network.reward(state, action, state_next)))
    pushes.append([round(float(a), 10) for a in action])
    states.append([round(float(v), 10) for v in state_next])
    dones.append(bool(done))
    state = state_next

RESULT = {
    "states": states,
    "pushes": pushes,
    "rewards": rewards,
    "dones": dones,
    "force_mag": network._Force_Mag if hasattr(network, "_Force_Mag") else None,
    "x_max": float(game.params["x_max"]),
}
print(RESULT["states"][-1])
