"""The compiled escape-noise layer and its learning step against the NumPy reference."""

import math

import numpy as np
import pytest

from spikey.engine import escape
from spikey.engine import escape_reference as ref


def _layer(rng, n_in=30, k=3, na=4, nc=5, w_inh=0.7, bias=0.1, critic_rho=False):
    n = k * na + nc
    layout = escape.EscapeLayout(
        np.repeat(np.arange(k + 1), [na] * k + [nc]).astype(np.int64),
        np.array([na] * k + [nc], float),
        np.array([True] * k + [False]),
        np.array([True] * (k * na) + [critic_rho] * nc),
    )
    d = lambda tau: math.exp(-1 / tau)  # noqa: E731
    params = escape.EscapeParams(0.05, 1.0, 8.0, 2.0, d(5), d(5), d(10), w_inh, d(5), bias)
    return rng.normal(0, 0.6, (n_in, n)), layout, params, n, k


def _out(t, n_in, n, k):
    return (np.zeros((n_in, n)), np.zeros(k + 1), np.zeros(k + 1), np.zeros((t, n_in + n), bool))


@pytest.mark.parametrize("w_inh, critic_rho", [(0.0, False), (0.7, False), (0.7, True)])
@pytest.mark.parametrize("code", ["rate", "latency"])
def test_window_spike_for_spike(w_inh, code, critic_rho):
    rng = np.random.default_rng(3)
    W, layout, params, n, k = _layer(rng, w_inh=w_inh, critic_rho=critic_rho)
    n_in, t = W.shape[0], 20
    s_fast = escape.initial_state(n_in, n, k + 1)
    s_ref = escape.initial_state(n_in, n, k + 1)
    total = 0
    for _ in range(6):  # state carries over between windows
        if code == "rate":
            p = np.broadcast_to(rng.random(n_in) * 0.3 * (rng.random(n_in) < 0.6), (t, n_in))
        else:
            p = np.zeros((t, n_in))
            p[rng.integers(0, t, n_in), np.arange(n_in)] = rng.random(n_in) < 0.5
        r, e = rng.random((t, n_in)), rng.standard_exponential((t, n))
        out = _out(t, n_in, n, k)
        escape.window(p, r, e, W, params, s_fast, layout, out)
        elig, counts, expected, log = ref.window(np.array(p), r, e, W, params, s_ref, layout)
        assert np.array_equal(out[3], log)
        assert np.array_equal(out[1], counts)
        np.testing.assert_allclose(out[2], expected, rtol=1e-13)
        np.testing.assert_allclose(out[0], elig, rtol=1e-12, atol=1e-14)
        for a, b in zip(s_fast, s_ref):
            assert np.array_equal(a, b)
        total += counts.sum()
    assert total > 20  # the test exercised spiking, not a silent layer


def test_inhibition_and_bias_change_the_spikes():
    runs = {}
    for w_inh, bias in ((0.0, 0.0), (3.0, 0.0), (0.0, 1.0)):
        W, layout, params, n, k = _layer(np.random.default_rng(1), w_inh=w_inh, bias=bias)
        st = escape.initial_state(W.shape[0], n, k + 1)
        out = _out(50, W.shape[0], n, k)
        r2 = np.random.default_rng(2)
        p = np.full((50, W.shape[0]), 0.2)
        escape.window(
            p, r2.random(p.shape), r2.standard_exponential((50, n)), W, params, st, layout, out
        )
        runs[(w_inh, bias)] = out[1].copy()
    assert runs[(3.0, 0.0)][:k].sum() < runs[(0.0, 0.0)][:k].sum()  # inhibition silences actors
    assert runs[(0.0, 1.0)].sum() > runs[(0.0, 0.0)].sum()  # a positive bias raises rates


def test_td_learn_matches_reference_and_clips():
    rng = np.random.default_rng(5)
    W = rng.normal(0, 1, (7, 9))
    z = rng.normal(0, 2, (7, 9))
    elig = rng.random((7, 9))
    tag, decay, rate = rng.normal(size=9), rng.random(9), rng.random(9)
    W2, z2 = W.copy(), z.copy()
    escape.td_learn(W, z, elig, tag, decay, rate, -1.7, 1.5)
    ref.td_learn(W2, z2, elig, tag, decay, rate, -1.7, 1.5)
    np.testing.assert_allclose(W, W2, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(z, z2, rtol=1e-15, atol=1e-15)
    assert W.max() == 1.5 and W.min() == -1.5  # the bounds were hit


def test_signed_td_error_changes_weights_in_mirror_image():
    rng = np.random.default_rng(6)
    W0 = rng.normal(0, 0.1, (5, 4))
    z = rng.normal(0, 1, (5, 4))
    moves = []
    for delta in (0.8, -0.8):
        W, zz = W0.copy(), z.copy()
        escape.td_learn(
            W, zz, np.zeros((5, 4)), np.zeros(4), np.ones(4), np.full(4, 0.01), delta, 3.0
        )
        moves.append(W - W0)
    np.testing.assert_allclose(moves[0], -moves[1], rtol=1e-12)
    assert np.abs(moves[0]).max() > 0


def test_bad_shapes_and_errors_are_refused_before_compiled_code():
    rng = np.random.default_rng(0)
    W, layout, params, n, k = _layer(rng)
    n_in = W.shape[0]
    st = escape.initial_state(n_in, n, k + 1)
    p, r, e = np.zeros((20, n_in)), np.zeros((20, n_in)), np.ones((20, n))
    with pytest.raises(ValueError, match="shape"):
        escape.window(p, r, e[:, :-1], W, params, st, layout, _out(20, n_in, n, k))
    with pytest.raises(ValueError, match="shape"):
        escape.window(p, r, e, W, params, st, layout, _out(19, n_in, n, k))
    flipped = layout._replace(post_rho=layout.post_rho[::-1].copy())
    with pytest.raises(ValueError, match="post_rho"):
        escape.window(p, r, e, W, params, st, flipped, _out(20, n_in, n, k))
    with pytest.raises(ValueError, match="finite"):
        escape.td_learn(W, W.copy(), W.copy(), np.zeros(n), np.zeros(n), np.zeros(n), math.nan, 1.0)
    with pytest.raises(ValueError, match="'rate'"):
        escape.td_learn(W, W.copy(), W.copy(), np.zeros(n), np.zeros(n), np.zeros(n - 1), 0.1, 1.0)
