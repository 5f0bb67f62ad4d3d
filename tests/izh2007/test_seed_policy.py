"""One seed policy (issue 19, decision 5): every random stream of a job is a named child of
the job's seed alone, so configs that differ in a learning rate see the same network and
the same stimulus sequence, bit for bit."""

import numpy as np
import pytest

from spikey.experiments import registry
from spikey.experiments.izh2007 import common, fig2
from spikey.module import ConfigError


def test_streams_are_named_children_of_the_seed():
    assert registry.stream(7, "a").random() == registry.stream(7, "a").random()
    assert registry.stream(7, "a").random() != registry.stream(7, "b").random()
    assert registry.stream(7, "a").random() != registry.stream(8, "a").random()
    seq = registry.stream_sequence(7, "a")
    assert seq.entropy == registry.job_seed_sequence(7).entropy == 7
    assert registry.stream_seed(7, "a") == registry.stream_seed(7, "a") < 2**63
    # a config never enters: job_rng accepts one for older callers and ignores it
    assert registry.job_rng(7, {"lr": 0.1}).random() == registry.job_rng(7, {"lr": 0.9}).random()
    with pytest.raises(ConfigError, match="seed must be an integer >= 0"):
        registry.job_seed_sequence(-1)
    with pytest.raises(ConfigError, match="needs a name"):
        registry.stream(1, "")


def _fig2_schedule(config, seed):
    net = common.build_network(config, seed)
    groups = fig2.make_groups(common.structure_rng(seed, "fig2/groups"), net, config)
    sched = fig2.make_schedule(
        common.structure_rng(seed, "fig2/schedule"),
        int(config["duration_s"]) * 1000,
        len(groups),
        int(config["isi_min_ms"]),
        int(config["isi_max_ms"]),
        int(config["reward_delay_max_ms"]),
    )
    return net, groups, sched


def test_a_learning_rate_sweep_keeps_network_and_stimuli_bit_for_bit():
    """Two fig2 configs differing only in the reward's size (the learning signal) build the
    same network and draw the same groups, stimulus sequence and reward times."""
    base = registry.get("izh2007.fig2").resolve({"duration_s": 60})
    other = dict(base, reward_amount=0.25)
    assert registry.config_hash(base) != registry.config_hash(other)
    net_a, groups_a, (on_a, which_a, rew_a) = _fig2_schedule(base, 4)
    net_b, groups_b, (on_b, which_b, rew_b) = _fig2_schedule(other, 4)
    assert np.array_equal(net_a.pre, net_b.pre) and np.array_equal(net_a.post, net_b.post)
    assert np.array_equal(net_a.weights(), net_b.weights())
    assert np.array_equal(groups_a, groups_b)
    assert np.array_equal(on_a, on_b) and np.array_equal(which_a, which_b)
    assert np.array_equal(rew_a, rew_b) and on_a.size > 100
    # another seed is another network and another sequence
    net_c, groups_c, (on_c, _, _) = _fig2_schedule(base, 5)
    assert not np.array_equal(net_a.post, net_c.post) and not np.array_equal(on_a, on_c)


def test_fig3_runs_with_other_rates_share_their_first_trials():
    """izh2007.fig3 with two reward amounts: the first trials (before any reward can act)
    give the same responses, spike for spike: same network, noise and stimulus."""
    tiny = {"n_trials": 6, "n_reversal_trials": 0, "eval_trials": 3, "trial_ms": 3500}
    exp = registry.get("izh2007.fig3")
    a = exp(dict(tiny, reward_amount=0.5), seed=2)
    b = exp(dict(tiny, reward_amount=0.1), seed=2)
    first = a.figures["a_cnt"][:1], b.figures["a_cnt"][:1]
    assert np.array_equal(*first)
    assert np.array_equal(a.figures["b_cnt"][:1], b.figures["b_cnt"][:1])
