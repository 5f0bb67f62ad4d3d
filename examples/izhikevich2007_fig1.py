"""Izhikevich (2007), Fig. 1d–e: reinforcing one synapse among ~80 000 by delayed reward.

E.M. Izhikevich (2007) Solving the distal reward problem through linkage of STDP and
dopamine signaling. Cerebral Cortex 17:2443–2452. doi:10.1093/cercor/bhl152

1000 Izhikevich neurons (800 excitatory, 200 inhibitory), 100 synapses each, 1 ms
delays, uniform background input in [-6.5, 6.5] every ms, dopamine-modulated STDP
(the author's program, ModelDB 84167). One excitatory synapse starts at 0 mV; every
time its postsynaptic neuron fires 1–19 ms after its presynaptic neuron, dopamine
(d += 0.5) arrives 1–3 s later. Within an hour the synapse climbs to the 4 mV ceiling
while the other excitatory weights stay mostly small.

Run: python examples/izhikevich2007_fig1.py [minutes]   (default 60; writes fig1.png)
The registered, criteria-checked version is ``spikey run izh2007.fig1``.
"""

import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from spikey.models import izhikevich2007 as izh  # noqa: E402

minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 60
rng = np.random.default_rng(1)
net = izh.build("izhikevich2007", seed=1, mode="exact")
# the target: the first synapse of neuron 0 onto another excitatory neuron
target = int(np.flatnonzero((net.pre == 0) & (net.post < net.n_exc) & (net.post != 0))[0])
pre, post = int(net.pre[target]), int(net.post[target])
net.set_weights([target], [0.0])
rec = net.record(synapses=[target], every_ms=100)

pending, rewards, last_pre = [], [], -(10**9)
for second in range(int(minutes * 60)):
    now = net.t
    due = [r - now for r in pending if r < now + 1000]
    pending = [r for r in pending if r >= now + 1000]
    rewards += [now + r for r in due]
    spikes = net.run(1000, rewards=(np.array(due, np.int64), np.full(len(due), 0.5)))
    for t, i in zip(spikes.t, spikes.i):  # time-ordered: the author's coincidence rule
        if i == pre:
            last_pre = t
        elif i == post and 0 < t - last_pre < 20:
            pending.append(int(t) + int(rng.integers(1001, 3001)))

w = net.weights()[net.plastic]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
ax1.plot(rec.t / 60000, rec.w[:, 0])
ax1.plot(np.array(rewards) / 60000, np.zeros(len(rewards)), "|", color="tab:orange")
ax1.set(xlabel="time (min)", ylabel="w (mV)", title="the reinforced synapse (| rewards)")
ax2.hist(w, bins=100, range=(0, 4), log=True)
ax2.plot(rec.w[-1, 0], 1, "o", color="tab:red")
ax2.set(xlabel="w (mV)", ylabel="synapses", title="all excitatory weights (red: target)")
fig.savefig("fig1.png", dpi=110)
print(f"{len(rewards)} rewards; target {rec.w[-1, 0]:.2f} mV; mean weight {w.mean():.3f} mV")
