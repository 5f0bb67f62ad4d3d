"""Running experiments over seeds: ``spikey.run`` and the backends behind ``spikey run``."""
from spikey.runner.core import Job, Outcome, execute, parse_seeds, run, run_jobs

__all__ = ["Job", "Outcome", "execute", "parse_seeds", "run", "run_jobs"]
