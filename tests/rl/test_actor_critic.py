"""ActorCriticNetwork: composition from parts, seeds, the TD error as signed dopamine."""

import math

import numpy as np
import pytest

from spikey.games import CartPole
from spikey.module import ConfigError
from spikey.snn import ActorCriticNetwork, critic, input, neuron, readout, synapse

PARTS = {
    "inputs": input.GaussianFields,
    "neurons": neuron.EscapeNoise,
    "synapses": synapse.ThreeFactorTD,
    "readout": readout.PopulationChoice,
    "critic": critic.SpikingCritic,
}
KEYS = {
    "n_actions": 2,
    "field_ranges": [[-2.4, 2.4], [-3, 3], [-0.21, 0.21], [-3.5, 3.5]],
    "n_fields": 6,
    "n_per_action": 10,
    "n_critic": 10,
}


class Agent(ActorCriticNetwork):
    parts = PARTS
    keys = KEYS


OBS = [np.array([0.1, -0.2, 0.02, 0.3]), np.array([-0.5, 0.4, -0.1, -1.0])]


def _run(net, n=30, reward=1.0):
    actions = []
    for k in range(n):
        actions.append(net.tick(OBS[k % 2]))
        net.reward(reward=reward, terminated=(k == n - 1))
    return actions


def test_same_seed_same_run_bitwise_other_seed_differs():
    a, b, c = Agent(seed=3), Agent(seed=3), Agent(seed=4)
    ra, rb, rc = _run(a), _run(b), _run(c)
    assert ra == rb and np.array_equal(a.weights, b.weights)
    assert not np.array_equal(a.weights, c.weights)
    assert ra != rc or not np.array_equal(a.spike_log, c.spike_log)


def test_keyword_beats_template_keys_and_parts_can_be_swapped():
    net = Agent(seed=0, n_per_action=7, n_fields=3)
    assert net.n_actor == 14 and net.n_inputs == 4 * 3 + 1
    net = Agent(seed=0, readout=readout.PopulationChoice, choice="greedy")
    assert net.readout.settings.choice == "greedy"


def test_learning_rate_zero_and_eval_freeze_the_weights():
    for net in (Agent(seed=1, learning_rate=0.0), Agent(seed=1)):
        if net.synapses.settings.learning_rate:
            net.eval()
        w0 = net.weights.copy()
        _run(net)
        assert np.array_equal(net.weights, w0)
    net = Agent(seed=1)
    w0 = net.weights.copy()
    _run(net)
    assert not np.array_equal(net.weights, w0)


def test_a_dip_depresses_what_a_burst_potentiates():
    """The same transition with reward +r and -r moves the critic's weights in mirror image."""
    moves = []
    for r in (2.0, -2.0):
        net = Agent(seed=5, value_scale=1e-9)  # V ~ 0, so the TD error is the reward itself
        net.tick(OBS[0])
        w0 = net.weights.copy()
        net.reward(reward=r, terminated=True)
        moves.append(net.weights - w0)
    assert np.abs(moves[0]).max() > 0
    np.testing.assert_allclose(moves[0], -moves[1], rtol=1e-9, atol=1e-15)


def _values(net, reward, n):
    vals = []
    for k in range(n):
        net.tick(OBS[k % 2])
        vals.append(net.value)
        net.reward(reward=reward)
    return np.array(vals)


@pytest.mark.parametrize("eligibility", ["spike", "rate"])
def test_the_critic_learns_the_value_of_a_steady_reward_either_sign(eligibility):
    """A reward of +3 per step raises V; a cost critic (value_scale < 0) learns a cost of
    -3 per step as a falling V, with the weights moving up (more spikes, lower V)."""
    keys = dict(critic_eligibility=eligibility, gamma=0.8, lr_critic=2e-3)
    up = _values(Agent(seed=7, value_scale=10.0, **keys), 3.0, 400)
    cost = Agent(seed=7, value_scale=-10.0, value_offset=5.0, **keys)
    down = _values(cost, -3.0, 400)
    assert up[-50:].mean() > up[:20].mean() + 4.0  # from ~4 towards 3 / (1 - 0.8) = 15
    assert down[-50:].mean() < down[:20].mean() - 4.0  # from ~1 towards -15
    assert cost.weights[:, cost.n_actor :].mean() > 0
    with_lr0 = _values(
        Agent(seed=7, value_scale=-10.0, value_offset=5.0, learning_rate=0.0, **keys), -1.0, 400
    )
    assert abs(with_lr0[-50:].mean() - with_lr0[:50].mean()) < 1.0


def test_td_clip_bounds_the_dopamine_and_escape_cap_the_intensity():
    net = Agent(seed=9, td_clip=2.0)
    assert net.critic.td_error(50.0, 0.0, None) == 2.0
    assert net.critic.td_error(-50.0, 0.0, 1.0) == -2.0
    assert net.critic.td_error(0.5, 0.0, None) == 0.5
    counts = {}
    for cap in (8.0, 1.0):
        net = Agent(seed=9, escape_cap=cap)
        net.weights[:] = 3.0  # every input drives every neuron hard
        net.tick(OBS[0])
        counts[cap] = net.counts.sum()
    # capped at rho0 e^1 = 0.054 per ms, 20 ms, 30 neurons: about 33 spikes at most
    assert counts[1.0] <= 1.3 * 0.02 * np.exp(1.0) * 20 * 30 + 10
    assert counts[1.0] < counts[8.0] / 3


def test_critic_eligibility_rate_changes_the_critic_update_only():
    a, b = Agent(seed=8), Agent(seed=8, critic_eligibility="rate")
    a.tick(OBS[0]), b.tick(OBS[0])
    np.testing.assert_array_equal(a.spike_log, b.spike_log)  # the same network, the same spikes
    _run(a), _run(b)
    na = a.n_actor
    assert not np.array_equal(a.weights[:, na:], b.weights[:, na:])


def test_terminal_td_error_uses_no_bootstrap_and_truncation_does():
    net = Agent(seed=2)
    net.tick(OBS[0])
    v = net.value
    assert net.critic.td_error(1.0, v, None) == pytest.approx(1.0 - v)
    assert net.critic.td_error(1.0, v, 3.0) == pytest.approx(1.0 + 0.97 * 3.0 - v)
    w0 = net.weights.copy()
    net.reward(OBS[0], 0, OBS[1], 1.0, truncated=True)  # bootstraps on V(OBS[1]) at once
    assert not np.array_equal(net.weights, w0)
    assert net._pending is None


def test_reset_treats_a_pending_transition_as_terminal():
    net = Agent(seed=2, value_scale=1e-9)
    net.tick(OBS[0])
    net.reward(reward=-1.0)  # pending until the next tick
    w0 = net.weights.copy()
    net.reset()
    assert not np.array_equal(net.weights, w0) and net.episode == 1


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ConfigError, match="reward\\(\\) before any tick"):
        Agent(seed=0).reward(reward=1.0)
    net = Agent(seed=0)
    net.tick(OBS[0])
    with pytest.raises(ConfigError, match="finite"):
        net.reward(reward=math.nan)
    with pytest.raises(ConfigError, match="no 'rewarder'"):
        net.reward()
    with pytest.raises(ConfigError, match="finite"):
        net.tick([0.0, math.nan, 0.0, 0.0])
    with pytest.raises(ConfigError, match="n_per_action"):
        Agent(seed=0, n_per_action=0)
    with pytest.raises(ConfigError, match="dopamine"):
        Agent(seed=0, dopamine="sometimes")
    with pytest.raises(ConfigError, match="value_scale.*nonzero"):
        Agent(seed=0, value_scale=0.0)
    with pytest.raises(ConfigError, match="critic_eligibility"):
        Agent(seed=0, critic_eligibility="trace")
    with pytest.raises(ConfigError, match="td_clip"):
        Agent(seed=0, td_clip=-1.0)
    with pytest.raises(ConfigError, match="escape_cap"):
        Agent(seed=0, escape_cap=0.0)
    with pytest.raises(ConfigError, match="seed"):
        Agent(seed=-1)
    with pytest.raises(ConfigError, match="actions"):
        Agent(seed=0, actions=[0])


def test_plays_spikeys_cartpole_through_the_original_loop():
    game = CartPole(preset="DEFAULT")
    net = Agent(game=game, seed=0, actions=[[1, 0], [0, 1]])
    w0 = net.weights.copy()
    steps, actions = [], []
    for episode in range(3):
        state = game.reset(seed=episode)
        net.reset()
        for s in range(200):
            action = net.tick(state)
            actions.append(action)
            state_next, reward, done, _ = game.step(action)
            net.reward(state, action, state_next, reward, terminated=done)
            if done:
                break
            state = state_next
        steps.append(s + 1)
    assert net.episode == 2 and net.spike_log.shape == (20, net.n_inputs + net.n_neurons)
    assert not np.array_equal(net.weights, w0)  # the game's rewards reached the synapses
    assert len(set(map(tuple, actions))) == 2  # both pushes were chosen


def test_copies_and_pickles_continue_identically():
    import copy
    import pickle

    net = Agent(seed=7)
    _run(net, n=5)
    twins = [copy.deepcopy(net), pickle.loads(pickle.dumps(net))]
    actions = [[m.tick(OBS[k % 2]) for k in range(12)] for m in [net, *twins]]
    assert actions[0] == actions[1] == actions[2]
    for twin in twins:
        assert np.array_equal(twin.weights, net.weights)
        assert np.array_equal(twin.spike_log, net.spike_log)


def test_a_rewarder_part_gives_the_reward_when_none_is_passed():
    from spikey.snn import reward

    class Upright(reward.Reward):
        def __call__(self, state, action, state_next):
            return 1.0 if abs(state_next[2]) < 0.1 else -1.0

    net = Agent(seed=0, rewarder=Upright)
    net.tick(OBS[0])
    assert net.reward(OBS[0], 0, OBS[0]) == 1.0
    net.tick(OBS[0])
    assert net.reward(OBS[0], 0, np.array([0.0, 0.0, 0.5, 0.0])) == -1.0
