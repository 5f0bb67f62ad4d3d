"""The twin-synapse delivery rule ``duplicates="sum" | "last"`` in the kernels and the oracle.

Under "last" (the author's MATLAB ``I(ind) = I(ind) + s(...)'``, where a repeated index keeps
the last assignment) only the last of a neuron's synapses onto one target with one delay
delivers current; every twin stays plastic.
"""

import numpy as np
import pytest
from engine_helpers import kick

from spikey.engine import IzhNetwork
from spikey.engine.connectivity import shadowed_twins
from spikey.models import izhikevich2007 as izh


def test_shadowed_twins_marks_all_but_the_last_of_each_pre_delay_post_group():
    pre = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    post = np.array([5, 6, 5, 5, 5, 5, 5, 6])
    delay = np.array([1, 1, 1, 2, 1, 1, 2, 2])
    got = shadowed_twins(pre, post, delay)
    # 0->5 at delay 1 appears at 0, 2, 4: the last (4) delivers; 0->5 at delay 2 is alone;
    # 1->5 appears at delays 1 and 2 (different groups, both deliver)
    assert got.tolist() == [True, False, True, False, False, False, False, False]


@pytest.mark.parametrize("engine", ["numba", "dense", "reference"])
@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_last_rule_delivers_only_the_last_twin(engine, mode):
    # neuron 0 -> 1 twice at delay 1 (30 mV, then 0.5 mV); one 0 -> 1 at delay 3 (1 mV)
    def net(rule):
        return IzhNetwork.from_arrays(
            [0, 0, 0],
            [1, 1, 1],
            [30.0, 0.5, 1.0],
            [1, 1, 3],
            n_exc=2,
            noise="none",
            plastic=np.zeros(3, bool),
            duplicates=rule,
            mode=mode,
            engine=engine,
        )

    fired = {}
    for rule in ("sum", "last"):
        n = net(rule)
        s = n.run(30, stimuli=kick([5], 0))
        fired[rule] = s.i[s.i == 1].size
        if rule == "last":
            # 0 fires at ms 6; delay 1 delivers 0.5 mV in ms 6 and delay 3 delivers 1 mV in ms 8
            assert n.synapse_index(0, 1) == 0 and s.i.tolist() == [0]
    assert fired["sum"] == 1 and fired["last"] == 0


def test_last_rule_twins_stay_plastic():
    # both twins get the same pairings, so both learn; only the last one delivers
    n = IzhNetwork.from_arrays(
        [0, 0, 2],
        [1, 1, 1],
        [1.0, 1.0, 25.0],
        [1, 1, 1],
        n_exc=3,
        noise="none",
        duplicates="last",
        tonic_da=0.5,
        plastic=np.array([True, True, False]),
    )
    times = np.arange(10, 1000, 50)
    stim = (
        np.concatenate([times, times + 3]),
        np.r_[np.zeros(20, int), np.full(20, 2)],
        np.full(40, 100.0),
    )
    order = np.argsort(stim[0], kind="stable")
    n.run(1000, stimuli=tuple(a[order] for a in stim))
    w = n.weights()
    assert w[0] == w[1] and w[0] > 1.0


def _twinny(preset, rule, mode, engine, seed=5):
    # a small, dense network with many twins (short delay range so that groups are large)
    extra = {"max_delay": 3} if preset == "izhikevich2007-delays" else {}
    return izh.build(
        preset,
        seed=seed,
        mode=mode,
        engine=engine,
        n_exc=40,
        n_inh=10,
        syn_per_neuron=30,
        duplicates=rule,
        w_exc_init=2.0,
        **extra,
    )


@pytest.mark.parametrize("rule", ["sum", "last"])
@pytest.mark.parametrize("mode", ["stepped", "exact"])
@pytest.mark.parametrize("preset", ["izhikevich2007", "izhikevich2007-delays"])
def test_both_rules_match_the_reference_spike_for_spike(preset, rule, mode):
    nets = [_twinny(preset, rule, mode, e) for e in ("numba", "reference", "dense")]
    assert nets[0].syn.shadowed.sum() > 100
    out = []
    for net in nets:
        rng = np.random.default_rng(3)
        st_t = np.sort(rng.integers(0, 1500, 400))
        stim = (st_t, rng.integers(0, net.n, 400), rng.uniform(0, 25, 400))
        s = net.run(1500, stimuli=stim, rewards=(np.array([300, 900]), np.array([0.5, 0.5])))
        net.plasticity = False  # then frozen: the twins' weights read, not touched
        early = st_t < 500
        f = net.run(500, stimuli=(st_t[early], stim[1][early], stim[2][early]))
        out.append((np.r_[s.t, f.t + 1500], np.r_[s.i, f.i]))
    a, b, dense = out
    assert a[0].size > 150 and np.sum(a[0] >= 1500) > 30
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert np.array_equal(dense[0], b[0]) and np.array_equal(dense[1], b[1])
    assert np.array_equal(nets[2].weights(), nets[1].weights())  # the reference's arithmetic
    assert np.max(np.abs(nets[0].weights() - nets[1].weights())) < 1e-9
    assert np.max(np.abs(nets[0].eligibility() - nets[1].eligibility())) < 1e-9


@pytest.mark.parametrize("preset", ["izhikevich2007", "izhikevich2007-delays"])
def test_presets_use_the_authors_rule_and_it_changes_the_spikes(preset):
    net = izh.build(preset, seed=2)
    assert net.params["duplicates"] == "last"
    # about (group size - 1) / (2 N) of the excitatory draws: 100 / 2000, or 5 per delay: 4 / 2000
    lo, hi = (0.02, 0.08) if preset == "izhikevich2007" else (0.0005, 0.005)
    assert lo < net.syn.shadowed[net.plastic].mean() < hi
    other = izh.build(preset, seed=2, duplicates="sum")
    a, b = net.run(2000), other.run(2000)
    assert not (np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i))


def test_user_networks_sum_twins_by_default():
    net = IzhNetwork.from_arrays([0, 0], [1, 1], [1.0, 1.0], [1, 1], n_exc=2)
    assert net.params["duplicates"] == "sum"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shadowed_twins_packed_key_agrees_with_the_lexsort_definition(seed):
    # the fast path (one packed integer key) against the plain definition: all but the last (in
    # the given order) of each (pre, delay, post) group are shadowed
    rng = np.random.default_rng(seed)
    s = 5000
    pre = rng.integers(0, 40, s)
    post = rng.integers(0, 30, s)
    delay = rng.integers(1, 4, s)
    expected = np.zeros(s, dtype=bool)
    last_seen = {}
    for i, k in enumerate(zip(pre.tolist(), delay.tolist(), post.tolist())):
        if k in last_seen:
            expected[last_seen[k]] = True
        last_seen[k] = i
    assert expected.any()
    assert shadowed_twins(pre, post, delay).tolist() == expected.tolist()
    # huge value ranges take the general (lexsort) path: same answer
    big = pre.astype(np.int64) * 2**40
    assert shadowed_twins(big, post * 2**30, delay).tolist() == expected.tolist()
