"""One trial, the same for both searchers: the experiment over the seeds, the mean metrics."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spikey.runner.job import Job, call


def trial_metrics(
    exp_name: str,
    base: dict,
    params: dict,
    seeds: Iterable[int],
    report: Callable[[dict], Any] | None = None,
    func: Callable | None = None,
) -> dict:
    """Run the experiment over ``seeds`` with ``params`` set; the mean of each numeric metric.

    Exceptions propagate (the searcher records the trial as failed).

    Parameters
    ----------
    exp_name : str
        The registered experiment.
    base : dict
        The resolved configuration every trial starts from.
    params : dict
        The trial's sampled values (an integer parameter is rounded).
    seeds : iterable of int
        The seeds run; the metrics are their means.
    report : callable, optional
        Receives each intermediate report of the experiment.
    func : callable, optional
        The experiment's function when it must travel to a worker.

    Returns
    -------
    dict
        Each numeric metric's mean over the seeds (metrics missing on a seed left out).
    """
    config = dict(base)
    for key, value in params.items():
        config[key] = int(round(value)) if isinstance(base[key], int) else float(value)
    sums: dict = {}
    for seed in seeds:
        result = call(Job(exp_name, config, int(seed), func=func), report=report)
        for key, value in result.metrics.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sums.setdefault(key, []).append(float(value))
    return {k: sum(v) / len(v) for k, v in sums.items() if len(v) == len(seeds)}


def need_metric(metric: str, metrics: dict) -> float:
    """``metrics[metric]``, or a KeyError naming the metrics the experiment returned.

    Parameters
    ----------
    metric : str
        The metric the sweep optimises.
    metrics : dict
        A trial's mean metrics.

    Returns
    -------
    float
        The trial's value.
    """
    if metric not in metrics:
        raise KeyError(f"the experiment returned no metric {metric!r}; it has {sorted(metrics)}")
    return metrics[metric]
