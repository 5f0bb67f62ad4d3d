"""Izhikevich (2007), Fig. 3: instrumental conditioning — reward when group A beats group B.

E.M. Izhikevich (2007) Solving the distal reward problem through linkage of STDP and
dopamine signaling. Cerebral Cortex 17:2443–2452. doi:10.1093/cercor/bhl152

Groups S, A and B of 50 excitatory neurons. Every 10 s S gets a 1 ms input; when A fires
more spikes than B in the next 20 ms, dopamine arrives 1–3 s later. After 400 trials the
contingency reverses (B is rewarded). The protocol is reconstructed (see the replication
report). With ``--rpe`` dopamine is reward minus a critic's expectation (an extension, not
in the paper), which lets the network relearn after the reversal. This script uses the
registered experiment's steps (``spikey.experiments.izh2007.fig3``).

Run: python examples/izhikevich2007_fig3.py [trials] [out.png] [--rpe]
(default 400 trials per phase, fig3.png). SPIKEY_EXAMPLE_SHORT=1 runs 10 trials per
phase (as CI does). The criteria-checked versions: ``spikey run izh2007.fig3`` and
``spikey run izh2007.fig3-rpe``.
"""

import os
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from spikey.experiments import registry  # noqa: E402
from spikey.experiments.izh2007 import common, fig3  # noqa: E402
from spikey.progress import progress_factory  # noqa: E402

args = [a for a in sys.argv[1:] if a != "--rpe"]
rpe = "--rpe" in sys.argv
short = os.environ.get("SPIKEY_EXAMPLE_SHORT") == "1"
trials = 10 if short else (int(args[0]) if args else 400)
out = args[1] if len(args) > 1 else "fig3.png"
seed = 0
name = "izh2007.fig3-rpe" if rpe else "izh2007.fig3"
config = registry.get(name).resolve(
    {"n_trials": trials, "n_reversal_trials": trials, "eval_trials": min(100, trials)}
)
fig3.check_config(config)
net = common.build_network(config, seed)
groups = common.excitatory_groups(net, seed, config["group_size"], 3, "fig3")
log = fig3.run_trials(
    net, groups, config, common.protocol_rng(seed, config, fig3.CRITERION_KEYS), progress_factory()
)
m = fig3.measure(log, config)


k = min(50, trials)


def running(x):
    """Running mean over ``k`` trials."""
    return np.convolve(np.asarray(x, float), np.ones(k) / k, mode="valid")


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained")
x = np.arange(k, 2 * trials + 1)
ax1.plot(x, running(log.a_cnt > log.b_cnt), label="P(A wins)")
ax1.plot(x, running(log.b_cnt > log.a_cnt), label="P(B wins)")
ax1.axvline(trials + 0.5, color="k", ls="--", lw=0.8)
ax1.set(xlabel="trial", ylabel=f"{k}-trial running mean", ylim=(0, 1))
ax1.set_title("A rewarded, then B (dashed: reversal)" + (" — RPE dopamine" if rpe else ""))
ax1.legend(frameon=False)
ax2.plot(log.w_trial, log.w_sa, label="S→A")
ax2.plot(log.w_trial, log.w_sb, label="S→B")
ax2.set(xlabel="trial", ylabel="mean weight (mV)")
ax2.legend(frameon=False)
fig.savefig(out, dpi=110)
print(
    f"P(A wins) {m['p_a_first']:.2f} -> {m['p_a_last']:.2f}; after reversal P(B wins) "
    f"{m['p_b_after_reversal']:.2f}; {m['rewards']} rewards"
)
