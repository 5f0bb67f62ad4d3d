"""Door: every snn part (input, neuron, synapse, weight, readout, reward, modifier) and the
networks, given one bad key at a time through a network template or the part's constructor.

A network passes its whole ``keys`` dict to every part, so building a template with one key
replaced reaches the part that declares it. When a value is accepted, the network must run
a few ticks with finite spikes and a valid action.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from harness import SUITE, check_message, judge, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from spikey.snn import (
    ActiveRLNetwork,
    DropOff,
    LinearDecay,
    RLNetwork,
    input,
    neuron,
    readout,
    reward,
    synapse,
    weight,
)

N_IN, N, N_STATES = 9, 10, 3


def rate_map():
    m = np.full((N_STATES, N_STATES), 0.1)
    np.fill_diagonal(m, 0.6)
    return m


def matrix(n_in=N_IN, n=N):
    g = np.random.default_rng(0)
    w = np.vstack(
        (g.uniform(0, 1.5, (n_in, n)), g.uniform(0, 1.0, (n, n)) * (g.random((n, n)) < 0.3))
    )
    np.fill_diagonal(w[n_in:], 0.0)
    return w


def expected(state):
    return int(state == 1)


class Classic(RLNetwork):
    """The seed notebook's parts."""

    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Neuron,
        "synapses": synapse.LTP,
        "weights": weight.Manual,
        "readout": readout.TopAction,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": N_IN,
        "n_neurons": N,
        "n_outputs": 6,
        "n_actions": 2,
        "processing_time": 10,
        "stdp_window": 5,
        "learning_rate": 0.1,
        "max_weight": 2.0,
        "magnitude": 1.0,
        "firing_threshold": 2.0,
        "potential_decay": 0.1,
        "refractory_period": 1,
        "state_rate_map": rate_map(),
        "matrix": matrix(),
        "expected_value": expected,
        "reward_mult": 1.0,
        "punish_mult": 0.5,
        "seed": 0,
    }


class Other(ActiveRLNetwork):
    """The other built-ins: StaticMap, RandPotential, RLSTDP, Random weights, Threshold."""

    parts = {
        "inputs": input.StaticMap,
        "neurons": neuron.RandPotential,
        "synapses": synapse.RLSTDP,
        "weights": weight.Random,
        "readout": readout.Threshold,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": N_IN,
        "n_neurons": N,
        "n_outputs": 4,
        "processing_time": 10,
        "stdp_window": 5,
        "learning_rate": 0.1,
        "max_weight": 2.0,
        "magnitude": 1.0,
        "firing_threshold": 2.0,
        "potential_decay": 0.1,
        "refractory_period": 1,
        "potential_noise_scale": 0.5,
        "state_spike_map": (np.random.default_rng(1).random((N_STATES, N_IN)) < 0.5).astype(float),
        "weight_generator": lambda shape: np.random.default_rng(2).uniform(0, 1, shape),
        "action_threshold": 0.0,
        "expected_value": expected,
        "reward_mult": 1.0,
        "punish_mult": 0.5,
        "continuous_rwd_action": lambda network, state: int(state == 1),
        "seed": 0,
    }


class Rates(RLNetwork):
    """Readouts that return rates and vectors."""

    parts = dict(Classic.parts, readout=readout.NeuronRates)
    keys = dict(Classic.keys, n_actions=3)


class Vector(RLNetwork):
    parts = dict(Classic.parts, readout=readout.PopulationVector)
    keys = dict(Classic.keys, n_actions=2)


class Izh(RLNetwork):
    """The Izhikevich parts on the compiled engine."""

    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Izhikevich,
        "weights": weight.DelayedSparse,
        "synapses": synapse.DASTDP,
        "readout": readout.Threshold,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": N_IN,
        "n_neurons": 20,
        "n_outputs": 4,
        "processing_time": 20,
        "magnitude": 1.0,
        "state_rate_map": rate_map()[:, :N_STATES],
        "syn_per_neuron": 5,
        "max_delay": 3,
        "input_syn_per_input": 3,
        "action_threshold": 0.0,
        "expected_value": expected,
        "reward_mult": 1.0,
        "punish_mult": 0.0,
        "seed": 0,
    }


TEMPLATES = {"Classic": Classic, "Other": Other, "Rates": Rates, "Vector": Vector, "Izh": Izh}


def declared_keys(template) -> list[str]:
    """Every key the template's network and parts declare (the keys a user can pass)."""
    names = [k.name for k in template.keys_of()]
    for part in template.parts.values():
        names += [k.name for k in part.keys_of() if k.name not in names]
    return names


def part_names(template) -> list[str]:
    return [template.__name__, "Network", "network"] + [p.__name__ for p in template.parts.values()]


def play(net, ticks=3):
    """A few ticks with rewards; spikes and actions must be finite."""
    net.reset()
    for t in range(ticks):
        state = t % N_STATES
        action = net.tick(state)
        log = np.asarray(net.spike_log, dtype=float)
        assert np.all(np.isfinite(log)), "non-finite spike log"
        a = np.asarray(action)
        if a.dtype.kind in "fc":  # actions may be anything the readout's output_range holds
            assert np.all(np.isfinite(a)), f"non-finite action {action!r}"
        if hasattr(net, "reward"):
            r = net.reward(state, action, (t + 1) % N_STATES)
            assert np.all(np.isfinite(np.asarray(r, dtype=float))), f"non-finite reward {r!r}"
    w = np.asarray(net.weights.matrix, dtype=float)
    assert np.all(np.isfinite(w)), "non-finite weights"
    return net


#: values of the wrong type or out of any sensible range, for any key
BAD = st.one_of(
    st.sampled_from(
        [
            None,
            "abc",
            "",
            [],
            {},
            True,
            -1,
            0,
            -0.5,
            math.nan,
            math.inf,
            -math.inf,
            10**12,
            1e300,
            (1, 2),
            object,
            [[1, 2], [3]],
            np.array([math.nan]),
            "nan",
        ]
    ),
    st.integers(-3, 3),
    st.floats(-1e6, 1e6) | st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_run_as_given(name):
    """The base every bad key is put into is itself valid (else every case errors for
    the wrong reason)."""
    play(TEMPLATES[name](), ticks=4)


def build_with(template, key, value):
    keys = dict(template.keys)
    keys[key] = value
    return keys


@pytest.mark.parametrize(
    "template_name,key",
    [(name, key) for name, t in TEMPLATES.items() for key in declared_keys(t)],
)
@SUITE
@given(value=BAD)
def test_one_bad_key(template_name, key, value):
    template = TEMPLATES[template_name]
    keys = build_with(template, key, value)
    class_keys = snapshot(template.keys)
    ending = judge(
        "snn parts via networks",
        f"{template_name}.{key}={value!r:.60}",
        lambda: play(template(**keys)),
        names=[],
        check_given=False,
        inputs=keys,
    )
    if ending.kind == "error":
        message = ending.message
        assert any(p.lower() in message.lower() for p in part_names(template)), (
            f"the error does not name the part: {message!r}"
        )
        # the key given, or another key whose check its value made fail (n_neurons=1 makes
        # n_outputs=6 too many), named with that key's own value
        named = [k for k in declared_keys(template) if f"'{k}'" in message or f"{k}=" in message]
        assert named, f"the error names no key: {message!r}"
        if key in named and not isinstance(value, (np.ndarray, list, tuple, dict)):
            check_message(message, [key], value, door=f"{template_name}.{key}")
    assert set(template.keys) == set(class_keys), "the template's class-level keys changed"


PARTS_ALONE = [
    (
        input.RateMap,
        dict(
            n_inputs=4,
            magnitude=1.0,
            input_firing_steps=-1,
            input_pct_inhibitory=0.0,
            state_rate_map=np.eye(2) * 0.5,
        ),
    ),
    (
        neuron.Neuron,
        dict(
            n_neurons=4,
            magnitude=1.0,
            firing_threshold=2.0,
            potential_decay=0.1,
            refractory_period=1,
        ),
    ),
    (readout.Threshold, dict(n_outputs=2, magnitude=1.0, action_threshold=0.0)),
    (readout.TopAction, dict(n_outputs=4, magnitude=1.0, n_actions=2)),
    (reward.MatchExpected, dict(reward_mult=1.0, punish_mult=0.5, expected_value=expected)),
]


@pytest.mark.parametrize("part,kwargs", PARTS_ALONE, ids=lambda p: getattr(p, "__name__", ""))
@settings(SUITE, max_examples=10)
@given(data=st.data())
def test_part_alone(part, kwargs, data):
    key = data.draw(st.sampled_from(sorted(kwargs)))
    value = data.draw(BAD)
    bad = dict(kwargs, **{key: value})
    judge(
        "snn parts alone",
        f"{part.__name__}.{key}={value!r:.60}",
        lambda: part(**bad, rng=0),
        names=[key],
        given=value,
        check_given=not isinstance(value, np.ndarray),
        inputs=bad,
    )


@pytest.mark.parametrize(
    "modifier,kwargs",
    [
        (
            LinearDecay,
            dict(
                param=["synapses", "_learning_rate"], step_stop=10, value_start=0.1, value_stop=0.0
            ),
        ),
        (
            DropOff,
            dict(
                param=["synapses", "_learning_rate"], step_stop=10, value_start=0.1, value_end=0.0
            ),
        ),
    ],
    ids=["LinearDecay", "DropOff"],
)
@settings(SUITE, max_examples=8)
@given(data=st.data())
def test_modifier(modifier, kwargs, data):
    key = data.draw(st.sampled_from(sorted(kwargs)))
    value = data.draw(BAD)
    bad = dict(kwargs, **{key: value})

    def case():
        mod = modifier(**bad)
        net = Classic(modifiers=[mod])
        return play(net)

    judge(
        "snn modifiers",
        f"{modifier.__name__}.{key}={value!r:.60}",
        case,
        names=[key],
        given=value,
        check_given=not isinstance(value, np.ndarray),
        inputs=bad,
    )


WRONG_PARTS = [
    ("neurons", None),
    ("neurons", "Neuron"),
    (
        "neurons",
        neuron.Neuron(
            n_neurons=4,
            magnitude=1.0,
            firing_threshold=2.0,
            potential_decay=0.1,
            refractory_period=1,
            rng=0,
        ),
    ),
    ("inputs", int),
    ("readout", dict),
    ("weights", 3),
    ("synapses", object),
    ("modifiers", "decay"),
    ("rewarder", 5),
]


@pytest.mark.parametrize("name,part", WRONG_PARTS, ids=[f"{n}={p!r:.20}" for n, p in WRONG_PARTS])
def test_wrong_part(name, part):
    judge(
        "snn networks: parts",
        f"{name}={part!r:.40}",
        lambda: play(Classic(**{name: part})),
        names=[name],
        check_given=False,
    )


@pytest.mark.parametrize(
    "method,args",
    [
        ("tick", ("not a state",)),
        ("tick", (None,)),
        ("tick", (99,)),
        ("tick", (-1,)),
        ("tick", (np.nan,)),
        ("reward", (0, "left", 1)),
        ("reward", (0, None, 1)),
    ],
    ids=lambda a: repr(a)[:20],
)
def test_bad_call(method, args):
    net = Classic()
    net.reset()
    if method == "reward":
        net.tick(0)

    def case():
        out = getattr(net, method)(*args)
        assert np.all(np.isfinite(np.asarray(net.spike_log, dtype=float)))
        return out

    judge(
        "snn networks: calls",
        f"{method}{args!r}",
        case,
        names=[],
        check_given=False,
        inputs=list(args),
    )
