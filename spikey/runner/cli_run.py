"""``spikey run NAME``: run a registered experiment over seeds and print its verdict."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Iterable

from spikey.experiments import registry
from spikey.experiments.papers import seed_quorum
from spikey.experiments.plan import rule_name, seeds_verdict
from spikey.extras import MissingExtra
from spikey.module import ConfigError
from spikey.runner.core import BACKENDS, default_out, run
from spikey.runner.rundir import RunDirWarning


def int_at_least(low: int) -> Callable[[str], int]:
    """An argparse ``type``: an integer >= ``low``, else an error naming the value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: expected an integer >= {low}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: expected an integer >= {low}")
        return value

    parse.__name__ = f"integer >= {low}"
    return parse


def parse_sets(pairs: Iterable[str] | None) -> dict:
    """``["key=value", ...]`` -> {key: "value"} (strings; the experiment converts them)."""
    out = {}
    for pair in pairs or []:
        key, sep, value = str(pair).partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects key=value, got {pair!r}")
        if key.strip() in out:
            raise ConfigError(f"--set {key.strip()!r} is given twice")
        out[key.strip()] = value.strip()
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``spikey run``'s arguments to ``parser``."""
    parser.add_argument("experiment")
    parser.add_argument("--seeds", default="0", help="e.g. 0-4 or 0,2,5 (default 0)")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter")
    parser.add_argument("--quick", action="store_true", help="short durations")
    parser.add_argument(
        "--backend",
        default="process",
        choices=BACKENDS,
        help="process (default: one worker per core), serial, or ray",
    )
    parser.add_argument(
        "--workers",
        type=int_at_least(1),
        default=None,
        help="process pool size / local Ray CPUs (default: all cores)",
    )
    parser.add_argument(
        "--address",
        default=None,
        help="Ray cluster address (default: $RAY_ADDRESS, else a local Ray)",
    )
    parser.add_argument(
        "--retries",
        type=int_at_least(0),
        default=2,
        help="reruns of a job whose worker died (default 2)",
    )
    parser.add_argument(
        "--out",
        default=None,
        help="run directory (default ./runs/EXPERIMENT-CONFIGHASH); rerun to resume",
    )
    parser.add_argument("--no-save", action="store_true", help="write no run directory")
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")


def user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that are the user's to fix: print one line, not a traceback."""
    return (MissingExtra, ConnectionError, KeyError, ValueError)


def guarded(prog: str, body: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """``body(args)``, with a :func:`user_errors` exception printed as one line (exit 2)."""
    try:
        return body(args)
    except user_errors() as err:
        msg = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"{prog}: error: {msg}", file=sys.stderr)
        return 2


def main(args: argparse.Namespace) -> int:
    """Run the experiment, print each seed's verdict; 0 when all pass and all was saved.

    1: a failed check or an unsaved write; 2: a user error (one line); 130: interrupted
    (finished jobs are saved; the same command resumes).
    """
    try:
        return guarded("spikey run", _main, args)
    except KeyboardInterrupt:
        print(
            "spikey run: interrupted; finished jobs are saved, rerun the same command to resume",
            file=sys.stderr,
        )
        return 130


def overall_verdict(summary: dict) -> tuple[bool, str]:
    """(passed, how it was judged): every gating criterion on every seed, unless a paper's
    replication plan runs this experiment with seed quorums for some criteria; then those are
    judged over the seeds, as ``spikey replicate`` judges them."""
    found = seed_quorum(summary["experiment"])
    gating = {
        name
        for job in summary["jobs"]
        for name, c in job.get("criteria", {}).items()
        if c["gating"]
    }
    quorum = {k: f for k, f in (found[1] if found else {}).items() if k in gating and f < 1.0}
    if not quorum or len(summary["jobs"]) < 2:
        return bool(summary["passed"]), ""
    rules = ", ".join(f"{name} {rule_name(f)}" for name, f in sorted(quorum.items()))
    passed = seeds_verdict(summary["jobs"], quorum)
    return passed, f"  ({found[0]}'s seed rules: {rules}; every seed otherwise)"


def _main(args) -> int:
    exp = registry.get(args.experiment)
    sets = parse_sets(args.set)
    config = exp.resolve(sets, quick=args.quick)
    out = (
        None if args.no_save else (args.out or default_out(exp.name, registry.config_hash(config)))
    )
    with warnings.catch_warnings():  # reported once below, as one line
        warnings.simplefilter("ignore", RunDirWarning)
        summary = run(
            exp,
            seeds=args.seeds,
            config=sets,
            backend=args.backend,
            quick=args.quick,
            progress=False if args.json else None,
            out=out,
            workers=args.workers,
            address=args.address,
            max_retries=args.retries,
        )
    for job in summary["jobs"]:
        if job.get("error"):
            print(f"seed {job['seed']}: ERROR {job['error']}")
            continue
        if job.get("text"):
            print(job["text"])
        verdict = "PASS" if job["passed"] else "FAIL"
        print(f"seed {job['seed']}: {verdict}{'  (resumed)' if job.get('resumed') else ''}")
        for name, c in job["criteria"].items():
            print(
                f"  {'PASS' if c['passed'] else 'FAIL'}  {name}: {c['value']:.4g} {c['op']} {c['threshold']}"
                f"{'' if c['gating'] else '  (reported)'}"
            )
    passed, rule = overall_verdict(summary)
    print(
        f"{summary['experiment']}: {'PASS' if passed else 'FAIL'}{rule}"
        + (f"  (run directory: {out})" if out is not None else "")
    )
    if args.json:
        out_doc = {"experiment": summary["experiment"], "passed": passed}
        out_doc["jobs"] = [
            {k: j[k] for k in ("seed", "metrics", "criteria", "passed")} for j in summary["jobs"]
        ]
        print(json.dumps(out_doc))
    errors = summary.get("save_errors") or []
    if errors:
        print(
            f"spikey run: warning: {len(errors)} write(s) to {out} failed ({errors[0]}); "
            "the results above are not all saved",
            file=sys.stderr,
        )
    return 0 if passed and not errors else 1
