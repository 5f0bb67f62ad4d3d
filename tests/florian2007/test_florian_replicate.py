"""``spikey replicate florian2007``: the plan, the report and its figures."""

import json

from spikey import replicate
from spikey.cli import main as cli_main


def test_plan_has_both_experiments_on_every_seed():
    planned = replicate.plan_jobs(quick=True, seeds=3, paper="florian2007")
    labels = [(entry.label, job.seed) for entry, job in planned]
    assert labels == [("fig1", 0), ("fig1", 1), ("fig1", 2), ("xor", 0), ("xor", 1), ("xor", 2)]
    xor_config = planned[-1][1].config
    assert xor_config["len_episode"] == 300 and xor_config["processing_time"] == 250


def test_replicate_writes_report_with_figures(tmp_path, capsys):
    out = tmp_path / "rep"
    code = cli_main(
        [
            "replicate",
            "florian2007",
            "--quick",
            "--seeds",
            "1",
            "--backend",
            "serial",
            "--set",
            "len_episode=40",
            "--set",
            "processing_time=100",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    report = (out / "report.md").read_text()
    assert "**Verdict: PASS**" in report
    for png in ("fig1.png", "xor.png", "xor_seeds.png"):
        assert (out / png).stat().st_size > 10_000
        assert f"![{png}]({png})" in report
    results = json.loads((out / "results.json").read_text())
    assert results["paper"] == "florian2007" and results["passed"]
    by_name = {(c["label"], c["criterion"]): c for c in results["criteria"]}
    assert by_name[("xor", "win")]["values"] == [1.0]
    assert by_name[("xor", "control_win")]["values"] == [0.0]
    assert by_name[("fig1", "mstdpet_vs_equations")]["values"][0] <= 1e-9
    assert "PASS  xor" in printed
