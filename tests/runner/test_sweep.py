"""``spikey sweep`` on both engines, over the toy experiment with a known optimum."""

import csv
import json
import math

import pytest

from spikey.cli import main
from spikey.experiments import registry
from spikey.runner.sweep import parse_param, sweep

PARAMS = ["x=0:1", "lr=0.0001:1:log"]


def _table(path):
    with open(path / "trials.csv") as fh:
        return list(csv.DictReader(fh))


def test_optuna_engine_finds_a_good_region_and_writes_the_table(tmp_path):
    s = sweep(
        "toy.noise",
        PARAMS,
        samples=16,
        metric="score",
        mode="max",
        backend="process",
        config={"duration_s": 0.0},
        out=tmp_path,
        workers=1,  # one trial after another: the sampler's sequence is reproducible
    )
    rows = _table(tmp_path)
    assert len(rows) == 16 and {r["state"] for r in rows} == {"done"}
    for r in rows:  # sampled inside the bounds, lr on its log range
        assert 0 <= float(r["x"]) <= 1 and 1e-4 <= float(r["lr"]) <= 1
    best = max(rows, key=lambda r: float(r["score"]))
    assert s["best_value"] == pytest.approx(float(best["score"]))
    assert s["best_params"] == pytest.approx({"x": float(best["x"]), "lr": float(best["lr"])})
    assert s["best_value"] > 0.8  # the optimum is 1 at x=0.3, lr=0.01; a random draw averages ~0.3
    assert json.loads((tmp_path / "best.json").read_text())["best_params"] == s["best_params"]
    again = sweep(
        "toy.noise",
        PARAMS,
        samples=16,
        metric="score",
        backend="process",
        config={"duration_s": 0.0},
        out=tmp_path / "again",
        workers=1,
    )
    assert [r["x"] for r in _table(tmp_path / "again")] == [r["x"] for r in rows]  # seeded


def test_optuna_engine_with_asha_prunes_and_handles_integers(tmp_path):
    s = sweep(
        "toy.noise",
        PARAMS + ["n_episodes=4:8"],
        samples=16,
        metric="score",
        scheduler="asha",
        backend="process",
        config={"duration_s": 0.0},
        out=tmp_path,
    )
    rows = _table(tmp_path)
    states = [r["state"] for r in rows]
    assert "stopped early" in states and "done" in states
    assert all(float(r["n_episodes"]).is_integer() for r in rows)
    done = [r for r in rows if r["state"] == "done"]
    assert s["best_value"] == pytest.approx(max(float(r["score"]) for r in done))


def test_parameter_validation():
    exp = registry.get("toy.noise")
    assert parse_param("lr=1e-3:1:log", exp).log
    assert parse_param("n_episodes=2:9", exp).integer
    for bad, msg in [
        ("y=0:1", "has no parameter 'y'"),
        ("x=1:0", "low < high"),
        ("lr=0:1:log", "needs low > 0"),
        ("x=0", "low:high"),
        ("n_episodes=1.5:3", "integer bounds"),
        ("x", "key=low:high"),
    ]:
        with pytest.raises(ValueError, match=msg):
            parse_param(bad, exp)
    # sweep() takes its settings by name; SweepSpec.build holds their one list
    with pytest.raises(TypeError, match="'metrc'"):
        sweep("toy.noise", ["x=0:1"], metrc="ratio")
    with pytest.raises(ValueError, match="needs the metric"):
        sweep("toy.noise", ["x=0:1"])


def test_cli_sweep_prints_the_best_config(tmp_path, capsys):
    code = main(
        [
            "sweep",
            "toy.noise",
            "--param",
            "x=0:1",
            "--samples",
            "4",
            "--metric",
            "score",
            "--backend",
            "process",
            "--set",
            "duration_s=0",
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    out = capsys.readouterr().out.splitlines()
    doc = json.loads(out[-1])
    assert code == 0 and doc["n_trials"] == 4 and doc["engine"] == "process"
    assert any(line.startswith("best score = ") for line in out)
    assert set(doc["best_params"]) == {"x"}


def test_ray_tune_engine_with_asha(tmp_path, ray_local):
    s = sweep(
        "toy.noise",
        PARAMS,
        samples=6,
        metric="score",
        scheduler="asha",
        backend="ray",
        config={"duration_s": 0.05, "n_episodes": 6},
        out=tmp_path,
    )
    rows = _table(tmp_path)
    assert len(rows) == 6 and not any(r["state"] == "error" for r in rows)
    assert list((tmp_path / "tune").iterdir())  # Tune's storage_path is inside the sweep dir
    done = [r for r in rows if r["state"] == "done"]
    assert done and s["best_value"] == pytest.approx(max(float(r["score"]) for r in done))
    # OptunaSearch is seeded: its first (random start-up) proposals equal the Optuna engine's
    opt = sweep(
        "toy.noise",
        PARAMS,
        samples=2,
        metric="score",
        backend="process",
        config={"duration_s": 0.0},
        out=tmp_path / "opt",
    )
    first = {
        (round(float(r["x"]), 12), round(float(r["lr"]), 12)) for r in _table(tmp_path / "opt")
    }
    ray_first = {(round(float(r["x"]), 12), round(float(r["lr"]), 12)) for r in rows}
    assert first <= ray_first
    assert all(math.isfinite(float(r["score"])) for r in rows)


@pytest.mark.parametrize("engine", ["process", "ray"])
def test_sweep_over_seed_classical(engine, tmp_path, request):
    """The seed notebook's classical conditioning: learning_rate (and firing_threshold once the
    experiment exposes it) on both engines."""
    if "seed.classical" not in registry.names():
        pytest.skip("seed.classical is not in this build")
    if engine == "ray":
        request.getfixturevalue("ray_local")
    params = ["learning_rate=0.01:0.5:log"]
    if "firing_threshold" in registry.get("seed.classical").defaults:
        params.append("firing_threshold=4:12")
    s = sweep(
        "seed.classical",
        params,
        samples=3,
        metric="rate_ratio",
        backend=engine,
        quick=True,
        config={"n_episodes": 2, "len_episode": 30},
        out=tmp_path,
    )
    rows = _table(tmp_path)
    assert len(rows) == 3 and {r["state"] for r in rows} == {"done"}, rows
    assert s["best_value"] == pytest.approx(max(float(r["rate_ratio"]) for r in rows))
    assert 0.01 <= s["best_params"]["learning_rate"] <= 0.5


def test_missing_optuna_is_a_clear_error(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(
        RuntimeError,
        match=r"optuna is not installed; a sweep needs it: pip install 'spikey-snn\[ray\]'",
    ):
        sweep("toy.noise", ["x=0:1"], samples=1, metric="score", backend="process", out=tmp_path)


def test_cli_sweep_user_error_is_one_line(tmp_path, capsys):
    code = main(
        [
            "sweep",
            "toy.noise",
            "--param",
            "y=0:1",
            "--metric",
            "score",
            "--backend",
            "process",
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("spikey sweep: error: ") and "'y'" in err
    assert "Traceback" not in err


def test_one_word_for_the_searcher_and_one_for_where_trials_run(tmp_path):
    from spikey.module import ConfigError
    from spikey.runner.sweep import SweepSpec

    def pair(**kw):
        spec = SweepSpec.build("toy.noise", ["x=0:1"], "score", out=tmp_path, **kw)
        return spec.searcher, spec.backend

    assert pair(searcher="optuna") == ("optuna", "process")
    assert pair(backend="process") == ("optuna", "process")
    assert pair(searcher="tune") == ("tune", "ray")
    assert pair(backend="ray", searcher="tune") == ("tune", "ray")
    with pytest.raises(ConfigError, match="--searcher optuna with --backend ray: optuna runs"):
        pair(searcher="optuna", backend="ray")
    with pytest.raises(ConfigError, match="--backend got 'serial'; expected 'process', 'ray'"):
        pair(backend="serial")
    s = sweep(
        "toy.noise", ["x=0:1"], samples=2, metric="score", searcher="optuna",
        config={"duration_s": 0.0}, out=tmp_path / "s", workers=1,
    )  # fmt: skip
    assert (s["searcher"], s["backend"], s["engine"]) == ("optuna", "process", "process")
    best = json.loads((tmp_path / "s" / "best.json").read_text())
    assert (best["searcher"], best["backend"]) == ("optuna", "process") and "engine" not in best
    stored = json.loads((tmp_path / "s" / "sweep.json").read_text())
    assert (stored["searcher"], stored["backend"]) == ("optuna", "process")


def test_a_sweep_directory_of_the_old_words_resumes(tmp_path):
    kw = dict(samples=2, metric="score", config={"duration_s": 0.0}, out=tmp_path, workers=1)
    sweep("toy.noise", ["x=0:1"], backend="process", **kw)
    path = tmp_path / "sweep.json"
    stored = json.loads(path.read_text())
    stored["engine"] = "process"  # what sweep.json said before "searcher" and "backend"
    del stored["searcher"], stored["backend"]
    path.write_text(json.dumps(stored))
    again = sweep("toy.noise", ["x=0:1"], backend="process", **{**kw, "samples": 3})
    assert len(again["trials"]) == 3
