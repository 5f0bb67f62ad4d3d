"""The run directory: what a run leaves on disk, and how a rerun resumes from it.

Layout::

    DIR/config.json          experiment, resolved config, its hash (written by ``run``)
    DIR/configs/EXP-HASH.json  every distinct (experiment, config) the jobs used
    DIR/results.jsonl        one line per finished job, appended as it finishes
    DIR/results/KEY.pkl      that job's full Result (figures' arrays included)
    DIR/summary.csv          one row per job: status, pass, seconds, metrics

A job counts as finished when its JSONL line says ``"status": "ok"``; a rerun skips it
and loads its Result back. Failed jobs (an exception, or a worker that kept dying) are
recorded with the error and traceback, and run again on the next rerun.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import pickle
import warnings
from pathlib import Path

from spikey.experiments.registry import Criterion, Result, plain
from spikey.runner.job import Outcome
from spikey.version import __version__

RESULTS = "results.jsonl"
SUMMARY = "summary.csv"


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "-" for c in key)


def _version() -> str:
    return __version__


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class RunDir:
    """Read and append the files of one run directory (created if missing)."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise ValueError(
                f"run directory {self.path} is a file; expected a folder or a new path"
            )
        self.path.mkdir(parents=True, exist_ok=True)

    # -- configs ---------------------------------------------------------------
    def write_config(self, experiment: str, config: dict, config_hash: str, **extra) -> None:
        """Write ``config.json``; refuse a directory that holds another config."""
        target = self.path / "config.json"
        if target.exists():
            try:
                old = json.loads(target.read_text())
            except (OSError, json.JSONDecodeError):
                old = {}
            if old and (old.get("experiment"), old.get("config_hash")) != (experiment, config_hash):
                raise ValueError(
                    f"run directory {self.path} holds {old.get('experiment')!r} with config hash "
                    f"{old.get('config_hash')}; this run is {experiment!r} with hash {config_hash}. "
                    "Pass another --out (or delete the directory) to start a new run."
                )
            if old and old.get("spikey_version") != _version():
                warnings.warn(
                    f"run directory {self.path} was written by spikey {old.get('spikey_version')}; "
                    f"this is {_version()}. Finished jobs are reused as they are: pass another "
                    "--out to recompute them with this version.",
                    stacklevel=2,
                )
            return
        doc = {
            "experiment": experiment,
            "config_hash": config_hash,
            "config": plain(config),
            "created": _now(),
            "spikey_version": _version(),
            **extra,
        }
        _atomic_write(target, json.dumps(doc, indent=2, default=repr))

    def note_configs(self, jobs) -> None:
        folder = self.path / "configs"
        folder.mkdir(exist_ok=True)
        for job in {(j.experiment, j.config_hash): j for j in jobs}.values():
            target = folder / f"{_safe(job.experiment)}-{job.config_hash}.json"
            if not target.exists():
                _atomic_write(
                    target,
                    json.dumps(
                        {
                            "experiment": job.experiment,
                            "config_hash": job.config_hash,
                            "config": plain(job.config),
                        },
                        indent=2,
                        default=repr,
                    ),
                )

    # -- results -----------------------------------------------------------------
    def records(self) -> dict:
        """key -> last JSONL record for it (a torn last line from a crash is skipped)."""
        out = {}
        path = self.path / RESULTS
        if not path.exists():
            return out
        with open(path, encoding="utf-8", errors="replace") as fh:  # garbage: skipped below
            for line in fh:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if (  # a malformed line is skipped like a torn one: that job runs again
                    isinstance(rec, dict)
                    and isinstance(rec.get("key"), str)
                    and isinstance(rec.get("metrics", {}), dict)
                    and isinstance(rec.get("criteria", {}), dict)
                ):
                    out[rec["key"]] = rec
        return out

    def finished(self, jobs) -> dict:
        """index in ``jobs`` -> Outcome, for the jobs this directory holds as finished."""
        recs = self.records()
        done = {}
        for i, job in enumerate(jobs):
            rec = recs.get(job.key)
            if rec is None or rec.get("status") != "ok":
                continue
            result = self._load_result(job.key)
            if result is None:  # the pickle is gone: rebuild what the JSONL line holds
                result = _result_from_record(rec)
            done[i] = Outcome(
                job,
                result=result,
                seconds=float(rec.get("seconds", 0.0)),
                extra={"resumed": True, "attempts": rec.get("attempts", 1)},
            )
        return done

    def _load_result(self, key):
        path = self.path / "results" / f"{_safe(key)}.pkl"
        try:
            with open(path, "rb") as fh:
                result = pickle.load(fh)
        except Exception:  # missing or unreadable: fall back to the JSONL line
            return None
        return result if isinstance(result, Result) else None

    def record(self, outcome) -> None:
        """Append the outcome's line (after saving its Result, so a listed job is complete)."""
        job = outcome.job
        rec = {
            "key": job.key,
            "experiment": job.experiment,
            "config_hash": job.config_hash,
            "seed": job.seed,
            "status": "ok" if outcome.result is not None else "error",
            "seconds": round(outcome.seconds, 6),
            "attempts": outcome.extra.get("attempts", 1),
            "finished": _now(),
        }
        if outcome.result is not None:
            try:
                folder = self.path / "results"
                folder.mkdir(exist_ok=True)
                _atomic_write(
                    folder / f"{_safe(job.key)}.pkl",
                    pickle.dumps(outcome.result, protocol=pickle.HIGHEST_PROTOCOL),
                )
            except Exception as err:  # an unpicklable figure must not lose the metrics
                rec["pickle_error"] = f"{type(err).__name__}: {err}"
            rec.update(outcome.result.to_dict())
        else:
            rec.update({"passed": False, "error": outcome.error, "traceback": outcome.traceback})
        line = json.dumps(rec, default=repr) + "\n"
        with open(self.path / RESULTS, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def write_summary(self) -> Path:
        """Rewrite ``summary.csv`` from every job recorded so far (last record per job)."""
        recs = sorted(
            self.records().values(),
            key=lambda r: (r.get("experiment", ""), r.get("config_hash", ""), r.get("seed", 0)),
        )
        metric_names = sorted({m for r in recs for m in (r.get("metrics") or {})})
        head = [
            "experiment",
            "config_hash",
            "seed",
            "status",
            "passed",
            "seconds",
            "attempts",
            "error",
        ]
        target = self.path / SUMMARY
        tmp = target.with_suffix(".csv.tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(head + metric_names)
            for r in recs:
                metrics = r.get("metrics") or {}
                w.writerow(
                    [r.get(h, "") if h != "error" else (r.get("error") or "") for h in head]
                    + [metrics.get(m, "") for m in metric_names]
                )
        os.replace(tmp, target)
        return target


def _result_from_record(rec) -> Result:
    res = Result(metrics=dict(rec.get("metrics") or {}))
    for name, c in (rec.get("criteria") or {}).items():
        thr = tuple(c["threshold"]) if isinstance(c.get("threshold"), list) else c.get("threshold")
        res.criteria.append(
            Criterion(
                name, c["value"], c["op"], thr, c.get("gating", True), c.get("description", "")
            )
        )
    return res


def _atomic_write(path: Path, data) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(tmp, mode) as fh:
        fh.write(data)
    os.replace(tmp, path)
