"""The ``ray`` backend: one Ray task per job, on a local Ray or a cluster.

Ray is imported only here, and only when asked for. Without an address (argument or
``RAY_ADDRESS``) a private local Ray starts (``address="local"``), quiet: no dashboard,
worker logs not forwarded, usage stats off. A given address is probed with a short TCP
connect first, so a wrong or dead address fails in seconds with a clear message instead
of hanging. An already initialised Ray (``ray.init`` by the caller) is used as it is.

Tasks retry on worker death (``max_retries``); exceptions inside a job never reach
Ray (they come back in the Outcome), so a job that raises is not retried.
"""

from __future__ import annotations

import logging
import os
import socket
import time

from spikey.extras import MissingExtra, require
from spikey.runner.job import Outcome, execute
from spikey.runner.process import THREAD_ENV

PROBE_TIMEOUT_S = 5.0
_REMOTE = {}

#: The asked-for backend cannot run here (Ray not installed): :class:`spikey.extras.MissingExtra`.
BackendUnavailable = MissingExtra


def import_ray():
    """``ray``, or MissingExtra naming the extra to install."""
    return require("ray", "the 'ray' backend", "use --backend process")


def probe(address: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Raise ConnectionError unless something listens at ``address`` within ``timeout`` s."""
    target = address.split("://", 1)[1] if "://" in address else address
    host, sep, port = target.rpartition(":")
    if not sep:
        host, port = target, "10001" if address.startswith("ray://") else "6379"
    try:
        port_n = int(port)
    except ValueError:
        raise ValueError(
            f"Ray address {address!r}: expected host:port or ray://host:port"
        ) from None
    try:
        socket.create_connection((host or "127.0.0.1", port_n), timeout=timeout).close()
    except OSError as err:
        raise ConnectionError(
            f"no Ray cluster answers at {address!r} (tried for {timeout:g} s: {err}). Start one "
            "with `ray start --head`, fix --address / RAY_ADDRESS, or leave both out to run on a "
            "local Ray."
        ) from None


def ensure_ray(address=None, num_cpus=None, probe_timeout=PROBE_TIMEOUT_S):
    """Initialise Ray if needed; return ``(ray, started_here)``."""
    ray = import_ray()
    if ray.is_initialized():
        return ray, False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    address = address or os.environ.get("RAY_ADDRESS") or None
    quiet = dict(log_to_driver=False, logging_level=logging.ERROR, include_dashboard=False)
    if address and address != "local":
        if address != "auto":
            probe(address, probe_timeout)
        ray.init(address=address, **quiet)
    else:
        ray.init(
            address="local", num_cpus=num_cpus, runtime_env={"env_vars": dict(THREAD_ENV)}, **quiet
        )
    return ray, True


def _task(job, guard):
    out = execute(job, guard=guard)
    return out.result, out.error, out.traceback, out.seconds, out.extra


def remote_task(ray, fresh=False):
    """The Ray task that runs a job; ``fresh``: its worker process ends after the job.

    Ray's own retries are off: :func:`run_ray` resubmits a job whose worker died, so it
    can count the attempts and record them like the process backend does."""
    if fresh not in _REMOTE:
        _REMOTE[fresh] = ray.remote(
            num_cpus=1, max_retries=0, retry_exceptions=False, max_calls=int(fresh)
        )(_task)
    return _REMOTE[fresh]


def _first_line(err) -> str:
    return f"{type(err).__name__}: {err}".strip().split("\n")[0]


def run_ray(tasks, finish, address=None, num_cpus=None, max_retries=2):
    """Run ``tasks`` (list of (index, Job, fresh)) as Ray tasks; ``finish(index, Outcome)`` as
    each ends. A ``fresh`` job runs on a Ray worker process that ends after it (``max_calls=1``).

    A job never raises inside Ray (its exception comes back in the Outcome), so a Ray error
    means its worker or node died (killed, out of memory): the job is submitted again, up to
    ``max_retries`` times. ``outcome.extra`` holds ``attempts`` and, when a worker died,
    ``worker_deaths`` (one line per death)."""
    ray, _ = ensure_ray(address, num_cpus)
    refs = {}

    def submit(index, job, fresh, deaths):
        ref = remote_task(ray, fresh).remote(job, not fresh)
        refs[ref] = (index, job, fresh, deaths, time.perf_counter())

    for index, job, fresh in tasks:
        submit(index, job, fresh, [])
    try:
        while refs:
            done, _ = ray.wait(list(refs), num_returns=1)
            for ref in done:
                index, job, fresh, deaths, start = refs.pop(ref)
                extra = {}
                try:
                    result, error, tb, seconds, extra = ray.get(ref)
                except ray.exceptions.TaskCancelledError:
                    raise
                except ray.exceptions.RayError as err:  # the worker died under the job
                    deaths = [*deaths, _first_line(err)]
                    if len(deaths) <= max_retries:
                        submit(index, job, fresh, deaths)
                        continue
                    result, error, tb = None, f"WorkerDied: {deaths[-1]}", str(err)
                    seconds = time.perf_counter() - start
                extra = {**extra, "attempts": len(deaths) + 1}
                if deaths:
                    extra["worker_deaths"] = deaths
                finish(
                    index,
                    Outcome(
                        job, result=result, error=error, traceback=tb, seconds=seconds, extra=extra
                    ),
                )
    finally:
        for ref in refs:  # interrupted: do not leave work running on the cluster
            ray.cancel(ref, force=True)
