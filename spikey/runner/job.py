"""A job, its outcome, and running one here: the leaf the backends build on.

A job is (experiment, resolved config, seed). Its randomness derives from the seed alone
(named streams, :func:`spikey.experiments.registry.stream`; no config value enters one), so a
job gives bit-identical metrics whichever backend, worker or batch position runs it, and two
configs of a sweep see the same draws. The global ``numpy.random`` and ``random`` states are seeded the same
way for the job's duration (legacy code that draws from them stays reproducible) and
restored afterwards.
"""

from __future__ import annotations

import random
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spikey.experiments import registry
from spikey.experiments.registry import Result
from spikey.progress import progress_factory
from spikey.runner import hooks
from spikey.runner.guard import ClassGuard


@dataclass(frozen=True)
class Job:
    """One unit of work: an experiment, its fully resolved config, one seed.

    ``func`` (optional) is the function to call instead of looking ``experiment`` up in
    the registry: a user's own experiment or train function travels with its job.
    ``config_hash`` is computed once, where the job is made, so every worker derives the
    same Generator even when the config holds objects whose repr differs by process.
    ``isolate``: run the job in a worker process of its own (default: when it carries a
    ``func``), so nothing it changes in its process reaches a later job.
    """

    experiment: str
    config: dict
    seed: int
    func: Callable | None = field(default=None, compare=False, repr=False)
    config_hash: str = field(default="", compare=False)
    isolate: bool | None = field(default=None, compare=False)

    def __post_init__(self):
        if not self.config_hash:
            object.__setattr__(self, "config_hash", registry.config_hash(self.config))
        if self.isolate is None:  # a user's function gets a fresh worker; built-ins are pure
            object.__setattr__(self, "isolate", self.func is not None)

    @property
    def key(self) -> str:
        """``experiment:config_hash:seed``: what a run directory records the job under."""
        return f"{self.experiment}:{self.config_hash}:{self.seed}"

    def seed_sequence(self) -> np.random.SeedSequence:
        """``registry.job_seed_sequence(seed)``: the root of every stream (the seed alone)."""
        return registry.job_seed_sequence(self.seed)

    def rng(self, name: str = "job") -> np.random.Generator:
        """A fresh Generator on the job's stream ``name`` (each call starts it again); equal to
        ``registry.job_rng(seed)`` for the default name."""
        return registry.stream(self.seed, name)


@dataclass
class Outcome:
    """A finished job: its Result, or the error and traceback that stopped it.

    ``extra`` holds ``attempts`` (how many workers it took) and ``resumed`` (loaded from
    the run directory instead of run).
    """

    job: Job
    result: Result | None = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Whether the job returned a Result and it passed (an error never passes)."""
        return self.result is not None and self.result.passed


class SeededGlobals:
    """Seed numpy's and Python's global RNGs from the job; put the old states back on exit."""

    def __init__(self, job: Job):
        self.state = registry.stream_sequence(job.seed, "globals").generate_state(4)

    def __enter__(self):
        self.saved = (np.random.get_state(), random.getstate())  # noqa: NPY002
        np.random.seed(self.state)  # noqa: NPY002
        random.seed(int(self.state[0]) << 32 | int(self.state[1]))

    def __exit__(self, *exc):
        np.random.set_state(self.saved[0])  # noqa: NPY002
        random.setstate(self.saved[1])


def call(
    job: Job, progress: bool | None = False, report: Callable[[dict], Any] | None = None
) -> Result:
    """Run one job here and return its Result; exceptions propagate (sweeps use this).

    A registered experiment whose Result holds a metric it did not declare
    (``register(metrics=...)``) gets an :class:`UndeclaredMetricWarning`: ``spikey sweep``
    would refuse that metric's name."""
    exp = registry.get(job.experiment) if job.func is None else None
    func = job.func if exp is None else exp.func
    make_bar = progress if callable(progress) else progress_factory(progress, position=1)
    with SeededGlobals(job), hooks.running(job), hooks.reporting(report):
        result = func(dict(job.config), job.seed, make_bar)
    if not isinstance(result, Result):
        raise TypeError(
            f"experiment {job.experiment!r} returned {type(result).__name__}; "
            "expected a spikey.experiments.Result"
        )
    if exp is not None and exp.metrics:
        extra = sorted(set(result.metrics) - set(exp.metrics))
        if extra:
            warnings.warn(
                f"experiment {exp.name!r} returned metrics it does not declare: "
                f"{', '.join(extra)}; add them to its register(metrics=...)",
                UndeclaredMetricWarning,
                stacklevel=2,
            )
    return result


class UndeclaredMetricWarning(UserWarning):
    """A registered experiment returned a metric missing from its declared ``metrics``."""


def execute(
    job: Job,
    progress: bool | None = False,
    report: Callable[[dict], Any] | None = None,
    guard: bool = False,
) -> Outcome:
    """Run one job in this process, catching its exception into the Outcome.

    ``guard``: this process runs later jobs too; undo the changes the job's function makes
    to classes it names (see :mod:`spikey.runner.guard`) and list them in
    ``outcome.extra["warnings"]``.
    """
    start = time.perf_counter()
    watch = ClassGuard(job.func) if guard and job.func is not None else None
    try:
        result = call(job, progress, report)
        out = Outcome(job, result=result, seconds=time.perf_counter() - start)
    except Exception as err:  # recorded, the other jobs go on
        out = Outcome(
            job,
            error=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(),
            seconds=time.perf_counter() - start,
        )
    if watch is not None:
        changes = watch.restore()
        if changes:
            out.extra["warnings"] = [watch.message(changes)]
    return out
