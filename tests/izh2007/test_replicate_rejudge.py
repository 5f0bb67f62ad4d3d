"""benchmarks/replicate_quick.py judges stored jobs again by today's criteria: a job stored
under an older rule is counted under the current one (its config, and so its run-directory
key, did not change)."""

import importlib.util
from pathlib import Path

from spikey.experiments import registry
from spikey.experiments.registry import Criterion, Result

PATH = Path(__file__).parents[2] / "benchmarks" / "replicate_quick.py"


def _bench():
    spec = importlib.util.spec_from_file_location("replicate_quick_bench", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_stored_verdict_is_replaced_by_todays_rule():
    bench = _bench()
    config = registry.get("izh2007.fig3").resolve({"reward": False}, quick=True)
    metrics = {"p_a_last": 0.9, "p_a_gain": 0.5, "w_sa_minus_sb": 0.0}
    # stored under a rule that gated on nothing but a criterion this control meets
    stored = Result(metrics=dict(metrics))
    stored.criteria.append(Criterion("old_rule", 0.0, "<", 1.0, True))
    res = bench.judged("izh2007.fig3", config, stored)
    names = {c.name for c in res.criteria}
    assert "old_rule" not in names and "control_p_a_wins_last" in names
    line = next(c for c in res.criteria if c.name == "control_p_a_wins_last")
    assert not line.passed  # P(A) 0.9 without reward is not a null result
    assert stored.criteria[0].name == "old_rule"  # the stored Result is left alone


def test_experiments_without_a_criteria_function_keep_their_stored_criteria():
    bench = _bench()
    stored = Result(metrics={"x": 1.0})
    stored.criteria.append(Criterion("c", 1.0, ">", 0.0, True))
    assert bench.judged("seed.classical", {}, stored) is stored
    assert bench.judged("izh2007.fig3", {}, None) is None


def test_a_threshold_change_reuses_the_stored_job_and_a_run_change_does_not(tmp_path):
    import json

    from spikey.runner.core import Job

    bench = _bench()
    exp = registry.get("izh2007.fig3")
    stored = exp.resolve({}, quick=True)
    (tmp_path / "configs").mkdir()
    path = tmp_path / "configs" / "izh2007.fig3-x.json"
    path.write_text(json.dumps({"experiment": "izh2007.fig3", "config": stored}))
    stricter = Job("izh2007.fig3", exp.resolve({"w_gap_min": 0.3}, quick=True), 5)
    other_run = Job("izh2007.fig3", exp.resolve({"stim_amount": 30.0}, quick=True), 5)
    twin, same = bench.stored_twins([stricter, other_run], tmp_path)
    assert twin.config == stored and twin.seed == 5  # judged from the stored metrics
    assert same is other_run  # a config key that changes the run: run again
    assert bench.stored_twins([stricter], None) == [stricter]
