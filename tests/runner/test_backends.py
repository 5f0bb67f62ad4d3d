"""The same jobs on serial, process and Ray: identical numbers, failures recorded, dead workers retried."""

import json
import multiprocessing
import os
import signal
import threading
import time

import pytest

from spikey.runner import Job, run, run_jobs

BACKENDS = ["serial", "process", "ray"]
FAST = {"duration_s": 0.02}


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "ray":
        request.getfixturevalue("ray_local")
    return request.param


def _by_seed(summary):
    return {j["seed"]: j for j in summary["jobs"]}


def test_bitwise_identical_on_every_backend(backend):
    ref = run("toy.noise", seeds="0-3", config=FAST, backend="serial")
    got = run("toy.noise", seeds="0-3", config=FAST, backend=backend, workers=2)
    assert [j["metrics"] for j in got["jobs"]] == [j["metrics"] for j in ref["jobs"]]
    for a, b in zip(got["outcomes"], ref["outcomes"]):
        assert a.result.figures["scores"].tobytes() == b.result.figures["scores"].tobytes()
    # a job alone gives what it gave inside the batch (no dependence on position or worker)
    alone = run("toy.noise", seeds=[3], config=FAST, backend=backend)
    assert alone["jobs"][0]["metrics"] == ref["jobs"][3]["metrics"]
    assert len({j["metrics"]["draw_sum"] for j in ref["jobs"]}) == 4


def test_a_job_that_raises_is_recorded_and_the_rest_go_on(backend):
    s = run(
        "toy.fail",
        seeds="0-3",
        config={"mode": "raise", "fail_seeds": [1, 2], "duration_s": 0.0},
        backend=backend,
        workers=2,
    )
    jobs = _by_seed(s)
    assert not s["passed"]
    for seed in (1, 2):
        assert jobs[seed]["error"] == f"RuntimeError: toy.fail: seed {seed} fails on purpose"
        assert "Traceback" in jobs[seed]["traceback"]
    for seed in (0, 3):
        assert jobs[seed]["passed"] and 0.0 <= jobs[seed]["metrics"]["value"] < 1.0


@pytest.mark.parametrize("where", ["process", "ray"])
def test_a_worker_killed_mid_job_is_retried(where, tmp_path, request):
    if where == "ray":
        request.getfixturevalue("ray_local")
    config = {
        "mode": "kill",
        "fail_seeds": [1, 2],
        "once_dir": str(tmp_path / "once"),
        "duration_s": 0.05,
    }
    s = run("toy.fail", seeds="0-3", config=config, backend=where, workers=2, out=tmp_path / "run")
    jobs = _by_seed(s)
    assert s["passed"], [j.get("error") for j in s["jobs"]]
    for seed in (1, 2):
        killed_pid = int((tmp_path / "once" / f"seed-{seed}").read_text())
        assert jobs[seed]["metrics"]["pid"] != killed_pid  # finished on a fresh worker
        assert jobs[seed]["attempts"] == 2 and len(jobs[seed]["worker_deaths"]) == 1
    for seed in (0, 3):
        assert jobs[seed]["attempts"] == 1 and jobs[seed]["worker_deaths"] == []
    ref = run("toy.fail", seeds="0-3", config=config, backend="serial")  # markers exist: no kill
    assert [j["metrics"]["value"] for j in s["jobs"]] == [
        j["metrics"]["value"] for j in ref["jobs"]
    ]
    lines = [json.loads(x) for x in (tmp_path / "run" / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 4 and all(line["status"] == "ok" for line in lines)
    recorded = {
        line["seed"]: (line["attempts"], len(line.get("worker_deaths", []))) for line in lines
    }
    assert recorded == {0: (1, 0), 1: (2, 1), 2: (2, 1), 3: (1, 0)}  # the retries are on disk
    resumed = run("toy.fail", seeds="0-3", config=config, backend="serial", out=tmp_path / "run")
    assert [j["attempts"] for j in resumed["jobs"]] == [1, 2, 2, 1]


def test_a_worker_that_keeps_dying_is_recorded_after_its_retries(tmp_path):
    config = {"mode": "kill", "fail_seeds": [1], "duration_s": 0.0}
    s = run("toy.fail", seeds="0-2", config=config, backend="process", workers=2, max_retries=1)
    jobs = _by_seed(s)
    assert jobs[1]["error"].startswith("WorkerDied: the worker process ended (signal 9)")
    assert jobs[1]["attempts"] == 2
    assert jobs[0]["passed"] and jobs[2]["passed"]


def test_killing_a_pool_worker_from_outside_loses_nothing(tmp_path):
    """SIGKILL one busy worker while the pool runs: every job still finishes, same numbers."""
    cfg = {"duration_s": 0.2}
    jobs = [
        Job(
            "toy.noise", {"duration_s": 0.2, "n_episodes": 5, "x": 0.0, "lr": 0.1, "noise": 0.01}, s
        )
        for s in range(6)
    ]
    killed = []

    def killer():
        deadline = time.time() + 20
        while time.time() < deadline and not killed:
            workers = [
                p for p in multiprocessing.active_children() if p.name.startswith("spikey-worker")
            ]
            if len(workers) == 2:
                time.sleep(0.15)  # both are inside their first job now
                os.kill(workers[0].pid, signal.SIGKILL)
                killed.append(workers[0].pid)
            time.sleep(0.02)

    t = threading.Thread(target=killer)
    t.start()
    outcomes = run_jobs(jobs, backend="process", workers=2, out_dir=tmp_path)
    t.join()
    assert killed
    assert all(o.result is not None for o in outcomes), [o.error for o in outcomes]
    assert sorted(o.extra["attempts"] for o in outcomes) == [1, 1, 1, 1, 1, 2]
    ref = run("toy.noise", seeds="0-5", config=cfg, backend="serial")
    assert [o.result.metrics for o in outcomes] == [j["metrics"] for j in ref["jobs"]]
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 6


def test_process_pool_shows_per_job_progress(capsys):
    run(
        "toy.noise",
        seeds="0-1",
        config={"duration_s": 0.4},
        backend="process",
        workers=2,
        progress=True,
    )
    err = capsys.readouterr().err
    assert "2/2" in err  # the jobs bar reached the end
    assert "seed 0 episodes" in err or "seed 1 episodes" in err  # a worker's bar was relayed


def test_pinned_threads_in_workers(tmp_path):
    from spikey.runner.functions import run_function

    s = run_function(_env_probe, seeds=[0, 1], backend="process", workers=2)
    assert [j["metrics"]["omp"] for j in s["jobs"]] == [1, 1]
    assert [j["metrics"]["openblas"] for j in s["jobs"]] == [1, 1]


def _env_probe(config):
    return {
        "omp": int(os.environ.get("OMP_NUM_THREADS", "0")),
        "openblas": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")),
    }


def test_a_script_without_a_main_guard_gets_a_worker_error_that_says_why(tmp_path):
    import json
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "import json\n"
        "from spikey.runner import run_function\n"
        "def f(config):\n"
        "    return {'x': 1.0}\n"
        "res = run_function(f, config={'a': 1}, max_retries=0)\n"
        "print('ERROR:' + json.dumps(res['jobs'][0]['error']))\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("ERROR:")][-1]
    error = json.loads(line[len("ERROR:") :])
    assert error.startswith("WorkerDied") and "if __name__ == '__main__':" in error
