"""One run directory, one writer (issue 19, decision 6): a second run on a directory that a
live run holds is refused at once, naming the holder; a lock left by a killed run is taken
over. On the process and Ray backends, and from the command line."""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from spikey.cli import main
from spikey.runner.core import Job, run_jobs
from spikey.runner.lock import LOCK, RunDirLocked, RunLock, StaleLockWarning
from spikey.runner.rundir import RESULTS, RunDir

CFG = {"duration_s": 0.0, "n_episodes": 3, "x": 0.3, "lr": 0.1, "noise": 0.01}

HOLD = """
import sys, time
from spikey.runner.lock import RunLock
lock = RunLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
if sys.argv[2] == "die":
    import os, signal
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path):
    """Start a process that takes the lock of ``tmp_path/run`` and keeps it (or dies)."""
    procs = []

    def start(mode="hold"):
        folder = tmp_path / "run"
        folder.mkdir(exist_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(folder), mode], stdout=subprocess.PIPE, text=True
        )
        procs.append(proc)
        if mode == "die":
            proc.wait(timeout=60)
            assert proc.returncode == -signal.SIGKILL
        else:
            assert proc.stdout.readline().strip() == "locked"
        return folder, proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _jobs():
    return [Job("toy.noise", dict(CFG), s) for s in range(2)]


def _lines(folder):
    path = folder / RESULTS
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize("backend", ["process", "ray"])
def test_a_second_run_is_refused_at_once_naming_the_holder(holder, backend):
    folder, proc = holder()
    start = time.perf_counter()
    with pytest.raises(RunDirLocked) as err:
        run_jobs(_jobs(), backend=backend, out_dir=folder)
    assert time.perf_counter() - start < 5.0  # at once: no backend was started
    text = str(err.value)
    assert f"PID {proc.pid}" in text and socket.gethostname() in text and "started 20" in text
    assert "another --out/--rundir" in text
    assert _lines(folder) == []  # nothing ran, nothing written
    assert json.loads((folder / LOCK).read_text())["pid"] == proc.pid  # the holder's lock


@pytest.mark.parametrize("backend", ["process", "ray"])
def test_a_killed_runs_lock_is_taken_over(holder, backend, request):
    if backend == "ray":
        request.getfixturevalue("ray_local")
    folder, proc = holder("die")
    assert json.loads((folder / LOCK).read_text())["pid"] == proc.pid  # left behind
    with pytest.warns(StaleLockWarning, match=f"PID {proc.pid}"):
        outcomes = run_jobs(_jobs(), backend=backend, out_dir=folder, workers=2)
    assert all(o.result is not None for o in outcomes)
    assert len(_lines(folder)) == 2
    assert not (folder / LOCK).exists()  # released at the end
    # a rerun finds the jobs finished, and no stale lock
    again = run_jobs(_jobs(), backend=backend, out_dir=folder)
    assert all(o.extra.get("resumed") for o in again) and len(_lines(folder)) == 2


def test_the_lock_is_reentrant_and_two_handles_exclude_each_other(tmp_path):
    rd = RunDir(tmp_path)
    with rd.locked(), rd.locked():
        with pytest.raises(RunDirLocked, match=f"PID {os.getpid()}"):
            RunLock(tmp_path).acquire()  # another handle, even in this process
        assert (tmp_path / LOCK).exists()
    assert not (tmp_path / LOCK).exists()
    with RunLock(tmp_path):  # free again
        pass


def test_the_command_line_refuses_in_one_line(holder, capsys):
    folder, proc = holder()
    rc = main(["run", "toy.noise", "--seeds", "0-1", "--backend", "serial", "--out", str(folder)])
    assert rc == 2
    err = capsys.readouterr().err
    assert f"PID {proc.pid}" in err and "in use by another spikey run" in err
    assert not (folder / "config.json").exists()  # refused before writing anything


def test_replicate_holds_its_output_folder_and_run_directory(holder, tmp_path, capsys):
    folder, proc = holder()
    for flag in ("--out", "--rundir"):
        argv = ["replicate", "izhikevich2007", "--only", "fig1-synapse", "--backend", "serial"]
        other = str(tmp_path / f"other{flag}")
        argv += [flag, str(folder), "--out" if flag == "--rundir" else "--rundir", other]
        assert main(argv) == 2
        assert f"PID {proc.pid}" in capsys.readouterr().err
    assert not (folder / "report.md").exists() and _lines(folder) == []
    # --out and --rundir the same folder: one run holds both (no refusal of itself)
    same = tmp_path / "same"
    argv = ["replicate", "izhikevich2007", "--only", "fig1-synapse", "--backend", "serial"]
    assert main([*argv, "--out", str(same), "--rundir", str(same)]) == 0
    assert (same / "report.md").exists() and len(_lines(same)) == 1
