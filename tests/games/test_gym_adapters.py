import numpy as np
import pytest

gymnasium = pytest.importorskip("gymnasium")
from gymnasium.utils.env_checker import check_env  # noqa: E402

from spikey.games import (
    CartPole,
    GymnasiumGame,
    Logic,
    RandState,
    from_gymnasium,
    gym_wrapper,
    to_gymnasium,
)  # noqa: E402


@pytest.mark.parametrize(
    "make", [lambda: Logic(preset="XOR"), lambda: RandState(n_states=6), lambda: CartPole()]
)
def test_to_gymnasium_passes_env_checker(make):
    env = to_gymnasium(make(), max_episode_steps=20)
    check_env(env, skip_render_check=True)


def test_to_gymnasium_maps_states_actions_and_truncates():
    game = Logic(preset="AND")
    env = to_gymnasium(game, max_episode_steps=3)
    obs, info = env.reset(seed=4)
    assert env.observation_space == gymnasium.spaces.Discrete(4)
    assert Logic.observation_space[int(obs)] == game._state
    for t in range(3):
        obs, reward, terminated, truncated, info = env.step(1)
        assert Logic.observation_space[int(obs)] == game._state
        assert (reward, terminated, truncated) == (0.0, False, t == 2)
    with pytest.raises(ValueError, match="action. got 5; expected an element of Discrete"):
        env.step(5)
    a = [env.reset(seed=9)[0]] + [env.step(0)[0] for _ in range(2)]
    b = [env.reset(seed=9)[0]] + [env.step(0)[0] for _ in range(2)]
    assert a == b


def test_to_gymnasium_cartpole_pushes_left_and_right():
    game = CartPole()
    env = to_gymnasium(game)
    obs, _ = env.reset(seed=0)
    assert obs.dtype == np.float32 and env.action_space.n == 2
    obs, reward, terminated, truncated, _ = env.step(1)
    assert game.steps == 1 and reward == 1.0 and obs[1] > 0  # pushed right
    total = 1.0
    while not terminated:
        obs, reward, terminated, truncated, _ = env.step(1)
        total += reward
    assert total == game.steps


def test_to_gymnasium_needs_spaces_it_cannot_derive():
    class Odd(Logic):
        observation_space = None

    with pytest.raises(ValueError, match="observation_space="):
        to_gymnasium(Odd())
    env = to_gymnasium(Odd(), observation_space=gymnasium.spaces.MultiBinary(2))
    obs, _ = env.reset(seed=0)
    assert len(obs) == 2
    with pytest.raises(ValueError, match="render_mode"):
        to_gymnasium(Logic(), render_mode="human")


def test_from_gymnasium_four_tuple_and_seeding():
    game = from_gymnasium("CartPole-v1")
    assert isinstance(game, GymnasiumGame)
    s0 = game.reset(seed=3)
    ref = gymnasium.make("CartPole-v1")
    r0, _ = ref.reset(seed=3)
    np.testing.assert_array_equal(s0, r0)
    total, done = 0.0, False
    while not done:
        state, reward, done, info = game.step(0)
        r_state, r_reward, term, trunc, _ = ref.step(0)
        np.testing.assert_array_equal(state, r_state)
        assert info["terminated"] == term and info["truncated"] == trunc
        total += reward
    assert total > 0 and done
    game.close()


def test_gym_wrapper_class_and_np_random_seed():
    from gymnasium.envs.classic_control.cartpole import CartPoleEnv

    Wrapped = gym_wrapper(CartPoleEnv)
    assert Wrapped.__name__ == "RL_CartPoleEnv"
    np.random.seed(2)
    a = Wrapped(env_kwargs={"sutton_barto_reward": False}).reset()
    np.random.seed(2)
    b = Wrapped(env_kwargs={"sutton_barto_reward": False}).reset()
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="key 'env' got None"):
        GymnasiumGame()


def test_missing_gymnasium_gives_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "gymnasium" or name.startswith("gymnasium."):
            raise ModuleNotFoundError("No module named 'gymnasium'", name="gymnasium")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ModuleNotFoundError, match=r"spikey-snn\[gym\]"):
        to_gymnasium(Logic())
