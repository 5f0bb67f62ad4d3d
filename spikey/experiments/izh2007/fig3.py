"""Fig. 3 of Izhikevich (2007): instrumental conditioning, then reversal (reconstructed).

Protocol (reconstruction in ``shared/reference/izhikevich2007.md``; the paper's own
numbers are not available offline): three disjoint groups of ``group_size`` excitatory
neurons, S, A and B. Every ``trial_ms`` S gets a 1 ms input of ``stim_amount``. A wins
a trial when A fires more spikes than B in the ``response_ms`` after S (ties: nobody
wins). When the rewarded group wins, a reward (d += ``reward_amount``) follows
``reward_delay`` ms later, uniform in (1000, 3000]. For ``n_trials`` trials A is
rewarded, then the contingency reverses for ``n_reversal_trials`` (B is rewarded).

Chosen here (parameters): stimulus 27, calibrated for the author's twin rule
(``duplicates="last"``) on tuning seeds 100–105, disjoint from the verification seeds 0–8
(see :data:`CALIBRATION`; the reference reconstruction tuned 25 on a twin rule it does
not record: 40 saturates into network bursts, 20 does not learn); the stimulus falls at the start of each
trial; P(A wins) over a block is the fraction of its trials that A won. The groups
depend on the seed only, so the no-reward control (``reward=False``) uses the same S,
A and B. ``gate_on="behaviour"`` gates on P(A wins); ``gate_on="weights"`` (the quick
run, acquisition only: one seed's behaviour is too noisy to gate on — the reference needed
142–293 trials to reach 0.8 in half its seeds) gates on the synaptic precursor instead: the
mean S→A weight exceeds the mean S→B weight by ``w_gap_min`` at the end of acquisition.

Extension (``critic="running_mean"``, registered as ``izh2007.fig3-rpe``; not in the
paper): dopamine signals reward minus a learned expectation. A critic V (the expected
reward of a trial, a running mean with rate ``critic_rate``) gives each trial's outcome
r (1: the rewarded group won, 0: it did not) the prediction error δ = r − V, delivered
at the trial's reward time (1–3 s after S, as the reward). δ > 0 is a dopamine pulse
of δ·``reward_amount``; δ < 0 is a dip below baseline: the engine's signed dopamine, a
pulse of δ·``reward_amount`` (issue 18; each plastic weight then changes by the integral of
(tonic + d)·c, clipped every step). ``dip_eligibility`` (below) says what the dip acts on:
``"signed"``, the engine's dip alone; ``"centered"``, the engine's dip, then its weight
changes (measured from the dip to the trial's end) less their mean over the plastic
synapses; ``"positive"`` (only c > 0, not a dopamine signal) is applied outside the engine
as its integrated effect at once, δ·``reward_amount``·G·max(c, 0), G = τd·τc / ((τd +
τc)·10 ms) ≈ 16.7 the integral of a unit pulse against a decaying trace. Until issue 18
every dip was applied that way (``dip_change``; re-measured: see below). Then
V ← V + ``critic_rate``·δ.
``critic="action_value"`` keeps one value per response (A wins, B wins, tie) and uses
δ = r − Q(response) (see :class:`Critic`).

What makes it relearn (tuning seeds 100–111, :data:`RPE_CALIBRATION`; findings 1–3 measured
at ``reward_amount`` 0.5):

1. *A dip must not move the whole network.* Most eligibility in the network comes from
   chance pairings, which STDP tags for depression on balance (A− > A+). A dip applied to
   the signed c (``dip_eligibility="signed"``) therefore potentiates the whole network:
   after the reversal, when most trials are unrewarded, the mean plastic weight rose from
   0.60–0.65 to 1.1–1.2 mV within 100 trials (1.3 by 200; critic_rate 0.002), to
   1.4–1.6 mV with a faster critic (0.01, 0.03; two of six such runs then collapsed to
   < 0.3 mV). S→A rises with everything else, both groups fire 10–20 spikes, and P(B wins)
   stalled at 0.25–0.63 on seeds 102–104. Depressing only c > 0 (``"positive"``) fails the
   other way (mean weight 0.52 → 0.14, responses die out). ``"centered"`` (the default)
   applies the dip to c minus its mean over the plastic synapses: the changes sum to zero,
   so a dip depresses the synapses tagged more than average (S→A after an A response) and leaves
   the network's total weight alone (mean plastic weight 0.59 → 0.55 over the reversal on
   seed 102; S→A falls 1.62 → 0.69 mV while S→B rises 1.19 → 1.31 mV).
2. *Tonic dopamine is part of the expectation* (``tonic_da`` 0 here, 0.002 in the paper).
   Integrated over a trial the paper's tonic level reinforces every pairing by about 0.2·c₀
   (0.002 per 10 ms against a 1 s trace), against ≈ 1.3·c₀ for a full reward 1–3 s later:
   a constant positive error of ~15 % of a reward on every trial, whatever the outcome,
   that favours the response already leading. With the prediction error as the only
   dopamine signal the baseline means "as expected" and causes no net change. Measured
   (centered dips, rate 0.002): P(B wins) 0.65 / 0.43 / 0.65 with tonic 0.002 on seeds
   102–104, against 0.79 / 0.80 / 0.63 with tonic 0.
3. *A slow critic.* V learns at 0.002 per trial, so it is ≈ 0.5 at the reversal and still
   ≈ 0.45 at the end: A responses keep receiving large dips while B responses receive
   rewards of ≈ 0.5. Faster critics were worse (0.005: P(B wins) 0.46 / 0.63 / 0.47 on
   seeds 104 / 105 / 102; 0.01 and 0.03 with signed dips: 0.36–0.44), because V follows
   the falling reward rate and the dips shrink; slower was worse too (0.001: 0.66 / 0.45
   on seeds 104 / 105), because V stays low and the dips are small.
4. *The dopamine of an error* (``reward_amount`` 0.75 here, 0.5 in the paper). An error is
   smaller than the reward it replaces (|δ| ≈ 0.5 once V ≈ 0.5), so at 0.5 a B response
   after the reversal receives half the paper's reward, and relearning was still climbing at
   trial 800 (P(B wins) 0.63 / 0.64 on seeds 104 / 105). Over tuning seeds 100–111, at 0.6
   and 0.75: P(B wins) ≥ 0.7 on 8 and 12 of 12 seeds, P(A wins) ≥ 0.7 on 9 and 9, gain ≥
   0.2 on 8 and 6 (0.5: 4, 5, 4 of 6 seeds). The price is a faster, noisier acquisition
   (S→A reaches 3–3.7 mV, S→B 2.4–3.4 mV, both groups fire 15–40 spikes): P(A wins) often
   rises within the first 100 trials, which the gain criterion counts against it. 0.75
   makes the relearning robust; its weak point is the acquisition gain (6 of 12 seeds).

The per-response critic (``"action_value"``) does not work as a baseline: once Q(A) has
learned that A is always rewarded in acquisition, δ = 1 − Q(A) → 0 and B responses get
δ = 0 − Q(B) = 0, so the signal vanishes and drift takes over (with the chosen settings,
seeds 100–102: P(A wins) 0.69 / 0.54 / 0.63, gain 0.23 / −0.01 / −0.15 — seed 102 reached
1.0 in trials 100–250 and fell back to 0.54 — and P(B wins) after reversal 0.58 / 0.68 /
0.62; with the paper's tonic and reward amount acquisition failed as well: 0.51 / 0.59 /
0.28). The advantage r − V, not r − Q(response), is what carries the learning signal. It
is kept as an option.

Verification of the chosen defaults on seeds 0–8 (``spikey run izh2007.fig3-rpe --seeds
0-2 --backend serial --json``, then 3-5, 6-8), per seed (P(A wins) last, gain, P(B wins)
after reversal): 0: 0.82, 0.13, 0.85; 1: 0.86, 0.35, 0.88; 2: 0.78, 0.33, 0.90; 3: 0.63,
0.06, 0.77; 4: 0.95, 0.52, 0.90; 5: 0.91, 0.42, 0.90; 6: 0.82, 0.40, 0.78; 7: 0.75, 0.37,
0.75; 8: 0.80, 0.34, 0.68. Every criterion meets its 2-of-3 quorum on each set (P(B wins)
≥ 0.7 on 3, 3 and 2 seeds). Without reward the extension changes no weight (tonic 0: seed
0 kept every S→A and S→B weight at 1.0 mV, P(B wins) 0.42), so its control is the paper's
no-reward run, whose tonic dopamine does move weights.

Dips moved onto the engine's signed dopamine (issue 18), re-measured on seeds 0–8 with the
one seed policy (per seed: P(A wins) last, gain, P(B wins) after reversal; before = dips
applied as their integrated effect, after = the engine's dip, centered): 0: 0.75, 0.01, 0.86
→ 0.80, 0.11, 0.88; 1: 0.77, 0.30, 0.87 → 0.88, 0.45, 0.82; 2: 0.73, 0.32, 0.96 → 0.64,
0.17, 0.98; 3: 0.78, −0.01, 0.69 → 0.79, 0.02, 0.77; 4: 0.84, 0.44, 0.85 → 0.80, 0.32,
0.88; 5: 0.60, 0.27, 0.73 → 0.57, 0.19, 0.81; 6: 0.90, 0.25, 0.50 → 0.84, 0.17, 0.75; 7:
0.65, 0.13, 0.88 → 0.61, 0.14, 0.81; 8: 0.83, 0.28, 0.94 → 0.81, 0.28, 0.85. Means over the
nine seeds move by −0.01, −0.02 and +0.03 (paired differences' SD 0.06, 0.10, 0.10: within
the seed-to-seed spread, the tolerance stated here is ±0.05 on each mean); P(A wins) ≥ 0.7
holds on 2 of every 3 seeds either way, P(B wins) ≥ 0.7 on 7 of 9 before, 9 of 9 after; the
reported gain ≥ 0.2 on 6 of 9 before, 3 of 9 after. One systematic change: the mean plastic
weight at the end is 0.73 ± 0.04 mV against 0.82 ± 0.03 before (every seed lower): the
dips add less weight. Seed 0, 200 + 200 trials, summed over plastic synapses: before, the
zero-sum change clipped at w_min added 24.8k mV; after, the engine's dip added 79.6k (most
eligibility is LTD-tagged, so a dip potentiates) and the centering took 71.5k (the mean of
changes already clipped in the engine), net 8.1k; rewards took 30.7k and 18.0k.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from spikey.experiments.izh2007 import common
from spikey.experiments.registry import Result
from spikey.module import config_error

DEFAULTS = {
    **common.ENGINE_DEFAULTS,
    "group_size": 50,
    "stim_amount": 27.0,  # calibrated for duplicates="last", seeds 100-105 (CALIBRATION)
    "trial_ms": 10_000,
    "response_ms": 20,
    "n_trials": 400,
    "n_reversal_trials": 400,
    "reward": True,
    "reward_amount": 0.5,
    "reward_delay_min_ms": 1000,
    "reward_delay_max_ms": 3000,
    "critic": "none",  # "none": the paper's reward; "running_mean": reward-prediction error
    "critic_rate": 0.01,
    "eval_trials": 100,
    "weights_every_trials": 10,
    "p_min": 0.7,
    # paired baseline (decision 1 of issue 19): P(A wins) over the last eval_trials before
    # reversal must exceed the same seed's no-reward control's by this much (quorum)
    "p_paired_min": 0.25,
    "p_gain_min": 0.2,  # reported: fast learners have already risen in the first trials
    # the no-reward control's P(A wins) drifts down (why is not measured; about 1 trial in 6
    # is a tie at ~1.3 spikes per group): gain -0.067 ± 0.067 over seeds 0-11 (nulls.json),
    # -0.029 ± 0.063 on the earlier noise stream; ±0.25 holds the pooled null
    # (-0.048 ± 0.066) beyond 3 sd (±0.2 held the new one only to 1.98 sd)
    "control_gain_max": 0.25,
    # the no-reward control's P(B wins) change across the "reversal" drifts: -0.04 ± 0.105
    # over seeds 0-11 (nulls.json), so its band is about 2.5-3 sd
    "control_change_max": 0.3,
    "p_b_min": 0.7,  # fig3-rpe: P(B wins) after reversal
    "gate_on": "behaviour",
    "w_gap_min": 0.05,
    # the no-reward control's S→A − S→B weight gap band (gates in the quick run): 4 sd of its
    # null (0.000 ± 0.049 mV after 400 trials; ±0.1 was 2 sd and failed 1 seed in 20)
    "control_w_gap_max": 0.2,
}

#: How ``stim_amount`` was chosen: acquisition only (``n_reversal_trials=0``),
#: ``duplicates="last"``, tuning seeds disjoint from the verification seeds 0–8. Per value,
#: per seed: (P(A wins) last 100 trials, its gain over the first 100, the no-reward
#: control's gain). Command: ``spikey run izh2007.fig3 --seeds 100-102 --set stim_amount=X
#: --set n_reversal_trials=0 --json`` (the control adds ``--set reward=false``).
CALIBRATION = {
    "parameter": "stim_amount",
    "chosen": 27.0,
    "columns": ("P(A) last", "P(A) gain", "control gain"),
    "measured": {
        25.0: {  # the previous default
            100: (0.22, -0.26, None),
            101: (0.88, 0.36, None),
            102: (0.84, 0.45, None),
        },
        27.0: {
            100: (0.61, 0.07, -0.14),
            101: (0.84, 0.42, 0.09),
            102: (0.95, 0.31, -0.15),
            103: (0.50, 0.01, None),
            104: (0.97, 0.54, None),
            105: (0.90, 0.37, None),
        },
        30.0: {
            100: (0.85, 0.35, None),
            101: (0.56, 0.02, None),
            102: (0.96, 0.33, None),
        },
    },
}

#: The quick run is the acquisition phase alone (400 trials, no reversal), gated on the
#: S→A − S→B weight gap. 150 trials were too few: on seeds 2 and 7 (of 0–11) learning had not
#: started (gaps 0.015, −0.032 mV). At 400 trials the gap is 0.52 ± 0.20 mV, min 0.20, on
#: seeds 0–11 (all pass; ``spikey run izh2007.fig3 --quick --seeds 0-11``) and its no-reward
#: null 0.005 ± 0.017 mV (seeds 10–19), so 0.1 mV lay 5 sd above the null and 2.1 sd below
#: the learners' mean. On the per-neuron noise streams (2026-11-30): learners 0.42 ± 0.21 mV,
#: min 0.125 (seeds 0–11, all pass), null 0.000 ± 0.049 mV (seeds 10–19, nulls.json; one
#: seed, 11, at −0.113, which fails the control's ±0.1 band). Behaviour (P(A wins)) is
#: reported, not gated. Since issue 19 the gap gates by quorum (2 of every 3 seeds; the quick
#: replication runs 3 seeds) and the control's band is ``control_w_gap_max`` (±0.2, 4 sd).
QUICK = {
    "n_trials": 400,
    "n_reversal_trials": 0,
    "eval_trials": 100,
    "gate_on": "weights",
    "w_gap_min": 0.1,
}

#: keys only the verdict reads (thresholds, which criterion gates): changing one leaves the
#: run and every metric bit-identical (no config key enters a random stream)
CRITERION_KEYS = (
    "p_min",
    "p_paired_min",
    "p_gain_min",
    "control_gain_max",
    "control_change_max",
    "p_b_min",
    "gate_on",
    "w_gap_min",
    "control_w_gap_max",
)

CRITICS = ("none", "running_mean", "action_value")
DIP_RULES = ("centered", "signed", "positive")

#: keys only a critic reads; ``DEFAULTS`` leave them out (the paper's Fig. 3 lists only what
#: it reads). A config without
#: them (``izh2007.fig3 --set critic=...``) gets these values.
CRITIC_DEFAULTS = {"dip_eligibility": "centered"}

#: the extension: see the module docstring and :data:`RPE_CALIBRATION`
RPE_DEFAULTS = {
    **DEFAULTS,
    **CRITIC_DEFAULTS,
    "critic": "running_mean",
    "critic_rate": 0.002,
    "tonic_da": 0.0,
    "reward_amount": 0.75,
}
RPE_QUICK = dict(QUICK)


#: How the extension's settings were chosen (tuning seeds 100–111, disjoint from the
#: verification seeds 0–8): per setting, per seed, (P(A wins) last 100 acquisition trials, its
#: gain over the first 100, P(B wins) last 100 reversal trials). A setting is (critic,
#: critic_rate, tonic_da, dip_eligibility, reward_amount, note); "dips x0.5" halved every dip,
#: "rewards also centered" applied δ > 0 like a centered dip instead of the engine's pulse
#: (both were tried and dropped). Command, per setting: ``spikey run izh2007.fig3-rpe --seeds
#: 100-105 --backend serial --json --set critic_rate=R --set tonic_da=T --set
#: dip_eligibility=D --set reward_amount=A`` (the criteria need all three ≥ their thresholds
#: in 2 of every 3 seeds: 0.7, 0.2, 0.7).
RPE_CALIBRATION = {
    "parameters": ("critic", "critic_rate", "tonic_da", "dip_eligibility", "reward_amount", "note"),
    "chosen": ("running_mean", 0.002, 0.0, "centered", 0.75, ""),
    "columns": ("P(A) last", "P(A) gain", "P(B) after reversal"),
    "measured": [
        (
            ("running_mean", 0.01, 0.002, "signed", 0.5, ""),
            {100: (0.46, 0.09, 0.69), 101: (0.79, 0.31, 0.79), 102: (0.83, 0.3, 0.33)},
        ),
        (
            ("action_value", 0.01, 0.002, "signed", 0.5, ""),
            {100: (0.51, 0.07, 0.38), 101: (0.59, 0.18, 0.83), 102: (0.28, -0.15, 0.81)},
        ),
        (
            ("running_mean", 0.002, 0.002, "signed", 0.5, ""),
            {100: (0.43, -0.01, 0.9), 101: (0.76, 0.32, 0.78), 102: (0.93, 0.4, 0.28)},
        ),
        (
            ("running_mean", 0.005, 0.002, "signed", 0.5, ""),
            {100: (0.54, 0.12, 0.61), 101: (0.74, 0.36, 0.88), 102: (0.96, 0.29, 0.53)},
        ),
        (
            ("running_mean", 0.002, 0.0, "signed", 0.5, ""),
            {
                100: (0.68, 0.19, 0.76),
                101: (0.93, 0.52, 0.85),
                102: (0.98, 0.41, 0.25),
                103: (0.91, 0.36, 0.63),
                104: (1.0, 0.39, 0.55),
                105: (0.88, 0.27, 0.81),
            },
        ),
        (
            ("running_mean", 0.002, 0.002, "signed", 0.75, ""),
            {100: (0.68, 0.11, 0.35), 101: (0.46, 0.02, 0.41), 102: (0.63, 0.06, 0.33)},
        ),
        (("running_mean", 0.002, 0.0, "positive", 0.5, ""), {102: (0.87, 0.42, 0.38)}),
        (
            ("running_mean", 0.01, 0.0, "signed", 0.5, ""),
            {102: (0.85, 0.28, 0.38), 103: (0.7, 0.11, 0.44), 104: (0.82, 0.34, 0.41)},
        ),
        (
            ("running_mean", 0.03, 0.0, "signed", 0.5, ""),
            {102: (0.93, 0.37, 0.39), 103: (0.72, 0.31, 0.4), 104: (0.75, 0.29, 0.36)},
        ),
        (
            ("running_mean", 0.002, 0.0, "centered", 0.5, ""),
            {
                100: (0.46, 0.0, 0.79),
                101: (0.98, 0.51, 0.83),
                102: (0.96, 0.4, 0.79),
                103: (0.8, 0.26, 0.8),
                104: (0.97, 0.34, 0.63),
                105: (0.84, 0.19, 0.64),
            },
        ),
        (
            ("running_mean", 0.002, 0.0, "signed", 0.5, "dips x0.5"),
            {102: (1.0, 0.43, 0.33), 103: (0.61, 0.01, 0.58), 104: (0.82, 0.3, 0.65)},
        ),
        (
            ("running_mean", 0.002, 0.002, "centered", 0.5, ""),
            {102: (1.0, 0.48, 0.65), 103: (0.92, 0.43, 0.43), 104: (1.0, 0.37, 0.65)},
        ),
        (
            ("running_mean", 0.005, 0.0, "centered", 0.5, ""),
            {102: (0.98, 0.35, 0.47), 104: (0.96, 0.36, 0.46), 105: (0.52, -0.08, 0.63)},
        ),
        (
            ("running_mean", 0.001, 0.0, "centered", 0.5, ""),
            {104: (0.94, 0.37, 0.66), 105: (0.9, 0.28, 0.45)},
        ),
        (
            ("running_mean", 0.002, 0.0, "centered", 0.5, "rewards also centered"),
            {104: (0.21, -0.43, 0.73), 105: (0.39, -0.05, 0.49)},
        ),
        (
            ("running_mean", 0.002, 0.0, "centered", 0.75, ""),
            {
                100: (0.83, 0.25, 0.93),
                101: (0.73, 0.24, 0.85),
                102: (0.67, 0.12, 0.72),
                103: (0.82, 0.18, 0.87),
                104: (0.75, 0.02, 0.86),
                105: (0.83, 0.27, 0.9),
                106: (0.85, 0.42, 0.88),
                107: (0.79, 0.28, 0.93),
                108: (0.61, 0.07, 0.96),
                109: (0.68, 0.07, 0.9),
                110: (0.84, 0.26, 0.81),
                111: (0.7, 0.14, 0.9),
            },
        ),
        (
            ("running_mean", 0.002, 0.0, "centered", 0.6, ""),
            {
                100: (0.65, 0.16, 0.83),
                101: (0.81, 0.34, 0.97),
                102: (0.94, 0.4, 0.5),
                103: (0.74, 0.29, 0.8),
                104: (0.83, 0.24, 0.64),
                105: (0.92, 0.23, 0.86),
                106: (0.61, 0.27, 0.97),
                107: (0.81, 0.45, 0.68),
                108: (0.76, 0.13, 0.93),
                109: (0.73, 0.19, 0.75),
                110: (0.91, 0.46, 0.61),
                111: (0.63, 0.07, 1.0),
            },
        ),
        (
            ("running_mean", 0.002, 0.0, "centered", 0.7, ""),
            {
                100: (0.62, 0.17, 0.99),
                101: (0.65, 0.3, 0.9),
                102: (0.91, 0.16, 0.44),
                103: (0.87, 0.34, 0.72),
                104: (0.81, 0.33, 0.83),
                105: (0.78, 0.27, 0.91),
            },
        ),
        (
            ("action_value", 0.002, 0.0, "centered", 0.75, ""),
            {100: (0.69, 0.23, 0.58), 101: (0.54, -0.01, 0.68), 102: (0.63, -0.15, 0.62)},
        ),
    ],
}


@dataclass
class TrialLog:
    """What the protocol produced, trial by trial."""

    a_cnt: np.ndarray
    b_cnt: np.ndarray
    rewarded: np.ndarray  # 1 where the rewarded group won (and reward was on)
    delta: np.ndarray  # the dopamine signal of each trial (reward or prediction error)
    value: np.ndarray  # the critic's expectation before each trial (0 without a critic)
    w_trial: list = field(default_factory=list)
    w_sa: list = field(default_factory=list)
    w_sb: list = field(default_factory=list)
    w_plastic: list = field(default_factory=list)  # mean of every plastic weight
    n_s_to_a: int = 0
    n_s_to_b: int = 0


def dip_gain(params: dict) -> float:
    """G: total weight change per unit eligibility of a unit dopamine pulse (see the module)."""
    tau_c, tau_d = float(params["tau_c"]), float(params["tau_d"])
    return tau_d * tau_c / (tau_d + tau_c) / float(params["w_every"])


def trial_outcome(a_count: int, b_count: int) -> int:
    """Which response the trial gave: 0 A wins, 1 B wins, 2 a tie (nobody wins)."""
    return 0 if a_count > b_count else 1 if b_count > a_count else 2


class Critic:
    """The extension's learned expectation of a trial's reward (0 or 1).

    ``"running_mean"``: one value V for every trial (the stimulus is the only state), the
    prediction error is δ = r − V. ``"action_value"``: one value per outcome
    (:func:`trial_outcome`), δ = r − Q(outcome); only the outcome that occurred learns.
    Each learns by ``value += rate * (r - value)``.

    Parameters
    ----------
    kind : str
        ``"running_mean"`` or ``"action_value"``.
    rate : float
        The learning rate, 0 < rate <= 1.
    """

    def __init__(self, kind: str, rate: float):
        if kind not in CRITICS[1:]:
            raise config_error("izh2007.fig3", "critic", kind, f"one of {CRITICS[1:]}")
        self.kind, self.rate = kind, float(rate)
        self.values = np.zeros(3)  # running_mean uses [0]; action_value: A, B, tie

    def _slot(self, outcome: int) -> int:
        return outcome if self.kind == "action_value" else 0

    def expect(self, outcome: int) -> float:
        """The reward expected for a trial whose response was ``outcome``."""
        return float(self.values[self._slot(outcome)])

    def learn(self, outcome: int, reward: float) -> None:
        """Move the expectation of ``outcome`` towards the ``reward`` it received."""
        i = self._slot(outcome)
        self.values[i] += self.rate * (reward - self.values[i])


def dip_change(eligibility: np.ndarray, scale: float, rule: str) -> np.ndarray:
    """Weight change of a dip: ``scale`` (< 0: δ·reward_amount·G) times the rule's eligibility.

    ``"signed"``: every synapse by its eligibility c (LTD-tagged synapses, c < 0, are
    potentiated); ``"positive"``: only synapses with c > 0; ``"centered"``: c minus its
    mean over the given synapses, so the changes sum to zero (before clipping).
    """
    c = np.asarray(eligibility, dtype=np.float64)
    if rule == "signed":
        return scale * c
    if rule == "positive":
        return scale * np.maximum(c, 0.0)
    if rule == "centered":
        return scale * (c - c.mean())
    raise config_error("izh2007.fig3", "dip_eligibility", rule, f"one of {DIP_RULES}")


def check_config(config: dict) -> None:
    """Refuse inconsistent timing and unknown choices before building anything."""
    width, dmin, dmax = (
        int(config["response_ms"]),
        int(config["reward_delay_min_ms"]),
        int(config["reward_delay_max_ms"]),
    )
    trial = int(config["trial_ms"])
    if not width <= dmin < dmax < trial:
        raise ValueError(
            "izh2007.fig3: expected response_ms <= reward_delay_min_ms < "
            f"reward_delay_max_ms < trial_ms, got {width}, {dmin}, {dmax}, {trial}"
        )
    for key, allowed in (
        ("gate_on", ("behaviour", "weights")),
        ("critic", CRITICS),
        ("dip_eligibility", DIP_RULES),
    ):
        given = config.get(key, CRITIC_DEFAULTS.get(key))
        if given not in allowed:
            raise config_error("izh2007.fig3", key, given, f"one of {allowed}")
    rate = config["critic_rate"]
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 1:
        raise config_error("izh2007.fig3", "critic_rate", rate, "a number with 0 < rate <= 1")
    # half-widths of the control bands
    for key in ("control_gain_max", "control_change_max", "control_w_gap_max"):
        common.check_range("izh2007.fig3", config, key, 0.0, float("inf"), "a number >= 0")
    n1, m = int(config["n_trials"]), int(config["eval_trials"])
    if not 0 < m <= n1 or (
        int(config["n_reversal_trials"]) and m > int(config["n_reversal_trials"])
    ):
        raise ValueError(
            f"izh2007.fig3: key 'eval_trials' got {m}; expected 1 .. min(n_trials, "
            "n_reversal_trials)"
        )


def run_trials(net, groups, config, rng, progress, desc="fig3") -> TrialLog:
    """The protocol: ``n_trials`` trials rewarding A, then ``n_reversal_trials`` rewarding B."""
    s_grp, a_grp, b_grp = groups
    a_mask, b_mask = common.mask(net.n, a_grp), common.mask(net.n, b_grp)
    n1, n2 = int(config["n_trials"]), int(config["n_reversal_trials"])
    trial, width = int(config["trial_ms"]), int(config["response_ms"])
    dmin, dmax = int(config["reward_delay_min_ms"]), int(config["reward_delay_max_ms"])
    amount = float(config["reward_amount"])
    critic = config["critic"] != "none"
    rate = float(config["critic_rate"])
    gain = dip_gain(net.params)
    stim = common.stimulus_arrays([(0, s_grp, float(config["stim_amount"]))], dmin)
    n = n1 + n2
    log = TrialLog(*(np.zeros(n, np.int64) for _ in range(3)), np.zeros(n), np.zeros(n))
    pre, post = np.asarray(net.pre), np.asarray(net.post)
    s_mask = common.mask(net.n, s_grp)
    s_to_a = np.flatnonzero(s_mask[pre] & a_mask[post] & net.plastic)
    s_to_b = np.flatnonzero(s_mask[pre] & b_mask[post] & net.plastic)
    log.n_s_to_a, log.n_s_to_b = int(s_to_a.size), int(s_to_b.size)
    plastic = np.flatnonzero(net.plastic)
    lo, hi = float(net.params["w_min"]), float(net.params["w_max"])
    every = int(config["weights_every_trials"])

    def weights_now(k):
        w = net.weights()
        log.w_trial.append(k)
        log.w_sa.append(float(w[s_to_a].mean()))
        log.w_sb.append(float(w[s_to_b].mean()))
        log.w_plastic.append(float(w[plastic].mean()))

    judge = Critic(config["critic"], rate) if critic else None
    dip_rule = str(config.get("dip_eligibility", CRITIC_DEFAULTS["dip_eligibility"]))
    weights_now(0)
    bar = common.Progress(progress, n * trial, desc)
    for k in range(n):
        t0 = net.t
        spikes = net.run(dmin, stimuli=stim)
        early = (spikes.t - t0) < width
        log.a_cnt[k] = int(a_mask[spikes.i[early]].sum())
        log.b_cnt[k] = int(b_mask[spikes.i[early]].sum())
        wins = log.a_cnt[k] > log.b_cnt[k] if k < n1 else log.b_cnt[k] > log.a_cnt[k]
        r = float(bool(config["reward"]) and wins)
        log.rewarded[k] = int(r)
        outcome = trial_outcome(log.a_cnt[k], log.b_cnt[k])
        expected = judge.expect(outcome) if judge else 0.0
        log.value[k] = expected
        delta = (r - expected) if judge and config["reward"] else r
        log.delta[k] = delta
        delay = int(rng.integers(dmin + 1, dmax + 1)) if delta else 0
        if delta > 0:
            net.run(
                trial - dmin,
                rewards=common.reward_arrays([delay - dmin], amount * delta, trial - dmin),
            )
        elif delta < 0 and dip_rule == "positive":  # not a dopamine signal: integrated effect
            net.run(delay - dmin)
            w = net.weights()[plastic]
            dw = dip_change(net.eligibility()[plastic], delta * amount * gain, dip_rule)
            net.set_weights(plastic, np.clip(w + dw, lo, hi))
            net.run(trial - delay)
        elif delta < 0:  # a dip below baseline: the engine's signed dopamine
            net.run(delay - dmin)
            before = net.weights()[plastic]
            net.run(trial - delay, rewards=([0], [amount * delta]))
            if dip_rule == "centered":  # the dip's weight changes, less their mean
                w = net.weights()[plastic]
                net.set_weights(plastic, np.clip(w - (w - before).mean(), lo, hi))
        else:
            net.run(trial - dmin)
        if judge:
            judge.learn(outcome, r)
        if (k + 1) % every == 0 or k + 1 == n:
            weights_now(k + 1)
        bar.tick(trial)
    bar.close()
    return log


def measure(log: TrialLog, config: dict) -> dict:
    """Behavioural and synaptic statistics of a trial log."""
    n1, n2, m = (
        int(config["n_trials"]),
        int(config["n_reversal_trials"]),
        int(config["eval_trials"]),
    )
    a_wins, b_wins = log.a_cnt > log.b_cnt, log.b_cnt > log.a_cnt
    at = log.w_trial.index(n1) if n1 in log.w_trial else -1
    out = {
        "p_a_first": float(a_wins[:m].mean()),
        "p_a_last": float(a_wins[n1 - m : n1].mean()),
        "p_b_first": float(b_wins[:m].mean()),
        "w_sa_minus_sb": log.w_sa[at] - log.w_sb[at],
        "rewards": int(log.rewarded.sum()),
        "mean_a_spikes_last": float(log.a_cnt[n1 - m : n1].mean()),
        "mean_b_spikes_last": float(log.b_cnt[n1 - m : n1].mean()),
        "n_s_to_a": log.n_s_to_a,
        "n_s_to_b": log.n_s_to_b,
        "w_s_to_a_at_reversal": log.w_sa[at],
        "w_s_to_b_at_reversal": log.w_sb[at],
        "n_dips": int((log.delta < 0).sum()),
    }
    out["p_a_gain"] = out["p_a_last"] - out["p_a_first"]
    if n2:
        out["p_b_after_reversal"] = float(b_wins[-m:].mean())
        out["p_a_after_reversal"] = float(a_wins[-m:].mean())
        out["p_b_change"] = out["p_b_after_reversal"] - out["p_b_first"]
        out["critic_value_end"] = float(log.value[-1])
    return out


def criteria(res: Result, metrics: dict, config: dict) -> None:
    """The pass/fail checks of Fig. 3 (and of its RPE extension) on measured ``metrics``."""
    m = int(config["eval_trials"])
    behaviour = config["gate_on"] == "behaviour"
    rpe = config["critic"] != "none"
    if config["reward"]:
        res.check(
            "p_a_wins_last",
            metrics["p_a_last"],
            ">=",
            float(config["p_min"]),
            gating=behaviour,
            description=f"P(A wins), last {m} trials before reversal (quorum over seeds)",
        )
        res.check(
            "p_a_gain",
            metrics["p_a_gain"],
            ">=",
            float(config["p_gain_min"]),
            gating=False,
            description=f"P(A wins) last {m} minus first {m} trials (reported: a seed that "
            f"learns fast has already risen within the first {m})",
        )
        res.check(
            "w_s_to_a_minus_s_to_b",
            metrics["w_sa_minus_sb"],
            ">=",
            float(config["w_gap_min"]),
            gating=not behaviour,
            description="mean S→A minus mean S→B weight at the end of acquisition (mV)",
        )
        if "p_b_after_reversal" in metrics:
            res.check(
                "p_b_wins_after_reversal",
                metrics["p_b_after_reversal"],
                ">=",
                float(config["p_b_min"]),
                gating=rpe and behaviour,
                description=f"P(B wins), last {m} reversal trials"
                + (
                    " (quorum over seeds)"
                    if rpe
                    else " (reported: on the paper's mechanics dopamine is never negative)"
                ),
            )
        return
    # the control gates on the level its paired claim compares (P(A wins) over the last
    # trials: null 0.39 ± 0.08 over seeds 0-11 on the one-seed-policy streams, nulls.json, so
    # p_min lies 3.9 sd above it); its change over the run (null -0.03 ± 0.11: the ±0.25 band
    # was 2.3 sd), like the rewarded run's p_a_gain, is reported (issue 19: changes do not gate)
    res.check(
        "control_p_a_wins_last",
        metrics["p_a_last"],
        "<",
        float(config["p_min"]),
        gating=behaviour,
        description=f"no-reward control: P(A wins) over the last {m} trials before the "
        f"reversal stays below {float(config['p_min']):g} (every seed)",
    )
    tol = float(config["control_gain_max"])
    res.check(
        "control_p_a_gain",
        metrics["p_a_gain"],
        "between",
        (-tol, tol),
        gating=False,
        description=f"no-reward control: P(A wins) moves by less than {tol:g} either way "
        "(reported, as the rewarded run's gain)",
    )
    gap = float(config["control_w_gap_max"])
    res.check(
        "control_w_s_to_a_minus_s_to_b",
        metrics["w_sa_minus_sb"],
        "between",
        (-gap, gap),
        gating=not behaviour,
        description="no-reward control: S→A and S→B weights move together, either way (mV)",
    )
    if "p_b_after_reversal" in metrics:
        res.check(
            "control_p_b_wins_after_reversal",
            metrics["p_b_after_reversal"],
            "<",
            float(config["p_b_min"]),
            gating=behaviour,
            description=f"no-reward control: P(B wins) over the last {m} trials stays below "
            f"{float(config['p_b_min']):g}",
        )
        change = float(config["control_change_max"])
        res.check(
            "control_p_b_change",
            metrics["p_b_change"],
            "between",
            (-change, change),
            gating=False,
            description=f"no-reward control: P(B wins), last {m} minus first {m} trials, "
            f"within ±{change:g} (reported: a change, as p_a_gain)",
        )


def run_fig3(config, seed, progress) -> Result:
    """Reward A-over-B responses to S, then B-over-A; return P(win) per trial block."""
    check_config(config)
    rng = common.protocol_rng(seed, "fig3", "reward_delays")
    net = common.build_network(config, seed)
    groups = common.excitatory_groups(net, seed, int(config["group_size"]), 3, "fig3")
    name = "fig3-rpe" if config["critic"] != "none" else "fig3"
    log = run_trials(net, groups, config, rng, progress, desc=f"{name} {seed}")
    metrics = measure(log, config)
    res = Result()
    res.metrics.update(metrics)
    criteria(res, metrics, config)
    res.figures.update(
        {
            "w_trial": np.array(log.w_trial),
            "w_sa": np.array(log.w_sa),
            "w_sb": np.array(log.w_sb),
            "w_plastic": np.array(log.w_plastic),
            "a_cnt": log.a_cnt,
            "b_cnt": log.b_cnt,
            "rewarded": log.rewarded,
            "delta": log.delta,
            "value": log.value,
            "n_trials": int(config["n_trials"]),
            "n_reversal": int(config["n_reversal_trials"]),
            "reward": bool(config["reward"]),
            "critic": config["critic"],
            "eval": int(config["eval_trials"]),
        }
    )
    res.text = (
        f"{name} seed {seed} reward {config['reward']}: P(A wins) {metrics['p_a_first']:.2f} -> "
        f"{metrics['p_a_last']:.2f}"
        + (
            f", after reversal P(B wins) {metrics['p_b_after_reversal']:.2f}"
            if "p_b_after_reversal" in metrics
            else ""
        )
        + f", {metrics['rewards']} rewards"
        + (f", {metrics['n_dips']} dips" if config["critic"] != "none" else "")
    )
    return res
