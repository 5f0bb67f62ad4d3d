"""Small networks for the snn tests."""

import numpy as np

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

N_IN, N, N_STATES = 12, 10, 3


def rate_map():
    m = np.zeros((N_STATES, N_STATES))
    for s in range(N_STATES):
        m[s, s] = 0.6
        m[s, (s + 1) % N_STATES] = 0.1
    return m


def matrix(seed=0, recurrent=True):
    g = np.random.default_rng(seed)
    w = np.vstack(
        (
            g.uniform(0, 1.5, (N_IN, N)),
            g.uniform(0, 1.0, (N, N)) * (g.random((N, N)) < 0.4) * recurrent,
        )
    )
    np.fill_diagonal(w[N_IN:], 0.0)
    return w


def expected(state):
    return int(state == 1)


class Small(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "synapses": synapse.LTP,
        "weights": weight.Manual,
        "readout": readout.TopAction,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": N_IN,
        "n_neurons": N,
        "n_outputs": 6,
        "n_actions": 2,
        "processing_time": 20,
        "stdp_window": 8,
        "learning_rate": 0.2,
        "max_weight": 2.0,
        "magnitude": 1.0,
        "firing_threshold": 2.0,
        "potential_decay": 0.1,
        "refractory_period": 1,
        "state_rate_map": rate_map(),
        "matrix": matrix(),
        "expected_value": expected,
        "reward_mult": 1.0,
        "punish_mult": 0.5,
    }


def run(net, n_ticks=12, state_seed=7, reward_every=1):
    """Tick ``net`` on a fixed state sequence; return the spike logs and actions."""
    g = np.random.default_rng(state_seed)
    logs, actions = [], []
    net.reset()
    state = int(g.integers(N_STATES))
    for t in range(n_ticks):
        action = net.tick(state)
        logs.append(net.spike_log.copy())
        actions.append(action)
        nxt = int(g.integers(N_STATES))
        if hasattr(net, "reward") and t % reward_every == 0:
            net.reward(state, action, nxt)
        state = nxt
    return np.array(logs), actions
