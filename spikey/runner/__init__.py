"""Running experiments over seeds: ``spikey.run``, ``run_function`` and the backends.

Backends: ``serial`` (this process), ``process`` (spawned worker pool, the default) and
``ray`` (tasks on a local Ray or a cluster). See :mod:`spikey.runner.core`.
"""

from spikey.runner.core import parse_seeds, run, run_jobs
from spikey.runner.functions import run_function
from spikey.runner.hooks import current_job, report
from spikey.runner.job import Job, Outcome, execute

__all__ = [
    "Job",
    "Outcome",
    "current_job",
    "execute",
    "parse_seeds",
    "report",
    "run",
    "run_function",
    "run_jobs",
]
