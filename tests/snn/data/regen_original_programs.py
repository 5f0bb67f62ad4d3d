"""Regenerate ``original_programs.json``: run every program in ``original_programs/`` on
the ORIGINAL Spikey (the oracle) and store what each one left in its ``RESULT``.

Run it with a Python whose numpy still has the removed aliases (numpy < 1.24; the
original annotates with ``np.float``/``np.bool``), pointing at a checkout of the
original repository (SpikeyCNS/spikey, last commit e54cce8)::

    python3 -m venv /work/origvenv && /work/origvenv/bin/pip install "numpy==1.23.5" matplotlib
    git --git-dir=<mirror of SpikeyCNS/spikey> archive HEAD | tar -x -C /work/orig_spikey
    /work/origvenv/bin/python tests/snn/data/regen_original_programs.py /work/orig_spikey

Each program runs in a fresh interpreter, as a user's script would. The script refuses
to write when ``import spikey`` does not come from the given checkout.
"""

import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
PROGRAMS = sorted((HERE / "original_programs").glob("p*.py"))
OUT = HERE / "original_programs.json"

RUN_ONE = r"""
import json, runpy, sys, warnings
warnings.simplefilter("ignore")  # the original's np.float/np.bool DeprecationWarnings
sys.path.insert(0, sys.argv[1])
import numpy, spikey
assert spikey.__file__.startswith(sys.argv[1]), spikey.__file__
result = runpy.run_path(sys.argv[2], run_name="__main__")["RESULT"]
print("@@RESULT@@" + json.dumps({"result": result, "numpy": numpy.__version__}))
"""


def main(orig_src):
    """Run every program on the original at ``orig_src`` and write the fixture."""
    orig_src = str(pathlib.Path(orig_src).resolve())
    results, numpy_version = {}, None
    for program in PROGRAMS:
        proc = subprocess.run(
            [sys.executable, "-c", RUN_ONE, orig_src, str(program)],
            capture_output=True,
            text=True,
            cwd=HERE,
        )
        if "@@RESULT@@" not in proc.stdout:
            raise SystemExit(f"{program.name} failed on the original:\n{proc.stderr[-3000:]}")
        payload = json.loads(proc.stdout.split("@@RESULT@@", 1)[1])
        results[program.stem] = payload["result"]
        numpy_version = payload["numpy"]
        print(f"{program.stem}: ok")
    fixture = {
        "_about": "RESULT of each program in original_programs/ run on the original "
        f"Spikey (SpikeyCNS/spikey e54cce8) with numpy {numpy_version}; "
        "regenerate with regen_original_programs.py",
        **results,
    }
    lines = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in fixture.items()]
    OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n")  # one program per line
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/orig_spikey")
