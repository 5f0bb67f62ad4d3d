"""``spikey run``'s JSON contract and default run directory; user train functions."""

import json

import pytest

from spikey.cli import main
from spikey.runner import run, run_function

from . import helpers


def test_cli_run_json_contract(tmp_path, capsys):
    code = main(
        [
            "run",
            "toy.noise",
            "--seeds",
            "0-2",
            "--set",
            "duration_s=0.01",
            "--json",
            "--out",
            str(tmp_path),
            "--backend",
            "serial",
        ]
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    doc = json.loads(last)
    assert code == 0 and set(doc) == {"experiment", "passed", "jobs"}
    assert [set(j) for j in doc["jobs"]] == [{"seed", "metrics", "criteria", "passed"}] * 3
    api = run("toy.noise", seeds="0-2", config={"duration_s": 0.01}, backend="serial")
    assert [j["metrics"] for j in doc["jobs"]] == [j["metrics"] for j in api["jobs"]]


def test_cli_default_run_directory_and_failure_exit_code(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["run", "toy.fail", "--seeds", "0-1", "--set", "duration_s=0", "--json"])
    out = capsys.readouterr().out
    assert code == 1 and "seed 1: ERROR RuntimeError" in out
    folders = list((tmp_path / "runs").iterdir())
    assert len(folders) == 1 and folders[0].name.startswith("toy.fail-")
    assert len((folders[0] / "results.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize("backend", ["serial", "process"])
def test_notebook_style_train_function(backend):
    s = run_function(
        helpers.train_func, config={"n": 8}, seeds=[0, 1, 2], backend=backend, workers=2
    )
    ref = run_function(helpers.train_func, config={"n": 8}, seeds=[0, 1, 2], backend="serial")
    assert s["passed"]
    assert [j["metrics"] for j in s["jobs"]] == [j["metrics"] for j in ref["jobs"]]
    assert len({j["metrics"]["mean"] for j in s["jobs"]}) == 3  # the global RNG is seeded per job
    assert s["outcomes"][0].result.figures["draws"].shape == (8,)


def test_function_grid_seed_argument_and_closures():
    scale = 3.0

    def local_train(config):  # a closure: travels to workers by value
        return {"v": config["a"] * scale}

    s = run_function(
        local_train, configs=[{"a": 1}, {"a": 2}], seeds=[0], backend="process", workers=2
    )
    assert [j["metrics"]["v"] for j in s["jobs"]] == [3.0, 6.0]
    assert [j["config"] for j in s["jobs"]] == [{"a": 1}, {"a": 2}]
    w = run_function(helpers.train_with_seed, seeds=[4, 5], backend="serial")
    assert [j["metrics"]["seed_seen"] for j in w["jobs"]] == [4, 5]
    assert w["jobs"][0]["metrics"]["u"] != w["jobs"][1]["metrics"]["u"]
    bad = run_function(helpers.bad_return, backend="serial")
    assert not bad["passed"] and "expected a dict of metrics" in bad["jobs"][0]["error"]


def test_cli_user_errors_are_one_line(capsys, monkeypatch):
    assert main(["run", "toy.noise", "--set", "y=1", "--no-save"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spikey run: error: experiment 'toy.noise' has no parameter 'y'")
    assert "Traceback" not in err
    ray = pytest.importorskip("ray")
    monkeypatch.setattr(ray, "is_initialized", lambda: False)  # as if no session Ray were up
    assert (
        main(["run", "toy.noise", "--backend", "ray", "--address", "127.0.0.1:1", "--no-save"]) == 2
    )
    assert "no Ray cluster answers at '127.0.0.1:1'" in capsys.readouterr().err


def _job(seed, **passed):
    crit = {
        name: {"passed": ok, "gating": True, "value": 0.0, "op": ">=", "threshold": 0.0}
        for name, ok in passed.items()
    }
    return {"seed": seed, "criteria": crit, "passed": all(passed.values()), "error": None}


def test_seed_quorums_come_from_the_plan_entry_that_runs_the_experiment_unchanged():
    from spikey.experiments.papers import seed_quorum

    paper, quorum = seed_quorum("izh2007.fig3")
    assert paper == "izhikevich2007"
    assert quorum == {
        "p_a_wins_last": 2 / 3,
        "p_a_above_control": 2 / 3,
        "w_s_to_a_minus_s_to_b": 2 / 3,
    }
    assert seed_quorum("izh2007.fig2") == ("izhikevich2007", {"response_ratio_end": 2 / 3})
    assert seed_quorum("toy.noise") is None


def test_run_verdict_judges_quorum_criteria_over_the_seeds_as_replicate_does(monkeypatch):
    from spikey.runner import cli_run

    monkeypatch.setattr("spikey.runner.cli_run.seed_quorum", lambda name: ("paper", {"q": 2 / 3}))
    jobs = [_job(0, q=True, e=True), _job(1, q=False, e=True), _job(2, q=True, e=True)]
    summary = {"experiment": "x", "passed": False, "jobs": jobs}
    passed, rule = cli_run.overall_verdict(summary)
    assert passed and "q quorum 2/3" in rule and "every seed otherwise" in rule
    jobs[0]["criteria"]["q"]["passed"] = False  # 1 of 3
    assert not cli_run.overall_verdict(summary)[0]
    jobs[0]["criteria"]["q"]["passed"] = True
    jobs[1]["criteria"]["e"]["passed"] = False  # an every-seed criterion fails once
    assert not cli_run.overall_verdict(summary)[0]
    jobs[1]["criteria"]["e"]["passed"] = True
    jobs[2]["error"] = "RuntimeError"
    assert not cli_run.overall_verdict(summary)[0]
    monkeypatch.setattr("spikey.runner.cli_run.seed_quorum", lambda name: None)
    assert cli_run.overall_verdict(summary) == (
        False,
        "",
    )  # no plan: the runner's every-seed verdict
