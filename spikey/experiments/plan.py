"""A paper's replication plan as named records, and the seed-quorum verdict over seeds.

Used by ``spikey replicate`` (see :mod:`spikey.replicate`) and by each paper package.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Literal

from spikey.experiments.registry import Criterion, plain

ROLES = ("main", "control", "variant", "extension")


@dataclass(frozen=True)
class PlanEntry:
    """One line of a replication plan: a registered experiment under a label.

    Parameters
    ----------
    label : str
        The name in the report, e.g. ``"fig1 no reward"``; unique within a plan.
    experiment : str
        A registered experiment name, e.g. ``"izh2007.fig1"``.
    overrides : dict
        Config overrides that make this entry (a control, a variant) out of the experiment.
    role : {"main", "control", "variant", "extension"}
        ``variant`` and ``extension`` entries are reported beside the paper's.
    seeds : {"all", "first"}
        ``"first"``: a deterministic experiment, run on the first seed only.
    quick : bool
        Whether ``--quick`` runs it.
    """

    label: str
    experiment: str
    overrides: dict = field(default_factory=dict)
    role: Literal["main", "control", "variant", "extension"] = "main"
    seeds: Literal["all", "first"] = "all"
    quick: bool = True

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(
                f"PlanEntry {self.label!r}: role {self.role!r}; expected one of {ROLES}"
            )
        if self.seeds not in ("all", "first"):
            raise ValueError(
                f"PlanEntry {self.label!r}: seeds {self.seeds!r}; expected 'all' or 'first'"
            )


@dataclass(frozen=True)
class PairedClaim:
    """A criterion judged against the same seed's control: ``metric`` of the ``label`` job
    minus ``control_metric`` of the ``control`` job of the same seed, ``>=`` the threshold
    the ``label`` job's config holds under ``threshold_key`` (else ``default``).

    Both jobs share the seed's network and stimulus schedule (one seed policy), so the
    difference is paired. A seed whose control did not run (or failed) gets NaN, which
    fails. ``gate_when``: ``(key, value)``: the claim gates only when the job's config has
    that value (e.g. ``("gate_on", "behaviour")``); otherwise it is reported.
    """

    label: str
    name: str
    metric: str
    control: str
    threshold_key: str
    control_metric: str = ""
    gate_when: tuple | None = None
    description: str = ""
    default: float = float("nan")  # the threshold when the config lacks threshold_key


def add_paired(rows: list[dict], claims) -> list[dict]:
    """``rows`` with each :class:`PairedClaim` added to its label's Results (copies: the
    given Results are left alone). ``rows``: one dict per job with ``label``, ``seed``,
    ``config`` and ``result`` (a Result or None)."""
    controls = {(r["label"], r["seed"]): r["result"] for r in rows}
    out = []
    for row in rows:
        mine = [c for c in claims if c.label == row["label"]]
        res = row["result"]
        if not mine or res is None:
            out.append(row)
            continue
        criteria = list(res.criteria)
        for claim in mine:
            ctrl = controls.get((claim.control, row["seed"]))
            value = float("nan")
            if ctrl is not None and claim.metric in res.metrics:
                other = ctrl.metrics.get(claim.control_metric or claim.metric, float("nan"))
                value = float(res.metrics[claim.metric]) - float(other)
            config = row.get("config") or {}
            gating = claim.gate_when is None or config.get(claim.gate_when[0]) == claim.gate_when[1]
            criteria.append(
                Criterion(
                    claim.name,
                    value,
                    ">=",
                    float(config.get(claim.threshold_key, claim.default)),
                    gating,
                    claim.description
                    + ("" if ctrl is not None else f" [no {claim.control!r} job of this seed]"),
                )
            )
        out.append({**row, "result": dataclasses.replace(res, criteria=criteria)})
    return out


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a success fraction ``successes / n``;
    (nan, nan) for n = 0."""
    if n <= 0:
        return float("nan"), float("nan")
    p = successes / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo = 0.0 if successes == 0 else max(0.0, mid - half)
    return lo, 1.0 if successes == n else min(1.0, mid + half)


def required(n_seeds: int, fraction: float) -> int:
    """Seeds that must pass a criterion of quorum ``fraction`` out of ``n_seeds`` (rounded up)."""
    return math.ceil(fraction * n_seeds - 1e-9)


def rule_name(fraction: float) -> str:
    """How the report names a quorum: ``"every seed"`` or e.g. ``"quorum 2/3"``."""
    if fraction >= 1.0:
        return "every seed"
    num = round(fraction * 3)
    if abs(num / 3 - fraction) < 1e-9:
        return f"quorum {num}/3"
    return f"quorum {fraction:.2g}"


def aggregate(rows: list[dict], quorum: dict) -> list[dict]:
    """One line per (label, criterion) over seeds: values, passes, rule and verdict.

    Parameters
    ----------
    rows : list of dict
        One per job: ``label``, ``seed``, ``result`` (a ``Result`` or None) and ``error``.
        A job that raised counts as one failed gating check ``job finished``.
    quorum : dict
        ``{(label, criterion): fraction}``; a criterion passes when at least
        ``ceil(fraction * seeds)`` seeds pass it (absent: every seed).

    Returns
    -------
    list of dict
        Keys: label, criterion, values, seeds, passed, threshold, op, gating, description,
        quorum (the fraction), rule (its name), required, ok, rate (the fraction of seeds
        passing) and interval (its 95 % Wilson interval).
    """
    lines = {}
    for row in rows:
        if row["result"] is None:
            checks = [
                ("job finished", float("nan"), False, "no error", "", True, row["error"] or "")
            ]
        else:
            checks = [
                (c.name, c.value, c.passed, c.threshold, c.op, c.gating, c.description)
                for c in row["result"].criteria
            ]
        for name, value, ok, threshold, op, gating, description in checks:
            line = lines.setdefault(
                (row["label"], name),
                {
                    "label": row["label"],
                    "criterion": name,
                    "values": [],
                    "seeds": [],
                    "passed": [],
                    "threshold": threshold,
                    "op": op,
                    "gating": gating,
                    "description": description,
                },
            )
            line["values"].append(value)
            line["seeds"].append(row["seed"])
            line["passed"].append(ok)
    for key, line in lines.items():
        fraction = float(quorum.get(key, 1.0))
        line["quorum"] = fraction
        line["rule"] = rule_name(fraction)
        line["required"] = required(len(line["passed"]), fraction)
        line["ok"] = sum(line["passed"]) >= line["required"]
        line["rate"] = sum(line["passed"]) / len(line["passed"])
        line["interval"] = wilson(sum(line["passed"]), len(line["passed"]))
    return list(lines.values())


def seeds_verdict(jobs: list[dict], quorum: dict) -> bool:
    """Whether jobs of one experiment pass when each gating criterion is judged over their
    seeds: criterion ``name`` by at least ``required(len(jobs), quorum[name])`` of them, any
    other by every seed (as the report judges a plan entry). ``jobs`` are the runner's job
    summaries (``criteria``: name -> dict with ``passed`` and ``gating``; ``error``)."""
    if not jobs or any(job.get("error") for job in jobs):
        return False
    passes: dict[str, int] = {}
    for job in jobs:
        for name, c in job["criteria"].items():
            if c["gating"]:
                passes[name] = passes.get(name, 0) + bool(c["passed"])
    return all(n >= required(len(jobs), float(quorum.get(name, 1.0))) for name, n in passes.items())


def format_value(v) -> str:
    """A report cell: floats to 3 significant digits, NaN as "nan"."""
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def format_threshold(line: dict) -> str:
    """A criterion line's threshold as the report prints it ("in [lo, hi]", ">= x", ...)."""
    thr = line["threshold"]
    if line["op"] == "between":
        return f"in [{format_value(float(thr[0]))}, {format_value(float(thr[1]))}]"
    if line["op"] == "":
        return str(thr)
    return f"{line['op']} {format_value(float(thr))}"


def results_record(paper: str, passed: bool, meta: dict, lines, rows, figures, **extra) -> dict:
    """What ``results.json`` holds: the verdict, run metadata, criteria lines and every job."""
    return {
        "paper": paper,
        "passed": passed,
        **extra,
        **{k: plain(v) for k, v in meta.items()},
        "criteria": [{k: plain(v) for k, v in line.items()} for line in lines],
        "jobs": [
            {
                "label": r["label"],
                "experiment": r["experiment"],
                "seed": r["seed"],
                "role": r["role"],
                "seconds": r["seconds"],
                "config": plain(r["config"]),
                "error": r["error"],
                **(r["result"].to_dict() if r["result"] is not None else {}),
            }
            for r in rows
        ],
        "figures": figures,
    }
