"""Forty configurations of one deterministic learner (a sample of 400 compared with the
original, none of them near a float16 rounding of the potentials): RLNetwork or
ActiveRLNetwork; RateMap or StaticMap; Manual or Random weights (with and without a
mask); RLSTDP or LTP with trace_decay 1 or 0.5; Threshold, PopulationVector or
NeuronRates; polarities given or drawn with pct 0/1; inhibitory inputs; prob_rand_fire
0/1; spike_delay, resting_mv, refractory_period, max_weight clipping; a DropOff on the
learning rate. Per configuration: actions, spike counts, weight sums, final weights."""

import numpy as np

from spikey import snn
from spikey.snn import ActiveRLNetwork, RLNetwork, input, neuron, readout, reward, synapse, weight

# fmt: off
NAMES = ["T", "inputs", "body", "synapse", "mag", "thr", "decay", "refr", "delay", "rest", "pol", "window", "lr", "td", "ath", "active", "steps", "weights", "mask", "readout", "npct", "ipct", "prf", "maxw", "modifier"]
CONFIGS = [
    [4, "rate", 0.5, "RLSTDP", 2, 2.3, 0.25, 3, 2, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 8, 0.25, 0.5, 0.3, False, 9, "random", False, "NeuronRates", 0, 1.0, 0, 0.5, None],
    [4, "rate", 0.25, "LTP", 2, 2.3, 0.0, 3, 0, 0.5, None, 3, 0.25, 0.5, 0.1, False, 9, "random", False, "Threshold", 0, 0, 1.0, 0.5, None],
    [4, "static", 0.25, "RLSTDP", 1, 2.3, 0.5, 0, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 6, 0.5, 0.5, 0.3, False, 9, "random", True, "Threshold", 0, 1.0, 0, 2, None],
    [8, "rate", 0.5, "LTP", 1, 2.3, 0.0, 0, 2, 0, None, 4, 0.25, 1, 0.1, False, 9, "manual", False, "NeuronRates", 0, 1.0, 1.0, 0.5, "DropOff"],
    [12, "static", 0.25, "RLSTDP", 1, 1.3, 0.5, 0, 0, 0, None, 4, 0.5, 1, 0.3, False, 9, "manual", True, "NeuronRates", 0, 0, 1.0, 2, None],
    [8, "static", 0.5, "RLSTDP", 2, 2.3, 0.25, 1, 2, 0.5, None, 4, 0.25, 1, 0.3, False, 9, "random", True, "NeuronRates", 0, 0, 1.0, 0.5, "DropOff"],
    [4, "static", 0.25, "LTP", 2, 1.3, 0.5, 0, 0, 0.5, None, 4, 0.25, 1, 0.3, True, 9, "manual", True, "NeuronRates", 0, 1.0, 0, 2, None],
    [8, "rate", 0.25, "LTP", 2, 1.3, 0.0, 3, 2, 0.5, None, 4, 0.25, 1, 0.3, True, 9, "random", True, "NeuronRates", 0, 1.0, 1.0, 2, None],
    [4, "rate", 0.25, "RLSTDP", 1, 1.3, 0.5, 1, 2, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 6, 0.25, 1, 0.1, False, 9, "manual", True, "Threshold", 0, 0, 1.0, 2, None],
    [8, "static", 0.5, "LTP", 2, 2.3, 0.25, 0, 0, 0.5, [1.0, -1.0, 1.0, 1.0, -1.0], 8, 0.25, 0.5, 0.1, False, 9, "random", True, "NeuronRates", 1.0, 1.0, 1.0, 2, "DropOff"],
    [8, "rate", 0.25, "LTP", 2, 2.3, 0.5, 1, 2, 0.5, None, 3, 0.5, 1, 0.3, True, 9, "manual", True, "NeuronRates", 1.0, 1.0, 1.0, 2, None],
    [8, "rate", 0.25, "RLSTDP", 1, 1.3, 0.0, 1, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 8, 0.5, 1, 0.1, False, 9, "random", False, "NeuronRates", 1.0, 1.0, 1.0, 2, "DropOff"],
    [12, "static", 0.25, "RLSTDP", 2, 2.3, 0.25, 3, 2, 0.5, None, 6, 0.25, 1, 0.3, True, 9, "random", False, "NeuronRates", 0, 1.0, 1.0, 2, "DropOff"],
    [8, "rate", 0.25, "LTP", 1, 2.3, 0.0, 1, 0, 0.5, [1.0, 1.0, 1.0, 1.0, 1.0], 3, 0.25, 0.5, 0.1, True, 9, "manual", False, "NeuronRates", 1.0, 1.0, 1.0, 2, "DropOff"],
    [4, "static", 0.5, "LTP", 1, 1.3, 0.25, 3, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 8, 0.25, 0.5, 0.3, False, 9, "manual", True, "Threshold", 1.0, 0, 0, 2, "DropOff"],
    [8, "static", 0.5, "RLSTDP", 1, 1.3, 0.25, 3, 2, 0, None, 6, 0.5, 1, 0.3, False, 9, "random", False, "Threshold", 0, 1.0, 0, 0.5, None],
    [4, "static", 0.5, "RLSTDP", 2, 2.3, 0.5, 0, 0, 0.5, [1.0, -1.0, 1.0, 1.0, -1.0], 8, 0.25, 0.5, 0.3, False, 9, "manual", True, "PopulationVector", 1.0, 1.0, 1.0, 2, None],
    [12, "static", 0.25, "RLSTDP", 1, 1.3, 0.0, 1, 2, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 6, 0.5, 0.5, 0.1, True, 9, "manual", True, "PopulationVector", 0, 1.0, 1.0, 0.5, "DropOff"],
    [12, "rate", 0.25, "LTP", 1, 2.3, 0.25, 0, 0, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 6, 0.25, 1, 0.1, True, 9, "random", True, "PopulationVector", 1.0, 1.0, 1.0, 0.5, None],
    [4, "static", 0.25, "RLSTDP", 1, 2.3, 0.25, 1, 0, 0.5, None, 6, 0.5, 0.5, 0.3, False, 9, "manual", True, "Threshold", 0, 1.0, 0, 2, "DropOff"],
    [8, "static", 0.25, "RLSTDP", 1, 2.3, 0.5, 3, 0, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 8, 0.5, 1, 0.1, False, 9, "manual", False, "Threshold", 1.0, 0, 0, 2, "DropOff"],
    [4, "static", 0.5, "RLSTDP", 2, 2.3, 0.25, 1, 0, 0.5, None, 4, 0.5, 1, 0.3, True, 9, "random", True, "PopulationVector", 1.0, 0, 0, 0.5, None],
    [4, "rate", 0.5, "LTP", 2, 1.3, 0.25, 3, 2, 0.5, None, 4, 0.5, 1, 0.1, False, 9, "manual", True, "NeuronRates", 1.0, 0, 1.0, 2, None],
    [8, "rate", 0.25, "LTP", 2, 1.3, 0.5, 1, 2, 0.5, [1.0, 1.0, 1.0, 1.0, 1.0], 4, 0.5, 0.5, 0.3, True, 9, "manual", True, "PopulationVector", 0, 0, 1.0, 0.5, "DropOff"],
    [4, "rate", 0.25, "LTP", 1, 2.3, 0.0, 3, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 6, 0.25, 0.5, 0.1, False, 9, "random", True, "PopulationVector", 1.0, 1.0, 1.0, 0.5, "DropOff"],
    [12, "rate", 0.5, "LTP", 2, 1.3, 0.5, 1, 0, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 6, 0.25, 0.5, 0.3, True, 9, "random", False, "PopulationVector", 0, 1.0, 0, 0.5, "DropOff"],
    [4, "rate", 0.25, "LTP", 2, 1.3, 0.5, 0, 2, 0.5, None, 4, 0.5, 0.5, 0.3, False, 9, "manual", True, "PopulationVector", 1.0, 1.0, 0, 0.5, "DropOff"],
    [4, "static", 0.5, "RLSTDP", 1, 1.3, 0.0, 0, 0, 0, None, 4, 0.25, 0.5, 0.3, True, 9, "manual", True, "PopulationVector", 0, 0, 0, 2, None],
    [8, "rate", 0.5, "RLSTDP", 2, 2.3, 0.5, 0, 2, 0, None, 6, 0.25, 1, 0.1, False, 9, "random", False, "NeuronRates", 1.0, 0, 0, 0.5, "DropOff"],
    [8, "rate", 0.5, "LTP", 2, 1.3, 0.0, 3, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 3, 0.25, 0.5, 0.1, True, 9, "manual", False, "NeuronRates", 1.0, 0, 0, 0.5, None],
    [4, "static", 0.5, "RLSTDP", 1, 2.3, 0.5, 3, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 6, 0.5, 0.5, 0.1, True, 9, "manual", False, "Threshold", 1.0, 1.0, 0, 0.5, None],
    [8, "static", 0.25, "LTP", 1, 2.3, 0.25, 1, 2, 0.5, [1.0, 1.0, 1.0, 1.0, 1.0], 3, 0.25, 1, 0.1, False, 9, "manual", True, "PopulationVector", 0, 0, 1.0, 0.5, None],
    [12, "static", 0.5, "LTP", 1, 1.3, 0.25, 0, 0, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 3, 0.25, 1, 0.3, False, 9, "random", False, "Threshold", 1.0, 0, 1.0, 0.5, None],
    [12, "rate", 0.25, "LTP", 1, 1.3, 0.0, 0, 2, 0, [1.0, -1.0, 1.0, 1.0, -1.0], 4, 0.25, 0.5, 0.1, True, 9, "random", False, "Threshold", 0, 0, 0, 2, "DropOff"],
    [8, "rate", 0.5, "RLSTDP", 2, 1.3, 0.25, 3, 0, 0, [1.0, 1.0, 1.0, 1.0, 1.0], 6, 0.5, 1, 0.3, False, 9, "manual", False, "PopulationVector", 0, 1.0, 1.0, 2, "DropOff"],
    [4, "static", 0.25, "RLSTDP", 2, 2.3, 0.5, 3, 0, 0.5, [1.0, -1.0, 1.0, 1.0, -1.0], 8, 0.5, 1, 0.1, False, 9, "random", True, "NeuronRates", 1.0, 1.0, 1.0, 0.5, None],
    [4, "rate", 0.25, "LTP", 2, 1.3, 0.0, 3, 0, 0.5, None, 8, 0.25, 0.5, 0.1, True, 9, "manual", True, "Threshold", 0, 1.0, 0, 2, None],
    [4, "rate", 0.25, "LTP", 1, 2.3, 0.0, 0, 0, 0.5, [1.0, 1.0, 1.0, 1.0, 1.0], 6, 0.25, 1, 0.1, True, 9, "random", False, "PopulationVector", 1.0, 0, 1.0, 2, "DropOff"],
    [8, "static", 0.5, "LTP", 1, 2.3, 0.5, 3, 0, 0.5, [1.0, -1.0, 1.0, 1.0, -1.0], 4, 0.5, 1, 0.3, False, 9, "random", True, "PopulationVector", 0, 1.0, 0, 2, "DropOff"],
    [4, "rate", 0.25, "RLSTDP", 1, 2.3, 0.5, 3, 2, 0.5, [1.0, -1.0, 1.0, 1.0, -1.0], 4, 0.25, 0.5, 0.3, False, 9, "random", False, "PopulationVector", 1.0, 1.0, 1.0, 2, None],
]
# fmt: on
N_IN, N = 4, 5


def run(c):
    np.random.seed(0)
    t = c["T"]
    if c["inputs"] == "static":
        pat = np.zeros((t, N_IN))
        pat[::2, :2] = 1
        pat[1::3, 2:] = 1
        inputs_part = input.StaticMap
        in_keys = {"state_spike_map": {0: pat, 1: pat[::-1], 2: np.ones(N_IN)}}
    else:
        inputs_part = input.RateMap
        in_keys = {"state_rate_map": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])}
    matrix = np.vstack(
        (
            np.array(
                [
                    [1.0, 0.5, 0.0, 0.25, 0.5],
                    [0.5, 1.0, 0.25, 0.0, 0.75],
                    [0.0, 0.25, 1.0, 0.5, 0.25],
                    [0.25, 0.5, 0.5, 1.0, 0.0],
                ]
            ),
            np.full((N, N), c["body"]) * (1 - np.eye(N)),
        )
    )
    weights_part, w_keys = weight.Manual, {"matrix": matrix}
    if c["weights"] == "random":
        mask = np.arange((N_IN + N) * N).reshape(N_IN + N, N) % 3 != 0 if c["mask"] else None
        weights_part = weight.Random
        w_keys = {
            "weight_generator": lambda size: np.random.RandomState(5).choice(
                [0.25, 0.5, 0.75, 1.0], size=size
            ),
            "matrix_mask": mask,
            "force_unidirectional": False,
        }
    parts = {
        "inputs": inputs_part,
        "neurons": neuron.Neuron,
        "weights": weights_part,
        "synapses": getattr(synapse, c["synapse"]),
        "readout": getattr(readout, c["readout"]),
        "rewarder": reward.MatchExpected,
    }
    polarity = {"polarities": c["pol"]} if c["pol"] else {"neuron_pct_inhibitory": c["npct"]}
    keys = {
        "n_inputs": N_IN,
        "n_neurons": N,
        "n_outputs": 2,
        "processing_time": t,
        "magnitude": c["mag"],
        "firing_threshold": c["thr"],
        "potential_decay": c["decay"],
        "refractory_period": c["refr"],
        "spike_delay": c["delay"],
        "resting_mv": c["rest"],
        **polarity,
        "input_pct_inhibitory": c["ipct"],
        "prob_rand_fire": c["prf"],
        "n_actions": 2,
        "max_weight": c["maxw"],
        "stdp_window": c["window"],
        "learning_rate": c["lr"],
        "trace_decay": c["td"],
        "action_threshold": c["ath"],
        "punish_mult": 1,
        "expected_value": lambda s: s % 2,
        "continuous_rwd_action": lambda net, s: int(np.sum(net.spike_log[-1] != 0) > 1),
        **w_keys,
        **in_keys,
    }
    net = (ActiveRLNetwork if c["active"] else RLNetwork)(**parts, **keys)
    if c["modifier"]:
        schedule = getattr(snn, c["modifier"])
        net.modifiers = [
            schedule(["network", "synapses", "_learning_rate"], 4, c["lr"], c["lr"] / 2)
        ]
    net.reset()
    acts, logs, sums = [], [], []
    for step in range(c["steps"]):
        s = step % 3
        a = net.tick(s)
        net.reward(s, a, None)
        acts.append(np.round(np.asarray(a, dtype=float), 6).tolist() if np.ndim(a) else float(a))
        logs.append(np.count_nonzero(net.spike_log, axis=0).tolist())
        sums.append(round(float(net.weights.matrix.sum()), 9))
    return {"acts": acts, "logs": logs, "sums": sums, "w": np.round(net.weights.matrix, 9).tolist()}


RESULT = {str(i): run(dict(zip(NAMES, row))) for i, row in enumerate(CONFIGS)}
print(len(RESULT), "configurations")
