"""The background-noise streams: one xoroshiro128+ per neuron (``engine/noise.py``)."""

import numpy as np
import pytest

from spikey.engine import noise
from spikey.engine.kernels import izh_noise_fill
from spikey.models import izhikevich2007 as izh
from spikey.module import ConfigError

M64 = (1 << 64) - 1


def scalar_xoroshiro128plus(s0, s1, count):
    """The generator written out for one stream with Python ints (the obvious version)."""
    out = []
    for _ in range(count):
        out.append((s0 + s1) & M64)
        s1 ^= s0
        s0 = (((s0 << 24) | (s0 >> 40)) & M64) ^ s1 ^ ((s1 << 16) & M64)
        s1 = ((s1 << 37) | (s1 >> 27)) & M64
    return out


def test_splitmix64_seeding_is_the_published_sequence():
    # the first outputs of SplitMix64 seeded with 1234567 (the generator's usual check values)
    assert noise.splitmix64(1234567, 3).tolist() == [
        6457827717110365317,
        3203168211198807973,
        9817491932198370423,
    ]


def test_numpy_generators_equal_the_scalar_generator():
    state = noise.seed_state(99, 6)
    start = state.copy()
    draws = np.array([noise.next_words(state) for _ in range(40)])  # (40, 7)
    for i in range(7):
        assert draws[:, i].tolist() == scalar_xoroshiro128plus(
            int(start[0, i]), int(start[1, i]), 40
        )


def test_kernel_noise_matches_numpy_bitwise():
    n, n_ms, scale = 257, 40, 13.0
    state = noise.seed_state(987654321987654321, n)
    mirror = state.copy()
    out = np.empty((n_ms, n))
    izh_noise_fill(state, n_ms, scale, out)
    for k in range(n_ms):
        expected = scale * (noise.unit(noise.next_words(mirror, slice(0, n))) - 0.5)
        assert np.array_equal(out[k], expected)
    assert np.array_equal(state, mirror)


def test_noise_is_uniform_and_neurons_are_uncorrelated():
    state = noise.seed_state(7, 100)
    u = noise.unit(np.array([noise.next_words(state, slice(0, 100)) for _ in range(2000)]))
    assert 0.0 <= u.min() and u.max() < 1.0
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    chi2 = ((counts - 10_000) ** 2 / 10_000).sum()
    assert chi2 < 45  # 19 degrees of freedom: p ~ 0.001
    corr = np.corrcoef(u.T)[np.triu_indices(100, 1)]  # 4950 neuron pairs over 2000 ms
    assert np.abs(corr).max() < 0.12 and abs(corr.mean()) < 0.003
    assert abs(np.corrcoef(u[:-1].ravel(), u[1:].ravel())[0, 1]) < 0.01  # ms to ms


def small(seed=3):
    return izh.build("izhikevich2007", seed=seed, n_exc=40, n_inh=10, syn_per_neuron=5)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((2, 51), np.uint64),  # all-zero generators
        np.ones((2, 50), np.uint64),  # one generator short
        np.ones((2, 51), np.int64),  # signed
        "3",
    ],
)
def test_bad_noise_state_is_refused(bad):
    with pytest.raises(ConfigError, match="noise_state"):
        small().noise_state = bad


def test_seed_sets_the_noise_state_and_it_carries_over():
    a, b, c = small(3), small(3), small(4)
    assert np.array_equal(a.noise_state, b.noise_state)
    assert not np.array_equal(a.noise_state, c.noise_state)
    a.run(25)
    b.noise_state = a.noise_state
    a_next, b_next = a.run(300), b.run(300)
    assert not np.array_equal(a.noise_state, small(3).noise_state)
    assert np.array_equal(a.noise_state, b.noise_state)
    assert a_next.t.size > 0


@pytest.mark.parametrize("bad", ["x", -1, 2**64, 1.5, None, True])
def test_bad_rng_is_refused_by_name(bad):
    from spikey.engine import IzhNetwork

    net = small()
    abcd = np.stack([net.a, net.b, net.c_reset, net.d_reset], 1)
    with pytest.raises(ConfigError, match="rng got"):
        IzhNetwork(net.params, net.syn, abcd, bad)
