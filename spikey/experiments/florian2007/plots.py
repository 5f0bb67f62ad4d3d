"""Figures of the Florian (2007) experiments, drawn from a Result's ``figures`` arrays.

Every function returns a matplotlib Figure and never shows it.
"""

from __future__ import annotations

import numpy as np

from spikey.viz.plots import figure_and_axes

PAIR_COLORS = {"01": "tab:orange", "10": "tab:red", "00": "tab:blue", "11": "tab:cyan"}


def plot_fig1(result, ax=None):
    """Fig. 1 as the notebook drew it: spikes, STDP traces, ζ, z, reward and the weight
    under MSTDP, MSTDPET and RLSTDP. With ``ax``, only the weight panel is drawn there."""
    import matplotlib.pyplot as plt

    f = result.figures
    t = np.arange(len(f["rewards"]))
    if ax is not None:
        _weights(ax, t, f)
        return ax.figure
    fig, axes = plt.subplots(7, 1, figsize=(8, 11), sharex=True)
    axes[0].plot(t, f["spikes"][:, 0], color="k")
    axes[0].set_ylabel("$f_j$ (pre)")
    axes[1].plot(t, f["spikes"][:, 1], color="k")
    axes[1].set_ylabel("$f_i$ (post)")
    axes[2].plot(t, f["pre_trace"], label="$P^+$")
    axes[2].plot(t, f["post_trace"], label="$P^-$")
    axes[2].legend(fontsize="small", loc="upper right")
    axes[2].set_ylabel("$P^+, P^-$")
    axes[3].plot(t, f["zeta"])
    axes[3].set_ylabel(r"$\zeta$")
    axes[4].plot(t, f["z"])
    axes[4].set_ylabel("z (MSTDPET)")
    axes[5].plot(t, f["rewards"])
    axes[5].set_ylabel("r")
    for a in axes[2:6]:
        a.axhline(0, color="0.6", linestyle="--", linewidth=0.8)
    _weights(axes[6], t, f)
    axes[6].set_xlabel("time (ms)")
    axes[0].set_title("florian2007.fig1: one synapse, reward +1 then -1")
    fig.tight_layout()
    return fig


def _weights(ax, t, f):
    ax.plot(t, f["w_mstdp"], label="MSTDP")
    ax.plot(t, f["w_mstdpet"], label="MSTDPET")
    ax.plot(t, f["w_rlstdp"], label="RLSTDP (framework)", linestyle=":")
    ax.axhline(f["w0"], color="0.6", linestyle="--", linewidth=0.8)
    ax.set_ylabel("w")
    ax.legend(fontsize="small", loc="upper left")


def pair_rates(states, outrates, window: int = 12) -> dict:
    """Running mean of the output rate over each input pair's last ``window`` presentations,
    indexed by game step (NaN before the pair was first shown)."""
    states = np.asarray(states, dtype=bool).reshape(-1, 2)
    rates = np.asarray(outrates, dtype=float)
    out = {}
    for a in (0, 1):
        for b in (0, 1):
            mask = np.all(states == (bool(a), bool(b)), axis=1)
            series = np.full(len(rates), np.nan)
            seen = rates[mask]
            idx = np.flatnonzero(mask)
            for k, step in enumerate(idx):
                series[step] = seen[max(0, k - window + 1) : k + 1].mean()
            # carry the last value forward between presentations
            last = np.nan
            for step in range(len(series)):
                if np.isnan(series[step]):
                    series[step] = last
                last = series[step]
            out[f"{a}{b}"] = series
    return out


def plot_xor(result, ax=None):
    """Output rate per input pair over training (running mean of 12 presentations),
    learning (solid) and the learning_rate=0 control (dashed)."""
    fig, ax = figure_and_axes(ax, (8, 4))
    f = result.figures
    for prefix, style in (("", "-"), ("control_", "--")):
        if f"{prefix}outrates" not in f:
            continue
        for pair, series in pair_rates(f[f"{prefix}states"], f[f"{prefix}outrates"]).items():
            label = f"({pair[0]}, {pair[1]})" + (" control" if prefix else "")
            ax.plot(series, style, color=PAIR_COLORS[pair], label=label, linewidth=1)
    ax.set_xlabel("game step (input presentation)")
    ax.set_ylabel("output spikes per step")
    ax.set_title("florian2007.xor: XOR 1 pairs (warm) vs 0 pairs (cool)")
    ax.legend(fontsize="x-small", ncol=2)
    return fig


def plot_xor_seeds(results, ax=None):
    """Per seed: the win margin (slower '1' pair minus faster '0' pair) after training,
    learning and control, with the win threshold."""
    fig, ax = figure_and_axes(ax, (7, 3.5))
    x = np.arange(len(results))
    margin = [r.metrics.get("margin", np.nan) for r in results]
    control = [r.metrics.get("control_margin", np.nan) for r in results]
    ax.bar(x - 0.2, margin, 0.4, label="learning")
    ax.bar(x + 0.2, control, 0.4, label="learning_rate = 0")
    threshold = results[0].figures.get("win_margin", 0.02) if results else 0.02
    ax.axhline(threshold, color="k", linestyle="--", linewidth=0.8, label="win threshold")
    ax.set_xticks(x, [str(i) for i in x])
    ax.set_xlabel("seed (job order)")
    ax.set_ylabel("high rate - low rate")
    ax.legend(fontsize="small")
    return fig
