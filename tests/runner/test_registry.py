"""The registry: declared metrics, duplicate names, names checked before work starts, ``spikey list``."""

import pytest

from spikey.cli import main
from spikey.experiments import Result, registry
from spikey.module import ConfigError
from spikey.runner import run, run_jobs
from spikey.runner.sweep import sweep


@pytest.fixture
def scratch_names():
    """Forget the experiments a test registers."""
    registry.load_builtins()
    before = set(registry.REGISTRY)
    yield
    for name in set(registry.REGISTRY) - before:
        del registry.REGISTRY[name]


def _one(config, seed, progress):
    return Result(metrics={"a": 1.0})


def _other(config, seed, progress):
    return Result(metrics={"b": 2.0})


def test_duplicate_name_is_refused_unless_replace(scratch_names):
    registry.register("test.dup", defaults={"k": 1}, metrics=["a"])(_one)
    registry.register("test.dup", defaults={"k": 1}, metrics=["a"])(_one)  # same function: a rerun
    with pytest.raises(ConfigError, match="'test.dup' is already registered .*replace=True"):
        registry.register("test.dup", metrics=["b"])(_other)
    assert registry.get("test.dup").func is _one
    registry.register("test.dup", metrics=["b"], replace=True)(_other)
    assert registry.get("test.dup").func is _other and registry.get("test.dup").metrics == ("b",)
    for bad in ("", None, 3):
        with pytest.raises(ConfigError, match="name must be a non-empty string"):
            registry.register(bad)
    with pytest.raises(ConfigError, match="metrics must be names"):
        registry.register("test.m", metrics=[1])


@pytest.mark.parametrize(
    "name, config",
    [
        ("toy.noise", {"duration_s": 0.0}),
        ("toy.fail", {"mode": "none", "duration_s": 0.0}),
        ("seed.classical", {"n_episodes": 1, "len_episode": 5}),
    ],
)
def test_declared_metrics_are_what_the_experiment_returns(name, config):
    if name not in registry.names():
        pytest.skip(f"{name} is not in this build")
    exp = registry.get(name)
    result = exp(config, seed=0)
    assert set(result.metrics) == set(exp.metrics)


def test_every_builtin_declares_its_metrics():
    for name in registry.names():
        if name.split(".")[0] in ("toy", "seed", "izh2007"):
            exp = registry.get(name)
            assert exp.metrics and len(set(exp.metrics)) == len(exp.metrics), name


def test_sweep_rejects_an_unknown_metric_before_any_trial(tmp_path, capsys):
    with pytest.raises(ConfigError, match=r"no metric 'ratio'; its metrics: score, mean_score"):
        sweep("toy.noise", ["x=0:1"], metric="ratio", backend="process", out=tmp_path / "s")
    assert not (tmp_path / "s").exists()  # nothing started, nothing written
    code = main(
        ["sweep", "toy.noise", "--param", "x=0:1", "--metric", "ratio", "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "no metric 'ratio'" in err and "score" in err
    if "seed.classical" in registry.names():  # the README's old example
        with pytest.raises(ConfigError, match="its metrics: rate_ratio"):
            sweep("seed.classical", ["learning_rate=0.01:0.5:log"], metric="ratio")


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--param", "y=0:1", "--metric", "score"], "has no parameter 'y'; known: duration_s"),
        (["--param", "x=0:1", "--metric", "score", "--set", "q=1"], "has no parameter 'q'"),
        (["--param", "x=0:1", "--metric", "score", "--set", "lr=abc"], "key 'lr' got 'abc'"),
        (["--param", "x=a:b", "--metric", "score"], "low and high must be numbers"),
        (["--param", "x=0:nan", "--metric", "score"], "finite"),
        (["--param", "x=0:1", "--metric", "score", "--samples", "0"], "expected an integer >= 1"),
        (["--param", "x=0:1", "--metric", "score", "--seeds", "a-b"], "'a' is not an integer"),
        (["--param", "x=0:1", "--metric", "score", "--seeds", "-1"], "is not an integer >= 0"),
    ],
)
def test_cli_sweep_bad_inputs_are_one_line(argv, expected, tmp_path, capsys):
    out = tmp_path / "s"
    code = main(["sweep", "toy.noise", *argv, "--backend", "process", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and expected in err and "Traceback" not in err
    assert not out.exists()


def test_run_and_api_reject_unknown_keys_and_bad_values_before_running(tmp_path):
    ran = []
    with pytest.raises(ConfigError, match="has no parameter 'y'; known: duration_s"):
        run("toy.noise", config={"y": 1}, backend="serial", out=tmp_path / "r")
    with pytest.raises(ConfigError, match="key 'n_episodes' got 2.5; expected an integer"):
        run("toy.noise", config={"n_episodes": 2.5}, backend="serial")
    with pytest.raises(ConfigError, match="key 'x' got 'abc'; expected a number"):
        run("toy.noise", config={"x": "abc"}, backend="serial")
    with pytest.raises(ConfigError, match="key 'x' got True; expected a number"):
        run("toy.noise", config={"x": True}, backend="serial")
    with pytest.raises(ConfigError, match="config must be a dict"):
        run("toy.noise", config=[("x", 1)], backend="serial")
    with pytest.raises(ConfigError, match="no experiment named 'toy.nope'; known: "):
        run("toy.nope", on_outcome=ran.append)
    assert not ran and not (tmp_path / "r").exists()
    assert run_jobs([], backend="serial") == []


def test_list_shows_user_experiments_and_details(capsys):
    assert main(["list"]) == 0
    shown = capsys.readouterr().out
    assert "toy.noise" not in shown and "toy.fail" not in shown
    assert main(["list", "--all"]) == 0
    assert "toy.noise" in capsys.readouterr().out
    assert main(["list", "toy.noise"]) == 0
    text = capsys.readouterr().out
    assert "duration_s = 0.2  (--quick: 0.02)" in text
    assert "metrics (--metric): score, mean_score, draw_sum" in text
    assert "score: >= 0.0" in text
    assert main(["list", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spikey list: error: no experiment named 'nope'") and "toy" not in err


def test_an_undeclared_metric_is_warned_about(scratch_names):
    from spikey.runner.job import Job, UndeclaredMetricWarning, call

    def two(config, seed, progress):
        return Result(metrics={"a": 1.0, "b": 2.0})

    registry.register("test.drift", metrics=["a"])(two)
    with pytest.warns(UndeclaredMetricWarning, match="'test.drift' returned metrics it does not"):
        call(Job("test.drift", {}, 0))
    registry.register("test.drift", metrics=["a", "b"], replace=True)(two)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(Job("test.drift", {}, 0))
