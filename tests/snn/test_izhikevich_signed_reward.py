"""A negative reward to the Izhikevich parts is a dopamine dip (signed dopamine), on the
compiled and the reference engine alike."""

import numpy as np
import pytest

from spikey.module import ConfigError
from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight


class Punish(reward.template.Reward):
    """``reward_mult`` in state 0, ``-punish_mult`` in state 1 (a dip)."""

    def __call__(self, state, action, state_next):
        return self._reward_mult if state == 0 else -self._punish_mult


class SmallNet(RLNetwork):
    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Izhikevich,
        "weights": weight.DelayedSparse,
        "synapses": synapse.DASTDP,
        "readout": readout.Threshold,
        "rewarder": Punish,
    }
    keys = {
        "n_inputs": 10,
        "n_neurons": 60,
        "n_outputs": 5,
        "processing_time": 50,
        "magnitude": 1.0,
        "state_rate_map": np.array([[0.2, 0.0], [0.0, 0.2]]),
        "syn_per_neuron": 10,
        "max_delay": 5,
        "input_syn_per_input": 3,
        "action_threshold": 0.0,
        "reward_mult": 1.0,
        "punish_mult": 2.0,
        "reward_amount": 0.5,
        "tau_d": 200.0,
        "seed": 3,
    }


def test_a_negative_reward_is_a_dip_below_baseline():
    net = SmallNet()
    net.reset()
    net.tick(1)
    assert net.reward(1, 0, None) == -2.0
    assert net.synapses.pending_dopamine == -1.0
    net.tick(1)  # the dip enters at the tick's first ms, then 49 ms of decay
    assert net.synapses.dopamine == pytest.approx(-(0.995**49), rel=1e-12)
    net.reward(0, 0, None)  # +0.5 on top of the remaining dip
    net.tick(0)
    assert net.synapses.dopamine == pytest.approx(-(0.995**99) + 0.5 * 0.995**49, rel=1e-12)
    with pytest.raises(ConfigError, match="reward"):
        net.synapses.reward(float("nan"))
    with pytest.raises(ConfigError, match="reward"):
        net.synapses.reward(-1e9)


def test_dips_depress_and_both_engines_agree():
    runs = []
    for fast in (True, False):
        net = SmallNet(fast_path=fast, da_release=-0.001)
        net.reset()
        g = np.random.default_rng(4)
        logs = []
        for _ in range(30):
            s = int(g.integers(2))
            net.reward(s, net.tick(s), None)
            logs.append(net.spike_log.copy())
        runs.append((np.array(logs), net.synapses.engine.weights(), net.synapses.dopamine))
    (la, wa, da), (lb, wb, db) = runs
    assert (la != 0).sum() > 50 and np.array_equal(la, lb)
    assert np.max(np.abs(wa - wb)) < 1e-9 and da == pytest.approx(db, abs=1e-12)
