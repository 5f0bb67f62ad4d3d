"""A registry of runnable experiments and the result they return.

An experiment is a function ``(config, seed, progress) -> Result``. ``config`` is its
defaults updated with the user's overrides; ``seed`` is the job's integer seed (derive
Generators with :func:`job_rng`, never from the global RNG or the job's position);
``progress`` is a :func:`spikey.progress.progress_factory`-style callable.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
        v = float(self.value)
        if math.isnan(v):
            return False
        if self.op == "between":
            lo, hi = self.threshold
            return lo <= v <= hi
        return bool(_OPS[self.op](v, self.threshold))

    def to_dict(self) -> dict:
        thr = list(self.threshold) if isinstance(self.threshold, (tuple, list)) else self.threshold
        return {
            "value": _plain(self.value),
            "op": self.op,
            "threshold": _plain(thr),
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

    def check(self, name, value, op, threshold, gating=True, description="") -> Criterion:
        """Add a criterion and return it."""
        c = Criterion(name, float(value), op, threshold, gating, description)
        self.criteria.append(c)
        return c

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.criteria if c.gating)

    def to_dict(self) -> dict:
        return {
            "metrics": {k: _plain(v) for k, v in self.metrics.items()},
            "criteria": {c.name: c.to_dict() for c in self.criteria},
            "passed": self.passed,
        }


@dataclass
class Experiment:
    name: str
    func: Callable[..., Result]
    defaults: dict
    quick: dict
    description: str
    plot: Callable | None = None

    def resolve(self, overrides: dict | None = None, quick: bool = False) -> dict:
        """Defaults, then the quick overrides, then the user's; unknown keys are an error."""
        config = dict(self.defaults)
        if quick:
            config.update(self.quick)
        for key, value in (overrides or {}).items():
            if key not in self.defaults:
                raise KeyError(
                    f"experiment {self.name!r} has no parameter {key!r}; "
                    f"known: {sorted(self.defaults)}"
                )
            config[key] = _coerce(value, self.defaults[key])
        return config

    def __call__(self, config=None, seed=0, progress=None) -> Result:
        """Run one job here. ``config``: overrides, or a full config (resolving one changes
        nothing but ``--set``-style strings, which become the defaults' types)."""
        from spikey.progress import progress_factory

        return self.func(self.resolve(config), seed, progress or progress_factory(False))


REGISTRY: dict[str, Experiment] = {}


def register(name, defaults=None, quick=None, description="", plot=None):
    """Decorator: register ``func(config, seed, progress) -> Result`` under ``name``."""

    def wrap(func):
        REGISTRY[name] = Experiment(
            name,
            func,
            dict(defaults or {}),
            dict(quick or {}),
            description or (func.__doc__ or "").strip().split("\n")[0],
            plot,
        )
        return func

    return wrap


_BUILTIN_MODULES = (
    "spikey.experiments.seed",
    "spikey.experiments.izh2007",
    "spikey.experiments.florian2007",
    "spikey.experiments.toy",
)


def load_builtins():
    import importlib

    for mod in _BUILTIN_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as err:  # a built-in family not installed in this build
            if err.name != mod:
                raise


def get(name) -> Experiment:
    load_builtins()
    if name not in REGISTRY:
        raise KeyError(
            f"no experiment named {name!r}; known: {', '.join(sorted(REGISTRY)) or 'none'}"
        )
    return REGISTRY[name]


def names() -> list[str]:
    load_builtins()
    return sorted(REGISTRY)


def config_hash(config: dict) -> str:
    """A stable short hash of a resolved config (key order does not matter)."""
    text = json.dumps({k: _plain(v) for k, v in config.items()}, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def job_seed_sequence(seed: int, config: dict) -> np.random.SeedSequence:
    """The job's SeedSequence: a function of (seed, config hash) only."""
    return seed_sequence_of_hash(seed, config_hash(config))


def seed_sequence_of_hash(seed: int, hash_text: str) -> np.random.SeedSequence:
    """:func:`job_seed_sequence` from an already computed :func:`config_hash`."""
    return np.random.SeedSequence([int(seed), int(hash_text, 16)])


def job_rng(seed: int, config: dict) -> np.random.Generator:
    return np.random.default_rng(job_seed_sequence(seed, config))


def _coerce(value, default):
    """Turn a ``--set key=value`` string into the type of the default."""
    if not isinstance(value, str) or isinstance(default, str):
        return value
    if isinstance(default, bool):
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected a boolean, got {value!r}")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def _plain(v):
    """JSON-friendly version of numpy scalars/arrays."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v
