"""Every gate can fail: each gating threshold of the plan lies beyond two standard deviations
of its stored null distribution (``nulls.json``, measured by
``python -m spikey.experiments.izh2007.nulls``), on the side chance does not reach — and a
control's band holds its null."""

import math

import pytest

from spikey.experiments import registry
from spikey.experiments.izh2007 import PLAN, fig1, fig2, fig3, fig4
from spikey.experiments.izh2007 import null_store as nulls
from spikey.experiments.registry import Result

STORED = nulls.load()
MODULES = {
    "izh2007.fig1": fig1,
    "izh2007.fig2": fig2,
    "izh2007.fig3": fig3,
    "izh2007.fig3-rpe": fig3,
    "izh2007.fig4": fig4,
}


def _placeholder_metrics(config):
    """Metrics every criteria function accepts; only the thresholds are read."""
    names = (
        "rate_hz target_final_mV target_rank_pct mean_exc_weight rewards_per_hour "
        "first_reach_4mV_s response_ratio_end weight_ratio_end response_ratio_start p_a_last "
        "p_a_gain p_a_first w_sa_minus_sb p_b_first"
    ).split()
    m = dict.fromkeys(names, 1.0)
    if int(config.get("n_reversal_trials", 0)):
        m.update(p_b_after_reversal=1.0, p_b_change=0.0)
    for k, cs in ((1, "CS1"), (2, "CS2")):
        for what in ("gain", "minus_US", "minus_CSX"):
            m[f"{cs}_{what}_phase{k}"] = 1.0
    return m


@pytest.mark.skipif(not STORED, reason="no nulls.json stored")
@pytest.mark.parametrize("quick", [True, False])
def test_each_gating_threshold_lies_beyond_its_null(quick):
    runs = STORED.get("runs", {})
    if not any((" quick" in name or name == "fig4 quick") == quick for name in runs):
        pytest.skip(f"no {'quick' if quick else 'full'} nulls stored")
    checked = []
    for entry in PLAN:
        if entry.experiment not in MODULES or (quick and not entry.quick):
            continue
        config = registry.get(entry.experiment).resolve(entry.overrides, quick=quick)
        res = Result()
        MODULES[entry.experiment].criteria(res, _placeholder_metrics(config), config)
        for check in res.criteria:
            null = nulls.null_for(STORED, entry.label, check.name, quick)
            if not check.gating or null is None or null["n"] < 10 or math.isnan(null["sd"]):
                continue
            lo, hi = null["mean"] - 2 * null["sd"], null["mean"] + 2 * null["sd"]
            where = (entry.label, check.name, check.op, check.threshold, null["mean"], null["sd"])
            if check.op == "between":
                assert check.threshold[0] < lo and hi < check.threshold[1], where
            elif entry.role == "control":  # a control must pass on its null
                assert check.threshold > hi if check.op in ("<", "<=") else False, where
            else:  # chance alone must not pass
                assert check.threshold > hi if check.op in (">", ">=") else check.threshold < lo, (
                    where
                )
            checked.append(where)
    assert len(checked) >= 4, checked
