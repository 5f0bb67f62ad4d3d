"""Door: the ``spikey`` command (list, run, replicate, sweep, bench), run in this process with
``spikey.cli.main([...])``: wrong types, ranges, unknown names, malformed seeds and malformed
``--set`` / ``--param`` strings must end in a one-line error naming the option, the value and
the expected form (or in a normal run), never a traceback."""

from __future__ import annotations

import pytest
from harness import SUITE, judge_cli
from hypothesis import given, settings
from hypothesis import strategies as st

#: seed.classical made tiny: a whole run takes ~0.1 s, so a case that runs is still fast
TINY = ["--quick", "--set", "n_episodes=1", "--set", "len_episode=2", "--set", "processing_time=5"]
RUN = ["run", "seed.classical", *TINY, "--backend", "serial", "--no-save"]


def without_set(argv, key):
    """``argv`` without its own ``--set key=...`` (a key may be given once)."""
    out, skip = [], False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a == "--set" and i + 1 < len(argv) and argv[i + 1].split("=")[0].strip() == key.strip():
            skip = True
            continue
        out.append(a)
    return out


SWEEP = [
    "sweep",
    "seed.classical",
    *TINY,
    "--backend",
    "process",
    "--samples",
    "1",
    "--metric",
    "rate_ratio",
]
BENCH = ["bench", "izhikevich2007", "--seconds", "0.01", "--neurons", "20"]


def with_option(base, option, value):
    """``base`` with ``option=value`` appended (argparse: the last one wins; ``=`` keeps a
    value that starts with ``-`` a value)."""
    if option == "--set":
        base = without_set(base, value.split("=")[0])
        return [*base, option, value]
    return [*base, f"{option}={value}"]


def set_value(text):
    """The value part of a ``--set key=value`` string, if it has one."""
    return text.split("=", 1)[1] if "=" in text and text.split("=", 1)[1] else None


# -- list ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv,names,given,bad",
    [
        (["list"], [], None, False),
        (["list", "seed.classical"], [], None, False),
        (["list", "nope"], ["nope"], None, True),
        (["list", ""], [], None, None),  # an empty name lists them all
        (["list", "seed.classical", "extra"], ["extra"], None, True),
        (["list", "--bogus"], ["--bogus"], None, True),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_list(argv, names, given, bad):
    judge_cli("cli list", argv, names=names, given=given, bad=bad)


# -- run -------------------------------------------------------------------------------
RUN_CASES = [
    # (option, value, names the message must hold)
    ("--seeds", "abc", ["seeds"]),
    ("--seeds", "-1", ["seeds"]),
    ("--seeds", "5-2", ["seeds"]),
    ("--seeds", "0-100000000000", ["seeds"]),
    ("--seeds", "1.5", ["seeds"]),
    ("--seeds", "", ["seeds"]),
    ("--seeds", ",", ["seeds"]),
    ("--seeds", "0--3", ["seeds"]),
    ("--set", "foo", ["--set", "foo"]),
    ("--set", "foo=1", ["foo"]),
    ("--set", "=3", ["--set"]),
    ("--set", "n_episodes=abc", ["n_episodes"]),
    ("--set", "n_episodes=", ["n_episodes"]),
    ("--set", "n_episodes=1.5", ["n_episodes"]),
    ("--set", "n_episodes=-1", ["n_episodes"]),
    ("--set", "learning_rate=nan", ["learning_rate"]),
    ("--set", "learning_rate=inf", ["learning_rate"]),
    ("--set", "fire_states=[1,", ["fire_states"]),
    ("--set", "fire_states=[99]", ["fire_states"]),
    ("--set", "max_weight=-1", ["max_weight"]),
    ("--set", "n_neurons=0", ["n_neurons"]),
    ("--backend", "gpu", ["--backend"]),
    ("--workers", "0", ["workers"]),
    ("--workers", "-1", ["workers"]),
    ("--workers", "abc", ["--workers"]),
    ("--retries", "-1", ["retries"]),
    ("--retries", "x", ["--retries"]),
]


@pytest.mark.parametrize("option,value,names", RUN_CASES, ids=lambda v: repr(v)[:30])
def test_run_bad_option(option, value, names):
    given_value = set_value(value) if option == "--set" else value or None
    if value.startswith("foo"):  # an unknown key: the message names the key, not the value
        given_value = None
    argv = with_option(RUN, option, value)
    judge_cli("cli run", argv, names=names, given=given_value, ok_codes=(0, 1))


def test_run_unknown_experiment():
    judge_cli("cli run", ["run", "nope"], names=["nope"])


def test_run_out_is_a_file(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    judge_cli("cli run", [*RUN[:-1], "--out", str(target)], names=[str(target)], ok_codes=(0, 1))


def test_run_tiny_is_correct(tmp_path):
    judge_cli("cli run", [*RUN[:-1], "--out", str(tmp_path / "run")], bad=False, ok_codes=(0, 1))


KEYS = ["n_episodes", "len_episode", "learning_rate", "fire_states", "n_inputs", "input_rate"]


@settings(SUITE, max_examples=25)
@given(
    key=st.sampled_from(KEYS + ["", "nope", " n_episodes"]),
    # small values only: a large valid count is a long run, not a bad input
    value=st.sampled_from(["", "0", "-1", "1e309", "nan", "[", "[]", "true", "0x10", "2"])
    | st.text(alphabet="0123456789.-[],x", max_size=2),
)
def test_run_generated_set(key, value):
    judge_cli(
        "cli run",
        with_option(RUN, "--set", f"{key}={value}"),
        names=[],
        bad=None,
        ok_codes=(0, 1),
    )


@settings(SUITE, max_examples=20)
@given(seeds=st.text(alphabet="01-, a", min_size=0, max_size=4))
def test_run_generated_seeds(seeds):
    judge_cli(
        "cli run",
        with_option(RUN, "--seeds", seeds),
        names=["seeds"],
        given=seeds or None,
        bad=None,
        ok_codes=(0, 1),
    )


# -- sweep -----------------------------------------------------------------------------
SWEEP_CASES = [
    (["--param", "learning_rate=0.01:0.5", "--metric", "ratio"], ["ratio"]),
    (["--param", "foo=1:2"], ["foo"]),
    (["--param", "learning_rate"], ["learning_rate"]),
    (["--param", "learning_rate=0.5:0.1"], ["learning_rate"]),
    (["--param", "learning_rate=a:b"], ["learning_rate"]),
    (["--param", "learning_rate=0:1:log"], ["learning_rate"]),
    (["--param", "learning_rate=0.1:0.2:cubic"], ["learning_rate"]),
    (["--param", "learning_rate=nan:1"], ["learning_rate"]),
    (["--param", "n_episodes=1.5:3"], ["n_episodes"]),
    (["--param", "fire_states=0:1"], ["fire_states"]),
    (["--param", "learning_rate=0.1:0.2", "--samples", "0"], ["samples"]),
    (["--param", "learning_rate=0.1:0.2", "--samples", "-1"], ["samples"]),
    (["--param", "learning_rate=0.1:0.2", "--samples", "abc"], ["--samples"]),
    (["--param", "learning_rate=0.1:0.2", "--mode", "up"], ["--mode"]),
    (["--param", "learning_rate=0.1:0.2", "--scheduler", "hyperband"], ["--scheduler"]),
    (["--param", "learning_rate=0.1:0.2", "--seeds", "abc"], ["seeds"]),
    (["--param", "learning_rate=0.1:0.2", "--set", "foo=1"], ["foo"]),
    (["--param", "learning_rate=0.1:0.2", "--set", "learning_rate"], ["learning_rate"]),
]


@pytest.mark.parametrize("extra,names", SWEEP_CASES, ids=lambda v: repr(v)[:40])
def test_sweep_bad_option(extra, names):
    judge_cli("cli sweep", [*SWEEP, *extra], names=names)


def test_sweep_unknown_experiment():
    judge_cli("cli sweep", ["sweep", "nope", "--param", "a=1:2", "--metric", "m"], names=["nope"])


def test_sweep_one_trial_is_correct(tmp_path):
    # long enough for both rates to be non-zero, so the ratio is finite
    sets = ["n_episodes=2", "len_episode=10", "processing_time=20"]
    argv = ["sweep", "seed.classical", "--quick", "--backend", "process", "--samples", "1"]
    argv += ["--metric", "rate_ratio", "--param", "learning_rate=0.01:0.5:log"]
    argv += [a for s in sets for a in ("--set", s)] + ["--out", str(tmp_path / "sw")]
    judge_cli("cli sweep", argv, bad=False, ok_codes=(0,), timeout=60)


@settings(SUITE, max_examples=15)
@given(
    spec=st.sampled_from(["learning_rate=", "firing_threshold=", "n_episodes=", "nope="]).flatmap(
        lambda k: st.text(alphabet="0123456789.:-logx", max_size=8).map(lambda v: k + v)
    )
)
def test_sweep_generated_param(spec):
    judge_cli("cli sweep", [*SWEEP, f"--param={spec}"], names=[], bad=None, timeout=60)


# -- replicate -------------------------------------------------------------------------
REPLICATE_CASES = [
    (["--seeds", "0"], ["seeds"], "0"),
    (["--seeds", "-2"], ["seeds"], "-2"),
    (["--seeds", "abc"], ["--seeds"], "abc"),
    (["--first-seed", "-1"], ["seed"], "-1"),
    (["--seed-list", "abc"], ["seed"], "abc"),
    (["--seed-list", "3-1"], ["seed"], "3-1"),
    (["--only", "nothing"], ["--only"], "nothing"),
    (["--set", "foo=1"], ["foo"], None),
    (["--set", "foo"], ["foo"], None),
    (["--backend", "gpu"], ["--backend"], "gpu"),
    (["--workers", "0"], ["workers"], None),
]


@pytest.mark.parametrize("extra,names,given_value", REPLICATE_CASES, ids=lambda v: repr(v)[:40])
def test_replicate_bad_option(extra, names, given_value, tmp_path):
    argv = ["replicate", "izhikevich2007", "--quick", "--backend", "serial"]
    argv += ["--out", str(tmp_path / "rep"), *extra]
    judge_cli("cli replicate", argv, names=names, given=given_value, timeout=60)


def test_replicate_unknown_paper():
    judge_cli("cli replicate", ["replicate", "smith1999"], names=["smith1999"])


# -- bench -----------------------------------------------------------------------------
BENCH_CASES = [
    ("--seconds", "1e12"),
    ("--seconds", "nan"),
    ("--seconds", "inf"),
    ("--seconds", "-1"),
    ("--seconds", "0"),
    ("--seconds", "abc"),
    ("--neurons", "0"),
    ("--neurons", "-5"),
    ("--neurons", "100000000"),
    ("--neurons", "10000000000000"),
    ("--neurons", "abc"),
    ("--repeats", "0"),
    ("--repeats", "-3"),
    ("--repeats", "1000000000"),
    ("--seed", "-1"),
    ("--seed", "x"),
    ("--mode", "fast"),
]


@pytest.mark.parametrize("option,value", BENCH_CASES, ids=lambda v: repr(v)[:30])
def test_bench_bad_option(option, value):
    judge_cli("cli bench", with_option(BENCH, option, value), names=[], given=value)


def test_bench_unknown_preset():
    judge_cli("cli bench", ["bench", "nope"], names=["nope"])


def test_bench_tiny_is_correct():
    judge_cli("cli bench", [*BENCH, "--json"], bad=False, timeout=60)


@settings(SUITE, max_examples=15)
@given(seconds=st.text(alphabet="0123456789.e-+naif", min_size=1, max_size=6))
def test_bench_generated_seconds(seconds):
    judge_cli(
        "cli bench",
        [*BENCH[:2], "--neurons", "20", f"--seconds={seconds}"],
        names=[],
        given=seconds,
        bad=None,
        timeout=30,
    )
