"""The seed notebook's two experiments, registered: ``seed.classical`` and ``seed.ordinal``."""

from spikey.experiments.registry import register
from spikey.experiments.seed import classical, ordinal
from spikey.experiments.seed.plots import plot_classical, plot_ordinal

register(
    "seed.classical",
    defaults=classical.DEFAULTS,
    quick=classical.QUICK,
    description="Seed notebook: classical conditioning of 4 of 10 states, learning vs. "
    "learning_rate=0",
    plot=plot_classical,
)(classical.run_classical)
register(
    "seed.ordinal",
    defaults=ordinal.DEFAULTS,
    quick=ordinal.QUICK,
    description="Seed notebook: ordinal answer (A for states 2, 3, 6, 8, else B), LTP with "
    "punishment and lateral inhibition, vs. learning_rate=0",
    plot=plot_ordinal,
)(ordinal.run_ordinal)
