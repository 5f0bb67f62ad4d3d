"""ActiveRLNetwork with built-in parts runs compiled steps and calls the user's reward code
between them: the same spikes, weights, trace and rewards as the Python path."""

import numpy as np
import pytest
from snn_helpers import N_IN, N, Small

from spikey.snn import ActiveRLNetwork, input, neuron, reward, synapse


class FlorianLikeReward(reward.template.Reward):
    """Rewards an output spike in odd states, punishes it in even ones (XOR notebook)."""

    def __call__(self, state, action, state_next):
        if state % 2 == 1:
            return self._reward_mult if action else 0
        return -self._punish_mult if action else 0


def last_output(network, state):
    return network.spike_log[-1, -1]  # the XOR notebook's continuous_rwd_action


CASES = {
    "ratemap-rlstdp": {},
    "deferred": {"trace_decay": 1.0},
    "ltp": {"synapses": synapse.LTP, "trace_decay": 0.1},
    "randpotential": {"neurons": neuron.RandPotential, "potential_noise_scale": 0.3},
    "rand-fire-delay": {"prob_rand_fire": 0.1, "spike_delay": 2, "refractory_period": 2},
    "staticmap": {
        "inputs": input.StaticMap,
        "state_spike_map": {s: (np.arange(N_IN) % 3 == s).astype(float) for s in range(3)},
    },
    "eval": {"_eval": True},
}


class Active(ActiveRLNetwork):
    parts = dict(Small.parts, synapses=synapse.RLSTDP, rewarder=FlorianLikeReward)
    keys = dict(
        Small.keys,
        continuous_rwd_action=last_output,
        trace_decay=0.04,
        punish_mult=1.0,
        learning_rate=0.3,
    )


def run(fast, ticks=12, **keys):
    do_eval = keys.pop("_eval", False)
    net = Active(seed=11, fast_path=fast, **keys)
    calls = []
    original = net.continuous_reward

    def counting(state, reward=None):
        r = original(state, reward)
        calls.append((net.internal_time, float(r), float(net.synapses.trace)))
        return r

    net.continuous_reward = counting
    if do_eval:
        net.eval()
    net.reset()
    actions = []
    for t in range(ticks):
        state = t % 3
        actions.append(net.tick(state))
        net.reward(state, actions[-1], None)
    return actions, net.weights.matrix.copy(), net.spike_log.copy(), calls, net


@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_active_network_equals_python_path(case):
    fast = run(True, **CASES[case])
    slow = run(False, **CASES[case])
    assert fast[4]._fast_kinds() is not None
    assert fast[0] == slow[0]
    np.testing.assert_array_equal(fast[2], slow[2])
    np.testing.assert_array_equal(fast[1], slow[1])
    assert fast[3] == slow[3]  # same reward, trace and time at every step
    assert len(fast[3]) == 12 * Small.keys["processing_time"]  # once per network step


def test_learning_happens_on_the_fast_path():
    actions, w, log, calls, net = run(True, ticks=20, prob_rand_fire=0.2)
    assert any(r != 0 for _, r, _ in calls)
    assert not np.array_equal(w, Active(seed=11).weights.matrix)


def test_user_process_step_override_keeps_the_python_path():
    class Custom(Active):
        def _process_step(self, i, state):
            super()._process_step(i, state)

    net = Custom(seed=0)
    net.reset()
    net.tick(1)
    assert net._fast_kinds() is None


def test_overriding_continuous_reward_keeps_compiled_steps():
    seen = []

    class Counting(Active):
        def continuous_reward(self, state, reward=None):
            seen.append(self.internal_time)
            return super().continuous_reward(state, reward)

    net = Counting(seed=0)
    net.reset()
    net.tick(1)
    assert net._fast_kinds() is not None
    assert seen == list(range(1, Small.keys["processing_time"] + 1))
    assert N == net.neurons.potentials.shape[0]
