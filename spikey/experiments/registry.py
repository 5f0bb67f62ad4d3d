"""A registry of runnable experiments and the result they return.

An experiment is a function ``(config, seed, progress) -> Result``. ``config`` is its
defaults updated with the user's overrides; ``seed`` is the job's integer seed (derive
Generators with :func:`stream` / :func:`job_rng`: named children of the seed alone, never
from the config, the global RNG or the job's position);
``progress`` is a :func:`spikey.progress.progress_factory`-style callable.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import numbers
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spikey.module import ConfigError
from spikey.progress import progress_factory

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


@dataclass
class Criterion:
    """One automatic pass/fail check: ``value op threshold`` (``between``: ``lo <= value <= hi``)."""

    name: str
    value: float
    op: str
    threshold: Any
    gating: bool = True
    description: str = ""

    @property
    def passed(self) -> bool:
        """Whether the check holds; a NaN value never passes."""
        v = float(self.value)
        if math.isnan(v):
            return False
        if self.op == "between":
            lo, hi = self.threshold
            return lo <= v <= hi
        return bool(_OPS[self.op](v, self.threshold))

    def to_dict(self) -> dict:
        """JSON-ready fields (numpy values made plain), with ``passed``; the name is the key."""
        thr = list(self.threshold) if isinstance(self.threshold, (tuple, list)) else self.threshold
        return {
            "value": plain(self.value),
            "op": self.op,
            "threshold": plain(thr),
            "passed": self.passed,
            "gating": self.gating,
            "description": self.description,
        }


@dataclass
class Result:
    """What one job of an experiment returns.

    ``figures`` holds the arrays a plot needs (not Figures), so results pickle cheaply
    across processes; ``plot`` in the experiment's registration turns them into Figures.
    """

    metrics: dict[str, float] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    def check(
        self,
        name: str,
        value: float,
        op: str,
        threshold: Any,
        gating: bool = True,
        description: str = "",
    ) -> Criterion:
        """Add a criterion and return it.

        ``op`` is one of ``>= <= > <`` or ``between`` (``threshold`` then a ``(lo, hi)``
        pair); ``gating=False`` reports the check without letting it fail the result.
        """
        c = Criterion(name, float(value), op, threshold, gating, description)
        self.criteria.append(c)
        return c

    @property
    def passed(self) -> bool:
        """Whether every gating criterion holds (true when there are none)."""
        return all(c.passed for c in self.criteria if c.gating)

    def to_dict(self) -> dict:
        """JSON-ready ``metrics``, ``criteria`` (by name) and ``passed``; figures and text left out."""
        return {
            "metrics": {k: plain(v) for k, v in self.metrics.items()},
            "criteria": {c.name: c.to_dict() for c in self.criteria},
            "passed": self.passed,
        }


@dataclass
class Experiment:
    """A registered experiment: its function, config defaults and declared metrics.

    ``metrics`` names every metric its Result may hold (empty: not declared, so names
    cannot be checked before a run). ``hidden`` experiments (the runner's own test
    fixtures) are left out of ``spikey list`` unless ``--all``.
    """

    name: str
    func: Callable[..., Result]
    defaults: dict
    quick: dict
    description: str
    plot: Callable | None = None
    metrics: tuple[str, ...] = ()
    hidden: bool = False
    cost: Callable[[dict], float] | None = None

    def check_keys(self, keys: Iterable[str], what: str = "parameter") -> None:
        """Raise ConfigError naming the first unknown key and every known one."""
        for key in keys:
            if key not in self.defaults:
                raise ConfigError(
                    f"experiment {self.name!r} has no {what} {key!r}; "
                    f"known: {', '.join(sorted(self.defaults)) or 'none'}"
                )

    def check_metric(self, metric: str) -> None:
        """Raise ConfigError unless ``metric`` is declared (nothing to check when none are)."""
        if not isinstance(metric, str) or not metric:
            raise ConfigError(f"the metric must be a name (a string), got {metric!r}")
        if self.metrics and metric not in self.metrics:
            raise ConfigError(
                f"experiment {self.name!r} has no metric {metric!r}; "
                f"its metrics: {', '.join(self.metrics)}"
            )

    def resolve(self, overrides: dict | None = None, quick: bool = False) -> dict:
        """Defaults, then the quick overrides, then the user's; unknown keys and values of
        the wrong type are a ConfigError naming the key."""
        if overrides is not None and not isinstance(overrides, dict):
            raise ConfigError(
                f"experiment {self.name!r}: config must be a dict of key -> value, "
                f"got {type(overrides).__name__}"
            )
        config = dict(self.defaults)
        if quick:
            config.update(self.quick)
        overrides = overrides or {}
        self.check_keys(overrides)
        for key, value in overrides.items():
            config[key] = coerce(self.name, key, value, self.defaults[key])
        return config

    def __call__(self, config=None, seed=0, progress=None) -> Result:
        """Run one job here. ``config``: overrides, or a full config (resolving one changes
        nothing but ``--set``-style strings, which become the defaults' types)."""
        return self.func(self.resolve(config), seed, progress or progress_factory(False))


REGISTRY: dict[str, Experiment] = {}


def register(
    name: str,
    defaults: dict | None = None,
    quick: dict | None = None,
    description: str = "",
    plot: Callable | None = None,
    metrics: str | Iterable[str] | None = None,
    replace: bool = False,
    hidden: bool = False,
    cost: Callable[[dict], float] | None = None,
) -> Callable[[Callable], Callable]:
    """Decorator: register ``func(config, seed, progress) -> Result`` under ``name``.

    Parameters
    ----------
    metrics : list of str, optional
        Every metric name the Result may hold (a string: names separated by spaces); ``spikey sweep --metric`` is checked against
        it before a trial starts.
    replace : bool
        Replace an experiment already registered under ``name`` by another function
        (without it that is an error; registering the same function again, e.g. a module
        imported twice or a notebook cell rerun, is allowed).
    hidden : bool
        Leave it out of ``spikey list`` (shown by ``spikey list --all``).
    cost : callable, optional
        ``cost(config)``: a job's expected run time in any consistent unit (e.g. simulated
        seconds); ``spikey replicate`` starts the costliest jobs first.
    """
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"register: the name must be a non-empty string, got {name!r}")
    declared = tuple(metrics.split() if isinstance(metrics, str) else metrics or ())
    if not all(isinstance(m, str) and m for m in declared):
        raise ConfigError(f"register {name!r}: metrics must be names (strings), got {metrics!r}")

    def wrap(func):
        old = REGISTRY.get(name)
        if old is not None and not replace and _origin(old.func) != _origin(func):
            raise ConfigError(
                f"an experiment named {name!r} is already registered "
                f"({_origin(old.func)}); pass replace=True to replace it"
            )
        REGISTRY[name] = Experiment(
            name,
            func,
            dict(defaults or {}),
            dict(quick or {}),
            description or (func.__doc__ or "").strip().split("\n")[0],
            plot,
            declared,
            bool(hidden),
            cost,
        )
        return func

    return wrap


def _origin(func) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"


_BUILTIN_MODULES = (
    "spikey.experiments.seed",
    "spikey.experiments.izh2007",
    "spikey.experiments.florian2007",
    "spikey.experiments.rl",
    "spikey.experiments.toy",
)


def load_builtins() -> None:
    """Import the built-in experiment families so that they register themselves.

    A family whose module is not part of this build is skipped; any other import error
    is raised.
    """
    for mod in _BUILTIN_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as err:  # a built-in family not installed in this build
            if err.name != mod:
                raise


def get(name: str) -> Experiment:
    """The experiment registered as ``name``; ConfigError listing the known ones if none is."""
    load_builtins()
    if not isinstance(name, str) or name not in REGISTRY:
        shown = ", ".join(n for n in sorted(REGISTRY) if not REGISTRY[n].hidden) or "none"
        raise ConfigError(f"no experiment named {name!r}; known: {shown}")
    return REGISTRY[name]


def names(include_hidden: bool = True) -> list[str]:
    """Registered names, sorted (``include_hidden=False``: what ``spikey list`` shows)."""
    load_builtins()
    return sorted(n for n in REGISTRY if include_hidden or not REGISTRY[n].hidden)


def config_hash(config: dict) -> str:
    """A stable short hash of a resolved config (key order does not matter)."""
    text = json.dumps({k: plain(v) for k, v in config.items()}, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stream_key(name: str) -> int:
    """The stream ``name`` as a 63-bit key (the first 8 bytes of its SHA-256)."""
    if not isinstance(name, str) or not name:
        raise ConfigError(f"a random stream needs a name (a non-empty string), got {name!r}")
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little") >> 1


def job_seed_sequence(seed: int, config: dict | None = None) -> np.random.SeedSequence:
    """The job's root SeedSequence: a function of the seed alone.

    The one seed policy: every random stream of a job is a named child of this root
    (:func:`stream_sequence`), and no config value enters any stream, so two configs that
    differ only in a learning rate or a threshold see the same network and the same
    stimulus sequence. ``config`` is accepted for older callers and ignored.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"a job's seed must be an integer >= 0, got {seed!r}")
    return np.random.SeedSequence(int(seed))


def stream_sequence(seed: int, name: str) -> np.random.SeedSequence:
    """The SeedSequence of the job's random stream ``name`` (e.g. ``"izh2007/network"``).

    A named child of :func:`job_seed_sequence` (its spawn key is a hash of ``name``): the
    same for the same (seed, name), independent across names, and adding a stream never
    shifts another.
    """
    root = job_seed_sequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(_stream_key(name),))


def stream(seed: int, name: str) -> np.random.Generator:
    """A fresh Generator on the job's stream ``name`` (see :func:`stream_sequence`)."""
    return np.random.default_rng(stream_sequence(seed, name))


def stream_seed(seed: int, name: str) -> int:
    """An integer seed (0 .. 2**63 - 1) from the job's stream ``name``, for parts that take
    an int (an engine, a game)."""
    return int(stream_sequence(seed, name).generate_state(2, np.uint32).view(np.uint64)[0] >> 1)


def job_rng(seed: int, config: dict | None = None, name: str = "job") -> np.random.Generator:
    """A Generator on the job's stream ``name`` (default ``"job"``): a function of the seed
    and the name only; ``config`` is accepted for older callers and ignored (it never
    enters a stream). Draw different things (weights, schedule, noise) from different
    names, so that changing how many of one are drawn leaves the others alone."""
    return stream(seed, name)


def coerce(experiment: str, key: str, value: Any, default: Any) -> Any:
    """``value`` for ``key`` in the type of its default (``--set`` strings are parsed).

    A bool, int, float or str default takes only values of its kind: ``"3"`` or ``3.0`` for
    an int, any real number for a float (NaN only where the default is NaN, a "use the
    built-in value" marker), ``true``/``false``/``1``/``0`` for a bool. Other
    defaults (lists, dicts, None) take any value; a string for them is read as JSON when
    it parses. Anything else is a ConfigError naming the key, the value and the type.
    """

    given = value

    def bad(expected):
        return ConfigError(
            f"experiment {experiment!r}: key {key!r} got {given!r}; expected {expected}"
        )

    if isinstance(default, bool):
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOLS:
            return _BOOLS[value.strip().lower()]
        raise bad("true or false")
    if isinstance(default, numbers.Integral):
        if isinstance(value, str):
            try:
                value = float(value) if value.strip().lower() not in ("nan", "inf") else None
            except ValueError:
                raise bad("an integer") from None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise bad("an integer")
        if not float(value).is_integer():
            raise bad("an integer")
        return int(value)
    if isinstance(default, numbers.Real):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise bad("a number") from None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise bad("a number")
        if math.isnan(value) and not math.isnan(default):  # NaN only where it is the default
            raise bad("a number (not NaN: only keys whose default is NaN take it)")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise bad("a string")
        return value
    if isinstance(value, str):
        kind = {list: list, tuple: list, dict: dict}.get(type(default))
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            if kind is not None:  # "[1," for a list: an error, not the string "[1,"
                raise bad(f"a JSON {kind.__name__}") from None
            return value
        if kind is not None and not isinstance(parsed, kind):
            raise bad(f"a JSON {kind.__name__}")
        return parsed
    return value


_BOOLS = {"1": True, "true": True, "yes": True, "on": True}
_BOOLS.update({"0": False, "false": False, "no": False, "off": False})


def plain(v: Any) -> Any:
    """JSON-friendly version of numpy scalars/arrays."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v
