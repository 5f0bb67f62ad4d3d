"""The sweep directory: ``sweep.json`` (which sweep it is), ``trials.csv`` and ``best.json``.

The searchers keep their own state beside these (``optuna.journal``, ``ray_trials.jsonl``,
Tune's folder ``tune/``).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from spikey.experiments import registry
from spikey.module import ConfigError

#: the words an old ``sweep.json`` used: "engine" was where the trials ran
_OLD_ENGINE = {"process": ("optuna", "process"), "ray": ("tune", "ray")}


def writing(path: Path, write) -> None:
    """``write(path)``; an OSError (read-only, disk full) becomes one clear ConfigError."""
    try:
        write(path)
    except OSError as err:
        raise ConfigError(
            f"cannot write {path}: {err.strerror or type(err).__name__}; pass another --out"
        ) from None


def start_or_resume(out: Path, spec: dict, base: dict) -> None:
    """Start ``out/sweep.json``, or check that the sweep found there is this one (a resume;
    only ``samples`` may differ)."""
    target = out / "sweep.json"
    if target.exists():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise ConfigError(
                f"sweep directory {out}: sweep.json is unreadable; pass another --out"
            ) from None
        if isinstance(old, dict) and "engine" in old and "backend" not in old:
            old["searcher"], old["backend"] = _OLD_ENGINE.get(old.pop("engine"), (None, None))
        same = isinstance(old, dict) and all(
            old.get(k) == v for k, v in json.loads(json.dumps(spec)).items() if k != "samples"
        )
        if not same:
            raise ConfigError(
                f"sweep directory {out} holds another sweep ({target}); pass another --out "
                "to start a new one (a rerun resumes only the same sweep)"
            )
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConfigError(
            f"cannot create the sweep directory {out}: {err.strerror}; pass another --out"
        ) from None
    doc = {**spec, "config": registry.plain(base)}
    writing(target, lambda path: path.write_text(json.dumps(doc, indent=2, default=repr)))


def finite(v) -> bool:
    """Whether ``v`` is a finite int or float."""
    return isinstance(v, (int, float)) and math.isfinite(v)


def write_table(path: Path, rows: list) -> None:
    """``rows`` as CSV, columns in order of first appearance."""
    names = []
    for r in rows:
        names.extend(k for k in r if k not in names)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=names)
        w.writeheader()
        w.writerows(rows)


def write_results(out: Path, rows: list, summary: dict) -> None:
    """Write ``trials.csv`` (every row) and ``best.json`` (the summary without the rows)."""
    writing(out / "trials.csv", lambda path: write_table(path, rows))
    best = {k: v for k, v in summary.items() if k not in ("trials", "out", "engine")}
    writing(
        out / "best.json", lambda path: path.write_text(json.dumps(best, indent=2, default=repr))
    )
