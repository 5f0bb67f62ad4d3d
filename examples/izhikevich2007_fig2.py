"""Izhikevich (2007), Fig. 2: classical (Pavlovian) conditioning of one stimulus among 100.

E.M. Izhikevich (2007) Solving the distal reward problem through linkage of STDP and
dopamine signaling. Cerebral Cortex 17:2443–2452. doi:10.1093/cercor/bhl152

100 random groups S1..S100 of 50 neurons; every 100–300 ms one group gets a 1 ms input;
only S1 is followed by dopamine 0–1 s later. After an hour the network responds to S1
much more than to the others, and S1's outgoing synapses are stronger. This script uses
the registered experiment's steps (``spikey.experiments.izh2007.fig2``): its groups,
schedule, frozen probe, training loop and measurements.

Run: python examples/izhikevich2007_fig2.py [minutes] [out.png]   (default 60, fig2.png)
SPIKEY_EXAMPLE_SHORT=1 runs half a model minute (as CI does).
The criteria-checked version is ``spikey run izh2007.fig2``.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from spikey.experiments import registry  # noqa: E402
from spikey.experiments.izh2007 import common, fig2  # noqa: E402
from spikey.progress import progress_factory  # noqa: E402

short = os.environ.get("SPIKEY_EXAMPLE_SHORT") == "1"
minutes = 0.5 if short else (float(sys.argv[1]) if len(sys.argv) > 1 else 60)
out = sys.argv[2] if len(sys.argv) > 2 else "fig2.png"
seed = 0
duration_s = int(minutes * 60)
config = registry.get("izh2007.fig2").resolve(
    {"duration_s": duration_s, "measure_s": max(1, min(600, duration_s // 3)), "snapshot_s": 10}
)
rng = common.structure_rng(seed)
net = common.build_network(config, seed)
groups = fig2.make_groups(rng, net, config)
schedule = fig2.make_schedule(
    rng, duration_s * 1000, len(groups), config["isi_min_ms"], config["isi_max_ms"], 1000
)
probe_rng = common.structure_rng(seed + 10_000)
before = fig2.probe(net, groups, config, probe_rng)  # plasticity frozen
log = fig2.train(net, groups, schedule, config, progress_factory(None))
after = fig2.probe(net, groups, config, probe_rng)
m = fig2.measure(log, schedule, (before, after), config, net.n)

onsets, which, _ = schedule
resp = fig2.responses(log["counts"], onsets, config["response_ms"])
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
ax1.plot(onsets[which != 0] / 60000, resp[which != 0], ".", ms=1, color="0.6", label="S2–S100")
ax1.plot(onsets[which == 0] / 60000, resp[which == 0], "o", ms=3, color="tab:red", label="S1")
ax1.set(xlabel="time (min)", ylabel="spikes in 50 ms", title="network response to each stimulus")
ax1.legend(frameon=False)
t = [x / 60 for x in log["snap_t"]]
ax2.plot(t, log["w_s1"], color="tab:red", label="S1's excitatory neurons")
ax2.plot(t, log["w_rest"], color="0.4", label="the other excitatory neurons")
ax2.set(xlabel="time (min)", ylabel="mean outgoing weight (mV)", title="weights")
ax2.legend(frameon=False)
fig.savefig(out, dpi=110)
print(
    f"response ratio S1/others: probe {m['response_ratio_start']:.2f} -> last "
    f"{config['measure_s']} s {m['response_ratio_end']:.2f}; weight ratio "
    f"{m['weight_ratio_end']:.2f}; {m['n_rewards']} rewards"
)
