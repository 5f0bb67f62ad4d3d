"""Fig. 1a–c of Izhikevich (2007): one synapse, one pairing, one dopamine pulse.

The synapse follows the author's update cadence (the ``stepped`` rule of the network
engine): a nearest-spike STDP event moves the eligibility trace ``c``; every ms ``d``
decays; every 10 ms ``w <- clip(w + (tonic + d) * c, 0, w_max)`` and then ``c <- 0.99 c``.
Spikes are imposed (no neuron dynamics): the figure is about the synaptic rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SYNAPSE_DEFAULTS = {
    "a_plus": 0.1,  # LTP amplitude (pre before post)
    "a_minus": 0.15,  # LTD amplitude (post before pre)
    "stdp_decay": 0.95,  # STDP window: trace factor per ms (tau ~ 20 ms)
    "c_decay": 0.99,  # eligibility factor per weight update (tau_c ~ 1 s)
    "d_decay": 0.995,  # dopamine factor per ms (tau_d ~ 0.2 s)
    "update_every_ms": 10,  # weight-update period
    "tonic_da": 0.002,  # constant dopamine added in the weight update
    "w_max": 4.0,
    "delay_ms": 1,  # axonal delay: the pre spike reaches the synapse this much later
}


@dataclass
class SynapseTrace:
    """Per-ms traces of one synapse: ``t`` (ms), eligibility ``c``, dopamine ``d``, weight ``w``."""

    t: np.ndarray
    c: np.ndarray
    d: np.ndarray
    w: np.ndarray


def simulate_synapse(
    duration_ms, pre_ms=(), post_ms=(), reward_ms=(), w0=1.0, reward_amount=0.5, **params
) -> SynapseTrace:
    """Run one synapse for ``duration_ms`` with imposed spikes and dopamine pulses.

    Conventions are the network engine's (the author's program): a pre spike at ms t
    reaches the synapse at t + delay - 1. Within ms t: a post spike at t adds LTP
    ``a_plus * decay**(t - 1 - last arrival)``; an arrival at t adds LTD
    ``-a_minus * decay**(t - last post spike)``; d decays; when ``(t + 1)`` is a multiple
    of ``update_every_ms`` the weight moves by ``(tonic + d) * c`` (clipped) and c decays;
    then this ms's reward pulse is added to d.
    """
    p = dict(SYNAPSE_DEFAULTS)
    unknown = set(params) - set(p)
    if unknown:
        raise ValueError(
            f"simulate_synapse: unknown parameter(s) {sorted(unknown)}; "
            f"expected some of {sorted(p)}"
        )
    p.update(params)
    duration_ms = int(duration_ms)
    if duration_ms <= 0:
        raise ValueError(f"simulate_synapse: duration_ms got {duration_ms}; expected > 0")
    if int(p["delay_ms"]) < 1:
        raise ValueError(f"simulate_synapse: delay_ms got {p['delay_ms']}; expected >= 1")
    for name, times in (("pre_ms", pre_ms), ("post_ms", post_ms), ("reward_ms", reward_ms)):
        arr = np.asarray(times, dtype=np.int64)
        if arr.size and (arr.min() < 0 or arr.max() >= duration_ms):
            raise ValueError(
                f"simulate_synapse: {name} got times outside [0, {duration_ms}): {arr.tolist()}"
            )
    arrivals = np.zeros(duration_ms + int(p["delay_ms"]), bool)
    arrivals[np.asarray(pre_ms, np.int64) + int(p["delay_ms"]) - 1] = True
    posts = np.zeros(duration_ms, bool)
    posts[np.asarray(post_ms, np.int64)] = True
    pulses = np.zeros(duration_ms)
    np.add.at(pulses, np.asarray(reward_ms, np.int64), reward_amount)

    t_arr = t_post = None
    c = d = 0.0
    w = float(w0)
    out_c, out_d, out_w = (np.empty(duration_ms) for _ in range(3))
    for t in range(duration_ms):
        if posts[t] and t_arr is not None:
            c += p["a_plus"] * p["stdp_decay"] ** (t - 1 - t_arr)
        if posts[t]:
            t_post = t
        if arrivals[t]:
            t_arr = t
            if t_post is not None:
                c -= p["a_minus"] * p["stdp_decay"] ** (t - t_post)
        d *= p["d_decay"]
        if (t + 1) % p["update_every_ms"] == 0:
            w = min(max(w + (p["tonic_da"] + d) * c, 0.0), p["w_max"])
            c *= p["c_decay"]
        d += pulses[t]
        out_c[t], out_d[t], out_w[t] = c, d, w
    return SynapseTrace(np.arange(duration_ms), out_c, out_d, out_w)


def pulse_effect(
    order, reward_delay_ms, pair_gap_ms=10, t_first_ms=200, duration_ms=12000, **params
) -> tuple[float, float, SynapseTrace]:
    """Weight change caused by one dopamine pulse after one pairing.

    ``order`` is ``"pre-post"`` or ``"post-pre"``; the pulse comes ``reward_delay_ms``
    after the second spike. Returns (Δw caused by the pulse, total Δw, trace). The
    pulse's share is the difference to the same pairing without the pulse, so the
    slow drift from tonic dopamine is not credited to the pulse.
    """
    first, second = t_first_ms, t_first_ms + pair_gap_ms
    pre, post = ([first], [second]) if order == "pre-post" else ([second], [first])
    if order not in ("pre-post", "post-pre"):
        raise ValueError(f"pulse_effect: order got {order!r}; expected 'pre-post' or 'post-pre'")
    reward = [second + int(reward_delay_ms)]
    with_pulse = simulate_synapse(duration_ms, pre, post, reward, **params)
    without = simulate_synapse(duration_ms, pre, post, (), **params)
    w0 = with_pulse.w[0]
    return (float(with_pulse.w[-1] - without.w[-1]), float(with_pulse.w[-1] - w0), with_pulse)


EXPERIMENT_DEFAULTS = {
    **SYNAPSE_DEFAULTS,
    "pair_gap_ms": 10,  # post 10 ms after pre (or pre 10 ms after post)
    "early_delay_ms": 1000,  # the pulse that should work
    "late_delay_ms": 5000,  # the pulse that should not
    "late_max_fraction": 0.02,
    "w0": 1.0,
    "reward_amount": 0.5,
    "sweep_max_ms": 6000,
    "sweep_step_ms": 250,
}


def run_synapse(config, seed, progress):
    """One synapse: pre→post pairing, then a dopamine pulse after 1 s or 5 s; post→pre pairing.

    Deterministic (no random draws): the seed is ignored. Δw is the weight change the
    pulse causes (against the same pairing without a pulse), so tonic dopamine's slow
    drift is not credited to the pulse.
    """
    from spikey.experiments.registry import Result

    p = {k: config[k] for k in SYNAPSE_DEFAULTS}
    kw = dict(
        pair_gap_ms=int(config["pair_gap_ms"]),
        w0=float(config["w0"]),
        reward_amount=float(config["reward_amount"]),
        **p,
    )
    duration = int(config["late_delay_ms"]) + 7000
    early, early_total, tr_early = pulse_effect(
        "pre-post", config["early_delay_ms"], duration_ms=duration, **kw
    )
    late, late_total, tr_late = pulse_effect(
        "pre-post", config["late_delay_ms"], duration_ms=duration, **kw
    )
    anti, anti_total, tr_anti = pulse_effect(
        "post-pre", config["early_delay_ms"], duration_ms=duration, **kw
    )
    delays = np.arange(0, int(config["sweep_max_ms"]) + 1, int(config["sweep_step_ms"]))
    sweep = np.array(
        [
            pulse_effect("pre-post", dl, duration_ms=int(config["sweep_max_ms"]) + 3000, **kw)[0]
            for dl in delays
        ]
    )
    res = Result()
    res.metrics.update(
        {
            "dw_early": early,
            "dw_late": late,
            "dw_post_pre": anti,
            "dw_early_total": early_total,
            "dw_late_total": late_total,
            "dw_post_pre_total": anti_total,
            "late_fraction": late / early if early else float("nan"),
        }
    )
    res.check(
        "dw_pulse_1s",
        early,
        ">",
        0.0,
        description=f"Δw caused by a pulse {config['early_delay_ms']} ms after a pre→post pairing",
    )
    res.check(
        "late_over_early",
        late / early if early > 0 else float("nan"),
        "<",
        float(config["late_max_fraction"]),
        description=f"Δw from a pulse {config['late_delay_ms']} ms later, as a fraction of the 1 s one",
    )
    res.check(
        "dw_post_pre", anti, "<", 0.0, description="Δw caused by the pulse after a post→pre pairing"
    )
    res.check(
        "dw_post_pre_total",
        anti_total,
        "<",
        0.0,
        description="total Δw after a post→pre pairing and a pulse (tonic drift included)",
    )
    step = 5
    res.figures.update(
        {
            "traces": {
                name: {
                    "t_ms": tr.t[::step],
                    "c": tr.c[::step],
                    "d": tr.d[::step],
                    "w": tr.w[::step],
                }
                for name, tr in (
                    ("pre-post, pulse +1 s", tr_early),
                    ("pre-post, pulse +5 s", tr_late),
                    ("post-pre, pulse +1 s", tr_anti),
                )
            },
            "t_pair_ms": 200,
            "gap_ms": int(config["pair_gap_ms"]),
            "early_ms": int(config["early_delay_ms"]),
            "late_ms": int(config["late_delay_ms"]),
            "sweep_delay_ms": delays,
            "sweep_dw": sweep,
        }
    )
    res.text = (
        f"fig1-synapse: Δw(pulse +{config['early_delay_ms']} ms) = {early:.4f}, "
        f"Δw(+{config['late_delay_ms']} ms) = {late:.5f} ({100 * late / early:.2f} %), "
        f"post→pre Δw = {anti:.4f}"
    )
    return res
