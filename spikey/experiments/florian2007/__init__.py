"""Florian (2007), *Reinforcement learning through modulation of spike-timing-dependent
synaptic plasticity*, Neural Computation 19:1468-1502 — the original Spikey repository's
two Florian examples, registered.

``florian2007.fig1`` (Fig. 1: one synapse under ``synapse.MSTDP`` and ``synapse.MSTDPET``,
checked against the equations, with the framework's ``RLSTDP`` beside them) and
``florian2007.xor`` (the rate-coded XOR of ``florian2007_XOR.ipynb``: ``ActiveRLNetwork``,
``RLSTDP`` and a per-step reward; its ``learning_rate = 0`` control runs in the same job).
"""

from __future__ import annotations

from spikey.experiments.florian2007 import fig1, plots, report, xor
from spikey.experiments.plan import PlanEntry
from spikey.experiments.registry import register

register(
    "florian2007.fig1",
    defaults=fig1.DEFAULTS,
    quick=fig1.QUICK,
    description="Fig. 1: one synapse under MSTDP and MSTDPET (reward +1 then -1), vs the "
    "equations; RLSTDP beside them",
    plot=plots.plot_fig1,
    metrics=fig1.METRICS,
)(fig1.run_fig1)
register(
    "florian2007.xor",
    defaults=xor.DEFAULTS,
    quick=xor.QUICK,
    description="Rate-coded XOR (the original's florian2007_XOR notebook): ActiveRLNetwork + "
    "RLSTDP, learning vs. learning_rate=0",
    plot=plots.plot_xor,
    metrics=xor.METRICS,
)(xor.run_xor)

#: What ``spikey replicate florian2007`` runs. fig1's notebook protocol is deterministic but
#: its random protocol is drawn per seed, so it runs on every seed; the XOR's
#: learning_rate = 0 control runs inside each XOR job, from the same start.
PLAN = (
    PlanEntry("fig1", "florian2007.fig1"),
    PlanEntry("xor", "florian2007.xor"),
)

#: The XOR wins, and its control does not, on at least 4 of every 5 seeds (rounded up).
SEED_QUORUM = {("xor", "win"): 4 / 5, ("xor", "control_win"): 4 / 5}


def write_report(out_dir, rows, meta):
    """Write this paper's report (see :func:`report.write`); return (passed, lines)."""
    return report.write(out_dir, rows, PLAN, SEED_QUORUM, meta)


__all__ = ["PLAN", "SEED_QUORUM", "fig1", "plots", "report", "write_report", "xor"]
