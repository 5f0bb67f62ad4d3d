"""Fig. 1 follows the author's program (daspnet.m) where its MATLAB semantics matter."""

import numpy as np

from spikey.engine.network import IzhNetwork
from spikey.experiments.izh2007 import common, fig1


def test_pre_spike_in_the_same_ms_blocks_the_reward():
    rng = np.random.default_rng(0)
    # post at 110 with pre at 100 and 110: the program's last pre spike is 110 -> no reward;
    # post at 111: 1 ms after 110 -> reward
    times, last = fig1.schedule_rewards(
        np.array([100, 110]), np.array([110, 111]), -(10**9), 20, rng, 1000, 3000
    )
    assert times.size == 1 and 1001 <= times[0] - 111 <= 3000 and last == 110


def test_twin_representative_is_the_last_drawn_twin():
    rng = np.random.default_rng(3)
    pre = np.repeat(np.arange(5), 12)
    post = rng.integers(0, 6, pre.size)
    delay = rng.integers(1, 3, pre.size)
    rep = fig1.twin_representatives(pre, post, delay)
    for k in range(pre.size):
        same = np.flatnonzero((pre == pre[k]) & (post == post[k]) & (delay == delay[k]))
        assert rep[k] == same.max()
    assert (rep != np.arange(pre.size)).any()


def _small(seed):
    config = dict(fig1.DEFAULTS, mode="stepped")
    over = dict(n_exc=16, n_inh=4, syn_per_neuron=40, noise_amp=9.0)
    return config, common.build_network(config, seed, **over)


def test_collapsed_twins_deliver_once_and_twins_keep_equal_weights():
    seed = 4
    config, net = _small(seed)
    rep = fig1.twin_representatives(net.pre, net.post, net.delay)
    keep = rep == np.arange(rep.size)
    assert (~keep).sum() > 20  # many twins in this small network
    collapsed, rep2 = fig1.collapse_twins(net, config, seed)
    assert np.array_equal(rep, rep2)
    # the same network with the shadowed twins removed altogether
    p = dict(net.params)
    n_exc, n_inh = p.pop("n_exc"), p.pop("n_inh")
    alone = IzhNetwork.from_arrays(
        np.array(net.pre)[keep],
        np.array(net.post)[keep],
        net.weights()[keep],
        np.array(net.delay)[keep],
        n_exc=n_exc,
        n_inh=n_inh,
        plastic=np.array(net.plastic)[keep],
        seed=common.network_seed(seed),
        mode="stepped",
        **p,
    )
    a, b, s = collapsed.run(3000), alone.run(3000), net.run(3000)
    assert a.t.size > 100
    assert np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
    assert np.array_equal(collapsed.weights()[keep], alone.weights())
    # letting every twin deliver (the engine's own rule) is a different network
    assert not (s.t.size == a.t.size and np.array_equal(s.t, a.t) and np.array_equal(s.i, a.i))
    # where all twins deliver, twins still share pre and post spikes: equal weights throughout
    w = net.weights()
    plastic = np.array(net.plastic)
    assert np.array_equal(w[plastic], w[rep[plastic]])
    assert np.ptp(w[plastic]) > 0.01  # the weights did move
