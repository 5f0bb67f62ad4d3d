"""Classical conditioning with ordinal output, as written for the original Spikey.

The outputs are split into two groups and the network answers with the group that
fired more. The notebook's text asks for answer 0 (A) in states 2, 3, 6 and 8 and 1 (B)
otherwise, but its ``OrdinalRewarder`` rewards the opposite (``action == (state in
A_STATES)``); and with ``synapse.LTP`` and ``punish_mult=0`` this network learns the
opposite of whatever it is rewarded for. The two mistakes cancel, so the final
responses look like the text's mapping, in the original framework and here alike.
``spikey run seed.ordinal`` is a configuration that learns what it is rewarded for.

The only edit to the user code: ``MaxGroup``'s annotations read ``bool``/``float``
where the notebook had ``np.bool``/``np.float`` (numpy 1.24 removed ``np.float``, so the
class could not even be defined). Run: ``python examples/seed_ordinal.py``.
"""

import numpy as np

from spikey.games import Logic
from spikey.snn import *
from spikey.viz import print_common_action

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


class MaxGroup(readout.PopulationVector):
    def __call__(self, output_spike_train: bool) -> float:
        # Network reads out index of highest firing output group
        population_vector = super().__call__(output_spike_train)
        return np.argmax(population_vector)


class OrdinalRewarder(reward.template.Reward):
    A_STATES = [2, 3, 6, 8]

    def __call__(self, state, action, state_next):
        # Expect network to output A(0) when current state in states listed,
        # otherwise B(0)
        if action == (state in self.A_STATES):
            return self._reward_mult
        else:
            return self._punish_mult


training_params = {
    "n_episodes": 10,
    "len_episode": 100,
}

N_STATES = 10
N_INPUTS = 100
N_NEURONS = 60
N_OUTPUTS = N_NEURONS

w_matrix = np.vstack(
    (  # Feedforward, no hidden layers
        np.random.uniform(0, 1, (N_INPUTS, N_NEURONS)),
        np.zeros((N_NEURONS, N_NEURONS)),
    )
)

# When state is 1 neuron group 1 fires, ...
state_rate_map = np.zeros((N_STATES, N_STATES), dtype=float)
for state in range(N_STATES):
    state_rate_map[state, state] = 0.2


class network_template(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "synapses": synapse.LTP,
        "weights": weight.Manual,
        "readout": MaxGroup,
        "rewarder": OrdinalRewarder,
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
        "n_actions": 2,
        "state_rate_map": state_rate_map,
    }


def train_func():
    game = rand_state(**network_template.keys)
    model = network_template()

    inrates = []
    states = []
    actions = []
    for epoch in range(5):
        model.reset()
        state = game.reset()
        state_next = None

        inrates.append([])
        states.append([])
        actions.append([])
        for s in range(100):
            action = model.tick(state)
            state_next, _, done, __ = game.step(action)
            reward = model.reward(state, action, state_next)

            inrates[-1].append(
                np.mean(np.abs(model.spike_log[-model._processing_time :, : model._n_inputs]))
            )
            states[-1].append(state)
            actions[-1].append(action)

            state = state_next
            if done:
                break

    print("A States:", OrdinalRewarder.A_STATES)
    print("Initial Responses")
    print_common_action(
        step_inrates=inrates,
        step_actions=actions,
        step_states=states,
        observation_space=game.observation_space,
        episode=0,
    )
    print("\nFinal Responses")
    print_common_action(
        step_inrates=inrates,
        step_actions=actions,
        step_states=states,
        observation_space=game.observation_space,
        episode=-1,
    )

    return {}


if __name__ == "__main__":
    train_func()
