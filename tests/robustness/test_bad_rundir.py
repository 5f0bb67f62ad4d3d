"""Doors: run directories (truncated or corrupt JSONL, corrupt result files, a config from
another version or experiment, a read-only folder, a full disk) and the experiments' configs
through the registry (every built-in experiment, one bad value per key)."""

from __future__ import annotations

import builtins
import errno
import json
import math
import os
from pathlib import Path

import pytest
from harness import SUITE, judge
from hypothesis import given, settings
from hypothesis import strategies as st

import spikey
from spikey.experiments import registry

CONFIG = {"duration_s": 0.0, "n_episodes": 2}
SEEDS = [0, 1]


def run_toy(out):
    return spikey.run("toy.noise", seeds=SEEDS, config=CONFIG, backend="serial", out=out)


def finished_correctly(summary):
    """Every job ran or resumed, with the numbers a clean run gives."""
    clean = spikey.run("toy.noise", seeds=SEEDS, config=CONFIG, backend="serial")
    got = {j["seed"]: j["metrics"] for j in summary["jobs"]}
    want = {j["seed"]: j["metrics"] for j in clean["jobs"]}
    assert got == want, f"resumed metrics differ: {got} != {want}"


@pytest.fixture
def done_dir(tmp_path):
    """A finished run directory of toy.noise over two seeds."""
    out = tmp_path / "run"
    run_toy(out)
    return out


def _lines(out):
    return (out / "results.jsonl").read_text().splitlines(keepends=True)


CORRUPTIONS = {
    "last line torn": lambda out: (out / "results.jsonl").write_text("".join(_lines(out))[:-25]),
    "file truncated to nothing": lambda out: (out / "results.jsonl").write_text(""),
    "binary garbage appended": lambda out: (
        (out / "results.jsonl").open("ab").write(b"\x00\xff\xfe garbage \n")
    ),
    "a line that is a list": lambda out: (out / "results.jsonl").open("a").write("[1, 2]\n"),
    "a key that is a number": lambda out: (
        (out / "results.jsonl").open("a").write('{"key": 3, "status": "ok"}\n')
    ),
    "metrics of the wrong type": lambda out: (out / "results.jsonl").write_text(
        "".join(
            json.dumps(dict(json.loads(ln), metrics="x", criteria=[])) + "\n" for ln in _lines(out)
        )
    ),
    "NaN metrics": lambda out: (out / "results.jsonl").write_text(
        "".join(
            json.dumps(dict(json.loads(ln), metrics={"score": math.nan})) + "\n"
            for ln in _lines(out)
        )
    ),
    "result files corrupt": lambda out: [
        p.write_bytes(b"not a result") for p in (out / "results").glob("*")
    ],
    "result files removed": lambda out: [p.unlink() for p in (out / "results").glob("*")],
    "config.json corrupt": lambda out: (out / "config.json").write_text("{not json"),
    "config.json from another version": lambda out: (out / "config.json").write_text(
        json.dumps(dict(json.loads((out / "config.json").read_text()), spikey_version="0.0.1"))
    ),
    "summary.csv is a folder": lambda out: (
        (out / "summary.csv").unlink(),
        (out / "summary.csv").mkdir(),
    ),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_resume_from_a_damaged_run_directory(corruption, done_dir):
    CORRUPTIONS[corruption](done_dir)
    ending = judge(
        "run directories",
        corruption,
        lambda: run_toy(done_dir),
        names=[],
        check_given=False,
        check=finished_correctly,
        timeout=30,
        expected_form=False,  # an OSError names the file and the problem
    )
    if ending.kind == "error":
        assert str(done_dir) in ending.message or "summary.csv" in ending.message, (
            f"the error does not name the file: {ending.message!r}"
        )


def test_config_of_another_experiment_is_refused(done_dir):
    doc = json.loads((done_dir / "config.json").read_text())
    (done_dir / "config.json").write_text(json.dumps(dict(doc, config_hash="0" * 16)))
    judge(
        "run directories",
        "config of another run",
        lambda: run_toy(done_dir),
        names=[str(done_dir)],
        check_given=False,
        allow_correct=False,
    )


def _failing_open(folder: Path, err: int):
    """``open`` that fails with ``err`` for files opened for writing under ``folder``."""
    real_open = builtins.open

    def fake_open(file, mode="r", *args, **kwargs):
        writing = any(c in mode for c in "wax+")
        if writing and str(os.path.abspath(file)).startswith(str(folder)):
            raise OSError(err, os.strerror(err), str(file))
        return real_open(file, mode, *args, **kwargs)

    return fake_open


@pytest.mark.parametrize(
    "label,err", [("read-only folder", errno.EACCES), ("disk full", errno.ENOSPC)]
)
@pytest.mark.parametrize("fresh", [True, False], ids=["new run", "resumed run"])
def test_unwritable_run_directory(label, err, fresh, tmp_path, monkeypatch):
    out = tmp_path / "run"
    if not fresh:
        run_toy(out)
        (out / "results.jsonl").write_text("".join(_lines(out)[:1]))  # one job left to run
    monkeypatch.setattr(builtins, "open", _failing_open(tmp_path, err))
    if not fresh:
        # the config is already on disk, so the run goes on: the job's result is kept in
        # memory, the failed write is listed and warned about, nothing is lost
        with pytest.warns(UserWarning, match=str(tmp_path)):
            summary = run_toy(out)
        monkeypatch.undo()
        finished_correctly(summary)
        assert summary["save_errors"] and str(tmp_path) in summary["save_errors"][0]
        assert len(_lines(out)) >= 1  # what was finished before is still there
        return
    ending = judge(
        "run directories",
        f"{label} ({'new' if fresh else 'resumed'} run)",
        lambda: run_toy(out),
        names=[],
        check_given=False,
        allow_correct=False,
        expected_form=False,
    )
    assert str(tmp_path) in ending.message, f"the error does not name the path: {ending.message!r}"


# -- experiments' configs through the registry ------------------------------------------
EXPERIMENTS = [name for name in registry.names() if not name.startswith("toy.")]
BAD_VALUES = st.sampled_from(
    [None, "abc", "", [], {}, -1, 0, math.nan, math.inf, -math.inf, True, "1e999", object]
)


@pytest.mark.parametrize("name", EXPERIMENTS)
@settings(SUITE, max_examples=12)
@given(data=st.data())
def test_experiment_config(name, data):
    """Resolving a config with one bad value: a clear error, or a config of the right types."""
    exp = registry.get(name)
    key = data.draw(st.sampled_from(sorted(exp.defaults)))
    value = data.draw(BAD_VALUES)
    overrides = {key: value}

    def check(config):
        default = exp.defaults[key]
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            got = config[key]
            assert isinstance(got, (int, float)) and not isinstance(got, bool), (
                f"{key} resolved to {got!r} for a numeric default"
            )

    judge(
        "experiment configs",
        f"{name}.{key}={value!r:.40}",
        lambda: exp.resolve(overrides),
        names=[key],
        given=value,
        check_given=not isinstance(value, (list, dict, type)),
        inputs=overrides,
        check=check,
        nan_ok=True,  # a NaN float setting resolves; the experiment refuses it when run
    )


@pytest.mark.parametrize("name", ["nope", "", "seed", "izh2007.fig9", None, 3])
def test_unknown_experiment(name):
    judge(
        "experiment configs",
        f"get({name!r})",
        lambda: registry.get(name),
        names=[],
        given=name,
        allow_correct=False,
    )
