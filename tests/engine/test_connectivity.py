"""The author's random structure is drawn in one place (engine.connectivity) for the presets
and for the Spikey part ``DelayedSparse``; both store synapses in one order."""

import numpy as np
import pytest

from spikey.engine.connectivity import build_synapses, paper_connectivity, storage_order
from spikey.engine.params import resolve
from spikey.snn.weight.delayed import DelayedSparse


@pytest.mark.parametrize("allow_self", [True, False])
@pytest.mark.parametrize("max_delay", [1, 4])
def test_delayed_sparse_draws_the_presets_structure(allow_self, max_delay):
    ne, ni, m = 40, 10, 12
    p = resolve(
        "izhikevich2007",
        n_exc=ne,
        n_inh=ni,
        syn_per_neuron=m,
        max_delay=max_delay,
        allow_self=allow_self,
    )
    pre, post, weight, delay, plastic = paper_connectivity(p, np.random.default_rng(8))
    syn, _ = build_synapses(ne + ni, pre, post, weight, delay, plastic, max_delay, 0.0, 4.0)
    part = DelayedSparse(
        n_inputs=0,
        n_neurons=ne + ni,
        syn_per_neuron=m,
        max_delay=max_delay,
        allow_self=allow_self,
        rng=np.random.default_rng(8),
    )
    part.bind(np.r_[np.ones(ne), -np.ones(ni)])
    pre_b, post_b, w_b, delay_b, plastic_b = part.body_arrays()
    assert np.array_equal(pre_b, syn.pre) and np.array_equal(post_b, syn.post)
    assert np.array_equal(delay_b, syn.delay) and np.array_equal(plastic_b, syn.plastic)
    assert np.array_equal(w_b, syn.weight)
    if not allow_self:
        assert not np.any(syn.pre == syn.post)


def test_interleaved_polarities_keep_the_rules():
    # inhibitory neurons scattered among excitatory ones: inh -> exc only, delays by slot
    pol = np.ones(30)
    pol[[2, 7, 19, 25]] = -1
    part = DelayedSparse(n_inputs=3, n_neurons=30, syn_per_neuron=8, max_delay=4, rng=1)
    part.bind(pol)
    pre, post, _, delay, plastic = part.body_arrays()
    inh = pol[pre] < 0
    assert np.all(pol[post[inh]] > 0) and np.all(delay[inh] == 1) and not plastic[inh].any()
    assert np.array_equal(np.bincount(delay[~inh])[1:], np.full(4, 26 * 2))
    assert np.array_equal(storage_order(part.pre, part.delay, part.post), np.arange(len(part)))


def test_storage_sorts_targets_within_each_group_and_keeps_twins_in_given_order():
    pre = [1, 0, 0, 0, 0, 0]
    post = [0, 3, 1, 3, 2, 1]
    delay = [1, 2, 2, 2, 2, 1]
    order = storage_order(pre, delay, post)
    assert order.tolist() == [5, 2, 4, 1, 3, 0]  # (0, d1), (0, d2) by target, twins 1 then 3, (1)
