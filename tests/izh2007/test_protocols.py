"""Protocol pieces that need no network: reward scheduling, stimulus schedules, counting,
and the report's aggregation over seeds."""

import numpy as np

from spikey.experiments.izh2007 import common, fig1, fig2, report
from spikey.experiments.registry import Result


def test_fig1_rewards_follow_the_authors_rule():
    rng = np.random.default_rng(0)
    pre = np.array([100, 150, 400])
    post = np.array([100, 119, 120, 160, 401, 500])
    times, last = fig1.schedule_rewards(pre, post, -(10**9), 20, rng, 1000, 3000)
    # 100: same ms as the pre spike (no); 119: 19 ms after 100 (yes); 120: 20 ms (no);
    # 160: 10 ms after 150 (yes); 401: 1 ms after 400 (yes); 500: 100 ms (no)
    assert times.size == 3 and last == 400
    delays = times - np.array([119, 160, 401])
    assert np.all((delays > 1000) & (delays <= 3000))
    # the last pre spike of an earlier chunk still counts
    times, last = fig1.schedule_rewards(
        np.array([], np.int64), np.array([405]), 400, 20, rng, 1000, 3000
    )
    assert times.size == 1 and last == 400


def test_fig1_reward_delays_are_uniform_over_1_to_3_s():
    rng = np.random.default_rng(1)
    post = np.arange(5, 200_000, 50)
    pre = post - 5
    times, _ = fig1.schedule_rewards(pre, post, -(10**9), 20, rng, 1000, 3000)
    d = times - post
    assert d.min() >= 1001 and d.max() <= 3000
    assert abs(d.mean() - 2000.5) < 20


def test_fig2_schedule():
    rng = np.random.default_rng(2)
    onsets, groups, rewards = fig2.make_schedule(rng, 600_000, 100, 100, 300, 1000)
    gaps = np.diff(onsets)
    assert gaps.min() >= 100 and gaps.max() <= 300
    assert abs(gaps.mean() - 200) < 5
    assert set(np.unique(groups)) <= set(range(100)) and np.unique(groups).size > 90
    s1 = onsets[groups == 0]
    assert rewards.size == s1.size
    # every reward lies 0..1000 ms after an S1 onset
    lag = rewards[:, None] - s1[None, :]
    assert np.all(((lag >= 0) & (lag <= 1000)).any(axis=1))


def test_window_counts():
    times = np.array([0, 5, 10, 49, 50, 99, 100])
    assert common.window_counts(times, [0, 50], 50).tolist() == [4, 2]
    neurons = np.array([1, 2, 1, 1, 2, 2, 1])
    m = common.mask(3, [1])
    assert common.window_counts(times[m[neurons]], [0, 50], 50).tolist() == [3, 0]
    assert common.window_counts(times, [0, 50], 50, m, neurons).tolist() == [3, 0]
    import pytest

    with pytest.raises(ValueError, match="spike_neurons"):
        common.window_counts(times, [0, 50], 50, m)


def test_stimulus_and_reward_arrays_are_validated():
    t, n, a = common.stimulus_arrays([(5, [1, 2], 40.0), (0, [3], 25.0)], 10)
    assert t.tolist() == [0, 5, 5] and n.tolist() == [3, 1, 2] and a.tolist() == [25.0, 40.0, 40.0]
    import pytest

    with pytest.raises(ValueError, match="outside"):
        common.stimulus_arrays([(10, [1], 1.0)], 10)
    with pytest.raises(ValueError, match="outside"):
        common.reward_arrays([12], 0.5, 10)


def test_network_seed_is_independent_of_config():
    assert common.network_seed(0) == common.network_seed(0)
    assert common.network_seed(0) != common.network_seed(1)


def _result(**values):
    r = Result()
    for name, (v, gating) in values.items():
        r.check(name, v, ">=", 0.7, gating=gating)
    return r


def test_excitatory_groups_are_disjoint_and_depend_on_the_seed_only():
    from types import SimpleNamespace

    import pytest

    net = SimpleNamespace(n_exc=800)
    a = common.excitatory_groups(net, 3, 50, 5, "fig4")
    assert [g.size for g in a] == [50] * 5
    flat = np.concatenate(a)
    assert np.unique(flat).size == 250 and flat.min() >= 0 and flat.max() < 800
    assert all(
        np.array_equal(x, y) for x, y in zip(a, common.excitatory_groups(net, 3, 50, 5, "x"))
    )
    assert not np.array_equal(a[0], common.excitatory_groups(net, 4, 50, 5, "fig4")[0])
    with pytest.raises(
        ValueError, match=r"izh2007.fig3: key 'group_size' got 300; expected <= 266"
    ):
        common.excitatory_groups(net, 0, 300, 3, "fig3")


def test_report_aggregates_with_a_seed_quorum():
    rows = [
        {"label": "fig3", "seed": s, "result": _result(p=(v, True), q=(v, False)), "error": None}
        for s, v in enumerate([0.9, 0.5, 0.8])
    ]
    lines = report.aggregate(rows, {("fig3", "p"): 2 / 3})
    by = {line["criterion"]: line for line in lines}
    assert by["p"]["ok"] and by["p"]["required"] == 2
    assert not by["q"]["ok"] and not by["q"]["gating"]
    lines = report.aggregate(rows, {})
    assert not {line["criterion"]: line for line in lines}["p"]["ok"]
    rows.append({"label": "fig4", "seed": 0, "result": None, "error": "boom"})
    failed = [line for line in report.aggregate(rows, {}) if line["label"] == "fig4"]
    assert failed and not failed[0]["ok"] and failed[0]["gating"]
