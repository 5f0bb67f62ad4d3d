"""florian2007.xor: the notebook's win test, and a shortened run that learns XOR."""

import numpy as np
import pytest

from spikey.experiments import registry
from spikey.experiments.florian2007.xor import win_test

SHORT = {"len_episode": 60, "processing_time": 100, "eval_steps": 40}


def test_win_test_by_hand():
    pairs = [(0, 0), (0, 1), (1, 0), (1, 1)] * 5
    rate = {(0, 0): 0.1, (0, 1): 0.5, (1, 0): 0.4, (1, 1): 0.3}
    won = win_test(pairs, [rate[p] for p in pairs], eval_steps=8, margin=0.02)
    assert won["high_rate"] == pytest.approx(0.4) and won["low_rate"] == pytest.approx(0.3)
    assert won["win"] == 1.0 and won["accuracy"] == 1.0
    rate[(1, 1)] = 0.39  # the faster 0 pair is within the margin of the slower 1 pair
    won = win_test(pairs, [rate[p] for p in pairs], eval_steps=8, margin=0.02)
    assert won["win"] == 0.0


def test_win_test_uses_each_pairs_last_presentations():
    # (0, 1) fires fast early and slow late: only its last eval_steps // 4 count
    pairs = [(0, 1), (1, 0), (0, 0), (1, 1)] * 8
    rates = []
    for k, p in enumerate(pairs):
        if p == (0, 1):
            rates.append(0.9 if k < 16 else 0.05)
        else:
            rates.append({(1, 0): 0.6, (0, 0): 0.2, (1, 1): 0.2}[p])
    won = win_test(pairs, rates, eval_steps=16, margin=0.02)
    assert won["per_pair"][(False, True)] == pytest.approx(0.05)
    assert won["win"] == 0.0


def test_short_run_learns_and_control_stays_flat():
    result = registry.get("florian2007.xor")(SHORT, seed=3)
    m = result.metrics
    assert result.passed, [(c.name, c.value) for c in result.criteria if not c.passed]
    assert m["win"] == 1.0 and m["control_win"] == 0.0
    assert m["margin"] > 0.05 and m["control_margin"] < 0.02
    assert m["control_weight_change"] == 0.0
    assert m["w_hidden_output_after"] > 2 * m["w_hidden_output_before"]
    assert m["w_input_hidden_before"] == m["control_w_input_hidden_before"]  # same start
    assert "Florian - Win: True" in result.text and "Florian - Win: False" in result.text


def test_same_seed_same_numbers():
    a = registry.get("florian2007.xor")({**SHORT, "len_episode": 12}, seed=5)
    b = registry.get("florian2007.xor")({**SHORT, "len_episode": 12}, seed=5)
    assert a.metrics == b.metrics
    assert np.array_equal(a.figures["outrates"], b.figures["outrates"])


def test_plots_return_figures():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from spikey.experiments.florian2007.plots import plot_xor, plot_xor_seeds

    result = registry.get("florian2007.xor")({**SHORT, "len_episode": 16}, seed=0)
    assert plot_xor(result).axes
    assert plot_xor_seeds([result, result]).axes
    plt.close("all")


def test_declared_metrics_are_what_a_run_returns():
    exp = registry.get("florian2007.xor")
    result = exp({**SHORT, "len_episode": 8}, seed=1)
    assert set(result.metrics) == set(exp.metrics)


def test_a_reward_blind_to_xor_does_not_win(monkeypatch):
    """The win test is about XOR, not about any learning: rewarding every output spike
    raises all four rates alike and fails it."""
    from spikey.experiments.florian2007 import xor

    class RewardEverySpike(xor.FlorianReward):
        def __call__(self, state, action, state_next):
            return self._reward_mult if action else 0.0

    monkeypatch.setattr(
        xor.XORNetwork, "parts", {**xor.XORNetwork.parts, "rewarder": RewardEverySpike}
    )
    result = registry.get("florian2007.xor")(SHORT, seed=3)
    m = result.metrics
    assert min(m[f"rate_{p}"] for p in ("00", "01", "10", "11")) > 0.5  # it did learn to fire
    assert m["win"] == 0.0 and "win" in {c.name for c in result.criteria if not c.passed}
