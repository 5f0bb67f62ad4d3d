"""Fig. 1 follows the author's program (daspnet.m) where its MATLAB semantics matter."""

import numpy as np
import pytest

from spikey.experiments.izh2007 import common, fig1


def test_pre_spike_in_the_same_ms_blocks_the_reward():
    rng = np.random.default_rng(0)
    # post at 110 with pre at 100 and 110: the program's last pre spike is 110 -> no reward;
    # post at 111: 1 ms after 110 -> reward
    times, last = fig1.schedule_rewards(
        np.array([100, 110]), np.array([110, 111]), -(10**9), 20, rng, 1000, 3000
    )
    assert times.size == 1 and 1001 <= times[0] - 111 <= 3000 and last == 110


def test_twin_free_marks_synapses_that_nothing_repeats():
    rng = np.random.default_rng(3)
    pre = np.repeat(np.arange(5), 12)
    post = rng.integers(0, 6, pre.size)
    delay = rng.integers(1, 3, pre.size)
    free = fig1.twin_free(pre, post, delay)
    for k in range(pre.size):
        same = (pre == pre[k]) & (post == post[k]) & (delay == delay[k])
        assert free[k] == (same.sum() == 1)
    assert free.any() and not free.all()


def _small(seed, duplicates="last"):
    config = dict(fig1.DEFAULTS, mode="stepped", duplicates=duplicates)
    over = dict(n_exc=16, n_inh=4, syn_per_neuron=40, noise_amp=9.0)
    return config, common.build_network(config, seed, **over)


def test_experiments_run_on_the_engines_twin_rule_and_keep_it_when_rebuilt():
    config, net = _small(4)
    assert net.params["duplicates"] == "last" and net.syn.shadowed.sum() > 20
    fixed = common.with_fixed_synapses(net, config, 4, np.array([0, 1]), 0.0)
    assert fixed.params["duplicates"] == "last"
    assert np.array_equal(fixed.syn.shadowed, net.syn.shadowed)
    # the rule changes the network: the same seed under "sum" fires differently
    _, summed = _small(4, "sum")
    a, b = net.run(3000), summed.run(3000)
    assert a.t.size > 100
    assert not (a.t.size == b.t.size and np.array_equal(a.i, b.i))
    with pytest.raises(ValueError, match="key 'duplicates' got 'first'"):
        _small(4, "first")
