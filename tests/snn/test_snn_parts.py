"""Each part's behaviour against numbers worked out by hand."""

import numpy as np
import pytest

from spikey.snn import modifier, neuron, readout, reward, synapse, weight
from spikey.snn.input import RateMap, StaticMap
from spikey.snn.neuron.template import REFRACTORY_MV

NEURON = dict(
    magnitude=2.0, n_neurons=3, firing_threshold=5.0, potential_decay=0.2, refractory_period=0
)


# -- input ------------------------------------------------------------------------------
def test_ratemap_groups_are_round_robin_and_rates_hold():
    srm = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 0.0]])
    inp = RateMap(n_inputs=6, magnitude=2.5, state_rate_map=srm, rng=0)
    inp.update(0)
    spikes = np.array([inp() for _ in range(4000)])
    assert np.all(spikes[:, [0, 3]] == 2.5) and np.all(spikes[:, [1, 4]] == 0)
    assert abs(np.mean(spikes[:, [2, 5]] != 0) - 0.3) < 0.02
    inp.update(1)
    assert np.array_equal(inp(), [0, 2.5, 0, 0, 2.5, 0])


def test_ratemap_dict_states_and_inhibitory_inputs():
    srm = {(False, True): [0.0, 1.0], (True, True): np.array([1.0, 1.0])}
    inp = RateMap(n_inputs=4, magnitude=1.0, state_rate_map=srm, input_pct_inhibitory=0.5, rng=3)
    assert set(inp.polarities) == {-1.0, 1.0}
    inp.update((False, True))
    assert np.array_equal(inp(), np.array([0, 1, 0, 1]) * inp.polarities)


def test_ratemap_firing_steps_and_block_equals_calls():
    srm = np.full((1, 2), 0.5)
    a = RateMap(n_inputs=4, magnitude=1.0, state_rate_map=srm, input_firing_steps=3, rng=9)
    b = RateMap(n_inputs=4, magnitude=1.0, state_rate_map=srm, input_firing_steps=3, rng=9)
    a.update(0)
    b.update(0)
    calls = np.array([a() for _ in range(6)])
    vals, cols = b.tick_block(6)
    block = np.zeros((6, 4))
    block[:, cols] = vals
    assert np.array_equal(calls, block)
    # steps 0..3 fire (the original's count: its test came before counting the step)
    assert not np.any(calls[4:]) and np.any(calls[3]) and np.any(calls[:3])


def test_staticmap_patterns():
    pattern = np.array([[1, 0], [0, 1], [1, 1]])
    inp = StaticMap(n_inputs=2, magnitude=3.0, state_spike_map={"a": pattern, "b": [1, 0]}, rng=0)
    inp.update("a")
    assert [inp().tolist() for _ in range(4)] == [[3, 0], [0, 3], [3, 3], [0, 0]]
    inp.update("b")
    assert inp().tolist() == inp().tolist() == [3, 0]


# -- neuron -----------------------------------------------------------------------------
def test_neuron_leaks_integrates_fires_and_resets():
    n = neuron.Neuron(**NEURON, resting_mv=1.0, rng=0)
    n.reset()
    v = 1.0
    for step in range(3):
        assert not np.any(n())
        n += np.array([2.0, 0.0, 0.0])
        v = (v - 1.0) * 0.8 + 1.0 + 2.0
        assert n.potentials[0] == pytest.approx(v)
        assert n.potentials[1] == 1.0
    assert v >= 5.0 and np.array_equal(n(), [2.0, 0, 0])  # fires with its magnitude
    n += np.zeros(3)
    assert n.potentials[0] == 1.0  # back to rest after a spike


def test_neuron_refractory_period_and_spike_delay():
    n = neuron.Neuron(**dict(NEURON, refractory_period=2, spike_delay=1, n_neurons=1), rng=0)
    n.reset()
    out = []
    for _ in range(8):
        out.append(n()[0])
        n += np.array([10.0])
    # fires at the first step it is above threshold (step 1), spike leaves 1 step later,
    # then 2 silent refractory steps, then fires again
    assert out == [0.0, 0.0, 2.0, 0.0, 0.0, 2.0, 0.0, 0.0]
    n.refractory_timers[:] = 1
    n += np.array([1.0])
    assert n.potentials[0] == 0.0 + 1.0  # timer hit 0: restart from rest, then add input
    n.refractory_timers[:] = 3
    n += np.array([0.0])
    assert n.potentials[0] == REFRACTORY_MV * 0.8


def test_neuron_polarities_and_random_firing():
    n = neuron.Neuron(
        **dict(NEURON, n_neurons=4), polarities=[1, -1, 1, -1], prob_rand_fire=1.0, rng=0
    )
    n.reset()
    assert np.array_equal(n(), [2.0, -2.0, 2.0, -2.0])
    share = neuron.Neuron(**dict(NEURON, n_neurons=4000), neuron_pct_inhibitory=0.25, rng=1)
    assert abs(np.mean(share.polarities == -1) - 0.25) < 0.03


def test_rand_potential_adds_bounded_noise():
    n = neuron.RandPotential(
        **dict(NEURON, n_neurons=500, firing_threshold=100.0),
        potential_noise_scale=2.0,
        prob_rand_fire=0.5,
        rng=0,
    )
    n.reset()
    n()
    kicked = n.potentials > 0
    assert 0.4 < kicked.mean() < 0.6 and n.potentials.max() < 2.0


# -- synapses ---------------------------------------------------------------------------
def _ltp(cls=synapse.LTP, window=4, **kw):
    w = weight.Manual(
        n_inputs=2,
        n_neurons=2,
        max_weight=3.0,
        matrix=np.array([[1.0, 0.0], [1.0, 1.0], [0.5, 0.5], [0.5, 0.0]]),
    )
    s = cls(w, n_inputs=2, n_neurons=2, stdp_window=window, learning_rate=0.5, **kw)
    s.reset()
    return s, w


def test_ltp_rewards_pre_before_post_by_recency():
    s, w = _ltp()
    # rows: oldest..newest; columns: in0, in1, body0, body1
    window = np.array([[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]], dtype=bool)
    s.update(window, np.array([1.0, -1.0, 1.0, 1.0]))
    before = w.matrix.copy()
    s.reward(2.0)
    scale = 0.5 / 4 * 2.0
    d = w.matrix - before
    assert d[0, 0] == pytest.approx((0 + 2) * scale)  # in0 spiked at k=0 and k=2
    assert d[1, 0] == pytest.approx(-(0 + 1) * scale)  # inhibitory in1 at k=0, k=1
    assert d[0, 1] == 0 and d[2, 0] == 0  # absent synapse / no pre spike
    assert np.all(d[:, 1] == 0)  # body1 did not spike last


def test_ltp_clips_and_eval_blocks_learning():
    s, w = _ltp()
    window = np.array([[0, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1]], dtype=bool)
    s.update(window, np.ones(4))
    s.reward(100.0)
    assert w.matrix[0, 0] == 3.0 and w.matrix[0, 1] == 0.0
    s2, w2 = _ltp()
    s2.update(window, np.ones(4))
    s2.eval()
    s2.reward(100.0)
    assert w2.matrix[0, 0] == 1.0


def test_rlstdp_depresses_post_before_pre():
    s, w = _ltp(synapse.RLSTDP)
    window = np.array([[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]], dtype=bool)
    s.update(window, np.ones(4))
    before = w.matrix.copy()
    s.reward(1.0)
    # body1 spiked at k=1, then in0 spiked: w[in0 -> body1] is absent, so use body0 rows
    assert np.array_equal(w.matrix, before)  # in0->body1 is absent: nothing to depress
    s, w = _ltp(synapse.RLSTDP)
    window[3] = [0, 1, 0, 0]  # in1 spikes after body1
    s.update(window, np.ones(4))
    s.reward(1.0)
    assert w.matrix[1, 1] == pytest.approx(1.0 - 1 * 0.5 * 1.0 / (4 - 2))


def test_trace_decay_applies_every_step():
    s, w = _ltp(trace_decay=0.5)
    s.reward(1.0)
    window = np.array([[0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]], dtype=bool)
    s.update(window, np.ones(4))
    assert w.matrix[0, 0] == pytest.approx(1.0 + 1 * 0.5 / 4 * 1.0)
    assert s.trace == 0.5


# -- readouts ---------------------------------------------------------------------------
def test_threshold_readout():
    r = readout.Threshold(n_outputs=2, magnitude=2.0, action_threshold=0.25, rng=0)
    assert r(np.array([[2.0, 0.0], [0.0, 0.0]])) == 1  # rate 0.5/2 = 0.25 >= 0.25
    assert r(np.zeros((2, 2))) == 0
    m = readout.Threshold(
        n_outputs=1, magnitude=1.0, action_threshold="mean", output_range=["lo", "hi"], rng=0
    )
    assert [m(np.array([[x]])) for x in (1.0, 0.0, 1.0, 0.0)] == ["hi", "lo", "hi", "lo"]


def test_population_vector_topaction_neuron_rates():
    train = np.array([[1, 0, 0, 1, 1, 0, 9], [1, 0, 0, 0, 1, 0, 9]], dtype=float)
    pv = readout.PopulationVector(n_outputs=7, magnitude=1.0, n_actions=3, rng=0)
    assert np.allclose(pv(train), [2 / 5, 1 / 5, 2 / 5])  # the 7th neuron is left over
    assert np.allclose(pv(np.zeros((2, 7))), [1 / 3] * 3)
    top = readout.TopAction(n_outputs=7, magnitude=1.0, n_actions=3, rng=5)
    picks = {top(train) for _ in range(50)}
    assert picks == {0, 2}
    nr = readout.NeuronRates(n_outputs=4, magnitude=1.0, n_actions=2, rng=0)
    assert np.allclose(nr(np.array([[1.0, 0, 1.0, 1.0], [0, 0, 1.0, 0]])), [0.25, 0.75])
    per = readout.NeuronRates(n_outputs=2, magnitude=1.0, n_actions=0, rng=0)
    assert np.allclose(per(np.array([[1.0, 0.0], [1.0, 1.0]])), [1.0, 0.5])


def test_topaction_tie_break_is_seeded():
    train = np.ones((2, 4))
    a = readout.TopAction(n_outputs=4, magnitude=1.0, n_actions=2, rng=5)
    b = readout.TopAction(n_outputs=4, magnitude=1.0, n_actions=2, rng=5)
    assert [a(train) for _ in range(20)] == [b(train) for _ in range(20)]


# -- rewards ----------------------------------------------------------------------------
def test_rewarders():
    m = reward.MatchExpected(expected_value=lambda s: s % 2, reward_mult=2.0, punish_mult=0.5)
    assert m(3, 1, None) == 2.0 and m(3, 0, None) == -0.5
    assert reward.template.Reward is reward.Reward
    with pytest.warns(UserWarning, match="negative"):
        reward.Reward(punish_mult=-1)
    with pytest.raises(NotImplementedError):
        reward.Reward()(0, 0, 0)


# -- weights ----------------------------------------------------------------------------
def test_manual_function_layers_masked_and_clipping():
    f = weight.Manual(
        n_inputs=1, n_neurons=2, max_weight=1.0, matrix=lambda part: np.full(part.shape, 3.0)
    )
    assert np.all(f.matrix == 1.0)
    layers = weight.Manual(
        n_inputs=2, n_neurons=3, max_weight=5.0, matrix=[np.ones((2, 2)), np.full((2, 1), 2.0)]
    )
    expected = np.zeros((5, 3))
    expected[:2, :2] = 1.0
    expected[2:4, 2:] = 2.0
    assert np.array_equal(layers.matrix, expected)
    m = np.ma.array(np.array([[0.0, 1.0], [2.0, 0.0], [0.0, 0.0]]), mask=[[0, 0], [1, 0], [1, 1]])
    ma = weight.Manual(n_inputs=1, n_neurons=2, max_weight=5.0, matrix=m)
    assert ma.live.tolist() == [[True, True], [False, True], [False, False]]
    neg = weight.Manual(n_inputs=1, n_neurons=1, max_weight=1.0, matrix=[[-1.0], [0.5]])
    assert neg.matrix.tolist() == [[0.0], [0.5]] and neg.live.all()
    neg += 0.25
    assert neg.matrix.tolist() == [[0.25], [0.75]]


def test_inplace_ops_skip_absent_synapses():
    w = weight.Manual(
        n_inputs=1, n_neurons=2, max_weight=2.0, matrix=[[1.0, 0.0], [0.5, 1.5], [0.0, 0.0]]
    )
    w += 1.0
    assert w.matrix.tolist() == [[2.0, 0.0], [1.5, 2.0], [0.0, 0.0]]
    w *= 0.5
    assert w.matrix.tolist() == [[1.0, 0.0], [0.75, 1.0], [0.0, 0.0]]
    assert np.array_equal(w * 2, w.matrix * 2) and w[0, 0] == 1.0


def test_random_weights():
    r = weight.Random(
        n_inputs=3,
        n_neurons=4,
        max_weight=2.0,
        rng=0,
        weight_generator=lambda shape: np.full(shape, 0.5),
    )
    assert np.all(r.matrix[:3] == 1.0) and np.all(np.diag(r.matrix[3:]) == 0)
    u = weight.Random(
        n_inputs=1,
        n_neurons=5,
        max_weight=1.0,
        force_unidirectional=True,
        rng=1,
        weight_generator=lambda shape: np.ones(shape),
    )
    body = u.matrix[1:]
    assert not np.any((body > 0) & (body.T > 0)) and np.count_nonzero(body) == 10
    mask = np.eye(2, dtype=bool)[::-1]
    mk = weight.Random(
        n_inputs=1,
        n_neurons=2,
        max_weight=1.0,
        matrix_mask=mask,
        rng=0,
        weight_generator=lambda shape: np.ones(shape),
    )
    assert mk.matrix.tolist() == [[1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]


# -- modifiers --------------------------------------------------------------------------
def test_modifiers_change_their_own_param():
    class Net:
        pass

    net = Net()
    net.neurons = neuron.Neuron(**NEURON, rng=0)
    lin = modifier.LinearDecay("network.neurons._firing_threshold", 4, 5.0, 1.0)
    lin.reset()
    values = []
    for _ in range(6):
        lin.update(net)
        values.append(net.neurons._firing_threshold)
    assert values == pytest.approx([4.0, 3.0, 2.0, 1.0, 1.0, 1.0])
    drop = modifier.DropOff(["network", "neurons", "_potential_decay"], 3, 0.1, 0.9)
    drop.reset()
    vals = []
    for _ in range(4):
        drop.update(net)
        vals.append(net.neurons._potential_decay)
    assert vals == [0.1, 0.1, 0.9, 0.9]
    with pytest.raises(KeyError, match="no attribute"):
        modifier.DropOff("network.nothing.x", 1, 0, 1).update(net)
