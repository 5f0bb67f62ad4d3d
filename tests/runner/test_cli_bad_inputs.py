"""Bad input at the runner's doors (issue 11.1): ``spikey run/sweep/list``, seeds, ``--set``
and ``--param`` strings. Each ends in one line on stderr naming what was wrong, exit 2."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikey.cli import main
from spikey.experiments import registry
from spikey.module import ConfigError
from spikey.runner.cli_run import parse_sets
from spikey.runner.core import MAX_SEEDS, parse_seeds
from spikey.runner.sweep import parse_param

RUN = ["run", "toy.noise", "--backend", "serial", "--no-save"]
SWEEP = ["sweep", "toy.noise", "--backend", "process", "--metric", "score"]


def _exit_code(argv) -> int:
    """``spikey ARGV``'s exit status: main's return value, or argparse's SystemExit code."""
    try:
        return main(argv)
    except SystemExit as done:
        return done.code


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run"], "the following arguments are required: experiment"),
        (["run", "nope"], "no experiment named 'nope'; known: "),
        ([*RUN, "--seeds", "x"], "'x' is not an integer >= 0"),
        ([*RUN, "--seeds", "3-1"], "runs backwards"),
        ([*RUN, "--seeds", "-2"], "is not an integer >= 0"),
        ([*RUN, "--seeds", "1.5"], "'1.5' is not an integer"),
        ([*RUN, "--seeds", ","], "no seeds"),
        ([*RUN, "--seeds", "0-99999999999"], "more than"),
        ([*RUN, "--set", "noequals"], "--set expects key=value, got 'noequals'"),
        ([*RUN, "--set", "=3"], "--set expects key=value"),
        ([*RUN, "--set", "x=1", "--set", "x=2"], "'x' is given twice"),
        ([*RUN, "--set", "nokey=1"], "has no parameter 'nokey'; known: duration_s"),
        ([*RUN, "--set", "n_episodes=two"], "key 'n_episodes' got 'two'; expected an integer"),
        ([*RUN, "--set", "n_episodes=2.5"], "key 'n_episodes' got '2.5'; expected an integer"),
        ([*RUN, "--set", "x=nan"], None),  # a float NaN is a number: the job reports on it
        ([*RUN, "--workers", "0"], "'0': expected an integer >= 1"),
        ([*RUN, "--workers", "two"], "argument --workers: 'two': expected an integer >= 1"),
        ([*RUN, "--retries", "-1"], "argument --retries: '-1': expected an integer >= 0"),
        ([*RUN, "--backend", "gpu"], "argument --backend: invalid choice: 'gpu'"),
        (["run", "toy.noise", "--backend", "ray", "--address", "host:port", "--no-save"], None),
        ([*SWEEP, "--param", "x=0:1", "--samples", "-3"], "expected an integer >= 1"),
        ([*SWEEP, "--param", "x=0:1", "--samples", "many"], "invalid int value: 'many'"),
        ([*SWEEP, "--param", "x=0:1", "--mode", "best"], "argument --mode: invalid choice"),
        ([*SWEEP, "--param", "x=1:1"], "expected low < high"),
        ([*SWEEP, "--param", "x=0:1:lin"], "expected low:high or low:high:log"),
        ([*SWEEP, "--param", "x=0:1", "--param", "x=0:2"], "may be given to --param once"),
        ([*SWEEP, "--param", "lr=-1:1:log"], "a log range needs low > 0"),
        ([*SWEEP, "--param", "x=0:inf"], "finite"),
        ([*SWEEP, "--param", "x=0:1", "--workers", "0"], "--workers got 0"),
        (["sweep", "toy.noise", "--param", "x=0:1"], "required: --metric"),
        (["sweep", "toy.noise", "--metric", "score"], "required: --param"),
        (["list", "toy.nope"], "no experiment named 'toy.nope'"),
        (["list", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_one_line_errors(argv, expected, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if expected is None:  # these run, or fail one job / one connection, but never a traceback
        code = _exit_code(argv)
        err = capsys.readouterr().err
        assert "Traceback" not in err and code in (0, 1, 2)
        return
    code = _exit_code(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err and "Traceback" not in err
    assert not (tmp_path / "runs").exists()  # nothing started


def test_run_directory_that_is_a_file_is_one_line(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["run", "toy.noise", "--backend", "serial", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "cannot create the run directory" in err


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.integers(-5, 10**7), st.lists(st.integers(-3, 5))))
def test_parse_seeds_accepts_or_says_why(text):
    try:
        seeds = parse_seeds(text)
    except ConfigError as err:
        assert str(err).startswith("seeds ")
        return
    assert seeds and all(isinstance(s, int) and s >= 0 for s in seeds)
    assert len(seeds) <= MAX_SEEDS


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=10), max_size=4))
def test_parse_sets_and_resolve_accept_or_say_why(pairs):
    exp = registry.get("toy.noise")
    try:
        config = exp.resolve(parse_sets(pairs))
    except ConfigError as err:
        assert "--set" in str(err) or "toy.noise" in str(err)
        return
    assert set(config) == set(exp.defaults)
    for key, default in exp.defaults.items():
        assert type(config[key]) is type(default)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_parse_param_accepts_or_says_why(text):
    exp = registry.get("toy.noise")
    try:
        p = parse_param(text, exp)
    except ConfigError as err:
        assert "--param" in str(err) or "toy.noise" in str(err)
        return
    assert p.name in exp.defaults and p.low < p.high


@pytest.mark.parametrize("text", ["²", "1-²", "0,³", "¹²"])
def test_parse_seeds_refuses_non_ascii_digits(text):
    with pytest.raises(ConfigError, match="is not an integer >= 0"):
        parse_seeds(text)
