"""Run a user's own train function over configs and seeds, like a registered experiment.

The seed notebooks wrote ``def train_func(config): ...; return metrics`` and handed it to
Ray Train's ``TorchTrainer``. The same function runs here unchanged::

    from spikey.runner import run_function
    summary = run_function(train_func, config={"learning_rate": 0.0}, seeds=range(4))

Each job seeds ``numpy.random`` and ``random`` from its seed alone (the one seed policy: two
configs of one seed draw the same numbers, so a sweep is paired), so code that draws from
the global RNGs (``np.random.randint`` in a game) is reproducible per seed; a
function that wants its seed or a Generator takes ``(config, seed)`` or calls
``spikey.runner.hooks.current_job()``.

Isolation, as Ray Train gave it: on ``backend="process"`` (the default) and ``"ray"`` each
job runs in a worker process of its own, so a function that changes shared state (the
notebooks' ``network_template.keys.update(config)``) cannot change what a later job or a
later call sees. ``reuse_workers=True`` trades that for speed (process: ~13 instead of
~50 ms per job; Ray: ~4 ms instead of seconds). ``backend="serial"`` runs in this process
by definition: there spikey puts back the class attributes the function changed (classes
it names directly) and warns with :class:`~spikey.runner.guard.SharedStateWarning`;
changes to module globals or instances are not undone.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from spikey.experiments.registry import Result
from spikey.module import ConfigError
from spikey.runner.core import check_options, parse_seeds, run_jobs, summarize
from spikey.runner.job import Job
from spikey.runner.rundir import RunDir


class FunctionTask:
    """Adapts ``fn(config)`` / ``fn(config, seed)`` to the experiment signature.

    The return value becomes a Result: a Result passes through; a dict's numbers become
    metrics and everything else goes to ``figures``; None gives an empty Result.
    """

    def __init__(self, fn: Callable):
        if not callable(fn):
            raise ConfigError(f"run_function expects a callable, got {type(fn).__name__}")
        self.fn = fn
        try:
            params = [
                p
                for p in inspect.signature(fn).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            self.n_args = min(len(params), 2)
        except (TypeError, ValueError):
            self.n_args = 1

    def __call__(self, config, seed, progress):
        args = (config, seed)[: self.n_args]
        out = self.fn(*args)
        if isinstance(out, Result):
            return out
        if out is None:
            return Result()
        if not isinstance(out, dict):
            raise TypeError(
                f"{getattr(self.fn, '__name__', 'the function')} returned "
                f"{type(out).__name__}; expected a dict of metrics, a Result or None"
            )
        res = Result()
        for key, value in out.items():
            if isinstance(value, numbers.Number) or (
                isinstance(value, np.ndarray) and value.ndim == 0
            ):
                res.metrics[key] = value.item() if isinstance(value, np.generic) else value
            else:
                res.figures[key] = value
        return res


def run_function(
    fn: Callable,
    config: dict | None = None,
    seeds: int | str | Iterable[int] = (0,),
    configs: Iterable[dict] | None = None,
    backend: str = "process",
    name: str | None = None,
    out: str | Path | None = None,
    progress: bool | None = False,
    **backend_options: Any,
) -> dict:
    """Run ``fn`` once per (config, seed); return the same summary as :func:`spikey.run`.

    Parameters
    ----------
    fn : callable
        ``fn(config) -> dict`` or ``fn(config, seed) -> dict`` (or a Result, or None).
    config : dict, optional
        One config for every seed (default ``{}``).
    seeds : int, list or str
        Seeds per config (``"0-4"`` works).
    configs : list of dict, optional
        Several configs (a grid); each runs over every seed. Excludes ``config``.
    backend : {"process", "serial", "ray"}
        As in :func:`spikey.runner.core.run_jobs`; functions defined in a notebook or
        script travel to workers by value (cloudpickle).
    name : str, optional
        The experiment name in outcomes and the run directory (default: ``fn.__name__``).
    out : path, optional
        Run directory, resumed on rerun. Keep config values plain (numbers, strings,
        lists) for that: a config's hash uses ``repr`` for other objects.
    backend_options
        ``workers``, ``address``, ``max_retries``, ``reuse_workers`` (default False: a
        fresh worker per job; see the module's notes on isolation), ``start_method``.

    Returns
    -------
    dict
        ``experiment``, ``passed`` (no job raised), ``jobs`` (one row per job, with its
        ``config``) and ``outcomes``.
    """
    if configs is not None and config is not None:
        raise ConfigError("run_function: pass config or configs, not both")
    configs = list(configs) if configs is not None else [config or {}]
    for c in configs:
        if not isinstance(c, dict):
            raise ConfigError(
                f"run_function: a config must be a dict of key -> value, got {type(c).__name__}"
            )
    if not configs:
        raise ConfigError("run_function: configs is empty; expected at least one dict")
    task = FunctionTask(fn)
    name = name or getattr(fn, "__name__", "function")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"run_function: name must be a non-empty string, got {name!r}")
    jobs = [Job(name, dict(c), s, func=task) for c in configs for s in parse_seeds(seeds)]
    check_options(backend, backend_options)
    rundir = RunDir(out) if out is not None else None
    outcomes = run_jobs(jobs, backend=backend, progress=progress, out_dir=rundir, **backend_options)
    summary = summarize(name, outcomes)
    for row, o in zip(summary["jobs"], outcomes):
        row["config"] = o.job.config
    if rundir is not None:
        summary["out"] = str(out)
        summary["save_errors"] = list(rundir.write_errors)
    return summary
