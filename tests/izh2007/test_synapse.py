"""Fig. 1a–c: the one-synapse experiment, run fully, and its synapse model."""
import numpy as np
import pytest

from spikey.experiments import get
from spikey.experiments.izh2007.synapse import pulse_effect, simulate_synapse


def test_fig1_synapse_passes_its_criteria():
    exp = get("izh2007.fig1-synapse")
    res = exp(seed=0)
    verdict = {c.name: c.passed for c in res.criteria}
    assert verdict == {"dw_pulse_1s": True, "late_over_early": True, "dw_post_pre": True,
                       "dw_post_pre_total": True}
    m = res.metrics
    # stepped rule: the pulse sees c decayed by 0.99 per 10 ms, so the 5 s pulse does
    # 0.99**400 of the 1 s pulse
    assert m["late_fraction"] == pytest.approx(0.99 ** 400, rel=1e-9)
    assert m["dw_early_total"] > m["dw_early"] > 0  # tonic dopamine adds a little on top


def test_pulse_effect_matches_closed_form():
    # pre at 200 arrives at 201, post at 210: c = 0.1 * 0.95**9 from ms 210 on. The
    # first update after the pulse at 1210 (ms 1220) sees c*0.99**101 (updates 210..1210)
    # and d = 0.5*0.995**10; later updates multiply c by 0.99 and d by 0.995**10.
    dw, _, _ = pulse_effect("pre-post", 1000)
    c = 0.1 * 0.95 ** 9 * 0.99 ** 101
    k = np.arange(2000)
    expected = np.sum(c * 0.99 ** k * 0.5 * 0.995 ** (10 * (k + 1)))
    assert dw == pytest.approx(expected, rel=1e-9)


def test_ltd_amplitude_and_sign():
    tr = simulate_synapse(400, pre_ms=[210], post_ms=[200], tonic_da=0.0)
    # the pre spike arrives at 211, 11 ms after the post spike: c = -0.15 * 0.95**11
    assert tr.c[211] == pytest.approx(-0.15 * 0.95 ** 11)
    assert np.all(tr.w == 1.0)  # no dopamine, no tonic: w does not move


def test_weight_is_clipped_to_bounds():
    tr = simulate_synapse(3000, pre_ms=[100] * 1, post_ms=[105], reward_ms=[200, 300, 400],
                          w0=3.99, reward_amount=5.0)
    assert tr.w.max() == 4.0
    tr = simulate_synapse(3000, pre_ms=[105], post_ms=[100], reward_ms=[200, 300, 400],
                          w0=0.01, reward_amount=5.0)
    assert tr.w.min() == 0.0


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="pre_ms"):
        simulate_synapse(100, pre_ms=[100])
    with pytest.raises(ValueError, match="unknown parameter"):
        simulate_synapse(100, tau=3)
    with pytest.raises(ValueError, match="order"):
        pulse_effect("sideways", 1000)
