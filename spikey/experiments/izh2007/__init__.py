"""Izhikevich (2007), *Solving the distal reward problem through linkage of STDP and
dopamine signaling*, Cerebral Cortex 17:2443–2452 — every experiment, registered.

``izh2007.fig1-synapse`` (Fig. 1a–c), ``izh2007.fig1`` (Fig. 1d–e), ``izh2007.fig2``
(classical conditioning), ``izh2007.fig3`` (instrumental conditioning and reversal,
reconstructed), ``izh2007.fig4`` (shift of the dopamine response, reconstructed).
Controls are config variants (``reward=False``, ``window_ms=10``); see :data:`PLAN`.
"""

from __future__ import annotations

from spikey.experiments.izh2007 import fig1, fig2, fig3, fig4, plots, report, synapse
from spikey.experiments.plan import PairedClaim, PlanEntry, add_paired
from spikey.experiments.registry import register


def _one(plotter):
    """The registry's one-result plot from a many-seed plot function (``ax=`` honoured)."""

    def plot(result, ax=None):
        return plotter([result], ax=ax)

    plot.__name__ = f"plot_{plotter.__name__}"
    return plot


# fig3 and its RPE extension return the same metrics
FIG3_METRICS = (
    "p_a_first p_a_last p_a_gain p_b_first w_sa_minus_sb rewards mean_a_spikes_last "
    "mean_b_spikes_last n_s_to_a n_s_to_b w_s_to_a_at_reversal w_s_to_b_at_reversal n_dips "
    "p_b_after_reversal p_a_after_reversal p_b_change critic_value_end"
).split()


def model_seconds(config: dict) -> float:
    """Simulated seconds of a job of this paper (the cost by which replicate orders jobs)."""
    if "duration_s" in config:
        return float(config["duration_s"])
    if "n_phase1" in config:  # fig4: trials, then each stimulus probed at three points
        probes = 3 * len(fig4.STIMULI) * int(config["n_probes"]) * int(config["probe_gap_ms"])
        trials = int(config["n_phase1"]) + int(config["n_phase2"])
        return (trials * int(config["trial_ms"]) + probes) / 1000
    if "n_trials" in config:
        trials = int(config["n_trials"]) + int(config["n_reversal_trials"])
        return trials * int(config["trial_ms"]) / 1000
    return 0.0


register(
    "izh2007.fig1-synapse",
    cost=model_seconds,
    defaults=synapse.EXPERIMENT_DEFAULTS,
    quick={},
    description="Fig. 1a-c: one synapse, pairing then a dopamine pulse 1 s or 5 s later",
    plot=_one(plots.plot_synapse),
    metrics="dw_early dw_early_total dw_late dw_late_total dw_post_pre dw_post_pre_total late_fraction".split(),
)(synapse.run_synapse)
register(
    "izh2007.fig1",
    cost=model_seconds,
    defaults=fig1.DEFAULTS,
    quick=fig1.QUICK,
    description="Fig. 1d-e: one synapse of the 1000-neuron network reinforced by delayed reward",
    plot=_one(plots.plot_fig1),
    metrics="first_reach_4mV_s fraction_above_target_end fraction_at_ceiling_end fraction_twins_at_ceiling_end max_exc_weight mean_exc_weight rate_hz rewards rewards_per_hour rewards_scheduled target_avg_samples_mV target_end_mV target_final_mV target_index target_percentile_end_mV target_percentile_mV target_post target_pre target_rank_pct".split(),
)(fig1.run_fig1)
register(
    "izh2007.fig2",
    cost=model_seconds,
    defaults=fig2.DEFAULTS,
    quick=fig2.QUICK,
    description="Fig. 2: classical conditioning of S1 among 100 stimuli",
    plot=_one(plots.plot_fig2),
    metrics="n_rewards n_s1 others_response_end others_response_start others_weight_end rate_hz response_ratio_end response_ratio_first_window response_ratio_probe_end response_ratio_start s1_response_end s1_response_start s1_weight_end weight_ratio_end weight_ratio_start".split(),
)(fig2.run_fig2)
register(
    "izh2007.fig3",
    cost=model_seconds,
    defaults=fig3.DEFAULTS,
    quick=fig3.QUICK,
    description="Fig. 3: instrumental conditioning (A vs B) and reversal (reconstructed)",
    plot=_one(plots.plot_fig3),
    metrics=FIG3_METRICS,
)(fig3.run_fig3)
register(
    "izh2007.fig3-rpe",
    cost=model_seconds,
    defaults=fig3.RPE_DEFAULTS,
    quick=fig3.RPE_QUICK,
    description="Fig. 3 extension (not in the paper): dopamine = reward minus a learned "
    "expectation, so the network relearns after reversal",
    plot=_one(plots.plot_fig3),
    metrics=FIG3_METRICS,
)(fig3.run_fig3)
register(
    "izh2007.fig4",
    cost=model_seconds,
    defaults=fig4.DEFAULTS,
    quick=fig4.QUICK,
    description="Fig. 4: the dopamine response moves to the predicting cues (reconstructed)",
    plot=_one(plots.plot_fig4),
    metrics="n_us_vta_synapses US_before CS1_before CS2_before CSX_before US_between CS1_between CS2_between CSX_between US_after CS1_after CS2_after CSX_after CS1_gain_phase1 CS1_minus_US_phase1 CS1_minus_CSX_phase1 CS2_gain_phase2 CS2_minus_US_phase2 CS2_minus_CSX_phase2 CS2_gain_vs_between CSX_gain_phase1 CSX_gain_phase2 CS1_minus_CSX_before CS2_minus_CSX_before CS1_minus_US_before CS2_minus_US_before".split(),
)(fig4.run_fig4)

#: What ``spikey replicate izhikevich2007`` runs. Deterministic experiments run on the first
#: seed only; the 10 ms variant has no gating criterion and is left out of the quick run.
PLAN = (
    PlanEntry("fig1-synapse", "izh2007.fig1-synapse", seeds="first"),
    PlanEntry("fig1", "izh2007.fig1"),
    PlanEntry("fig1 no reward", "izh2007.fig1", {"reward": False}, "control"),
    PlanEntry("fig2", "izh2007.fig2"),
    PlanEntry("fig2 no reward", "izh2007.fig2", {"reward": False}, "control"),
    PlanEntry("fig3", "izh2007.fig3"),
    # 800 trials without reward: the control of Fig. 3's acquisition and of the extension's
    # reversal (without reward the critic does nothing, so one run serves both)
    PlanEntry("fig3 no reward", "izh2007.fig3", {"reward": False}, "control"),
    PlanEntry("fig4", "izh2007.fig4"),
    PlanEntry("fig3-rpe", "izh2007.fig3-rpe", role="extension", quick=False),
    PlanEntry("fig1 10 ms window", "izh2007.fig1", {"window_ms": 10}, "variant", quick=False),
)

#: Criteria that gate on a quorum of the seeds (at least 2 of every 3, rounded up) rather
#: than on every seed: the claims about typical seeds.
SEED_QUORUM = {
    ("fig1", "target_weight_quorum_mV"): 2 / 3,
    ("fig1", "target_rank_quorum_pct"): 2 / 3,
    **{
        ("fig4", f"{cs}_{what}_phase{k}"): 2 / 3
        for k, cs in ((1, "CS1"), (2, "CS2"))
        for what in ("minus_US", "minus_CSX")
    },
    ("fig2", "response_ratio_end"): 2 / 3,
    ("fig3", "p_a_wins_last"): 2 / 3,
    ("fig3", "p_a_above_control"): 2 / 3,
    ("fig3", "w_s_to_a_minus_s_to_b"): 2 / 3,  # gates in the quick run
    ("fig3-rpe", "p_a_wins_last"): 2 / 3,
    ("fig3-rpe", "p_a_above_control"): 2 / 3,
    ("fig3-rpe", "p_b_wins_after_reversal"): 2 / 3,
}

#: Criteria judged against the same seed's control job (same network, same stimulus
#: schedule): Fig. 3's acquisition must beat the no-reward run of its own seed.
PAIRED = tuple(
    PairedClaim(
        label,
        "p_a_above_control",
        "p_a_last",
        "fig3 no reward",
        "p_paired_min",
        gate_when=("gate_on", "behaviour"),
        default=fig3.DEFAULTS["p_paired_min"],
        description="P(A wins) over the last trials before reversal minus the same seed's "
        "no-reward control's over the same trials (paired baseline; quorum over seeds)",
    )
    for label in ("fig3", "fig3-rpe")
)


def write_report(out_dir, rows, meta):
    """Write this paper's report (see :func:`report.write`), the :data:`PAIRED` criteria
    added to their jobs; return (passed, lines)."""
    return report.write(out_dir, add_paired(rows, PAIRED), PLAN, SEED_QUORUM, meta)


__all__ = [
    "PAIRED",
    "PLAN",
    "SEED_QUORUM",
    "fig1",
    "fig2",
    "fig3",
    "fig4",
    "plots",
    "report",
    "synapse",
    "write_report",
]
