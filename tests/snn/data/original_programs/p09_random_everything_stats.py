"""Everything random, seeded only through np.random.seed: Logic's own random states,
RateMap rates below 1, inhibitory inputs and neurons, RandPotential noise with
prob_rand_fire, Random weights drawn from np.random, TopAction's random tie-break,
RLSTDP learning. The streams differ from the original's (numpy Generators here), so
the program reports statistics over seeds, compared with a tolerance."""

import numpy as np

from spikey.games import Logic
from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

N_IN, N_BODY, N_OUT, T = 20, 30, 10, 40


class Net(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.RandPotential,
        "weights": weight.Random,
        "synapses": synapse.RLSTDP,
        "readout": readout.TopAction,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": N_IN,
        "n_neurons": N_BODY,
        "n_outputs": N_OUT,
        "n_actions": 2,
        "processing_time": T,
        "magnitude": 1,
        "firing_threshold": 3,
        "potential_decay": 0.2,
        "potential_noise_scale": 2,
        "prob_rand_fire": 0.05,
        "refractory_period": 2,
        "neuron_pct_inhibitory": 0.2,
        "input_pct_inhibitory": 0.25,
        "max_weight": 1,
        "stdp_window": 10,
        "learning_rate": 0.05,
        "punish_mult": 1,
        "weight_generator": lambda shape: np.random.uniform(0, 1, shape),
        "matrix_mask": None,
        "state_rate_map": {
            (False, False): np.array([0.1, 0.1]),
            (False, True): np.array([0.1, 0.5]),
            (True, False): np.array([0.5, 0.1]),
            (True, True): np.array([0.5, 0.5]),
        },
    }


stats = {
    "in_rate": [],
    "body_rate": [],
    "out_rate": [],
    "inhib_neurons": [],
    "inhib_inputs": [],
    "action1": [],
    "reward": [],
    "weight_mean": [],
    "weight_change": [],
    "state_tt": [],
}
for seed in range(8):
    np.random.seed(seed)
    game = Logic(preset="XOR")
    network = Net(game=game)
    w0 = network.weights.matrix.copy()
    network.reset()
    state = game.reset()
    ins, bodies, outs, acts, rwds, tt = [], [], [], [], [], []
    for s in range(30):
        action = network.tick(state)
        state_next, _, done, __ = game.step(action)
        rwds.append(float(network.reward(state, action, state_next)))
        log = network.spike_log != 0
        ins.append(log[:, :N_IN].mean())
        bodies.append(log[:, N_IN:].mean())
        outs.append(log[:, -N_OUT:].mean())
        acts.append(int(action))
        tt.append(bool(state[0] and state[1]))
        state = state_next
    stats["in_rate"].append(float(np.mean(ins)))
    stats["body_rate"].append(float(np.mean(bodies)))
    stats["out_rate"].append(float(np.mean(outs)))
    stats["inhib_neurons"].append(float(np.mean(network.neurons.polarities < 0)))
    stats["inhib_inputs"].append(float(np.mean(network.inputs.polarities < 0)))
    stats["action1"].append(float(np.mean(acts)))
    stats["reward"].append(float(np.mean(rwds)))
    stats["weight_mean"].append(float(w0.mean()))
    stats["weight_change"].append(float(np.abs(network.weights.matrix - w0).mean()))
    stats["state_tt"].append(float(np.mean(tt)))

RESULT = stats
print({k: round(float(np.mean(v)), 4) for k, v in stats.items()})
