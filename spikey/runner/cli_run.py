"""``spikey run NAME``: run a registered experiment over seeds and print its verdict."""
from __future__ import annotations

import json

from spikey.runner.core import run


def parse_sets(pairs) -> dict:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise SystemExit(f"--set expects key=value, got {pair!r}")
        key, value = pair.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def add_arguments(parser):
    parser.add_argument("experiment")
    parser.add_argument("--seeds", default="0", help="e.g. 0-4 or 0,2,5 (default 0)")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")
    parser.add_argument("--quick", action="store_true", help="short durations")
    parser.add_argument("--backend", default="serial")
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")


def main(args) -> int:
    summary = run(args.experiment, seeds=args.seeds, config=parse_sets(args.set),
                  backend=args.backend, quick=args.quick, progress=None if not args.json else False)
    for job in summary["jobs"]:
        if job.get("error"):
            print(f"seed {job['seed']}: ERROR {job['error']}")
            continue
        if job.get("text"):
            print(job["text"])
        verdict = "PASS" if job["passed"] else "FAIL"
        print(f"seed {job['seed']}: {verdict}")
        for name, c in job["criteria"].items():
            print(f"  {'PASS' if c['passed'] else 'FAIL'}  {name}: {c['value']:.4g} {c['op']} {c['threshold']}"
                  f"{'' if c['gating'] else '  (reported)'}")
    print(f"{summary['experiment']}: {'PASS' if summary['passed'] else 'FAIL'}")
    if args.json:
        out = {k: summary[k] for k in ("experiment", "passed")}
        out["jobs"] = [{k: j[k] for k in ("seed", "metrics", "criteria", "passed")} for j in summary["jobs"]]
        print(json.dumps(out))
    return 0 if summary["passed"] else 1
