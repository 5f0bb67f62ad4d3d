"""The replication report: aggregate the jobs of :data:`PLAN`, draw the figures, write
``report.md``, one PNG per figure and ``results.json``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from spikey.experiments.plan import aggregate, format_threshold, format_value, results_record

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
    "fig3_rpe.png": ("plot_fig3", "fig3-rpe", {"control": "fig3 no reward"}),
}


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


# -- sentences from measured values ------------------------------------------------------


def _m(by_label, label, key):
    """Per-seed values of metric ``key`` of ``label`` (NaN where absent)."""
    return [r.metrics.get(key, float("nan")) for _, r in by_label.get(label, [])]


def _span(values, digits=2, unit=""):
    """``a`` or ``a–b`` (the range over seeds)."""
    vals = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    if not vals:
        return "n/a"
    lo, hi = min(vals), max(vals)
    u = f" {unit}" if unit else ""
    if round(lo, digits) == round(hi, digits):
        return f"{lo:.{digits}f}{u}"
    return f"{lo:.{digits}f}–{hi:.{digits}f}{u}"


def _seeds(values, digits=2):
    return ", ".join("nan" if math.isnan(v) else f"{v:.{digits}f}" for v in values)


def caption(png: str, by_label: dict) -> str:
    """The caption of one figure, written from the measured values of this run."""
    n = lambda label: len(by_label.get(label, []))  # noqa: E731
    if png == "fig1_synapse.png":
        e, late, anti = (
            _m(by_label, "fig1-synapse", k) for k in ("dw_early", "dw_late", "dw_post_pre")
        )
        return (
            f"Fig. 1a–c. One synapse: a dopamine pulse 1 s after a pre→post pairing changed the "
            f"weight by {_span(e, 4)} mV, a pulse 5 s after by {_span(late, 4)} mV, and a pulse "
            f"after a post→pre pairing by {_span(anti, 4)} mV."
        )
    if png == "fig1_network.png":
        tgt, rank = _m(by_label, "fig1", "target_final_mV"), _m(by_label, "fig1", "target_rank_pct")
        first = _m(by_label, "fig1", "first_reach_4mV_s")
        reached = [v for v in first if not math.isnan(v)]
        text = (
            f"Fig. 1d–e. The reinforced synapse (starting at 0 mV) averaged {_span(tgt)} mV over "
            f"the last 10 min on {n('fig1')} seed(s) (per seed {_seeds(tgt)}), above "
            f"{_span(rank, 1)} % of the excitatory synapses; it reached 4 mV in "
            f"{len(reached)} of {len(first)} seed(s)"
            + (f" (first at {_span(reached, 0)} s)" if reached else "")
            + f"; mean excitatory weight {_span(_m(by_label, 'fig1', 'mean_exc_weight'), 3)} mV, "
            f"{_span(_m(by_label, 'fig1', 'rewards_per_hour'), 0)} rewards/h."
        )
        if by_label.get("fig1 no reward"):
            text += (
                " Without reward the target averaged "
                f"{_span(_m(by_label, 'fig1 no reward', 'target_final_mV'))} mV."
            )
        if by_label.get("fig1 10 ms window"):
            text += (
                " With a 10 ms window: "
                f"{_span(_m(by_label, 'fig1 10 ms window', 'target_final_mV'))} mV, "
                f"{_span(_m(by_label, 'fig1 10 ms window', 'rewards_per_hour'), 0)} rewards/h."
            )
        return text
    if png == "fig2.png":
        text = (
            "Fig. 2. Classical conditioning, S1 followed by reward 0–1 s later. S1's response "
            "relative to the others: "
            f"{_span(_m(by_label, 'fig2', 'response_ratio_start'))} in the probe before "
            f"training, {_span(_m(by_label, 'fig2', 'response_ratio_end'))} in the last "
            f"minutes; S1's outgoing weight relative to the rest "
            f"{_span(_m(by_label, 'fig2', 'weight_ratio_end'))} at the end."
        )
        if by_label.get("fig2 no reward"):
            text += (
                " No-reward control: response ratio "
                f"{_span(_m(by_label, 'fig2 no reward', 'response_ratio_end'))}, weight ratio "
                f"{_span(_m(by_label, 'fig2 no reward', 'weight_ratio_end'))}."
            )
        return text
    if png in ("fig3.png", "fig3_rpe.png"):
        label = "fig3" if png == "fig3.png" else "fig3-rpe"
        head = (
            "Fig. 3 (reconstructed protocol)"
            if label == "fig3"
            else "Extension of Fig. 3 (not in the paper): dopamine = reward minus a learned "
            "expectation"
        )
        runs = by_label.get(label, [])
        m = runs[0][1].figures.get("eval", 100) if runs else 100
        text = (
            f"{head}. P(A wins) over the first → last {m} trials of acquisition, per seed: "
            + "; ".join(
                f"{a:.2f} → {b:.2f}"
                for a, b in zip(_m(by_label, label, "p_a_first"), _m(by_label, label, "p_a_last"))
            )
            + "."
        )
        pb = _m(by_label, label, "p_b_after_reversal")
        if any(not math.isnan(v) for v in pb):
            text += f" After the reversal P(B wins) over the last {m} trials: {_seeds(pb)}."
        ctrl = "fig3 no reward"
        if by_label.get(ctrl):
            text += (
                f" No-reward control: P(A wins) changed by {_seeds(_m(by_label, ctrl, 'p_a_gain'))}"
            )
            pbc = _m(by_label, ctrl, "p_b_after_reversal")
            if any(not math.isnan(v) for v in pbc):
                text += f"; P(B wins) in its last {m} trials {_seeds(pbc)}"
            text += "."
        return text
    if png == "fig4.png":

        def pr(stim, when):
            return _span(_m(by_label, "fig4", f"{stim}_{when}"), 1)

        return (
            "Fig. 4 (reconstructed protocol). VTA spikes in the 50 ms after each stimulus "
            f"(frozen probes): CS1 {pr('CS1', 'before')} before training → {pr('CS1', 'between')} "
            f"after phase 1 (US alone {pr('US', 'between')}, never-paired CSX "
            f"{pr('CSX', 'between')}); CS2 {pr('CS2', 'before')} → {pr('CS2', 'after')} after "
            f"phase 2 (CS1 then {pr('CS1', 'after')}, CSX {pr('CSX', 'after')})."
        )
    return ""


# -- the science text: a versioned data file beside this module ---------------------------

#: protocols, reasons, tuning history and every difference from the paper (``## name``
#: sections; see the file's first line)
SCIENCE = Path(__file__).with_name("science.md")


def science_section(name: str, path: Path = SCIENCE) -> str:
    """The text of section ``## name`` of the science file (up to the next ``## ``).

    Parameters
    ----------
    name : str
        An experiment module's last name (``"fig3"``) or ``"differences"``.
    path : Path
        The science file (default :data:`SCIENCE`).

    Returns
    -------
    str
        The section's text, stripped.

    Raises
    ------
    KeyError
        When the file has no such section (naming the ones it has).
    """
    sections, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    if name not in sections:
        raise KeyError(f"{path.name} has no section '## {name}'; it has {sorted(sections)}")
    return "\n".join(sections[name]).strip()


def calibration_lines() -> list[str]:
    """Markdown: the tuning tables of Fig. 3's and Fig. 4's recalibrated parameters."""
    from spikey.experiments.izh2007 import fig3, fig4

    out = []
    for fig, cal in (
        ("Fig. 3", fig3.CALIBRATION),
        ("Fig. 4", fig4.CALIBRATION),
        ("Fig. 4", fig4.CALIBRATION_US_VTA),
    ):
        out += [
            "",
            f"{fig} calibration of `{cal['parameter']}` (chosen {cal['chosen']:g}; "
            'twin rule "last"):',
            "",
            f"| {cal['parameter']} | seed | " + " | ".join(cal["columns"]) + " |",
            "|---|---|" + "---|" * len(cal["columns"]),
        ]
        for value, seeds in sorted(cal["measured"].items()):
            for seed, row in seeds.items():
                cells = " | ".join("—" if v is None else f"{v:g}" for v in row)
                out.append(f"| {value:g} | {seed} | {cells} |")
    return out


def _stat(values):
    vals = [float(v) for v in values if not math.isnan(float(v))]
    if not vals:
        return "n/a"
    mean = sum(vals) / len(vals)
    if len(vals) < 2:
        return f"{mean:.3g}"
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / (len(vals) - 1))
    return f"{mean:.3g} ± {sd:.2g}"


def _null_text(null):
    if not null:
        return "—"
    return f"{null['mean']:.3g} ± {null['sd']:.2g} (n={null['n']})"


def _table(lines):
    out = [
        "| experiment | criterion | value per seed | threshold | null mean ± sd | verdict | rule "
        "| seeds passing | fraction (95 % CI) | role |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        vals = ", ".join(format_value(v) for v in line["values"])
        verdict = "PASS" if line["ok"] else "FAIL"
        role = "gating" if line["gating"] else "reported"
        need = f" (need {line['required']})" if line["required"] != len(line["passed"]) else ""
        out.append(
            f"| {line['label']} | {line['criterion']} | {vals} | {format_threshold(line)} | "
            f"{_null_text(line.get('null'))} | {verdict} | {line['rule']} | "
            f"{sum(line['passed'])}/{len(line['passed'])}{need} | {_rate(line)} | {role} |"
        )
    return out


def _rate(line) -> str:
    """The fraction of seeds meeting a claim, with its 95 % Wilson interval."""
    lo, hi = line["interval"]
    return f"{line['rate']:.2f} ({lo:.2f}–{hi:.2f})"


def _statistics(lines):
    out = [
        "| experiment | criterion | seeds | value per seed | mean ± sd | rule | passing / required |",
        "|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        out.append(
            f"| {line['label']} | {line['criterion']} | {', '.join(map(str, line['seeds']))} | "
            f"{', '.join(format_value(v) for v in line['values'])} | {_stat(line['values'])} | "
            f"{line['rule']} | {sum(line['passed'])} / {line['required']} |"
        )
    return out


def _verdict(lines, what):
    failed = [f"{x['label']} / `{x['criterion']}`" for x in lines if x["gating"] and not x["ok"]]
    ok = not failed
    return ok, f"**{what}: {'PASS' if ok else 'FAIL'}** — " + (
        "every gating criterion passes."
        if ok
        else "gating criteria that fail: " + ", ".join(failed) + "."
    )


RAY_TEXT = (
    "Many seeds on a cluster: start Ray on the nodes (`ray start --head` on one, "
    "`ray start --address HEAD:6379` on the others), then on the head "
    "`spikey replicate izhikevich2007 --seeds 100 --backend ray --address auto --out rep100` "
    "(one Ray task per job; each job needs one CPU and ~1 GB; the report aggregates every seed "
    "with the same every-seed / quorum rules). `--first-seed K` or `--seed-list 3,7,9` choose "
    "other seed sets."
)


def write(out_dir, rows, plan, quorum, meta):
    """Write report.md and results.json into ``out_dir``; return (paper passed, lines).

    The paper's verdict gates the exit status; an extension (``role="extension"`` entries
    and the other entries of the same experiment) has its own verdict in its own section.
    Science text (protocols, reasons, differences from the paper) comes from
    :data:`SCIENCE`, never from a module's docstring.
    """
    from spikey.experiments.izh2007 import null_store

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = aggregate(rows, quorum)
    stored = null_store.load()
    for line in lines:
        line["null"] = null_store.null_for(
            stored, line["label"], line["criterion"], meta.get("quick")
        )
    ext_exps = {e.experiment for e in plan if e.role == "extension"}
    ext_labels = {e.label for e in plan if e.experiment in ext_exps}
    paper_lines = [x for x in lines if x["label"] not in ext_labels]
    ext_lines = [x for x in lines if x["label"] in ext_labels]
    figures = draw_figures(rows, out_dir)
    by_label = {}
    for row in rows:
        if row["result"] is not None:
            by_label.setdefault(row["label"], []).append((row["seed"], row["result"]))
    passed, verdict = _verdict(paper_lines, "Verdict")
    ext_verdict = _verdict(ext_lines, "Extension (not in the paper)")[1] if ext_lines else None
    md = _head_lines(meta, verdict, ext_verdict, lines, paper_lines)
    md += _figure_lines(figures, by_label)
    if ext_lines:
        md += _extension_lines(ext_lines, ext_verdict, figures, by_label)
    md += _difference_lines(rows, stored)
    md += _null_lines(stored)
    md += _job_lines(rows)
    md += _protocol_lines(plan, rows)
    (out_dir / "report.md").write_text("\n".join(md) + "\n")
    results = results_record(
        "izhikevich2007",
        passed,
        meta,
        lines,
        rows,
        figures,
        extension_passed=_verdict(ext_lines, "")[0] if ext_lines else None,
    )
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str))
    return passed, lines


def _head_lines(meta, verdict, ext_verdict, lines, paper_lines) -> list[str]:
    """Title, citation, verdicts, the criteria table and statistics."""
    md = [
        f"# Replication of Izhikevich (2007){' — quick run' if meta.get('quick') else ''}",
        "",
        "E.M. Izhikevich (2007) *Solving the Distal Reward Problem through Linkage of STDP and "
        "Dopamine Signaling.* Cerebral Cortex 17:2443–2452.",
        "",
        verdict + f" Seeds: {meta['seeds']}; backend `{meta['backend']}`; wall time "
        f"{meta['wall_s']:.0f} s. Rule per criterion: *every seed*, or a *quorum* (at least 2 "
        "of every 3 seeds, rounded up; a 1-seed run: that seed) for claims about typical "
        "seeds. Reported (non-gating) criteria are context, e.g. agreement with the author's "
        "program; their FAIL does not fail the run. Null: the same statistic where the effect "
        "cannot happen (see *Null distributions*).",
        "",
    ]
    if ext_verdict:
        md += [
            ext_verdict + " See its own section below; it does not change the paper's verdict.",
            "",
        ]
    if meta.get("quick"):
        md += [
            "This is the `--quick` run: shortened protocols whose thresholds are set against "
            "the null of the same shortened protocol. The full run applies the paper's criteria.",
            "",
        ]
    md += _table(paper_lines) + ["", "Criteria explained:", ""]
    seen = set()
    for line in lines:
        if line["criterion"] not in seen and line["description"]:
            seen.add(line["criterion"])
            md.append(f"- `{line['criterion']}`: {line['description']}")
    md += [
        "",
        "## Statistics",
        "",
        "Per criterion: the per-seed values, mean ± sd over seeds, and the rule applied.",
        "",
    ]
    md += _statistics(paper_lines)
    return md


def _figure_lines(figures, by_label) -> list[str]:
    """The paper's figures with their captions."""
    md = ["", "## Figures", ""]
    for png, path in figures.items():
        if png == "fig3_rpe.png":
            continue
        md.append(f"![{png}]({png})" if not path.startswith("ERROR") else f"- {png}: {path}")
        md += ["", f"*{caption(png, by_label)}*", ""]
    return md


def _extension_lines(ext_lines, ext_verdict, figures, by_label) -> list[str]:
    """The extension's own section: why, verdict, table, statistics, figure."""
    md = [
        "## Extension (not in the paper): dopamine as a reward-prediction error",
        "",
        "On the paper's mechanics dopamine is never negative, so unrewarded trials cannot "
        "unlearn and Fig. 3's network does not relearn after the reversal. "
        "`izh2007.fig3-rpe` runs the same network and protocol with dopamine driven by reward "
        "minus a critic's expectation (see its protocol below). Its control is the paper's "
        "no-reward run of 800 trials (`fig3 no reward`: without reward the critic does "
        "nothing; the extension counts tonic dopamine as part of the expectation and sets it "
        "to 0, so its own no-reward run would change no weight, and the paper's run, with "
        "tonic dopamine, is the stricter control), whose `control_p_b_*` criteria check "
        "that B does not come to win by drift.",
        "",
        ext_verdict,
        "",
    ]
    md += _table(ext_lines) + ["", "Statistics:", ""] + _statistics(ext_lines) + [""]
    if "fig3_rpe.png" in figures:
        path = figures["fig3_rpe.png"]
        md.append("![fig3_rpe.png](fig3_rpe.png)" if not path.startswith("ERROR") else path)
        md += ["", f"*{caption('fig3_rpe.png', by_label)}*", ""]
    return md


def _difference_lines(rows, stored) -> list[str]:
    """What differs from the paper (from the science file), the calibration tables and the
    measured effects."""
    md = ["## What differs from the paper", ""]
    used = sorted({str(r["config"].get("duplicates")) for r in rows if "duplicates" in r["config"]})
    modes = sorted({str(r["config"].get("mode")) for r in rows if "mode" in r["config"]})
    md.append(
        f"This run: twin rule {', '.join(used) or 'n/a'}; plasticity {', '.join(modes) or 'n/a'}."
    )
    md.append("")
    md.append(science_section("differences"))
    md += calibration_lines()
    effects = stored.get("effects", {})
    if effects:
        md += ["", "Measured effects (command and values stored in `nulls.json`):", ""]
        for name, eff in effects.items():
            md.append(f"- {name}: {eff['text']} (`{eff['command']}`)")
    return md


def _null_lines(stored) -> list[str]:
    """The stored null distributions and how they were measured."""
    md = ["", "## Null distributions", ""]
    if stored:
        cmds = stored.get("commands") or [stored.get("command")]
        seeds = stored.get("seeds", {})
        md += [
            "Measured with "
            + "; ".join(f"`{c}`" for c in cmds if c)
            + f" (commit {stored.get('commit') or '?'}). Seeds per null run: "
            + "; ".join(f"{k}: {v}" for k, v in seeds.items())
            + ". Each gating threshold is printed beside the null of its statistic above.",
            "",
            "| null run | statistic | mean ± sd | min–max | n |",
            "|---|---|---|---|---|",
        ]
        for name, per in stored.get("runs", {}).items():
            for stat, sm in per.items():
                md.append(
                    f"| {name} | {stat} | {sm['mean']:.3g} ± {sm['sd']:.2g} | "
                    f"{sm['min']:.3g}–{sm['max']:.3g} | {sm['n']} |"
                )
    else:
        md.append("No null distributions stored (run `python -m spikey.nulls`).")
    return md


def _job_lines(rows) -> list[str]:
    """Running many seeds, and one line per job."""
    md = ["", "## Many seeds", "", RAY_TEXT, ""]
    md += [
        "## Per-job summary",
        "",
        "| experiment | seed | wall (s) | summary |",
        "|---|---|---|---|",
    ]
    for row in rows:
        text = row["result"].text if row["result"] is not None else f"ERROR {row['error']}"
        md.append(f"| {row['label']} | {row['seed']} | {row['seconds']:.1f} | {text} |")
    return md


def _protocol_lines(plan, rows) -> list[str]:
    """Each plan entry's protocol (from the science file, once per experiment module) and
    the parameters it ran with."""
    from spikey.experiments import registry

    md = ["", "## Protocols and parameters", ""]
    done = set()
    for entry in plan:
        label, name, overrides, role = entry.label, entry.experiment, entry.overrides, entry.role
        config = next((r["config"] for r in rows if r["label"] == label), None)
        if config is None:
            continue
        md += [f"### {label} (`{name}`, {role})", ""]
        section = registry.get(name).func.__module__.rsplit(".", 1)[1]
        if section not in done:
            done.add(section)
            md += [science_section(section), ""]
        md.append(
            "Parameters: "
            + ", ".join(f"`{k}={format_value(v)}`" for k, v in config.items())
            + (f" (overrides: {overrides})" if overrides else "")
        )
        md.append("")
    return md
