"""Running experiments over seeds: ``spikey.run`` and the backends behind ``spikey run``."""
from spikey.runner.core import parse_seeds, run

__all__ = ["parse_seeds", "run"]
