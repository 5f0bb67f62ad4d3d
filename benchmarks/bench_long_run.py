"""Long run of the Fig. 1 preset: weights stay in bounds, nothing turns NaN, and every
checkpoint written to disk resumes bit-exactly.

Run: ``python benchmarks/bench_long_run.py [--hours 10] [--mode exact] [--seed 0] [--json]``

The network (``izhikevich2007``, 1000 neurons) runs ``--hours`` of model time in 1 s chunks
with open-loop rewards (each second, with probability 1/2, one reward at a random ms, drawn
from that second's own seed so that a resumed run sees the same ones). Every hour it checks
that all plastic weights lie in [w_min, w_max] and that v, u, weights, eligibility and d are
finite, and writes a checkpoint (``.npz`` + JSON header, no pickle). At the end each
checkpoint is restored from its file and run ``--verify-s`` seconds; the spikes and the
weights must equal, bit for bit, those of the uninterrupted run over the same window; the
last checkpoint is also resumed to the end of the run and compared there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from spikey.models import izhikevich2007 as izh


def rewards_for(seed: int, second: int):
    """This second's reward pulses (times relative to the second), from its own seed."""
    rng = np.random.default_rng([seed, second])
    if rng.random() < 0.5:
        return np.array([int(rng.integers(0, 1000))])
    return None


def digest(*arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def run_seconds(net, seed, first, count, spikes=None):
    """Run ``count`` 1 s chunks starting at second ``first``; append spikes to ``spikes``."""
    for sec in range(first, first + count):
        s = net.run(1000, rewards=rewards_for(seed, sec))
        if spikes is not None:
            spikes.append((s.t, s.i))


def health(net) -> dict:
    w = net.weights()
    pl = net.plastic
    lo, hi = net.params["w_min"], net.params["w_max"]
    finite = all(np.all(np.isfinite(x)) for x in (net.v, net.u, w, net.eligibility()))
    return {
        "w_min_seen": float(w[pl].min()),
        "w_max_seen": float(w[pl].max()),
        "in_bounds": bool(np.all((w[pl] >= lo) & (w[pl] <= hi))),
        "finite": bool(finite and np.isfinite(net.d)),
        "mean_w": float(w[pl].mean()),
        "frac_at_max": float(np.mean(w[pl] >= hi)),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hours", type=float, default=10.0)
    ap.add_argument("--mode", choices=("exact", "stepped"), default="exact")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--verify-s", type=int, default=60, help="seconds run after each checkpoint")
    ap.add_argument("--dir", default=None, help="where to write checkpoints (default: a temp dir)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    hour_s = 3600
    total_s = int(round(args.hours * hour_s))
    n_ck = max(1, total_s // hour_s)
    span = min(hour_s, total_s)
    folder = Path(args.dir or tempfile.mkdtemp(prefix="spikey-long-run-"))
    folder.mkdir(parents=True, exist_ok=True)

    net = izh.build("izhikevich2007", seed=args.seed, mode=args.mode)
    wall0 = time.perf_counter()
    checkpoints, windows, hours = [], [], []
    n_spikes = 0
    for h in range(n_ck):
        start = h * span
        path = net.save_checkpoint(folder / f"hour{h:03d}.npz")
        checkpoints.append((start, path))
        spikes = []
        run_seconds(net, args.seed, start, min(args.verify_s, span), spikes)
        window = digest(*[a for pair in spikes for a in pair])
        windows.append((window, digest(net.weights())))
        rest = span - min(args.verify_s, span)
        run_seconds(net, args.seed, start + min(args.verify_s, span), rest, spikes)
        n_spikes += sum(len(t) for t, _ in spikes)
        row = {
            "hour": h + 1,
            **health(net),
            "rate_hz": sum(len(t) for t, _ in spikes) / span / net.n,
        }
        hours.append(row)
        print(
            f"hour {h + 1:>3}: weights in [{row['w_min_seen']:.3f}, {row['w_max_seen']:.3f}] "
            f"(in bounds: {row['in_bounds']}), finite: {row['finite']}, mean w "
            f"{row['mean_w']:.3f}, at max {row['frac_at_max']:.3f}, rate {row['rate_hz']:.2f} Hz",
            flush=True,
        )
    final = digest(net.weights(), net.v, net.u)
    wall = time.perf_counter() - wall0

    resumed_ok = []
    for (start, path), (window, w_digest) in zip(checkpoints, windows):
        again = izh.restore(path)
        spikes = []
        run_seconds(again, args.seed, start, min(args.verify_s, span), spikes)
        same = (digest(*[a for pair in spikes for a in pair]), digest(again.weights())) == (
            window,
            w_digest,
        )
        resumed_ok.append(same)
    last_start, last_path = checkpoints[-1]
    again = izh.restore(last_path)
    run_seconds(again, args.seed, last_start, n_ck * span - last_start)
    to_end = digest(again.weights(), again.v, again.u) == final

    ok = all(r["in_bounds"] and r["finite"] for r in hours) and all(resumed_ok) and to_end
    print(
        f"{args.hours:g} h of model time ({args.mode}) in {wall:.0f} s wall "
        f"({args.hours * 3600 / wall:.0f}x real time), {n_spikes} spikes"
    )
    print(
        f"checkpoints resumed bit-exactly over {args.verify_s} s: "
        f"{sum(resumed_ok)}/{len(resumed_ok)}; last checkpoint resumed to the end: {to_end}"
    )
    print("RESULT", "PASS" if ok else "FAIL")
    if args.json:
        print(
            json.dumps(
                {
                    "hours": hours,
                    "resumed_ok": resumed_ok,
                    "resumed_to_end": to_end,
                    "wall_s": wall,
                    "ok": ok,
                }
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
