"""Faults (issue 11.2): a killed sweep resumes; the Optuna sweep runs trials in parallel.

(A worker killed mid-job, retried and recorded, on process and Ray: test_backends.py.)
"""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spikey.runner.sweep import JOURNAL, STUDY, sweep

optuna = pytest.importorskip("optuna")
ROOT = Path(__file__).resolve().parents[2]


def _study(out):
    storage = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(out / JOURNAL))
    )
    return optuna.load_study(study_name=STUDY, storage=storage)


def _sweep_argv(out, engine="process", address=None):
    return [
        "sweep",
        "toy.noise",
        "--param",
        "x=0:1",
        "--samples",
        "5",
        "--metric",
        "score",
        "--backend",
        engine,
        "--workers",
        "2",
        "--set",
        "duration_s=0.6",
        "--set",
        "n_episodes=2",
        "--out",
        str(out),
        *(["--address", address] if address else []),
    ]


@pytest.mark.parametrize("engine", ["process", pytest.param("ray", marks=pytest.mark.slow)])
def test_a_killed_sweep_resumes_keeping_finished_trials(tmp_path, engine, request):
    """kill -9 the sweep (and its workers) mid-way; the same command then finishes it.
    On Ray the killed driver used the session's Ray, which goes on (its trials with it)."""
    out = tmp_path / "sweep"
    address = None
    if engine == "ray":
        ray = request.getfixturevalue("ray_local")
        address = ray.get_runtime_context().gcs_address
    argv = _sweep_argv(out, engine, address)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "spikey.cli", *argv],
        env=env,
        cwd=tmp_path,
        start_new_session=True,  # its own process group: the kill takes the workers too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    states = optuna.trial.TrialState
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            time.sleep(0.1)
            if not (out / JOURNAL).exists():
                continue
            try:
                trials = _study(out).get_trials(deepcopy=False)
            except KeyError:  # the journal exists before the study's record is in it
                continue
            done = [t for t in trials if t.state == states.COMPLETE]
            if len(done) >= 2 and any(t.state == states.RUNNING for t in trials):
                break
        else:
            pytest.fail("the sweep did not get going")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = _study(out).get_trials(deepcopy=False)
    kept = {t.number: (t.params, t.value) for t in before if t.state == states.COMPLETE}
    cut = {t.number: t.params for t in before if t.state == states.RUNNING}
    assert len(kept) >= 2 and cut and len(kept) < 5
    assert not (out / "trials.csv").exists()  # it really died before the end

    from spikey.cli import main

    assert main([*argv, "--json"]) == 0
    after = _study(out).get_trials(deepcopy=False)
    for number, (params, value) in kept.items():  # finished trials kept as they were
        assert (after[number].params, after[number].value) == (params, value)
        assert after[number].state == states.COMPLETE
    for number, params in cut.items():  # cut trials closed, their parameters run again
        assert after[number].user_attrs["interrupted"]
        reruns = [t for t in after if t.user_attrs.get("rerun_of") == number]
        assert len(reruns) == 1
        if params:  # a trial killed before its parameters were stored reruns with new ones
            assert reruns[0].params == params
        assert reruns[0].state == states.COMPLETE
    with open(out / "trials.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and {r["state"] for r in rows} == {"done"}
    finished = sorted(round(t.value, 12) for t in after if t.state == states.COMPLETE)
    assert sorted(round(float(r["score"]), 12) for r in rows) == finished  # each counted once


def test_the_optuna_sweep_runs_trials_in_parallel(tmp_path):
    sweep(
        "toy.noise",
        ["x=0:1"],
        samples=4,
        metric="score",
        backend="process",
        workers=2,
        config={"duration_s": 0.15, "n_episodes": 1},
        out=tmp_path / "par",
    )
    trials = sorted(_study(tmp_path / "par").trials, key=lambda t: t.number)
    assert len(trials) == 4
    # a trial is asked for when a worker is free, told when it ends: with two workers the
    # second is asked before the first is told (never with one worker)
    overlapping = [
        (a.number, b.number)
        for a in trials
        for b in trials
        if a.number < b.number and b.datetime_start < a.datetime_complete
    ]
    assert overlapping
    sweep(
        "toy.noise",
        ["x=0:1"],
        samples=3,
        metric="score",
        backend="process",
        workers=1,
        config={"duration_s": 0.0, "n_episodes": 1},
        out=tmp_path / "one",
    )
    one = sorted(_study(tmp_path / "one").trials, key=lambda t: t.number)
    assert all(b.datetime_start >= a.datetime_complete for a, b in zip(one, one[1:]))


def test_a_sweep_directory_holding_another_sweep_is_refused(tmp_path):
    from spikey.module import ConfigError

    kw = dict(samples=1, metric="score", backend="process", config={"duration_s": 0.0})
    sweep("toy.noise", ["x=0:1"], out=tmp_path, **kw)
    with pytest.raises(ConfigError, match="holds another sweep"):
        sweep("toy.noise", ["x=0:2"], out=tmp_path, **kw)
    more = sweep("toy.noise", ["x=0:1"], out=tmp_path, **{**kw, "samples": 2})  # extend it
    assert len(more["trials"]) == 2
