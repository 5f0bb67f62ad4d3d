"""Our example notebooks, executed as a user would run them, shortened by
``SPIKEY_NOTEBOOK_QUICK=1``; their key numbers must show learning where it should and a
flat control.

The kernel is this interpreter (``sys.executable -m ipykernel_launcher``) through a kernel
spec written to a temporary ``JUPYTER_PATH``, so a fresh venv with only
``pip install -e '.[dev]'`` needs no ``ipykernel install``; the kernel imports spikey from
this checkout.
"""

import json
import os
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
KERNEL = "spikey-notebook-test"


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """A kernel spec for this interpreter, and the environment the kernel inherits."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "spikey tests", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("SPIKEY_NOTEBOOK_QUICK", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def execute(name, workdir) -> str:
    """Run every cell of ``examples/name``; return all text the cells printed."""
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        f"{name} is stored with outputs; clear them"
    )
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append(out["text"])
            elif "data" in out:
                texts.append(out["data"].get("text/plain", ""))
    return "\n".join(texts)


def key_numbers(text) -> dict:
    match = re.search(r"^KEY NUMBERS (\{.*\})$", text, re.MULTILINE)
    assert match, "the notebook's last cell printed no KEY NUMBERS line"
    return json.loads(match.group(1))


def test_seed_classical_notebook(kernel_env):
    text = execute("seed_classical.ipynb", kernel_env)
    numbers = key_numbers(text)
    learned, control = numbers["learned"], numbers["control"]
    # the learning cell learned, although the control cell set learning_rate=0 on the class
    assert learned["rewarded_rate"] >= 3 * learned["other_rate"]
    assert learned["rewarded_rate"] >= 0.08
    # the control stayed flat: rewarded and other states alike, near the starting rate
    assert control["rewarded_rate"] <= 1.5 * control["other_rate"]
    assert control["rewarded_rate"] <= 0.05
    tables = re.findall(r"Firing states: \[0, 3, 6, 9\]\n((?:\d+: .*\n){10})", text)
    assert len(tables) == 2  # both print_rates tables came back from the workers


def test_florian_xor_notebook(kernel_env):
    text = execute("florian2007_xor.ipynb", kernel_env)
    numbers = key_numbers(text)
    learned, control = numbers["learned"], numbers["control"]
    assert learned["win"] == 1.0 and control["win"] == 0.0
    # the control changed no weight (learning_rate=0); learning grew them (362 -> 10000+)
    assert control["w_after"] == control["w_before"]
    assert learned["w_after"] > 5 * learned["w_before"]
    assert text.count("Florian - Win: True") == 1 and text.count("Florian - Win: False") == 1


def test_florian_fig1_notebook(kernel_env):
    numbers = key_numbers(execute("florian2007_fig1.ipynb", kernel_env))
    # the parts follow the equations the notebook writes out by hand
    assert numbers["mstdp_error"] <= 1e-9 and numbers["mstdpet_error"] <= 1e-9
    expected = {"pre_post_rpos": 1, "post_pre_rpos": -1, "post_pre_rneg": 1, "pre_post_rneg": -1}
    for rule in ("mstdp", "mstdpet"):
        signs = {k: (v > 0) - (v < 0) for k, v in numbers["dw"][rule].items()}
        assert signs == expected, rule
    assert abs(numbers["final"]["mstdpet"] - 0.3241) < 1e-4


def test_cartpole_actor_critic_notebook(kernel_env):
    numbers = key_numbers(execute("cartpole_actor_critic.ipynb", kernel_env))
    # 100 training episodes lift the frozen evaluation far above chance (~22 steps)...
    assert numbers["learned"]["eval_mean"] >= 60
    # ...and the same network with learning_rate=0 stays at chance
    assert numbers["control"]["eval_mean"] <= 40
