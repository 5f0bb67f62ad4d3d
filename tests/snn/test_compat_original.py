"""Compatibility with the original Spikey: what its unit tests exercise, written anew, and
one test for each documented difference (docs/migration.md).

- parts built from keys, their copies and pickles, their per-step protocol;
- networks: ``copy()`` (a fresh network, as the original) vs ``clone()`` / deepcopy
  (the trained state), resets, the network loop with duck-typed fakes;
- a part that redefines a method the original called every step (a weight's
  ``__mul__``, a neuron's ``__call__`` ...) is honoured: the network takes the Python
  path, whose spikes equal a plain rendering of the original's loop (``original_tick``);
- the differences kept by design: float64 potentials, a plain ``_matrix`` with a
  ``live`` mask, ``n_outputs <= n_neurons``, ``ActiveRLNetwork.reward`` returning the
  reward, and CartPole's force bound (the original's, one-sided).
"""

import pickle
from copy import deepcopy

import numpy as np
import pytest
from compat_effects import Float16Neuron, or_run
from snn_helpers import N_IN, Small, run

from spikey.games import CartPole
from spikey.module import ConfigError
from spikey.snn import (
    ActiveRLNetwork,
    Network,
    RLNetwork,
    input,
    modifier,
    neuron,
    readout,
    reward,
    synapse,
    weight,
)
from spikey.snn.fastpath import FastPart, FastPath
from spikey.snn.network import redefined_tick_methods

# -- the original's loop, written out (reference for the Python path) -------------------


def original_tick(net, state):
    """One game step as the original's ``Network.tick`` ran it, on ``net``'s parts."""
    window, steps = net.synapses._stdp_window, net._processing_time
    log = net._spike_log
    polarities = np.append(net.inputs.polarities, net.neurons.polarities)
    log[:window] = log[-window:]
    normalized = log.astype(bool)
    net.inputs.update(state)
    for m in net.modifiers or []:
        m.update(net)
    for i in range(steps):
        net.internal_time += 1
        spikes = np.append(net.inputs(), net.neurons())
        log[window + i] = spikes
        normalized[window + i] = spikes.astype(bool)
        net.neurons += np.sum(net.synapses.weights * spikes.reshape((-1, 1)), axis=0)
        net.synapses.update(normalized[i : i + window], polarities)
    return net.readout(log[-steps:, -net._n_outputs :])


def both_loops(net, n_ticks=6, states=(0, 1, 2, 1, 0, 2)):
    """Run ``net.tick`` on ``net`` and ``original_tick`` on a clone of it, with rewards;
    return the two (actions, spike logs, weights, potentials)."""
    net.reset()
    twin = net.clone()
    out = []
    for network, tick in ((net, type(net).tick), (twin, original_tick)):
        actions, logs = [], []
        for t in range(n_ticks):
            state = states[t % len(states)]
            action = tick(network, state)
            network.reward(state, action, None)
            actions.append(action)
            logs.append(network.spike_log.copy())
        out.append(
            (actions, np.array(logs), network.weights.matrix.copy(), network.neurons.potentials)
        )
    return out


def assert_same_run(a, b):
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_allclose(a[2], b[2], rtol=0, atol=1e-12)
    np.testing.assert_allclose(a[3], b[3], rtol=0, atol=1e-9)


# -- parts built from keys ---------------------------------------------------------------

RATES = np.arange(10) / 10


def uniform_weights(shape):
    """A weight_generator drawing from the global np.random, as the original's users did."""
    return np.random.uniform(0, 1, shape)


PART_KEYS = {
    "n_inputs": 2,
    "n_neurons": 4,
    "magnitude": 5.6,
    "input_firing_steps": -1,
    "state_rate_map": RATES,
    "state_spike_map": np.random.default_rng(0).uniform(size=(10, 2)) <= RATES[:, None],
    "firing_threshold": 4,
    "potential_decay": 0.0,
    "refractory_period": 5,
    "resting_mv": 0.1,
    "potential_noise_scale": 0.0,
    "max_weight": 1.0,
    "matrix": np.full((6, 4), 0.5),
    "weight_generator": uniform_weights,
    "stdp_window": 5,
    "learning_rate": 0.05,
    "n_outputs": 2,
    "n_actions": 2,
    "action_threshold": 0.5,
    "expected_value": lambda state: state,
}


@pytest.mark.parametrize("cls", [input.RateMap, input.StaticMap])
def test_inputs_from_keys_count_steps_and_take_any_state_form(cls):
    inputs = cls(**PART_KEYS, rng=1)
    assert len(inputs) == 2 and isinstance(inputs.polarities, np.ndarray)
    for state in (2, (0,), np.array([1]), 9):
        inputs.update(state)
        assert inputs.network_time == 0
        for t in range(30):
            spikes = inputs()
            assert isinstance(spikes, np.ndarray) and spikes.shape == (2,)
            assert set(np.unique(spikes)) <= {0.0, 5.6}
            assert inputs.network_time == t + 1
    inputs.update(0)  # rate 0: never a spike
    assert not any(np.any(inputs()) for _ in range(30)) or cls is input.StaticMap


@pytest.mark.parametrize("cls", [neuron.Neuron, neuron.RandPotential])
def test_neurons_from_keys_fire_at_threshold_then_rest(cls):
    neurons = cls(**PART_KEYS)
    neurons.reset()
    assert isinstance(neurons.polarities, np.ndarray) and neurons.polarities.shape == (4,)
    for t in range(8):
        spikes = neurons()
        neurons += np.ones(4)
        if t < 4:
            assert np.all(spikes == 0)
        elif t == 4:  # resting 0.1 + 4 ones >= 4: all fire, with the exact magnitude
            assert np.all(spikes == 5.6) and np.all(neurons.potentials < 4)
            assert np.all(neurons.refractory_timers > 0)
        else:
            assert np.all(spikes == 0) and np.all(neurons.refractory_timers > 0)


@pytest.mark.parametrize("cls", [synapse.RLSTDP, synapse.LTP])
def test_synapses_accept_every_window_shape_the_original_did(cls):
    w = weight.Manual(n_inputs=0, n_neurons=50, max_weight=1, matrix=np.full((50, 50), 0.5))
    syn = cls(w, n_inputs=0, n_neurons=50, stdp_window=200, learning_rate=0.05, trace_decay=0.1)
    syn.reset()
    syn.reward(1.0)
    pol = np.ones(50)
    pre = np.random.default_rng(3).uniform(size=50) <= 0.3
    post = w.matrix.T @ pre >= 2
    syn.update(np.vstack((pre, post)), pol)  # 2 rows
    syn.update(pre.reshape((-1, 1)), np.ones(1))  # a column
    syn.update(np.array([]), pol)  # nothing
    assert np.all((w.matrix >= 0) & (w.matrix <= 1))


@pytest.mark.parametrize("cls", [weight.Manual, weight.Random])
def test_weights_from_keys_arithmetic_and_layers(cls):
    w = cls(**dict(PART_KEYS, max_weight=2))
    spikes = np.random.default_rng(0).uniform(size=(6, 1))
    np.testing.assert_array_equal(w * spikes, w.matrix * spikes)
    np.testing.assert_array_equal(w + spikes, w.matrix + spikes)
    np.testing.assert_array_equal(w - spikes, w.matrix - spikes)
    np.testing.assert_array_equal(w / spikes, w.matrix / spikes)
    before = w.matrix.copy()
    w += np.ones((6, 1)) * 5
    assert np.all(w.matrix[before != 0] == 2) and np.all(w.matrix[before == 0] == 0)
    layers = [np.ones((2, 3)), np.ones((3, 1))]
    ff = cls(**dict(PART_KEYS, matrix=layers, matrix_mask=layers, max_weight=0.7))
    assert ff.matrix.shape == (6, 4) and ff.matrix.max() <= 0.7
    assert np.all(ff.matrix[:2, :3] > 0) and np.all(ff.matrix[2:5, 3] > 0)
    assert np.all(ff.matrix[5] == 0) and np.all(ff.matrix[:2, 3] == 0)


# -- copies of parts: Module.copy is a deep copy, as the original ------------------------

PART_CLASSES = [
    (input.RateMap, ()),
    (input.StaticMap, ()),
    (neuron.Neuron, ()),
    (neuron.RandPotential, ()),
    (weight.Manual, ()),
    (weight.Random, ()),
    (readout.Threshold, ()),
    (readout.PopulationVector, ()),
    (readout.TopAction, ()),
    (reward.MatchExpected, ()),
]


@pytest.mark.parametrize("cls", [c for c, _ in PART_CLASSES], ids=lambda c: c.__name__)
def test_part_copy_and_pickle_keep_every_attribute(cls):
    keys = dict(PART_KEYS, expected_value=abs)
    part = cls(**keys)
    for other in (part.copy(), pickle.loads(pickle.dumps(part))):
        assert type(other) is cls
        for name, value in vars(part).items():
            got = getattr(other, name)
            assert isinstance(got, type(value)), name
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(got, value)
                assert got is not value


def test_synapse_copy_is_deep():
    w = weight.Manual(**PART_KEYS)
    syn = synapse.RLSTDP(w, **PART_KEYS)
    twin = syn.copy()
    assert type(twin) is synapse.RLSTDP and twin.weights is not w
    np.testing.assert_array_equal(twin.weights.matrix, w.matrix)


# -- Network.copy(): a fresh network; clone()/deepcopy: the trained one ------------------


def test_copy_rebuilds_from_keys_clone_keeps_training():
    net = Small(seed=3, trace_decay=0.3)
    run(net, n_ticks=4)
    net.weights._matrix[:] = 0.9  # the example: trained away from the keys
    fresh, twin, deep = net.copy(), net.clone(), deepcopy(net)
    live = Small.keys["matrix"] != 0
    np.testing.assert_array_equal(fresh.weights.matrix, np.clip(Small.keys["matrix"], 0, 2.0))
    assert np.all(twin.weights.matrix[twin.weights.live] == 0.9)
    assert np.all(deep.weights.matrix[live] == 0.9)
    assert fresh.internal_time == 0 and fresh.spike_log is None
    assert twin.internal_time == net.internal_time
    np.testing.assert_array_equal(twin.spike_log, net.spike_log)
    # nothing is shared, and the fresh copy runs as a newly built network
    for name in ("inputs", "neurons", "weights", "synapses", "readout", "rewarder"):
        assert getattr(fresh, name) is not getattr(net, name)
        assert type(getattr(fresh, name)) is type(getattr(net, name))
    assert fresh.synapses.weights is fresh.weights
    new = Small(seed=3, trace_decay=0.3)
    a, acts_a = run(fresh, n_ticks=5)
    b, acts_b = run(new, n_ticks=5)
    np.testing.assert_array_equal(a, b)
    assert acts_a == acts_b
    np.testing.assert_array_equal(fresh.weights.matrix, new.weights.matrix)


def test_copy_without_seed_draws_new_random_weights_like_a_new_build():
    class R(Small):
        parts = dict(Small.parts, weights=weight.Random)
        keys = dict(Small.keys, weight_generator=uniform_weights)

    np.random.seed(0)
    net = R()
    fresh = net.copy()  # np.random has moved on: new weights, as the original
    assert not np.array_equal(fresh.weights.matrix, net.weights.matrix)
    np.random.seed(0)
    again = net.copy()  # the same global state: the network that building it gave
    np.testing.assert_array_equal(again.weights.matrix, net.weights.matrix)


def test_copy_shares_no_game_params_and_keeps_subclass_attributes():
    from spikey.games import Logic

    class Tracked(Small):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.watch = self.neurons  # a subclass's reference to a part
            self.history = [1, 2]

    game = Logic(preset="OR")
    net = Tracked(game=game, seed=1)
    fresh = net.copy()
    assert fresh.watch is fresh.neurons and fresh.watch is not net.neurons
    assert fresh.history == [1, 2] and fresh.history is not net.history
    assert fresh.params.keys() == net.params.keys() and fresh._params is not net._params
    assert fresh._params["state_rate_map"] is not net._params["state_rate_map"]
    fresh._params["n_actions"] = 99
    assert net.params["n_actions"] == Small.keys["n_actions"]


def test_copy_keeps_the_mode():
    net = Small(seed=2)
    net.eval()
    fresh = net.copy()
    assert fresh.training is False and fresh.synapses.training is False


class IzhNet(RLNetwork):
    """A small network of the compiled Izhikevich engine's parts."""

    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Izhikevich,
        "weights": weight.DelayedSparse,
        "synapses": synapse.DASTDP,
        "readout": readout.Threshold,
        "rewarder": reward.MatchExpected,
    }
    keys = {
        "n_inputs": 10,
        "n_neurons": 60,
        "n_outputs": 5,
        "processing_time": 50,
        "magnitude": 1.0,
        "state_rate_map": np.array([[0.2, 0.0], [0.0, 0.2]]),
        "syn_per_neuron": 10,
        "max_delay": 5,
        "input_syn_per_input": 3,
        "action_threshold": 0.0,
        "expected_value": lambda state: state,
        "seed": 0,
    }


def test_copy_of_an_izhikevich_engine_network_is_a_new_build():
    net = IzhNet()
    for s in range(3):
        net.reward(s % 2, net.tick(s % 2), None)
    fresh, new = net.copy(), IzhNet()
    assert fresh._izh is not None and fresh._izh is not net._izh
    logs = [[], []]
    for s in range(3):
        for k, network in enumerate((fresh, new)):
            network.tick(s % 2)
            logs[k].append(network.spike_log.copy())
    assert np.count_nonzero(logs[0]) > 0
    np.testing.assert_array_equal(logs[0], logs[1])


class AnswersAll:
    """The original's unit-test fakes: any unknown attribute is a function returning None
    (so ``copy.deepcopy`` of one gives None)."""

    def __init__(self, *a, **kw):
        pass

    def __getattr__(self, key):
        return lambda *a, **kw: None


class FakeInput(AnswersAll):
    def __call__(self):
        return np.ones(10)


class FakeNeuron(AnswersAll):
    def __call__(self):
        return np.ones(20)

    def __iadd__(self, other):
        self.last_incoming = other
        return self


class FakeWeight(AnswersAll):
    def __init__(self, **keys):
        self.w = np.ones((keys["n_inputs"] + keys["n_neurons"], keys["n_neurons"]))

    def __mul__(self, other):
        return self.w * other


class FakeSynapse(AnswersAll):
    def __init__(self, w, **keys):
        self._stdp_window = 10


class FakeReadout(AnswersAll):
    def __call__(self, spikes):
        return float(spikes.sum())


class FakeRewarder(AnswersAll):
    def __call__(self, *a, **kw):
        return 67.2


FAKES = {
    "inputs": FakeInput,
    "neurons": FakeNeuron,
    "weights": FakeWeight,
    "synapses": FakeSynapse,
    "readout": FakeReadout,
    "rewarder": FakeRewarder,
    "n_inputs": 10,
    "n_neurons": 20,
    "n_outputs": 10,
    "processing_time": 10,
    "continuous_rwd_action": lambda network, state: 0,
}


@pytest.mark.parametrize("cls", [Network, RLNetwork, ActiveRLNetwork])
def test_copy_of_a_network_of_fakes_rebuilds_every_part(cls):
    net = cls(**FAKES)
    for other in (net.copy(),):
        assert type(other) is cls
        for name, value in vars(net).items():
            assert isinstance(getattr(other, name), type(value)), name


@pytest.mark.parametrize("cls", [Network, RLNetwork, ActiveRLNetwork])
def test_network_loop_with_duck_typed_fakes(cls):
    net = cls(**FAKES)
    net.reset()
    for state in (0, 1, 10, (1, 2), np.array([1, 2, 3, 4])):
        action = net.tick(state)
        # 10 + 20 spikes of 1 through all-ones weights, summed per body neuron
        np.testing.assert_array_equal(net.neurons.last_incoming, np.full(20, 30.0))
        assert action == 10 * 10  # 10 steps x 10 output columns of ones
        if hasattr(net, "reward"):
            assert net.reward(state, action, None, reward=1e6) == 1e6
    assert net.internal_time == 5 * 10
    if isinstance(net, RLNetwork):
        assert net.reward(1, net.tick(1), None, reward=0) == 0


def test_reset_clears_state_keeps_weights_and_resets_every_part():
    resets = []

    class Counting(readout.TopAction):
        def reset(self):
            resets.append("readout")

    net = Small(seed=1, readout=Counting, trace_decay=0.2)
    run(net, n_ticks=3)
    w = net.weights.matrix.copy()
    resets.clear()
    net.reset()
    assert resets == ["readout"] and net.internal_time == 0
    assert not np.any(net._spike_log) and net.synapses.trace == 0
    assert np.all(net.neurons.potentials == 0) and np.all(net.neurons.refractory_timers == 0)
    np.testing.assert_array_equal(net.weights.matrix, w)


# -- a part's own per-step methods are honoured (the original's semantics) --------------


class ZeroTransmission(weight.Manual):
    def __mul__(self, other):
        return np.zeros_like(self.matrix * other)


class ScaledTransmission(weight.Manual):
    def __mul__(self, other):
        return self.matrix * other * 1.7


def test_weight_mul_override_sends_no_spike_like_the_original():
    net = Small(weights=ZeroTransmission, seed=4)
    assert net._fast_kinds() is None
    assert redefined_tick_methods(net.weights, weight.Weight) == ["__mul__"]
    logs, _ = run(net, n_ticks=5)
    assert not np.any(logs[:, :, N_IN:])  # 0 body spikes
    assert np.any(logs[:, :, :N_IN])  # the inputs still fire
    built_in, _ = run(Small(seed=4), n_ticks=5)
    assert np.count_nonzero(built_in[:, :, N_IN:]) > 20


def test_python_path_reasons_name_the_part_and_method():
    assert Small(seed=1).python_path_reasons() == []
    assert Small(seed=1, weights=ZeroTransmission).python_path_reasons() == [
        "weights: ZeroTransmission redefines __mul__ of Weight"
    ]
    reasons = Small(seed=1, fast_path=False, neurons=LoudNeuron).python_path_reasons()
    assert reasons == [
        "the key fast_path is False",
        "neurons: LoudNeuron redefines __call__ of Neuron",
    ]
    assert (
        Network(**FAKES)
        .python_path_reasons()[0]
        .startswith("inputs: FakeInput does not implement the FastPath protocol")
    )


def test_weight_mul_override_equals_the_original_loop():
    a, b = both_loops(Small(weights=ScaledTransmission, seed=6, trace_decay=0.3))
    assert_same_run(a, b)
    plain = both_loops(Small(seed=6, trace_decay=0.3))[0]
    assert not np.array_equal(a[1], plain[1])  # the scaling did change the spikes


class HalfInputs(input.RateMap):
    def __call__(self):
        spikes = super().__call__()
        spikes[::2] = 0.0
        return spikes


class ShiftedStates(input.RateMap):
    def update(self, state):
        super().update((state + 1) % 3)


class LoudNeuron(neuron.Neuron):
    def __call__(self):
        return super().__call__() * 2.0


class DampedNeuron(neuron.Neuron):
    def update(self, incoming_v):
        super().update(0.5 * np.asarray(incoming_v))


class AddTwiceNeuron(neuron.Neuron):
    def __iadd__(self, incoming_v):
        self.update(2.0 * np.asarray(incoming_v))
        return self


class HalfCapWeight(weight.Manual):
    def clip(self):
        np.clip(self._matrix, 0.0, self._max_weight / 2, out=self._matrix)


class MatrixView(weight.Manual):
    @property
    def matrix(self):
        return self._matrix * 0.8


class EveryOtherUpdate(synapse.LTP):
    def update(self, spike_log, polarities):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls % 2:
            super().update(spike_log, polarities)


class PotentiateAll(synapse.LTP):
    def _apply_stdp(self, spike_log, polarities, credit_post=None):
        post = np.flatnonzero(np.asarray(spike_log)[-1, self._n_inputs :])
        self.weights._matrix[:, post] += 0.01 * self.trace
        self.weights.clip()


class HalfHebbian(synapse.RLSTDP):
    def _hebbian(self, pre_locs, post_locs, dts, inverse=False):
        super()._hebbian(pre_locs, post_locs, 0.5 * dts, inverse)


class DoubleReward(synapse.LTP):
    def reward(self, rwd):
        super().reward(2 * rwd)


PER_STEP_OVERRIDES = {
    "inputs.__call__": {"inputs": HalfInputs},
    "inputs.update": {"inputs": ShiftedStates},
    "neurons.__call__": {"neurons": LoudNeuron},
    "neurons.update": {"neurons": DampedNeuron},
    "neurons.__iadd__": {"neurons": AddTwiceNeuron},
    "weights.__mul__": {"weights": ScaledTransmission},
    "weights.clip": {"weights": HalfCapWeight, "learning_rate": 5.0},
    "weights.matrix": {"weights": MatrixView},
    "synapses.update": {"synapses": EveryOtherUpdate},
    "synapses._apply_stdp": {"synapses": PotentiateAll},
    "synapses.reward": {"synapses": DoubleReward, "trace_decay": 1.0},
    "synapses._hebbian": {"synapses": HalfHebbian},
}


@pytest.mark.parametrize("case", sorted(PER_STEP_OVERRIDES))
def test_a_redefined_per_step_method_takes_the_python_path_with_the_original_loop(case):
    cfg = PER_STEP_OVERRIDES[case]
    keys = {"trace_decay": 0.3, **cfg}
    net = Small(seed=8, **keys)
    kind, method = case.split(".")
    part = getattr(net, kind)
    assert net._fast_kinds() is None
    assert method in redefined_tick_methods(part, type(part).__mro__[1])
    assert [r.split(":")[0] for r in net.python_path_reasons()] == [kind]
    a, b = both_loops(net)
    assert_same_run(a, b)
    # and it made a difference: the built-in parts give another run
    parts = ("inputs", "neurons", "weights", "synapses")
    base_keys = {k: v for k, v in keys.items() if k not in parts}
    plain = both_loops(Small(seed=8, **base_keys))[0]
    assert not (np.array_equal(a[1], plain[1]) and np.array_equal(a[2], plain[2])), case


class GatedRateMap(input.RateMap):
    """A part that implements FastPath itself: a helper of its own that ``__call__`` and
    ``tick_block`` both go through (here: the identity), reproduced by the compiled tick."""

    def fast_path(self):
        return FastPart("inputs", GatedRateMap)

    def _gate(self, spikes):
        return spikes

    def __call__(self):
        return self._gate(super().__call__())


class ClosedGate(GatedRateMap):
    def _gate(self, spikes):
        return np.zeros_like(spikes)


def test_a_helper_added_to_a_part_is_covered_by_the_fast_path_protocol():
    """No list names ``_gate``: the protocol compares every method of the declared base,
    so the user's override of a new helper sends the network down the Python path."""
    assert Small(seed=3, inputs=GatedRateMap).python_path_reasons() == []
    net = Small(seed=3, inputs=ClosedGate)
    assert net._fast_kinds() is None
    assert net.python_path_reasons() == ["inputs: ClosedGate redefines _gate of GatedRateMap"]
    logs, _ = run(net, n_ticks=3)
    assert not np.any(logs[:, :, :N_IN])  # the override ran: no input spike


def test_a_part_declaring_another_role_is_refused():
    class WrongRole(input.RateMap):
        def fast_path(self):
            return FastPart("neurons", WrongRole, 0)

    (reason,) = Small(seed=3, inputs=WrongRole).python_path_reasons()
    assert reason.startswith("inputs: WrongRole.fast_path() gave FastPart(role='neurons'")
    assert isinstance(Small(seed=3).inputs, FastPath)


class OriginalStyleRule(synapse.template.RLSynapse):
    """A user's rule written against the original's template: RLSTDP's arithmetic,
    applied through the template's ``_hebbian`` and ``weights.clip()``."""

    def _apply_stdp(self, spike_log, polarities):
        log = np.asarray(spike_log)[-self._stdp_window :]
        pre = np.where(np.any(log[:-1], axis=0))[0]
        post = np.where(log[-1])[0]
        if not pre.size or not post.size:
            return
        k = np.arange(self._stdp_window - log.shape[0], self._stdp_window - 1)[:, None]
        k = k * (self._learning_rate * self.trace / k.max())
        dts = np.sum(k * log[:-1], axis=0) * polarities
        self._hebbian(pre, post, dts)
        self._hebbian(pre, post, dts, inverse=True)
        self.weights.clip()

    def reward(self, rwd):
        self.trace += rwd


def test_a_rule_written_on_the_template_hebbian_equals_the_builtin_rlstdp():
    mine = both_loops(Small(seed=9, synapses=OriginalStyleRule, trace_decay=0.3))[0]
    built_in = both_loops(Small(seed=9, synapses=synapse.RLSTDP, trace_decay=0.3))[0]
    assert mine[0] == built_in[0]
    np.testing.assert_array_equal(mine[1], built_in[1])
    np.testing.assert_allclose(mine[2], built_in[2], rtol=0, atol=1e-12)
    assert not np.array_equal(built_in[2], Small(seed=9).weights.matrix)  # it learned


def test_builtin_parts_and_harmless_subclasses_keep_the_compiled_tick():
    class OwnInit(weight.Manual):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.note = "built"

    class OwnReset(neuron.Neuron):
        def reset(self):
            super().reset()
            self.potentials[:] = 0.5

    for cfg in ({}, {"weights": OwnInit}, {"neurons": OwnReset}, {"weights": weight.Random,
                "weight_generator": lambda s: np.random.uniform(0, 1, s)}):  # fmt: skip
        net = Small(seed=1, **cfg)
        assert net._fast_kinds() is not None and net.python_path_reasons() == [], cfg
    net = Small(seed=1, neurons=OwnReset)
    net.reset()
    assert np.all(net.neurons.potentials == 0.5)


def test_readout_rewarder_and_modifiers_run_once_per_tick_on_the_compiled_tick():
    calls = {"readout": 0, "rewarder": 0, "modifier": 0}

    class R(readout.TopAction):
        def __call__(self, spikes):
            calls["readout"] += 1
            return super().__call__(spikes)

    class W(reward.MatchExpected):
        def __call__(self, *args):
            calls["rewarder"] += 1
            return super().__call__(*args)

    class M(modifier.LinearDecay):
        def update(self, network):
            calls["modifier"] += 1
            super().update(network)

    mod = M(["network", "synapses", "_learning_rate"], 10, 0.2, 0.0)
    net = Small(seed=2, readout=R, rewarder=W, modifiers=[mod])
    assert net._fast_kinds() is not None
    run(net, n_ticks=7)
    assert calls == {"readout": 7, "rewarder": 7, "modifier": 7}


# -- the differences kept by design ------------------------------------------------------


def test_potentials_are_float64_float16_changes_results():
    net = Small(seed=0, magnitude=5.6)
    logs, _ = run(net, n_ticks=2)
    assert net.neurons.potentials.dtype == np.float64
    assert set(np.unique(np.abs(logs))) <= {0.0, 5.6}  # the original logged 5.6015625
    assert float(np.float16(5.6)) == 5.6015625
    a64, b64, _ = or_run(neuron.Neuron, seed=1, game_steps=40)
    a16, b16, _ = or_run(Float16Neuron, seed=1, game_steps=40)
    assert b64 != b16 and np.any(a64 != a16)


def test_matrix_is_plain_with_a_live_mask():
    dense = np.full((6, 4), 0.5)
    dense[0, 0] = 0.0
    w = weight.Manual(**dict(PART_KEYS, matrix=np.ma.array(dense, mask=dense == 0)))
    assert type(w._matrix) is np.ndarray and not hasattr(w._matrix, "mask")
    np.testing.assert_array_equal(~w.live, dense == 0)  # was: w._matrix.mask
    w += 1.0
    assert w.matrix[0, 0] == 0 and np.all(w.matrix[dense != 0] == 1.0)  # absent stays absent


def test_n_outputs_beyond_n_neurons_is_refused():
    with pytest.raises(ConfigError, match="n_outputs' got 30; expected a number <= 20"):
        Network(**dict(FAKES, n_outputs=30))


def test_active_network_reward_returns_the_reward():
    seen = []

    class Counting(reward.MatchExpected):
        def __call__(self, *args):
            seen.append(args)
            return super().__call__(*args)

    class Active(ActiveRLNetwork):
        parts = dict(Small.parts, rewarder=Counting)
        keys = dict(Small.keys, continuous_rwd_action=lambda net, s: 1)

    net = Active(seed=1)
    action = net.tick(1)
    seen.clear()
    trace = net.synapses.trace
    assert net.reward(1, action, 2) == (1.0 if action == 1 else -0.5)  # the original: None
    assert len(seen) == 1 and net.synapses.trace == trace  # asked once, nothing applied
    assert net.reward(1, action, 2, reward=3.0) == 3.0


def test_cartpole_bounds_only_the_push_to_the_right():
    game = CartPole()
    game.reset(seed=0)
    game.step(-50.0)  # the original accepted any push to the left; so does this
    game.step([1.0, 0.0])
    for action in (12.0, 50.0, [0.0, 1.2]):  # the original's assert: force < 1.2 * Force_Mag
        with pytest.raises(ValueError, match="below 12"):
            game.step(action)
    for action in (-np.inf, np.nan):  # not finite: refused (the original ran on into NaN)
        with pytest.raises(ValueError, match="finite"):
            game.step(action)
    game.reset(seed=0)
    with pytest.raises(ValueError, match="overflowed"):
        for _ in range(3):
            game.step(-1e300)
