import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from spikey.games import RL, CartPole, Logic, RandState, and_fn, or_fn, xor_fn
from spikey.module import ConfigError, Key

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "snn"))
from seed_user_code import rand_state  # noqa: E402  the notebook's game, as users write it

NETWORK_KEYS = {
    "n_inputs": 100,
    "n_neurons": 50,
    "magnitude": 1,
    "n_states": 10,
    "learning_rate": 0.1,
    "state_rate_map": np.eye(10) * 0.2,
}


def test_user_subclass_takes_only_its_keys_and_follows_np_random_seed():
    def run():
        np.random.seed(3)
        game = rand_state(**NETWORK_KEYS)
        return [game.reset()] + [game.step(0)[0] for _ in range(30)]

    first, second = run(), run()
    assert first == second
    assert set(first) <= set(range(10)) and len(set(first)) > 5
    game = rand_state(**NETWORK_KEYS)
    assert game._n_states == 10 and game.observation_space == list(range(10))
    assert set(game.params) == {"name", "expected_value", "n_states"}
    assert not hasattr(game, "_n_inputs")


def test_step_is_the_old_four_tuple():
    game = RandState(n_states=4)
    state = game.reset()
    out = game.step(1)
    assert len(out) == 4 and out[1] == 0.0 and out[2] is False and out[3] == {}
    assert state in range(4) and out[0] in range(4)


def test_randstate_generator_seeding():
    game = RandState(n_states=7)
    a = [game.reset(seed=5)] + [game.step(0)[0] for _ in range(20)]
    game.seed(5)
    b = [game.reset()] + [game.step(0)[0] for _ in range(20)]
    assert a == b
    expected = np.random.default_rng(5).integers(7, size=21).tolist()
    assert a == expected


def test_unseeded_builtin_follows_np_random_seed():
    np.random.seed(11)
    a = [Logic(preset="AND").reset() for _ in range(5)]
    np.random.seed(11)
    b = [Logic(preset="AND").reset() for _ in range(5)]
    assert a == b


def test_logic_presets_and_states():
    states = [(a, b) for a in (False, True) for b in (False, True)]
    assert [and_fn(s) for s in states] == [False, False, False, True]
    assert [or_fn(s) for s in states] == [False, True, True, True]
    assert [xor_fn(s) for s in states] == [False, True, True, False]
    game = Logic(preset="XOR")
    assert game.params["expected_value"] is xor_fn and game.params["name"] == "XOR"
    assert Logic().params["expected_value"] is or_fn  # default preset
    game.seed(0)
    seen = {game.reset()} | {game.step(True)[0] for _ in range(60)}
    assert seen == set(states) and seen <= set(Logic.observation_space)
    assert all(type(v) is bool for s in seen for v in s)


def test_kwargs_beat_class_config_beat_preset():
    def nand(state):
        return not (state[0] and state[1])

    class Nand(Logic):
        config = {"expected_value": nand}

    assert Nand(preset="AND").params["expected_value"] is nand
    assert Nand(preset="AND", expected_value=xor_fn).params["expected_value"] is xor_fn


def test_bad_config_errors_name_part_and_key():
    with pytest.raises(ConfigError, match=r"Logic: key 'preset' got 'NOR'.*AND"):
        Logic(preset="NOR")
    with pytest.raises(ConfigError, match=r"RandState.*'n_states'"):
        RandState()
    with pytest.raises(ConfigError, match=r"RandState: key 'n_states' got 0"):
        RandState(n_states=0)
    with pytest.raises(ConfigError, match=r"Logic: key 'expected_value' got 3"):
        Logic(expected_value=3)
    with pytest.raises(ConfigError, match=r"CartPole: key 'x_init_range'"):
        CartPole(x_init_range=[1.0, -1.0])


def test_template_raises_and_games_pickle():
    class Bare(RL):
        NECESSARY_KEYS = [Key("k", "a key", int, default=2)]

    bare = Bare()
    assert bare._k == 2 and bare.params == {"k": 2}
    for call in (lambda: bare.step(0), bare.reset, bare.render):
        with pytest.raises(NotImplementedError):
            call()
    game = RandState(n_states=3)
    game.seed(1)
    copy = pickle.loads(pickle.dumps(game))
    assert [game.step(0)[0] for _ in range(10)] == [copy.step(0)[0] for _ in range(10)]


def _cartpole_reference(state, force, g=9.8, mc=1.0, mp=0.1, half=0.5, tau=0.02):
    x, xd, th, thd = state
    total = mc + mp
    temp = (force + mp * half * thd * thd * np.sin(th)) / total
    thacc = (g * np.sin(th) - np.cos(th) * temp) / (half * (4 / 3 - mp * np.cos(th) ** 2 / total))
    xacc = temp - mp * half * thacc * np.cos(th) / total
    return np.array([x + tau * xd, xd + tau * xacc, th + tau * thd, thd + tau * thacc])


def test_cartpole_physics_reward_and_termination():
    game = CartPole()
    state = game.reset(seed=0)
    assert state[0] == 0 and state[2] == 0 and 0 <= abs(state[1]) <= 0.1
    rewards, n = [], 0
    done = False
    while not done:
        action = [0.0, 1.0] if n % 3 else 4.0  # pair pushes right with Force_Mag, number = newtons
        force = 10.0 if n % 3 else 4.0
        expected = _cartpole_reference(state, force)
        state, reward, done, info = game.step(action)
        np.testing.assert_allclose(state, expected, rtol=0, atol=1e-12)
        assert info["force"] == force
        rewards.append(reward)
        n += 1
        assert n < 500
    assert rewards == [1.0] * n  # reward every step, the failing one included
    assert abs(state[2]) > 0.5 * np.pi or abs(state[0]) > 4.5
    assert game.step(0.0)[1:3] == (0.0, True)  # after the end: no reward
    # an upright, centred pole with no push stays put and keeps earning
    game = CartPole(xdot_init_range=[0.0, 0.0], thetadot_init_range=[0.0, 0.0])
    game.reset(seed=1)
    for _ in range(100):
        state, reward, done, _ = game.step(0.0)
    assert reward == 1.0 and not done and np.all(state == 0)


def test_cartpole_rejects_bad_actions_and_preset():
    game = CartPole(preset="FREMAUX")
    assert game._x_max == 2.5
    with pytest.raises(RuntimeError, match="before reset"):
        game.step(0.0)
    game.reset(seed=0)
    with pytest.raises(ValueError, match="action. got 50.0"):
        game.step(50.0)
    with pytest.raises(ValueError, match=r"got \[1, 0, 0\]; expected a force"):
        game.step([1, 0, 0])


def test_cartpole_render_returns_figure(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    game = CartPole()
    game.reset(seed=0)
    fig = game.render()
    assert isinstance(fig, plt.Figure) and "theta" in fig.axes[0].get_title()
    pixels = game.render(mode="rgb_array")
    assert pixels.ndim == 3 and pixels.shape[2] == 3
    plt.close("all")


def test_seeded_game_never_touches_np_random():
    np.random.seed(5)
    key, pos = np.random.get_state()[1].copy(), np.random.get_state()[2]
    game = CartPole()
    game.seed(1)
    game.reset()
    logic = Logic()
    logic.reset(seed=2)
    assert np.array_equal(key, np.random.get_state()[1]) and pos == np.random.get_state()[2]


def test_game_params_flow_into_a_network():
    from spikey.snn import RLNetwork, input, neuron, readout, reward, synapse, weight

    game = Logic(preset="XOR")
    rates = {s: np.array([0.5 * s[0], 0.5 * s[1]]) for s in Logic.observation_space}

    class Net(RLNetwork):
        parts = {
            "inputs": input.RateMap,
            "neurons": neuron.Neuron,
            "synapses": synapse.RLSTDP,
            "weights": weight.Manual,
            "readout": readout.Threshold,
            "rewarder": reward.MatchExpected,
        }
        keys = {
            "n_inputs": 10,
            "n_neurons": 10,
            "n_outputs": 10,
            "matrix": np.vstack([np.ones((10, 10)), np.zeros((10, 10))]),
            "magnitude": 1,
            "potential_decay": 0.05,
            "refractory_period": 0,
            "firing_threshold": 8,
            "processing_time": 20,
            "learning_rate": 0.1,
            "max_weight": 2,
            "stdp_window": 20,
            "action_threshold": 0.05,
            "state_rate_map": rates,
            "output_range": [False, True],
            "punish_mult": 1,
            "seed": 0,
        }

    net = Net(game=game)
    assert net.rewarder._expected_value is xor_fn  # from the game's preset
    net.reset()
    state = game.reset(seed=0)
    for _ in range(8):
        action = net.tick(state)
        state_next, _, _, _ = game.step(action)
        assert net.reward(state, action, state_next) == (1.0 if action == xor_fn(state) else -1.0)
        state = state_next


def test_cartpole_physics_that_overflow_raise_one_clear_error_without_warnings():
    import warnings

    from spikey.games import CartPole

    game = CartPole(Tau=1e300)
    game.reset()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning on the way
        with pytest.raises(ValueError, match="CartPole.step: the state overflowed.*Tau=1e\\+300"):
            for _ in range(10):
                game.step(1)
