"""The run directory: config, one JSONL line per finished job, summary CSV, resume."""

import csv
import json

import numpy as np
import pytest

from spikey.experiments import registry
from spikey.runner import run

FAST = {"duration_s": 0.01}


def _lines(path):
    return [json.loads(line) for line in (path / "results.jsonl").read_text().splitlines()]


def test_run_writes_config_lines_and_summary(tmp_path):
    s = run("toy.noise", seeds="0-2", config=FAST, backend="serial", out=tmp_path)
    doc = json.loads((tmp_path / "config.json").read_text())
    assert doc["experiment"] == "toy.noise" and doc["config"] == s["config"]
    assert doc["config_hash"] == registry.config_hash(s["config"])
    lines = _lines(tmp_path)
    assert [ln["seed"] for ln in lines] == [0, 1, 2]
    assert [ln["metrics"] for ln in lines] == [j["metrics"] for j in s["jobs"]]
    with open(tmp_path / "summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["score"]) for r in rows] == [j["metrics"]["score"] for j in s["jobs"]]
    assert {r["status"] for r in rows} == {"ok"}


@pytest.mark.parametrize("backend", ["process", "ray"])
def test_rerun_resumes_and_only_runs_new_seeds(tmp_path, backend, request):
    if backend == "ray":
        request.getfixturevalue("ray_local")
    first = run("toy.noise", seeds="0-2", config=FAST, backend="serial", out=tmp_path)
    second = run("toy.noise", seeds="0-4", config=FAST, backend=backend, workers=2, out=tmp_path)
    assert [j["resumed"] for j in second["jobs"]] == [True, True, True, False, False]
    assert len(_lines(tmp_path)) == 5  # nothing ran twice
    for a, b in zip(first["outcomes"], second["outcomes"]):  # full Results come back, arrays too
        assert a.result.metrics == b.result.metrics
        assert np.array_equal(a.result.figures["scores"], b.result.figures["scores"])
    fresh = run("toy.noise", seeds="0-4", config=FAST, backend="serial")
    assert [j["metrics"] for j in second["jobs"]] == [j["metrics"] for j in fresh["jobs"]]


def test_resume_survives_a_torn_line_and_lost_result_files(tmp_path):
    first = run("toy.noise", seeds="0-1", config=FAST, backend="serial", out=tmp_path)
    with open(tmp_path / "results.jsonl", "a") as fh:
        fh.write('{"key": "toy.noise:abc')  # a crash in the middle of a write
    saved = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(saved) == 4 and {p.rsplit(".", 1)[1] for p in saved} == {"json", "npz"}
    for path in (tmp_path / "results").iterdir():
        path.unlink()
    again = run("toy.noise", seeds="0-2", config=FAST, backend="serial", out=tmp_path)
    assert [j["resumed"] for j in again["jobs"]] == [True, True, False] and again["passed"]
    assert again["jobs"][0]["criteria"]["score"]["passed"]
    assert [j["metrics"] for j in again["jobs"][:2]] == [j["metrics"] for j in first["jobs"]]
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert lines[2] == '{"key": "toy.noise:abc' and json.loads(lines[3])["seed"] == 2


def test_failed_jobs_are_recorded_then_rerun(tmp_path):
    cfg = {
        "mode": "raise",
        "fail_seeds": [1],
        "once_dir": str(tmp_path / "once"),
        "duration_s": 0.0,
    }
    first = run("toy.fail", seeds="0-2", config=cfg, backend="serial", out=tmp_path / "run")
    assert not first["passed"]
    bad = [ln for ln in _lines(tmp_path / "run") if ln["status"] == "error"]
    assert len(bad) == 1 and bad[0]["seed"] == 1
    assert "fails on purpose" in bad[0]["error"] and "Traceback" in bad[0]["traceback"]
    second = run("toy.fail", seeds="0-2", config=cfg, backend="serial", out=tmp_path / "run")
    assert second["passed"]
    assert [j["resumed"] for j in second["jobs"]] == [True, False, True]
    with open(tmp_path / "run" / "summary.csv") as fh:
        assert [r["status"] for r in csv.DictReader(fh)] == ["ok", "ok", "ok"]


def test_another_config_in_the_same_directory_is_refused(tmp_path):
    run("toy.noise", seeds=0, config=FAST, backend="serial", out=tmp_path)
    with pytest.raises(ValueError, match="holds 'toy.noise' with config hash"):
        run("toy.noise", seeds=0, config={"duration_s": 0.02}, backend="serial", out=tmp_path)


def test_one_pool_for_many_experiments(tmp_path):
    """``spikey replicate``'s use: several experiments x seeds in one run_jobs call."""
    from spikey.runner import Job, run_jobs

    noise = registry.get("toy.noise").resolve(FAST)
    fail = registry.get("toy.fail").resolve({"fail_seeds": [], "duration_s": 0.0})
    jobs = [Job("toy.noise", noise, s) for s in (0, 1)] + [Job("toy.fail", fail, s) for s in (0, 1)]
    seen = []
    outs = run_jobs(jobs, backend="process", workers=2, out_dir=tmp_path, on_outcome=seen.append)
    assert [o.job for o in outs] == jobs and all(o.passed for o in outs)
    assert sorted(o.job.key for o in seen) == sorted(j.key for j in jobs)
    assert len(list((tmp_path / "configs").glob("*.json"))) == 2
    with open(tmp_path / "summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["experiment"], r["seed"]) for r in rows] == [
        ("toy.fail", "0"),
        ("toy.fail", "1"),
        ("toy.noise", "0"),
        ("toy.noise", "1"),
    ]
    again = run_jobs(jobs, backend="process", out_dir=tmp_path)
    assert all(o.extra["resumed"] for o in again)
    assert [o.result.metrics for o in again] == [o.result.metrics for o in outs]


def test_resume_warns_when_another_spikey_version_wrote_the_directory(tmp_path):
    import json
    import warnings

    from spikey.runner.rundir import RunDir

    rd = RunDir(tmp_path)
    rd.write_config("toy.noise", {"a": 1}, "abc")
    doc = json.loads((tmp_path / "config.json").read_text())
    assert doc["spikey_version"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rd.write_config("toy.noise", {"a": 1}, "abc")  # same version: silent
    doc["spikey_version"] = "0.0.0-old"
    (tmp_path / "config.json").write_text(json.dumps(doc))
    with pytest.warns(UserWarning, match="written by spikey 0.0.0-old"):
        rd.write_config("toy.noise", {"a": 1}, "abc")
