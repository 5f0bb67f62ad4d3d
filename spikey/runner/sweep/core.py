"""``sweep()``: build the spec, start or resume the sweep directory, run the searcher,
write the results (see :mod:`spikey.runner.sweep`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spikey.experiments import registry
from spikey.runner.core import travelling_func
from spikey.runner.sweep import files
from spikey.runner.sweep.spec import Param, SweepSpec


def sweep(
    experiment: str | registry.Experiment,
    params: Iterable[str | Param],
    *,
    progress: bool | None = False,
    **settings: Any,
) -> dict:
    """Search ``params`` of ``experiment``; write ``trials.csv`` and ``best.json`` to ``out``.

    Every keyword but ``progress`` is a setting of the sweep, given by name: their defaults
    and checks are :meth:`SweepSpec.build`'s (the one list of them; an unknown keyword is a
    TypeError naming it).

    Parameters
    ----------
    experiment : str or Experiment
        A registered experiment.
    params : list of str or Param
        ``"key=low:high"`` or ``"key=low:high:log"``.
    samples : int, default 8
        Trials in all (a resume runs only the missing ones).
    metric, mode : str
        The Result metric to optimise and ``"max"`` or ``"min"``.
    scheduler : {None, "asha"}
        Stop weak trials early from the experiment's intermediate reports.
    backend : {"auto", "process", "ray"}
        Where the trials run, as in :func:`spikey.run`: ``process``, a pool of ``workers``
        processes (default one per core); ``ray``, Ray actors (``address``: a cluster).
    seeds : int, str or iterable of int
        The seeds of every trial; its value is the metric's mean over them.
    config : dict, optional
        Fixed parameters of every trial; ``quick`` takes the experiment's short durations.
    out : str or Path, optional
        The sweep directory (default ``runs/sweep-<experiment>-<hash>``).
    sampler_seed : int, default 0
        Seed of the TPE sampler.
    address : str, optional
        Ray cluster address.
    workers : int, optional
        Trials in parallel: the process pool's size, or local Ray CPUs.
    progress : bool or None, default False
        A progress bar of the trials (None: when stderr is a terminal).
    reuse_workers : bool
        Let trials of a user's function share worker processes (by default each gets a
        fresh one, as jobs do; built-in experiments always share).
    searcher : {"auto", "optuna", "tune"}
        What proposes the trials: Optuna (trials on ``process``) or Ray Tune (on ``ray``);
        ``auto`` follows ``backend``, and both ``auto``: Ray Tune when Ray is installed.

    Returns
    -------
    dict
        ``experiment``, ``searcher``, ``backend``, ``metric``, ``mode``, ``best_value``,
        ``best_params``, ``best_trial``, ``trials`` (rows), ``out``; ``engine`` is the
        backend's old name, kept for one release.
    """
    spec = SweepSpec.build(experiment, params, **settings)
    identity = {**spec.identity(), "searcher": spec.searcher, "backend": spec.backend}
    files.start_or_resume(spec.out, identity, spec.base)
    func = travelling_func(spec.experiment)
    if spec.searcher == "tune":
        from spikey.runner.sweep import tune_search

        rows = tune_search.search(spec, func)
    else:
        from spikey.runner.sweep import optuna_search

        rows = optuna_search.search(spec, func, progress)
    summary = _summary(spec, rows)
    files.write_results(spec.out, rows, summary)
    return summary


def _summary(spec: SweepSpec, rows: list) -> dict:
    metric = spec.metric
    done = [r for r in rows if r["state"] == "done" and files.finite(r[metric])]
    best = (max if spec.mode == "max" else min)(done, key=lambda r: r[metric]) if done else None
    return {
        "experiment": spec.experiment.name,
        "searcher": spec.searcher,
        "backend": spec.backend,
        "metric": metric,
        "mode": spec.mode,
        "best_value": best[metric] if best else None,
        "best_params": {p.name: best[p.name] for p in spec.params} if best else None,
        "best_trial": best["trial"] if best else None,
        "trials": rows,
        "out": str(spec.out),
        "engine": spec.backend,  # deprecated: the backend's old name in this summary
    }
