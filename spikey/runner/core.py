"""Running jobs on a backend (``serial``, ``process``, ``ray``), and ``spikey.run``.

:mod:`spikey.runner.job` defines a job and runs one here; the backends
(:mod:`~spikey.runner.process`, :mod:`~spikey.runner.ray_backend`) run many; the run
directory (:mod:`~spikey.runner.rundir`) keeps their outcomes. This module picks the
backend, resumes from the run directory and summarises.
"""

from __future__ import annotations

import contextlib
import numbers
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spikey.experiments import registry
from spikey.module import ConfigError
from spikey.progress import progress_factory
from spikey.runner.guard import SharedStateWarning
from spikey.runner.job import Job, Outcome, call, execute
from spikey.runner.process import run_pool
from spikey.runner.ray_backend import run_ray
from spikey.runner.rundir import RunDir

__all__ = [
    "BACKENDS",
    "Job",
    "Outcome",
    "call",
    "default_out",
    "execute",
    "jobs_bar",
    "parse_seeds",
    "run",
    "run_jobs",
    "summarize",
    "travelling_func",
]

BACKENDS = ("serial", "process", "ray")


def jobs_bar(enabled: bool | None, total: int, initial: int, desc: str) -> Any:
    """The bar over jobs (or trials): tqdm when ``enabled``, else a no-op bar."""
    return progress_factory(enabled)(total, desc, initial=initial, unit="job", smoothing=0.1)


def run_jobs(
    jobs: Sequence[Job],
    backend: str = "serial",
    progress: bool | None = False,
    *,
    out_dir: RunDir | None = None,
    workers: int | None = None,
    address: str | None = None,
    max_retries: int = 2,
    on_outcome: Callable[[Outcome], Any] | None = None,
    start_method: str | None = None,
    reuse_workers: bool = False,
    **options: Any,
) -> list[Outcome]:
    """Run jobs on a backend; outcomes come back in the order of ``jobs``.

    Parameters
    ----------
    jobs : list of Job
        Any mix of experiments, configs and seeds.
    backend : {"serial", "process", "ray"}
        ``process``: a pool of ``workers`` processes (default one per core; started from a
        fork server, see :mod:`spikey.runner.process`), BLAS
        and OpenMP threads pinned to 1. ``ray``: one Ray task per job (see
        :mod:`spikey.runner.ray_backend`). ``serial``: this process, one job after another.
        A job with ``isolate`` set (any user function) runs in a worker of its own on
        ``process`` (a single one too) and ``ray`` (``max_calls=1``), so what it changes in
        its process (a class's ``keys``) dies with that worker. ``serial`` cannot do that: it
        puts back the data of classes the function names and warns
        (:class:`~spikey.runner.guard.SharedStateWarning`). A single pending built-in job
        on ``process`` runs in this process (a worker costs ~0.15-0.25 s to start).
    progress : bool or None
        A bar over jobs with ETA (None: when stderr is a terminal); per-job bars below it.
    out_dir : path, optional
        Run directory: finished jobs found there are loaded, not rerun; each job's outcome
        is appended as it finishes; ``summary.csv`` is rewritten at the end.
        The run holds the directory's lock meanwhile: another live run on it is refused
        at once (:class:`~spikey.runner.lock.RunDirLocked`, naming its PID, host and start
        time); a lock left by a killed run is taken over.
    workers : int, optional
        Process-pool size, or Ray CPUs when starting a local Ray.
    address : str, optional
        Ray cluster address (else ``RAY_ADDRESS``, else a local Ray).
    max_retries : int
        How often a job whose worker died (killed, segfault, out of memory) is run again.
        A job that raises is recorded at once, never retried.
    on_outcome : callable, optional
        Called with each Outcome as it arrives (resumed ones included).
    reuse_workers : bool
        Let jobs with ``isolate`` share workers too (faster: no process start per job; a
        change one job makes to its process is seen by the next one in that worker;
        class data is still put back, with a warning).
    """
    if options:
        raise TypeError(f"run_jobs got unknown options {sorted(options)}")
    check_options(
        backend,
        {
            "workers": workers,
            "address": address,
            "max_retries": max_retries,
            "on_outcome": on_outcome,
            "start_method": start_method,
            "reuse_workers": reuse_workers,
        },
    )
    jobs = list(jobs)
    rundir = None
    if out_dir is not None:
        rundir = out_dir if isinstance(out_dir, RunDir) else RunDir(out_dir)
    # refused here, before any job, if another run holds the directory
    with rundir.locked() if rundir is not None else contextlib.nullcontext():
        outcomes = _resumed(rundir, jobs)
        pending = [i for i, o in enumerate(outcomes) if o is None]
        names = sorted({j.experiment for j in jobs})
        bar = jobs_bar(
            progress,
            len(jobs),
            len(jobs) - len(pending),
            names[0] if len(names) == 1 else f"{len(names)} experiments",
        )
        if on_outcome is not None:
            for o in outcomes:
                if o is not None:
                    on_outcome(o)

        def finish(index, outcome):
            outcome.extra.setdefault("attempts", 1)
            for text in outcome.extra.get("warnings", ()):
                warnings.warn(text, SharedStateWarning, stacklevel=3)
            outcomes[index] = outcome
            if rundir is not None:
                rundir.record(outcome)
            bar.update(1)
            if outcome.error:
                bar.set_postfix_str(f"seed {outcome.job.seed} failed")
            if on_outcome is not None:
                on_outcome(outcome)

        show = sys.stderr.isatty() if progress is None else bool(progress)
        tasks = [(i, jobs[i], bool(jobs[i].isolate) and not reuse_workers) for i in pending]
        try:
            if not tasks:
                pass
            elif backend == "serial" or (
                backend == "process" and len(tasks) == 1 and not tasks[0][2]
            ):
                for i, job, _ in tasks:
                    finish(i, execute(job, progress=show, guard=True))
            elif backend == "process":
                run_pool(tasks, finish, workers=workers, max_retries=max_retries, progress=show,
                         start_method=start_method)  # fmt: skip
            else:
                run_ray(tasks, finish, address=address, num_cpus=workers, max_retries=max_retries)
        finally:
            bar.close()
            if rundir is not None:
                rundir.write_summary()
        return outcomes


def _resumed(rundir: RunDir | None, jobs: list[Job]) -> list[Outcome | None]:
    """Per job, its outcome found finished in ``rundir`` (None: still to run); notes the
    jobs' configs in the run directory."""
    outcomes: list[Outcome | None] = [None] * len(jobs)
    if rundir is not None:
        rundir.note_configs(jobs)
        for i, o in rundir.finished(jobs).items():
            outcomes[i] = o
    return outcomes


MAX_SEEDS = 100_000


def parse_seeds(text: int | str | Iterable[int]) -> list[int]:
    """``"0-4"`` -> [0, 1, 2, 3, 4]; ``"0,3,7"``; ``"3"`` -> [3]; ints and lists pass through.

    Seeds are distinct integers >= 0, at most :data:`MAX_SEEDS` of them; anything else is a
    ConfigError naming what was given and the expected form.
    """

    def bad(why):
        return ConfigError(f"seeds {text!r}: {why}; expected e.g. 0-4, 0,2,5 or a list of ints")

    def one(value):
        if isinstance(value, str):
            value = value.strip()
            if not (value.isascii() and value.isdigit()):  # "²" is a digit int() refuses
                raise bad(f"{value!r} is not an integer >= 0")
            return int(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise bad(f"{value!r} is not an integer")
        if value < 0:
            raise bad(f"{value} is negative")
        return int(value)

    if isinstance(text, (list, tuple, range, np.ndarray)):
        if len(text) > MAX_SEEDS:
            raise bad(f"{len(text)} seeds (more than {MAX_SEEDS})")
        seeds = [one(s) for s in text]
    elif isinstance(text, str):
        seeds = []
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            if "-" in part:
                lo, sep, hi = part.partition("-")
                lo, hi = one(lo), one(hi)
                if hi < lo:
                    raise bad(f"range {part!r} runs backwards")
                if hi - lo + 1 + len(seeds) > MAX_SEEDS:
                    raise bad(f"more than {MAX_SEEDS} seeds")
                seeds.extend(range(lo, hi + 1))
            else:
                seeds.append(one(part))
    else:
        seeds = [one(text)]
    if not seeds:
        raise bad("no seeds")
    seen = set()
    for seed in seeds:  # a seed run twice would count twice in the summary
        if seed in seen:
            raise bad(f"seed {seed} is given twice (each seed must be distinct)")
        seen.add(seed)
    return seeds


def default_out(experiment: str, config_hash: str, root: str | Path = "runs") -> Path:
    """``./runs/<experiment>-<hash>``: the same command finds (and resumes) the same folder."""
    return Path(root) / f"{experiment}-{config_hash}"


def summarize(name: str, outcomes: Sequence[Outcome], config: dict | None = None) -> dict:
    """The JSON-ready summary of a run (``outcomes`` keeps the full Outcomes, Results included)."""
    rows = []
    for o in outcomes:
        row = {"seed": o.job.seed}
        if o.result is None:
            row.update(
                {
                    "metrics": {},
                    "criteria": {},
                    "passed": False,
                    "error": o.error,
                    "traceback": o.traceback,
                }
            )
        else:
            row.update({**o.result.to_dict(), "text": o.result.text})
        row.update(
            {
                "seconds": o.seconds,
                "attempts": o.extra.get("attempts", 1),
                "worker_deaths": list(o.extra.get("worker_deaths", ())),
                "resumed": bool(o.extra.get("resumed")),
            }
        )
        rows.append(row)
    out = {
        "experiment": name,
        "passed": bool(rows) and all(r["passed"] for r in rows),
        "jobs": rows,
        "outcomes": list(outcomes),
    }
    if config is not None:
        out["config"] = config
        out["config_hash"] = registry.config_hash(config)
    return out


def travelling_func(exp: registry.Experiment) -> Callable | None:
    """What a Job of ``exp`` carries as ``func``: None for a built-in experiment (every worker
    finds it by name), else the function itself."""
    return None if getattr(exp.func, "__module__", "").startswith("spikey.") else exp.func


def run(
    experiment: str | registry.Experiment,
    seeds: int | str | Iterable[int] = (0,),
    config: dict | None = None,
    backend: str = "process",
    quick: bool = False,
    progress: bool | None = False,
    out: str | Path | None = None,
    **backend_options: Any,
) -> dict:
    """Run ``experiment`` once per seed; return the summary (JSON-ready but for ``outcomes``).

    Parameters
    ----------
    experiment : str or Experiment
        A registered name (``spikey list``) or an :class:`~spikey.experiments.Experiment`.
    seeds : int, list or str
        ``"0-4"``, ``"0,2,5"``, ``[0, 1]`` ...
    config : dict, optional
        Overrides of the experiment's defaults (unknown keys are an error).
    backend : {"process", "serial", "ray"}
        See :func:`run_jobs`; ``backend_options`` (``workers``, ``address``, ``max_retries``,
        ``progress``) go there too.
    out : path, optional
        Run directory (written and resumed); ``None`` keeps everything in memory. Writes
        that fail once jobs run (disk full) are listed in the summary's ``save_errors``
        (the results themselves are in the summary).
    """
    exp = registry.get(experiment) if isinstance(experiment, str) else experiment
    resolved = exp.resolve(config, quick=quick)
    func = travelling_func(exp)
    jobs = [Job(exp.name, resolved, s, func=func) for s in parse_seeds(seeds)]
    check_options(backend, backend_options)
    rundir = None
    if out is not None:
        rundir = RunDir(out)
        with rundir.locked():  # a second run on this directory is refused before it writes
            rundir.write_config(
                exp.name,
                resolved,
                jobs[0].config_hash,
                seeds=[j.seed for j in jobs],
                quick=bool(quick),
            )
            outcomes = run_jobs(
                jobs, backend=backend, progress=progress, out_dir=rundir, **backend_options
            )
    else:
        outcomes = run_jobs(jobs, backend=backend, progress=progress, **backend_options)
    summary = summarize(exp.name, outcomes, resolved)
    if rundir is not None:
        summary["out"] = str(out)
        summary["save_errors"] = list(rundir.write_errors)
    return summary


_OPTIONS = {
    "workers": "an integer >= 1 or None",
    "address": "a Ray address string or None",
    "max_retries": "an integer >= 0",
    "on_outcome": "a callable or None",
    "start_method": "None, 'forkserver', 'spawn' or 'fork'",
    "reuse_workers": "True or False",
}


def check_options(backend: str, options: dict) -> None:
    """ConfigError unless ``backend`` is known and each option has a valid value."""
    if backend not in BACKENDS:
        raise ConfigError(f"backend {backend!r} is unknown; expected one of {', '.join(BACKENDS)}")
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise ConfigError(
            f"unknown backend options {unknown}; expected some of {', '.join(_OPTIONS)}"
        )
    checks = {
        "workers": lambda v: v is None or (_is_int(v) and v >= 1),
        "address": lambda v: v is None or isinstance(v, str),
        "max_retries": lambda v: _is_int(v) and v >= 0,
        "on_outcome": lambda v: v is None or callable(v),
        "start_method": lambda v: v in (None, "spawn", "forkserver", "fork"),
        "reuse_workers": lambda v: isinstance(v, bool),
    }
    for key, value in options.items():
        if not checks[key](value):
            raise ConfigError(f"backend option {key!r} got {value!r}; expected {_OPTIONS[key]}")


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
