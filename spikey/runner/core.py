"""Jobs and the serial backend (the process and Ray backends build on the same Job API)."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from spikey.experiments import registry
from spikey.experiments.registry import Result
from spikey.progress import progress_factory


@dataclass(frozen=True)
class Job:
    """One unit of work: an experiment, its fully resolved config, one seed."""

    experiment: str
    config: dict
    seed: int

    @property
    def key(self) -> str:
        return f"{self.experiment}:{registry.config_hash(self.config)}:{self.seed}"


@dataclass
class Outcome:
    """A finished job: its Result, or the error and traceback that stopped it."""

    job: Job
    result: Result | None = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed


def execute(job: Job, progress=False) -> Outcome:
    """Run one job in this process, catching its exception into the Outcome."""
    import time
    exp = registry.get(job.experiment)
    start = time.perf_counter()
    try:
        result = exp.func(dict(job.config), job.seed, progress_factory(progress))
        return Outcome(job, result=result, seconds=time.perf_counter() - start)
    except Exception as err:  # recorded, the other jobs go on
        return Outcome(job, error=f"{type(err).__name__}: {err}", traceback=traceback.format_exc(),
                       seconds=time.perf_counter() - start)


def run_jobs(jobs, backend="serial", progress=False, **backend_options) -> list[Outcome]:
    """Run jobs on a backend; outcomes come back in the order of ``jobs``."""
    if backend != "serial":
        raise ValueError(f"backend {backend!r} is not available yet; use 'serial'")
    return [execute(job, progress) for job in jobs]


def parse_seeds(text) -> list[int]:
    """``"0-4"`` -> [0, 1, 2, 3, 4]; ``"0,3,7"``; ``"3"`` -> [3]; ints and lists pass through."""
    if isinstance(text, int):
        return [text]
    if isinstance(text, (list, tuple, range)):
        return [int(s) for s in text]
    seeds = []
    for part in str(text).split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-")
            seeds.extend(range(int(lo), int(hi) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def run(experiment, seeds=(0,), config=None, backend="serial", quick=False, progress=False,
        **backend_options) -> dict:
    """Run ``experiment`` once per seed; return the summary (JSON-ready but for ``outcomes``)."""
    exp = registry.get(experiment) if isinstance(experiment, str) else experiment
    resolved = exp.resolve(config, quick=quick)
    jobs = [Job(exp.name, resolved, s) for s in parse_seeds(seeds)]
    outcomes = run_jobs(jobs, backend=backend, progress=progress, **backend_options)
    rows = []
    for o in outcomes:
        if o.result is None:
            rows.append({"seed": o.job.seed, "metrics": {}, "criteria": {}, "passed": False,
                         "error": o.error, "traceback": o.traceback})
        else:
            rows.append({"seed": o.job.seed, **o.result.to_dict(), "text": o.result.text})
    return {"experiment": exp.name, "config": resolved, "config_hash": registry.config_hash(resolved),
            "passed": all(r["passed"] for r in rows), "jobs": rows, "outcomes": outcomes}
