"""Izhikevich (2007), Fig. 1d–e: reinforcing one synapse among ~80 000 by delayed reward.

E.M. Izhikevich (2007) Solving the distal reward problem through linkage of STDP and
dopamine signaling. Cerebral Cortex 17:2443–2452. doi:10.1093/cercor/bhl152

1000 Izhikevich neurons (800 excitatory, 200 inhibitory), 100 synapses each, 1 ms
delays, uniform background input in [-6.5, 6.5] every ms, dopamine-modulated STDP
(the author's program, ModelDB 84167, including its delivery rule for repeated
synapses). One excitatory synapse starts at 0 mV; every time its postsynaptic neuron
fires 1–19 ms after its presynaptic neuron's last spike, dopamine (d += 0.5) arrives
1–3 s later. Within an hour the synapse climbs to the 4 mV ceiling while the other
excitatory weights stay mostly small. This script uses the registered experiment's
network, target choice and reward rule (``spikey.experiments.izh2007.fig1``).

Run: python examples/izhikevich2007_fig1.py [minutes] [out.png]   (default 60, fig1.png)
SPIKEY_EXAMPLE_SHORT=1 runs half a model minute (as CI does).
The registered, criteria-checked version is ``spikey run izh2007.fig1``.
"""

import os
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from spikey.experiments import registry  # noqa: E402
from spikey.experiments.izh2007 import common, fig1  # noqa: E402

short = os.environ.get("SPIKEY_EXAMPLE_SHORT") == "1"
minutes = 0.5 if short else (float(sys.argv[1]) if len(sys.argv) > 1 else 60)
out = sys.argv[2] if len(sys.argv) > 2 else "fig1.png"
seed = 1
config = registry.get("izh2007.fig1").resolve({"duration_s": int(minutes * 60)})
rng = common.protocol_rng(seed, config, fig1.CRITERION_KEYS)
net, target, _, _ = fig1.setup(config, seed)  # the paper's preset, twin rule "last"
rule = fig1.DelayedReward(config, rng, net.pre[target], net.post[target])
rec = net.record(synapses=[target], every_ms=100)
for second in range(int(minutes * 60)):  # 1 s chunks: reward delays are > 1 s
    due = rule.due(second * 1000, 1000)
    spikes = net.run(1000, rewards=common.reward_arrays(due, config["reward_amount"], 1000))
    rule.observe(spikes.t, spikes.i)
rewards = rule.delivered

w = net.weights()[net.plastic]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
ax1.plot(rec.t / 60000, rec.w[:, 0])
ax1.plot(np.array(rewards) / 60000, np.zeros(len(rewards)), "|", color="tab:orange")
ax1.set(xlabel="time (min)", ylabel="w (mV)", title="the reinforced synapse (| rewards)")
ax2.hist(w, bins=100, range=(0, 4), log=True)
ax2.plot(rec.w[-1, 0], 1, "o", color="tab:red")
ax2.set(xlabel="w (mV)", ylabel="synapses", title="all excitatory weights (red: target)")
fig.savefig(out, dpi=110)
print(f"{len(rewards)} rewards; target {rec.w[-1, 0]:.2f} mV; mean weight {w.mean():.3f} mV")
