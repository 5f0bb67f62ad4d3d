"""synapse.MSTDP / synapse.MSTDPET against Florian's (2007) equations written as loops."""

import numpy as np
import pytest

from spikey.module import ConfigError
from spikey.snn import weight
from spikey.snn.synapse import MSTDP, MSTDPET
from spikey.snn.synapse.mstdp_reference import florian_reference

PRE, POST = [5, 80, 115, 135], [10, 70, 110, 140]


def notebook_raster(steps=200):
    spikes = np.zeros((steps, 2))
    spikes[PRE, 0] = 1
    spikes[POST, 1] = 1
    rewards = np.where(np.arange(steps) < 100, 1.0, -1.0)  # negative after 100 ms
    return spikes, rewards


def drive(part, w, spikes, rewards, polarities=None):
    pol = np.ones(spikes.shape[1]) if polarities is None else polarities
    path = []
    for t in range(spikes.shape[0]):
        part.update(spikes[: t + 1], pol)
        part.reward(rewards[t])
        path.append(np.array(w.matrix, dtype=float))
    return np.asarray(path)


def one_synapse(cls, **extra):
    w = weight.Manual(n_inputs=0, n_neurons=2, max_weight=10.0, matrix=[[0, 0.2], [0, 0]])
    keys = dict(n_inputs=0, n_neurons=2, stdp_window=20, learning_rate=0.2, **extra)
    return cls(w, **keys), w


@pytest.mark.parametrize("cls, tau_z", [(MSTDP, None), (MSTDPET, 25.0)])
def test_notebook_protocol_matches_equations(cls, tau_z):
    spikes, rewards = notebook_raster()
    part, w = one_synapse(cls, **({} if tau_z is None else {"tau_z": tau_z}))
    path = drive(part, w, spikes, rewards)
    ref = florian_reference(
        spikes, rewards, [[0, 0.2], [0, 0]], 0.2, tau_z=tau_z, live=[[0, 1], [0, 0]]
    )
    assert np.max(np.abs(path - ref["w"][1:])) <= 1e-9
    assert np.max(np.abs(path[:, 0, 1] - 0.2)) > 0.05  # the weight did move
    if tau_z is not None:
        assert np.max(np.abs(part.eligibility - ref["z"][-1])) <= 1e-9


def test_mstdpet_final_weight_and_trace_by_hand():
    """Numbers from the equations by hand: the first pairing (pre 5, post 10) and the z decay."""
    spikes, rewards = notebook_raster()
    part, w = one_synapse(MSTDPET, tau_z=25.0)
    for t in range(11):
        part.update(spikes[: t + 1], np.ones(2))
        part.reward(rewards[t])
    z10 = np.exp(-5 / 20) / 25  # zeta(10) = e^(-5/20), z jumps by zeta / tau_z
    assert part.eligibility[0, 1] == pytest.approx(z10, rel=1e-12)
    assert w.matrix[0, 1] == pytest.approx(0.2 + 0.2 * z10, rel=1e-12)
    part.update(spikes[:12], np.ones(2))
    assert part.eligibility[0, 1] == pytest.approx(z10 * np.exp(-1 / 25), rel=1e-12)


def test_random_network_with_inputs_polarities_and_absent_synapses():
    rng = np.random.default_rng(3)
    n_in, n = 3, 4
    spikes = (rng.random((400, n_in + n)) < 0.06).astype(float)
    rewards = np.repeat(rng.choice([-1.0, 0.0, 0.5, 1.0], 20), 20)
    w0 = rng.uniform(1, 2, (n_in + n, n)) * (rng.random((n_in + n, n)) < 0.7)
    pol = np.where(rng.random(n_in + n) < 0.3, -1.0, 1.0)
    for cls, tau_z in ((MSTDP, None), (MSTDPET, 12.5)):
        w = weight.Manual(n_inputs=n_in, n_neurons=n, max_weight=50.0, matrix=w0.copy())
        keys = dict(n_inputs=n_in, n_neurons=n, stdp_window=5, learning_rate=0.05)
        keys.update(a_plus=0.8, a_minus=-1.1, tau_plus=15.0, tau_minus=30.0)
        if tau_z:
            keys["tau_z"] = tau_z
        path = drive(cls(w, **keys), w, spikes, rewards, pol)
        ref = florian_reference(
            spikes,
            rewards,
            w0,
            0.05,
            tau_plus=15.0,
            tau_minus=30.0,
            a_plus=0.8,
            a_minus=-1.1,
            tau_z=tau_z,
            n_inputs=n_in,
            polarities=pol,
            live=w0 != 0,
            bounds=(0.0, 50.0),
        )
        assert np.max(np.abs(path - ref["w"][1:])) <= 1e-9
        assert np.all(path[:, w0 == 0] == 0)  # absent synapses never change
        assert np.max(np.abs(path[-1] - w0)) > 0.01


class DuckWeight:
    """The original notebook's weight protocol: only _matrix, matrix and clip()."""

    def __init__(self, matrix):
        self._matrix = np.array(matrix, dtype=float)
        self.matrix = self._matrix
        self.clips = 0

    def clip(self):
        self.clips += 1


def test_duck_typed_weight_object():
    spikes, rewards = notebook_raster()
    duck = DuckWeight([[0, 0.2], [0, 0]])
    part = MSTDPET(duck, n_inputs=0, n_neurons=2, stdp_window=20, learning_rate=0.2)
    path = drive(part, duck, spikes, rewards)
    ref = florian_reference(spikes, rewards, [[0, 0.2], [0, 0]], 0.2, tau_z=25.0)
    assert np.max(np.abs(path - ref["w"][1:])) <= 1e-9  # no live mask: every entry learns
    assert duck.clips > 0


def test_eval_freezes_and_reset_clears():
    spikes, rewards = notebook_raster()
    part, w = one_synapse(MSTDPET)
    drive(part, w, spikes[:20], rewards[:20])
    before = w.matrix.copy()
    z = part.eligibility.copy()
    part.eval()
    drive(part, w, spikes[:20], rewards[:20])
    assert np.array_equal(w.matrix, before) and np.array_equal(part.eligibility, z)
    part.train()
    part.reset()
    assert not part.eligibility.any() and not part.pre_trace.any() and not part.zeta.any()


def test_tau_defaults_to_stdp_window():
    part, _ = one_synapse(MSTDP)
    assert part.tau_plus == part.tau_minus == 20.0
    part, _ = one_synapse(MSTDP, tau_plus=7.0)
    assert part.tau_plus == 7.0 and part.tau_minus == 20.0


@pytest.mark.parametrize(
    "key, value, expected",
    [("tau_z", 0.0, "tau_z"), ("tau_plus", -1.0, "tau_plus"), ("a_plus", "x", "a_plus")],
)
def test_bad_keys_name_the_part_and_key(key, value, expected):
    with pytest.raises(ConfigError, match=rf"MSTDPET: key '{expected}' got"):
        one_synapse(MSTDPET, **{key: value})


def test_wrong_spike_log_width_is_an_error():
    part, _ = one_synapse(MSTDP)
    with pytest.raises(ValueError, match="MSTDP.update: spike_log has shape"):
        part.update(np.zeros((3, 5)), np.ones(5))


def test_in_an_active_network_matches_equations_on_what_it_saw():
    """Built into an ActiveRLNetwork, MSTDPET learns from the network's own spikes and
    per-step rewards exactly as the equations say (replayed from a recording)."""
    from spikey.snn import ActiveRLNetwork, input, neuron, readout, reward

    seen = {"rows": [], "rewards": []}

    class Recording(MSTDPET):
        def update(self, spike_log, polarities):
            seen["rows"].append(np.array(spike_log[-1], dtype=float))
            seen["polarities"] = np.array(polarities, dtype=float)
            super().update(spike_log, polarities)

        def reward(self, rwd):
            seen["rewards"].append(float(rwd))
            super().reward(rwd)

    class Rewarder(reward.template.Reward):
        def __call__(self, state, action, state_next):
            return 1.0 if action else -0.25

    class Net(ActiveRLNetwork):
        parts = {
            "inputs": input.RateMap,
            "neurons": neuron.Neuron,
            "synapses": Recording,
            "weights": weight.Manual,
            "readout": readout.Threshold,
            "rewarder": Rewarder,
        }
        keys = {
            "n_inputs": 4,
            "n_neurons": 3,
            "n_outputs": 1,
            "matrix": [np.full((4, 2), 3.0), np.full((2, 1), 3.0)],
            "magnitude": 2,
            "firing_threshold": 4,
            "potential_decay": 0.1,
            "refractory_period": 0,
            "input_pct_inhibitory": 0.25,
            "prob_rand_fire": 0.05,
            "processing_time": 50,
            "learning_rate": 0.5,
            "max_weight": 10,
            "stdp_window": 3,
            "tau_z": 10.0,
            "action_threshold": 0,
            "continuous_rwd_action": lambda network, state: network.spike_log[-1, -1],
            "state_rate_map": {0: np.array([0.3, 0.3])},
            "seed": 5,
        }

    net = Net()
    net.reset()
    w0 = net.synapses.weights.matrix.copy()
    net.tick(0)
    net.tick(0)
    rows, rewards = np.asarray(seen["rows"]), np.asarray(seen["rewards"])
    assert rows.shape == (100, 7) and rewards.shape == (100,)
    assert rows[:, 4:].any() and (rewards != 0).any()
    ref = florian_reference(
        rows,
        rewards,
        w0,
        0.5,
        tau_plus=3.0,
        tau_minus=3.0,
        tau_z=10.0,
        n_inputs=4,
        polarities=seen["polarities"],
        live=net.synapses.weights.live,
        bounds=(0.0, 10.0),
    )
    w1 = net.synapses.weights.matrix
    assert np.max(np.abs(w1 - ref["w"][-1])) <= 1e-9
    assert np.max(np.abs(w1 - w0)) > 1e-3
