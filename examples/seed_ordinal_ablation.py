"""Which change makes the ordinal task learnable? Prints the table in the docstring of
``spikey.experiments.seed.ordinal``: final-episode accuracy over many seeds for each
configuration (``python examples/seed_ordinal_ablation.py [n_seeds]``, about 2 s per seed
and configuration on one core; runs one process per core). SPIKEY_EXAMPLE_SHORT=1 runs 2 seeds
(as the docs' gallery does).
"""

import os
import sys

import numpy as np

import spikey

CONFIGS = {
    "LTP, reward only (the notebook)": {
        "punish_mult": 0.0,
        "lateral_inhibition": 0.0,
        "readout": "MaxGroup",
    },
    "LTP, reward +1 / punishment -1": {"lateral_inhibition": 0.0},
    "LTP, reward only, lateral inhibition": {"punish_mult": 0.0},
    "LTP, +-1, lateral inhibition (built-in)": {},
    "RLSTDP, +-1, lateral inhibition": {"synapse": "RLSTDP"},
    "eligibility trace (trace_decay=0.1), +-1, inhibition": {"trace_decay": 0.1},
}

if __name__ == "__main__":
    short = os.environ.get("SPIKEY_EXAMPLE_SHORT") == "1"
    n_seeds = 2 if short else (int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    print(f"{'configuration':56s} {'mean':>6s} {'min':>6s} {'< 0.9':>6s} {'control':>15s}")
    for label, overrides in CONFIGS.items():
        summary = spikey.run(
            "seed.ordinal", seeds=range(n_seeds), config={**overrides, "compare_notebook": False}
        )
        final = np.array([job["metrics"]["final_accuracy"] for job in summary["jobs"]])
        control = np.array([job["metrics"]["control_final_accuracy"] for job in summary["jobs"]])
        print(
            f"{label:56s} {final.mean():6.2f} {final.min():6.2f} {int((final < 0.9).sum()):6d} "
            f"{control.min():6.2f}-{control.max():.2f}",
            flush=True,
        )
