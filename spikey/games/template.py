"""The base of every spikey game: a gym-like environment configured by keys.

A game is configured from three layers, later ones winning: a named preset from
``PRESETS``, the class-level ``config`` dict, then keyword arguments. Only keyword
arguments that name one of the game's ``NECESSARY_KEYS`` are taken, so a network's whole
``keys`` dict can be passed straight in (``game = MyGame(**network.keys)``).

Games keep the original 4-tuple ``step`` and ``reset() -> state`` API; use
:func:`spikey.games.to_gymnasium` for the 5-tuple gymnasium API.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from spikey.module import ConfigError, Module, config_error


def _legacy_seeded_rng() -> np.random.Generator:
    """A Generator seeded from numpy's legacy global RNG.

    Unseeded games take their randomness from here, so a script that calls
    ``np.random.seed(...)`` first (the original Spikey's way) stays reproducible.
    """
    return np.random.default_rng(np.random.randint(0, 2**31 - 1, size=4))  # noqa: NPY002 (legacy seeding)


def check_seed(part: object, seed: Any) -> Any:
    """``seed`` if numpy can seed a Generator with it (None, an int >= 0, a list of them, a
    SeedSequence); else a :class:`~spikey.module.ConfigError` naming ``part``."""
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return seed
    values = seed if isinstance(seed, (list, tuple)) and seed else [seed]
    if all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0 for s in values):
        return seed
    raise config_error(part, "seed", seed, "None, an int >= 0 or a list of them")


class RL(Module):
    """Base reinforcement-learning game.

    Parameters
    ----------
    preset : str, optional
        Key of ``PRESETS`` giving default parameter values.
    **kwargs
        Values for ``NECESSARY_KEYS``; other names are ignored.

    Notes
    -----
    Randomness comes from ``self.rng``, a ``numpy.random.Generator``. Without a call to
    :meth:`seed` (or ``reset(seed=...)`` in built-in games) it is seeded from numpy's
    global RNG when first used. Subclasses written for the original Spikey that
    call ``np.random`` directly keep working and follow ``np.random.seed``.
    """

    action_space = None
    observation_space = None
    metadata: dict = {}

    NECESSARY_KEYS: list | dict = []
    PRESETS: dict = {}

    def __init__(self, preset: str | None = None, **kwargs: Any):
        params = {}
        if preset is not None:
            if not isinstance(preset, str) or preset not in self.PRESETS:
                raise ConfigError(
                    f"{type(self).__name__}: key 'preset' got {preset!r}; expected one of "
                    f"{sorted(self.PRESETS)}."
                )
            params.update(self.PRESETS[preset])
        params.update(getattr(type(self), "config", None) or {})
        names = {key.name for key in self.keys_of()}
        params.update({name: value for name, value in kwargs.items() if name in names})
        super().__init__(**params)
        self._add_values(params, dest=params, prefix="")
        self._params = params
        self._rng = None

    @property
    def rng(self) -> np.random.Generator:
        """The game's Generator; unless seeded, made from numpy's global RNG on first use."""
        if self._rng is None:
            self._rng = _legacy_seeded_rng()
        return self._rng

    @rng.setter
    def rng(self, value: np.random.Generator) -> None:
        self._rng = value

    @property
    def params(self) -> dict:
        """The game's resolved configuration (preset, then ``config``, then kwargs)."""
        return self._params

    def seed(self, seed: int | None = None) -> list:
        """Reseed ``self.rng`` (a fresh OS-entropy seed when ``seed`` is None).

        Only the game's own Generator is reseeded: code that draws from ``np.random``
        directly is seeded with ``np.random.seed``.
        """
        self.rng = np.random.default_rng(check_seed(self, seed))
        return [seed]

    def step(self, action: Any) -> tuple[Any, float, bool, dict]:
        """Act; return ``(state, reward, done, info)``."""
        raise NotImplementedError(f"{type(self).__name__}.step is not implemented.")

    def reset(self, seed: int | None = None) -> Any:
        """Start an episode and return the first state (reseeding first if ``seed`` is given)."""
        raise NotImplementedError(
            f"{type(self).__name__}.reset is not implemented; it must return the initial state."
        )

    def render(self, mode: str = "human") -> Any:
        """Show the game; what each game supports is listed in ``metadata['render_modes']``."""
        raise NotImplementedError(f"{type(self).__name__}.render is not implemented.")

    def close(self) -> None:
        """Release anything the game holds (nothing, by default)."""
