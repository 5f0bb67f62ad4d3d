"""Signed dopamine: a negative reward is a dip below baseline that depresses eligible synapses.

The total modulator of a weight step is ``tonic + d``; d decays to 0 (the baseline), a dip
makes it negative, and ``tonic + d < 0`` while the dip lasts. The event-driven kernel clips
only when a synapse is touched, which is exact while the modulator keeps one sign; at each
sign change it starts a new epoch (``kernels._weight_step``). These tests check it spike for
spike and weight for weight against the dense kernel and the NumPy reference, with bounds
hit during a dip and left again, and that +a and -a pulses change weights by mirror images.
"""

import numpy as np
import pytest
from engine_helpers import kick, pair_net
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import small_networks

from spikey.engine import IzhNetwork
from spikey.models import izhikevich2007 as izh

ENGINES = ("numba", "dense", "reference")


def _paired(mode, engine, first=0, second=1, **kw):
    """The pair network after pre (first) and post (second) spikes at ms 101 and 111, then
    silent: no touches until the end, only the dopamine-gated drift of w."""
    net = pair_net(mode=mode, engine=engine, **kw)
    stim = kick([100, 110], 0)
    net.run(200, stimuli=(stim[0], np.array([first, second]), stim[2]))
    return net


@pytest.mark.parametrize("mode", ["stepped", "exact"])
@pytest.mark.parametrize(
    "w0,first,pulses",
    [
        # c > 0: a reward drives w into w_max, a dip brings it back down
        (3.6, 0, [(100, 2.0), (1500, -2.0)]),
        # c > 0: a dip drives w into w_min, a reward brings it back up
        (0.4, 0, [(100, -2.0), (1500, 2.0)]),
        # c < 0 (post before pre): a dip potentiates into w_max, then a reward depresses
        (3.6, 1, [(100, -3.0), (1500, 3.0)]),
    ],
)
def test_a_bound_hit_between_touches_is_clipped_as_the_stepped_rule_does(mode, w0, first, pulses):
    runs = {}
    for engine in ENGINES:
        net = _paired(mode, engine, first=first, second=1 - first, w0=w0)
        rec = net.record(synapses=[0], every_ms=10)
        t = np.array([p[0] for p in pulses])
        net.run(4000, rewards=(t, np.array([p[1] for p in pulses])))
        runs[engine] = (net.weights()[0], rec.w[:, 0], rec.d)
    w_ref, trace_ref, d_ref = runs["reference"]
    lo, hi = 0.0, 4.0
    assert np.any(d_ref < -0.002)  # the modulator tonic + d went negative
    assert np.any((trace_ref == lo) | (trace_ref == hi))  # a bound was hit ...
    assert lo < w_ref < hi  # ... and left again
    for engine in ("numba", "dense"):
        w, trace, _ = runs[engine]
        assert w == pytest.approx(w_ref, abs=1e-12), engine
        assert np.max(np.abs(trace - trace_ref)) < 1e-12, engine
    # clipping mattered: without bounds the weight ends elsewhere (where clipping only at
    # touches, without epochs, would leave it; the kernels before epochs failed this test)
    net = _paired(mode, "reference", first=first, second=1 - first, w0=w0, w_min=-9, w_max=9)
    net.run(4000, rewards=(t, np.array([p[1] for p in pulses])))
    assert abs(net.weights()[0] - w_ref) > 0.05


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_plus_and_minus_pulses_change_weights_by_mirror_images(mode, engine):
    ck = _paired(mode, engine, tonic_da=0.0).checkpoint()
    dw = {}
    for amount in (0.5, -0.5, 0.0):
        net = IzhNetwork.restore(ck)
        w0 = net.weights()[0]
        net.run(3000, rewards=(np.array([300]), np.array([amount])))
        dw[amount] = net.weights()[0] - w0
    assert dw[0.5] > 0.05  # pre before post, then reward: potentiation
    assert dw[-0.5] == pytest.approx(-dw[0.5], rel=1e-12)  # the dip: the mirror image
    assert dw[0.0] == 0.0  # tonic 0: no dopamine, no change
    # with tonic dopamine the pulses are mirror images about the tonic drift
    ck = _paired(mode, engine, tonic_da=0.002).checkpoint()
    for amount in (0.5, -0.5, 0.0):
        net = IzhNetwork.restore(ck)
        w0 = net.weights()[0]
        net.run(3000, rewards=(np.array([300]), np.array([amount])))
        dw[amount] = net.weights()[0] - w0
    assert dw[0.0] > 0
    assert dw[0.5] - dw[0.0] == pytest.approx(dw[0.0] - dw[-0.5], rel=1e-9)


def _drive_with_dips(net, seconds, rng):
    spikes = []
    for _ in range(seconds):
        st_t = np.sort(rng.integers(0, 1000, 30))
        stim = (st_t, rng.integers(0, net.n, 30), rng.uniform(0, 30, 30))
        rew = (np.sort(rng.integers(0, 1000, 3)), rng.choice([-1.5, -0.4, 0.3, 1.2], 3))
        s = net.run(1000, stimuli=stim, rewards=rew)
        spikes.append((s.t, s.i))
    return np.concatenate([t for t, _ in spikes]), np.concatenate([i for _, i in spikes])


@pytest.mark.parametrize("engine", ["numba", "dense"])
@pytest.mark.parametrize(
    "preset,mode",
    [
        ("izhikevich2007", "stepped"),
        ("izhikevich2007", "exact"),
        ("izhikevich2007-delays", "stepped"),
        ("izhikevich2007-delays", "exact"),
    ],
)
def test_networks_with_dips_match_reference(preset, mode, engine):
    out = []
    for eng in (engine, "reference"):
        net = izh.build(preset, seed=7, mode=mode, engine=eng, n_exc=240, n_inh=60)
        # some neurons release dopamine at each spike, some lower it
        net.da_release = np.where(np.arange(net.n) < 20, 0.01, 0.0) - np.where(
            np.arange(net.n) >= 280, 0.005, 0.0
        )
        rec = net.record(synapses=np.arange(0, 24_000, 211), every_ms=20)
        out.append((_drive_with_dips(net, 4, np.random.default_rng(9)), net, rec))
    ((ta, ia), na, ra), ((tb, ib), nb, rb) = out
    assert len(ta) > 600 and np.array_equal(ta, tb) and np.array_equal(ia, ib)
    assert np.max(np.abs(na.weights() - nb.weights())) < 1e-9
    assert np.max(np.abs(na.eligibility() - nb.eligibility())) < 1e-9
    assert np.max(np.abs(ra.w - rb.w)) < 1e-9 and np.max(np.abs(ra.c - rb.c)) < 1e-9
    assert na.d == pytest.approx(nb.d, abs=1e-12)
    assert rb.d.min() < -0.5 and rb.d.max() > 0.5  # dips and rewards both happened
    w = nb.weights()[nb.plastic]
    assert np.any(w == 0.0) and np.any(w == 4.0)  # both bounds reached
    if engine == "dense":
        assert np.array_equal(na.weights(), nb.weights())


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_two_threads_match_one_with_dips(mode):
    out = []
    for threads in (1, 2):
        net = izh.build(
            "izhikevich2007-delays", seed=4, mode=mode, threads=threads, n_exc=160, n_inh=40
        )
        net.adaptive_threads = False  # every chunk on the threads
        a = net.run(2500, rewards=(np.array([200, 700, 1600]), np.array([1.0, -2.0, -0.3])))
        out.append((a, net.weights(), net.eligibility(), net.d))
    (a1, w1, c1, d1), (a2, w2, c2, d2) = out
    assert a1.t.size > 100 and np.array_equal(a1.t, a2.t) and np.array_equal(a1.i, a2.i)
    assert np.array_equal(w1, w2) and np.array_equal(c1, c2) and d1 == d2


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_chunking_and_checkpoints_during_a_dip_change_nothing(mode):
    rewards = (np.array([300, 1000]), np.array([-1.0, 0.6]))
    one = izh.build("izhikevich2007", seed=2, mode=mode, n_exc=80, n_inh=20)
    s_one = one.run(2400, rewards=rewards)
    parts = izh.build("izhikevich2007", seed=2, mode=mode, n_exc=80, n_inh=20)
    got = [parts.run(557, rewards=(rewards[0][:1], rewards[1][:1]))]  # ends inside the dip
    assert parts._state.scal[1] < 0  # acc: the epoch's sign, carried by the accumulator
    resumed = IzhNetwork.restore(parts.checkpoint())
    rest = (rewards[0][1:] - 557, rewards[1][1:])
    got.append(resumed.run(1843, rewards=rest))
    t = np.concatenate([g.t for g in got])
    i = np.concatenate([g.i for g in got])
    assert np.array_equal(t, s_one.t) and np.array_equal(i, s_one.i)
    assert np.array_equal(resumed.weights(), one.weights()) and resumed.d == one.d


def test_reward_amounts_are_validated_before_running():
    net = pair_net()
    net.run(10, rewards=([1, 2], [-0.5, 0.25]))  # a dip is a valid amount
    assert net.d < 0
    for bad in (np.nan, np.inf, -np.inf, 1e7):
        with pytest.raises(ValueError, match="rewards amount") as err:
            net.run(10, rewards=([1, 3], [0.5, bad]))
        assert "t = 3 ms" in str(err.value) and "dip" in str(err.value)
    assert net.t == 10
    net.da_release = [0.0, -0.1]  # a spike may lower dopamine
    with pytest.raises(ValueError, match="da_release"):
        net.da_release = [0.0, np.nan]


@settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(small_networks(), st.sampled_from(["stepped", "exact"]), st.integers(1, 8))
def test_random_networks_with_signed_rewards_match_reference(spec, mode, n_pulses):
    arrays, kw, rng = spec
    stim = (
        np.sort(rng.integers(0, 400, 60)),
        rng.integers(0, kw["n_exc"], 60),
        rng.uniform(0, 60, 60),
    )
    rew = (np.sort(rng.integers(0, 400, n_pulses)), rng.uniform(-3.0, 3.0, n_pulses))
    release = rng.uniform(-0.05, 0.05, kw["n_exc"] + kw["n_inh"])  # some spikes lower d
    out = []
    for engine in ENGINES:
        net = IzhNetwork.from_arrays(*arrays, engine=engine, mode=mode, **kw)
        net.da_release = release
        s = net.run(400, stimuli=stim, rewards=rew)
        out.append((s, net.weights(), net.eligibility(), net.d))
    (sa, wa, ca, da), (sd, wd, cd, dd), (sb, wb, cb, db) = out
    assert np.array_equal(sa.t, sb.t) and np.array_equal(sa.i, sb.i)
    assert np.array_equal(sd.t, sb.t) and np.array_equal(sd.i, sb.i)
    assert np.array_equal(wd, wb) and np.array_equal(cd, cb) and dd == db
    assert np.max(np.abs(wa - wb), initial=0) < 1e-9 and np.max(np.abs(ca - cb), initial=0) < 1e-9
    assert np.all(wa[net.plastic] >= 0.0) and np.all(wa[net.plastic] <= kw["w_max"])
