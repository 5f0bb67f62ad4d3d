"""Fig. 3 of Izhikevich (2007): instrumental conditioning, then reversal (reconstructed).

E.M. Izhikevich (2007) *Solving the Distal Reward Problem through Linkage of STDP and
Dopamine Signaling.* Cerebral Cortex 17:2443–2452.

Protocol (reconstruction in ``shared/reference/izhikevich2007.md``; the paper's own
numbers are not available offline): three disjoint groups of ``group_size`` excitatory
neurons, S, A and B. Every ``trial_ms`` S gets a 1 ms input of ``stim_amount``. A wins
a trial when A fires more spikes than B in the ``response_ms`` after S (ties: nobody
wins). When the rewarded group wins, a reward (d += ``reward_amount``) follows
``reward_delay`` ms later, uniform in (1000, 3000]. For ``n_trials`` trials A is
rewarded, then the contingency reverses for ``n_reversal_trials`` (B is rewarded).

Reasons for the choices: the stimulus (27) is calibrated for the author's twin rule
(``duplicates="last"``) on tuning seeds disjoint from the verification seeds
(:data:`CALIBRATION`: 40 saturates into network bursts, 20 does not learn). The groups
depend on the seed only, so the no-reward control (``reward=False``) uses the same S, A and
B. ``gate_on="weights"`` (the quick run, acquisition only) gates on the synaptic precursor,
the S→A − S→B weight gap, because one seed's behaviour is too noisy to gate on;
``gate_on="behaviour"`` gates on P(A wins).

Extension (``critic="running_mean"``, registered as ``izh2007.fig3-rpe``; not in the
paper): dopamine signals reward minus a learned expectation V (a running mean with rate
``critic_rate``): δ = r − V at the trial's reward time, a pulse of δ·``reward_amount``
(negative: a dip below baseline, the engine's signed dopamine). ``dip_eligibility`` says
what a dip acts on (``"centered"``, the default: its weight changes less their mean over
the plastic synapses, so a dip leaves the network's total weight alone); ``critic=
"action_value"`` keeps one value per response (see :class:`Critic`). Its settings
(:data:`RPE_CALIBRATION`) and the findings that chose them — why a dip must not move the
whole network, why tonic dopamine is part of the expectation, why a slow critic, why a
larger reward — are the scientific record in ``protocols.md`` (section ``fig3``) beside
this module, shown on the documentation site's *Izhikevich (2007): tuning* page; the tables
are in ``calibration.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

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
    # the no-reward control's S→A − S→B weight gap band (reported since issue 19; gated in the
    # quick run before: its null's tail is heavy, see criteria): 4 sd of its
    # null (0.000 ± 0.049 mV after 400 trials; ±0.1 was 2 sd and failed 1 seed in 20)
    "control_w_gap_max": 0.2,
}

#: the measured tuning tables, a versioned data file beside this module
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


def load_calibration(path: Path = CALIBRATION_FILE) -> tuple[dict, dict]:
    """The tuning tables of ``stim_amount`` and of the extension's settings.

    Parameters
    ----------
    path : Path
        The calibration file (default: ``calibration.json`` beside this module).

    Returns
    -------
    (dict, dict)
        :data:`CALIBRATION` (``measured``: value -> seed -> row; ``remeasured``, where
        the file has it: the same on the one seed policy's streams, rewarded runs in
        ``measured`` and no-reward runs in ``control``) and
        :data:`RPE_CALIBRATION` (``measured``: list of (setting, seed -> row)); rows are
        tuples of the ``columns`` (None: not measured).
    """
    data = json.loads(path.read_text(encoding="utf-8"))

    def rows(seeds):
        return {int(seed): tuple(row) for seed, row in seeds.items()}

    stim, rpe = data["fig3"], data["fig3-rpe"]
    calibration = {
        "parameter": stim["parameter"],
        "chosen": stim["chosen"],
        "columns": tuple(stim["columns"]),
        "measured": {float(m["value"]): rows(m["seeds"]) for m in stim["measured"]},
    }
    if "remeasured" in stim:  # issue 19: the one seed policy's streams, tuning seeds 100-139
        again = stim["remeasured"]
        calibration["remeasured"] = {
            "columns": tuple(again["columns"]),
            **{
                part: {float(m["value"]): rows(m["seeds"]) for m in again[part]}
                for part in ("measured", "control")
            },
        }
    rpe_calibration = {
        "parameters": tuple(rpe["parameters"]),
        "chosen": tuple(rpe["chosen"]),
        "columns": tuple(rpe["columns"]),
        "measured": [(tuple(m["setting"]), rows(m["seeds"])) for m in rpe["measured"]],
    }
    return calibration, rpe_calibration


#: How ``stim_amount`` was chosen (acquisition only, ``duplicates="last"``, tuning seeds
#: disjoint from the verification seeds 0–8), and how the extension's settings were chosen
#: (tuning seeds 100–111): read from ``calibration.json``, whose entries say what each row
#: holds and the command that measured it.
CALIBRATION, RPE_CALIBRATION = load_calibration()

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
#: Since then the quick control gates, every seed, on the full run's control rule (P(A wins)
#: over the last 100 trials < ``p_min``; null on tuning seeds 100-139: 0.37 ± 0.06, max 0.58);
#: its gap is reported (heavy tail: one of 40 tuning seeds at +0.202 mV).
QUICK = {
    "n_trials": 400,
    "n_reversal_trials": 0,
    "eval_trials": 100,
    "gate_on": "weights",
    # 0.1 until issue 19's 40-seed null (tuning seeds 100-139: 0.016 ± 0.048 mV) put it within
    # 2 sd of chance; 0.15 lies 2.8 sd above it and passes 39 of those 40 seeds' rewarded
    # runs, as 0.1 did (0.1-0.16 alike; verification seeds 0-41: 37 of 42, was 38: seed 12
    # at 0.116 mV)
    "w_gap_min": 0.15,
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
    # the quick run's 400 trials are the full run's first 400 (one seed policy), so its control
    # gates by the same rule (issue 19): the S→A − S→B gap of a no-reward run has a heavy tail
    # (tuning seeds 100-139: one of 40 beyond +0.2 mV, sd 0.05; verification seed 18 +0.25 mV
    # at P(A) 0.59), so a band on it failed about one seed in 40 by construction; it is reported
    res.check(
        "control_p_a_wins_last",
        metrics["p_a_last"],
        "<",
        float(config["p_min"]),
        gating=True,
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
        gating=False,
        description="no-reward control: S→A and S→B weights move together, either way (mV; "
        "reported: its null has a heavy tail)",
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
