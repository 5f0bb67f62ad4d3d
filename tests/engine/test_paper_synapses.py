"""``connectivity.paper_synapses``: the presets' synapse table laid out directly (issue 21.5)
is the general path's table, field by field, dtype by dtype, and the generator is left where
the general path leaves it."""

import numpy as np
import pytest

from spikey.engine.connectivity import build_synapses, paper_connectivity, paper_synapses
from spikey.engine.network import seed_streams
from spikey.engine.params import resolve
from spikey.models import izhikevich2007 as izh

FIELDS = (
    "pre",
    "post",
    "delay",
    "weight",
    "plastic",
    "syn_off",
    "in_off",
    "in_syn",
    "plastic_idx",  # a property now, compared all the same
    "shadowed",
)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"max_delay": 20},
        {"max_delay": 7, "syn_per_neuron": 13},  # delay groups of unequal size
        {"n_exc": 0, "n_inh": 5, "inh_to_exc_only": False},
        {"n_inh": 0},
        {"inh_to_exc_only": False, "max_delay": 3, "inh_delay": 2},
        {"allow_self": False},  # the general path
        {"allow_duplicates": False, "n_exc": 400},
        {"syn_per_neuron": 0},
    ],
)
@pytest.mark.parametrize("rows", [1, 3, 0])
def test_same_table_as_the_general_path(overrides, rows):
    base = {"n_exc": 40, "n_inh": 10, "syn_per_neuron": 10, **overrides}
    p = resolve("izhikevich2007", **base)
    for seed in (0, 1):
        fast_rng, slow_rng = seed_streams(seed)[0], seed_streams(seed)[0]
        fast = paper_synapses(p, fast_rng, rows_per_chunk=rows)
        pre, post, w, d, pl = paper_connectivity(p, slow_rng)
        n = p["n_exc"] + p["n_inh"]
        slow, _ = build_synapses(n, pre, post, w, d, pl, p["max_delay"], p["w_min"], p["w_max"])
        for name in FIELDS:
            got, want = getattr(fast, name), getattr(slow, name)
            assert got.dtype == want.dtype, name
            np.testing.assert_array_equal(got, want, err_msg=name)
        assert fast.max_delay == slow.max_delay
        assert fast_rng.integers(0, 2**62) == slow_rng.integers(0, 2**62)


def test_twins_are_found():
    p = resolve("izhikevich2007-delays", n_exc=8, n_inh=2, syn_per_neuron=30)
    syn = paper_synapses(p, seed_streams(0)[0])
    assert syn.shadowed.sum() > 0  # 30 draws among 10 targets repeat


def test_refuses_an_initial_weight_outside_the_bounds():
    p = resolve("izhikevich2007", n_exc=8, n_inh=2, syn_per_neuron=3, w_exc_init=5.0)
    with pytest.raises(ValueError, match="w_exc_init"):
        paper_synapses(p, seed_streams(0)[0])


def test_presets_spike_as_before():
    # the spike counts of seed 0 over 1 s, as built by the general path before this change
    counts = {}
    for preset in ("izhikevich2007", "izhikevich2007-delays"):
        net = izh.build(preset, seed=0)
        net.plasticity = False
        counts[preset] = len(net.run(1000))
    assert counts == {"izhikevich2007": 1233, "izhikevich2007-delays": 930}
