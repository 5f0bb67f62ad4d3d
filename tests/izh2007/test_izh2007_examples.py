"""The Izhikevich (2007) example scripts run (shortened by SPIKEY_EXAMPLE_SHORT=1) and save
their figure."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "script, extra, expect",
    [
        ("izhikevich2007_fig1.py", [], r"\d+ rewards; target \d+\.\d+ mV"),
        ("izhikevich2007_fig2.py", [], r"response ratio S1/others: probe \d+\.\d+"),
        ("izhikevich2007_fig3.py", ["--rpe"], r"P\(A wins\) \d\.\d+ -> \d\.\d+; after reversal"),
        ("izhikevich2007_fig4.py", [], r"CS1 gain after phase 1 \d+\.\d+"),
    ],
)
def test_example_runs_shortened_and_saves_its_figure(tmp_path, script, extra, expect):
    out = tmp_path / "figure.png"
    args = ["10", str(out)] if script != "izhikevich2007_fig1.py" else ["1", str(out)]
    env = {**os.environ, "SPIKEY_EXAMPLE_SHORT": "1", "MPLBACKEND": "Agg"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), *args, *extra],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.search(expect, proc.stdout), proc.stdout
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
