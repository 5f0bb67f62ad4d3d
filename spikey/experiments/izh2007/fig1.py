"""Fig. 1d–e of Izhikevich (2007): one synapse among ~80 000 is reinforced by delayed reward.

Protocol (the author's program ``daspnet.m``): a chosen excitatory synapse starts at
w = 0. Whenever its postsynaptic neuron fires less than ``window_ms`` after the last
spike of its presynaptic neuron (strictly later, as in the program), a reward
(d += ``reward_amount``) is scheduled a uniform integer 1001–3000 ms later (several may
be pending). The text of the paper says "~10 ms": run that with ``window_ms=10``; the
no-reward control is ``reward=False``; both share the network of their seed.

Delivery of repeated synapses: targets are drawn with replacement, so a neuron has on
average ~5 pairs of synapses onto the same neuron ("twins"). The engine's ``duplicates``
rule (config key ``duplicates``, shared by every figure) decides: ``"last"`` (default, the
author's program: MATLAB's ``I(ind) = I(ind) + s(...)'`` keeps only the last of repeated
indices) lets only the last twin deliver, ``"sum"`` lets each deliver. Every twin stays
plastic either way, so the weight statistics are over all excitatory synapses.

Open details chosen here (parameters): the presynaptic neuron is neuron ``target_pre``
(the program uses neuron 1 and its first synapse, whose target is any of the 1000 neurons);
the target is its first synapse without a twin onto another *excitatory* neuron
(``target_post="any"``: onto any neuron, as in the program). The choice matters: with a
target onto an inhibitory neuron the 10 ms window gives ~35–65 rewards/h, onto an
excitatory one ~105–130. "The target weight" in the criteria is its mean over the last
``final_window_s``. The 99th-percentile comparison is made like with like: every
excitatory weight (the target's too) is averaged over samples every ``avg_every_s``
in that window, and the target's average is compared with the 99th percentile of the
averages. (At the end of the hour 0.2–0.5 % of all excitatory synapses sit at the 4 mV
ceiling with ``duplicates="last"``, 1–2 % with ``"sum"``, so a comparison of the target's
10-min mean with a snapshot percentile would require the target never to leave the
ceiling.) The snapshot comparison is reported too.
"""

from __future__ import annotations

import math

import numpy as np

from spikey.experiments.izh2007 import common
from spikey.experiments.registry import Result

DEFAULTS = {
    **common.ENGINE_DEFAULTS,
    "duration_s": 3600,
    "window_ms": 20,
    "reward": True,
    "reward_amount": 0.5,
    "reward_delay_min_ms": 1000,  # delay drawn uniformly from (min, max] ms
    "reward_delay_max_ms": 3000,
    "target_pre": 0,
    "target_post": "excitatory",  # "excitatory" or "any" (the program's n1's first synapse)
    "target_w0": 0.0,
    "final_window_s": 600,
    "snapshot_s": 60,
    "avg_every_s": 10,
    "chunk_ms": 1000,
    "target_percentile": 99.0,  # the percentile reported beside the target
    # pass thresholds (the quick run lowers them to what 40 min can show; see nulls.json)
    "target_min_mV": 2.0,  # every seed
    "rank_min_pct": 95.0,  # every seed
    "target_quorum_mV": 3.0,  # quorum of seeds
    "rank_quorum_pct": 98.0,  # quorum of seeds
    "control_max_mV": 0.5,
}

#: The quick run is 40 min: at 20 min 4 of seeds 0–19 had not started (target 0.57–1.56 mV,
#: rank 58–92 %; the author's program first reaches 4 mV after 1224–2507 s); at 40 min all 20
#: pass (target 3.0–4.0 mV, rank ≥ 97.8 %; ``spikey run izh2007.fig1 --quick --seeds 0-19``).
#: Re-checked on the per-neuron noise streams: seeds 0–11 all pass (target 3.29–3.99 mV,
#: rank ≥ 97.8 %; ``spikey replicate izhikevich2007 --quick --seeds 12``). Issue 19, one seed
#: policy, tuning seeds 100–139 (``spikey run izh2007.fig1 --quick --seeds 100-139``, then
#: ``--set duration_s=3000``): 40 min pass on 40 of 40 (rank ≥ 97.2 %), 50 min on 39 of 40
#: (seed 117 reached 4 mV at 1232 s and fell back to rank 92.8 % by 50 min; 99.0 % at 40 min);
#: no tuning seed first reached 4 mV after 2400 s. So 40 min stays. Seed 10 (a verification
#: seed) fails it: a late learner (rank 93 % at 40 min; the full run's target first reached
#: 4 mV at 2575 s and ends at rank 100 %), 1 of the 82 seeds measured at 40 min.
QUICK = {
    "duration_s": 2400,
    "final_window_s": 120,
    "target_min_mV": 1.0,
    "target_quorum_mV": 1.0,
    "rank_quorum_pct": 95.0,
}

#: keys only the verdict reads (thresholds, the reported percentile): changing one leaves the
#: run and every metric bit-identical (no config key enters a random stream)
CRITERION_KEYS = (
    "target_percentile",
    "target_min_mV",
    "rank_min_pct",
    "target_quorum_mV",
    "rank_quorum_pct",
    "control_max_mV",
)

HIST_EDGES = np.linspace(0.0, 4.0, 41)


def choose_target(net, pre, post="excitatory", unique=None):
    """Index of the first synapse of neuron ``pre`` onto another excitatory neuron
    (``post="any"``: its first synapse, whatever the target, as in the program).

    ``unique`` (bool per synapse) limits the choice to synapses without a twin.
    """
    if not 0 <= pre < net.n_exc:
        raise ValueError(
            f"izh2007.fig1: key 'target_pre' got {pre}; expected an excitatory "
            f"neuron 0..{net.n_exc - 1}"
        )
    if post not in ("excitatory", "any"):
        raise ValueError(
            f"izh2007.fig1: key 'target_post' got {post!r}; expected 'excitatory' or 'any'"
        )
    ok = (net.pre == pre) & net.plastic
    if post == "excitatory":
        ok &= (net.post < net.n_exc) & (net.post != pre)
    if unique is not None:
        ok &= unique
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        raise ValueError(
            f"izh2007.fig1: neuron {pre} has no suitable plastic synapse "
            f"(target_post={post!r}); choose another 'target_pre'"
        )
    return int(idx[0])


def twin_free(pre, post, delay) -> np.ndarray:
    """True for each synapse that no other synapse repeats (same pre, post and delay)."""
    keys = np.stack([np.asarray(x, np.int64) for x in (pre, post, delay)], axis=1)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] == 1


def schedule_rewards(pre_t, post_t, last_pre, window, rng, dmin, dmax):
    """Reward times for the post spikes that follow the last pre spike by 1..window-1 ms.

    As in the program, a pre spike in the same ms as the post spike is the last one (so that
    post spike earns nothing). ``last_pre`` is the last pre spike before this chunk (or a large
    negative number). Returns (reward times, new last_pre).
    """
    pre_t = np.concatenate([[last_pre], pre_t]).astype(np.int64)
    prev = pre_t[np.searchsorted(pre_t, post_t, "right") - 1]
    gap = post_t - prev
    hits = post_t[(gap > 0) & (gap < window)]
    delays = rng.integers(dmin + 1, dmax + 1, size=hits.size)
    return hits + delays, int(pre_t[-1])


class DelayedReward:
    """The reward rule of Fig. 1 (the author's program): every post spike 1..``window_ms``-1 ms
    after the pre neuron's last spike schedules a reward ``(min, max]`` ms later.

    Call :meth:`due` before running a chunk (the pulses that fall in it, relative to its
    start; at most one per ms) and :meth:`observe` with the chunk's spikes after it.
    """

    def __init__(self, config: dict, rng: np.random.Generator, pre: int, post: int):
        self.config, self.rng, self.pre, self.post = config, rng, int(pre), int(post)
        self.pending: list[int] = []
        self.delivered: list[int] = []
        self.last_pre = -(10**9)
        self.scheduled = 0

    def due(self, now: int, length: int) -> list[int]:
        """Reward times in ``[now, now + length)``, relative to ``now``; marks them delivered."""
        due = sorted({r for r in self.pending if now <= r < now + length})  # one pulse per ms
        self.pending = [r for r in self.pending if r >= now + length]
        self.delivered.extend(due)
        return [r - now for r in due]

    def observe(self, t, i) -> None:
        """Schedule the rewards earned by the spikes ``(t, i)`` of the chunk just run."""
        if not self.config["reward"]:
            return
        new, self.last_pre = schedule_rewards(
            t[i == self.pre],
            t[i == self.post],
            self.last_pre,
            int(self.config["window_ms"]),
            self.rng,
            int(self.config["reward_delay_min_ms"]),
            int(self.config["reward_delay_max_ms"]),
        )
        self.pending.extend(int(x) for x in new)
        self.scheduled += new.size


def setup(config: dict, seed: int):
    """The network with its target synapse set to ``target_w0``.

    Returns (net, target index, twin-free mask, excitatory-synapse mask).
    """
    net = common.build_network(config, seed)
    exc_syn = np.array(net.plastic)
    alone = twin_free(net.pre, net.post, net.delay)
    target = choose_target(net, int(config["target_pre"]), config["target_post"], alone)
    net.set_weights(np.array([target]), np.array([float(config["target_w0"])]))
    return net, target, alone, exc_syn


def run_protocol(net, target, exc_syn, config, rng, progress, desc="fig1") -> dict:
    """Run ``duration_s`` in chunks under :class:`DelayedReward`; record the target every
    10 ms, snapshots of all excitatory weights every ``snapshot_s`` and their average over
    the last ``final_window_s`` (samples every ``avg_every_s``)."""
    duration = int(config["duration_s"]) * 1000
    chunk = int(config["chunk_ms"])
    if not 10 <= chunk <= int(config["reward_delay_min_ms"]) + 1:
        raise ValueError(
            f"izh2007.fig1: key 'chunk_ms' got {chunk}; expected 10 .. "
            "reward_delay_min_ms + 1 (rewards are decided between chunks)"
        )
    snap_every = int(config["snapshot_s"]) * 1000
    avg_every = int(config["avg_every_s"]) * 1000
    final_ms = int(config["final_window_s"]) * 1000
    rule = DelayedReward(config, rng, net.pre[target], net.post[target])
    log = {
        "rule": rule,
        "w_acc": np.zeros(int(exc_syn.sum())),
        "n_acc": 0,
        "n_spikes": 0,
        "snaps": {"t": [], "hist": [], "mean": [], "pct": [], "rate": []},
        "raster": (np.zeros(0, np.int64), np.zeros(0, np.int32)),
        "first_raster": None,
    }
    snaps = log["snaps"]

    def snapshot(end, rate):
        w = net.weights()[exc_syn]
        snaps["t"].append(end / 1000)
        snaps["hist"].append(np.histogram(w, HIST_EDGES)[0])
        snaps["mean"].append(float(w.mean()))
        snaps["pct"].append(float(np.percentile(w, config["target_percentile"])))
        snaps["rate"].append(rate)

    rec = net.record(synapses=np.array([target]), dopamine=True, every_ms=10)
    snapshot(0, float("nan"))
    spikes_since_snap = 0
    bar = common.Progress(progress, duration, desc)
    t0 = net.t
    log["t0"] = t0
    while net.t - t0 < duration:
        now = net.t - t0
        length = min(chunk, duration - now)
        rewards = common.reward_arrays(rule.due(now, length), config["reward_amount"], length)
        spikes = net.run(length, rewards=rewards)
        st = spikes.t - t0
        log["n_spikes"] += st.size
        spikes_since_snap += st.size
        rule.observe(st, spikes.i)
        if log["first_raster"] is None:
            log["first_raster"] = (st.copy(), spikes.i.copy())
        if now + length == duration:
            log["raster"] = (st.copy(), spikes.i.copy())
        end = now + length
        if end >= duration - final_ms and end % avg_every == 0:
            log["w_acc"] += net.weights()[exc_syn]
            log["n_acc"] += 1
        if end % snap_every == 0 or end == duration:
            span = (end - snaps["t"][-1] * 1000) / 1000
            snapshot(end, spikes_since_snap / (net.n * span))
            spikes_since_snap = 0
        bar.tick(length)
    bar.close()
    log["rec"] = rec
    return log


def run_fig1(config, seed, progress) -> Result:
    """Reinforce one synapse by delayed reward; return its weight course and the criteria."""
    window = float(config["final_window_s"])
    common.check_range("izh2007.fig1", config, "final_window_s", 1, math.inf, "a number >= 1")
    common.check_range(
        "izh2007.fig1",
        config,
        "duration_s",
        window,
        math.inf,
        f"at least final_window_s ({window:g})",
    )
    rng = common.protocol_rng(seed, "fig1", "reward_delays")
    net, target, alone, exc_syn = setup(config, seed)
    pre, post = int(net.pre[target]), int(net.post[target])
    log = run_protocol(net, target, exc_syn, config, rng, progress, f"fig1 seed {seed}")
    rule, rec, t0 = log["rule"], log["rec"], log["t0"]
    delivered, n_scheduled, n_spikes = rule.delivered, rule.scheduled, log["n_spikes"]
    snaps = log["snaps"]
    snaps_t, snaps_hist, snaps_mean = snaps["t"], snaps["hist"], snaps["mean"]
    snaps_p99, snaps_rate = snaps["pct"], snaps["rate"]
    raster, first_raster = log["raster"], log["first_raster"]
    duration = int(config["duration_s"]) * 1000
    target_pos = int(np.searchsorted(np.flatnonzero(exc_syn), target))
    w_acc, n_acc = log["w_acc"], log["n_acc"]

    rt = np.asarray(rec.t, np.int64) - t0
    w_rec = np.asarray(rec.w, float).reshape(rt.size, -1)[:, 0]
    c_rec = np.asarray(rec.c, float).reshape(rt.size, -1)[:, 0]
    d_rec = np.asarray(rec.d, float)
    w_exc = net.weights()[exc_syn]
    final_window = rt >= duration - int(config["final_window_s"]) * 1000
    target_final = float(w_rec[final_window].mean())
    pct_end = float(np.percentile(w_exc, config["target_percentile"]))
    w_avg = w_acc / max(n_acc, 1)
    pct = float(np.percentile(w_avg, config["target_percentile"]))
    target_avg = float(w_avg[target_pos])
    rank = float((w_avg < target_avg).mean() * 100)
    w_max = float(np.max(w_exc))
    reached = np.flatnonzero(w_rec >= 4.0 - 1e-9)
    first_4 = float(rt[reached[0]] / 1000) if reached.size else float("nan")
    hours = duration / 3.6e6
    rate = n_spikes / (net.n * duration / 1000)

    res = Result()
    res.metrics.update(
        {
            "target_final_mV": target_final,
            "target_end_mV": float(w_rec[-1]),
            "target_percentile_mV": pct,
            "target_avg_samples_mV": target_avg,
            "target_percentile_end_mV": pct_end,
            "target_rank_pct": rank,
            "fraction_above_target_end": float((w_exc > w_rec[-1]).mean()),
            "fraction_at_ceiling_end": float((w_exc >= 4.0 - 1e-9).mean()),
            "mean_exc_weight": float(w_exc.mean()),
            "rewards": len(delivered),
            "rewards_per_hour": len(delivered) / hours,
            "rewards_scheduled": n_scheduled,
            "fraction_twins_at_ceiling_end": float((~alone[exc_syn])[w_exc >= 4.0 - 1e-9].mean())
            if (w_exc >= 4.0 - 1e-9).any()
            else float("nan"),
            "first_reach_4mV_s": first_4,
            "rate_hz": rate,
            "max_exc_weight": w_max,
            "target_pre": pre,
            "target_post": post,
            "target_index": target,
        }
    )
    criteria(res, res.metrics, config)

    step = max(1, 1000 // 10)  # the record is every 10 ms: keep 1 s resolution
    around = _around_reward(rt, w_rec, c_rec, d_rec, delivered, duration)
    res.figures.update(
        {
            "w_t_s": rt[::step] / 1000,
            "w_target": w_rec[::step],
            "rewards_s": np.array(delivered) / 1000,
            "snap_t_s": np.array(snaps_t),
            "snap_hist": np.array(snaps_hist),
            "hist_edges": HIST_EDGES,
            "snap_mean": np.array(snaps_mean),
            "snap_pct": np.array(snaps_p99),
            "snap_rate": np.array(snaps_rate),
            "final_hist": np.histogram(w_exc, np.linspace(0, 4, 101))[0],
            "final_edges": np.linspace(0, 4, 101),
            "target_end": float(w_rec[-1]),
            "raster_t": raster[0],
            "raster_i": raster[1],
            "raster0_t": first_raster[0],
            "raster0_i": first_raster[1],
            "n_exc": net.n_exc,
            "n": net.n,
            "around": around,
            "window_ms": int(config["window_ms"]),
            "reward": bool(config["reward"]),
        }
    )
    res.text = (
        f"fig1 seed {seed} window {config['window_ms']} ms reward {config['reward']}: "
        f"target {target_final:.2f} mV (last {config['final_window_s']} s), "
        f"p{config['target_percentile']:g} {pct:.2f}, mean {w_exc.mean():.3f}, "
        f"{len(delivered) / hours:.0f} rewards/h, first 4 mV at {first_4:.0f} s, "
        f"rate {rate:.2f} Hz"
    )
    return res


def criteria(res: Result, metrics: dict, config: dict) -> None:
    """The pass/fail checks of Fig. 1d–e on measured ``metrics``.

    Every seed: rate, mean excitatory weight, target ≥ ``target_min_mV`` at rank ≥
    ``rank_min_pct``. Quorum (see ``SEED_QUORUM``): target ≥ ``target_quorum_mV`` at rank ≥
    ``rank_quorum_pct``. Reported: rank ≥ 99 %, rewards per hour and first reach of 4 mV
    beside the author's program. Only the 20 ms rewarded run gates; the 10 ms variant
    reports.
    """
    main = bool(config["reward"]) and int(config["window_ms"]) == 20
    full = int(config["duration_s"]) >= 3600
    final = f"mean over the last {config['final_window_s']} s"
    res.check(
        "network_rate_hz",
        metrics["rate_hz"],
        "between",
        (0.5, 3.0),
        description="mean firing rate of the network over the run",
    )
    if not config["reward"]:
        res.check(
            "control_target_mV",
            metrics["target_final_mV"],
            "<",
            float(config["control_max_mV"]),
            description=f"no-reward control: the target stays small ({final})",
        )
        return
    rank = metrics["target_rank_pct"]
    target = metrics["target_final_mV"]
    rank_text = (
        "percentage of excitatory synapses whose average over the last "
        f"{config['final_window_s']} s (samples every {config['avg_every_s']} s) lies below "
        "the target's"
    )
    res.check(
        "target_weight_mV",
        target,
        ">=",
        float(config["target_min_mV"]),
        gating=main,
        description=f"target weight, {final} (every seed)",
    )
    res.check(
        "target_rank_pct",
        rank,
        ">=",
        float(config["rank_min_pct"]),
        gating=main,
        description=rank_text + " (every seed)",
    )
    res.check(
        "target_weight_quorum_mV",
        target,
        ">=",
        float(config["target_quorum_mV"]),
        gating=main,
        description=f"target weight, {final} (quorum over seeds)",
    )
    res.check(
        "target_rank_quorum_pct",
        rank,
        ">=",
        float(config["rank_quorum_pct"]),
        gating=main,
        description=rank_text + " (quorum over seeds)",
    )
    res.check(
        "mean_exc_weight",
        metrics["mean_exc_weight"],
        "<=",
        1.0,
        gating=main,
        description="mean excitatory weight at the end",
    )
    res.check(
        "target_rank_99",
        rank,
        ">=",
        99.0,
        gating=False,
        description="target above the 99th percentile (reported; the author's program: 7 of 8 seeds)",
    )
    if full and int(config["window_ms"]) == 20:
        res.check(
            "rewards_per_hour",
            metrics["rewards_per_hour"],
            "between",
            (160, 280),
            gating=False,
            description="beside the author's program, 167–270/h over 4 seeds (its target: "
            "neuron 1's first synapse, onto any neuron; here onto an excitatory one)",
        )
        res.check(
            "first_reach_4mV_s",
            metrics["first_reach_4mV_s"],
            "between",
            (1200, 2600),
            gating=False,
            description="beside the author's program, 1224–2507 s (nan = never reached)",
        )


def _around_reward(rt, w, c, d, delivered, duration, before=3500, after=1500):
    """The 10-ms traces around the reward that raised the target most (room on both sides)."""
    best, best_gain = None, -np.inf
    for r in delivered:
        if r - before >= 0 and r + after <= duration:
            i0, i1 = np.searchsorted(rt, [r - 10, r + after - 10])
            gain = w[min(i1, w.size - 1)] - w[min(i0, w.size - 1)]
            if gain > best_gain:
                best, best_gain = r, gain
    if best is None:
        return None
    sel = (rt >= best - before) & (rt < best + after)
    return {"t_ms": rt[sel] - best, "w": w[sel], "c": c[sel], "d": d[sel], "reward_s": best / 1000}
