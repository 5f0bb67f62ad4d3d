"""Fig. 1a–c: the one-synapse experiment, run fully, and its synapse model."""

import numpy as np
import pytest

from spikey.experiments import get
from spikey.experiments.izh2007.synapse import pulse_effect, simulate_synapse


def test_fig1_synapse_passes_its_criteria():
    exp = get("izh2007.fig1-synapse")
    res = exp(seed=0)
    verdict = {c.name: c.passed for c in res.criteria}
    assert verdict == {
        "dw_pulse_1s": True,
        "late_over_early": True,
        "dw_post_pre": True,
        "dw_post_pre_total": True,
    }
    m = res.metrics
    # stepped rule: the pulse sees c decayed by 0.99 per 10 ms, so the 5 s pulse does
    # 0.99**400 of the 1 s pulse
    assert m["late_fraction"] == pytest.approx(0.99**400, rel=1e-9)
    assert m["dw_early_total"] > m["dw_early"] > 0  # tonic dopamine adds a little on top


def test_pulse_effect_matches_closed_form():
    # pre at 200 reaches the synapse at 200 (delay 1), post at 210: c = 0.1 * 0.95**9.
    # Updates come after ms 219, 229, ...: the first after the pulse at 1210 (ms 1219)
    # sees c * 0.99**100 and d = 0.5 * 0.995**9; each later one c * 0.99, d * 0.995**10.
    dw, _, _ = pulse_effect("pre-post", 1000)
    c = 0.1 * 0.95**9 * 0.99**100
    k = np.arange(2000)
    expected = np.sum(c * 0.99**k * 0.5 * 0.995 ** (9 + 10 * k))
    assert dw == pytest.approx(expected, rel=1e-9)


def test_ltd_amplitude_and_sign():
    tr = simulate_synapse(400, pre_ms=[210], post_ms=[200], tonic_da=0.0)
    # the pre spike arrives at 210, 10 ms after the post spike: c = -0.15 * 0.95**10
    assert tr.c[210] == pytest.approx(-0.15 * 0.95**10)
    assert np.all(tr.w == 1.0)  # no dopamine, no tonic: w does not move


def test_weight_is_clipped_to_bounds():
    tr = simulate_synapse(
        3000, pre_ms=[100] * 1, post_ms=[105], reward_ms=[200, 300, 400], w0=3.99, reward_amount=5.0
    )
    assert tr.w.max() == 4.0
    tr = simulate_synapse(
        3000, pre_ms=[105], post_ms=[100], reward_ms=[200, 300, 400], w0=0.01, reward_amount=5.0
    )
    assert tr.w.min() == 0.0


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="pre_ms"):
        simulate_synapse(100, pre_ms=[100])
    with pytest.raises(ValueError, match="unknown parameter"):
        simulate_synapse(100, tau=3)
    with pytest.raises(ValueError, match="order"):
        pulse_effect("sideways", 1000)


def test_synapse_model_is_the_engines_rule():
    """Two neurons in the engine, spikes forced by strong input: the engine's weight, trace
    and dopamine equal the one-synapse model's, ms by ms."""
    from spikey.engine.network import IzhNetwork

    net = IzhNetwork.from_arrays([0], [1], [1.0], [1], n_exc=2, n_inh=0, noise="none", seed=0)
    rec = net.record(synapses=[0], dopamine=True, every_ms=1)
    stim = (np.array([199, 209, 3000, 3005]), np.array([0, 1, 1, 0]), np.full(4, 1000.0))
    rewards = (np.array([1210, 4005]), np.array([0.5, 0.5]))
    spikes = net.run(6000, stimuli=stim, rewards=rewards)
    assert spikes.t.tolist() == [200, 210, 3001, 3006]  # pre→post, then post→pre
    tr = simulate_synapse(6000, spikes.t[spikes.i == 0], spikes.t[spikes.i == 1], rewards[0])
    assert rec.t[0] == 1  # a sample at t holds the state after ms t - 1
    np.testing.assert_allclose(rec.w[:, 0], tr.w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rec.c[:, 0], tr.c, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rec.d, tr.d, rtol=0, atol=1e-12)
    assert tr.w[2000] > 1.0 > tr.w[-1]  # up after the first pulse, down after the second
