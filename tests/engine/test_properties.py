"""Property tests on small random networks (hypothesis)."""

import numpy as np
from engine_helpers import pair_net
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spikey.engine import IzhNetwork

# derandomize: the same examples every run, so CI cannot flake on a rare draw
SETTINGS = settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def small_networks(draw):
    n_exc = draw(st.integers(2, 12))
    n_inh = draw(st.integers(0, 4))
    n = n_exc + n_inh
    s = draw(st.integers(0, 60))
    dmax = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    pre = rng.integers(0, n, s)
    post = rng.integers(0, n, s)
    delay = rng.integers(1, dmax + 1, s)
    w_max = draw(st.floats(0.5, 10.0))
    weight = np.where(pre < n_exc, rng.uniform(0, w_max, s), -rng.uniform(0, 5, s))
    # plastic: excitatory sources, or (mixed neurons) a random subset of them
    plastic = (pre < n_exc) & (rng.random(s) < draw(st.sampled_from([1.0, 0.6])))
    kw = dict(
        n_exc=n_exc,
        n_inh=n_inh,
        max_delay=dmax,
        w_max=w_max,
        seed=seed,
        noise=draw(st.sampled_from(["uniform", "thalamic", "none"])),
        noise_amp=draw(st.floats(0.0, 30.0)),
        a_plus=draw(st.floats(0.0, 2.0)),
        a_minus=draw(st.floats(0.0, 2.0)),
        tonic_da=draw(st.floats(0.0, 0.1)),
        trace_floor=draw(st.sampled_from([1e-300, 1e-6, 0.3])),
    )
    kw["plastic"] = plastic
    return (pre, post, weight, delay), kw, rng


@SETTINGS
@given(small_networks(), st.sampled_from(["stepped", "exact"]))
def test_weights_stay_in_bounds_and_state_is_finite(spec, mode):
    arrays, kw, rng = spec
    net = IzhNetwork.from_arrays(*arrays, mode=mode, **kw)
    n = net.n
    stim = (np.sort(rng.integers(0, 300, 40)), rng.integers(0, n, 40), rng.uniform(0, 60, 40))
    net.run(300, stimuli=stim, rewards=(np.sort(rng.integers(0, 300, 5)), rng.uniform(0, 2, 5)))
    w = net.weights()
    pl = net.plastic
    assert np.all(w[pl] >= 0.0) and np.all(w[pl] <= kw["w_max"])
    stored = np.lexsort((arrays[1], arrays[3], arrays[0]))  # by pre, delay, post
    assert np.array_equal(w[~pl], np.asarray(arrays[2])[stored][~pl])
    for x in (net.v, net.u, w, net.eligibility()):
        assert np.all(np.isfinite(x))
    assert np.isfinite(net.d) and net.d >= 0


@SETTINGS
@given(small_networks(), st.sampled_from(["stepped", "exact"]))
def test_numba_matches_reference_on_random_networks(spec, mode):
    arrays, kw, rng = spec
    stim = (
        np.sort(rng.integers(0, 200, 30)),
        rng.integers(0, kw["n_exc"], 30),
        rng.uniform(0, 60, 30),
    )
    rew = (np.array([50, 150]), np.array([0.5, 1.0]))
    out = []
    for engine in ("numba", "dense", "reference"):
        net = IzhNetwork.from_arrays(*arrays, engine=engine, mode=mode, **kw)
        s = net.run(200, stimuli=stim, rewards=rew)
        out.append((s, net.weights(), net.eligibility()))
    (sa, wa, ca), (sd, wd, cd), (sb, wb, cb) = out
    assert np.array_equal(sa.t, sb.t) and np.array_equal(sa.i, sb.i)
    assert np.array_equal(sd.t, sb.t) and np.array_equal(sd.i, sb.i)
    # dense: the reference's arithmetic, bit for bit
    assert np.array_equal(wd, wb) and np.array_equal(cd, cb)
    # event-driven affine integration vs dense integration: rounding only
    assert np.max(np.abs(wa - wb), initial=0) < 1e-9 and np.max(np.abs(ca - cb), initial=0) < 1e-9


@SETTINGS
@given(st.integers(1, 40), st.sampled_from(["stepped", "exact"]), st.floats(0.1, 1.0))
def test_post_before_pre_depresses_and_pre_before_post_potentiates(gap, mode, reward):
    out = {}
    for order, (first, second) in (("pre_first", (0, 1)), ("post_first", (1, 0))):
        net = pair_net(mode=mode, tonic_da=0.0)
        net.run(
            1500,
            stimuli=([100, 100 + gap], [first, second], [100.0, 100.0]),
            rewards=([400], [reward]),
        )
        out[order] = net.weights()[0]
    assert out["post_first"] < 1.0 < out["pre_first"]
