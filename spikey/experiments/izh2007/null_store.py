"""Null distributions of the replication's statistics: what chance alone gives (the data).

Each null is a statistic of a run in which the effect cannot happen: the no-reward controls
of Figs. 1–3 (Fig. 3's over 800 trials, so that the same run gives the null of P(B wins)
after a "reversal"), and for Fig. 4 the never-paired stimulus CSX (gain) and two untrained
stimuli before training (margins). The quick run's nulls come from seeds 100–111, disjoint
from the seeds 0–41 the quick runs are judged on (issue 19); the full run's from the control
jobs of ``spikey replicate`` runs plus runs of their own. Every threshold is printed in the
report beside the mean and sd of its null.

This module holds what the nulls are (:data:`RUNS`, :data:`NULL_OF`) and reads the stored
``nulls.json``; the tool that measures them is :mod:`spikey.nulls` (``python -m
spikey.nulls``). Both were ``spikey.experiments.izh2007.nulls``, now a deprecated alias.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

PATH = Path(__file__).with_name("nulls.json")

#: name -> (experiment, overrides, quick, statistics taken from its metrics)
RUNS = {
    "fig1 no reward": (
        "izh2007.fig1",
        {"reward": False},
        False,
        ("target_final_mV", "target_rank_pct"),
    ),
    "fig1 no reward quick": (
        "izh2007.fig1",
        {"reward": False},
        True,
        ("target_final_mV", "target_rank_pct"),
    ),
    "fig2 no reward": (
        "izh2007.fig2",
        {"reward": False},
        False,
        ("response_ratio_end", "weight_ratio_end", "response_ratio_start"),
    ),
    "fig2 no reward quick": (
        "izh2007.fig2",
        {"reward": False},
        True,
        ("response_ratio_end", "weight_ratio_end", "response_ratio_start"),
    ),
    "fig3 no reward": (
        "izh2007.fig3",
        {"reward": False},
        False,
        ("p_a_last", "p_a_gain", "w_sa_minus_sb", "p_b_after_reversal", "p_b_change"),
    ),
    "fig3 no reward quick": (
        "izh2007.fig3",
        {"reward": False},
        True,
        ("p_a_last", "p_a_gain", "w_sa_minus_sb"),
    ),
    "fig4": (
        "izh2007.fig4",
        {},
        False,
        (
            "CSX_gain_phase1",
            "CSX_gain_phase2",
            "CS1_minus_CSX_before",
            "CS2_minus_CSX_before",
            "CS1_minus_US_before",
            "CS2_minus_US_before",
        ),
    ),
    "fig4 quick": (
        "izh2007.fig4",
        {},
        True,
        (
            "CSX_gain_phase1",
            "CSX_gain_phase2",
            "CS1_minus_CSX_before",
            "CS2_minus_CSX_before",
            "CS1_minus_US_before",
            "CS2_minus_US_before",
        ),
    ),
}

#: (plan label, criterion, quick) -> (null run, statistic): the null each threshold is set against
NULL_OF = {
    **{
        ("fig1", c, q): ("fig1 no reward" + (" quick" if q else ""), s)
        for q in (False, True)
        for c, s in (
            ("target_weight_mV", "target_final_mV"),
            ("target_weight_quorum_mV", "target_final_mV"),
            ("target_rank_pct", "target_rank_pct"),
            ("target_rank_quorum_pct", "target_rank_pct"),
            ("target_rank_99", "target_rank_pct"),
        )
    },
    **{
        (label, c, q): ("fig2 no reward" + (" quick" if q else ""), s)
        for q in (False, True)
        for label, c, s in (
            ("fig2", "response_ratio_end", "response_ratio_end"),
            ("fig2", "response_ratio_floor", "response_ratio_end"),
            ("fig2", "weight_ratio_end", "weight_ratio_end"),
            ("fig2", "response_ratio_start", "response_ratio_start"),
            ("fig2 no reward", "control_response_ratio_end", "response_ratio_end"),
            ("fig2 no reward", "control_weight_ratio_end", "weight_ratio_end"),
            ("fig2 no reward", "response_ratio_start", "response_ratio_start"),
        )
    },
    **{
        (label, c, False): ("fig3 no reward", s)
        for label in ("fig3", "fig3-rpe")
        for c, s in (
            ("p_a_wins_last", "p_a_last"),
            ("p_a_gain", "p_a_gain"),
            ("w_s_to_a_minus_s_to_b", "w_sa_minus_sb"),
            ("p_b_wins_after_reversal", "p_b_after_reversal"),
        )
    },
    ("fig3 no reward", "control_p_a_gain", False): ("fig3 no reward", "p_a_gain"),
    ("fig3 no reward", "control_p_a_wins_last", False): ("fig3 no reward", "p_a_last"),
    ("fig3 no reward", "control_w_s_to_a_minus_s_to_b", False): ("fig3 no reward", "w_sa_minus_sb"),
    ("fig3 no reward", "control_p_b_wins_after_reversal", False): (
        "fig3 no reward",
        "p_b_after_reversal",
    ),
    ("fig3 no reward", "control_p_b_change", False): ("fig3 no reward", "p_b_change"),
    ("fig3", "w_s_to_a_minus_s_to_b", True): ("fig3 no reward quick", "w_sa_minus_sb"),
    ("fig3", "p_a_gain", True): ("fig3 no reward quick", "p_a_gain"),
    ("fig3 no reward", "control_w_s_to_a_minus_s_to_b", True): (
        "fig3 no reward quick",
        "w_sa_minus_sb",
    ),
    ("fig3 no reward", "control_p_a_wins_last", True): ("fig3 no reward quick", "p_a_last"),
    **{
        ("fig4", f"{cs}_{what}_phase{k}", q): ("fig4" + (" quick" if q else ""), f"{s}")
        for q in (False, True)
        for k, cs in ((1, "CS1"), (2, "CS2"))
        for what, s in (
            ("gain", f"CSX_gain_phase{k}"),
            ("minus_US", f"{cs}_minus_US_before"),
            ("minus_CSX", f"{cs}_minus_CSX_before"),
            ("minus_CSX_floor", f"{cs}_minus_CSX_before"),
        )
    },
}


def summary(values) -> dict:
    """mean, sd (n - 1), min, max and the values of a null sample (NaNs dropped)."""
    vals = [float(v) for v in values if not math.isnan(float(v))]
    n = len(vals)
    mean = sum(vals) / n if n else float("nan")
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / (n - 1)) if n > 1 else float("nan")
    return {
        "n": n,
        "mean": mean,
        "sd": sd,
        "min": min(vals) if vals else float("nan"),
        "max": max(vals) if vals else float("nan"),
        "values": vals,
    }


def load(path=PATH) -> dict:
    """The stored nulls (``{}`` when none are stored)."""
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else {}


def null_for(nulls: dict, label: str, criterion: str, quick: bool) -> dict | None:
    """The null summary behind ``criterion`` of plan entry ``label`` (None if none)."""
    key = NULL_OF.get((label, criterion, bool(quick)))
    if key is None or key[0] not in nulls.get("runs", {}):
        return None
    return nulls["runs"][key[0]].get(key[1])


#: null run -> the ``spikey replicate`` plan label whose jobs are that run (full runs only)
FROM_PLAN = {
    "fig1 no reward": "fig1 no reward",
    "fig2 no reward": "fig2 no reward",
    "fig3 no reward": "fig3 no reward",
    "fig4": "fig4",
}


#: config keys that are pass thresholds: they do not change a run, so a stored run matches a
#: null run whatever they were when it ran
THRESHOLDS = {
    "target_min_mV",
    "target_quorum_mV",
    "rank_min_pct",
    "rank_quorum_pct",
    "control_max_mV",
    "response_ratio_min",
    "response_ratio_floor",
    "weight_ratio_min",
    "start_ratio_tol",
    "p_min",
    "p_paired_min",
    "p_gain_min",
    "control_gain_max",
    "control_change_max",
    "p_b_min",
    "w_gap_min",
    "control_w_gap_max",
    "gain_min",
    "margin_min",
    "margin_floor",
}


#: the metrics an effect compares, per plan label
EFFECT_METRICS = {
    "fig1": (
        "target_final_mV",
        "target_rank_pct",
        "mean_exc_weight",
        "rate_hz",
        "rewards_per_hour",
    ),
    "fig2": ("response_ratio_end", "weight_ratio_end", "rate_hz"),
    "fig3": ("p_a_last", "w_sa_minus_sb"),
    "fig4": ("CS1_gain_phase1", "CS1_minus_CSX_phase1", "CS2_gain_phase2", "CS2_minus_CSX_phase2"),
}
