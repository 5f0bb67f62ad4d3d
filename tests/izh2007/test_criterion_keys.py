"""A pass/fail threshold is not part of the experiment: changing one must not re-draw any
random stream (no config value enters one), so every metric stays bit-identical."""

import numpy as np
import pytest

from spikey.experiments import registry
from spikey.experiments.izh2007 import common, fig1, fig3, fig4

MODULES = {
    "izh2007.fig1": fig1,
    "izh2007.fig3": fig3,
    "izh2007.fig3-rpe": fig3,
    "izh2007.fig4": fig4,
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_criterion_keys_are_config_keys(name):
    defaults = registry.get(name).defaults
    assert set(MODULES[name].CRITERION_KEYS) <= set(defaults)


def test_protocol_stream_is_a_named_child_of_the_seed_alone():
    draws = common.protocol_rng(3, "fig4", "probe_order").random(5)
    assert np.array_equal(draws, common.protocol_rng(3, "fig4", "probe_order").random(5))
    assert np.array_equal(draws, registry.stream(3, "izh2007/fig4/probe_order").random(5))
    # another name or another seed is another stream
    assert not np.array_equal(draws, common.protocol_rng(3, "fig3", "probe_order").random(5))
    assert not np.array_equal(draws, common.protocol_rng(4, "fig4", "probe_order").random(5))


def _metrics(name, overrides, seed=5):
    res = registry.get(name)(overrides, seed=seed)
    return res.metrics, {c.name: c.passed for c in res.criteria}


TINY = {
    "izh2007.fig1": (
        {"duration_s": 20, "final_window_s": 10, "snapshot_s": 10, "avg_every_s": 10},
        {"target_min_mV": 0.0, "rank_min_pct": 0.0, "target_percentile": 50.0},
    ),
    "izh2007.fig3": (
        {"n_trials": 8, "n_reversal_trials": 4, "eval_trials": 4, "trial_ms": 3500},
        {"p_min": 0.0, "w_gap_min": -1.0, "gate_on": "weights", "control_gain_max": 9.0},
    ),
    "izh2007.fig4": (
        {"n_phase1": 3, "n_phase2": 3, "n_probes": 2, "trial_ms": 6000, "csx_at_ms": 5000},
        {"gain_min": 0.0, "margin_min": -100.0, "margin_floor": -100.0},
    ),
}


@pytest.mark.parametrize("name", sorted(TINY))
def test_changing_a_threshold_leaves_every_metric_bit_identical(name):
    base, thresholds = TINY[name]
    m0, _ = _metrics(name, base)
    m1, _ = _metrics(name, {**base, **thresholds})
    assert m0.keys() == m1.keys()
    for key in m0:
        # the reported percentile is itself a criterion-only key: its metric may differ
        if "percentile" in key:
            continue
        assert np.array_equal(np.asarray(m0[key]), np.asarray(m1[key]), equal_nan=True), key
