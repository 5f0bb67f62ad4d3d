"""The run directory: what a run leaves on disk, and how a rerun resumes from it.

Layout::

    DIR/config.json            experiment, resolved config, its hash (written by ``run``)
    DIR/configs/EXP-HASH.json  every distinct (experiment, config) the jobs used
    DIR/results.jsonl          one line per finished job, appended as it finishes
    DIR/results/KEY.json       that job's full Result: metrics, criteria, text, figures
    DIR/results/KEY.npz        the figures' arrays (``numpy.savez``, read with allow_pickle=False)
    DIR/summary.csv            one row per job: status, pass, seconds, metrics
    DIR/run.lock               held while a run writes here (:mod:`spikey.runner.lock`)

One run directory, one writer: a run holds ``run.lock`` while it runs jobs, and a second
process started on the same directory is refused at once with the holder's PID, host and
start time (:class:`~spikey.runner.lock.RunDirLocked`); a lock left by a killed run is
taken over (:class:`~spikey.runner.lock.StaleLockWarning`).

Nothing in a run directory is a pickle, and nothing read from one can run code: results
are JSON and plain arrays. A directory that holds pickled results (``results/*.pkl``, as
older versions wrote) is refused with a :class:`RunDirError` before anything is read.

A job counts as finished when its JSONL line says ``"status": "ok"``; a rerun skips it
and loads its Result back. Failed jobs (an exception, or a worker that kept dying) are
recorded with the error and traceback, and run again on the next rerun. A write that
fails (read-only folder, disk full) never loses the run's results: they stay in the
returned Outcomes, and the failure is warned about (:class:`RunDirWarning`) and listed
in :attr:`RunDir.write_errors`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import json
import math
import os
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spikey.experiments.registry import Criterion, Result, plain
from spikey.runner.job import Job, Outcome
from spikey.runner.lock import RunDirLocked, RunLock, StaleLockWarning  # noqa: F401
from spikey.version import __version__

RESULTS = "results.jsonl"
SUMMARY = "summary.csv"
FORMAT = 2  # 1: results/KEY.pkl (refused); 2: results/KEY.json + KEY.npz
TAG = "$spikey"  # marks an encoded value in a result's figures


class RunDirError(ValueError):
    """A run directory cannot be used as asked (another config, pickles, unreadable, unwritable)."""


class RunDirWarning(UserWarning):
    """A result could not be written to the run directory (it is still in memory)."""


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "-" for c in key)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _why(err: OSError) -> str:
    return err.strerror or type(err).__name__


class RunDir:
    """Read and append the files of one run directory (created if missing)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.write_errors: list[str] = []
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise RunDirError(
                f"cannot create the run directory {self.path}: {_why(err)}; "
                "pass another --out (or --no-save)"
            ) from None
        if not self.path.is_dir():
            raise RunDirError(f"run directory {self.path} is not a folder")
        self.refuse_pickles()
        self.lock = RunLock(self.path)

    @contextlib.contextmanager
    def locked(self):
        """``with rundir.locked():`` hold the directory's lock (re-entrant; raises
        :class:`~spikey.runner.lock.RunDirLocked` at once when another live run holds it)."""
        try:
            self.lock.acquire()
        except OSError as err:
            raise RunDirError(f"cannot lock the run directory {self.path}: {_why(err)}") from None
        try:
            yield self
        finally:
            self.lock.release()

    def refuse_pickles(self) -> None:
        """Raise RunDirError if the directory holds pickled results (they could run code)."""
        folder = self.path / "results"
        pickles = sorted(folder.glob("*.pkl")) if folder.is_dir() else []
        if pickles:
            raise RunDirError(
                f"run directory {self.path} holds pickled results ({pickles[0].name}"
                f"{f' and {len(pickles) - 1} more' if len(pickles) > 1 else ''}); spikey "
                "never loads pickles (opening one can run any code). Pass another --out, or "
                "delete results/*.pkl if you trust them and rerun to recompute those jobs."
            )

    # -- configs ---------------------------------------------------------------
    def write_config(self, experiment: str, config: dict, config_hash: str, **extra: Any) -> None:
        """Write ``config.json``; refuse a directory that holds another config."""
        target = self.path / "config.json"
        if target.exists():
            old = _read_json(target, "its config.json")
            if not isinstance(old, dict) or not isinstance(old.get("config_hash"), str):
                raise RunDirError(
                    f"run directory {self.path}: config.json is not a spikey run config; "
                    "pass another --out (or delete the directory)"
                )
            if (old.get("experiment"), old.get("config_hash")) != (experiment, config_hash):
                raise RunDirError(
                    f"run directory {self.path} holds {old.get('experiment')!r} with config hash "
                    f"{old.get('config_hash')}; this run is {experiment!r} with hash {config_hash}. "
                    "Pass another --out (or delete the directory) to start a new run."
                )
            if old.get("spikey_version") != __version__:
                warnings.warn(
                    f"run directory {self.path} was written by spikey {old.get('spikey_version')}; "
                    f"this is {__version__}. Finished jobs are reused as they are: pass another "
                    "--out to recompute them with this version.",
                    stacklevel=2,
                )
            return
        doc = {
            "experiment": experiment,
            "config_hash": config_hash,
            "config": plain(config),
            "created": _now(),
            "spikey_version": __version__,
            "format": FORMAT,
            **extra,
        }
        self._write(target, json.dumps(doc, indent=2, default=repr), fatal=True)

    def note_configs(self, jobs: Sequence[Job]) -> None:
        """Write ``configs/EXP-HASH.json`` for each distinct (experiment, config) in ``jobs``."""
        folder = self.path / "configs"
        for job in {(j.experiment, j.config_hash): j for j in jobs}.values():
            target = folder / f"{_safe(job.experiment)}-{job.config_hash}.json"
            if not target.exists():
                doc = {
                    "experiment": job.experiment,
                    "config_hash": job.config_hash,
                    "config": plain(job.config),
                }
                self._write(target, json.dumps(doc, indent=2, default=repr), fatal=True)

    # -- results -----------------------------------------------------------------
    def records(self) -> dict:
        """key -> last JSONL record for it. Lines that are not a whole record (a torn line
        from a crash, a corrupt one) are skipped: that job counts as not finished."""
        out = {}
        path = self.path / RESULTS
        if not path.exists():
            return out
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as err:
            raise RunDirError(f"cannot read {path}: {_why(err)}") from None
        for line in raw.split(b"\n"):
            try:
                rec = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if (  # a malformed line is skipped like a torn one: that job runs again
                isinstance(rec, dict)
                and isinstance(rec.get("key"), str)
                and isinstance(rec.get("metrics", {}), dict)
                and isinstance(rec.get("criteria", {}), dict)
            ):
                out[rec["key"]] = rec
        return out

    def finished(self, jobs: Sequence[Job]) -> dict[int, Outcome]:
        """index in ``jobs`` -> Outcome, for the jobs this directory holds as finished."""
        self.refuse_pickles()
        recs = self.records()
        done = {}
        for i, job in enumerate(jobs):
            rec = recs.get(job.key)
            if rec is None or rec.get("status") != "ok" or not _valid_record(rec):
                continue
            result = self.load_result(job.key)
            if result is None:  # the result file is gone or unreadable: the JSONL line holds it
                result = _result_from_record(rec)
            done[i] = Outcome(
                job,
                result=result,
                seconds=_number(rec.get("seconds"), 0.0),
                extra={
                    "resumed": True,
                    "attempts": int(_number(rec.get("attempts"), 1)),
                    "worker_deaths": [str(d) for d in rec.get("worker_deaths") or []][:100],
                },
            )
        return done

    def load_result(self, key: str) -> Result | None:
        """The full Result saved for ``key``, or None when it is missing or unreadable."""
        folder, stem = self.path / "results", _safe(key)
        try:
            doc = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
            arrays = {}
            npz = folder / f"{stem}.npz"
            if npz.exists():
                with np.load(npz, allow_pickle=False) as data:
                    arrays = {name: data[name] for name in data.files}
            return result_from_doc(doc, arrays)
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
            return None

    def record(self, outcome: Outcome) -> None:
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
        if outcome.extra.get("worker_deaths"):
            rec["worker_deaths"] = list(outcome.extra["worker_deaths"])
        if outcome.result is not None:
            doc, arrays = result_to_doc(outcome.result)
            if doc.get("unsaved"):
                rec["unsaved"] = doc["unsaved"]
            folder, stem = self.path / "results", _safe(job.key)
            if arrays:
                self._write(folder / f"{stem}.npz", arrays)
            self._write(folder / f"{stem}.json", json.dumps(doc, default=repr))
            rec.update(outcome.result.to_dict())
        else:
            rec.update({"passed": False, "error": outcome.error, "traceback": outcome.traceback})
        self._write(self.path / RESULTS, json.dumps(rec, default=repr) + "\n", append=True)

    def write_summary(self) -> Path:
        """Rewrite ``summary.csv`` from every job recorded so far (last record per job)."""
        recs = sorted(
            self.records().values(),
            key=lambda r: (str(r.get("experiment", "")), str(r.get("config_hash", "")), _seed(r)),
        )
        metric_names = sorted(
            {m for r in recs if isinstance(r.get("metrics"), dict) for m in r["metrics"]}
        )
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
        rows = [head + metric_names]
        for r in recs:
            metrics = r.get("metrics") if isinstance(r.get("metrics"), dict) else {}
            rows.append(
                [r.get(h, "") if h != "error" else (r.get("error") or "") for h in head]
                + [metrics.get(m, "") for m in metric_names]
            )
        target = self.path / SUMMARY
        self._write(target, _csv_text(rows))
        return target

    # -- writing -----------------------------------------------------------------
    def _write(self, path: Path, data, append=False, fatal=False) -> bool:
        """Write ``data`` (text, or a dict of arrays for .npz) atomically; append for JSONL.

        An OSError (read-only folder, disk full) raises RunDirError when ``fatal`` (nothing
        has run yet), else is warned about and listed in :attr:`write_errors`."""
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if append:
                with open(path, "a+b") as fh:
                    if fh.tell() > 0:  # after a torn last line, start a new one
                        fh.seek(-1, os.SEEK_END)
                        if fh.read(1) != b"\n":
                            data = "\n" + data
                    fh.write(data.encode("utf-8"))
                    fh.flush()
                    os.fsync(fh.fileno())
                return True
            if isinstance(data, dict):
                with open(tmp, "wb") as fh:
                    np.savez(fh, **data)
            else:
                with open(tmp, "w", encoding="utf-8") as fh:
                    fh.write(data)
            os.replace(tmp, path)
            return True
        except OSError as err:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            message = f"cannot write {path}: {_why(err)}"
            if fatal:
                raise RunDirError(message + "; pass another --out (or --no-save)") from None
            if not self.write_errors:
                warnings.warn(
                    f"{message}; the results stay in memory (returned and printed) but are "
                    "not saved to the run directory",
                    RunDirWarning,
                    stacklevel=3,
                )
            self.write_errors.append(message)
            return False


# -- a Result as JSON + arrays ------------------------------------------------------
def result_to_doc(result: Result) -> tuple[dict, dict]:
    """(JSON-ready dict, arrays for the .npz) holding ``result`` whole.

    Figures may hold numbers, strings, lists, tuples, dicts and numpy arrays of numbers,
    nested; arrays go to the .npz and are referenced by name. A value that is none of
    these (an object) is left out and named in ``doc["unsaved"]``.
    """
    arrays: dict = {}
    unsaved: list = []
    figures = {
        str(k): _encode(v, arrays, unsaved, f"figures[{k!r}]") for k, v in result.figures.items()
    }
    doc = {
        "format": FORMAT,
        "metrics": {k: plain(v) for k, v in result.metrics.items()},
        "criteria": [{"name": c.name, **c.to_dict()} for c in result.criteria],
        "text": result.text,
        "figures": figures,
    }
    if unsaved:
        doc["unsaved"] = unsaved
    return doc, arrays


def result_from_doc(doc: dict, arrays: dict) -> Result:
    """The Result :func:`result_to_doc` wrote (arrays from the .npz, loaded without pickle)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("not a spikey result document")
    res = Result(metrics=dict(doc["metrics"]), text=str(doc.get("text", "")))
    for c in doc["criteria"]:
        res.criteria.append(_criterion(c["name"], c))
    res.figures = {k: _decode(v, arrays) for k, v in doc["figures"].items()}
    return res


def _encode(value, arrays, unsaved, where):
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biufcUS" and not value.dtype.hasobject:
            name = f"a{len(arrays)}"
            arrays[name] = value
            return {TAG: "ndarray", "name": name}
        return {TAG: "list-array", "items": _encode(value.tolist(), arrays, unsaved, where)}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_encode(v, arrays, unsaved, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, tuple):
        items = [_encode(v, arrays, unsaved, f"{where}[{i}]") for i, v in enumerate(value)]
        return {TAG: "tuple", "items": items}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: _encode(v, arrays, unsaved, f"{where}[{k!r}]") for k, v in value.items()}
        items = [
            [_encode(k, arrays, unsaved, where), _encode(v, arrays, unsaved, f"{where}[{k!r}]")]
            for k, v in value.items()
        ]
        return {TAG: "dict", "items": items}
    unsaved.append(f"{where}: {type(value).__name__}")
    return None


def _decode(value, arrays):
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(TAG)
    if kind is None:
        return {k: _decode(v, arrays) for k, v in value.items()}
    if kind == "ndarray":
        return arrays[value["name"]]
    if kind == "list-array":
        return np.array(_decode(value["items"], arrays), dtype=object)
    if kind == "tuple":
        return tuple(_decode(v, arrays) for v in value["items"])
    if kind == "dict":
        return {_hashable(_decode(k, arrays)): _decode(v, arrays) for k, v in value["items"]}
    raise ValueError(f"unknown encoded value {kind!r}")


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def _criterion(name, c) -> Criterion:
    thr = c.get("threshold")
    thr = tuple(thr) if isinstance(thr, list) else thr
    return Criterion(
        str(name),
        float(c["value"]) if c.get("value") is not None else math.nan,
        str(c["op"]),
        thr,
        bool(c.get("gating", True)),
        str(c.get("description", "")),
    )


def _valid_record(rec) -> bool:
    return isinstance(rec.get("metrics"), dict) and isinstance(rec.get("criteria", {}), dict)


def _result_from_record(rec) -> Result:
    res = Result(metrics=dict(rec.get("metrics") or {}))
    for name, c in (rec.get("criteria") or {}).items():
        try:
            res.criteria.append(_criterion(name, c))
        except (KeyError, TypeError, ValueError):
            res.criteria.append(Criterion(str(name), math.nan, ">=", 0.0))  # unreadable: fails
    return res


def _number(value, default):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _seed(rec):
    return rec.get("seed") if isinstance(rec.get("seed"), int) else -1


def _read_json(path: Path, what: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise RunDirError(f"cannot read {what} ({path}): {_why(err)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RunDirError(
            f"{what} ({path}) is not valid JSON; pass another --out (or delete the directory)"
        ) from None


def _csv_text(rows) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()
