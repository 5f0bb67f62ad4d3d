"""What a running job can see of the runner: intermediate reports and the current job.

An experiment (or a user's train function) reports intermediate metrics, e.g. once per
episode, with::

    from spikey.runner.hooks import report
    report({"reward": mean_reward}, step=episode)

Nobody listens during a plain ``spikey run``, so the call costs a context-variable lookup.
A sweep listens: Ray Tune forwards each report to ``ray.tune.report`` (so ASHA can stop
weak trials early) and the Optuna engine to ``trial.report`` (its pruner does the same).
Report the metric the sweep optimises under the same name the final Result uses.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any

_REPORTER: ContextVar = ContextVar("spikey_reporter", default=None)
_JOB: ContextVar = ContextVar("spikey_job", default=None)


def report(metrics: dict | None = None, step: int | None = None, **more: Any) -> None:
    """Hand intermediate metrics to whoever runs this job (a no-op when nobody listens).

    Parameters
    ----------
    metrics : dict, optional
        Metric name -> number. Keyword arguments are merged in.
    step : int, optional
        The episode or iteration this report belongs to (stored as ``"step"``).
    """
    callback = _REPORTER.get()
    if callback is None:
        return
    values = dict(metrics or {})
    values.update(more)
    if step is not None:
        values["step"] = int(step)
    callback(values)


def listening() -> bool:
    """True when some caller receives :func:`report` (skip costly intermediate metrics otherwise)."""
    return _REPORTER.get() is not None


@contextmanager
def _bound(var: ContextVar, value):
    """Within the block, ``var`` holds ``value``; the previous value comes back after it."""
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def reporting(callback: Callable[[dict], Any] | None) -> AbstractContextManager[None]:
    """Within the block, :func:`report` calls ``callback(dict)`` (``None``: nobody listens)."""
    return _bound(_REPORTER, callback)


def current_job() -> Any:  # a Job or None (job.py imports this module, not the reverse)
    """The :class:`~spikey.runner.core.Job` running in this context, or None.

    A user's train function ``fn(config)`` reads its seed as ``current_job().seed`` and a
    Generator for it as ``current_job().rng()``.
    """
    return _JOB.get()


def running(job: Any) -> AbstractContextManager[None]:
    """Within the block, :func:`current_job` returns ``job``."""
    return _bound(_JOB, job)
