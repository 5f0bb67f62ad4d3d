"""The simulator-free half of the export (``spikey/export/plan.py``): the replayed input is
the input spikey's kernels use, the dopamine mapping's numbers, and the refusals."""

import math

import numpy as np
import pytest

from spikey.export import plan
from spikey.models import izhikevich2007 as izh
from spikey.module import ConfigError


def replay_spikes(net, block):
    """Spikes of ``net``'s neurons without synapses, driven by a replayed input block, in
    plain NumPy with the paper's half-steps (spikey's order: test, reset, update)."""
    v, u = np.array(net.v), np.array(net.u)
    dense = np.zeros((block.n_ms, net.n))
    dense[block.k, block.i] = block.a
    ts, is_ = [], []
    for k in range(block.n_ms):
        fired = np.flatnonzero(v >= 30.0)
        v[fired] = net.c_reset[fired]
        u[fired] += net.d_reset[fired]
        ts += [k] * fired.size
        is_ += fired.tolist()
        I = dense[k]
        v += 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + I)
        v += 0.5 * ((0.04 * v + 5.0) * v + 140.0 - u + I)
        u += net.a * (net.b * v - u)
    return np.array(ts), np.array(is_)


@pytest.mark.parametrize("preset", ["izhikevich2007", "izhikevich2007-delays"])
def test_replayed_input_drives_the_same_spikes(preset):
    net = izh.build(preset, seed=4, n_exc=40, n_inh=10, syn_per_neuron=0, noise_amp=10.0)
    stim = (np.array([0, 5, 5, 90]), np.array([3, 7, 7, 49]), np.array([25.0, 10.0, 12.5, 40.0]))
    replay = plan.InputReplay(net)
    first = replay.block(100, stim)
    second = replay.block(150)
    want1 = net.run(100, stimuli=stim)
    t, i = replay_spikes(
        net_copy := izh.build(preset, seed=4, n_exc=40, n_inh=10, syn_per_neuron=0, noise_amp=10.0),
        first,
    )
    assert len(want1) >= 10  # the input does drive the neurons
    np.testing.assert_array_equal(t, want1.t)
    np.testing.assert_array_equal(i, want1.i)
    assert np.array_equal(first.first[first.i[first.k == 0]], first.a[first.k == 0])
    # the copy's generators continue where the first block left them
    want2 = net.run(150)
    net_copy.run(100, stimuli=stim)
    t2, i2 = replay_spikes(net_copy, second)
    np.testing.assert_array_equal(t2 + 100, want2.t)
    np.testing.assert_array_equal(i2, want2.i)


def test_replay_leaves_the_network_untouched():
    net = izh.build("izhikevich2007", seed=1, n_exc=8, n_inh=2, syn_per_neuron=3)
    before = net.noise_state
    plan.InputReplay(net).block(50)
    np.testing.assert_array_equal(net.noise_state, before)


def test_replay_sums_inputs_of_one_neuron_and_ms_in_order():
    net = izh.build("izhikevich2007-delays", seed=2, n_exc=8, n_inh=2, syn_per_neuron=3)
    block = plan.InputReplay(net).block(
        30, (np.array([1, 1]), np.array([2, 2]), np.array([0.1, 0.2]))
    )
    key = block.i * 30 + block.k
    assert np.all(np.diff(key) > 0)  # one triplet per (neuron, ms), neuron-major
    at = (block.i == 2) & (block.k == 1)
    thal = 20.0 if np.any((block.k == 1) & (block.a >= 20.0) & (block.i == 2)) else 0.0
    assert block.a[at].tolist() in ([0.1 + 0.2], [thal + 0.1 + 0.2])


def test_dopamine_mapping_numbers():
    net = izh.build(
        "izhikevich2007-delays", seed=0, n_exc=8, n_inh=2, syn_per_neuron=3, mode="exact"
    )
    m = plan.dopamine_mapping(net)
    assert m.tau_n == pytest.approx(-1 / math.log(0.995))  # 199.5 ms
    assert m.tau_plus == pytest.approx(-1 / math.log(0.95))  # 19.5 ms
    assert m.tau_c == 1000.0
    assert m.a_plus == pytest.approx(0.1 * m.tau_n * 0.5 / 10)  # 0.9975
    assert m.a_minus == pytest.approx(1.5 * m.a_plus)
    assert m.b == pytest.approx(-0.002 / (m.tau_n * 0.5))  # -2.0e-5
    stepped = plan.dopamine_mapping(
        izh.build("izhikevich2007", seed=0, n_exc=8, n_inh=2, syn_per_neuron=3)
    )
    assert stepped.tau_c == pytest.approx(-10 / math.log(0.99))


def test_refusals_name_the_part():
    net = izh.build("izhikevich2007-delays", seed=0, n_exc=40, n_inh=10, syn_per_neuron=10)
    with pytest.raises(ConfigError, match="export to NEST: net got str"):
        plan.check_exportable("net", "NEST")
    net.run(200)
    with pytest.raises(ConfigError, match="in flight|threshold"):
        plan.check_exportable(net, "NEST")
    with pytest.raises(ConfigError, match="whole multiples of reward_amount = 0.5"):
        plan.multiplicities([0.5, 0.7], 0.5, "NEST")
    assert plan.multiplicities([0.5, 1.5], 0.5, "NEST").tolist() == [1, 3]
    net.da_release = 0.2
    with pytest.raises(ConfigError, match="da_release got 0.2"):
        plan.release_events(net, "NEST")


def test_to_brian2_says_how_to_get_brian2():
    import importlib.util

    from spikey.export import to_brian2

    try:
        importable = importlib.util.find_spec("brian2") is not None
        if importable:
            import brian2  # noqa: F401  (numpy >= 2.3: AttributeError)
    except (ImportError, AttributeError):
        importable = False
    if importable:
        pytest.skip("Brian2 imports here: the message is for environments without it")
    net = izh.build("izhikevich2007", seed=0, n_exc=8, n_inh=2, syn_per_neuron=3)
    with pytest.raises(ImportError, match=r"numpy < 2.3.*b2venv"):
        to_brian2(net)


def test_importing_the_package_imports_no_simulator():
    import subprocess
    import sys

    code = "import sys, spikey.export; print('nest' in sys.modules or 'brian2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
