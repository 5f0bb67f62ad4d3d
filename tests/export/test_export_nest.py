"""spikey against NEST on the same network (``spikey.export.to_nest``).

Frozen weights: spike for spike over 10 s on both presets. Plastic: NEST's
``stdp_dopamine_synapse`` is not spikey's rule (``docs/cross-simulator.md``), so the runs are
compared as distributions over 10 s: rate within 1 %, mean excitatory weight within 1 %,
Kolmogorov-Smirnov distance of the plastic weights < 0.02, on 2 seeds. The module skips,
naming the reason, where NEST is not installed (``pip install 'spikey-snn[crosscheck]'``).
"""

import numpy as np
import pytest

from spikey.models import izhikevich2007 as izh

nest = pytest.importorskip(
    "nest", reason="NEST is not installed: pip install 'spikey-snn[crosscheck]'"
)

from spikey.export import to_nest  # noqa: E402


def ks_distance(x, y):
    """Largest gap between the empirical distribution functions of ``x`` and ``y``."""
    z = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(np.sort(x), z, side="right") / x.size
    fy = np.searchsorted(np.sort(y), z, side="right") / y.size
    return float(np.max(np.abs(fx - fy)))


@pytest.mark.parametrize("preset", ["izhikevich2007", "izhikevich2007-delays"])
def test_frozen_weights_spike_for_spike_over_10_s(preset):
    net = izh.build(preset, seed=0)
    net.plasticity = False
    other = to_nest(net)
    got = [other.run(4000), other.run(6000)]  # two runs: the hand-over between them
    want = [net.run(4000), net.run(6000)]
    for g, w in zip(got, want):
        assert len(w) > 3000
        np.testing.assert_array_equal(g.t, w.t)
        np.testing.assert_array_equal(g.i, w.i)
    np.testing.assert_array_equal(other.weights(), net.weights())


def test_stimuli_and_a_quiescent_network_carry_over():
    # weak thalamic kicks: the network fires only where stimulated, then falls quiet
    net = izh.build(
        "izhikevich2007-delays", seed=3, n_exc=80, n_inh=20, syn_per_neuron=10, thalamic_amp=5.0
    )
    net.plasticity = False
    kick = (np.arange(0, 100, 10), np.arange(10), np.full(10, 40.0))
    assert len(net.run(100, stimuli=kick)) >= 10
    for _ in range(1000):
        if not (net.spikes_in_flight or np.any(net.v >= 30.0)):
            break
        net.run(1)
    other = to_nest(net)
    stim = (np.array([0, 0, 17, 250]), np.array([5, 6, 5, 99]), np.array([30.0, 12.0, 25.0, 40.0]))
    got = other.run(400, stimuli=stim)
    want = net.run(400, stimuli=stim)
    assert len(want) >= 2  # the 40 mV stimuli fire (the others stay below threshold)
    np.testing.assert_array_equal(got.t, want.t)
    np.testing.assert_array_equal(got.i, want.i)


def test_refuses_a_network_with_spikes_in_flight():
    from spikey.module import ConfigError

    net = izh.build("izhikevich2007-delays", seed=0)
    net.run(100)
    with pytest.raises(ConfigError, match="export to NEST"):
        to_nest(net)


@pytest.mark.slow  # ~5-9 s each (NEST's plastic run with relays)
@pytest.mark.parametrize(
    "preset, seed",
    [
        ("izhikevich2007-delays", 0),
        ("izhikevich2007-delays", 1),
        ("izhikevich2007", 0),
        ("izhikevich2007", 1),
    ],
)
def test_plastic_runs_agree_statistically_over_10_s(preset, seed):
    net = izh.build(preset, seed=seed, mode="exact")
    other = to_nest(net)
    got = other.run(10_000)
    want = net.run(10_000)
    assert len(got) == pytest.approx(len(want), rel=0.01)
    w_nest = other.weights()[net.plastic]
    w_spikey = net.weights()[net.plastic]
    assert np.std(w_spikey) > 0.005  # the weights did learn
    assert w_nest.mean() == pytest.approx(w_spikey.mean(), rel=0.01)
    assert ks_distance(w_nest, w_spikey) < 0.02


def test_rewards_move_the_weights_alike():
    net = izh.build("izhikevich2007-delays", seed=2, mode="exact")
    other = to_nest(net)
    rewards = (np.arange(100, 5000, 400), np.full(13, 1.0))  # two dopamine events each
    other.run(5000, rewards=rewards)
    net.run(5000, rewards=rewards)
    w_nest = other.weights()[net.plastic]
    w_spikey = net.weights()[net.plastic]
    quiet = izh.build("izhikevich2007-delays", seed=2, mode="exact")
    quiet.run(5000)
    w_quiet = quiet.weights()[quiet.plastic]
    # dopamine moves the weights far more than the two simulators differ
    assert np.abs(w_spikey - w_quiet).mean() > 5 * np.abs(w_nest - w_spikey).mean()
    assert ks_distance(w_nest, w_spikey) < 0.02
