"""A run directory cannot run code, and bad ones give one clear error (issue 11.3, 11.1).

Results are JSON plus .npz arrays read with ``allow_pickle=False``; pickles are refused
before anything is read. Corrupt, foreign, unwritable and full directories: a clear
error before work starts, or the results kept in memory and the failure reported.
"""

import errno
import json
import os
import pickle
import warnings

import numpy as np
import pytest

from spikey.cli import main
from spikey.experiments import Result
from spikey.runner import run, run_function
from spikey.runner import rundir as rundir_module
from spikey.runner.rundir import RunDirError, RunDirWarning, result_from_doc, result_to_doc

FAST = {"duration_s": 0.0}


class _Payload:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _first_key(path):
    return json.loads((path / "results.jsonl").read_text().splitlines()[0])["key"]


def test_a_malicious_pickle_in_place_of_a_result_is_refused_and_never_run(tmp_path, capsys):
    out, marker = tmp_path / "run", tmp_path / "pwned"
    run("toy.noise", seeds="0-1", config=FAST, backend="serial", out=out)
    stem = _first_key(out).replace(":", "-")
    for suffix in (".json", ".npz"):
        (out / "results" / f"{stem}{suffix}").unlink(missing_ok=True)
    (out / "results" / f"{stem}.pkl").write_bytes(pickle.dumps(_Payload(str(marker))))
    with pytest.raises(RunDirError, match=r"holds pickled results .*never loads pickles"):
        run("toy.noise", seeds="0-1", config=FAST, backend="serial", out=out)
    code = main(["run", "toy.noise", "--seeds", "0-1", "--set", "duration_s=0", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "pickled results" in err
    assert not marker.exists()  # nothing was unpickled
    with pytest.raises(RunDirError, match="pickled results"):
        run_function(lambda c: {"v": 1.0}, backend="serial", out=out)
    assert not marker.exists()


def test_a_tampered_npz_with_pickled_objects_is_not_loaded(tmp_path):
    out, marker = tmp_path / "run", tmp_path / "pwned"
    first = run("toy.noise", seeds=0, config=FAST, backend="serial", out=out)
    stem = _first_key(out).replace(":", "-")
    evil = np.empty(1, dtype=object)
    evil[0] = _Payload(str(marker))
    with open(out / "results" / f"{stem}.npz", "wb") as fh:
        np.savez(fh, a0=evil)  # an object array is stored as a pickle inside the .npz
    again = run("toy.noise", seeds=0, config=FAST, backend="serial", out=out)
    assert not marker.exists()
    assert again["jobs"][0]["resumed"]  # the JSONL line still holds the metrics
    assert again["jobs"][0]["metrics"] == first["jobs"][0]["metrics"]
    assert again["outcomes"][0].result.figures == {}


def test_results_round_trip_through_json_and_npz():
    res = Result(
        metrics={"a": 1.5, "n": 3, "nan": float("nan")},
        figures={
            "f64": np.linspace(0, 1, 5),
            "i32": np.arange(6, dtype=np.int32).reshape(2, 3),
            "nested": {"deep": [np.ones(2, dtype=bool), (1, "x")], "s": "text"},
            "int_keys": {0: np.zeros(1), (1, 2): "pair"},
            "ragged": np.array([[1, 2], [3]], dtype=object),
            "scalar": np.float32(2.5),
            "tagged": {"$spikey": "not a tag"},
            "thing": object(),
        },
        text="hello",
    )
    res.check("a", 1.5, "between", (1, 2), description="d")
    res.check("b", 0.0, ">=", 1.0, gating=False)
    doc, arrays = result_to_doc(res)
    assert doc["unsaved"] == ["figures['thing']: object"]
    back = result_from_doc(json.loads(json.dumps(doc)), arrays)
    assert back.metrics["a"] == 1.5 and np.isnan(back.metrics["nan"]) and back.text == "hello"
    assert [c.to_dict() for c in back.criteria] == [c.to_dict() for c in res.criteria]
    assert back.criteria[0].threshold == (1, 2)
    f = back.figures
    assert f["f64"].dtype == np.float64 and np.array_equal(f["f64"], res.figures["f64"])
    assert f["i32"].dtype == np.int32 and f["i32"].shape == (2, 3)
    assert f["nested"]["deep"][0].dtype == bool and f["nested"]["deep"][1] == (1, "x")
    assert f["int_keys"][(1, 2)] == "pair" and np.array_equal(f["int_keys"][0], np.zeros(1))
    assert list(f["ragged"]) == [[1, 2], [3]] and f["scalar"] == 2.5
    assert f["tagged"] == {"$spikey": "not a tag"} and f["thing"] is None


@pytest.mark.parametrize(
    "garbage",
    [
        b"not json at all\n",
        b"\xff\xfe\x00binary\n",
        b"[1, 2, 3]\n",
        b'{"key": 5, "status": "ok"}\n',
        b'{"key": "KEY", "status": "ok", "metrics": "oops"}\n',
    ],
)
def test_corrupt_jsonl_lines_are_skipped_and_those_jobs_rerun(tmp_path, garbage):
    run("toy.noise", seeds="0-1", config=FAST, backend="serial", out=tmp_path)
    path = tmp_path / "results.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    key = json.loads(lines[0])["key"].encode()
    path.write_bytes(garbage.replace(b"KEY", key) + lines[1])  # seed 0's line replaced
    again = run("toy.noise", seeds="0-1", config=FAST, backend="serial", out=tmp_path)
    assert [j["resumed"] for j in again["jobs"]] == [False, True] and again["passed"]


def test_truncated_result_files_fall_back_to_the_jsonl_line(tmp_path):
    first = run("toy.noise", seeds="0", config=FAST, backend="serial", out=tmp_path)
    for path in (tmp_path / "results").iterdir():
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    again = run("toy.noise", seeds="0", config=FAST, backend="serial", out=tmp_path)
    assert (
        again["jobs"][0]["resumed"] and again["jobs"][0]["metrics"] == first["jobs"][0]["metrics"]
    )


def test_unreadable_or_foreign_config_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "run"
    run("toy.noise", seeds=0, config=FAST, backend="serial", out=out)
    (out / "config.json").write_text('{"experiment": "toy.noise", "config_h')
    with pytest.raises(RunDirError, match="config.json .* is not valid JSON"):
        run("toy.noise", seeds=0, config=FAST, backend="serial", out=out)
    (out / "config.json").write_text("[1, 2]")
    with pytest.raises(RunDirError, match="not a spikey run config"):
        run("toy.noise", seeds=0, config=FAST, backend="serial", out=out)
    code = main(["run", "toy.noise", "--set", "duration_s=0", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "not a spikey run config" in err


def test_a_folder_that_cannot_be_created_or_written_fails_before_any_job(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ran = []
    with pytest.raises(RunDirError, match="cannot create the run directory"):
        run("toy.noise", config=FAST, backend="serial", out=blocker / "run", on_outcome=ran.append)
    real_open = open

    def read_only(path, mode="r", *args, **kwargs):
        if any(m in mode for m in "wa+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(rundir_module, "open", read_only, raising=False)
    with pytest.raises(RunDirError, match="cannot write .*config.json: Read-only file system"):
        run("toy.noise", config=FAST, backend="serial", out=tmp_path / "ro", on_outcome=ran.append)
    assert not ran


def test_disk_full_keeps_every_result_and_reports_it(tmp_path, monkeypatch, capsys):
    real_open = open
    full = {"on": False}

    def disk(path, mode="r", *args, **kwargs):
        if full["on"] and any(m in mode for m in "wa+"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(rundir_module, "open", disk, raising=False)
    ref = run("toy.noise", seeds="0-2", config=FAST, backend="serial")
    out = tmp_path / "run"
    calls = []

    def fill_after_first(outcome):
        calls.append(outcome)
        full["on"] = True

    with pytest.warns(RunDirWarning, match="No space left on device"):
        s = run(
            "toy.noise",
            seeds="0-2",
            config=FAST,
            backend="serial",
            out=out,
            on_outcome=fill_after_first,
        )
    assert [j["metrics"] for j in s["jobs"]] == [j["metrics"] for j in ref["jobs"]]  # none lost
    assert s["save_errors"] and all("No space left" in e for e in s["save_errors"])
    assert len((out / "results.jsonl").read_text().splitlines()) == 1  # the first was saved
    full["on"] = False  # space again: a rerun keeps the saved job and runs the rest
    again = run("toy.noise", seeds="0-2", config=FAST, backend="serial", out=out)
    assert [j["resumed"] for j in again["jobs"]] == [True, False, False]
    assert not again["save_errors"]
    full["on"] = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the CLI reports it as one line, not a warning
        code = main(
            ["run", "toy.noise", "--seeds", "3", "--set", "duration_s=0", "--out", str(out)]
        )
    captured = capsys.readouterr()
    assert code == 1 and "seed 3: PASS" in captured.out
    assert captured.err.count("\n") == 1 and "No space left on device" in captured.err
    assert "Traceback" not in captured.err
