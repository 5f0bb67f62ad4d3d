"""The replication report: aggregate the jobs of :data:`PLAN`, draw the figures, write
``report.md``, one PNG per figure and ``results.json``.
"""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path

from spikey.experiments.plan import aggregate
from spikey.experiments.registry import plain as _plain

CAPTIONS = {
    "fig1_synapse.png": "Fig. 1a–c. One synapse: a pre→post pairing leaves an eligibility trace c that "
    "decays with τc ≈ 1 s; a dopamine pulse 1 s later turns it into a lasting weight change, a pulse "
    "5 s later hardly does, and after a post→pre pairing the same pulse depresses the synapse.",
    "fig1_network.png": "Fig. 1d–e. The 1000-neuron network: one excitatory synapse (starting at 0) "
    "is rewarded 1–3 s after each time its postsynaptic neuron fires within 20 ms after its "
    "presynaptic neuron. It climbs to the 4 mV ceiling while the mean excitatory weight stays below "
    "1 mV; without reward it stays near 0.",
    "fig2.png": "Fig. 2. Classical conditioning: 100 stimuli, only S1 followed by reward 0–1 s later. "
    "The network's response to S1 and S1's outgoing weights grow; the others change little.",
    "fig3.png": "Fig. 3 (reconstructed protocol). Reward when group A fires more spikes than group B in "
    "the 20 ms after the stimulus S; after 400 trials B is rewarded instead.",
    "fig4.png": "Fig. 4 (reconstructed protocol). VTA neurons release dopamine at each spike. After "
    "CS1→US pairing the VTA responds to CS1; after CS2→CS1→US pairing, to CS2. CSX is never paired.",
}

FIGURES = {  # PNG name -> (plot function name, main label, {argument: label})
    "fig1_synapse.png": ("plot_synapse", "fig1-synapse", {}),
    "fig1_network.png": (
        "plot_fig1",
        "fig1",
        {"variant": "fig1 10 ms window", "control": "fig1 no reward"},
    ),
    "fig2.png": ("plot_fig2", "fig2", {"control": "fig2 no reward"}),
    "fig3.png": ("plot_fig3", "fig3", {"control": "fig3 no reward"}),
    "fig4.png": ("plot_fig4", "fig4", {}),
}


def _fmt(v):
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _thr(line):
    thr = line["threshold"]
    if line["op"] == "between":
        return f"in [{_fmt(float(thr[0]))}, {_fmt(float(thr[1]))}]"
    if line["op"] == "":
        return str(thr)
    return f"{line['op']} {_fmt(float(thr))}"


def draw_figures(rows, out_dir):
    """Write one PNG per paper figure; return {png name: path or error text}."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from spikey.experiments.izh2007 import plots

    by_label = {}
    for row in rows:
        if row["result"] is not None:
            by_label.setdefault(row["label"], []).append(row["result"])
    made = {}
    for png, (func, main, extra) in FIGURES.items():
        if main not in by_label:
            continue
        kwargs = {arg: by_label[label] for arg, label in extra.items() if label in by_label}
        try:
            fig = getattr(plots, func)(by_label[main], **kwargs)
            fig.savefig(Path(out_dir) / png, dpi=110)
            made[png] = str(Path(out_dir) / png)
        except Exception as err:  # a broken figure must not hide the verdicts
            made[png] = f"ERROR {type(err).__name__}: {err}"
    return made


def write(out_dir, rows, plan, quorum, meta):
    """Write report.md and results.json into ``out_dir``; return (all gating passed, lines)."""
    from spikey.experiments import registry

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = aggregate(rows, quorum)
    figures = draw_figures(rows, out_dir)
    passed = all(line["ok"] for line in lines if line["gating"])
    md = [
        f"# Replication of Izhikevich (2007){' — quick run' if meta.get('quick') else ''}",
        "",
        "E.M. Izhikevich (2007) *Solving the Distal Reward Problem through Linkage of STDP and "
        "Dopamine Signaling.* Cerebral Cortex 17:2443–2452.",
        "",
        f"**Verdict: {'PASS' if passed else 'FAIL'}** — "
        + (
            "every gating criterion passes."
            if passed
            else "gating criteria that fail: "
            + ", ".join(
                f"{line['label']} / `{line['criterion']}`"
                for line in lines
                if line["gating"] and not line["ok"]
            )
            + "."
        )
        + f" Seeds: {meta['seeds']}; backend `{meta['backend']}`; wall time "
        f"{meta['wall_s']:.0f} s. Reported (non-gating) criteria are context, e.g. agreement "
        "with the author's program; their FAIL does not fail the run.",
        "",
    ]
    if meta.get("quick"):
        md += [
            "This is the `--quick` run: shortened protocols whose criteria are scaled to what "
            "the shorter training can show (see each experiment's parameters below). "
            "The full run applies the paper's criteria.",
            "",
        ]
    md += [
        "| experiment | criterion | value per seed | threshold | verdict | rule | seeds passing "
        "| role |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        vals = ", ".join(_fmt(v) for v in line["values"])
        verdict = "PASS" if line["ok"] else "FAIL"
        role = "gating" if line["gating"] else "reported"
        need = f" (need {line['required']})" if line["required"] != len(line["passed"]) else ""
        md.append(
            f"| {line['label']} | {line['criterion']} | {vals} | {_thr(line)} | {verdict} | "
            f"{line['rule']} | {sum(line['passed'])}/{len(line['passed'])}{need} | {role} |"
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
        md += ["", f"*{CAPTIONS.get(png, '')}*", ""]
    md += [
        "## Per-job summary",
        "",
        "| experiment | seed | wall (s) | summary |",
        "|---|---|---|---|",
    ]
    for row in rows:
        text = row["result"].text if row["result"] is not None else f"ERROR {row['error']}"
        md.append(f"| {row['label']} | {row['seed']} | {row['seconds']:.1f} | {text} |")
    md += ["", "## Protocols and parameters", ""]
    done = set()
    for entry in plan:
        label, name, overrides, role = entry.label, entry.experiment, entry.overrides, entry.role
        config = next((r["config"] for r in rows if r["label"] == label), None)
        if config is None:
            continue
        md += [f"### {label} (`{name}`, {role})", ""]
        if name not in done:
            done.add(name)
            func = registry.get(name).func
            md += [(importlib.import_module(func.__module__).__doc__ or "").strip(), ""]
            if func.__doc__ and name.endswith("synapse"):
                md += [func.__doc__.strip(), ""]
        md.append(
            "Parameters: "
            + ", ".join(f"`{k}={_fmt(v)}`" for k, v in config.items())
            + (f" (overrides: {overrides})" if overrides else "")
        )
        md.append("")
    (out_dir / "report.md").write_text("\n".join(md) + "\n")
    results = {
        "paper": "izhikevich2007",
        "passed": passed,
        **{k: _plain(v) for k, v in meta.items()},
        "criteria": [{k: _plain(v) for k, v in line.items()} for line in lines],
        "jobs": [
            {
                "label": r["label"],
                "experiment": r["experiment"],
                "seed": r["seed"],
                "role": r["role"],
                "seconds": r["seconds"],
                "config": _plain(r["config"]),
                "error": r["error"],
                **(r["result"].to_dict() if r["result"] is not None else {}),
            }
            for r in rows
        ],
        "figures": figures,
    }
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str))
    return passed, lines
