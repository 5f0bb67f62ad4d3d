"""The compiled tick and the per-step Python path give identical spikes and weights."""

import numpy as np
import pytest
from snn_helpers import N_IN, Small, run

from spikey.snn import input, modifier, neuron, readout, reward, synapse

CONFIGS = {
    "ltp-deferred": {},
    "ltp-trace": {"trace_decay": 0.3},
    "rlstdp-deferred": {"synapses": synapse.RLSTDP},
    "rlstdp-trace": {"synapses": synapse.RLSTDP, "trace_decay": 0.05},
    "neuron-extras": {
        "spike_delay": 3,
        "refractory_period": 2,
        "prob_rand_fire": 0.03,
        "neuron_pct_inhibitory": 0.3,
        "input_pct_inhibitory": 0.25,
        "resting_mv": 0.5,
        "magnitude": 1.3,
        "synapses": synapse.RLSTDP,
        "trace_decay": 0.2,
    },
    "rand-potential": {
        "neurons": neuron.RandPotential,
        "potential_noise_scale": 1.5,
        "prob_rand_fire": 0.3,
        "trace_decay": 0.5,
    },
    "firing-steps": {"input_firing_steps": 7, "stdp_window": 30, "trace_decay": 0.3},
    "window>time": {"stdp_window": 45, "synapses": synapse.RLSTDP, "trace_decay": 0.1},
    "static-map": {
        "inputs": input.StaticMap,
        "state_spike_map": {
            s: (np.random.default_rng(s).random((20, N_IN)) < 0.3) for s in range(3)
        },
    },
    "modifier": {
        "modifiers": [modifier.LinearDecay(["network", "synapses", "_learning_rate"], 6, 0.5, 0.0)],
        "trace_decay": 0.4,
    },
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_fast_and_python_paths_agree(name):
    cfg = CONFIGS[name]
    fast = Small(seed=11, **cfg)
    slow = Small(seed=11, fast_path=False, **cfg)
    assert fast._fast_kinds() is not None
    logs_f, acts_f = run(fast)
    logs_s, acts_s = run(slow)
    assert slow._fast_kinds() is not None  # eligible, but forced onto the Python path
    assert np.count_nonzero(logs_f[:, :, N_IN:]) > 20, "the case must make body spikes"
    assert np.array_equal(logs_f, logs_s)
    assert acts_f == acts_s
    assert np.array_equal(fast.weights.matrix, slow.weights.matrix)
    assert fast.synapses.trace == slow.synapses.trace
    assert np.array_equal(fast.neurons.potentials, slow.neurons.potentials)
    assert np.array_equal(fast.neurons.refractory_timers, slow.neurons.refractory_timers)
    assert fast.internal_time == slow.internal_time == 12 * 20
    if name != "modifier" and name != "static-map":
        assert not np.array_equal(fast.weights.matrix, Small(seed=11, **cfg).weights.matrix)


def test_eval_mode_agrees_and_freezes_weights():
    fast, slow = Small(seed=3, trace_decay=0.2), Small(seed=3, fast_path=False, trace_decay=0.2)
    for net in (fast, slow):
        net.eval()
    before = fast.weights.matrix.copy()
    lf, _ = run(fast)
    ls, _ = run(slow)
    assert np.array_equal(lf, ls)
    assert np.array_equal(fast.weights.matrix, before) and np.array_equal(
        slow.weights.matrix, before
    )


class LoudNeuron(neuron.Neuron):
    def __call__(self):
        return super().__call__() * 2.0


class PlainRewarder(reward.template.Reward):
    def __call__(self, state, action, state_next):
        return 1.0


class Argmax(readout.PopulationVector):
    def __call__(self, train):
        return int(np.argmax(super().__call__(train)))


def test_user_parts_choose_the_path():
    assert Small(neurons=LoudNeuron)._fast_kinds() is None
    assert Small(rewarder=PlainRewarder, readout=Argmax)._fast_kinds() is not None

    class KeysOnly(synapse.LTP):  # a subclass that changes no tick method stays fast
        pass

    assert Small(synapses=KeysOnly)._fast_kinds() is not None

    class OwnRule(synapse.LTP):
        def _apply_stdp(self, spike_log, polarities, credit_post=None):
            pass

    assert Small(synapses=OwnRule)._fast_kinds() is None
    logs, _ = run(Small(neurons=LoudNeuron, seed=1), n_ticks=3)
    body = logs[:, :, N_IN:]
    assert set(np.unique(body)) <= {0.0, 2.0} and np.any(body == 2.0)


def test_weight_subclass_with_own_clip_is_honoured():
    from spikey.snn import weight

    class HalfCap(weight.Manual):
        calls = 0

        def clip(self):
            HalfCap.calls += 1
            np.clip(self._matrix, 0.0, self._max_weight / 2, out=self._matrix)

    net = Small(weights=HalfCap, seed=2, learning_rate=5.0, trace_decay=0.5)
    assert net._fast_kinds() is None
    run(net, n_ticks=6)
    assert HalfCap.calls > 0
    touched = net.weights.matrix != Small(seed=2).weights.matrix
    assert np.any(touched) and net.weights.matrix[touched].max() <= 1.0
