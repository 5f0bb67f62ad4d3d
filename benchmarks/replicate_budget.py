"""Where a replication's wall time goes: per plan entry, the model time simulated, the job
seconds and the speed (× real time), and the floor that the engines set on ``--workers`` cores.

    spikey replicate izhikevich2007 --seeds 3 --out rep
    python benchmarks/replicate_budget.py rep [rep2 ...] --workers 2

Reads each output folder's ``results.json``; the model time of a job is its experiment's
registered ``cost(config)`` (simulated seconds for izh2007). The floor is the sum of the job
seconds over the workers: no schedule finishes sooner on those cores.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from spikey.experiments import registry


def budget(out_dir: str) -> dict:
    """``{label: (jobs, model s, job s)}`` and the run's wall time, from one replicate output."""
    data = json.loads((Path(out_dir) / "results.json").read_text())
    rows = defaultdict(lambda: [0, 0.0, 0.0])
    for job in data["jobs"]:
        cost = registry.get(job["experiment"]).cost
        row = rows[job["label"]]
        row[0] += 1
        row[1] += float(cost(job["config"])) if cost else 0.0
        row[2] += float(job["seconds"])
    return {"rows": dict(rows), "wall_s": float(data["wall_s"]), "seeds": data["seeds"]}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", help="spikey replicate --out folders")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    for d in args.dirs:
        b = budget(d)
        print(f"{d}: seeds {b['seeds']}, wall {b['wall_s']:.0f} s")
        print(f"  {'entry':<20} {'jobs':>4} {'model h':>8} {'job s':>8} {'x real':>7}")
        total_model = total_s = 0.0
        for label, (n, model, secs) in b["rows"].items():
            speed = f"{model / secs:7.0f}" if model and secs else "      —"
            print(f"  {label:<20} {n:4d} {model / 3600:8.2f} {secs:8.1f} {speed}")
            total_model += model
            total_s += secs
        floor = total_s / args.workers
        print(
            f"  {'total':<20} {'':4} {total_model / 3600:8.2f} {total_s:8.1f}"
            f" {total_model / total_s:7.0f}"
        )
        print(
            f"  floor on {args.workers} workers: {floor:.0f} s; wall / floor "
            f"{b['wall_s'] / floor:.2f}"
        )


if __name__ == "__main__":
    main()
