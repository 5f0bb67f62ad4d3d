"""Every name the original Spikey's README, examples, notebooks and import test reach resolves.

The list was taken by walking SpikeyCNS/spikey's README.md, examples/*.ipynb,
examples/sanity/*.ipynb, examples/run_meta.py and unit_tests/test_import.py (imports and
dotted ``spikey.<...>`` names), plus the names its package ``__init__`` files exported.
"""

import importlib
import subprocess
import sys

import pytest

# (how the original's code spells it, where it is used)
ATTRIBUTE_PATHS = [
    ("spikey.Key", "tutorial, test_import"),
    ("spikey.Module", "README"),
    ("spikey.save", "spikey.__init__"),
    ("spikey.load", "spikey.__init__"),
    ("spikey.games", "tutorial, XOR, seed, run_meta"),
    ("spikey.games.Logic", "tutorial"),
    ("spikey.games.CartPole", "test_import"),
    ("spikey.games.RL", "api reference: the game template"),
    ("spikey.games.gym_wrapper", "games.__init__"),
    ("spikey.RL.Logic", "tutorial (markdown)"),
    ("spikey.viz", "XOR, seed"),
    ("spikey.viz.print_rates", "XOR, seed"),
    ("spikey.viz.print_common_action", "seed"),
    ("spikey.viz.spike_raster", "viz.__init__"),
    ("spikey.viz.state_transition_matrix", "viz.__init__"),
    ("spikey.viz.state_action_counts", "viz.__init__"),
    ("spikey.viz.delay_embedding", "viz.__init__"),
    ("spikey.snn", "XOR, seed, run_meta"),
    ("spikey.snn.reward.template.Reward", "XOR, run_meta"),
    ("spikey.snn.synapse.RLSTDP", "florian2007_Fig_1"),
    ("spikey.snn.neuron.Neuron", "florian2007_Fig_1"),
    ("spikey.input.StaticMap", "tutorial"),
    ("spikey.input.RateMap", "snn.input.__init__"),
    ("spikey.neuron.Neuron", "tutorial, neuron_viz"),
    ("spikey.neuron.RandPotential", "snn.neuron.__init__"),
    ("spikey.neuron.template.Neuron", "snn README"),
    ("spikey.weight.template.Weight", "tutorial"),
    ("spikey.weight.Manual", "tutorial"),
    ("spikey.weight.Random", "snn.weight.__init__"),
    ("spikey.synapse.RLSTDP", "tutorial, stdp_viz"),
    ("spikey.synapse.LTP", "snn.synapse.__init__"),
    ("spikey.readout.NeuronRates", "tutorial"),
    ("spikey.readout.Threshold", "snn.readout.__init__"),
    ("spikey.readout.PopulationVector", "snn.readout.__init__"),
    ("spikey.readout.TopAction", "snn.readout.__init__"),
    ("spikey.reward.MatchExpected", "tutorial, test_import"),
    ("spikey.reward.template.Reward", "api reference"),
    ("spikey.network.RLNetwork", "tutorial"),
    ("spikey.Network", "from spikey.snn import * in spikey.__init__"),
    ("spikey.RLNetwork", "idem"),
    ("spikey.ActiveRLNetwork", "idem"),
    ("spikey.Modifier", "idem"),
    ("spikey.LinearDecay", "idem"),
    ("spikey.DropOff", "idem"),
    ("spikey.modifier.LinearDecay", "snn.__init__"),
]

# import statements of the original's examples and unit tests
IMPORT_STATEMENTS = [
    "import spikey",
    "from spikey import Key",
    "from spikey.module import Key",
    "from spikey.snn import *",
    "from spikey.games import Logic",
    "from spikey.games import CartPole",
    "from spikey.games.Logic import Logic",
    "from spikey.viz import print_rates, print_common_action",
    "from spikey.weight.template import Weight",
    "from spikey.neuron.template import Neuron",
    "from spikey.snn.synapse import RLSTDP as SYNAPSE",
    "from spikey.snn.neuron import Neuron",
    "from spikey.neuron import Neuron as NEURON",
    "from spikey.synapse import RLSTDP as SYNAPSE",
    "from spikey.snn import RLNetwork",
    "from spikey.reward import MatchExpected",
    "from spikey.snn.network import Network",
    "from spikey.snn.neuron.neuron import Neuron",
    "import spikey.snn.neuron",
    "import spikey.synapse.rlstdp",
]

STAR_NAMES = [
    "input", "neuron", "synapse", "weight", "readout", "reward", "modifier",
    "Network", "RLNetwork", "ActiveRLNetwork", "Key", "Modifier", "LinearDecay", "DropOff",
    "spikey",
]  # fmt: skip


def _resolve(path):
    import spikey

    obj = spikey
    for name in path.split(".")[1:]:
        obj = getattr(obj, name)
    return obj


@pytest.mark.parametrize("path,where", ATTRIBUTE_PATHS)
def test_attribute_path_resolves(path, where):
    assert _resolve(path) is not None


def test_aliases_are_the_same_objects():
    import spikey

    assert spikey.synapse is importlib.import_module("spikey.snn.synapse")
    assert spikey.synapse.RLSTDP is spikey.snn.synapse.RLSTDP
    assert importlib.import_module("spikey.weight.template") is importlib.import_module(
        "spikey.snn.weight.template"
    )
    assert spikey.network.RLNetwork is spikey.RLNetwork
    assert spikey.RL is spikey.games
    assert spikey.games.Logic is importlib.import_module("spikey.games.Logic").Logic
    # the real module keeps its own name and spec
    assert spikey.synapse.__name__ == "spikey.snn.synapse"
    assert spikey.synapse.__spec__.name == "spikey.snn.synapse"


@pytest.mark.parametrize("statement", IMPORT_STATEMENTS)
def test_import_statement_runs(statement):
    namespace = {}
    exec(statement, namespace)


def test_star_import_gives_the_originals_names():
    namespace = {}
    exec("from spikey.snn import *", namespace)
    missing = [n for n in STAR_NAMES if n not in namespace]
    assert not missing


def test_unknown_names_still_fail():
    import spikey

    with pytest.raises(AttributeError):
        spikey.no_such_part  # noqa: B018
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("spikey.synapse.no_such_module")


def _modules_after(code):
    script = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_import_spikey_loads_neither_numba_nor_ray():
    mods = _modules_after("import spikey")
    assert "numba" not in mods and "ray" not in mods
    assert "spikey.snn" not in mods  # everything else waits for first use


def test_games_and_viz_load_without_numba():
    mods = _modules_after("import spikey\nspikey.games.Logic\nspikey.viz.print_rates")
    assert "numba" not in mods and "ray" not in mods
