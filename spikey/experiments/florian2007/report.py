"""The ``spikey replicate florian2007`` report: verdict table over seeds, figures, per-job
summaries and parameters in ``report.md``; ``results.json`` beside it."""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from pathlib import Path

from spikey.experiments import registry
from spikey.experiments.florian2007 import plots
from spikey.experiments.plan import (
    PlanEntry,
    aggregate,
    format_threshold,
    format_value,
    results_record,
)

#: PNG name -> (plot function in plots.py, plan label, all seeds or the first one, caption)
FIGURES = {
    "fig1.png": (
        "plot_fig1",
        "fig1",
        "first",
        "Fig. 1. One synapse, pre 5/80/115/135 ms, post 10/70/110/140 ms, reward +1 then -1 "
        "after 100 ms. MSTDP moves the weight only at spikes; MSTDPET's eligibility trace z "
        "keeps moving it between spikes while reward is present; the sign of each change is "
        "that of r·ζ (r·z). The framework's RLSTDP is drawn beside them.",
    ),
    "xor.png": (
        "plot_xor",
        "xor",
        "first",
        "XOR (first seed). Output rate per input pair over training, running mean of 12 "
        "presentations: with learning the '1' pairs (0,1) and (1,0) end above the '0' pairs; "
        "with learning_rate = 0 (dashed) all four stay at the starting rate.",
    ),
    "xor_seeds.png": (
        "plot_xor_seeds",
        "xor",
        "all",
        "XOR, every seed: the win margin (slower '1' pair minus faster '0' pair over the last "
        "presentations) with learning and without; a win needs more than the dashed line.",
    ),
}


def draw_figures(rows: list[dict], out_dir: str | Path) -> dict:
    """Write the PNGs; return {name: path, or the error text of a figure that failed}."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    by_label = {}
    for row in rows:
        if row["result"] is not None:
            by_label.setdefault(row["label"], []).append(row["result"])
    made = {}
    for png, (func, label, which, _) in FIGURES.items():
        if label not in by_label:
            continue
        try:
            arg = by_label[label] if which == "all" else by_label[label][0]
            fig = getattr(plots, func)(arg)
            fig.savefig(Path(out_dir) / png, dpi=110)
            plt.close(fig)
            made[png] = str(Path(out_dir) / png)
        except Exception as err:  # a broken figure must not hide the verdicts
            made[png] = f"ERROR {type(err).__name__}: {err}"
    return made


def write(
    out_dir: str | Path,
    rows: list[dict],
    plan: Sequence[PlanEntry],
    quorum: dict,
    meta: dict,
) -> tuple[bool, list[dict]]:
    """Write report.md and results.json into ``out_dir``; return (all gating passed, lines)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = aggregate(rows, quorum)
    figures = draw_figures(rows, out_dir)
    passed = all(line["ok"] for line in lines if line["gating"])
    failing = [
        f"{ln['label']} / `{ln['criterion']}`" for ln in lines if ln["gating"] and not ln["ok"]
    ]
    md = [
        f"# Replication of Florian (2007){' — quick run' if meta.get('quick') else ''}",
        "",
        "R.V. Florian (2007) *Reinforcement learning through modulation of spike-timing-"
        "dependent synaptic plasticity.* Neural Computation 19:1468–1502 — the two examples "
        "of the original Spikey repository (`florian2007_Fig_1.ipynb`, `florian2007_XOR.ipynb`).",
        "",
        f"**Verdict: {'PASS' if passed else 'FAIL'}** — "
        + (
            "every gating criterion passes."
            if passed
            else "gating criteria that fail: " + ", ".join(failing) + "."
        )
        + f" Seeds: {meta['seeds']}; backend `{meta['backend']}`; wall time "
        f"{meta['wall_s']:.0f} s.",
        "",
    ]
    if meta.get("quick"):
        md += [
            "This is the `--quick` run: the XOR is trained for fewer, shorter presentations.",
            "",
        ]
    md += [
        "| experiment | criterion | value per seed | threshold | rule | verdict | seeds passing "
        "| role |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        vals = ", ".join(format_value(v) for v in line["values"])
        verdict = "PASS" if line["ok"] else "FAIL"
        role = "gating" if line["gating"] else "reported"
        md.append(
            f"| {line['label']} | {line['criterion']} | {vals} | {format_threshold(line)} | {line['rule']} "
            f"| {verdict} | {sum(line['passed'])}/{len(line['passed'])} "
            f"(need {line['required']}) | {role} |"
        )
    md += ["", "Criteria explained:", ""]
    seen = set()
    for line in lines:
        if line["criterion"] not in seen and line["description"]:
            seen.add(line["criterion"])
            md.append(f"- `{line['criterion']}`: {line['description']}")
    md += ["", "## Figures", ""]
    for png, path in figures.items():
        md.append(f"![{png}]({png})" if not path.startswith("ERROR") else f"- {png}: {path}")
        md += ["", f"*{FIGURES[png][3]}*", ""]
    md += [
        "## Per-job summary",
        "",
        "| experiment | seed | wall (s) | summary |",
        "|---|---|---|---|",
    ]
    for row in rows:
        text = row["result"].text if row["result"] is not None else f"ERROR {row['error']}"
        text = text.replace("\n", "<br>").replace("|", "/")
        md.append(f"| {row['label']} | {row['seed']} | {row['seconds']:.1f} | {text} |")
    md += ["", "## Protocols and parameters", ""]
    done = set()
    for entry in plan:
        config = next((r["config"] for r in rows if r["label"] == entry.label), None)
        if config is None:
            continue
        md += [f"### {entry.label} (`{entry.experiment}`, {entry.role})", ""]
        if entry.experiment not in done:
            done.add(entry.experiment)
            func = registry.get(entry.experiment).func
            md += [(importlib.import_module(func.__module__).__doc__ or "").strip(), ""]
        md.append(
            "Parameters: "
            + ", ".join(f"`{k}={format_value(v)}`" for k, v in config.items())
            + (f" (overrides: {entry.overrides})" if entry.overrides else "")
        )
        md.append("")
    (out_dir / "report.md").write_text("\n".join(md) + "\n")
    results = results_record("florian2007", passed, meta, lines, rows, figures)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str))
    return passed, lines
