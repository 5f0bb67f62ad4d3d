"""Fig. 4 of Izhikevich (2007): the dopamine response moves to the earliest predicting cue.

Protocol (reconstruction in ``shared/reference/izhikevich2007.md``): disjoint groups of
``group_size`` excitatory neurons US, CS1, CS2, VTA and a never-paired control CSX. The
US→VTA synapses are held at ``us_vta_weight`` (the random network's own US→VTA
synapses, about 250, made non-plastic). Each VTA spike releases
``da_per_spike`` dopamine (the only reward; tonic dopamine is still added). Stimuli
are 1 ms inputs of ``stim_amount``; a trial lasts ``trial_ms``. Phase 1:
``n_phase1`` trials of CS1 then US ``cs_interval_ms`` later; phase 2: ``n_phase2``
trials of CS2, CS1 one interval later, US two intervals later. CSX comes at
``csx_at_ms`` in every trial. Probes: each stimulus alone, ``n_probes`` times in random
order every ``probe_gap_ms``, plasticity frozen, before phase 1, between the phases and
after phase 2. Response = VTA spikes in the ``response_ms`` after onset.

Chosen here (parameters): release 0.015 per VTA spike, calibrated for the author's twin
rule (``duplicates="last"``) on tuning seeds 100–111, disjoint from the verification
seeds 0–11 (see :data:`CALIBRATION`; the reference reconstruction's 0.0125 was tuned on a
twin rule it does not record, and 0.005–0.0085 moved the response to CS1 only there);
US→VTA at 3 mV rather than the maximal 4 (:data:`CALIBRATION_US_VTA`); CS2's
"pre-training level" is its probe before phase 1 (``cs2_baseline="pre"``; ``"between"``
uses the probe before phase 2).

Why US→VTA is 3 mV: the VTA response is bistable. Each VTA spike releases dopamine that
reinforces whichever pathway just made the VTA fire, so two states sustain themselves: CS1
drives the VTA (training responses CS1 ~55, US ~30–35 spikes) or the US does (CS1 ~17, US
~50–55; the US response grows from ~28 by its own dopamine). At the maximal 4 mV a quarter
of runs start in the US state (10 of 40 tuning seeds had no CS1 jump in 40 trials) and leave
it late or never (verification seed 4: still in it after 720 phase-1 trials; falls back
from the CS1 state happen too), so about 1 seed in 24 failed the every-seed floor. At 3 mV
the US's own pathway is weaker and 2 of 40 start slow; the CS1 − CSX margins grow. The
bistability remains (the never-paired CSX can capture the VTA by the same feedback): seeds
under the every-seed floor, 4 → 3 mV, 1 → 1 of 0–11, 3 → 1 of 12–35, 0 → 0 of 100–111.
"""

from __future__ import annotations

import numpy as np

from spikey.engine.params import resolve
from spikey.experiments.izh2007 import common
from spikey.experiments.registry import Result

DEFAULTS = {
    **common.ENGINE_DEFAULTS,
    "group_size": 50,
    "stim_amount": 40.0,
    "da_per_spike": 0.015,  # calibrated for duplicates="last", seeds 100-111 (CALIBRATION)
    # not the maximal 4 mV: the US-driven VTA state then often wins (CALIBRATION_US_VTA)
    "us_vta_weight": 3.0,
    "trial_ms": 10_000,
    "n_phase1": 360,
    "n_phase2": 360,
    "cs_interval_ms": 1000,
    "csx_at_ms": 5000,
    "n_probes": 20,
    "probe_gap_ms": 2000,
    "response_ms": 50,
    "cs2_baseline": "pre",
    # the paper's 2x, reported only: exposure alone (the never-paired CSX) multiplies the
    # response by ~5 (nulls.json), so no raw gain can gate; the CS - CSX margins carry the claim
    "gain_min": 2.0,
    "margin_min": 10.0,  # quorum of seeds
    # reported (issue 19, decision 2): the seeds under it are those whose VTA stayed on the
    # US or moved to the never-paired CSX (bistable, ~4 % of seeds); no every-seed floor
    "margin_floor": 5.0,
}

#: How ``da_per_spike`` was chosen: full protocol, ``duplicates="last"``, tuning seeds
#: disjoint from the verification seeds 0–8. Per value, per seed: (CS1 − CSX after phase 1,
#: CS2 − CSX after phase 2, CS1 gain, never-paired CSX gain after phase 1), spikes and ratios.
#: Command: ``spikey run izh2007.fig4 --seeds 100-102 --set da_per_spike=X --json``.
#: Measured at ``us_vta_weight`` 4 (then the default); at 3 mV, 0.015 stays the best release
#: (first 40 trials, seeds 112–151: CS1 had not jumped in 10 of 40 at 0.0125, 2 of 40 at 0.015).
#: Below 0.015 some seeds never learn (the US response grows instead of CS1's: CS1 gain ~2);
#: above it the never-paired CSX grows too and the margins shrink. At 0.015 the CSX gain (the
#: gain's null) is 4.97 ± 0.61 over seeds 100–111: the raw gain is reported, the margins gate.
CALIBRATION = {
    "parameter": "da_per_spike",
    "chosen": 0.015,
    "columns": ("CS1−CSX", "CS2−CSX", "CS1 gain", "CSX gain"),
    "measured": {
        0.015: {
            100: (24.3, 22.5, 7.57, 4.36),
            101: (15.8, 29.6, 6.54, 5.09),
            102: (11.8, 19.0, 7.16, 5.31),
            103: (18.4, 26.2, 6.49, 4.91),
            104: (23.5, 17.9, 7.92, 4.51),
            105: (14.7, 11.5, 10.9, 5.46),
            106: (10.8, 18.8, 5.96, 5.09),
            107: (14.5, 19.4, 5.45, 3.91),
            108: (6.45, 32.0, 5.67, 5.72),
            109: (20.1, 21.8, 7.92, 4.30),
            110: (16.2, 20.5, 7.12, 5.98),
            111: (19.9, 13.6, 6.69, 5.01),
        },
        0.0125: {  # the previous default
            100: (-1.30, -4.75, 2.16, 2.20),
            101: (-4.25, 33.8, 2.08, 2.38),
            102: (28.7, 33.3, 7.28, 3.83),
        },
        0.02: {
            100: (8.55, 14.8, 6.59, 6.36),
            101: (18.6, 13.3, 6.54, 5.10),
            102: (8.75, 13.4, 6.66, 5.53),
        },
        0.025: {
            100: (6.95, 5.70, 6.53, 5.08),
            101: (7.20, 8.35, 6.34, 5.90),
            102: (-1.10, 3.45, 6.27, 6.90),
        },
    },
}

#: How ``us_vta_weight`` was chosen (release 0.015, tuning seeds disjoint from 0–11). Slow
#: starts: of seeds 112–151, those whose CS1 response (5-trial mean) never exceeded 35 VTA
#: spikes in the first 40 phase-1 trials (script-level screen without probes). Per value, per
#: seed, the full protocol as in :data:`CALIBRATION` (``--set us_vta_weight=X``).
CALIBRATION_US_VTA = {
    "parameter": "us_vta_weight",
    "chosen": 3.0,
    "columns": ("CS1−CSX", "CS2−CSX", "CS1 gain", "CSX gain"),
    "slow_starts_of_40": {4.0: 10, 3.5: 6, 3.0: 2, 2.5: 2},
    "measured": {
        3.0: {
            100: (25.4, 24.2, 7.52, 4.01),
            101: (28.2, 25.9, 7.04, 3.83),
            102: (22.4, 14.7, 6.96, 4.92),
            103: (19.3, 7.6, 6.94, 6.13),
            104: (19.1, 26.0, 7.76, 5.16),
            105: (21.4, 10.9, 8.52, 5.67),
            106: (13.0, 15.2, 6.29, 4.92),
            107: (22.8, 18.7, 8.01, 4.27),
            108: (20.8, 27.7, 7.52, 4.04),
            109: (25.4, 18.3, 7.99, 4.43),
            110: (23.2, 21.5, 7.71, 4.78),
            111: (31.2, 19.3, 8.04, 3.93),
        },
        4.0: CALIBRATION["measured"][0.015],
    },
}

#: the quick protocol: phase 1 gates on the same margins as the full run, by the same quorum
#: (the gains are reported there too: the never-paired CSX's quick gain is itself ~3–5,
#: nulls.json). Phase 1 is 60 trials: after 30 the VTA had not yet moved to CS1 on 2 of seeds
#: 20–24 (CS1 − US −19.7, −26.5), and at 3 mV 2 of 40 tuning seeds (112–151) had not moved
#: after 40 (:data:`CALIBRATION_US_VTA`).
QUICK = {"n_phase1": 60, "n_phase2": 30, "n_probes": 10}

#: keys only the verdict reads (thresholds): changing one leaves the run and every metric
#: bit-identical (no config key enters a random stream)
CRITERION_KEYS = ("gain_min", "margin_min", "margin_floor")

#: phase 2 gates only with at least this many trials (the quick run's 30 are too few for
#: CS2 to leave its null; its phase 2 criteria are reported)
PHASE2_GATING_TRIALS = 100

STIMULI = ("US", "CS1", "CS2", "CSX")

#: spikes added to both sides of a gain, so that a (near) zero baseline does not make any
#: response a large gain: (after + k) / (before + k)
GAIN_PSEUDOCOUNT = 1.0
PROBES = ("before", "between", "after")


def check_config(config: dict) -> None:
    """Refuse inconsistent timing and unknown choices before building anything."""
    if config["cs2_baseline"] not in ("pre", "between"):
        raise ValueError(
            f"izh2007.fig4: key 'cs2_baseline' got {config['cs2_baseline']!r}; "
            "expected 'pre' or 'between'"
        )
    w_max = float(resolve(config["preset"])["w_max"])
    common.check_range(
        "izh2007.fig4",
        config,
        "us_vta_weight",
        1e-9,
        w_max,
        f"an excitatory weight in (0, {w_max:g}] mV",
    )
    width, gap = int(config["response_ms"]), int(config["probe_gap_ms"])
    trial, isi, csx_at = (
        int(config["trial_ms"]),
        int(config["cs_interval_ms"]),
        int(config["csx_at_ms"]),
    )
    if not (2 * isi + width <= csx_at and csx_at + width <= trial and width <= gap):
        raise ValueError(
            "izh2007.fig4: expected 2*cs_interval_ms + response_ms <= csx_at_ms and "
            "csx_at_ms + response_ms <= trial_ms and response_ms <= probe_gap_ms"
        )


def setup(config: dict, seed: int):
    """The network with its groups: US→VTA synapses fixed at ``us_vta_weight`` and every VTA
    spike releasing ``da_per_spike``. Returns (net, groups by name, VTA mask, US→VTA indices)."""
    net = common.build_network(config, seed)
    names = STIMULI + ("VTA",)
    groups = common.excitatory_groups(net, seed, int(config["group_size"]), len(names), "fig4")
    grp = dict(zip(names, groups))
    vta = common.mask(net.n, grp["VTA"])
    us = common.mask(net.n, grp["US"])
    pre, post = np.asarray(net.pre), np.asarray(net.post)
    us_vta = np.flatnonzero(us[pre] & vta[post] & net.plastic)
    net = common.with_fixed_synapses(net, config, seed, us_vta, float(config["us_vta_weight"]))
    release = np.zeros(net.n)
    release[vta] = float(config["da_per_spike"])
    net.da_release = release
    return net, grp, vta, us_vta


def probe(net, grp, vta, config, rng) -> dict:
    """Each stimulus alone ``n_probes`` times in random order, plasticity frozen: the mean
    VTA spikes in the ``response_ms`` after each stimulus."""
    amount, width = float(config["stim_amount"]), int(config["response_ms"])
    gap, n_probe = int(config["probe_gap_ms"]), int(config["n_probes"])
    net.plasticity = False
    order = rng.permutation(np.repeat(np.arange(len(STIMULI)), n_probe))
    onsets = np.arange(order.size) * gap
    events = [(int(t), grp[STIMULI[s]], amount) for t, s in zip(onsets, order)]
    t0 = net.t
    spikes = net.run(order.size * gap, stimuli=common.stimulus_arrays(events, order.size * gap))
    sel = vta[spikes.i]
    counts = common.window_counts(spikes.t[sel] - t0, onsets, width)
    net.plasticity = True
    return {s: float(counts[order == k].mean()) for k, s in enumerate(STIMULI)}


def train(net, grp, vta, config, n, names, tick=lambda ms: None) -> dict:
    """``n`` trials of ``names`` one ``cs_interval_ms`` apart, CSX at ``csx_at_ms``: VTA spikes
    after each onset per trial, and VTA PSTHs of the first and last trials."""
    amount, width = float(config["stim_amount"]), int(config["response_ms"])
    trial, isi = int(config["trial_ms"]), int(config["cs_interval_ms"])
    onsets = [k * isi for k in range(len(names))] + [int(config["csx_at_ms"])]
    names = list(names) + ["CSX"]
    events = [(t, grp[s], amount) for t, s in zip(onsets, names)]
    stim = common.stimulus_arrays(events, trial)
    out = np.zeros((n, len(names)), np.int64)
    edges = np.arange(-200, (len(names) - 1) * isi + 800, 10)
    psth = np.zeros((2, edges.size - 1))  # VTA spikes per 10 ms: first / last trials
    k_first, k_avg = max(1, min(3, n // 4)), max(1, min(20, n // 4))
    tail = np.zeros(0, np.int64)  # VTA spikes of the previous trial's last 200 ms
    for k in range(n):
        t0 = net.t
        spikes = net.run(trial, stimuli=stim)
        rel = spikes.t - t0
        vt = rel[vta[spikes.i]]
        out[k] = common.window_counts(vt, np.array(onsets), width)
        for row, use, kk in ((0, k < k_first, k_first), (1, k >= n - k_avg, k_avg)):
            if use:
                psth[row] += np.histogram(np.concatenate([tail, vt]), edges)[0] / kk
        tail = vt[vt >= trial - 200] - trial
        tick(trial)
    result = {s: out[:, j] for j, s in enumerate(names)}
    result["psth"] = {
        "edges_ms": edges,
        "first": psth[0],
        "last": psth[1],
        "k": k_avg,
        "k_first": k_first,
        "onsets_ms": onsets[:-1],
        "names": names[:-1],
    }
    return result


def run_fig4(config, seed, progress) -> Result:
    """Train CS1→US, then CS2→CS1→US; probe the VTA response to each stimulus."""
    check_config(config)
    rng = common.protocol_rng(seed, "fig4", "probe_order")
    net, grp, vta, us_vta = setup(config, seed)
    n1, n2 = int(config["n_phase1"]), int(config["n_phase2"])
    trial, gap, n_probe = (
        int(config["trial_ms"]),
        int(config["probe_gap_ms"]),
        int(config["n_probes"]),
    )
    width, isi = int(config["response_ms"]), int(config["cs_interval_ms"])
    probe_ms = len(STIMULI) * n_probe * gap
    bar = common.Progress(progress, (n1 + n2) * trial + 3 * probe_ms, f"fig4 seed {seed}")

    def probe_now():
        out = probe(net, grp, vta, config, rng)
        bar.tick(probe_ms)
        return out

    probes = {"before": probe_now()}
    phase1 = train(net, grp, vta, config, n1, ["CS1", "US"], bar.tick)
    probes["between"] = probe_now()
    phase2 = train(net, grp, vta, config, n2, ["CS2", "CS1", "US"], bar.tick)
    probes["after"] = probe_now()
    bar.close()

    res = Result()
    res.metrics["n_us_vta_synapses"] = int(us_vta.size)
    for when in PROBES:
        for s in STIMULI:
            res.metrics[f"{s}_{when}"] = probes[when][s]
    res.metrics.update(measure(probes, config))
    criteria(res, res.metrics, config)
    res.figures.update(
        {
            "probes": probes,
            "phase1": phase1,
            "phase2": phase2,
            "n_probes": n_probe,
            "response_ms": width,
            "cs_interval_ms": isi,
        }
    )
    res.text = f"fig4 seed {seed}: VTA spikes/{width} ms  " + "  ".join(
        f"{w}: " + ", ".join(f"{s} {probes[w][s]:.1f}" for s in STIMULI) for w in PROBES
    )
    return res


def gain(after: float, before: float) -> float:
    """(after + k) / (before + k) with k = :data:`GAIN_PSEUDOCOUNT` spikes."""
    return (after + GAIN_PSEUDOCOUNT) / (before + GAIN_PSEUDOCOUNT)


def measure(probes: dict, config: dict) -> dict:
    """Gains and margins from the three frozen probes (VTA spikes per response window)."""
    b, m, a = probes["before"], probes["between"], probes["after"]
    base2 = b["CS2"] if config["cs2_baseline"] == "pre" else m["CS2"]
    return {
        "CS1_gain_phase1": gain(m["CS1"], b["CS1"]),
        "CS1_minus_US_phase1": m["CS1"] - m["US"],
        "CS1_minus_CSX_phase1": m["CS1"] - m["CSX"],
        "CS2_gain_phase2": gain(a["CS2"], base2),
        "CS2_minus_US_phase2": a["CS2"] - a["US"],
        "CS2_minus_CSX_phase2": a["CS2"] - a["CSX"],
        "CS2_gain_vs_between": gain(a["CS2"], m["CS2"]),
        # never-paired CSX: what exposure alone does (the null of the gains)
        "CSX_gain_phase1": gain(m["CSX"], b["CSX"]),
        "CSX_gain_phase2": gain(a["CSX"], b["CSX"]),
        # two untrained stimuli before training: the null of the margins
        "CS1_minus_CSX_before": b["CS1"] - b["CSX"],
        "CS2_minus_CSX_before": b["CS2"] - b["CSX"],
        "CS1_minus_US_before": b["CS1"] - b["US"],
        "CS2_minus_US_before": b["CS2"] - b["US"],
    }


def criteria(res: Result, metrics: dict, config: dict) -> None:
    """The pass/fail checks of Fig. 4 on measured ``metrics``.

    "CS > US" and margin ≥ ``margin_min`` are claims about typical seeds (a quorum, see
    ``SEED_QUORUM``); there is no every-seed floor (the VTA's response is bistable: ≈ 4 % of
    seeds stay on the US or move to CSX), the count of seeds under CS − CSX ≥
    ``margin_floor`` is reported. The gain against
    ``gain_min`` (the paper's 2×) is reported, not gating: the never-paired CSX, which no
    reward follows, gains ~5× from exposure alone (its self-released dopamine), so a raw gain
    lies inside its null; the CS − CSX margins are the paired, within-run statistic.
    """
    gmin, mmin, floor = (
        float(config["gain_min"]),
        float(config["margin_min"]),
        float(config["margin_floor"]),
    )
    k = f"{GAIN_PSEUDOCOUNT:g}"
    pre2 = "before training" if config["cs2_baseline"] == "pre" else "before phase 2"
    for cs, phase, when, base in (
        ("CS1", 1, "after phase 1", "before training"),
        ("CS2", 2, "after phase 2", pre2),
    ):
        gating = phase == 1 or int(config["n_phase2"]) >= PHASE2_GATING_TRIALS
        res.check(
            f"{cs}_gain_phase{phase}",
            metrics[f"{cs}_gain_phase{phase}"],
            ">=",
            gmin,
            gating=False,
            description=f"VTA response to {cs} {when} / {base}, each + {k} spike "
            "(the paper's 2x; reported: exposure alone, the never-paired CSX's gain, exceeds it)",
        )
        res.check(
            f"{cs}_minus_US_phase{phase}",
            metrics[f"{cs}_minus_US_phase{phase}"],
            ">",
            0.0,
            gating=gating,
            description=f"{when}: {cs} response exceeds the US-alone response, spikes "
            "(quorum over seeds)",
        )
        res.check(
            f"{cs}_minus_CSX_phase{phase}",
            metrics[f"{cs}_minus_CSX_phase{phase}"],
            ">=",
            mmin,
            gating=gating,
            description=f"{when}: {cs} response minus never-paired CSX response, spikes "
            "(quorum over seeds)",
        )
        res.check(
            f"{cs}_minus_CSX_floor_phase{phase}",
            metrics[f"{cs}_minus_CSX_phase{phase}"],
            ">=",
            floor,
            gating=False,
            description=f"{when}: {cs} minus CSX, spikes (reported: the seeds under it are "
            "those whose VTA did not move to the cue)",
        )
