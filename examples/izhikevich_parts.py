"""The paper's network (Izhikevich 2007) built in the Spikey template style.

1000 Izhikevich neurons (800 RS, 200 FS), 100 synapses each, dopamine-modulated STDP, uniform
background noise: the author's Fig. 1 program, as parts. Twenty input groups of 50 each
stimulate 50 random neurons for 1 ms (40 mV) at the start of a 200 ms game step; only group
S1 (state 0) is rewarded, a dopamine pulse at the start of the next step, as in the paper's
classical conditioning (Fig. 2, with more frequent rewards). After a few model minutes the
network answers S1 several times harder than the other groups, and S1's neurons' outgoing
synapses are much stronger. Run: ``python examples/izhikevich_parts.py [n_steps]``
(default 1500 steps = 300 model seconds, about 5-10 s).
"""

import sys

import numpy as np

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

N_GROUPS, GROUP = 20, 50


class RewardS1(reward.template.Reward):
    """Reward every presentation of S1 (state 0)."""

    def __call__(self, state, action, state_next):
        return self._reward_mult if state == 0 else 0.0


class PaperNetwork(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Izhikevich,
        "weights": weight.DelayedSparse,
        "synapses": synapse.DASTDP,
        "readout": readout.Threshold,
        "rewarder": RewardS1,
    }
    keys = {
        "n_inputs": N_GROUPS * GROUP,  # input i belongs to group i % N_GROUPS
        "n_neurons": 1000,
        "n_outputs": 0,
        "processing_time": 200,  # ms per game step
        "magnitude": 1.0,
        "state_rate_map": np.eye(N_GROUPS),
        "input_firing_steps": 0,  # inputs fire in the first ms of a step only (steps 0..0)
        "neuron_pct_inhibitory": 0.2,  # neuron.Izhikevich: 200 FS, 800 RS
        "noise": "uniform",  # every neuron, every ms, U[-6.5, 6.5]
        "syn_per_neuron": 100,  # weight.DelayedSparse: the paper's random network
        "max_delay": 1,
        "max_weight": 4.0,
        "input_syn_per_input": 1,
        "input_weight": 40.0,
        "a_plus": 0.1,
        "a_minus": 0.15,  # synapse.DASTDP: the paper's values
        "tau_c": 1000.0,
        "tau_d": 200.0,
        "tonic_da": 0.002,
        "reward_amount": 0.5,
        "plasticity_mode": "stepped",
        "reward_mult": 1.0,
        "action_threshold": 0.0,
        "seed": 0,
    }


def main(n_steps=1500):
    net = PaperNetwork()
    ni = net._n_inputs
    states = np.random.default_rng(0).integers(N_GROUPS, size=n_steps)
    responses = [[] for _ in range(N_GROUPS)]  # body spikes in the 50 ms after each stimulus
    net.reset()
    for state in states:
        action = net.tick(int(state))
        responses[state].append(int((net.spike_log[:50, ni:] != 0).sum()))
        net.reward(int(state), action, None)

    w = net.weights
    values, exc = w.values, net.neurons.polarities > 0
    print(f"{n_steps * 0.2:.0f} model seconds")
    print(f"{'group':>6} {'first 10':>9} {'last 10':>8} {'out weight':>11}")
    for g in range(N_GROUPS):
        targets = np.unique(w.post[(w.pre < ni) & (w.pre % N_GROUPS == g)])
        targets = targets[exc[targets]]
        mean_out = values[np.isin(w.pre - ni, targets) & w.plastic].mean()
        r = responses[g]
        if g < 4 or g == N_GROUPS - 1:
            print(
                f"{'S%d' % (g + 1):>6} {np.mean(r[:10]):9.0f} {np.mean(r[-10:]):8.0f} {mean_out:11.2f}"
            )
        elif g == 4:
            print(f"{'...':>6}")
    print(f"mean excitatory weight {values[w.plastic].mean():.2f} (started at 1.00)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1500)
