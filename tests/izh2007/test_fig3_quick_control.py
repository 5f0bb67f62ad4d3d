"""Fig. 3's quick no-reward control is judged by the full run's control rule on the same 400
trials (one seed policy): P(A wins) over the last 100 trials below p_min gates on every seed;
its S→A − S→B weight gap, whose null has a heavy tail, is reported."""

from spikey.experiments import registry
from spikey.experiments.izh2007 import fig3
from spikey.experiments.registry import Result


def _judge(config, p_a_last, gap):
    metrics = {"p_a_first": 0.4, "p_a_last": p_a_last, "p_a_gain": p_a_last - 0.4}
    metrics["w_sa_minus_sb"] = gap
    res = Result(metrics=metrics)
    fig3.criteria(res, metrics, config)
    return {c.name: c for c in res.criteria}


def test_the_quick_control_gates_on_its_level_and_reports_its_gap():
    quick = registry.get("izh2007.fig3").resolve({"reward": False}, quick=True)
    full = registry.get("izh2007.fig3").resolve({"reward": False})
    for config in (quick, full):
        lines = _judge(config, 0.59, 0.25)  # seed 18's quick control: A drifted up, no win
        assert lines["control_p_a_wins_last"].gating and lines["control_p_a_wins_last"].passed
        gap = lines["control_w_s_to_a_minus_s_to_b"]
        assert not gap.gating and not gap.passed  # outside its band, reported
        lines = _judge(config, 0.75, 0.0)  # A comes to win without reward: fails
        assert lines["control_p_a_wins_last"].gating and not lines["control_p_a_wins_last"].passed
    # the rewarded quick run still gates on its weight gap, by quorum
    rewarded = registry.get("izh2007.fig3").resolve({}, quick=True)
    lines = _judge(rewarded, 0.5, 0.3)
    assert lines["w_s_to_a_minus_s_to_b"].gating and not lines["p_a_wins_last"].gating
