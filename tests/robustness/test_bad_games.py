"""Doors: the games (Logic, RandState, CartPole: keys, presets, actions, seeds) and the
gymnasium adapters both ways (wrong environments and spaces, NaN observations)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from harness import SUITE, judge
from hypothesis import given, settings
from hypothesis import strategies as st

from spikey.games import CartPole, Logic, RandState, from_gymnasium, gym_wrapper, to_gymnasium

gym = pytest.importorskip("gymnasium")

BAD = st.one_of(
    st.sampled_from(
        [None, "abc", "", [], {}, True, -1, 0, -0.5, math.nan, math.inf, -math.inf, 10**12]
        + [1e300, (1, 2), object, [math.nan, 1.0], [2.0, 1.0], ["a", "b"], [1.0, 2.0, 3.0]]
    ),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.floats(allow_nan=True), max_size=3),
)
FAST = settings(SUITE, max_examples=6)


def play(game, actions=(0, 1, 1, 0)):
    """reset and a few steps; states and rewards must be finite."""
    state = game.reset(seed=0)
    for a in actions:
        state, reward, done, info = game.step(a)
        arr = np.asarray(state, dtype=float)
        assert np.all(np.isfinite(arr)), f"non-finite state {state!r}"
        assert math.isfinite(reward), f"non-finite reward {reward!r}"
        if done:
            state = game.reset()
    return game


GAMES = {
    "Logic": (Logic, {}, (0, 1, 1, 0)),
    "RandState": (RandState, {"n_states": 3}, (0, 1, 1, 0)),
    "CartPole": (CartPole, {}, ([0, 1], [1, 0], [0.5, 0.5], [1, 0])),
}


def game_keys(cls) -> list[str]:
    return [k.name for k in cls.keys_of()]


@pytest.mark.parametrize(
    "game,key", [(g, k) for g, (cls, _, _) in GAMES.items() for k in game_keys(cls)]
)
@FAST
@given(value=BAD)
def test_one_bad_key(game, key, value):
    cls, base, actions = GAMES[game]
    kwargs = dict(base, **{key: value})
    judge(
        "games",
        f"{game}.{key}={value!r:.50}",
        lambda: play(cls(**kwargs), actions),
        names=[key],
        given=value,
        check_given=not isinstance(value, (list, tuple, dict)),
        inputs=kwargs,
    )


@pytest.mark.parametrize(
    "game,preset",
    [("Logic", "NAND"), ("Logic", None), ("Logic", 3), ("CartPole", "HARD"), ("CartPole", "")],
)
def test_unknown_preset(game, preset):
    cls, base, actions = GAMES[game]
    judge(
        "games",
        f"{game}(preset={preset!r})",
        lambda: play(cls(preset=preset, **base), actions),
        # no preset: the keys it would have given are missing, and named
        names=["preset"] if preset is not None else ["expected_value"],
        given=preset,
        check_given=preset is not None,
    )


@pytest.mark.parametrize(
    "action", ["left", None, math.nan, math.inf, 1e9, [1, 2, 3], [[1, 0, 1]], {}], ids=repr
)
def test_cartpole_bad_action(action):
    game = CartPole()
    game.reset(seed=0)
    judge(
        "games",
        f"CartPole.step({action!r})",
        lambda: game.step(action),
        names=["action"],
        check_given=False,
        allow_correct=False,
    )


@pytest.mark.parametrize("seed", ["abc", -1, 1.5, [1, -1]], ids=repr)
@pytest.mark.parametrize("game", sorted(GAMES))
def test_bad_seed(game, seed):
    cls, base, actions = GAMES[game]
    judge(
        "games",
        f"{game}.reset(seed={seed!r})",
        lambda: cls(**base).reset(seed=seed),
        names=["seed"],
        given=seed,
        check_given=not isinstance(seed, list),
        allow_correct=False,
    )


# -- gymnasium adapters ---------------------------------------------------------------
class NaNEnv(gym.Env):
    """An environment whose observations hold NaN after ``bad_after`` steps."""

    def __init__(self, bad_after=0, reward=0.0):
        self.observation_space = gym.spaces.Box(-1.0, 1.0, (2,), dtype=np.float64)
        self.action_space = gym.spaces.Discrete(2)
        self.bad_after, self.reward, self.t = bad_after, reward, 0

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return (np.full(2, np.nan) if self.bad_after == 0 else np.zeros(2)), {}

    def step(self, action):
        self.t += 1
        obs = np.full(2, np.nan) if self.t >= self.bad_after else np.zeros(2)
        return obs, self.reward, False, False, {}


@pytest.mark.parametrize(
    "label,make",
    [
        ("NaN observation at reset", lambda: play(from_gymnasium(NaNEnv, bad_after=0))),
        ("NaN observation at step 2", lambda: play(from_gymnasium(NaNEnv, bad_after=2))),
        ("NaN reward", lambda: play(from_gymnasium(NaNEnv, bad_after=99, reward=math.nan))),
        ("unknown env id", lambda: from_gymnasium("NoSuchEnv-v9")),
        ("env is a number", lambda: from_gymnasium(42)),
        ("env is None", lambda: from_gymnasium(None)),
        ("env kwargs unknown", lambda: from_gymnasium(NaNEnv, colour="red")),
        ("gym_wrapper of a non-class", lambda: gym_wrapper("CartPole-v1")(env_kwargs={})),
        ("action outside the space", lambda: from_gymnasium("CartPole-v1").step(7)),
    ],
)
def test_from_gymnasium(label, make):
    judge(
        "gymnasium adapters",
        label,
        make,
        names=[],
        check_given=False,
        allow_correct=False,
    )


class SilentGame(Logic):
    """A game with no spaces the adapter can derive."""

    action_space = None
    observation_space = None


class NaNGame(RandState):
    """A game whose states turn NaN."""

    def _get_state(self):
        return math.nan


@pytest.mark.parametrize(
    "label,make",
    [
        ("game without spaces", lambda: to_gymnasium(SilentGame())),
        ("observation_space not a space", lambda: to_gymnasium(Logic(), observation_space="box")),
        ("action_space not a space", lambda: to_gymnasium(Logic(), action_space=[0, 1])),
        ("render_mode unknown", lambda: to_gymnasium(Logic(), render_mode="rgb_array")),
        ("max_episode_steps negative", lambda: to_gymnasium(Logic(), max_episode_steps=-1)),
        ("max_episode_steps a string", lambda: to_gymnasium(Logic(), max_episode_steps="10")),
        ("not a game", lambda: to_gymnasium("CartPole")),
        ("action outside the space", lambda: _step(to_gymnasium(CartPole()), 5)),
        ("action of the wrong type", lambda: _step(to_gymnasium(CartPole()), "left")),
        ("NaN state", lambda: _step(to_gymnasium(NaNGame(n_states=2)), 0)),
    ],
)
def test_to_gymnasium(label, make):
    judge(
        "gymnasium adapters",
        label,
        make,
        names=[],
        check_given=False,
        allow_correct=False,
    )


def _step(env, action):
    env.reset(seed=0)
    return env.step(action)


def test_round_trip_is_correct_behaviour():
    def case():
        env = to_gymnasium(CartPole(), max_episode_steps=5)
        from gymnasium.utils.env_checker import check_env

        check_env(env, skip_render_check=True)
        game = from_gymnasium(env)
        return play(game, (0, 1, 0))

    judge("gymnasium adapters", "round trip CartPole", case)
