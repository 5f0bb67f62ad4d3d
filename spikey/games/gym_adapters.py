"""Adapters between spikey games and gymnasium environments, both ways.

gymnasium is optional (``pip install 'spikey-snn[gym]'``); it is imported only when an
adapter is used.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from spikey.games.cartpole import CartPole
from spikey.games.template import RL
from spikey.module import config_error


def _gymnasium():
    try:
        import gymnasium
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "The gymnasium adapters need the optional dependency gymnasium: "
            "pip install 'spikey-snn[gym]' (or pip install gymnasium)."
        ) from err
    return gymnasium


def _check_finite(who: str, what: str, value):
    """Refuse a numeric observation or reward holding NaN or inf (it would poison a network)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return  # not numeric (e.g. a dict observation): nothing to check
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{who}: the environment returned {what} {value!r}, which holds NaN or inf; "
            "expected finite values."
        )


# -- gymnasium env -> spikey game --------------------------------------------------------


class GymnasiumGame(RL):
    """A gymnasium environment played through the spikey game API.

    ``step`` returns the old 4-tuple ``(state, reward, done, info)`` with
    ``done = terminated or truncated`` and both flags kept in ``info``; ``reset`` returns
    the state only (its info is kept as ``self.reset_info``).

    Parameters
    ----------
    env : gymnasium.Env, str or Env class
        An environment, a registered id (made with ``gymnasium.make(env, **env_kwargs)``),
        or a class (built with ``env(**env_kwargs)``). Subclasses may set ``env_class``.
    env_kwargs : dict, optional
        Arguments for building ``env``.
    """

    env_class = None

    def __init__(self, env: Any = None, env_kwargs: dict | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        env = self.env_class if env is None else env
        if env is None:
            raise ValueError(
                f"{type(self).__name__}: key 'env' got None; expected "
                "a gymnasium.Env, an env id or an Env class."
            )
        env_kwargs = dict(env_kwargs or {})
        expected = "a gymnasium.Env, a registered env id or an Env class"
        if (isinstance(env, type) and issubclass(env, RL)) or isinstance(env, RL):
            raise config_error(
                self, "env", env, f"{expected}; a spikey game is a game already (use it as it is)"
            )
        if isinstance(env, str):
            gym = _gymnasium()
            try:
                env = gym.make(env, **env_kwargs)
            except gym.error.Error as err:
                raise config_error(self, "env", env, f"{expected} ({err})") from None
            except TypeError as err:  # the env's constructor refused a keyword
                raise config_error(
                    self, "env_kwargs", env_kwargs, f"keywords the env {env!r} takes ({err})"
                ) from None
        elif isinstance(env, type):
            try:
                env = env(**env_kwargs)
            except TypeError as err:
                raise config_error(
                    self, "env_kwargs", env_kwargs, f"keywords {env.__name__} takes ({err})"
                ) from None
        elif env_kwargs:
            raise ValueError(
                f"{type(self).__name__}: env_kwargs given with an already built "
                "environment; pass the id or the class instead."
            )
        if not (callable(getattr(env, "step", None)) and callable(getattr(env, "reset", None))):
            raise config_error(self, "env", env, expected)
        self.env = env
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        self.metadata = dict(getattr(env, "metadata", {}) or {})
        self.reset_info: dict = {}
        self._next_seed = None
        self._env_seeded = False

    def __getattr__(self, name: str) -> Any:
        """An attribute the game lacks is the environment's (``game.state``,
        ``game.x_threshold``), as in the original, whose ``gym_wrapper`` game *was* the
        environment. Only reading: set attributes on ``game.env``."""
        env = self.__dict__.get("env")
        if env is None or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(env, name)

    def seed(self, seed: int | None = None) -> list:
        """Seed ``self.rng``; the next ``reset`` seeds the environment with ``seed``."""
        super().seed(seed)
        self._next_seed = seed
        if seed is not None:
            self.action_space.seed(seed)
        return [seed]

    def reset(self, seed: int | None = None) -> Any:
        """Reset the environment and return its first observation."""
        if seed is not None:
            self.seed(seed)
        seed, self._next_seed = self._next_seed, None
        if seed is None and not self._env_seeded:  # first reset follows self.rng
            seed = int(self.rng.integers(2**31 - 1))
        state, self.reset_info = self.env.reset(seed=seed)
        self._env_seeded = True
        _check_finite(type(self).__name__, "observation", state)
        return state

    def step(self, action: Any) -> tuple[Any, float, bool, dict]:
        """Act; return ``(state, reward, done, info)`` with ``done = terminated or truncated``."""
        space = self.action_space
        if hasattr(space, "contains") and not space.contains(action):
            raise config_error(
                f"{type(self).__name__}.step", "action", action, f"an element of {space}"
            )
        gym = _gymnasium()
        try:
            state, reward, terminated, truncated, info = self.env.step(action)
        except gym.error.ResetNeeded as err:
            raise ValueError(
                f"{type(self).__name__}.step: {err}; expected reset() before the first step."
            ) from None
        _check_finite(type(self).__name__, "observation", state)
        _check_finite(type(self).__name__, "reward", reward)
        info = dict(info, terminated=bool(terminated), truncated=bool(truncated))
        return state, float(reward), bool(terminated or truncated), info

    def render(self, mode: str | None = None) -> Any:
        """The environment's ``render()`` (its mode is fixed when the env is made)."""
        return self.env.render()

    def close(self) -> None:
        """Close the environment."""
        self.env.close()


def from_gymnasium(env: Any, **env_kwargs: Any) -> GymnasiumGame:
    """Wrap a gymnasium environment (instance, id or class) as a spikey game.

    Examples
    --------
    >>> game = from_gymnasium("CartPole-v1")          # doctest: +SKIP
    >>> state = game.reset(seed=0)                      # doctest: +SKIP
    >>> state, reward, done, info = game.step(1)        # doctest: +SKIP
    """
    return GymnasiumGame(env=env, env_kwargs=env_kwargs or None)


def gym_wrapper(env_class: type) -> type:
    """A spikey game class for a gymnasium Env class (the original Spikey's helper).

    Instances take ``env_kwargs={...}`` for the environment plus the game's own keys.
    """
    if not isinstance(env_class, type):
        raise config_error("gym_wrapper", "env_class", env_class, "a gymnasium Env class")
    name = f"RL_{getattr(env_class, '__name__', 'Env')}"
    return type(name, (GymnasiumGame,), {"env_class": env_class, "__module__": __name__})


# -- spikey game -> gymnasium env --------------------------------------------------------


def _spaces_for(game, observation_space, action_space):
    """Gymnasium spaces and the encode/decode functions between them and the game's values."""
    gym = _gymnasium()
    spaces = gym.spaces
    encode = decode = None
    if observation_space is None:
        if isinstance(game, CartPole):
            high = game.observation_high.astype(np.float32)
            observation_space = spaces.Box(-high, high, dtype=np.float32)
        elif isinstance(game.observation_space, (list, tuple)) and len(game.observation_space):
            states = list(game.observation_space)
            observation_space = spaces.Discrete(len(states))

            def encode(state, states=states):
                for i, s in enumerate(states):
                    if np.array_equal(s, state):
                        return np.int64(i)
                raise ValueError(
                    f"{type(game).__name__} returned state {state!r}, which is not "
                    f"in its observation_space; expected one of {states}."
                )
        else:
            raise ValueError(
                f"to_gymnasium: cannot derive an observation space for "
                f"{type(game).__name__}; expected observation_space= (a gymnasium space)."
            )
    if encode is None:
        if isinstance(observation_space, spaces.Box):

            def encode(state, dtype=observation_space.dtype):
                return np.asarray(state, dtype=dtype)
        else:

            def encode(state):
                return state

    if action_space is None:
        if isinstance(game, CartPole):
            force = game.settings.Force_Mag
            choices = [-force, force]  # push left, push right
        elif (
            game.action_space is not None
            and np.ndim(game.action_space) == 1
            and len(game.action_space)
        ):
            choices = list(game.action_space)
        else:
            raise ValueError(
                f"to_gymnasium: cannot derive an action space for "
                f"{type(game).__name__}; expected action_space= (a gymnasium space)."
            )
        action_space = spaces.Discrete(len(choices))

        def decode(action, choices=choices):
            return choices[int(action)]

    if decode is None:

        def decode(action):
            return action

    return observation_space, action_space, encode, decode


def to_gymnasium(
    game: RL,
    observation_space: Any = None,
    action_space: Any = None,
    max_episode_steps: int | None = None,
    render_mode: str | None = None,
) -> Any:
    """Expose a spikey game as a ``gymnasium.Env`` with the 5-tuple ``step`` API.

    Finite games (a list ``observation_space``/``action_space``) become ``Discrete``
    spaces holding indices into those lists; CartPole gets a ``Box`` observation and two
    actions (push left, push right). Pass spaces explicitly for other games.
    ``reset(seed=s)`` reseeds the game's Generator from ``s``, so runs are reproducible
    (for games that draw from ``self.rng``).

    Parameters
    ----------
    game : spikey.games.RL
    observation_space, action_space : gymnasium.spaces.Space, optional
        Used as given; observations and actions then pass through unchanged.
    max_episode_steps : int, optional
        Truncate episodes after this many steps.
    render_mode : str, optional
        One of ``game.metadata['render_modes']``.
    """
    gym = _gymnasium()
    if not isinstance(game, RL):
        raise config_error("to_gymnasium", "game", game, "a spikey game (spikey.games.RL)")
    for key, space in (("observation_space", observation_space), ("action_space", action_space)):
        if space is not None and not isinstance(space, gym.spaces.Space):
            raise config_error("to_gymnasium", key, space, "a gymnasium.spaces.Space or None")
    if max_episode_steps is not None and (
        isinstance(max_episode_steps, bool)
        or not isinstance(max_episode_steps, (int, np.integer))
        or max_episode_steps < 1
    ):
        raise config_error("to_gymnasium", "max_episode_steps", max_episode_steps, "an int >= 1")
    obs_space, act_space, encode, decode = _spaces_for(game, observation_space, action_space)
    modes = list(game.metadata.get("render_modes", []))
    if render_mode is not None and render_mode not in modes:
        raise ValueError(
            f"to_gymnasium: render_mode {render_mode!r} not supported by "
            f"{type(game).__name__}; expected one of {modes}."
        )

    class SpikeyEnv(gym.Env):
        metadata = {"render_modes": modes}

        def __init__(self):
            self.game = game
            self.observation_space = obs_space
            self.action_space = act_space
            self.render_mode = render_mode
            self._steps = 0

        def reset(self, *, seed=None, options=None):
            if seed is not None:  # gymnasium takes Python ints >= 0 only
                if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
                    raise config_error(
                        f"{type(self).__name__}.reset", "seed", seed, "None or an int >= 0"
                    )
                seed = int(seed)
            super().reset(seed=seed)
            if seed is not None:
                self.game.seed(int(self.np_random.integers(2**63 - 1)))
            self._steps = 0
            return encode(self.game.reset()), {}

        def step(self, action):
            if not self.action_space.contains(action):
                raise config_error(
                    f"{type(self).__name__}.step",
                    "action",
                    action,
                    f"an element of {self.action_space}",
                )
            state, reward, done, info = self.game.step(decode(action))
            _check_finite(type(self.game).__name__, "reward", reward)
            self._steps += 1
            truncated = max_episode_steps is not None and self._steps >= max_episode_steps
            return encode(state), float(reward), bool(done), bool(truncated), dict(info)

        def render(self):
            if self.render_mode is None:
                return None
            return self.game.render(mode=self.render_mode)

        def close(self):
            self.game.close()

    SpikeyEnv.__name__ = SpikeyEnv.__qualname__ = f"Gymnasium{type(game).__name__}"
    return SpikeyEnv()
