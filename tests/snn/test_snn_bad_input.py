"""Bad configuration fails early, in Python, with a message naming part, key, value and need."""

import numpy as np
import pytest
from snn_helpers import N_IN, N, Small, matrix

from spikey.module import ConfigError
from spikey.snn import input, neuron, synapse


def _fails(match, **kwargs):
    with pytest.raises(ConfigError, match=match) as err:
        Small(**kwargs)
    return str(err.value)


def test_missing_key_names_part_and_key():
    class Missing(Small):
        keys = {k: v for k, v in Small.keys.items() if k != "firing_threshold"}

    with pytest.raises(KeyError, match=r"Neuron: missing .*'firing_threshold'"):
        Missing()


def test_wrong_types():
    msg = _fails("n_neurons", n_neurons="10")
    assert "'10'" in msg and "int" in msg
    _fails(r"Neuron: key 'firing_threshold' got 'high'; expected .*float", firing_threshold="high")
    _fails(r"fast_path", fast_path="yes")
    _fails(r"RateMap: key 'state_rate_map'", state_rate_map="diagonal")
    _fails(
        r"part 'neurons' got an instance",
        neurons=neuron.Neuron(
            magnitude=1, n_neurons=2, firing_threshold=1, potential_decay=0.1, refractory_period=0
        ),
    )
    _fails(r"no part given for 'readout'", readout=None)
    _fails(r"key 'seed'", seed="abc")


@pytest.mark.parametrize("shape_fix", ["transpose", "no-inputs", "other", "3d"])
def test_weight_matrix_shape_says_expected_shape_and_fix(shape_fix):
    w = matrix()
    given = {"transpose": w.T, "no-inputs": w[N_IN:], "other": w[:-1], "3d": w[None]}[shape_fix]
    msg = _fails(r"Manual: key 'matrix' has shape", matrix=given)
    assert f"({N_IN + N}, {N})" in msg
    hint = {
        "transpose": "matrix.T",
        "no-inputs": "input rows are missing",
        "other": "n_inputs rows then n_neurons rows",
        "3d": "squeeze",
    }[shape_fix]
    assert hint in msg


def test_nan_and_inf_weights():
    for bad in (np.nan, np.inf):
        w = matrix()
        w[3, 2] = bad
        msg = _fails(r"NaN or inf", matrix=w)
        assert "(3, 2)" in msg


def test_rate_map_checks():
    srm = np.full((3, 5), 0.1)
    msg = _fails(r"not a multiple", state_rate_map=srm)
    assert "n_inputs=12" in msg and "5 group" in msg
    for bad in (1.5, -0.1, np.nan):
        srm = np.full((3, 3), 0.1)
        srm[1, 2] = bad
        _fails(r"rates in \[0, 1\]", state_rate_map=srm)
    _fails(r"rates in \[0, 1\]", state_rate_map={0: [0.5, 2.0]})


@pytest.mark.parametrize("state", [3, -1, 1.5, "a", None, 3.0])
def test_state_not_in_rate_map(state):
    net = Small()
    with pytest.raises(
        ConfigError, match=r"is not in 'state_rate_map'; expected one of integers 0..2"
    ):
        net.tick(state)
    dict_net = Small(state_rate_map={"on": [0.5], "off": [0.0]})
    with pytest.raises(
        ConfigError, match=r"state .* is not in 'state_rate_map'; expected one of \['on', 'off'\]"
    ):
        dict_net.tick(state)


@pytest.mark.parametrize(
    "key,value,match",
    [
        ("n_neurons", -1, r"Small: key 'n_neurons' got -1; expected a number >= 1"),
        ("n_inputs", -2, r"key 'n_inputs' got -2; expected a number >= 0"),
        ("processing_time", 0, r"key 'processing_time' got 0"),
        ("stdp_window", 0, r"LTP: key 'stdp_window' got 0; expected a number >= 1"),
        ("refractory_period", -1, r"Neuron: key 'refractory_period' got -1"),
        ("spike_delay", -3, r"Neuron: key 'spike_delay' got -3"),
        ("potential_decay", 1.5, r"Neuron: key 'potential_decay' got 1.5; expected a number <= 1"),
        ("n_outputs", N + 1, rf"Small: key 'n_outputs' got {N + 1}; expected a number <= {N}"),
        ("n_actions", 7, r"TopAction: key 'n_actions' got 7; expected at most n_outputs=6"),
        ("max_weight", -1.0, r"Manual: key 'max_weight' got -1.0"),
        ("trace_decay", 2.0, r"LTP: key 'trace_decay' got 2.0"),
        ("magnitude", float("inf"), r"key 'magnitude' got inf; expected a finite number"),
    ],
)
def test_out_of_range_values(key, value, match):
    _fails(match, **{key: value})


def test_rlstdp_needs_a_window_of_one():
    _fails(
        r"RLSTDP: key 'stdp_window' got 0; expected a number >= 1",
        synapses=synapse.RLSTDP,
        stdp_window=0,
    )


def test_changing_sizes_mid_episode_is_caught_before_compiled_code():
    net = Small()
    net.reset()
    net.tick(0)
    net.neurons._spike_delay = 2  # the schedule no longer fits
    with pytest.raises(
        ConfigError, match=r"neurons.schedule has shape \(1, 10\); expected \(3, 10\)"
    ):
        net.tick(0)
    net = Small()
    net.tick(0)
    net._processing_time = 30
    with pytest.raises(ConfigError, match=r"call reset\(\)"):
        net.tick(0)
    net.reset()
    assert net.tick(0) in (0, 1)
    net.neurons.potentials = np.zeros(N + 1)
    with pytest.raises(
        ConfigError, match=r"neurons.potentials has shape \(11,\); expected \(10,\)"
    ):
        net.tick(0)


def test_static_map_bad_pattern():
    net = Small(inputs=input.StaticMap, state_spike_map={0: np.ones((4, N_IN + 1))})
    with pytest.raises(ConfigError, match=r"shape \(4, 13\) for state 0; expected .*n_inputs=12"):
        net.tick(0)
