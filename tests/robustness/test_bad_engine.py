"""Doors: the Izhikevich engine (presets, ``build``, ``from_arrays``, ``run`` and its
stimuli and rewards, weights, recording) and its checkpoints (truncated, another version,
another network's state)."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
from harness import SUITE, judge
from hypothesis import given, settings
from hypothesis import strategies as st

from spikey.engine import DEFAULTS, IzhNetwork
from spikey.models import izhikevich2007 as izh

SMALL = dict(n_exc=8, n_inh=2, syn_per_neuron=3)

BAD = st.one_of(
    st.sampled_from(
        [None, "abc", "", [], {}, True, False, -1, 0, -0.5, math.nan, math.inf, -math.inf]
        + [10**12, 1e300, (1, 2), object, "RS", 65, 10**6]
    ),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
)
FAST = settings(SUITE, max_examples=5)


def finite_run(net, ms=30):
    net.run(ms, rewards=([5], [0.5]))
    assert np.all(np.isfinite(net.v)) and np.all(np.isfinite(net.weights())), "NaN state"
    return net


@pytest.mark.parametrize("key", sorted(DEFAULTS))
@FAST
@given(value=BAD)
def test_build_one_bad_parameter(key, value):
    overrides = dict(SMALL, **{key: value})
    judge(
        "engine build",
        f"{key}={value!r:.40}",
        lambda: finite_run(izh.build("izhikevich2007", seed=0, **overrides)),
        names=[],
        check_given=False,
        inputs=overrides,
    )


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("preset", dict(preset="nope")),
        ("preset", dict(preset=None)),
        ("preset", dict(preset=3)),
        ("seed", dict(seed=-1)),
        ("seed", dict(seed="abc")),
        ("seed", dict(seed=1.5)),
        ("seed", dict(seed=None)),
        ("mode", dict(mode="fast")),
        ("mode", dict(mode=None)),
        ("engine", dict(engine="cuda")),
        ("engine", dict(engine=None, mode="exact", n_exc=3)),
        ("unknown", dict(unknown=1)),
        ("n_exc", dict(n_exc=10**12)),
        ("syn_per_neuron", dict(syn_per_neuron=10**12)),
        ("n_exc", dict(n_exc=10**8, syn_per_neuron=100)),
        ("max_delay", dict(max_delay=10**9)),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_build_arguments(name, kwargs):
    args = dict(dict(preset="izhikevich2007", seed=0, **SMALL), **kwargs)
    given_value = next(iter(kwargs.values()))
    sizes = ("n_exc", "syn_per_neuron")  # named together: "n_exc + n_inh got 10 neurons x ..."
    judge(
        "engine build",
        f"build {kwargs!r}",
        lambda: finite_run(izh.build(**args)),
        names=["n_exc"] if name in sizes else [name],
        given=given_value,
        check_given=name not in sizes,
        inputs=args,
    )


def small_net(mode="stepped"):
    return izh.build("izhikevich2007", seed=0, mode=mode, **SMALL)


RUN_CASES = [
    ("duration_ms", dict(duration_ms=-1)),
    ("duration_ms", dict(duration_ms=1.5)),
    ("duration_ms", dict(duration_ms="10")),
    ("duration_ms", dict(duration_ms=None)),
    ("duration_ms", dict(duration_ms=math.nan)),
    ("stimuli", dict(duration_ms=10, stimuli="zap")),
    ("stimuli", dict(duration_ms=10, stimuli=([1], [0]))),
    ("stimuli", dict(duration_ms=10, stimuli=([1], [0], [math.nan]))),
    ("stimuli", dict(duration_ms=10, stimuli=([10], [0], [1.0]))),
    ("stimuli", dict(duration_ms=10, stimuli=([1], [99], [1.0]))),
    ("stimuli", dict(duration_ms=10, stimuli=([1.5], [0], [1.0]))),
    ("stimuli", dict(duration_ms=10, stimuli=([1, 2], [0], [1.0]))),
    ("stimuli", dict(duration_ms=10, stimuli=(["a"], [0], [1.0]))),
    ("rewards", dict(duration_ms=10, rewards=([1], [-1.0]))),
    ("rewards", dict(duration_ms=10, rewards=([1], [math.inf]))),
    ("rewards", dict(duration_ms=10, rewards=[20])),
    ("rewards", dict(duration_ms=10, rewards="now")),
    ("rewards", dict(duration_ms=10, rewards=([1, 2], [1.0, 2.0, 3.0]))),
]


@pytest.mark.parametrize("mode", ["stepped", "exact"])
@pytest.mark.parametrize("name,kwargs", RUN_CASES, ids=lambda v: repr(v)[:40])
def test_run_arguments(mode, name, kwargs):
    net = small_net(mode)
    judge(
        "engine run",
        f"{mode} run {kwargs!r}",
        lambda: net.run(**kwargs),
        names=["run"],
        check_given=False,
        inputs=kwargs,
    )
    assert np.all(np.isfinite(net.v))


@pytest.mark.parametrize(
    "method,args",
    [
        ("set_weights", ([0], [math.nan])),
        ("set_weights", ([0], [100.0])),
        ("set_weights", ([10**9], [1.0])),
        ("set_weights", (["a"], [1.0])),
        ("set_weights", ([[0, 1]], [1.0])),
        ("synapse_index", (-1, 0)),
        ("synapse_index", (0, 10**6)),
        ("synapse_index", ("0", 1)),
        ("record", ([10**9],)),
        ("record", ([0], True, 0)),
        ("record", ([0], True, "10")),
        ("checkpoint", ()),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_network_methods(method, args):
    net = small_net()
    judge(
        "engine methods",
        f"{method}{args!r}",
        lambda: getattr(net, method)(*args),
        names=[method],
        check_given=False,
        inputs=list(args),
        allow_correct=method == "checkpoint",
    )


FROM_ARRAYS = [
    ("pre", dict(pre=[0, 99])),
    ("pre", dict(pre=[0, -1])),
    ("pre", dict(pre=["a", "b"])),
    ("post", dict(post=[1])),
    ("weight", dict(weight=[1.0, math.nan])),
    ("delay", dict(delay=[0, 1])),
    ("delay", dict(delay=[1, 1000])),
    ("delay", dict(delay=[1.5, 1])),
    ("n_exc", dict(n_exc=-2)),
    ("n_exc", dict(n_exc="2")),
    ("plastic", dict(plastic=[True])),
    ("neuron_abcd", dict(neuron_abcd=np.zeros((3, 3)))),
    ("neuron_abcd", dict(neuron_abcd=np.full((3, 4), math.nan))),
]


@pytest.mark.parametrize("name,kwargs", FROM_ARRAYS, ids=lambda v: repr(v)[:30])
def test_from_arrays(name, kwargs):
    args = dict(pre=[0, 1], post=[1, 2], weight=[1.0, 2.0], delay=[1, 2], n_exc=2, n_inh=1)
    args.update(kwargs)
    judge(
        "engine from_arrays",
        f"from_arrays {kwargs!r}",
        lambda: finite_run(IzhNetwork.from_arrays(**args), 10),
        names=[],
        check_given=False,
        inputs=args,
    )


# -- checkpoints ---------------------------------------------------------------------
def checkpoint_cases():
    net = small_net()
    net.run(20)
    ck = net.checkpoint()
    other = izh.build("izhikevich2007", seed=1, n_exc=12, n_inh=3, syn_per_neuron=4)
    other_ck = other.checkpoint()
    cases = {"not a dict": [1, 2, 3], "empty dict": {}, "other version": dict(ck, version=1)}
    for key in sorted(ck):
        cases[f"without {key}"] = {k: v for k, v in ck.items() if k != key}
    for key in ("state", "syn", "abcd", "params", "da_release"):
        cases[f"{key} of another network"] = dict(ck, **{key: copy.deepcopy(other_ck[key])})
    cases["truncated v"] = dict(ck, state=dict(ck["state"], v=ck["state"]["v"][:3]))
    cases["NaN in v"] = dict(ck, state=dict(ck["state"], v=ck["state"]["v"] * math.nan))
    cases["mode unknown"] = dict(ck, mode="fast")
    cases["rng of the old layout"] = dict(ck, noise_state=np.random.SFC64(0).state)
    cases["noise_state truncated"] = dict(ck, noise_state=ck["noise_state"][:, :3])
    cases["noise_state all zero"] = dict(ck, noise_state=np.zeros_like(ck["noise_state"]))
    return cases


CHECKPOINTS = checkpoint_cases()


@pytest.mark.parametrize("case", sorted(CHECKPOINTS))
def test_restore_bad_checkpoint(case):
    ck = CHECKPOINTS[case]

    def restore_and_run():
        net = izh.restore(ck)
        return finite_run(net, 20)

    judge(
        "engine checkpoints",
        case,
        restore_and_run,
        names=[],
        check_given=False,
        inputs=ck,
        allow_correct=case == "without engine",  # the default engine, numba
    )


def test_checkpoint_round_trip_is_correct_behaviour():
    net = small_net("exact")
    net.run(30)
    ck = net.checkpoint()
    twin = izh.restore(ck)
    a, b = net.run(50), twin.run(50)
    assert np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
    judge("engine checkpoints", "round trip", lambda: izh.restore(ck).run(10), inputs=ck)


# -- checkpoint files --------------------------------------------------------------------
def _file_cases(tmp_path):
    net = small_net()
    net.run(10)
    path = net.save_checkpoint(tmp_path / "ck")
    data = Path(path).read_bytes()
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    return {
        "truncated file": lambda: Path(path).write_bytes(data[: len(data) // 2]) or path,
        "empty file": lambda: Path(path).write_bytes(b"") or path,
        "missing file": lambda: str(tmp_path / "nope.npz"),
        "another npz": lambda: str(other),
        "a folder": lambda: str(tmp_path),
    }


FILE_CASES = ["truncated file", "empty file", "missing file", "another npz", "a folder"]


@pytest.mark.parametrize("case", FILE_CASES)
def test_restore_bad_checkpoint_file(case, tmp_path):
    target = _file_cases(tmp_path)[case]()
    judge(
        "engine checkpoints",
        f"file: {case}",
        lambda: izh.restore(target),
        names=[],
        check_given=False,
        allow_correct=False,
        expected_form=False,  # a missing file's OSError names the path, not a form
    )


@pytest.mark.parametrize("case", ["truncated", "empty", "not a pickle", "a pickled int"])
def test_module_load_bad_file(case, tmp_path):
    from spikey.saving import load, save
    from spikey.snn import neuron

    path = tmp_path / "part.pkl"
    part = neuron.Neuron(
        n_neurons=3, magnitude=1.0, firing_threshold=1.0, potential_decay=0.1, refractory_period=0
    )
    save(part, path)
    data = path.read_bytes()
    path.write_bytes(
        {
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "not a pickle": b"hello",
            "a pickled int": b"\x80\x04K\x03.",
        }[case]
    )
    judge(
        "module save/load",
        case,
        lambda: load(path),
        names=[str(path)],
        check_given=False,
        allow_correct=False,
    )
