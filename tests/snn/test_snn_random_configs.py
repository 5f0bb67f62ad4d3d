"""Random small configurations: no crash, and both tick paths agree."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight


class Rewarder(reward.template.Reward):
    def __call__(self, state, action, state_next):
        return self._reward_mult if state % 2 else -self._punish_mult


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_groups=st.integers(1, 3),
    per_group=st.integers(0, 3),
    n=st.integers(1, 6),
    n_out=st.integers(0, 6),
    steps=st.integers(1, 6),
    window=st.integers(1, 9),
    delay=st.integers(0, 4),
    refractory=st.integers(0, 3),
    rlstdp=st.booleans(),
    trace_decay=st.sampled_from([1.0, 0.0, 0.4]),
    rand_potential=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_random_config_paths_agree(
    n_groups,
    per_group,
    n,
    n_out,
    steps,
    window,
    delay,
    refractory,
    rlstdp,
    trace_decay,
    rand_potential,
    seed,
):
    n_in = n_groups * per_group
    n_out = min(n_out, n)
    if rlstdp:
        window = max(window, 3)
    g = np.random.default_rng(seed)
    keys = dict(
        n_inputs=n_in,
        n_neurons=n,
        n_outputs=n_out,
        processing_time=steps,
        stdp_window=window,
        learning_rate=0.5,
        max_weight=2.0,
        magnitude=1.0,
        firing_threshold=1.0,
        potential_decay=0.2,
        refractory_period=refractory,
        spike_delay=delay,
        neuron_pct_inhibitory=0.3,
        input_pct_inhibitory=0.2,
        prob_rand_fire=0.1,
        potential_noise_scale=1.5,
        trace_decay=trace_decay,
        state_rate_map=g.random((4, n_groups)),
        action_threshold=0.1,
        matrix=g.random((n_in + n, n)) * (g.random((n_in + n, n)) < 0.6) * 1.5,
        punish_mult=0.5,
    )
    parts = dict(
        inputs=input.RateMap,
        neurons=neuron.RandPotential if rand_potential else neuron.Neuron,
        synapses=synapse.RLSTDP if rlstdp else synapse.LTP,
        weights=weight.Manual,
        readout=readout.Threshold,
        rewarder=Rewarder,
    )
    nets = [RLNetwork(seed=seed, fast_path=f, **parts, **keys) for f in (True, False)]
    states = g.integers(0, 4, 5)
    logs = [[], []]
    for k, net in enumerate(nets):
        net.reset()
        for s, s2 in zip(states[:-1], states[1:]):
            a = net.tick(int(s))
            logs[k].append(net.spike_log.copy())
            net.reward(int(s), a, int(s2))
    assert nets[0]._fast_kinds() is not None
    assert np.array_equal(np.array(logs[0]), np.array(logs[1]))
    assert np.array_equal(nets[0].weights.matrix, nets[1].weights.matrix)
    assert np.all(np.isfinite(nets[0].neurons.potentials))
