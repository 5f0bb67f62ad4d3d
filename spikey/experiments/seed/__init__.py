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
    metrics="rate_ratio rewarded_rate other_rate control_rate_ratio control_rewarded_rate control_other_rate".split(),
)(classical.run_classical)
register(
    "seed.ordinal",
    defaults=ordinal.DEFAULTS,
    quick=ordinal.QUICK,
    description="Seed notebook: ordinal answer (A for states 2, 3, 6, 8, else B), LTP with "
    "punishment and lateral inhibition, vs. learning_rate=0",
    plot=plot_ordinal,
    metrics="final_accuracy initial_accuracy control_final_accuracy notebook_final_accuracy".split(),
)(ordinal.run_ordinal)
