"""Figures of the Izhikevich (2007) replication, drawn from ``Result.figures`` arrays.

Each function takes lists of Results (one per seed) and returns a matplotlib Figure;
none calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

SEED_COLORS = ("#1f4e9c", "#d1495b", "#2e8b57", "#8e5ea2", "#e69f00")
EXC, INH = "#1f4e9c", "#d1495b"


def _figure(w, h, ax=None):
    """A new Figure of w x h inches, or, with ``ax``, a subfigure that takes ``ax``'s place
    (these figures have several panels: they fill the area of the given axes)."""
    from matplotlib.figure import Figure

    if ax is None:
        return Figure(figsize=(w, h), dpi=110, layout="constrained")
    spec = ax.get_subplotspec()
    if spec is None:
        raise ValueError("plots: ax= must be a subplot (made with add_subplot or subplots)")
    parent = ax.figure
    ax.remove()
    return parent.add_subfigure(spec)


def _style(ax, label=None):
    ax.spines[["top", "right"]].set_visible(False)
    if label:
        ax.set_title(label, loc="left", fontweight="bold", fontsize=11)
    return ax


def _running(x, k):
    x = np.asarray(x, float)
    if x.size < k:
        return np.full(x.size, np.nan)
    c = np.concatenate([[0], np.cumsum(x)])
    out = np.full(x.size, np.nan)
    out[k - 1 :] = (c[k:] - c[:-k]) / k
    return out


# -- Fig. 1a–c -------------------------------------------------------------------------


def plot_synapse(results, ax=None):
    """Fig. 1a–c: c, d and w of one synapse after a pairing and a dopamine pulse."""
    f = results[0].figures
    fig = _figure(11, 6.5, ax)
    gs = fig.add_gridspec(4, 2, width_ratios=(1.4, 1))
    name = "pre-post, pulse +1 s"
    tr = f["traces"][name]
    t = tr["t_ms"] / 1000
    t_pair, gap = f["t_pair_ms"] / 1000, f["gap_ms"] / 1000
    ax0 = _style(fig.add_subplot(gs[0, 0]), "a  pre→post pairing, dopamine 1 s later")
    ax0.eventplot(
        [[t_pair], [t_pair + gap]], lineoffsets=[1, 0], colors=["k", "k"], linelengths=0.8
    )
    ax0.set_yticks([0, 1], ["post", "pre"])
    ax0.annotate(
        f"post fires {f['gap_ms']} ms after pre",
        (t_pair + gap, 0),
        (t_pair + 0.4, 0.4),
        fontsize=8,
        arrowprops=dict(arrowstyle="->", lw=0.6),
    )
    axes = [ax0]
    for row, (key, label, color) in enumerate(
        (
            ("c", "eligibility c", "#2e8b57"),
            ("d", "dopamine d", "#d1495b"),
            ("w", "weight w (mV)", EXC),
        ),
        start=1,
    ):
        ax = _style(fig.add_subplot(gs[row, 0], sharex=ax0))
        ax.plot(t, tr[key], color=color, lw=1.4)
        ax.set_ylabel(label)
        axes.append(ax)
    axes[2].axvline(t_pair + gap + f["early_ms"] / 1000, color="0.6", lw=0.6, ls=":")
    axes[-1].set_xlabel("time (s)")
    ax0.set_xlim(0, min(t[-1], t_pair + gap + f["early_ms"] / 1000 + 3))
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)

    axw = _style(fig.add_subplot(gs[:2, 1]), "b  weight after one pairing")
    styles = {
        "pre-post, pulse +1 s": (EXC, "-"),
        "pre-post, pulse +5 s": ("#e69f00", "-"),
        "post-pre, pulse +1 s": ("#d1495b", "-"),
    }
    for key, (color, ls) in styles.items():
        trk = f["traces"][key]
        axw.plot(trk["t_ms"] / 1000, trk["w"], color=color, ls=ls, lw=1.4, label=key)
    axw.set_xlabel("time (s)")
    axw.set_ylabel("w (mV)")
    axw.legend(frameon=False, fontsize=8)

    axs = _style(fig.add_subplot(gs[2:, 1]), "c  Δw caused by the pulse vs its delay")
    axs.plot(f["sweep_delay_ms"] / 1000, f["sweep_dw"], "o-", color=EXC, ms=3, lw=1)
    for dl, color in ((f["early_ms"], EXC), (f["late_ms"], "#e69f00")):
        k = np.argmin(np.abs(f["sweep_delay_ms"] - dl))
        axs.plot(dl / 1000, f["sweep_dw"][k], "o", color=color, ms=8, mfc="none", mew=2)
    axs.axhline(0, color="0.7", lw=0.6)
    axs.set_xlabel("delay from pairing to dopamine pulse (s)")
    axs.set_ylabel("Δw (mV)")
    fig.suptitle(
        "Fig. 1a–c  Dopamine converts a decaying eligibility trace into a weight change",
        fontsize=12,
    )
    return fig.figure


# -- Fig. 1d–e -------------------------------------------------------------------------


def plot_fig1(main, variant=(), control=(), ax=None):
    """Fig. 1d–e: the reinforced synapse among all excitatory synapses of the network."""
    fig = _figure(12, 9, ax)
    gs = fig.add_gridspec(3, 2, height_ratios=(1, 1.1, 1.1))
    f0 = main[0].figures
    ax = _style(fig.add_subplot(gs[0, :]), "a  network activity, last second of the run")
    t, i = f0["raster_t"], f0["raster_i"]
    t_s = (t - t.min() // 1000 * 1000) if t.size else t
    exc = i < f0["n_exc"]
    ax.plot(t_s[exc], i[exc], ".", ms=1.5, color=EXC, rasterized=True)
    ax.plot(t_s[~exc], i[~exc], ".", ms=1.5, color=INH, rasterized=True)
    ax.set_xlim(0, 1000)
    ax.set_ylim(0, f0["n"])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron (blue exc., red inh.)")

    _fig1_weight_panel(
        _style(fig.add_subplot(gs[1, 0]), "b  weight of the reinforced synapse"),
        main,
        variant,
        control,
        f0,
    )

    _fig1_histogram_panel(
        _style(fig.add_subplot(gs[1, 1]), "c  distribution of excitatory weights at the end"), f0
    )

    _fig1_reward_panel(
        _style(fig.add_subplot(gs[2, 0]), "d  one reward: pairing → eligibility → dopamine → Δw"),
        f0,
    )

    ax = _style(fig.add_subplot(gs[2, 1]), "e  whole network: mean weight and firing rate")
    for k, r in enumerate(main):
        f = r.figures
        ax.plot(f["snap_t_s"] / 60, f["snap_mean"], color=SEED_COLORS[k % 5], lw=1.2)
    for r in control:
        ax.plot(r.figures["snap_t_s"] / 60, r.figures["snap_mean"], color="0.55", lw=0.9)
    ax.set_xlabel("time (min)")
    ax.set_ylabel("mean excitatory w (mV)")
    ax2 = ax.twinx()
    ax2.plot(f0["snap_t_s"] / 60, f0["snap_rate"], color="#e69f00", lw=0.9, ls="--")
    ax2.set_ylabel("rate, seed 0 (Hz, dashed)", color="#e69f00")
    ax2.set_ylim(0, max(3, np.nanmax(f0["snap_rate"]) * 1.2 if f0["snap_rate"].size > 1 else 3))
    ax2.spines[["top"]].set_visible(False)
    fig.suptitle("Fig. 1d–e  Reinforcing one synapse among ~80 000 by delayed reward", fontsize=12)
    return fig.figure


def _fig1_weight_panel(ax, main, variant, control, f0):
    """Panel b: the reinforced synapse's weight per seed, with the rewards."""
    for k, r in enumerate(main):
        f = r.figures
        ax.plot(
            f["w_t_s"] / 60,
            f["w_target"],
            color=SEED_COLORS[k % 5],
            lw=1.2,
            label=f"seed {k}, {f['window_ms']} ms window",
        )
    for k, r in enumerate(variant):
        f = r.figures
        ax.plot(
            f["w_t_s"] / 60,
            f["w_target"],
            color=SEED_COLORS[k % 5],
            lw=0.9,
            ls="--",
            label=f"seed {k}, {f['window_ms']} ms window" if k == 0 else None,
        )
    for k, r in enumerate(control):
        f = r.figures
        ax.plot(
            f["w_t_s"] / 60,
            f["w_target"],
            color="0.55",
            lw=0.9,
            label="no reward (control)" if k == 0 else None,
        )
    rew = f0["rewards_s"] / 60
    ax.plot(
        rew,
        np.full(rew.size, -0.2),
        "|",
        color="#e69f00",
        ms=5,
        mew=0.6,
        label=f"rewards, seed 0 ({rew.size})",
    )
    ax.set_ylim(-0.4, 4.3)
    ax.set_xlabel("time (min)")
    ax.set_ylabel("w (mV)")
    ax.legend(frameon=True, framealpha=0.9, edgecolor="none", fontsize=7, loc="center right")


def _fig1_histogram_panel(ax, f0):
    """Panel c: the distribution of excitatory weights at the end."""
    edges = f0["final_edges"]
    ax.stairs(np.maximum(f0["final_hist"], 0.8), edges, fill=True, color="#9db4d8")
    ax.set_yscale("log")
    ax.set_ylim(0.8, None)
    ax.plot([f0["target_end"]], [1.5], "o", color="#d1495b", ms=8)
    ax.annotate(
        "reinforced synapse",
        (f0["target_end"], 1.5),
        (2.2, 30),
        fontsize=9,
        color="#d1495b",
        arrowprops=dict(arrowstyle="->", color="#d1495b"),
    )
    at_ceiling = f0["final_hist"][-1] / max(f0["final_hist"].sum(), 1)
    ax.text(
        0.98,
        0.97,
        f"{100 * at_ceiling:.1f} % of synapses in the top bin (3.96–4 mV)",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8,
    )
    ax.set_xlabel("w (mV)")
    ax.set_ylabel("number of synapses")


def _fig1_reward_panel(ax, f0):
    """Panel d: eligibility, dopamine and weight around one reward."""
    around = f0.get("around")
    if around is not None:
        tt = around["t_ms"] / 1000
        ax.plot(
            tt,
            around["c"] / max(np.abs(around["c"]).max(), 1e-12),
            color="#2e8b57",
            label="eligibility c (scaled)",
        )
        ax.plot(
            tt,
            around["d"] / max(around["d"].max(), 1e-12),
            color="#d1495b",
            label="dopamine d (scaled)",
        )
        ax2 = ax.twinx()
        ax2.plot(tt, around["w"], color=EXC, lw=1.5)
        ax.plot([], [], color=EXC, lw=1.5, label="weight w (right axis)")
        ax2.set_ylabel("w (mV)", color=EXC)
        ax2.spines[["top"]].set_visible(False)
        ax.axvline(0, color="0.6", lw=0.6, ls=":")
        ax.set_xlabel(f"time from the reward at {around['reward_s']:.0f} s (s)")
        ax.legend(frameon=False, fontsize=8, loc="center left")


# -- Fig. 2 ----------------------------------------------------------------------------


def plot_fig2(main, control=(), ax=None):
    """Fig. 2: the response to the rewarded stimulus S1 grows; its outgoing weights too."""
    fig = _figure(12, 7.5, ax)
    gs = fig.add_gridspec(2, 3)
    f0 = main[0].figures
    for col, (key, label) in enumerate(
        (("raster_first", "a  response to S1, start"), ("raster_last", "b  response to S1, end"))
    ):
        ax = _style(fig.add_subplot(gs[0, col]), label)
        rs = f0.get(key)
        if rs is not None:
            member = np.isin(rs["i"], f0["s1_members"])
            exc = rs["i"] < f0["n_exc"]
            ax.plot(rs["t_ms"][exc & ~member], rs["i"][exc & ~member], ".", ms=2, color=EXC)
            ax.plot(rs["t_ms"][~exc & ~member], rs["i"][~exc & ~member], ".", ms=2, color=INH)
            ax.plot(rs["t_ms"][member], rs["i"][member], ".", ms=3, color="k", label="S1 neurons")
            ax.axvspan(0, 50, color="0.9", zorder=-1)
            ax.legend(frameon=False, fontsize=8, loc="upper right")
        ax.set_xlim(-20, 80)
        ax.set_ylim(0, f0["n"])
        ax.set_xlabel("time from S1 onset (ms)")
        ax.set_ylabel("neuron")
    ax = _style(fig.add_subplot(gs[0, 2]), "c  network spikes per ms around S1")
    for key, color, label in (
        ("psth_first", "0.5", "first 10 S1"),
        ("psth_last", "k", "last 10 S1"),
    ):
        ps = f0.get(key)
        if ps is not None:
            ax.plot(ps["t_ms"], ps["rate"], color=color, label=label)
    ax.set_xlabel("time from S1 onset (ms)")
    ax.set_ylabel("spikes / ms (seed 0)")
    ax.legend(frameon=False, fontsize=8)

    ax = _style(fig.add_subplot(gs[1, :2]), "d  response (spikes in 50 ms) over time")
    for k, r in enumerate(main):
        f = r.figures
        c = SEED_COLORS[k % 5]
        ax.plot(f["bin_t_s"] / 60, f["s1_curve"], "-o", ms=3, color=c, label=f"S1, seed {k}")
        ax.plot(f["bin_t_s"] / 60, f["other_curve"], ":", color=c, label=f"S2–S100, seed {k}")
    for k, r in enumerate(control):
        f = r.figures
        ax.plot(
            f["bin_t_s"] / 60,
            f["s1_curve"],
            "-",
            color="0.6",
            lw=0.9,
            label="S1, no-reward control" if k == 0 else None,
        )
    ax.set_xlabel("time (min)")
    ax.set_ylabel("spikes in the 50 ms after onset")
    ax.legend(frameon=False, fontsize=7, ncol=2)

    ax = _style(fig.add_subplot(gs[1, 2]), "e  mean outgoing weight")
    for k, r in enumerate(main):
        f = r.figures
        c = SEED_COLORS[k % 5]
        ax.plot(f["snap_t_s"] / 60, f["w_s1"], color=c, lw=1.4, label=f"S1 exc., seed {k}")
        ax.plot(f["snap_t_s"] / 60, f["w_rest"], ":", color=c, lw=1.2)
    for k, r in enumerate(control):
        ax.plot(
            r.figures["snap_t_s"] / 60,
            r.figures["w_s1"],
            color="0.6",
            lw=0.9,
            label="S1, control" if k == 0 else None,
        )
    ax.set_xlabel("time (min)")
    ax.set_ylabel("mV (dotted: other exc. neurons)")
    ax.legend(frameon=False, fontsize=7)
    fig.suptitle(
        "Fig. 2  Classical conditioning: S1 is followed by reward 0–1 s later", fontsize=12
    )
    return fig.figure


# -- Fig. 3 ----------------------------------------------------------------------------


def plot_fig3(main, control=(), window=50, ax=None):
    """Fig. 3: P(A wins) while A is rewarded; then B is rewarded (reversal)."""
    fig = _figure(12, 7.5, ax)
    gs = fig.add_gridspec(2, 2, height_ratios=(1.3, 1), width_ratios=(1.5, 1))
    ax = _style(
        fig.add_subplot(gs[0, :]),
        f"a  probability that A (solid) or B (dotted) wins ({window}-trial running mean)",
    )
    n1 = main[0].figures["n_trials"]
    n_all = main[0].figures["a_cnt"].size
    for k, r in enumerate(main):
        f = r.figures
        c = SEED_COLORS[k % 5]
        x = np.arange(1, f["a_cnt"].size + 1)
        ax.plot(x, _running(f["a_cnt"] > f["b_cnt"], window), color=c, lw=1.4, label=f"seed {k}")
        ax.plot(x, _running(f["b_cnt"] > f["a_cnt"], window), color=c, lw=1, ls=":")
    for k, r in enumerate(control):
        f = r.figures
        x = np.arange(1, f["a_cnt"].size + 1)
        ax.plot(
            x,
            _running(f["a_cnt"] > f["b_cnt"], window),
            color="0.6",
            lw=1,
            label="P(A wins), no reward" if k == 0 else None,
        )
    ax.text(n1 / 2, 1.04, "A rewarded", fontsize=9, ha="center")
    if main[0].figures["n_reversal"]:
        ax.axvline(n1 + 0.5, color="k", lw=0.8, ls="--")
        ax.text(n1 + (n_all - n1) / 2, 1.04, "reversal: B rewarded", fontsize=9, ha="center")
    ax.set_ylim(0, 1.12)
    ax.set_xlim(0, n_all + 1)
    ax.set_xlabel("trial (one every 10 s)")
    ax.set_ylabel("probability")
    ax.legend(frameon=False, fontsize=8, ncol=4, loc="lower left")
    ax = _style(
        fig.add_subplot(gs[1, 0]), f"b  spikes in the 20 ms after S (seed 0, {window}-trial mean)"
    )
    f = main[0].figures
    x = np.arange(1, f["a_cnt"].size + 1)
    ax.plot(x, _running(f["a_cnt"], window), color=EXC, label="group A")
    ax.plot(x, _running(f["b_cnt"], window), color=INH, label="group B")
    rw = np.flatnonzero(f["rewarded"]) + 1
    ax.plot(rw, np.full(rw.size, -0.5), "|", color="#e69f00", ms=5, label="rewarded trials")
    ax.set_xlabel("trial")
    ax.set_ylabel("spikes")
    ax.legend(frameon=False, fontsize=8)
    ax = _style(fig.add_subplot(gs[1, 1]), "c  mean weight S→A (solid), S→B (dotted)")
    for k, r in enumerate(main):
        f = r.figures
        if "w_trial" in f:
            ax.plot(f["w_trial"], f["w_sa"], color=SEED_COLORS[k % 5], lw=1.3)
            ax.plot(f["w_trial"], f["w_sb"], color=SEED_COLORS[k % 5], lw=1.1, ls=":")
    for r in control:
        f = r.figures
        if "w_trial" in f:
            ax.plot(f["w_trial"], f["w_sa"], color="0.6", lw=1)
    if main[0].figures["n_reversal"]:
        ax.axvline(n1 + 0.5, color="k", lw=0.8, ls="--")
    ax.set_xlabel("trial")
    ax.set_ylabel("mV")
    rpe = main[0].figures.get("critic", "none") != "none"
    fig.suptitle(
        "Extension of Fig. 3 (not in the paper): dopamine = reward minus a learned expectation"
        if rpe
        else "Fig. 3  Instrumental conditioning: reward when A fires more than B "
        "(reconstructed protocol)",
        fontsize=12,
    )
    return fig.figure


# -- Fig. 4 ----------------------------------------------------------------------------


def plot_fig4(main, ax=None):
    """Fig. 4: the VTA (dopamine) response moves from the US to CS1, then to CS2."""
    from spikey.experiments.izh2007.fig4 import PROBES, STIMULI

    fig = _figure(12, 8, ax)
    gs = fig.add_gridspec(2, 3)
    ax = _style(
        fig.add_subplot(gs[0, :]),
        "a  VTA response to each stimulus alone (probes, plasticity frozen)",
    )
    colors = {"US": "k", "CS1": EXC, "CS2": "#2e8b57", "CSX": "0.65"}
    width = 0.2
    for j, s in enumerate(STIMULI):
        for w, when in enumerate(PROBES):
            vals = [r.figures["probes"][when][s] for r in main]
            x = w + (j - 1.5) * width
            ax.bar(x, np.mean(vals), width * 0.9, color=colors[s], label=s if w == 0 else None)
            ax.plot(np.full(len(vals), x), vals, "o", color="w", mec="k", ms=3.5)
    ax.set_xticks(
        range(3),
        ["before training", "after phase 1\n(CS1 → US)", "after phase 2\n(CS2 → CS1 → US)"],
    )
    rms = main[0].figures["response_ms"]
    ax.set_ylabel(f"VTA spikes in {rms} ms")
    ax.legend(
        frameon=False, fontsize=9, ncol=4, title="stimulus (CSX: never paired)", title_fontsize=8
    )
    f0 = main[0].figures
    for col, (phase, label) in enumerate(
        (
            ("phase1", "b  phase 1: VTA activity in a trial"),
            ("phase2", "c  phase 2: VTA activity in a trial"),
        )
    ):
        ax = _style(fig.add_subplot(gs[1, col]), label)
        ps = f0[phase]["psth"]
        centers = (ps["edges_ms"][:-1] + ps["edges_ms"][1:]) / 2 / 1000
        ax.plot(centers, ps["last"], color="k", label=f"last {ps['k']} trials")
        ax.plot(
            centers,
            ps["first"],
            color="#e69f00",
            lw=1,
            ls="--",
            label=f"first {ps.get('k_first', ps['k'])} trials",
        )
        top = max(ps["first"].max(), ps["last"].max(), 1)
        for t, name in zip(ps["onsets_ms"], ps["names"]):
            ax.axvline(t / 1000, color=colors[name], lw=0.8, ls="--")
            ax.text(t / 1000 + 0.02, top * 0.95, name, color=colors[name], fontsize=9)
        ax.set_xlabel("time in trial (s)")
        ax.set_ylabel("VTA spikes / 10 ms (seed 0)")
        ax.legend(frameon=False, fontsize=8, loc="center right")
    ax = _style(fig.add_subplot(gs[1, 2]), "d  VTA response during training")
    k_run = 5
    n1 = f0["phase1"]["CS1"].size
    for phase, offset in (("phase1", 0), ("phase2", n1)):
        for s in ("US", "CS1", "CS2"):
            if s in f0[phase]:
                y = np.mean([_running(r.figures[phase][s], k_run) for r in main], axis=0)
                ax.plot(
                    offset + np.arange(1, y.size + 1),
                    y,
                    color=colors[s],
                    label=s if phase == "phase2" or s != "CS2" else None,
                )
    ax.axvline(n1 + 0.5, color="0.5", lw=0.6, ls=":")
    ax.set_xlabel("trial (phase 1 | phase 2)")
    ax.set_ylabel(f"VTA spikes in {rms} ms ({k_run}-trial mean)")
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    ax.legend(uniq.values(), uniq.keys(), frameon=False, fontsize=8)
    fig.suptitle(
        "Fig. 4  The dopamine response shifts from the reward to the earliest predicting cue",
        fontsize=12,
    )
    return fig.figure
