"""``florian2007.fig1``: one synapse under MSTDP and MSTDPET (Florian 2007, Fig. 1), with
the framework's ``RLSTDP`` beside them (the original repository's ``florian2007_Fig_1``).

Protocol (the notebook's): a presynaptic neuron j fires at 5, 80, 115, 135 ms and the
postsynaptic neuron i at 10, 70, 110, 140 ms; the reward is +1 up to ``reward_flip`` ms
and -1 after; the weight starts at 0.2. Pairings: pre->post at 5/10 and 135/140,
post->pre at 70/80 and 110/115, one of each kind under each reward sign. The parts
:class:`~spikey.snn.synapse.MSTDP` and :class:`~spikey.snn.synapse.MSTDPET` run it
through the Spikey interface (``update`` then ``reward`` every step) and are compared
with the equations written out as loops (:mod:`spikey.snn.synapse.mstdp_reference`).

Criteria (Fig. 1's claims, each of which a wrong rule fails):

- both parts follow the equations to 1e-9 (every step's weight, and z for MSTDPET),
  on the notebook protocol and on a seeded random protocol (Poisson spikes of a small
  all-to-all network, reward changing every 20 steps among -1, 0, +1);
- the STDP term ζ at every spike equals its closed form, the sum of A± e^(-|Δt|/τ±) over
  all earlier spikes of the other neuron (all-to-all pairing);
- MSTDP changes the weight only at steps with a spike; MSTDPET keeps changing it between
  spikes while reward and eligibility are nonzero, and z decays by e^(-1/τz) per step
  between spikes;
- the sign of every weight change is the sign of r·ζ (MSTDP) or r·z (MSTDPET), and over
  the four pairings the weight change is + for pre->post and - for post->pre under
  positive reward, the reverse under negative reward, for both rules.

``RLSTDP`` (the notebook's "Ours": ``learning_rate`` 10·γ/τz, ``trace_decay`` 1, window 20)
is driven the same way; its weight trace and per-pairing changes are reported, not gated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from spikey.experiments.registry import Result, job_rng
from spikey.snn import weight
from spikey.snn.synapse import MSTDP, MSTDPET, RLSTDP
from spikey.snn.synapse.mstdp_reference import florian_reference

DEFAULTS = {
    "pre_times": [5, 80, 115, 135],
    "post_times": [10, 70, 110, 140],
    "duration": 200,  # ms (steps)
    "reward_flip": 100,  # reward +1 for steps < reward_flip, -1 from there
    "w0": 0.2,
    "learning_rate": 0.2,  # gamma
    "tau_plus": 20.0,
    "tau_minus": 20.0,
    "tau_z": 25.0,
    "a_plus": 1.0,
    "a_minus": -1.0,
    "rlstdp_learning_rate": 10 * 0.2 / 25,  # the notebook's RLSTDP setting
    "rlstdp_window": 20,
    # the seeded random protocol checked beside the notebook's
    "random_steps": 600,
    "random_inputs": 2,
    "random_neurons": 3,
    "random_rate": 0.04,  # spike probability per step
    "random_block": 20,  # steps per reward value
}
QUICK: dict = {}

#: (first step, end step, pairing, expected sign of the weight change under the
#: notebook's spike times and a flip at 100 ms)
PAIRINGS = (
    ("pre_post_rpos", 5, 70, +1),  # pre 5 -> post 10 under r = +1
    ("post_pre_rpos", 70, 100, -1),  # post 70 -> pre 80 under r = +1
    ("post_pre_rneg", 110, 135, +1),  # post 110 -> pre 115 under r = -1
    ("pre_post_rneg", 135, 200, -1),  # pre 135 -> post 140 under r = -1
)
TOL = 1e-9
#: every metric a fig1 Result holds
METRICS = tuple(
    [f"{rule}_dw_{p[0]}" for p in PAIRINGS for rule in ("mstdp", "mstdpet", "rlstdp")]
    + ["mstdp_w_final", "mstdpet_w_final", "rlstdp_w_final", "mstdpet_z_peak"]
    + ["random_protocol_spikes"]
)
#: the weight ceiling of the drives (far above the protocols' range); the floor is 0
MAX_WEIGHT = 1e6


def notebook_protocol(config: dict) -> tuple[np.ndarray, np.ndarray]:
    """Spikes (T, 2: pre, post) and rewards r(t + 1) (T,) of the notebook's protocol."""
    steps = int(config["duration"])
    spikes = np.zeros((steps, 2))
    spikes[[t for t in config["pre_times"] if 0 <= t < steps], 0] = 1
    spikes[[t for t in config["post_times"] if 0 <= t < steps], 1] = 1
    rewards = np.where(np.arange(steps) < config["reward_flip"], 1.0, -1.0)
    return spikes, rewards


def random_protocol(config: dict, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Poisson spikes of ``random_inputs + random_neurons`` columns and block rewards."""
    steps, block = int(config["random_steps"]), int(config["random_block"])
    n_cols = config["random_inputs"] + config["random_neurons"]
    spikes = (rng.random((steps, n_cols)) < config["random_rate"]).astype(float)
    levels = rng.choice([-1.0, 0.0, 1.0], size=-(-steps // block))
    return spikes, np.repeat(levels, block)[:steps]


def _rule_keys(config, n_inputs, n_neurons) -> dict:
    return {
        "n_inputs": n_inputs,
        "n_neurons": n_neurons,
        "stdp_window": 2,
        "learning_rate": float(config["learning_rate"]),
        "a_plus": float(config["a_plus"]),
        "a_minus": float(config["a_minus"]),
        "tau_plus": float(config["tau_plus"]),
        "tau_minus": float(config["tau_minus"]),
    }


def drive(
    part_class: type,
    keys: dict,
    spikes: np.ndarray,
    rewards: np.ndarray,
    w0: np.ndarray,
    polarities: np.ndarray | None = None,
) -> dict:
    """Run a synapse part over a raster as a network would: ``update`` then ``reward``.

    Returns the weights after every step (T, pre, post) and, where the part has them,
    ζ and z after every step. The weights are a ``weight.Manual`` (floor 0, ceiling
    :data:`MAX_WEIGHT`); the notebook protocol's weight stays far from both.
    """
    n_in, n_neurons = keys["n_inputs"], keys["n_neurons"]
    w = weight.Manual(
        n_inputs=n_in, n_neurons=n_neurons, max_weight=MAX_WEIGHT, matrix=np.array(w0, dtype=float)
    )
    part = part_class(w, **keys)
    part.reset()
    pol = np.ones(spikes.shape[1]) if polarities is None else polarities
    out = {"w": [], "zeta": [], "z": []}
    for t in range(spikes.shape[0]):
        part.update(spikes[: t + 1], pol)
        part.reward(float(rewards[t]))
        out["w"].append(w.matrix.copy())
        out["zeta"].append(np.array(getattr(part, "zeta", np.nan)))
        out["z"].append(np.array(getattr(part, "eligibility", np.nan)))
    return {k: np.asarray(v) for k, v in out.items()}


def _reference(config, spikes, rewards, w0, n_inputs, tau_z=None) -> dict:
    """The equations as loops; synapses are where ``w0`` is nonzero (``weight.Manual``'s rule)."""
    return florian_reference(
        spikes,
        rewards,
        w0,
        learning_rate=config["learning_rate"],
        tau_plus=config["tau_plus"],
        tau_minus=config["tau_minus"],
        a_plus=config["a_plus"],
        a_minus=config["a_minus"],
        tau_z=tau_z,
        n_inputs=n_inputs,
        live=np.asarray(w0) != 0,
        bounds=(0.0, MAX_WEIGHT),
    )


def closed_form_zeta(config: dict, spikes: np.ndarray) -> np.ndarray:
    """zeta(t) of synapse 0 -> 1 from the spike times directly (no recursion)."""
    steps = spikes.shape[0]
    pre_t, post_t = np.flatnonzero(spikes[:, 0]), np.flatnonzero(spikes[:, 1])
    out = np.zeros(steps)
    for t in range(steps):
        if spikes[t, 1]:
            out[t] += sum(
                config["a_plus"] * np.exp(-(t - s) / config["tau_plus"]) for s in pre_t if s <= t
            )
        if spikes[t, 0]:
            out[t] += sum(
                config["a_minus"] * np.exp(-(t - s) / config["tau_minus"]) for s in post_t if s <= t
            )
    return out


def _sign_agreement(dw, modulator) -> float:
    """Share of nonzero weight changes whose sign is the modulator's (nan if none)."""
    moved = np.abs(dw) > 1e-15
    if not moved.any():
        return float("nan")
    return float(np.mean(np.sign(dw[moved]) == np.sign(modulator[moved])))


def _between_spike_steps(spikes) -> np.ndarray:
    return ~np.any(spikes != 0, axis=1)


def run_fig1(config: dict, seed: int, progress: Callable[..., Any]) -> Result:
    """Fig. 1: MSTDP, MSTDPET and RLSTDP on one synapse; the equations checked."""
    result = Result()
    w0 = np.array([[0.0, config["w0"]], [0.0, 0.0]])  # only j=0 -> i=1 is a synapse
    spikes, rewards = notebook_protocol(config)
    keys = _rule_keys(config, 0, 2)
    mstdp = drive(MSTDP, keys, spikes, rewards, w0)
    mstdpet = drive(MSTDPET, {**keys, "tau_z": float(config["tau_z"])}, spikes, rewards, w0)
    ref_mstdp = _reference(config, spikes, rewards, w0, 0)
    ref_et = _reference(config, spikes, rewards, w0, 0, tau_z=config["tau_z"])

    # the same parts on a seeded random network and reward sequence
    rs, rr = random_protocol(config, job_rng(seed, name="florian2007.fig1/protocol"))
    n_in, n_nr = config["random_inputs"], config["random_neurons"]
    rw0 = job_rng(seed, name="florian2007.fig1/weights").uniform(0, 1, (n_in + n_nr, n_nr))
    rkeys = _rule_keys(config, n_in, n_nr)
    r_mstdp = drive(MSTDP, rkeys, rs, rr, rw0)
    r_et = drive(MSTDPET, {**rkeys, "tau_z": float(config["tau_z"])}, rs, rr, rw0)
    rref_mstdp = _reference(config, rs, rr, rw0, n_in)
    rref_et = _reference(config, rs, rr, rw0, n_in, tau_z=config["tau_z"])

    err = _equation_checks(
        result, (mstdp, ref_mstdp, r_mstdp, rref_mstdp), (mstdpet, ref_et, r_et, rref_et)
    )

    # the STDP window in closed form: at step t, zeta = f_i(t) sum_pre A+ e^(-(t - t_pre)/tau+)
    # + f_j(t) sum_post A- e^(-(t - t_post)/tau-), over all earlier spikes (all-to-all)
    zeta = mstdp["zeta"][:, 0, 1]
    expected = closed_form_zeta(config, spikes)
    window_err = float(np.max(np.abs(zeta - expected)) / np.max(np.abs(expected)))
    result.check(
        "stdp_window",
        window_err,
        "<=",
        1e-12,
        description="max |zeta - closed form| / max |closed form| of MSTDP on the notebook "
        "protocol, where the closed form sums A+ e^(-(t - t_pre)/tau+) over earlier pre spikes "
        "at each post spike and A- e^(-(t - t_post)/tau-) over earlier post spikes at each pre spike",
    )

    # where the weights move: MSTDP only at spikes, MSTDPET also between them
    quiet = _between_spike_steps(spikes)
    rquiet = _between_spike_steps(rs)
    dw_m = np.diff(np.concatenate([w0[None], mstdp["w"]]), axis=0)
    dw_e = np.diff(np.concatenate([w0[None], mstdpet["w"]]), axis=0)
    rdw_m = np.diff(np.concatenate([rw0[None], r_mstdp["w"]]), axis=0)
    rdw_e = np.diff(np.concatenate([rw0[None], r_et["w"]]), axis=0)
    moved_quiet = int(np.sum(np.abs(dw_m[quiet]) > 0) + np.sum(np.abs(rdw_m[rquiet]) > 0))
    result.check(
        "mstdp_quiet_changes",
        moved_quiet,
        "<=",
        0,
        description="weight changes by MSTDP at steps where no neuron spiked (both protocols)",
    )
    et_quiet_share = float(np.sum(np.abs(dw_e[quiet])) / max(np.sum(np.abs(dw_e)), 1e-300))
    result.check(
        "mstdpet_quiet_share",
        et_quiet_share,
        ">=",
        0.5,
        description="share of MSTDPET's total |weight change| made at steps without a spike "
        "(the eligibility trace carries the pairing forward in time)",
    )
    z = mstdpet["z"][:, 0, 1]
    decay = np.exp(-1.0 / config["tau_z"])
    between = quiet[1:] & (np.abs(z[:-1]) > 1e-12)
    decay_err = float(np.max(np.abs(z[1:][between] / z[:-1][between] - decay)))
    result.check(
        "z_decay",
        decay_err,
        "<=",
        1e-12,
        description="max |z(t+1)/z(t) - e^(-1/tau_z)| of MSTDPET's eligibility trace between spikes",
    )

    # signs: dw follows r*zeta (MSTDP) and r*z (MSTDPET); per pairing, + or - as in Fig. 1
    _sign_checks(result, (dw_m, rdw_m, dw_e, rdw_e), (rewards, rr), (mstdp, r_mstdp, mstdpet, r_et))
    rl = _pairing_checks(result, config, spikes, rewards, w0, mstdp, mstdpet)

    result.metrics.update(
        {
            "mstdp_w_final": float(mstdp["w"][-1, 0, 1]),
            "mstdpet_w_final": float(mstdpet["w"][-1, 0, 1]),
            "rlstdp_w_final": float(rl[-1]),
            "mstdpet_z_peak": float(np.max(np.abs(z))),
            "random_protocol_spikes": int(np.sum(rs != 0)),
        }
    )
    result.figures.update(
        {
            "spikes": spikes,
            "rewards": rewards,
            "pre_trace": ref_et["pre_trace"][:, 0],
            "post_trace": ref_et["post_trace"][:, 1],
            "zeta": zeta,
            "z": z,
            "w_mstdp": mstdp["w"][:, 0, 1],
            "w_mstdpet": mstdpet["w"][:, 0, 1],
            "w_rlstdp": rl,
            "w0": float(config["w0"]),
        }
    )
    result.text = (
        f"final weight from {config['w0']}: MSTDP {result.metrics['mstdp_w_final']:.4f}, "
        f"MSTDPET {result.metrics['mstdpet_w_final']:.4f}, RLSTDP "
        f"{result.metrics['rlstdp_w_final']:.4f}; parts vs equations {err:.1e}"
    )
    return result


def _equation_checks(result: Result, mstdp_runs: tuple, et_runs: tuple) -> float:
    """The parts against the equations written as loops (notebook and random protocols):
    checks ``mstdp_vs_equations`` and ``mstdpet_vs_equations``; return the larger error."""
    mstdp, ref_mstdp, r_mstdp, rref_mstdp = mstdp_runs
    mstdpet, ref_et, r_et, rref_et = et_runs
    err_mstdp = max(
        np.max(np.abs(mstdp["w"] - ref_mstdp["w"][1:])),
        np.max(np.abs(r_mstdp["w"] - rref_mstdp["w"][1:])),
    )
    err_et = max(
        np.max(np.abs(mstdpet["w"] - ref_et["w"][1:])),
        np.max(np.abs(mstdpet["z"] - ref_et["z"])),
        np.max(np.abs(r_et["w"] - rref_et["w"][1:])),
        np.max(np.abs(r_et["z"] - rref_et["z"])),
    )
    result.check(
        "mstdp_vs_equations",
        err_mstdp,
        "<=",
        TOL,
        description="max |w| difference of synapse.MSTDP from the equations written as loops, "
        "every step, notebook and random protocols",
    )
    result.check(
        "mstdpet_vs_equations",
        err_et,
        "<=",
        TOL,
        description="max |w| and |z| difference of synapse.MSTDPET from the equations, every "
        "step, notebook and random protocols",
    )
    return max(err_mstdp, err_et)


def _sign_checks(result: Result, changes: tuple, reward_seqs: tuple, runs: tuple) -> None:
    """Checks that every weight change has the sign of r*zeta (MSTDP) and r*z (MSTDPET)."""
    dw_m, rdw_m, dw_e, rdw_e = changes
    rewards, rr = reward_seqs
    mstdp, r_mstdp, mstdpet, r_et = runs
    sign_m = min(
        _sign_agreement(dw_m, rewards[:, None, None] * mstdp["zeta"]),
        _sign_agreement(rdw_m, rr[:, None, None] * r_mstdp["zeta"]),
    )
    sign_e = min(
        _sign_agreement(dw_e, rewards[:, None, None] * mstdpet["z"]),
        _sign_agreement(rdw_e, rr[:, None, None] * r_et["z"]),
    )
    result.check(
        "mstdp_sign_r_zeta",
        sign_m,
        ">=",
        1.0,
        description="share of MSTDP's weight changes with the sign of r*zeta",
    )
    result.check(
        "mstdpet_sign_r_z",
        sign_e,
        ">=",
        1.0,
        description="share of MSTDPET's weight changes with the sign of r*z",
    )


def _pairing_checks(result, config, spikes, rewards, w0, mstdp, mstdpet) -> np.ndarray:
    """Per pairing of the notebook protocol, each rule's weight change and whether it has
    Fig. 1's sign; return RLSTDP's weight path."""
    rl = drive_rlstdp(config, spikes, rewards, w0)
    pairing_ok = {"mstdp": 0, "mstdpet": 0, "rlstdp": 0}
    for name, start, end, sign in PAIRINGS:
        for rule, trace in (("mstdp", mstdp["w"]), ("mstdpet", mstdpet["w"]), ("rlstdp", rl)):
            w_path = trace[:, 0, 1] if trace.ndim == 3 else trace
            change = float(w_path[min(end, len(w_path)) - 1] - w_path[start - 1])
            result.metrics[f"{rule}_dw_{name}"] = change
            pairing_ok[rule] += int(np.sign(change) == sign)
    # the pairing windows are those of the notebook's spike times and reward flip
    notebook = all(config[k] == DEFAULTS[k] for k in ("pre_times", "post_times", "reward_flip"))
    for rule in ("mstdp", "mstdpet"):
        result.check(
            f"{rule}_pairing_signs",
            pairing_ok[rule],
            ">=",
            len(PAIRINGS),
            gating=notebook,
            description=f"{rule.upper()}: pairings whose weight change has Fig. 1's sign "
            "(pre->post +, post->pre - under r>0; reversed under r<0), of 4 (gating on the "
            "notebook's spike times and reward flip only)",
        )
    result.check(
        "rlstdp_pairing_signs",
        pairing_ok["rlstdp"],
        ">=",
        len(PAIRINGS),
        gating=False,
        description="the same count for the framework's RLSTDP (reported beside them)",
    )
    return rl


def drive_rlstdp(
    config: dict, spikes: np.ndarray, rewards: np.ndarray, w0: np.ndarray
) -> np.ndarray:
    """The notebook's "Ours" panel: ``synapse.RLSTDP`` on the same spikes and rewards;
    the weight j -> i after every step."""
    w = weight.Manual(
        n_inputs=0, n_neurons=2, max_weight=MAX_WEIGHT, matrix=np.array(w0, dtype=float)
    )
    part = RLSTDP(
        w,
        n_inputs=0,
        n_neurons=2,
        stdp_window=int(config["rlstdp_window"]),
        learning_rate=float(config["rlstdp_learning_rate"]),
        trace_decay=1.0,
    )
    part.reset()
    pol = np.ones(2)
    path = []
    for t in range(spikes.shape[0]):
        part.update(spikes[: t + 1], pol)
        part.reward(float(rewards[t]))
        path.append(float(w.matrix[0, 1]))
    return np.asarray(path)
