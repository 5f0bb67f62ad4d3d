"""examples/florian2007_fig1.py runs as a script and agrees with florian2007.fig1."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from spikey.experiments import registry

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "florian2007_fig1.py"


def test_fig1_script_matches_the_registered_experiment(tmp_path):
    png = tmp_path / "fig1.png"
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--plot", str(png)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    final = {}
    for line in out.stdout.splitlines():
        m = re.match(r"^(\w+)\s+w at [\d/]+ ms: (.*)$", line)
        if m:
            final[m.group(1)] = float(m.group(2).split(", ")[-1])
    assert set(final) == {"MSTDP", "MSTDPET", "RLSTDP"}
    metrics = registry.get("florian2007.fig1")({}, seed=0).metrics
    assert final["MSTDP"] == pytest.approx(metrics["mstdp_w_final"], abs=1e-4)
    assert final["MSTDPET"] == pytest.approx(metrics["mstdpet_w_final"], abs=1e-4)
    assert final["RLSTDP"] == pytest.approx(metrics["rlstdp_w_final"], abs=1e-4)
    assert png.stat().st_size > 5_000
