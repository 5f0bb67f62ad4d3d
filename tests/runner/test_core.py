"""Jobs, seeds, hooks and the serial path of the runner."""

import numpy as np
import pytest

from spikey.experiments import registry
from spikey.runner import Job, execute, hooks, parse_seeds, run, run_jobs

CFG = {"duration_s": 0.0, "n_episodes": 5, "x": 0.1, "lr": 0.05, "noise": 0.01}


def test_parse_seeds():
    assert parse_seeds("0-4") == [0, 1, 2, 3, 4]
    assert parse_seeds("0,3, 7") == [0, 3, 7]
    assert parse_seeds("1-2,9") == [1, 2, 9]
    assert parse_seeds(5) == [5]
    assert parse_seeds(range(2)) == [0, 1]
    with pytest.raises(ValueError, match="backwards"):
        parse_seeds("4-1")
    with pytest.raises(ValueError, match="no seeds"):
        parse_seeds("")


def test_job_rng_depends_on_the_seed_alone():
    a = Job("toy.noise", dict(CFG), 3)
    b = Job("toy.noise", dict(reversed(list(CFG.items()))), 3)  # key order does not matter
    assert a.config_hash == b.config_hash and a.key == b.key
    assert a.rng().random() == registry.job_rng(3, CFG).random() == registry.job_rng(3).random()
    # one seed policy: another config value draws the same stream; another seed does not
    assert a.rng().random() == Job("toy.noise", {**CFG, "x": 0.2}, 3).rng().random()
    assert a.rng().random() != Job("toy.noise", CFG, 4).rng().random()
    assert a.rng("weights").random() != a.rng().random()


def test_execute_records_an_exception_and_leaves_global_rng_alone():
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    bad = execute(Job("toy.noise", {**CFG, "lr": -1.0}, 0))
    assert bad.result is None and "key 'lr' got -1.0" in bad.error
    assert "Traceback" in bad.traceback and not bad.passed
    assert np.random.random() == expected


def test_calling_an_experiment_resolves_overrides_and_full_configs_alike():
    exp = registry.get("toy.noise")
    full = exp(dict(CFG), seed=1).metrics
    assert exp({"duration_s": 0.0, "x": 0.1, "lr": 0.05}, seed=1).metrics == full
    assert exp({**CFG, "x": "0.1", "n_episodes": "5"}, seed=1).metrics == full  # strings coerced
    assert exp(dict(CFG), seed=2).metrics != full
    with pytest.raises(KeyError, match="no parameter 'y'"):
        exp({**CFG, "y": 1})


def test_report_hook_sees_every_episode():
    seen = []
    assert not hooks.listening()
    hooks.report({"score": 1.0})  # nobody listens: nothing happens
    out = execute(Job("toy.noise", CFG, 2), report=seen.append)
    assert not hooks.listening() and hooks.current_job() is None  # both reset after the job
    assert [r["step"] for r in seen] == [0, 1, 2, 3, 4]
    assert seen[-1]["score"] == out.result.metrics["score"]
    assert seen[0]["score"] < seen[-1]["score"]


def test_unknown_backend_and_option():
    with pytest.raises(ValueError, match="backend 'gpu' is unknown"):
        run_jobs([], backend="gpu")
    with pytest.raises(TypeError, match="unknown options"):
        run_jobs([], backend="serial", nonsense=1)


def test_run_summary_shape():
    s = run("toy.noise", seeds="0-2", config={"duration_s": 0.0}, backend="serial")
    assert [j["seed"] for j in s["jobs"]] == [0, 1, 2]
    assert s["passed"] and s["config_hash"] == registry.config_hash(s["config"])
    scores = [j["metrics"]["score"] for j in s["jobs"]]
    assert len(set(scores)) == 3  # seeds differ
    assert s["outcomes"][0].result.figures["scores"].shape == (5,)
