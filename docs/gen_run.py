"""Running commands while the site is built: the environment, and one shell command's output.

Commands run in a scratch folder, with ``spikey`` on PATH running this tree (as in
``tests/test_docs.py``), ``MPLBACKEND=Agg`` and this tree first on PYTHONPATH.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from gen_ref import REPO

TIMEOUT_S = 300


def environment(bin_dir: Path) -> dict:
    """The environment for build-time runs, with a ``spikey`` shim written into ``bin_dir``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "spikey"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m spikey.cli "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env["PATH"]])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["MPLBACKEND"] = "Agg"
    env.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    return env


def run_command(command: str) -> str:
    """Run a shell command in a scratch folder; return what it printed (stdout and stderr, in
    the order written).

    A non-zero exit raises RuntimeError with the command and its output.
    """
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / ".bin")
        work = Path(tmp) / "work"
        work.mkdir()
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", command],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT_S,
        )
    if done.returncode != 0:
        raise RuntimeError(f"docs: `{command}` exited {done.returncode}:\n{done.stdout[-6000:]}")
    return done.stdout
