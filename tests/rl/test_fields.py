"""Gaussian receptive fields: closed-form activities, the compiled twin, clear errors."""

import math

import numpy as np
import pytest

from spikey.engine import escape_reference as ref
from spikey.engine import fields
from spikey.module import ConfigError
from spikey.snn import input


def _enc(**kw):
    keys = dict(n_fields=5, field_ranges=[[-1, 1], [0, 4]], n_bias_inputs=1, seed=0)
    keys.update(kw)
    return input.GaussianFields(**keys)


def test_activity_in_closed_form():
    enc = _enc(field_width=0.5)
    a = enc.activity([0.5, 1.0])  # dim 0: centres -1,-.5,0,.5,1 (spacing .5); dim 1: 0..4
    sig0, sig1 = 0.5 * 0.5, 0.5 * 1.0
    want0 = np.exp(-0.5 * ((0.5 - np.linspace(-1, 1, 5)) / sig0) ** 2)
    want1 = np.exp(-0.5 * ((1.0 - np.arange(5.0)) / sig1) ** 2)
    np.testing.assert_allclose(a[:5], want0, rtol=1e-13)
    np.testing.assert_allclose(a[5:10], want1, rtol=1e-13)
    assert a[3] == 1.0 and a[6] == 1.0  # a value on a centre drives that field fully
    assert a[-1] == 1.0 and len(enc) == 11


def test_conjunctive_grid_is_the_product_of_the_profiles():
    enc = _enc(conjunctive_pairs=[[0, 1]], n_conjunctive=3)
    a = enc.activity([0.2, 3.1])
    g0 = np.exp(-0.5 * ((0.2 - np.array([-1, 0, 1.0])) / 1.0) ** 2)
    g1 = np.exp(-0.5 * ((3.1 - np.array([0, 2, 4.0])) / 2.0) ** 2)
    np.testing.assert_allclose(a[10:19], np.outer(g0, g1).ravel(), rtol=1e-13)
    assert len(enc) == 10 + 9 + 1


def test_values_outside_the_range_are_clipped_and_counted():
    enc = _enc()
    np.testing.assert_array_equal(enc.activity([7.0, -3.0]), enc.activity([1.0, 0.0]).copy())
    assert enc.n_clipped == 2


def test_compiled_matches_reference():
    f = fields.Fields(
        np.array([-2.4, -3, -0.2]), np.array([2.4, 3, 0.2]), 7, 0.8, ((0, 1), (2, 0)), 4, 2
    )
    for obs in np.random.default_rng(0).normal(0, 2, (200, 3)):
        a, n = fields.activity(f, obs)
        b, m = ref.field_activity(f, obs)
        assert n == m
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-300)


def test_ranges_from_a_box_space_and_declared_where_unbounded():
    gym = pytest.importorskip("gymnasium")
    box = gym.spaces.Box(np.array([-1.0, -np.inf], np.float32), np.array([1.0, np.inf], np.float32))
    with pytest.raises(ConfigError, match=r"field_ranges.*\[1\]"):
        input.GaussianFields(observation_space=box, seed=0)
    enc = input.GaussianFields(
        observation_space=box, field_ranges=[None, [-2, 2]], n_fields=3, seed=0
    )
    np.testing.assert_array_equal(enc.fields.lo, [-1, -2])
    np.testing.assert_array_equal(enc.fields.hi, [1, 2])


@pytest.mark.parametrize(
    "keys, key",
    [
        ({"field_ranges": [[1, 1], [0, 4]]}, "field_ranges"),  # empty
        ({"field_ranges": [[1, -1], [0, 4]]}, "field_ranges"),  # reversed
        ({"field_ranges": [[0, math.inf], [0, 4]]}, "field_ranges"),
        ({"n_fields": -2}, "n_fields"),
        ({"n_fields": 0}, "n_fields"),
        ({"field_width": 0.0}, "field_width"),
        ({"conjunctive_pairs": [[0, 2]]}, "conjunctive_pairs"),
        ({"conjunctive_pairs": [[1, 1]]}, "conjunctive_pairs"),
        ({"input_code": "burst"}, "input_code"),
        ({"n_inputs": 3}, "n_inputs"),
        ({"max_rate_hz": -5.0}, "max_rate_hz"),
    ],
)
def test_bad_keys_name_the_key(keys, key):
    with pytest.raises(ConfigError, match=key):
        _enc(**keys)


def test_bad_observations_are_refused():
    enc = _enc()
    with pytest.raises(ConfigError, match="finite"):
        enc.activity([math.nan, 1.0])
    with pytest.raises(ConfigError, match="2 values"):
        enc.activity([0.0, 1.0, 2.0])


def test_rate_and_latency_codes():
    enc = _enc(max_rate_hz=100.0)
    a = enc.activity([0.0, 2.0])
    p = enc.probabilities(a, 20)
    assert p.shape == (20, 11)
    np.testing.assert_allclose(p[7], 0.1 * a)
    lat = _enc(input_code="latency")
    q = lat.probabilities(lat.activity([0.0, 2.0]), 20)
    assert q.sum(axis=0)[2] == 1 and q[0, 2] == 1.0  # the centre field fires first
    assert set(np.unique(q)) <= {0.0, 1.0} and q.sum() == np.count_nonzero(
        lat.activity_values >= 0.05
    )


def test_one_hot_states():
    enc = input.OneHotStates(n_states=4, seed=0)
    np.testing.assert_array_equal(enc.activity(2), [0, 0, 1, 0, 1])
    with pytest.raises(ConfigError, match="observation"):
        enc.activity(4)


def test_fields_feed_the_classic_network_per_step():
    enc = _enc(max_rate_hz=1000.0, seed=1)
    enc.update([0.0, 2.0])
    spikes = np.array([enc() for _ in range(5)])
    assert spikes.shape == (5, 11)
    np.testing.assert_array_equal(spikes[:, -1], 1.0)  # the bias input fires every ms at 1 kHz


def test_latency_code_per_step_spans_input_firing_steps():
    enc = _enc(input_code="latency", input_firing_steps=10, seed=2)
    enc.update([0.0, 2.0])
    spikes = np.array([enc() for _ in range(10)])
    assert spikes[:, 2].sum() == 1 and spikes[0, 2] == 1.0  # the centre field fires first, once
    enc = _enc(input_code="latency", seed=2)
    enc.update([0.0, 2.0])
    with pytest.raises(ConfigError, match="input_firing_steps"):
        enc()
