"""The numba engine on 2 threads gives the single-threaded result bit for bit."""

import numpy as np
import pytest

from spikey.engine import IzhNetwork
from spikey.models import izhikevich2007 as izh


@pytest.mark.parametrize("rule", ["last", "sum"])
@pytest.mark.parametrize("mode", ["stepped", "exact"])
@pytest.mark.parametrize("preset", ["izhikevich2007", "izhikevich2007-delays"])
def test_two_threads_match_one_bit_for_bit(preset, mode, rule):
    out = []
    for threads in (1, 2):
        net = izh.build(
            preset,
            seed=3,
            mode=mode,
            threads=threads,
            n_exc=160,
            n_inh=40,
            syn_per_neuron=40,
            duplicates=rule,
        )
        net.adaptive_threads = False  # every chunk on the threads (adaptive: test below)
        net.da_release = np.where(np.arange(net.n) < 10, 0.01, 0.0)
        rec = net.record(synapses=np.arange(0, 6000, 97), every_ms=50)
        rng = np.random.default_rng(1)
        st_t = np.sort(rng.integers(0, 1200, 300))
        stim = (st_t, rng.integers(0, net.n, 300), rng.uniform(0, 30, 300))
        a = net.run(1200, stimuli=stim, rewards=[300, 900])
        net.plasticity = False
        b = net.run(200)
        out.append((np.concatenate([a.t, b.t]), np.concatenate([a.i, b.i]), net, rec))
    (t1, i1, n1, r1), (t2, i2, n2, r2) = out
    assert t1.size > 200 and np.array_equal(t1, t2) and np.array_equal(i1, i2)
    assert np.array_equal(n1.weights(), n2.weights())
    assert np.array_equal(n1.eligibility(), n2.eligibility())
    assert np.array_equal(n1.v, n2.v) and np.array_equal(n1.u, n2.u) and n1.d == n2.d
    assert np.array_equal(r1.w, r2.w) and np.array_equal(r1.c, r2.c)


def test_threads_can_change_between_runs_and_bad_counts_are_refused():
    a = izh.build("izhikevich2007", seed=1, n_exc=80, n_inh=20)
    b = izh.build("izhikevich2007", seed=1, n_exc=80, n_inh=20)
    sa = a.run(400)
    b.run(200)
    b.threads = 2
    b.adaptive_threads = False
    sb2 = b.run(200)
    assert np.array_equal(sa.t[sa.t >= 200], sb2.t) and np.array_equal(a.weights(), b.weights())
    for bad in (0, -1, 1.5, True, 10**6):
        with pytest.raises(ValueError, match="threads"):
            a.threads = bad
    with pytest.raises(ValueError, match="threads"):
        IzhNetwork.from_arrays([0], [1], [1.0], [1], n_exc=2, engine="reference", threads=2)


def test_uneven_thread_ranges_match_one_thread_and_bounds_follow_the_synapses():
    from spikey.engine.network import thread_bounds

    nets = [
        izh.build("izhikevich2007", seed=5, mode="exact", threads=k, n_exc=250, n_inh=50)
        for k in (1, 2)  # 300 neurons: ranges of 192 and 108
    ]
    nets[1].adaptive_threads = False
    a, b = (net.run(800) for net in nets)
    assert a.t.size > 100 and np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
    assert np.array_equal(nets[0].weights(), nets[1].weights())
    # block-aligned ranges with about equal incoming synapses; empty ranges when blocks run out
    bounds = thread_bounds(np.r_[np.full(640, 3), np.full(640, 1)], 2)
    assert bounds.tolist() == [0, 512, 1280]  # 8 blocks of work 4 per neuron, then 12 of 2
    assert thread_bounds(np.ones(10, np.int64), 3).tolist() == [0, 10, 10, 10]


def test_a_thread_with_no_neurons_changes_nothing():
    # 40 neurons are one detection block: the second thread's range is empty (40:40)
    nets = [
        izh.build("izhikevich2007", seed=3, threads=k, n_exc=32, n_inh=8, syn_per_neuron=10)
        for k in (1, 2)
    ]
    nets[1].adaptive_threads = False
    a, b = (net.run(600) for net in nets)
    assert a.t.size > 20 and np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
    assert np.array_equal(nets[0].v, nets[1].v) and np.array_equal(nets[0].u, nets[1].u)


def test_adaptive_threads_switch_between_the_kernels_and_change_nothing():
    from spikey.engine.izh.threads import FIRST_GAP, ThreadChoice

    nets = [izh.build("izhikevich2007", seed=2, threads=k, n_exc=160, n_inh=40) for k in (1, 2)]
    assert nets[1].adaptive_threads is True
    a, b = (net.run(3000, rewards=[500, 1500]) for net in nets)
    assert a.t.size > 100 and np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
    assert np.array_equal(nets[0].weights(), nets[1].weights())
    with pytest.raises(ValueError, match="adaptive_threads"):
        nets[1].adaptive_threads = "yes"
    # the choice: each option once (one thread first), then the faster; the other once in a
    # while, in a short probe
    choice = ThreadChoice(2)
    assert choice.pick() == 1 and choice.chunk_ms(1, 10_000) == 20
    choice.record(1, 20, 0.1)  # one thread: 5 ms of wall per model ms (a busy machine)
    assert choice.pick() == 2 and choice.chunk_ms(2, 10_000) == 25  # a first probe: short
    choice.record(2, 25, 0.375)  # 2 threads: 15 ms per model ms
    gap = choice.gap  # each probe that confirms the choice doubles the gap
    assert gap == 2 * FIRST_GAP
    picks = []
    for _ in range(gap + 1):
        picks.append(choice.pick())
        choice.record(picks[-1], 10, 0.05 if picks[-1] == 1 else 0.15)
    assert picks == [1] * gap + [2] and choice.best == 1 and choice.gap == 2 * gap
    assert choice.chunk_ms(1, 10_000) == 20  # about 0.1 s of wall at 5 ms per model ms
    choice.record(2, 10, 0.01)  # the load went away: 1 ms per ms (the figure: 8 ms)
    assert choice.best == 1 and choice.pick() == 1 and choice.gap == FIRST_GAP
    for _ in range(FIRST_GAP):
        choice.record(choice.pick(), 20, 0.1)
    assert choice.pick() == 2
    choice.record(2, 10, 0.01 * 2 / 3)  # again: the figure is now (8 + 0.67) / 2 < 5
    assert choice.best == 2 and choice.pick() == 2 and choice.chunk_ms(2, 10_000) == 23
    assert choice.gap == FIRST_GAP
    for _ in range(FIRST_GAP):  # a close call (1 thread 1.1x slower) is probed again soon
        choice.record(choice.pick(), 100, 0.1)
    assert choice.pick() == 1
    choice.record(1, 10, 0.0)  # the figure: 2.5 ms per ms, then
    choice.record(choice.pick(), 100, 0.1)
    for _ in range(3 * FIRST_GAP):
        choice.record(choice.pick(), 10, 0.011 if choice.pick() == 1 else 0.01)
    assert choice.best == 2 and choice.gap == FIRST_GAP


def test_the_choice_leans_to_one_thread_when_the_threads_are_barely_faster():
    from spikey.engine.izh.threads import PREFER_ONE, ThreadChoice

    choice = ThreadChoice(2)
    choice.record(choice.pick(), 100, 0.1)  # one thread: 1 ms of wall per model ms
    assert choice.pick() == 2
    assert PREFER_ONE > 1.05
    choice.record(2, 100, 0.1 / 1.05)  # 2 threads 5 % faster: another process holds a core
    assert choice.best == 1 and choice.pick() == 1
    while choice.pick() == 1:  # the next probe finds them clearly faster (the load went away)
        choice.record(1, 100, 0.1)
    choice.record(2, 100, 0.1 / 2.0)  # the figure: the mean of ~0.95 and 0.5 ms per ms
    assert choice.best == 2 and choice.pick() == 2
    for _ in range(3):  # the threads slow to one thread's pace: back to one thread at once
        choice.record(2, 100, 0.1)
    assert choice.best == 1
