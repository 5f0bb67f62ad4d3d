"""Fig. 2 of Izhikevich (2007): classical (Pavlovian) conditioning of one stimulus among 100.

Protocol (paper, as restated by Knight et al. 2021): 100 random groups S1..S100 of
``group_size`` neurons; every 100–300 ms (uniform integer) one group drawn at random
gets a 1 ms input of ``stim_amount``; only S1 is followed by a reward, 0–1 s later
(uniform). The response to a stimulus is the number of spikes of the whole network in
the ``response_ms`` after its onset.

Open details chosen here (parameters): each group is drawn independently from all
neurons (``group_pool="all"``; groups may overlap, as with independent random draws);
"after 1 h" is the last ``measure_s`` of the run; "at t = 0" is a probe before training
(plasticity frozen; ``probe_n`` presentations of S1 and as many of random other groups,
at the protocol's 100–300 ms intervals) because the first minutes of training already
single S1 out (the first-10-min ratio is reported too; it reached 1.26 on seed 1). The
same probe after training is reported. The weight ratio compares the mean plastic outgoing weight of S1's excitatory neurons with that of
all other excitatory neurons. Since the schedule does not depend on the network, it is
drawn in advance from a stream that depends on the seed only, so the no-reward control
(``reward=False``) sees the same groups and the same stimulus sequence.
"""

from __future__ import annotations

import numpy as np

from spikey.experiments.izh2007 import common
from spikey.experiments.registry import Result
from spikey.module import config_error

DEFAULTS = {
    **common.ENGINE_DEFAULTS,
    "duration_s": 3600,
    "n_groups": 100,
    "group_size": 50,
    "group_pool": "all",  # "all" neurons or "exc" only
    "stim_amount": 40.0,
    "isi_min_ms": 100,
    "isi_max_ms": 300,
    "reward": True,
    "reward_amount": 0.5,
    "reward_delay_max_ms": 1000,
    "response_ms": 50,
    "measure_s": 600,
    "snapshot_s": 60,
    "chunk_ms": 1000,
    "response_ratio_min": 1.5,  # a quorum claim (2 of every 3 seeds)
    # every seed (issue 19, decision 3): far beyond the null 0.99 ± 0.02 (nulls.json)
    "response_ratio_floor": 1.2,
    "weight_ratio_min": 1.3,
    "start_ratio_tol": 0.25,  # "≈ 1" at the start: within 1 ± tol
    "probe_n": 30,
}

QUICK = {
    "duration_s": 1200,
    "measure_s": 300,
    "response_ratio_min": 1.15,
    "weight_ratio_min": 1.3,
}


def make_schedule(rng, duration_ms, n_groups, isi_min, isi_max, reward_delay_max):
    """Onsets, the group of each, and the reward times (after S1 = group 0)."""
    onsets, t = [], 0
    while True:
        t += int(rng.integers(isi_min, isi_max + 1))
        if t >= duration_ms:
            break
        onsets.append(t)
    onsets = np.array(onsets, np.int64)
    groups = rng.integers(0, n_groups, size=onsets.size)
    rewards = onsets[groups == 0] + rng.integers(
        0, reward_delay_max + 1, size=int((groups == 0).sum())
    )
    return onsets, groups, np.sort(rewards[rewards < duration_ms])


def make_groups(rng, net, config) -> np.ndarray:
    """``n_groups`` stimulus groups of ``group_size`` neurons (row 0 is S1)."""
    if config["group_pool"] not in ("all", "exc"):
        raise ValueError(
            f"izh2007.fig2: key 'group_pool' got {config['group_pool']!r}; expected 'all' or 'exc'"
        )
    pool = np.arange(net.n if config["group_pool"] == "all" else net.n_exc)
    k, size = int(config["n_groups"]), int(config["group_size"])
    return np.array([rng.choice(pool, size, replace=False) for _ in range(k)])


def probe(net, groups, config, rng) -> float:
    """S1 response / others' response with plasticity frozen (whole-network spikes)."""
    n, k = int(config["probe_n"]), len(groups)
    which_p = rng.permutation(np.concatenate([np.zeros(n, np.int64), rng.integers(1, k, size=n)]))
    gaps = rng.integers(int(config["isi_min_ms"]), int(config["isi_max_ms"]) + 1, size=2 * n)
    ons = np.concatenate([[0], np.cumsum(gaps[:-1])])
    total = int(ons[-1] + gaps[-1])
    net.plasticity = False
    tp = net.t
    sp = net.run(
        total,
        stimuli=common.stimulus_arrays(
            [(int(t), groups[g], float(config["stim_amount"])) for t, g in zip(ons, which_p)],
            total,
        ),
    )
    net.plasticity = True
    r = common.window_counts(sp.t - tp, ons, int(config["response_ms"]))
    return float(r[which_p == 0].mean() / r[which_p != 0].mean())


def train(net, groups, schedule, config, progress, desc="fig2") -> dict:
    """The protocol: stimuli and S1's rewards in chunks; network spikes per ms, S1's and the
    other excitatory neurons' mean outgoing weight every ``snapshot_s``, and the network's
    spikes around the first and last S1 presentations."""
    onsets, which, rewards = schedule
    duration = int(config["duration_s"]) * 1000
    s1_exc = common.mask(net.n, groups[0][groups[0] < net.n_exc])
    rest_exc = ~s1_exc
    rest_exc[net.n_exc :] = False
    plastic = net.plastic.copy()
    pre = np.asarray(net.pre)
    log = {
        "counts": np.zeros(duration + 1, np.int32),  # network spikes per ms
        "snap_t": [],
        "w_s1": [],
        "w_rest": [],
        "raster_s1": [],  # [first, last] S1 presentation with room for a raster
    }

    def snapshot(t_ms):
        w = net.weights()
        log["snap_t"].append(t_ms / 1000)
        log["w_s1"].append(common.mean_outgoing(w, pre, s1_exc, plastic))
        log["w_rest"].append(common.mean_outgoing(w, pre, rest_exc, plastic))

    snapshot(0)
    chunk, snap_every = int(config["chunk_ms"]), int(config["snapshot_s"]) * 1000
    bar = common.Progress(progress, duration, desc)
    t0 = net.t
    amount = float(config["stim_amount"])
    # onsets and rewards are sorted: each chunk's share is a slice (no mask over the run)
    bounds = np.arange(0, duration + chunk, chunk).clip(max=duration)
    on_at, rw_at = np.searchsorted(onsets, bounds), np.searchsorted(rewards, bounds)
    for c, start in enumerate(range(0, duration, chunk)):
        length = min(chunk, duration - start)
        ons, grp = onsets[on_at[c] : on_at[c + 1]], which[on_at[c] : on_at[c + 1]]
        events = [(int(t - start), groups[g], amount) for t, g in zip(ons, grp)]
        spikes = net.run(
            length,
            stimuli=common.stimulus_arrays(events, length),
            rewards=common.reward_arrays(
                rewards[rw_at[c] : rw_at[c + 1]] - start, config["reward_amount"], length
            ),
        )
        st = spikes.t - t0
        log["counts"][start : start + length] += np.bincount(st - start, minlength=length).astype(
            np.int32
        )
        for t in ons[grp == 0]:
            if t - 20 >= start and t + 80 <= start + length:
                item = (t, st, spikes.i)
                log["raster_s1"] = [log["raster_s1"][0] if log["raster_s1"] else item, item]
        end = start + length
        if end % snap_every == 0 or end == duration:
            snapshot(end)
        bar.tick(length)
    bar.close()
    return log


def responses(counts, onsets, width) -> np.ndarray:
    """Network spikes in ``[onset, onset + width)`` for each onset, from spikes per ms."""
    csum = np.concatenate([[0], np.cumsum(counts)])
    return csum[np.minimum(onsets + width, counts.size)] - csum[onsets]


def measure(log, schedule, probes, config, n_neurons) -> dict:
    """Response and weight ratios (start: the frozen probe; end: the last ``measure_s``)."""
    onsets, which, rewards = schedule
    counts, w_s1, w_rest = log["counts"], log["w_s1"], log["w_rest"]
    duration = int(config["duration_s"]) * 1000
    resp = responses(counts, onsets, int(config["response_ms"]))
    window = int(config["measure_s"]) * 1000
    early, late = onsets < window, onsets >= duration - window
    s1 = which == 0

    def ratio(part):
        return float(resp[part & s1].mean() / resp[part & ~s1].mean())

    return {
        "response_ratio_end": ratio(late),
        "response_ratio_start": probes[0],
        "response_ratio_first_window": ratio(early),
        "response_ratio_probe_end": probes[1],
        "weight_ratio_end": w_s1[-1] / w_rest[-1],
        "weight_ratio_start": w_s1[0] / w_rest[0],
        "s1_response_end": float(resp[late & s1].mean()),
        "others_response_end": float(resp[late & ~s1].mean()),
        "s1_response_start": float(resp[early & s1].mean()),
        "others_response_start": float(resp[early & ~s1].mean()),
        "s1_weight_end": w_s1[-1],
        "others_weight_end": w_rest[-1],
        "n_s1": int(s1.sum()),
        "n_rewards": int(rewards.size),
        "rate_hz": float(counts.sum() / (n_neurons * duration / 1000)),
    }


def check_timing(config: dict) -> None:
    """Refuse a chunk or snapshot length the chunk loop cannot keep (each snapshot falls at
    the end of a chunk) before building anything."""
    snap = config["snapshot_s"]
    common.check_range("izh2007.fig2", config, "snapshot_s", 1, float("inf"), "seconds >= 1")
    chunk = config["chunk_ms"]
    ok = not isinstance(chunk, bool) and isinstance(chunk, (int, np.integer))
    if not (ok and 1 <= chunk and (int(snap) * 1000) % chunk == 0):
        raise config_error(
            "izh2007.fig2", "chunk_ms", chunk, f"an integer >= 1 ms dividing snapshot_s = {snap} s"
        )


def run_fig2(config, seed, progress) -> Result:
    """Pair S1 with delayed reward among 100 stimuli; return responses and weights over time."""
    check_timing(config)
    # groups, schedule and probes: named streams of the seed, shared with the control
    net = common.build_network(config, seed)
    groups = make_groups(common.structure_rng(seed, "fig2/groups"), net, config)
    duration = int(config["duration_s"]) * 1000
    onsets, which, rewards = make_schedule(
        common.structure_rng(seed, "fig2/schedule"),
        duration,
        len(groups),
        int(config["isi_min_ms"]),
        int(config["isi_max_ms"]),
        int(config["reward_delay_max_ms"]),
    )
    if not config["reward"]:
        rewards = rewards[:0]
    schedule = (onsets, which, rewards)
    probe_rng = common.structure_rng(seed, "fig2/probes")
    probe_start = probe(net, groups, config, probe_rng)
    log = train(net, groups, schedule, config, progress, f"fig2 seed {seed}")
    probe_end = probe(net, groups, config, probe_rng)
    res = Result()
    res.metrics.update(measure(log, schedule, (probe_start, probe_end), config, net.n))
    criteria(res, res.metrics, config)
    counts, raster_s1 = log["counts"], log["raster_s1"]
    snap_t, w_s1, w_rest = log["snap_t"], log["w_s1"], log["w_rest"]
    s1 = which == 0
    width = int(config["response_ms"])
    resp = responses(counts, onsets, width)
    r_start, r_end = probe_start, res.metrics["response_ratio_end"]
    wr_start, wr_end = res.metrics["weight_ratio_start"], res.metrics["weight_ratio_end"]

    # figure data: responses binned per 5 min, and the network's spikes around the first and
    # last S1 presentations
    bins = np.arange(0, duration + 1, 300_000)
    idx = np.digitize(onsets, bins) - 1
    nb = bins.size - 1 if bins[-1] == duration else bins.size
    s1_curve = np.array(
        [resp[(idx == b) & s1].mean() if ((idx == b) & s1).any() else np.nan for b in range(nb)]
    )
    other_curve = np.array([resp[(idx == b) & ~s1].mean() for b in range(nb)])
    res.figures.update(
        {
            "bin_t_s": (bins[:nb] + 150_000) / 1000,
            "s1_curve": s1_curve,
            "other_curve": other_curve,
            "s1_onsets_s": onsets[s1] / 1000,
            "s1_resp": resp[s1].astype(np.int32),
            "snap_t_s": np.array(snap_t),
            "w_s1": np.array(w_s1),
            "w_rest": np.array(w_rest),
            "raster_first": _raster_around(raster_s1[:1]),
            "raster_last": _raster_around(raster_s1[-1:]),
            "n_exc": net.n_exc,
            "n": net.n,
            "s1_members": np.sort(groups[0]),
            "psth_first": _psth(counts, onsets[s1][:10]),
            "psth_last": _psth(counts, onsets[s1][-10:]),
            "reward": bool(config["reward"]),
        }
    )
    res.text = (
        f"fig2 seed {seed} reward {config['reward']}: response ratio {r_start:.2f} -> "
        f"{r_end:.2f}, weight ratio {wr_start:.2f} -> {wr_end:.2f} "
        f"(S1 {res.metrics['s1_response_start']:.0f} -> {res.metrics['s1_response_end']:.0f}"
        f" spikes/{width} ms, others {res.metrics['others_response_start']:.0f} -> "
        f"{res.metrics['others_response_end']:.0f})"
    )
    return res


def criteria(res: Result, metrics: dict, config: dict) -> None:
    """The pass/fail checks of Fig. 2 on measured ``metrics``.

    The weight ratio at t = 0 is not checked: every excitatory weight starts at the same
    value, so it is 1 by construction. Controls are two-sided: a ratio of a no-reward run
    must lie within [1/min, min] of the rewarded run's bar. Runs shorter than an hour (the
    quick run) report the response ratio and gate on the weight ratio: 20 min are too few
    for the response to leave its null (``nulls.json``).
    """
    gate_response = int(config["duration_s"]) >= 3600
    window_s = int(config["measure_s"])
    r_min, w_min = float(config["response_ratio_min"]), float(config["weight_ratio_min"])
    if config["reward"]:
        res.check(
            "response_ratio_end",
            metrics["response_ratio_end"],
            ">=",
            r_min,
            gating=gate_response,
            description=f"S1 response / mean response to the others, last {window_s} s "
            "(quorum over seeds)",
        )
        res.check(
            "response_ratio_floor",
            metrics["response_ratio_end"],
            ">=",
            float(config["response_ratio_floor"]),
            gating=gate_response,
            description=f"S1 response / others' response, last {window_s} s (every seed: "
            "far beyond its null)",
        )
        res.check(
            "weight_ratio_end",
            metrics["weight_ratio_end"],
            ">=",
            w_min,
            description="mean outgoing weight of S1's excitatory neurons / the rest, at the end",
        )
    else:
        res.check(
            "control_response_ratio_end",
            metrics["response_ratio_end"],
            "between",
            (1 / r_min, r_min),
            gating=gate_response,
            description="no-reward control: S1's response ratio stays within "
            f"[1/{r_min:g}, {r_min:g}] (neither singled out nor suppressed)",
        )
        res.check(
            "control_weight_ratio_end",
            metrics["weight_ratio_end"],
            "between",
            (1 / w_min, w_min),
            description=f"no-reward control: S1's weight ratio stays within [1/{w_min:g}, {w_min:g}]",
        )
    tol = float(config["start_ratio_tol"])
    res.check(
        "response_ratio_start",
        metrics["response_ratio_start"],
        "between",
        (1 - tol, 1 + tol),
        description="S1 response / others' response in a probe before training, "
        "plasticity frozen (≈ 1)",
    )


def _raster_around(items, before=20, after=80):
    """Spikes of the chunk holding an S1 onset, within [onset - before, onset + after)."""
    if not items:
        return None
    t, st, si = items[0]
    sel = (st >= t - before) & (st < t + after)
    return {"t_ms": st[sel] - t, "i": si[sel]}


def _psth(counts, onsets, before=20, after=80):
    """Mean network spikes per ms around the given onsets."""
    rows = [
        counts[t - before : t + after] for t in onsets if t >= before and t + after <= counts.size
    ]
    if not rows:
        return None
    return {"t_ms": np.arange(-before, after), "rate": np.mean(rows, axis=0)}
