"""The Izhikevich parts (neuron.Izhikevich, weight.DelayedSparse, synapse.DASTDP) in the
template style: structure, glue against the engine driven by hand, reproducibility, learning
from reward, bad input."""

import copy
import pickle

import numpy as np
import pytest

from spikey.engine import NEURON_TYPES
from spikey.module import ConfigError
from spikey.snn import (
    ActiveRLNetwork,
    Key,
    RLNetwork,
    input,
    neuron,
    readout,
    reward,
    synapse,
    weight,
)


class StateReward(reward.template.Reward):
    """Reward ``reward_mult`` after every tick of state ``rewarded_state`` (None: never)."""

    NECESSARY_KEYS = reward.template.Reward.extend_keys(
        [Key("rewarded_state", "State whose ticks are rewarded.", default=0)]
    )

    def __call__(self, state, action, state_next):
        return self._reward_mult if state == self._rewarded_state else 0.0


class PaperNet(RLNetwork):
    """The paper's random network, small: 60 neurons (20 % inhibitory), 10 inputs."""

    parts = {
        "inputs": input.RateMap,
        "neurons": neuron.Izhikevich,
        "weights": weight.DelayedSparse,
        "synapses": synapse.DASTDP,
        "readout": readout.Threshold,
        "rewarder": StateReward,
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
        "seed": 0,
    }


def drive(net, n_ticks, state_seed=5):
    """Reset, then tick random states 0/1 and reward each; return logs, states, rewards."""
    g = np.random.default_rng(state_seed)
    net.reset()
    logs, states, rewards = [], [], []
    for _ in range(n_ticks):
        s = int(g.integers(2))
        action = net.tick(s)
        logs.append(net.spike_log.copy())
        rewards.append(net.reward(s, action, None))
        states.append(s)
    return np.array(logs), states, rewards


# --------------------------------------------------------------------------- structure
def test_random_network_structure():
    net = PaperNet(seed=1, neuron_pct_inhibitory=0.25)
    neu, w = net.neurons, net.weights
    ni, n, m, dmax = 10, 60, 10, 5
    assert (neu.polarities < 0).sum() == 15  # exactly round(0.25 * 60)
    rs, fs = NEURON_TYPES["RS"], NEURON_TYPES["FS"]
    assert np.array_equal(neu.abcd[neu.polarities > 0], np.tile(rs, (45, 1)))
    assert np.array_equal(neu.abcd[neu.polarities < 0], np.tile(fs, (15, 1)))
    pre, post, delay, plastic = w.pre, w.post, w.delay, w.plastic
    assert np.all(np.diff(pre) >= 0)  # storage order: by pre, then delay
    for row in range(ni + n):
        mine = pre == row
        if row < ni:  # inputs: 3 distinct targets, fixed, weight 20, delay 1
            assert mine.sum() == 3 and np.unique(post[mine]).size == 3
            assert not plastic[mine].any() and np.all(w.values[mine] == 20.0)
            assert np.all(delay[mine] == 1)
            continue
        assert mine.sum() == m
        assert np.all(np.diff(delay[mine]) >= 0)
        if neu.polarities[row - ni] > 0:
            assert plastic[mine].all() and np.all(w.values[mine] == 1.0)
            assert np.array_equal(np.sort(delay[mine]), 1 + np.arange(m) * dmax // m)
        else:
            assert not plastic[mine].any()
            assert np.all(neu.polarities[post[mine]] > 0) and np.all(delay[mine] == 1)
    dense = w.matrix
    assert dense.shape == (ni + n, n)
    assert dense.sum() == pytest.approx(w.values.sum())


def test_user_connections_and_plastic_default():
    pol = np.array([1.0, 1.0, -1.0])
    conn = ([0, 1, 2, 3, 3], [0, 1, 2, 0, 1], [5.0, 1.5, 0.5, 2.0, 3.0], [2, 1, 1, 3, 1])
    net = PaperNet(
        n_inputs=1,
        n_neurons=3,
        n_outputs=1,
        state_rate_map=np.array([[1.0]]),
        polarities=pol,
        connections=conn,
        max_delay=3,
    )
    w = net.weights
    # sorted by (pre, delay, post): row 3's delay-1 synapse comes before its delay-3 one
    assert list(w.pre) == [0, 1, 2, 3, 3] and list(w.delay) == [2, 1, 1, 1, 3]
    assert list(w.order) == [0, 1, 2, 4, 3]
    assert list(w.plastic) == [False, True, True, False, False]  # from excitatory body neurons
    assert np.allclose(w.values, [5.0, 1.5, 0.5, 3.0, 2.0])
    net.reset()
    pre, post, signed, delay, plastic = w.body_arrays()
    assert np.allclose(net.synapses.engine.weights(), [1.5, 0.5, -3.0, -2.0])
    assert np.allclose(signed, [1.5, 0.5, -3.0, -2.0])
    w.set_values([1, 4], [2.5, 0.25])
    assert np.allclose(w.values, [5.0, 2.5, 0.5, 3.0, 0.25])
    assert np.allclose(net.synapses.engine.weights(), [2.5, 0.5, -3.0, -0.25])


# --------------------------------------------------------------------------- the glue
def test_tick_matches_the_engine_driven_by_hand():
    """Inputs become stimuli (spike * weight, delay - 1 ms later, carried over ticks), rewards
    become pulses at the next tick's first ms: run the same engine by hand and compare."""
    net = PaperNet(
        seed=3,
        processing_time=20,
        max_delay=11,
        input_delay=11,
        syn_per_neuron=8,
        state_rate_map=np.array([[0.3, 0.05], [0.05, 0.3]]),
        reward_amount=0.7,
        reward_mult=1.5,
    )
    net.reset()
    hand = copy.deepcopy(net.synapses.engine)
    g = np.random.default_rng(9)
    logs, rewarded_at = [], []
    steps, ni, n_ticks = 20, 10, 12
    for k in range(n_ticks):
        s = int(g.integers(2))
        action = net.tick(s)
        logs.append(net.spike_log.copy())
        if net.reward(s, action, None):
            rewarded_at.append((k + 1) * steps)
    w = net.weights
    stim = []  # brute force: every input spike over every synapse it has
    for k, log in enumerate(logs):
        for step, col in zip(*np.nonzero(log[:, :ni])):
            for syn in np.flatnonzero(w.pre == col):
                t = k * steps + step + w.delay[syn] - 1
                stim.append((t, w.post[syn], log[step, col] * w.values[syn]))
    stim = [x for x in stim if x[0] < n_ticks * steps]
    assert len(stim) > 20 and max(x[0] for x in stim) >= steps  # there was carry-over
    t, i, a = (np.array(c) for c in zip(*stim))
    rew_t = np.array([x for x in rewarded_at if x < n_ticks * steps], dtype=np.int64)
    assert rew_t.size >= 3
    spikes = hand.run(
        n_ticks * steps, stimuli=(t, i, a), rewards=(rew_t, np.full(rew_t.size, 1.5 * 0.7))
    )
    expected = np.zeros((n_ticks * steps, 60))
    expected[spikes.t, spikes.i] = net.neurons.polarities[spikes.i]
    got = np.concatenate(logs)[:, ni:]
    assert len(spikes) > 50
    assert np.array_equal(got, expected)
    assert np.array_equal(
        net.weights.values[w.n_input_syn :] * 1.0,
        hand.weights() * net.neurons.polarities[w.pre[w.n_input_syn :] - ni],
    )


def test_reward_is_a_dopamine_pulse_scaled_by_reward_mult():
    net = PaperNet(seed=2, reward_mult=2.0, reward_amount=0.5, tau_d=200.0)
    net.reset()
    net.tick(0)
    assert net.synapses.dopamine == 0.0
    assert net.reward(0, 1, None) == 2.0
    assert net.synapses.pending_dopamine == 1.0
    net.tick(1)  # pulse at its first ms, then 49 ms of decay by 1 - 1/tau_d
    assert net.synapses.dopamine == pytest.approx(1.0 * 0.995**49, rel=1e-12)
    assert net.reward(1, 1, None) == 0.0  # state 1 is not rewarded: no pulse
    net.tick(1)
    assert net.synapses.dopamine == pytest.approx(0.995**99, rel=1e-12)


def test_da_release_adds_dopamine_at_each_spike():
    net = PaperNet(seed=2, da_release=0.01, tau_d=100.0)
    net.reset()
    net.tick(0)
    counts = (net.spike_log[:, 10:] != 0).sum(axis=1)
    assert counts.sum() > 5
    expected = sum(c * 0.01 * 0.99 ** (49 - t) for t, c in enumerate(counts))
    assert net.synapses.dopamine == pytest.approx(expected, rel=1e-12)


def test_compiled_and_reference_engines_agree():
    a, _, _ = drive(PaperNet(seed=4), 8)
    net_ref = PaperNet(seed=4, fast_path=False)
    b, _, _ = drive(net_ref, 8)
    assert net_ref.synapses.engine.engine == "reference"
    assert (a[:, :, 10:] != 0).sum() > 30
    assert np.array_equal(a, b)


# --------------------------------------------------------------------------- reproducibility
def test_same_seed_same_run_other_seed_other_run():
    runs = []
    for seed in (7, 7, 8):
        net = PaperNet(seed=seed)
        logs, _, _ = drive(net, 10)
        runs.append((logs, net.weights.values))
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])
    assert not np.array_equal(runs[0][0], runs[2][0])
    logs = runs[0][0]
    body = logs[:, :, 10:]
    assert set(np.unique(body)) <= {-1.0, 0.0, 1.0}
    pol = PaperNet(seed=7).neurons.polarities
    assert np.all(body * pol >= 0)  # a spike reads its neuron's polarity
    rate = (body != 0).sum() / 60 / (10 * 0.05)
    assert 0.5 < rate < 40


def test_copy_and_pickle_continue_identically():
    net = PaperNet(seed=5)
    drive(net, 4)
    twins = [copy.deepcopy(net), pickle.loads(pickle.dumps(net))]
    out = []
    for m in [net] + twins:
        logs = []
        for s in (0, 1, 0, 1):
            m.reward(s, m.tick(s), None)
            logs.append(m.spike_log.copy())
        out.append((np.array(logs), m.weights.values))
    for logs, values in out[1:]:
        assert np.array_equal(logs, out[0][0]) and np.array_equal(values, out[0][1])


def test_reset_keeps_weights_and_continues_the_noise():
    net = PaperNet(seed=6)
    first, _, _ = drive(net, 6)
    learned = net.weights.values
    assert not np.array_equal(learned, PaperNet(seed=6).weights.values)
    noise_state = net.synapses.engine.noise_state
    net.reset()
    engine = net.synapses.engine
    assert np.array_equal(engine.noise_state, noise_state)
    assert engine.t == 0 and engine.d == 0.0 and not engine.eligibility().any()
    assert np.all(engine.v == -65.0)
    assert np.array_equal(net.weights.values, learned)
    second, _, _ = drive(net, 6)  # the same states on learned weights and fresh noise
    assert not np.array_equal(first, second)


def test_eval_freezes_weights():
    net = PaperNet(seed=2)
    drive(net, 3)
    before = net.weights.values
    net.eval()
    for s in (0, 0, 0):
        net.reward(s, net.tick(s), None)
    assert np.array_equal(net.weights.values, before)
    net.train()
    for s in (0, 0, 0):
        net.reward(s, net.tick(s), None)
    assert not np.array_equal(net.weights.values, before)


# --------------------------------------------------------------------------- learning
N_PAIR = 50


def pair_connections(seed=0):
    """Inputs 0/2 stimulate P (1 ms) then Q (11 ms): state 0 pairs P before Q; inputs 1/3
    stimulate Q then P: state 1 pairs Q before P. P <-> Q plastic at 1 mV, plus a random
    background of 48 neurons (the last 10 inhibitory)."""
    g = np.random.default_rng(seed)
    pol = np.ones(N_PAIR)
    pol[-10:] = -1
    rows = [
        (0, 0, 20.0, 1),
        (2, 1, 20.0, 11),
        (1, 1, 20.0, 1),
        (3, 0, 20.0, 11),
        (4 + 0, 1, 1.0, 1),
        (4 + 1, 0, 1.0, 1),
    ]
    for nrn in range(2, N_PAIR):
        targets = g.integers(0, N_PAIR if pol[nrn] > 0 else N_PAIR - 10, 10)
        rows += [(4 + nrn, int(t), 1.0, int(g.integers(1, 6))) for t in targets]
    return pol, tuple(np.array(c) for c in zip(*rows))


POL, CONN = pair_connections()


class PairNet(RLNetwork):
    parts = dict(PaperNet.parts)
    keys = {
        "n_inputs": 4,
        "n_neurons": N_PAIR,
        "n_outputs": 1,
        "processing_time": 500,
        "magnitude": 1.0,
        "state_rate_map": np.eye(2),
        "input_firing_steps": 0,  # the first ms of a tick only (steps 0..0, as the original)
        "polarities": POL,
        "connections": CONN,
        "max_delay": 11,
        "max_weight": 4.0,
        "action_threshold": 0.0,
        "reward_mult": 0.2,
    }


def pair_weights(rewarded_state, seed, n_ticks=400, **keys):
    net = PairNet(seed=seed, rewarded_state=rewarded_state, **keys)
    drive(net, n_ticks, state_seed=11)
    w = net.weights
    values = w.values
    pq = values[(w.pre == 4) & (w.post == 1)][0]
    qp = values[(w.pre == 5) & (w.post == 0)][0]
    return pq, qp


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_reward_strengthens_the_rewarded_pairing(mode):
    """Fig. 1 in a network: rewarding the state that pairs P before Q grows P->Q and shrinks
    Q->P; rewarding the other state does the opposite; without reward both stay low."""
    seeds = (0, 1, 2) if mode == "stepped" else (0, 1)
    res = {
        r: np.array([pair_weights(r, s, plasticity_mode=mode) for s in seeds]) for r in (0, 1, None)
    }
    contrast = (res[0][:, 0] - res[0][:, 1]) - (res[1][:, 0] - res[1][:, 1])
    assert np.all(contrast > 2.0), contrast
    control = res[None].mean(axis=0)
    assert res[0][:, 0].mean() > control[0] + 1.0  # P->Q, rewarded when P leads
    assert res[1][:, 1].mean() > control[1] + 1.0  # Q->P, rewarded when Q leads
    assert res[0][:, 1].mean() < 0.5 and res[1][:, 0].mean() < 0.5  # the anti-causal ones fall
    assert np.all(control < 1.0)  # tonic dopamine alone: depression-dominated drift


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "keys, words",
    [
        ({"exc_type": "XX"}, ["Izhikevich", "exc_type", "RS"]),
        ({"neuron_abcd": np.zeros((3, 4))}, ["neuron_abcd", "(60, 4)"]),
        ({"neuron_abcd": np.full((60, 4), np.nan)}, ["neuron_abcd", "finite"]),
        ({"polarities": np.ones(59)}, ["polarities", "60"]),
        ({"noise": "pink"}, ["noise", "uniform"]),
        ({"neuron_pct_inhibitory": 1.5}, ["neuron_pct_inhibitory"]),
        ({"max_delay": 65}, ["DelayedSparse", "max_delay", "64"]),
        ({"inh_delay": 9}, ["inh_delay", "<= 5"]),
        ({"exc_weight": 5.0}, ["exc_weight", "<= 4"]),
        ({"input_syn_per_input": 61}, ["input_syn_per_input"]),
        ({"tau_c": -5.0}, ["DASTDP", "tau_c"]),
        ({"tau_d": float("nan")}, ["tau_d", "finite"]),
        ({"a_minus": -0.1}, ["a_minus", ">= 0"]),
        ({"plasticity_mode": "fast"}, ["plasticity_mode", "stepped"]),
        ({"da_release": np.ones(3)}, ["da_release", "60"]),
        ({"connections": ([0], [0], [1.0])}, ["connections", "four"]),
        ({"connections": ([0], [60], [1.0], [1])}, ["connections", "post 60", "0..59"]),
        ({"connections": ([70], [0], [1.0], [1])}, ["connections", "pre 70"]),
        ({"connections": ([12], [0], [1.0], [6])}, ["connections", "delay 6", "1..5"]),
        ({"connections": ([12], [0], [1.0], [0])}, ["connections", "delay 0"]),
        ({"connections": ([12], [0], [-1.0], [1])}, ["connections", "weight -1.0", ">= 0"]),
        ({"connections": ([12], [0], [np.nan], [1])}, ["connections", "finite"]),
        ({"connections": ([12], [0], [1.0], [1.5])}, ["connections", "integer"]),
        (
            {"connections": ([12], [0], [1.0], [1]), "plastic_mask": np.array([1])},
            ["plastic_mask", "bool"],
        ),
        (
            {"connections": ([0], [0], [1.0], [1]), "plastic_mask": np.array([True])},
            ["plastic_mask", "input"],
        ),
        (
            {"connections": ([12], [0], [4.5], [1]), "polarities": np.ones(60)},
            ["connections", "4.5", "max_weight"],
        ),
        (
            {
                "connections": ([12], [0], [1.0], [1]),
                "polarities": -np.ones(60),
                "plastic_mask": np.array([True]),
            },
            ["plastic_mask", "inhibitory"],
        ),
    ],
)
def test_bad_keys_name_the_part_and_the_key(keys, words):
    with pytest.raises(ConfigError) as err:
        PaperNet(**keys)
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_bad_use():
    with pytest.raises(ConfigError, match="work only together"):
        PaperNet(weights=weight.Manual, matrix=np.zeros((70, 60)), max_weight=1.0)
    with pytest.raises(ConfigError, match="ActiveRLNetwork"):

        class Active(ActiveRLNetwork):
            parts = PaperNet.parts
            keys = dict(PaperNet.keys, continuous_rwd_action=lambda net, s: 0)

        Active()
    net = PaperNet()
    net.tick(0)
    with pytest.raises(ConfigError, match="dopamine dip"):
        net.synapses.reward(float("inf"))
    with pytest.raises(ConfigError, match="reward"):
        net.synapses.reward(float("nan"))
    with pytest.raises(ConfigError, match="set_values"):
        net.weights.set_values([np.flatnonzero(net.weights.plastic)[0]], [4.5])
    with pytest.raises(ConfigError, match="not step by step"):
        net.neurons()
