"""Shared helpers of the network parts: per-part random generators and value checks.

Randomness rule
---------------
Every stochastic built-in part draws from its own ``numpy.random.Generator``, given to
its constructor as ``rng=`` (a Generator, an int seed or a SeedSequence). A network
hands each part a child of its own seed (see :mod:`spikey.snn.network`). A part built
on its own without ``rng`` derives a seed from the *global* legacy ``np.random`` state
at construction, so ``np.random.seed(s)`` before building still makes a run
reproducible, as it was in the original Spikey.
"""

from __future__ import annotations

import numbers

import numpy as np

from spikey.module import ConfigError, Module, config_error


def global_entropy() -> list[int]:
    """Two 32-bit words drawn from the legacy global ``np.random`` state."""
    return [int(x) for x in np.random.randint(0, 2**32, size=2, dtype=np.uint64)]  # noqa: NPY002 (legacy seeding)


def make_rng(rng=None) -> np.random.Generator:
    """A Generator from ``rng`` (Generator, seed, SeedSequence) or from the global state."""
    if rng is None:
        return np.random.default_rng(global_entropy())
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (numbers.Integral, np.random.SeedSequence, list, tuple)):
        return np.random.default_rng(rng)
    raise ConfigError(
        f"rng: got {rng!r}; expected a numpy.random.Generator, an int seed, a SeedSequence or None."
    )


def random_polarities(rng: np.random.Generator, n: int, pct_inhibitory: float) -> np.ndarray:
    """+1 for each of ``n`` neurons, -1 where a uniform draw is below ``pct_inhibitory``
    (no draw when it is 0)."""
    polarities = np.ones(n)
    if pct_inhibitory > 0:
        polarities[rng.random(n) < pct_inhibitory] = -1.0
    return polarities


def numeric_array(value, bools: bool = False) -> bool:
    """Whether ``np.asarray(value)`` holds numbers (bools only when ``bools``), not objects."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return False
    if arr.dtype == bool:
        return bools
    return arr.dtype != object and np.issubdtype(arr.dtype, np.number)


def check_number(part, key, value, lo=None, hi=None, integer=False, lo_open=False):
    """Raise a ConfigError unless ``value`` is a finite number within [lo, hi]."""
    ok_type = isinstance(value, numbers.Integral if integer else numbers.Real) and not isinstance(
        value, bool
    )
    if not ok_type:
        kind = "an int" if integer else "a real number"
        raise config_error(part, key, value, kind)
    if not np.isfinite(value):
        raise config_error(part, key, value, "a finite number")
    if lo is not None and (value <= lo if lo_open else value < lo):
        bound = f"> {lo}" if lo_open else f">= {lo}"
        raise config_error(
            part, key, value, f"a number {bound}" + (f" and <= {hi}" if hi is not None else "")
        )
    if hi is not None and value > hi:
        raise config_error(
            part, key, value, f"a number <= {hi}" + (f" and >= {lo}" if lo is not None else "")
        )
    return value


def check_reward(net, value, source: str):
    """``value`` unchanged if it is one finite number (a reward the synapses can take), else a
    ConfigError naming the network, the value and where it came from (``source``)."""
    try:
        arr = np.asarray(value)
        ok = arr.ndim == 0 and arr.dtype.kind in "biuf" and bool(np.isfinite(arr))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ConfigError(
            f"{type(net).__name__}: reward got {value!r:.80} (from {source}); expected one "
            "finite number."
        )
    return value


def given_reward(net, last, reward, state, action, state_next) -> float:
    """The reward an actor-critic's ``reward()`` hands over, as a finite float.

    ``last`` is the network's record of its latest tick (None before any: a ConfigError);
    ``reward=None`` asks the network's ``rewarder`` part (``rewarder(state, action,
    state_next)``; none: a ConfigError); a value that is not finite is a ConfigError naming
    the key 'reward'.
    """
    if last is None:
        raise ConfigError(
            f"{type(net).__name__}: reward() before any tick(); call tick(state) first."
        )
    if reward is None:
        if net.rewarder is None:
            raise ConfigError(
                f"{type(net).__name__}: reward() got no reward and the network has no "
                "'rewarder' part; pass reward=... or add a rewarder."
            )
        reward = net.rewarder(state, action, state_next)
    r = float(reward)
    if not np.isfinite(r):
        raise config_error(net, "reward", reward, "a finite number")
    return r


def setting(part, name: str):
    """The value of ``part``'s key ``name``: ``part.settings.<name>`` for spikey parts; for
    a user part that is not a :class:`~spikey.module.Module`, its ``_<name>`` attribute (the
    original Spikey's protocol)."""
    settings = part.settings if isinstance(part, Module) else None
    if settings is not None and name in settings:
        return settings[name]
    try:
        return getattr(part, f"_{name}")
    except AttributeError:
        raise ConfigError(
            f"{type(part).__name__}: has no setting '{name}' (no settings.{name}, no _{name}); "
            f"the network needs it."
        ) from None


def seed_sequence(seed, part) -> np.random.SeedSequence:
    """The SeedSequence a network's key ``seed`` means (an int, a list of ints, a
    SeedSequence, a Generator, or None: from the legacy global ``np.random`` state)."""
    if seed is None:
        return np.random.SeedSequence(global_entropy())
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence([int(x) for x in seed.integers(0, 2**63, size=2)])
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    if (
        isinstance(seed, (list, tuple))
        and seed
        and all(isinstance(s, numbers.Integral) and s >= 0 for s in seed)
    ):
        return np.random.SeedSequence([int(s) for s in seed])
    raise ConfigError(
        f"{type(part).__name__}: key 'seed' got {seed!r}; expected a non-negative int, a list of "
        "them, a numpy SeedSequence or Generator, or None (seed from np.random)."
    )


def template_params(net, game, kwargs: dict) -> dict:
    """A network template's keys: ``game.params``, then the template's ``keys``, then the
    constructor's keywords (the higher wins). Sets ``net.parts`` from the template's
    ``parts``, a part given as a keyword (``inputs=MyEncoder``) replacing the template's."""
    net.parts = dict(getattr(type(net), "parts", None) or {})
    for key in net.NECESSARY_PARTS:
        if key.name in kwargs:
            net.parts[key.name] = kwargs.pop(key.name)
    params = dict(getattr(game, "params", None) or {}) if game is not None else {}
    params.update(getattr(net, "keys", None) or {})
    params.update(kwargs)
    return params


def build_parts(net, params: dict) -> None:
    """Instantiate every part of ``net.NECESSARY_PARTS`` from ``net.parts`` with
    ``params`` (a part with a default may be absent: it becomes None)."""
    for key in net.NECESSARY_PARTS:
        cls = net.parts.get(key.name)
        if cls is None:
            if not key.has_default:
                raise ConfigError(
                    f"{type(net).__name__}: no part for '{key.name}'; expected a class such as "
                    f"{key.description} in `parts` or as {key.name}=..."
                )
            setattr(net, key.name, None)
            continue
        if not isinstance(cls, type):
            raise ConfigError(
                f"{type(net).__name__}: part '{key.name}' got {cls!r}; expected a part class."
            )
        setattr(net, key.name, cls(**params))


def child_streams(seq: np.random.SeedSequence, n: int) -> list[np.random.SeedSequence]:
    """The first ``n`` named children of ``seq`` (spawn keys ``seq.spawn_key + (k,)``)."""
    return [
        np.random.SeedSequence(seq.entropy, spawn_key=tuple(seq.spawn_key) + (k,)) for k in range(n)
    ]


class StepReadings:
    """What an actor-critic tells about its game steps, for a class that keeps
    ``_processing_time`` and ``_last`` (the latest tick's (action index, V), or None)."""

    @property
    def processing_time(self) -> int:
        """Network ms per game step."""
        return self._processing_time

    @property
    def value(self) -> float:
        """The critic's V of the last ticked state."""
        return float("nan") if self._last is None else self._last[1]
