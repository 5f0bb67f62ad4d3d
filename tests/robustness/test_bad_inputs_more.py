"""More bad inputs: cases the other robustness files do not try (engine setters and run
arguments of odd types, the Spikey-style parts, games and the CLI). Each ends in a clear
error naming the part, the value and the expected form, or in correct behaviour."""

from __future__ import annotations

import math
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from harness import judge

from spikey.engine import IzhNetwork
from spikey.models import izhikevich2007 as izh
from spikey.module import ConfigError

SMALL = dict(n_exc=8, n_inh=2, syn_per_neuron=3)


def small_net(**kw):
    return izh.build("izhikevich2007", seed=0, **{**SMALL, **kw})


# ---------------------------------------------------------------- engine: build


@pytest.mark.parametrize("floor", [0.0, 5e-324, 1e-320, 2e-308])
def test_subnormal_trace_floor_is_refused_not_an_endless_trace_table(floor):
    # below the smallest normal double a trace never ended (a few units of the smallest
    # double times 0.95 round back to themselves): the trace table grew until memory ran out
    judge(
        "more: engine build",
        f"trace_floor={floor!r}",
        lambda: small_net(trace_floor=floor),
        names=["trace_floor", "smallest normal"],
        given=floor,
        allow_correct=False,
        timeout=5,
    )


@pytest.mark.parametrize("tau", [2.0, 20.0, 5000.0])
def test_smallest_normal_trace_floor_builds_and_runs(tau):
    net = small_net(trace_floor=sys.float_info.min, tau_stdp=tau)
    net.run(20)
    assert np.isfinite(net.weights()).all()


@pytest.mark.parametrize("preset", [["izhikevich2007"], {"a": 1}, 3.5])
def test_preset_of_the_wrong_type(preset):
    judge(
        "more: engine build",
        f"preset={preset!r}",
        lambda: izh.build(preset, **SMALL),
        names=["preset", "izhikevich2007"],
        given=preset,
        allow_correct=False,
    )


@pytest.mark.parametrize(
    "kw",
    [
        dict(n_exc=np.int64(8)),
        dict(w_every=np.int32(5)),
        dict(a_plus=np.float32(0.1)),
        dict(n_exc=1, n_inh=0, syn_per_neuron=0),
        dict(syn_per_neuron=8, allow_duplicates=False, allow_self=False),
        dict(n_exc=0, n_inh=3, inh_to_exc_only=False),
    ],
    ids=repr,
)
def test_unusual_but_valid_builds_run(kw):
    judge(
        "more: engine build",
        repr(kw),
        lambda: len(small_net(**kw).run(20)),
        allow_error=False,
    )


@pytest.mark.parametrize("key", ["a_plus", "a_minus", "tonic_da", "reward_amount"])
def test_huge_learning_amounts_are_refused(key):
    # a_minus = tonic_da = 1e300 made the weights NaN (c * d overflowed to inf - inf)
    judge(
        "more: engine build",
        f"{key}=1e300",
        lambda: small_net(**{key: 1e300}),
        names=[key, "1e+06"],
        given=1e300,
        allow_correct=False,
    )


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_largest_learning_amounts_keep_weights_finite_and_in_bounds(mode):
    big = dict(a_plus=1e6, a_minus=1e6, tonic_da=1e6, reward_amount=1e6)
    net = izh.build(seed=0, mode=mode, n_exc=40, n_inh=10, syn_per_neuron=10, **big)
    net.run(1000, rewards=np.arange(0, 1000, 50))
    w = net.weights()
    assert np.isfinite(w).all() and w.max() <= 4.0 and w.min() >= -1.0
    assert np.isfinite(net.eligibility()).all()


# ---------------------------------------------------------------- engine: setters, run

NUMBERS_EXPECTED = [
    ("da_release", "x"),
    ("da_release", None),
    ("da_release", [None] * 10),
    ("da_release", np.ones((10, 1))),
]


@pytest.mark.parametrize("attr,value", NUMBERS_EXPECTED, ids=repr)
def test_da_release_not_numbers(attr, value):
    net = small_net()
    judge(
        "more: engine setters",
        f"{attr}={value!r:.30}",
        lambda: setattr(net, attr, value),
        names=[attr],
        check_given=False,
        allow_correct=False,
    )
    assert np.all(net.da_release == 0)


def test_da_release_none_is_not_reported_as_nan():
    with pytest.raises(ConfigError, match="got None"):
        small_net().da_release = None


@pytest.mark.parametrize(
    "kwargs,names",
    [
        (dict(stimuli=([1], [0], "a")), ["stimuli amount", "'a'"]),
        (dict(stimuli=([1], [0], [None])), ["stimuli amount", "None"]),
        (dict(stimuli=(np.array([1e20]), [0], [1.0])), ["stimuli t", "float64", "integer"]),
        (dict(stimuli=((t for t in [1]), [0], [1.0])), ["stimuli t", "integer"]),
        (dict(rewards=([1], None)), ["rewards amount", "None"]),
        (dict(rewards=([1], ["a"])), ["rewards amount", "'a'"]),
        (dict(rewards=([[1]], [1.0])), ["rewards t", "1-d"]),
        (dict(rewards=[True]), ["rewards t", "bool"]),
        (dict(rewards={1: 0.5}), ["rewards t"]),
        (dict(progress="yes"), ["progress", "'yes'", "update"]),
        (dict(progress=1), ["progress", "update"]),
        (dict(progress=object()), ["progress", "update"]),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_run_arguments_of_odd_types(kwargs, names):
    net = small_net()
    judge(
        "more: engine run",
        repr(kwargs)[:60],
        lambda: net.run(10, **kwargs),
        names=names,
        check_given=False,
        allow_correct=False,
    )
    assert net.t == 0


def test_huge_float_time_is_reported_as_given_not_wrapped():
    with pytest.raises(ConfigError) as err:
        small_net().run(10, stimuli=(np.array([1e20]), [0], [1.0]))
    assert "-9223372036854775808" not in str(err.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(stimuli=([5, 1, 3], [0, 1, 2], [10.0, 10.0, 10.0])),  # unsorted times
        dict(stimuli=(1, 0, 1.0)),  # scalars
        dict(stimuli=(np.array([1], dtype=np.uint64), [0], [1.0])),
        dict(rewards=[5, 1, 3]),
        dict(rewards=(1, 2)),  # two times, not (t, amount)
        dict(rewards=np.int64(5)),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_run_arguments_that_are_fine(kwargs):
    judge(
        "more: engine run",
        repr(kwargs)[:60],
        lambda: small_net().run(10, **kwargs),
        allow_error=False,
    )


def test_unsorted_stimuli_equal_sorted_ones():
    a = small_net().run(30, stimuli=([20, 3, 11], [0, 1, 2], [30.0, 30.0, 30.0]))
    b = small_net().run(30, stimuli=([3, 11, 20], [1, 2, 0], [30.0, 30.0, 30.0]))
    assert np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i) and len(a) >= 3


class Bar:
    def __init__(self):
        self.ms = 0

    def update(self, ms):
        self.ms += ms


def test_a_progress_object_with_update_is_fine():
    bar = Bar()
    small_net().run(25, progress=bar)
    assert bar.ms == 25


@pytest.mark.parametrize(
    "idx,values,names",
    [
        ([0, 1], [1.0, 2.0, 3.0], ["set_weights values", "shape (3,)", "(2,)"]),
        ([0], np.array([[1.0]]), ["set_weights values", "shape (1, 1)"]),
        ([0], ["a"], ["set_weights values", "'a'"]),
        ([0], None, ["set_weights values", "None"]),
        (slice(0, 2), 1.0, ["set_weights idx"]),
        (np.array([True, False]), 1.0, ["set_weights idx", "bool"]),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_set_weights_bad_shapes_and_types(idx, values, names):
    net = small_net()
    w0 = net.weights()
    judge(
        "more: engine methods",
        f"set_weights({idx!r}, {values!r})"[:60],
        lambda: net.set_weights(idx, values),
        names=names,
        check_given=False,
        allow_correct=False,
    )
    assert np.array_equal(net.weights(), w0)


def test_set_weights_repeated_index_keeps_the_last_value():
    net = small_net()
    net.set_weights([0, 0], [1.5, 2.5])
    assert net.weights()[0] == 2.5


def test_synapse_index_refuses_bools():
    judge(
        "more: engine methods",
        "synapse_index(True, 0)",
        lambda: small_net().synapse_index(True, 0),
        names=["synapse_index pre", "True"],
        check_given=False,
        allow_correct=False,
    )


@pytest.mark.parametrize(
    "kw,names",
    [
        (dict(weight=["a", "b", "c"]), ["weight", "'a'"]),
        (dict(neuron_abcd="RS"), ["neuron parameters", "'RS'", "(3, 4)"]),
        (dict(pre=np.array([0, 1, 1e20])), ["pre", "float64", "integer"]),
        (dict(delay=[True, True, True]), ["delay", "bool"]),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_from_arrays_odd_types(kw, names):
    args = {**dict(pre=[0, 1, 2], post=[1, 2, 0], weight=[1.0, 1.0, -1.0], delay=[1, 1, 1]), **kw}
    judge(
        "more: engine from_arrays",
        repr(kw)[:60],
        lambda: IzhNetwork.from_arrays(**args, n_exc=2, n_inh=1),
        names=names,
        check_given=False,
        allow_correct=False,
    )


def test_from_arrays_read_only_and_strided_arrays_are_fine():
    pre = np.arange(6)[::2] // 2  # strided: 0, 1, 2
    pre.setflags(write=False)
    net = IzhNetwork.from_arrays(pre, [1, 2, 0], [1.0, 1.0, -1.0], [1, 1, 1], n_exc=2, n_inh=1)
    assert np.array_equal(net.weights(), [1.0, 1.0, -1.0])


# ---------------------------------------------------------------- engine: checkpoints


def checkpoint():
    net = small_net()
    net.run(20)
    return net.checkpoint()


@pytest.mark.parametrize(
    "key,value,names",
    [
        ("params", {"n_exc": "8"}, ["n_exc", "'8'", "checkpoint"]),
        ("params", {"a_plus": math.nan}, ["a_plus", "nan", "checkpoint"]),
        ("params", {"bogus": 1}, ["bogus", "checkpoint"]),
        ("params", None, ["checkpoint params", "NoneType"]),
        ("t", 2**70, ["checkpoint t", str(2**70)]),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_restore_checkpoint_with_bad_params_or_time(key, value, names):
    ck = checkpoint()
    if key == "params" and value is not None:
        value = dict(ck["params"], **value)
    bad = dict(ck, **{key: value})
    judge(
        "more: engine checkpoints",
        f"{key}={value!r:.40}",
        lambda: izh.restore(bad).run(10),
        names=names,
        check_given=False,
        allow_correct=False,
    )


def test_checkpoint_file_with_a_damaged_header(tmp_path):
    net = small_net()
    path = net.save_checkpoint(tmp_path / "ck")
    damaged = tmp_path / "damaged.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, b"{not an npy" if name == "header.npy" else src.read(name))
    judge(
        "more: engine checkpoints",
        "file: damaged header",
        lambda: izh.restore(str(damaged)),
        names=["damaged.npz", "header"],
        check_given=False,
        allow_correct=False,
    )


@pytest.mark.parametrize("path", [None, b"ck.npz", 5])
def test_save_checkpoint_to_a_path_that_is_not_one(path):
    judge(
        "more: engine checkpoints",
        f"save_checkpoint({path!r})",
        lambda: small_net().save_checkpoint(path),
        names=["save_checkpoint path"],
        given=path,
        allow_correct=False,
    )


# ---------------------------------------------------------------- Spikey-style networks

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_parts import Classic, Other  # noqa: E402  (the other suite's template networks)


@pytest.mark.parametrize(
    "reward", [math.nan, math.inf, "a", [1.0], np.array([1.0, 2.0]), object()], ids=repr
)
@pytest.mark.parametrize("net_class", [Classic, Other])
def test_reward_that_is_not_one_finite_number(net_class, reward):
    net = net_class(fast_path=False)  # the NumPy path: no kernel to compile
    net.reset()
    net.tick(0)
    w0 = np.array(net.weights.matrix, dtype=float)

    def give():
        if net_class is Other:
            return net.continuous_reward(0, reward)
        return net.reward(0, 1, 0, reward)

    judge(
        "more: snn rewards",
        f"{net_class.__name__} reward={reward!r:.20}",
        give,
        names=["reward", "finite number"],
        check_given=False,
        allow_correct=False,
    )
    # the refused reward left the weights as they were, and the network still runs
    assert np.array_equal(np.asarray(net.weights.matrix, dtype=float), w0)
    net.tick(0)
    assert np.isfinite(np.asarray(net.weights.matrix, dtype=float)).all()


def test_a_rewarder_verdict_of_nan_is_named():
    class NaNRewarder(Classic):
        pass

    net = NaNRewarder(fast_path=False, expected_value=lambda state: math.nan if state == 0 else 1)
    net.reset()
    net.tick(0)
    net.rewarder = lambda state, action, state_next: math.nan
    with pytest.raises(ConfigError, match="the rewarder"):
        net.reward(0, 1, 0)


@pytest.mark.parametrize("reward", [np.array(1.0), np.float32(0.5), True, -2])
def test_rewards_of_numeric_types_are_fine(reward):
    net = Classic(fast_path=False)
    net.reset()
    net.tick(0)
    assert net.reward(0, 1, 0, reward) is reward
    net.tick(0)
    assert np.isfinite(np.asarray(net.weights.matrix, dtype=float)).all()


def test_game_class_instead_of_instance():
    from spikey.games import Logic

    judge(
        "more: snn networks",
        "game=Logic",
        lambda: Classic(game=Logic),
        names=["game", "Logic()"],
        check_given=False,
        allow_correct=False,
    )


def test_string_state_is_not_read_as_a_row():
    net = Classic(fast_path=False)
    net.reset()
    judge(
        "more: snn networks",
        "tick('1')",
        lambda: net.tick("1"),
        names=["state", "'1'", "state_rate_map"],
        check_given=False,
        allow_correct=False,
    )


def gaussian(**kw):
    from spikey.snn import input

    keys = dict(n_fields=5, field_ranges=[[-1, 1], [0, 4]], n_bias_inputs=1, seed=0)
    return input.GaussianFields(**{**keys, **kw})


@pytest.mark.parametrize("obs", [["a", "b"], "ab", {"a": 1}], ids=repr)
def test_gaussian_fields_observation_that_is_not_numbers(obs):
    enc = gaussian()
    judge(
        "more: snn inputs",
        f"GaussianFields.activity({obs!r})",
        lambda: enc.activity(obs),
        names=["observation", "2 numbers"],
        given=obs,
        allow_correct=False,
    )


@pytest.mark.parametrize("ranges", [5, [[-1e308, 1e308]]], ids=repr)
def test_gaussian_fields_ranges(ranges):
    judge(
        "more: snn inputs",
        f"GaussianFields(field_ranges={ranges!r})",
        lambda: gaussian(field_ranges=ranges).activity([0.5] * np.size(ranges, 0)),
        names=["field_ranges"],
        given=ranges,
        allow_correct=False,
    )


# ---------------------------------------------------------------- games


def test_game_preset_of_the_wrong_type():
    from spikey.games import Logic

    judge(
        "more: games",
        "Logic(preset=['OR'])",
        lambda: Logic(preset=["OR"]),
        names=["preset", "XOR"],
        given=["OR"],
        allow_correct=False,
    )


def test_rand_state_n_states_bool():
    from spikey.games.logic import RandState

    judge(
        "more: games",
        "RandState(n_states=True)",
        lambda: RandState(n_states=True, expected_value=lambda s: 0),
        names=["n_states", "True"],
        check_given=False,
        allow_correct=False,
    )


# ---------------------------------------------------------------- print_rates

LOGS = dict(step_inrates=[[1.0, 2.0]], step_outrates=[[0.5, 0.25]], step_states=[[0, 1]])


@pytest.mark.parametrize(
    "kw,names",
    [
        (dict(), ["step_inrates", "none"]),
        (dict(LOGS, observation_space=None), ["observation_space", "none"]),
        (dict(LOGS, observation_space=5), ["observation_space", "5"]),
        (dict(LOGS, observation_space=[0, 1], precision=-1), ["precision", "-1"]),
        (dict(LOGS, observation_space=[0, 1], precision="2"), ["precision", "'2'"]),
        (dict(LOGS, observation_space=[0, 1], episode=5), ["episode", "5", "hold 1"]),
        (dict(LOGS, observation_space=[0, 1], episode=[0, 7]), ["episode", "7"]),
        (dict(LOGS, observation_space=[0, 1], episode=1.0), ["episode", "1.0"]),
        (dict(LOGS, observation_space=[0, 1], episode="a"), ["episode", "'a'"]),
        (dict(LOGS, step_outrates=[[0.5]], observation_space=[0, 1]), ["step_outrates", "1 steps"]),
        (
            dict(LOGS, step_inrates=[["a", 2]], observation_space=[0, 1]),
            ["step_inrates", "numbers"],
        ),
        (
            dict(step_inrates=[], step_outrates=[], step_states=[], observation_space=[0]),
            ["episode", "empty logs"],
        ),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_print_rates_bad_arguments(kw, names, capsys):
    from spikey.viz.rates import print_rates

    judge(
        "more: print_rates",
        repr(kw)[:80],
        lambda: print_rates(**kw),
        names=["print_rates", *names],
        check_given=False,
        allow_correct=False,
    )
    assert capsys.readouterr().out == ""


def test_print_rates_good_arguments(capsys):
    from spikey.viz.rates import print_rates

    print_rates(**LOGS, observation_space=[0, 1, 2], precision=1)
    assert capsys.readouterr().out.splitlines() == [
        "0: 1.0 -> 0.5",
        "1: 2.0 -> 0.2",
        "2: nan -> nan",
    ]


# ---------------------------------------------------------------- runner seeds


@pytest.mark.parametrize("text,seed", [("0,0,1", 0), ("0-3,2", 2), ([4, 4], 4)])
def test_a_seed_given_twice(text, seed):
    from spikey.runner.core import parse_seeds

    judge(
        "more: runner seeds",
        repr(text),
        lambda: parse_seeds(text),
        names=["seeds", f"seed {seed} is given twice"],
        check_given=False,
        allow_correct=False,
    )


def test_cli_run_refuses_a_seed_given_twice():
    from harness import judge_cli

    argv = ["run", "seed.classical", "--quick", "--backend", "serial", "--no-save"]
    judge_cli("more: cli run", [*argv, "--seeds", "0,0"], names=["seeds", "given twice"])


@pytest.mark.parametrize(
    "out,shown",
    [
        (np.ones(8), "8 values"),
        (np.ones(10), "10 values"),
        (None, "None"),
        ("x", "'x'"),
        (np.full(9, math.nan), "NaN"),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_a_user_input_part_of_the_wrong_size(out, shown):
    from spikey.snn import input as inputs

    class Odd(inputs.RateMap):
        def __call__(self):
            super().__call__()
            return out

    net = Classic(inputs=Odd)
    net.reset()
    judge(
        "more: snn networks",
        f"user input returns {out!r:.20}",
        lambda: net.tick(0),
        names=["part 'inputs'", "Odd", shown, "9 finite spike values"],
        check_given=False,
        allow_correct=False,
    )


def test_a_part_of_another_kind_as_neurons():
    from spikey.snn import input as inputs

    judge(
        "more: snn networks",
        "neurons=RateMap",
        lambda: (lambda n: (n.reset(), n.tick(0)))(Classic(neurons=inputs.RateMap)),
        names=["part 'neurons'", "RateMap", "n_neurons=10"],
        check_given=False,
        allow_correct=False,
    )


def test_a_user_input_part_returning_a_column_is_fine():
    from spikey.snn import input as inputs

    class Column(inputs.RateMap):
        def __call__(self):
            return np.asarray(super().__call__()).reshape(-1, 1)

    plain = type("Plain", (inputs.RateMap,), {})
    net, ref = Classic(inputs=Column), Classic(inputs=plain, fast_path=False)
    net.reset()
    ref.reset()
    assert net.tick(1) == ref.tick(1)
    assert np.array_equal(net.spike_log, ref.spike_log)


# ---------------------------------------------------------------- engine: the constructor


def ctor_case(case):
    from spikey.engine.network import default_abcd

    net = small_net()
    p, syn, abcd = dict(net.params), net.syn, default_abcd(net.params)
    big = izh.build(seed=0, n_exc=40, n_inh=10, syn_per_neuron=10).syn
    return {
        "syn of a bigger network": (p, big, abcd),
        "syn None": (p, None, abcd),
        "params a_plus=nan": (dict(p, a_plus=math.nan), syn, abcd),
        "params missing keys": ({"n_exc": 8, "n_inh": 2}, syn, abcd),
        "params max_delay 2, syn 1": (dict(p, max_delay=2), syn, abcd),
    }[case]


@pytest.mark.parametrize(
    "case,names",
    [
        ("syn of a bigger network", ["synapses", "n=10"]),
        ("syn None", ["synapses", "NoneType"]),
        ("params a_plus=nan", ["a_plus", "nan", "IzhNetwork"]),
        ("params missing keys", ["params", "every key"]),
        ("params max_delay 2, syn 1", ["synapses", "max_delay=2"]),
    ],
)
def test_constructor_with_parts_that_do_not_fit(case, names):
    # the kernels index the synapse table without bounds checks
    args = ctor_case(case)
    judge(
        "more: engine constructor",
        case,
        lambda: IzhNetwork(*args, 0).run(20),
        names=names,
        check_given=False,
        allow_correct=False,
    )


# ---------------------------------------------------------------- experiment parameters


def test_nan_for_a_float_parameter_with_a_finite_default():
    # izh2007.fig1-synapse ran with reward_amount=nan and reported NaN metrics
    from spikey.experiments.registry import coerce

    judge(
        "more: experiment parameters",
        "reward_amount=nan",
        lambda: coerce("izh2007.fig1-synapse", "reward_amount", "nan", 0.5),
        names=["reward_amount", "'nan'", "not nan"],
        check_given=False,
        allow_correct=False,
    )


def test_nan_stays_allowed_where_it_is_the_default():
    from spikey.experiments.registry import coerce

    assert math.isnan(coerce("rl.gym", "stop_return", "nan", math.nan))
    assert coerce("rl.gym", "stop_return", "200", math.nan) == 200.0
    assert coerce("x", "threshold", "inf", 1.5) == math.inf


def test_cli_run_refuses_nan_for_a_finite_parameter():
    from harness import judge_cli

    argv = ["run", "izh2007.fig1-synapse", "--quick", "--backend", "serial", "--no-save"]
    judge_cli("more: cli run", [*argv, "--set", "reward_amount=nan"], names=["reward_amount"])


# ---------------------------------------------------------------- gymnasium adapters


def test_from_gymnasium_with_a_spikey_game():
    from spikey.games import Logic
    from spikey.games.gym_adapters import from_gymnasium

    for env in (Logic, Logic()):
        judge(
            "more: gymnasium adapters",
            f"from_gymnasium({env!r:.30})",
            lambda env=env: from_gymnasium(env),
            names=["env", "spikey game"],
            check_given=False,
            allow_correct=False,
        )


def test_from_gymnasium_with_a_keyword_the_env_lacks():
    from spikey.games.gym_adapters import from_gymnasium

    judge(
        "more: gymnasium adapters",
        "from_gymnasium('CartPole-v1', bogus=1)",
        lambda: from_gymnasium("CartPole-v1", bogus=1),
        names=["env_kwargs", "bogus"],
        check_given=False,
        allow_correct=False,
    )


@pytest.mark.parametrize("seed", [-1, "a", 1.5, True])
def test_to_gymnasium_reset_with_a_bad_seed(seed):
    from spikey.games import Logic
    from spikey.games.gym_adapters import to_gymnasium

    env = to_gymnasium(Logic())
    judge(
        "more: gymnasium adapters",
        f"reset(seed={seed!r})",
        lambda: env.reset(seed=seed),
        names=["reset", "seed"],
        given=seed,
        allow_correct=False,
    )


def test_to_gymnasium_reset_with_a_numpy_seed_is_the_int_seed():
    from spikey.games import Logic
    from spikey.games.gym_adapters import to_gymnasium

    a, b = to_gymnasium(Logic()), to_gymnasium(Logic())
    assert a.reset(seed=np.int64(3)) == b.reset(seed=3)
    assert [a.step(1)[0] for _ in range(5)] == [b.step(1)[0] for _ in range(5)]


@pytest.mark.parametrize(
    "kwargs,names",
    [
        (dict(stimuli=[(1, 0, 30.0), (2, 1, 30.0), (3, 2, 30.0)]), ["run stimuli", "3 tuples"]),
        (dict(rewards=[(1, 1.0), (5, 2.0)]), ["run rewards", "2 tuples"]),
    ],
    ids=["stimuli", "rewards"],
)
def test_a_list_of_event_tuples_is_not_read_column_wise(kwargs, names):
    # three stimulus events were read as t = (1, 0, 30), neuron = (2, 1, 30), ...; two
    # reward events as t = (1, 1), amount = (5, 2): silently another input
    net = small_net()
    judge(
        "more: engine run",
        repr(kwargs)[:60],
        lambda: net.run(10, **kwargs),
        names=[*names, "zip(*events)"],
        check_given=False,
        allow_correct=False,
    )


def test_a_list_of_arrays_is_still_the_column_form():
    a = small_net().run(30, stimuli=[[3, 11], [1, 2], [30.0, 30.0]], rewards=[5, 9])
    b = small_net().run(30, stimuli=([3, 11], [1, 2], [30.0, 30.0]), rewards=([5, 9], 0.5))
    assert np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)


def test_events_in_a_zero_ms_run_say_so():
    # the message said "expected times in 0..-1"
    with pytest.raises(ConfigError, match=r"no times \(a 0 ms run\)"):
        small_net().run(0, stimuli=([0], [0], [1.0]))
    assert len(small_net().run(0)) == 0


@pytest.mark.parametrize("part", [5, "Neuron", None], ids=repr)
def test_list_keys_with_something_that_is_not_a_part(part, capsys):
    # it printed the network's keys alone, as if the part had none
    judge(
        "more: snn networks",
        f"list_keys(neurons={part!r})",
        lambda: Classic.list_keys(neurons=part),
        names=["list_keys", "part 'neurons'", repr(part)],
        check_given=False,
        allow_correct=False,
    )
    assert capsys.readouterr().out == ""
