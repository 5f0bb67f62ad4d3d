"""The issue's user code (classical conditioning) and its ordinal twin, as users wrote
them for the original Spikey. Only the seed and the learning rate are parameters; the
ordinal readout's ``np.bool``/``np.float`` annotations read ``bool``/``float`` (those
numpy aliases no longer exist, so such a class cannot even be defined on numpy >= 1.24).
"""

import numpy as np

from spikey.games import Logic
from spikey.snn import *
from spikey.viz import print_common_action, print_rates


class rand_state(Logic):
    NECESSARY_KEYS = Logic.extend_keys({"n_states": "Number of input groups."})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.observation_space = list(range(self._n_states))

    def _get_state(self):
        return np.random.randint(self._n_states)


class StateRewarder(reward.template.Reward):
    FIRE_STATES = [0, 3, 6, 9]

    def __call__(self, state, action, state_next):
        return self._reward_mult if state in self.FIRE_STATES else self._punish_mult


class MaxGroup(readout.PopulationVector):
    def __call__(self, output_spike_train: bool) -> float:
        population_vector = super().__call__(output_spike_train)
        return np.argmax(population_vector)


class OrdinalRewarder(reward.template.Reward):
    A_STATES = [2, 3, 6, 8]

    def __call__(self, state, action, state_next):
        if action == (state in self.A_STATES):
            return self._reward_mult
        else:
            return self._punish_mult


def classical(seed, learning_rate=0.1, **extra):
    """Returns (per-episode output rates, states, model)."""
    np.random.seed(seed)
    N_STATES, N_INPUTS, N_NEURONS = 10, 100, 50
    N_OUTPUTS = N_NEURONS
    w_matrix = np.vstack(
        (  # Feedforward, no hidden layers
            np.random.uniform(0, 0.5, (N_INPUTS, N_NEURONS)),
            np.zeros((N_NEURONS, N_NEURONS)),
        )
    )
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
            "learning_rate": learning_rate,
            "max_weight": 2,
            "stdp_window": 100,
            "reward_mult": 1,
            "punish_mult": 0,
            "action_threshold": 0.0,
            "state_rate_map": state_rate_map,
        }

    game = rand_state(**network_template.keys)
    model = network_template(**extra)
    inrates, outrates, states = [], [], []
    for episode in range(5):
        model.reset()
        state = game.reset()
        inrates.append([])
        outrates.append([])
        states.append([])
        for s in range(100):
            action = model.tick(state)
            state_next, _, done, __ = game.step(action)
            model.reward(state, action, state_next)
            inrates[-1].append(
                np.mean(np.abs(model.spike_log[-model._processing_time :, : model._n_inputs]))
            )
            outrates[-1].append(
                np.mean(np.abs(model.spike_log[-model._processing_time :, -model._n_outputs :]))
            )
            states[-1].append(state)
            state = state_next
    print("Firing states:", StateRewarder.FIRE_STATES)
    print_rates(
        step_inrates=inrates,
        step_outrates=outrates,
        step_states=states,
        observation_space=game.observation_space,
    )
    return outrates, states, model


def ordinal(seed, **extra):
    """Returns (per-episode actions, states, model)."""
    np.random.seed(seed)
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

    game = rand_state(**network_template.keys)
    model = network_template(**extra)
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
    print_common_action(
        step_inrates=inrates,
        step_actions=actions,
        step_states=states,
        observation_space=game.observation_space,
        episode=0,
    )
    print_common_action(
        step_inrates=inrates,
        step_actions=actions,
        step_states=states,
        observation_space=game.observation_space,
        episode=-1,
    )
    return actions, states, model
