"""The nulls tool (``python -m spikey.nulls``) outside the experiment package: it reads
replicate outputs and merges into the stored file; the old path still answers, warning."""

import json

import pytest

import spikey.nulls as tool
from spikey.experiments.izh2007 import null_store


def _replicate_dir(path, seed_metrics, quick=False):
    jobs = [
        {"label": "fig3 no reward", "seed": seed, "metrics": metrics}
        for seed, metrics in seed_metrics.items()
    ]
    jobs.append({"label": "fig3", "seed": 0, "metrics": {"p_a_last": 0.9, "w_sa_minus_sb": 2.0}})
    path.mkdir()
    (path / "results.json").write_text(json.dumps({"quick": quick, "jobs": jobs}))
    return path


def test_collect_reads_the_control_jobs_of_replicate_runs(tmp_path):
    d = _replicate_dir(tmp_path / "a", {0: {"p_a_last": 0.4}, 1: {"p_a_last": 0.5}})
    assert tool.collect([d]) == {"fig3 no reward": {0: {"p_a_last": 0.4}, 1: {"p_a_last": 0.5}}}
    quick = _replicate_dir(tmp_path / "q", {0: {"p_a_last": 0.4}}, quick=True)
    with pytest.raises(ValueError, match="a --quick run"):
        tool.collect([quick])


def test_effect_is_merged_into_the_stored_file(tmp_path, capsys):
    base = _replicate_dir(tmp_path / "base", {})
    other = tmp_path / "other"
    other.mkdir()
    data = json.loads((base / "results.json").read_text())
    data["jobs"][0]["metrics"]["p_a_last"] = 0.7
    (other / "results.json").write_text(json.dumps(data))
    out = tmp_path / "nulls.json"
    out.write_text(json.dumps({"runs": {"kept": {}}}))
    assert tool.main(["--effect", "x", str(base), str(other), "--out", str(out)]) == 0
    stored = json.loads(out.read_text())
    assert stored["runs"] == {"kept": {}}
    assert stored["effects"]["x"]["text"].startswith("fig3 p_a_last 0.9 → 0.7")
    assert stored["effects"]["x"]["command"].startswith("python -m spikey.nulls ")
    assert "x: fig3 p_a_last" in capsys.readouterr().out


def test_the_old_path_warns_and_gives_the_data_and_the_tool():
    import importlib
    import sys

    assert null_store.summary([1.0, 3.0])["mean"] == 2.0
    sys.modules.pop("spikey.experiments.izh2007.nulls", None)
    with pytest.warns(DeprecationWarning, match="spikey.experiments.izh2007.null_store"):
        old = importlib.import_module("spikey.experiments.izh2007.nulls")
    assert old.measure is tool.measure and old.null_for is null_store.null_for
