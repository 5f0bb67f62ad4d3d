"""Classical conditioning, as written for the original Spikey (the seed notebook).

Ten input groups, one per game state, feed 50 output neurons. The network is rewarded
whenever state 0, 3, 6 or 9 is shown, so those states' inputs grow strong synapses and
end up driving the outputs several times harder than the others; a control run with
learning_rate=0 stays flat. Run: ``python examples/seed_classical.py``.
The notebook ran ``train_func`` through Ray Train; here it is simply called (see
docs/migration.md). The built-in version is ``spikey run seed.classical``.
"""

import numpy as np

from spikey.games import Logic
from spikey.snn import *
from spikey.viz import print_rates

np.random.seed(0)


class rand_state(Logic):
    """
    A customization of the Logic game, sets the game state randomly in 0..N at each timestep.
    """

    NECESSARY_KEYS = Logic.extend_keys({"n_states": "Number of input groups."})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.observation_space = list(range(self._n_states))

    def _get_state(self) -> np.ndarray:
        # Randomly sample a state integer on game start and at every update
        return np.random.randint(self._n_states)


class StateRewarder(reward.template.Reward):
    FIRE_STATES = [0, 3, 6, 9]

    def __call__(self, state, action, state_next):
        # Give reward when state in desired states
        if state in self.FIRE_STATES:
            return self._reward_mult
        else:
            return self._punish_mult


training_params = {
    "n_episodes": 5,
    "len_episode": 100,
}

N_STATES = 10
N_INPUTS = 100
N_NEURONS = 50
N_OUTPUTS = N_NEURONS

w_matrix = np.vstack(
    (  # Feedforward, no hidden layers
        np.random.uniform(0, 0.5, (N_INPUTS, N_NEURONS)),
        np.zeros((N_NEURONS, N_NEURONS)),
    )
)

# When state is 1 neuron group 1 fires, ...
state_rate_map = np.zeros((N_STATES, N_STATES))
for state in range(N_STATES):
    state_rate_map[state, state] = 0.2


class network_template(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "synapses": synapse.LTP,
        "weights": weight.Manual,
        "readout": readout.Threshold,
        "rewarder": StateRewarder,
    }
    keys = {
        "n_inputs": N_INPUTS,
        "n_neurons": N_NEURONS,
        "n_outputs": N_OUTPUTS,
        "matrix": w_matrix,
        "magnitude": 1,
        "potential_decay": 0.05,
        "n_states": N_STATES,
        "refractory_period": 0,
        "firing_threshold": 8,
        "processing_time": 100,
        "learning_rate": 0.1,
        "max_weight": 2,
        "stdp_window": 100,
        "reward_mult": 1,
        "punish_mult": 0,
        "action_threshold": 0.0,  # Does not matter
        "state_rate_map": state_rate_map,
    }


def train_func(config):
    keys = {**network_template.keys, **config}  # per call; the template stays as it is
    game = rand_state(**keys)
    model = network_template(**config)

    inrates = []
    outrates = []
    states = []
    actions = []
    for epoch in range(training_params["n_episodes"]):
        model.reset()
        state = game.reset()
        state_next = None

        inrates.append([])
        outrates.append([])
        states.append([])
        actions.append([])
        for s in range(training_params["len_episode"]):
            action = model.tick(state)
            state_next, _, done, __ = game.step(action)
            reward = model.reward(state, action, state_next)

            inrates[-1].append(
                np.mean(np.abs(model.spike_log[-model._processing_time :, : model._n_inputs]))
            )
            outrates[-1].append(
                np.mean(np.abs(model.spike_log[-model._processing_time :, -model._n_outputs :]))
            )
            states[-1].append(state)
            actions[-1].append(action)

            state = state_next
            if done:
                break

    print("Firing states:", StateRewarder.FIRE_STATES)
    print_rates(
        step_inrates=inrates,
        step_outrates=outrates,
        step_states=states,
        observation_space=game.observation_space,
    )

    return {}


if __name__ == "__main__":
    print("# Control, without learning")
    train_func({"learning_rate": 0})
    print("\n# Real test")
    train_func({})
