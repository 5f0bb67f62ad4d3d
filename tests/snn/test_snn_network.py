"""Network behaviour: key precedence, spike log, modes, copies, pickling, randomness."""

import io
import pickle
import sys
import types
from contextlib import redirect_stdout
from copy import copy, deepcopy

import numpy as np
import pytest
from snn_helpers import N_IN, N, Small, run

import spikey
from spikey.games import Logic
from spikey.snn import ActiveRLNetwork, Network, input, neuron, readout, synapse


def test_precedence_kwargs_over_keys_over_game():
    game = types.SimpleNamespace(params={"n_neurons": 99, "resting_mv": 0.25, "learning_rate": 5.0})
    net = Small(game=game, learning_rate=0.9)
    assert net._n_neurons == N  # template keys beat the game
    assert net.neurons._resting_mv == 0.25  # the game fills what nothing else gives
    assert net.synapses._learning_rate == 0.9  # keyword beats template keys
    assert net.params["learning_rate"] == 0.9


def test_game_params_flow_into_parts():
    class NoExpected(Small):
        keys = {k: v for k, v in Small.keys.items() if k != "expected_value"}

    net = NoExpected(game=Logic(preset="XOR"))
    assert net.rewarder._expected_value((True, False)) == 1
    with pytest.raises(KeyError, match="expected_value"):
        NoExpected()


def test_template_keys_and_parts_are_never_mutated():
    keys_before = dict(Small.keys)
    matrix_before = Small.keys["matrix"].copy()
    parts_before = dict(Small.parts)
    net = Small(n_outputs=4, synapses=synapse.RLSTDP, trace_decay=0.5)
    run(net, n_ticks=5)
    assert set(Small.keys) == set(keys_before) and Small.keys["n_outputs"] == 6
    assert all(v is keys_before[k] for k, v in Small.keys.items())
    assert np.array_equal(Small.keys["matrix"], matrix_before)
    assert Small.parts == parts_before
    assert not np.array_equal(net.weights.matrix, matrix_before)


def test_spike_log_shape_and_signed_magnitudes():
    net = Small(seed=2, magnitude=1.5, neuron_pct_inhibitory=0.5, input_pct_inhibitory=0.5)
    assert net.spike_log is None
    logs, _ = run(net, n_ticks=4)
    assert net.spike_log.shape == (20, N_IN + N)
    pol = np.concatenate((net.inputs.polarities, net.neurons.polarities))
    assert set(np.unique(pol)) == {-1.0, 1.0}
    values = logs.reshape(-1, N_IN + N)
    assert set(np.unique(values)) <= {-1.5, 0.0, 1.5}
    assert np.all(values * pol >= 0)  # each column's sign is its polarity
    assert np.any(values[:, N_IN:] != 0) and np.any(values[:, :N_IN] != 0)
    # the log keeps stdp_window earlier steps in front of the visible part
    assert net._spike_log.shape == (8 + 20, N_IN + N)
    assert np.array_equal(net._spike_log[-20:], net.spike_log)


def test_reset_keeps_weights_and_clears_state():
    net = Small(seed=1, trace_decay=0.3)
    run(net, n_ticks=4)
    w = net.weights.matrix.copy()
    net.reset()
    assert np.array_equal(net.weights.matrix, w)
    assert not np.any(net._spike_log) and net.internal_time == 0
    assert np.all(net.neurons.potentials == net.neurons._resting_mv)
    assert net.synapses.trace == 0


def test_train_eval_reach_every_part():
    net = Small()
    net.eval()
    assert not net.training and not net.synapses.training and not net.neurons.training
    net.train()
    assert net.training and net.synapses.training and net.readout.training


def test_list_keys_prints_network_and_part_keys():
    buf = io.StringIO()
    with redirect_stdout(buf):
        Network.list_keys(inputs=input.RateMap, neurons=neuron.Neuron, synapses=synapse.LTP)
    out = buf.getvalue()
    for name in (
        "n_inputs",
        "processing_time",
        "state_rate_map",
        "firing_threshold",
        "stdp_window",
        "trace_decay",
        "seed",
    ):
        assert f'"{name}"' in out
    assert out.count('"n_inputs"') == 1


def test_deepcopy_is_independent_and_identical():
    net = Small(seed=4, trace_decay=0.3)
    run(net, n_ticks=3)
    twin = deepcopy(net)
    assert twin.synapses.weights is twin.weights and twin.weights is not net.weights
    a, _ = run(net, n_ticks=4, state_seed=9)
    b, _ = run(twin, n_ticks=4, state_seed=9)
    assert np.array_equal(a, b) and np.array_equal(net.weights.matrix, twin.weights.matrix)
    shallow = copy(net)
    assert shallow.weights is net.weights
    assert net.copy().weights is not net.weights


def test_pickle_and_spikey_save_load(tmp_path):
    net = Small(seed=5, trace_decay=0.3)
    run(net, n_ticks=3)
    path = tmp_path / "net.pkl"
    spikey.save(net, path)
    loaded = spikey.load(path)
    again = pickle.loads(pickle.dumps(net))
    a, _ = run(net, n_ticks=3, state_seed=1)
    for other in (loaded, again):
        b, _ = run(other, n_ticks=3, state_seed=1)
        assert np.array_equal(a, b)
        assert np.array_equal(other.weights.matrix, net.weights.matrix)


def test_lambda_keys_pickle_by_value_with_cloudpickle_else_clear_error(monkeypatch):
    """What happens with a lambda in the keys: deepcopy always works; pickling goes by
    value through cloudpickle when it is installed (it is a dependency of gymnasium);
    without cloudpickle, pickle raises a PicklingError that names the key."""
    net = Small(seed=6, expected_value=lambda s: int(s == 2))
    assert deepcopy(net).rewarder(2, 1, 0) == 1.0
    pytest.importorskip("cloudpickle")
    loaded = pickle.loads(pickle.dumps(net))
    assert loaded.rewarder(2, 1, 0) == 1.0 and loaded.rewarder(1, 1, 0) == -0.5
    monkeypatch.setitem(sys.modules, "cloudpickle", None)
    with pytest.raises(pickle.PicklingError, match="expected_value"):
        pickle.dumps(net)


def test_reproducible_from_np_random_seed_or_seed_key():
    np.random.seed(0)
    a, _ = run(Small())
    np.random.seed(0)
    b, _ = run(Small())
    np.random.seed(1)
    c, _ = run(Small())
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    d, _ = run(Small(seed=42))
    e, _ = run(Small(seed=np.random.SeedSequence(42)))
    f, _ = run(Small(seed=43))
    assert np.array_equal(d, e) and not np.array_equal(d, f)
    # a network built from a seed does not touch the global state
    np.random.seed(3)
    Small(seed=1)
    assert np.random.randint(1000) == np.random.RandomState(3).randint(1000)


def test_plain_network_and_no_outputs():
    class Plain(Network):
        parts = {k: v for k, v in Small.parts.items() if k != "rewarder"}
        parts["readout"] = readout.Threshold
        keys = dict(Small.keys, n_outputs=0, action_threshold=0.5)

    net = Plain(seed=0)
    assert net.tick(0) == 0 and not hasattr(net, "reward")
    assert Plain(seed=0, n_outputs=3).tick(0) in (0, 1)


def test_tick_without_reset_resets_first():
    net = Small(seed=0)
    net.tick(1)
    assert net.spike_log.shape == (20, N_IN + N)


class Active(ActiveRLNetwork):
    parts = dict(Small.parts)
    keys = dict(Small.keys, continuous_rwd_action=lambda network, state: 1, trace_decay=0.5)


def test_active_network_rewards_every_step():
    net = Active(seed=0)
    calls = []
    original = net.synapses.reward
    net.synapses.reward = lambda r: (calls.append(r), original(r))
    before = net.weights.matrix.copy()
    net.reset()
    net.tick(1)
    assert len(calls) == 20 and set(calls) == {1.0}
    assert not np.array_equal(net.weights.matrix, before)
    w = net.weights.matrix.copy()
    assert net.reward(1, 0, 1) == -0.5 and np.array_equal(net.weights.matrix, w)
    assert len(calls) == 20
    assert net._fast_kinds() is not None  # compiled steps, Python only between them


def test_network_of_a_local_template_pickles_with_cloudpickle():
    pytest.importorskip("cloudpickle")

    class Local(Small):
        keys = dict(Small.keys, n_outputs=4)

    net = Local(seed=0)
    run(net, n_ticks=2)
    loaded = pickle.loads(pickle.dumps(net))
    assert type(loaded).__name__ == "Local" and loaded._n_outputs == 4
    assert np.array_equal(run(loaded, n_ticks=2)[0], run(net, n_ticks=2)[0])


def test_star_import_gives_the_original_names():
    ns = {}
    exec("from spikey.snn import *", ns)
    for name in (
        "input",
        "neuron",
        "synapse",
        "weight",
        "readout",
        "reward",
        "modifier",
        "Network",
        "RLNetwork",
        "ActiveRLNetwork",
        "Key",
        "LinearDecay",
        "spikey",
    ):
        assert name in ns, name
    # user code of that era wrote spikey.snn.reward.template.Reward after the star import
    assert ns["spikey"].snn.reward.template.Reward is ns["reward"].template.Reward
    assert issubclass(ns["readout"].TopAction, ns["readout"].PopulationVector)
