"""The compiled tick agrees bit for bit with its NumPy reference."""

import numpy as np
import pytest

from spikey.engine.lif.kernel import snn_tick_kernel
from spikey.engine.lif.reference import propagate, snn_tick_reference


def _case(
    seed,
    neuron_kind,
    syn_kind,
    n_in=12,
    n=9,
    steps=15,
    window=6,
    delay=0,
    refractory=1,
    want_credit=1.0,
    rand=True,
):
    g = np.random.default_rng(seed)
    n_all = n_in + n
    cols = np.sort(g.choice(n_in, size=n_in // 2, replace=False)).astype(np.int64)
    pol = np.where(g.random(n_all) < 0.3, -1.0, 1.0)
    in_vals = np.where(g.random((steps, cols.size)) < 0.3, 1.5, 0.0) * pol[cols]
    rand_fire = (
        (g.random((steps, n)) < 0.05) if (rand and neuron_kind == 0) else np.zeros((0, n), bool)
    )
    noise = g.random((steps, n)) * 3.0 if neuron_kind == 1 else np.zeros((0, n))
    live = g.random((n_all, n)) < 0.7
    weights = np.where(live, g.random((n_all, n)) * 2.0, 0.0)
    log = np.zeros((window + steps, n_all))
    log[:window] = np.where(g.random((window, n_all)) < 0.3, 1.5, 0.0) * pol
    args = dict(
        in_vals=in_vals,
        in_cols=cols,
        rand_fire=np.ascontiguousarray(rand_fire),
        noise=np.ascontiguousarray(noise),
        potentials=g.random(n) * 4.0,
        timers=g.integers(-2, 3, n).astype(np.int64),
        schedule=np.where(g.random((delay + 1, n)) < 0.2, 1.0, 0.0),
        polarities=pol,
        nparams=np.array([3.0, 0.9, 0.25, 1.5, -65499.0]),
        iparams=np.array([neuron_kind, refractory, delay, syn_kind], dtype=np.int64),
        weights=weights,
        live=live,
        log=log,
        sparams=np.array([0.3, 0.8, 0.2, 2.0, want_credit]),
        credit_out=np.zeros(n_all),
        work=np.full((5, n_all), 7, dtype=np.int64),
        incoming=np.full(n, 3.0),
    )
    return args


def _run(fn, args):
    a = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in args.items()}
    trace = fn(**a)
    return trace, a


@pytest.mark.parametrize("neuron_kind", [0, 1])
@pytest.mark.parametrize("syn_kind", [0, 1, 2])
@pytest.mark.parametrize("seed", [0, 1])
def test_kernel_matches_reference(neuron_kind, syn_kind, seed):
    args = _case(seed, neuron_kind, syn_kind, delay=seed * 2, refractory=seed)
    t_k, k = _run(snn_tick_kernel, args)
    t_r, r = _run(snn_tick_reference, args)
    assert t_k == t_r
    for name in ("potentials", "timers", "schedule", "weights", "log", "credit_out"):
        assert np.array_equal(k[name], r[name]), name
    assert np.array_equal(k["potentials"].view(np.int64), r["potentials"].view(np.int64))
    # the case exercises what it claims: spikes happened, and learning changed weights
    assert np.count_nonzero(k["log"][-15:, 12:]) > 0
    changed = not np.array_equal(k["weights"], args["weights"])
    assert changed == (syn_kind != 0)
    if syn_kind:
        assert np.all(k["weights"][~args["live"]] == 0)
        assert k["weights"].min() >= 0 and k["weights"].max() <= 2.0


def test_kernel_window_edge_cases():
    for window in (1, 2, 3, 30):
        for syn_kind in (0, 1, 2):
            if syn_kind == 2 and window < 3:
                continue
            args = _case(5, 0, syn_kind, window=window, steps=7)
            t_k, k = _run(snn_tick_kernel, args)
            t_r, r = _run(snn_tick_reference, args)
            assert t_k == t_r
            for name in ("potentials", "weights", "log", "credit_out"):
                assert np.array_equal(k[name], r[name]), (window, syn_kind, name)


def test_unsorted_input_columns_give_the_same_result():
    args = _case(4, 0, 2)
    order = np.random.default_rng(0).permutation(args["in_cols"].size)
    shuffled = dict(
        args,
        in_cols=args["in_cols"][order],
        in_vals=np.ascontiguousarray(args["in_vals"][:, order]),
    )
    _, k = _run(snn_tick_kernel, shuffled)
    _, r = _run(snn_tick_reference, args)
    for name in ("potentials", "weights", "log"):
        assert np.array_equal(k[name], r[name]), name


def test_credit_is_weighted_spike_count_of_last_window():
    args = _case(3, 0, 0, window=5, steps=8)
    _, k = _run(snn_tick_kernel, args)
    rows = k["log"][7 : 7 + 4] != 0  # pre rows of the last step's window
    expected = (np.arange(4)[:, None] * rows).sum(axis=0)
    assert np.array_equal(k["credit_out"], expected.astype(float))


def test_propagate_sums_spiking_rows():
    g = np.random.default_rng(0)
    w = g.random((6, 4))
    s = np.array([0.0, 1.0, 0.0, -2.0, 0.0, 0.5])
    assert np.allclose(propagate(w, s), s @ w)
    assert np.array_equal(propagate(w, np.zeros(6)), np.zeros(4))


@pytest.mark.parametrize("syn_kind", [1, 2])
@pytest.mark.parametrize("window", [2, 3])
def test_short_windows_match_reference(syn_kind, window):
    args = _case(3, 0, syn_kind, window=window)
    t_k, k = _run(snn_tick_kernel, args)
    t_r, r = _run(snn_tick_reference, args)
    assert t_k == t_r
    for name in ("weights", "log", "credit_out"):
        assert np.array_equal(k[name], r[name]), name
    assert np.all(np.isfinite(k["weights"]))


@pytest.mark.parametrize("syn_kind", [0, 1, 2])
def test_one_step_calls_equal_one_call(syn_kind):
    """What ActiveRLNetwork does: one call per step on a sliding view of the log, the
    window sums kept in ``work`` between calls."""
    args = _case(4, 0, syn_kind, want_credit=0.0)
    t_all, whole = _run(snn_tick_kernel, args)
    a = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in args.items()}
    steps, window = a["in_vals"].shape[0], a["log"].shape[0] - a["in_vals"].shape[0]
    keep = np.append(a["iparams"], 1)
    trace = a["sparams"][1]
    for i in range(steps):
        a["sparams"][1] = trace
        trace = snn_tick_kernel(
            a["in_vals"][i : i + 1], a["in_cols"], a["rand_fire"][i : i + 1], a["noise"],
            a["potentials"], a["timers"], a["schedule"], a["polarities"], a["nparams"],
            keep if i else a["iparams"], a["weights"], a["live"],
            a["log"][i : i + window + 1], a["sparams"], a["credit_out"], a["work"],
            a["incoming"],
        )  # fmt: skip
    assert trace == t_all
    for name in ("potentials", "timers", "schedule", "weights", "log"):
        assert np.array_equal(a[name], whole[name]), name
