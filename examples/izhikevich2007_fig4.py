"""Izhikevich (2007), Fig. 4: the dopamine response moves to the earliest predicting cue.

E.M. Izhikevich (2007) Solving the distal reward problem through linkage of STDP and
dopamine signaling. Cerebral Cortex 17:2443–2452. doi:10.1093/cercor/bhl152

Groups US, CS1, CS2, VTA and a never-paired CSX (50 excitatory neurons each); US→VTA
synapses are fixed (3 mV, ``us_vta_weight``) and every VTA spike releases dopamine. Phase 1
pairs CS1 with the US 1 s later; phase 2 puts CS2 1 s before CS1. Frozen probes before,
between and after show the VTA response moving from the US to CS1, then to CS2. The
protocol is reconstructed (see the replication report). This script uses the registered
experiment's steps (``spikey.experiments.izh2007.fig4``).

Run: python examples/izhikevich2007_fig4.py [trials] [out.png]   (default 360 per phase,
fig4.png). SPIKEY_EXAMPLE_SHORT=1 runs 3 trials per phase (as CI does).
The criteria-checked version is ``spikey run izh2007.fig4``.
"""

import os
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from spikey.experiments import registry  # noqa: E402
from spikey.experiments.izh2007 import common, fig4  # noqa: E402

short = os.environ.get("SPIKEY_EXAMPLE_SHORT") == "1"
trials = 3 if short else (int(sys.argv[1]) if len(sys.argv) > 1 else 360)
out = sys.argv[2] if len(sys.argv) > 2 else "fig4.png"
seed = 0
config = registry.get("izh2007.fig4").resolve(
    {"n_phase1": trials, "n_phase2": trials, "n_probes": 3 if short else 20}
)
fig4.check_config(config)
rng = common.protocol_rng(seed, config, fig4.CRITERION_KEYS)
net, groups, vta, _ = fig4.setup(config, seed)
probes = {"before": fig4.probe(net, groups, vta, config, rng)}
fig4.train(net, groups, vta, config, trials, ["CS1", "US"])
probes["between"] = fig4.probe(net, groups, vta, config, rng)
fig4.train(net, groups, vta, config, trials, ["CS2", "CS1", "US"])
probes["after"] = fig4.probe(net, groups, vta, config, rng)
m = fig4.measure(probes, config)

fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
x = np.arange(len(fig4.STIMULI))
for k, when in enumerate(fig4.PROBES):
    ax.bar(x + (k - 1) * 0.27, [probes[when][s] for s in fig4.STIMULI], 0.27, label=when)
ax.set_xticks(x, fig4.STIMULI)
ax.set(ylabel="VTA spikes in 50 ms", title="VTA response to each stimulus alone (frozen)")
ax.legend(frameon=False, title="probe")
fig.savefig(out, dpi=110)
print(
    f"CS1 gain after phase 1 {m['CS1_gain_phase1']:.2f}, CS1-CSX {m['CS1_minus_CSX_phase1']:.1f}; "
    f"CS2 gain after phase 2 {m['CS2_gain_phase2']:.2f}, CS2-CSX {m['CS2_minus_CSX_phase2']:.1f}"
)
