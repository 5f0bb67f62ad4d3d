"""The compiled kernels against the NumPy oracle: identical spikes, weights to 1e-9.

``numba`` (event-driven plasticity) agrees up to rounding; ``dense`` (the plain per-ms kernel)
does the reference's arithmetic exactly, bit for bit, in both modes."""

import numpy as np
import pytest

from spikey.engine import IzhNetwork
from spikey.engine.izh import ENGINES
from spikey.models import izhikevich2007 as izh


def _drive(net, seconds, rng):
    spikes = []
    for sec in range(seconds):
        st_t = np.sort(rng.integers(0, 1000, 30))
        stim = (st_t, rng.integers(0, net.n, 30), rng.uniform(0, 30, 30))
        rew = (np.sort(rng.integers(0, 1000, 2)), np.array([0.5, 0.25]))
        if sec == 2:
            net.plasticity = False
        if sec == 3:
            net.plasticity = True
        s = net.run(1000, stimuli=stim, rewards=rew)
        spikes.append((s.t, s.i))
    return np.concatenate([t for t, _ in spikes]), np.concatenate([i for _, i in spikes])


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "reference"])
@pytest.mark.parametrize(
    "preset,mode,seconds",
    [
        ("izhikevich2007", "stepped", 5),
        ("izhikevich2007-delays", "stepped", 5),
        ("izhikevich2007-delays", "exact", 4),  # the dense exact reference is slower
        ("izhikevich2007", "exact", 4),
    ],
)
def test_paper_network_matches_reference(preset, mode, seconds, engine):
    nets = [izh.build(preset, seed=11, mode=mode, engine=b) for b in (engine, "reference")]
    recs = []
    out = []
    for net in nets:
        net.da_release = np.where(np.arange(net.n) < 50, 0.01, 0.0)
        recs.append(net.record(synapses=np.arange(0, 80_000, 997), every_ms=50))
        out.append(_drive(net, seconds, np.random.default_rng(5)))
    (ta, ia), (tb, ib) = out
    assert len(ta) > 800 * seconds  # the network is active (about 1 Hz)
    assert np.array_equal(ta, tb) and np.array_equal(ia, ib)
    assert np.max(np.abs(nets[0].weights() - nets[1].weights())) < 1e-9
    assert np.max(np.abs(nets[0].eligibility() - nets[1].eligibility())) < 1e-9
    assert nets[0].d == pytest.approx(nets[1].d, abs=1e-12)
    assert (
        np.max(np.abs(nets[0].v - nets[1].v)) < 1e-9
        and np.max(np.abs(nets[0].u - nets[1].u)) < 1e-9
    )
    assert np.array_equal(recs[0].t, recs[1].t) and len(recs[0].t) == 20 * seconds
    assert np.max(np.abs(recs[0].w - recs[1].w)) < 1e-9
    assert np.max(np.abs(recs[0].c - recs[1].c)) < 1e-9
    assert np.max(np.abs(recs[0].d - recs[1].d)) < 1e-12
    # plasticity happened: weights moved away from their start
    assert np.max(np.abs(nets[0].weights()[nets[0].plastic] - 1.0)) > 1e-3
    if engine == "dense":  # the dense kernel does the reference's arithmetic exactly
        assert np.array_equal(nets[0].weights(), nets[1].weights())
        assert np.array_equal(nets[0].eligibility(), nets[1].eligibility())
        assert np.array_equal(nets[0].v, nets[1].v) and np.array_equal(nets[0].u, nets[1].u)


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_set_weights_and_freezing_mid_run_match_reference(mode):
    out = []
    for engine in ("numba", "reference"):
        net = izh.build("izhikevich2007", seed=3, mode=mode, engine=engine, n_exc=160, n_inh=40)
        rec = net.record(synapses=[0, 1, 2, 5000], every_ms=20)
        a = net.run(400, rewards=[50, 300])
        idx = np.array([0, 1, 2, 3, 10, 500])
        net.set_weights(idx, [0.0, 4.0, 2.5, 0.1, 3.3, 1.7])
        assert np.array_equal(net.weights()[idx], [0.0, 4.0, 2.5, 0.1, 3.3, 1.7])
        net.plasticity = False
        b = net.run(200, rewards=[20])
        net.plasticity = True
        c = net.run(600, rewards=[100])
        out.append(
            (np.concatenate([a.i, b.i, c.i]), np.concatenate([a.t, b.t, c.t]), net.weights(), rec)
        )
    (ia, ta, wa, ra), (ib, tb, wb, rb) = out
    assert np.array_equal(ia, ib) and np.array_equal(ta, tb)
    assert np.max(np.abs(wa - wb)) < 1e-9
    assert np.max(np.abs(ra.w - rb.w)) < 1e-9 and np.max(np.abs(ra.c - rb.c)) < 1e-9


@pytest.mark.parametrize("mode", ["stepped", "exact"])
def test_longest_delays_match_reference(mode):
    # delays up to the limit (64 ms): the lazy kernel's packed (pre, delay) and spike rings
    out = []
    for engine in ("numba", "reference"):
        net = izh.build(
            "izhikevich2007-delays",
            seed=2,
            mode=mode,
            engine=engine,
            n_exc=80,
            n_inh=20,
            syn_per_neuron=64,
            max_delay=64,
            w_exc_init=3.0,
            thalamic_amp=40.0,
        )
        s = net.run(1500, rewards=[300, 900])
        out.append((s, net.weights()))
    (a, wa), (b, wb) = out
    assert len(a) > 300 and a.t.max() > 1000
    assert np.array_equal(a.t, b.t) and np.array_equal(a.i, b.i)
    assert np.max(np.abs(wa - wb)) < 1e-9


def test_per_neuron_and_per_block_constants_match_reference():
    # blocks of 64 sharing (a, b), one block mixing them, one with a neuron of its own, and a
    # partial last block: the update's scalar-constant and per-neuron paths side by side
    from spikey.engine.network import _block_ab

    rng = np.random.default_rng(5)
    n, n_exc = 300, 240
    pre = rng.integers(0, n, 3000)
    post = rng.integers(0, n, 3000)
    weight = np.where(pre < n_exc, 3.5, -5.0)
    delay = np.where(pre < n_exc, rng.integers(1, 6, 3000), 1)
    abcd = np.tile([0.02, 0.2, -65.0, 8.0], (n, 1))
    abcd[n_exc:] = [0.1, 0.2, -65.0, 2.0]
    abcd[70, :2] = [0.03, 0.25]  # block 1 no longer shares (a, b)
    blocks = _block_ab(abcd[:, 0], abcd[:, 1])
    assert np.isfinite(blocks[[0, 2]]).all() and np.isnan(blocks[[1, 3, 4]]).all()
    runs = []
    for engine in ("numba", "reference"):
        net = IzhNetwork.from_arrays(
            pre,
            post,
            weight,
            delay,
            n_exc=n_exc,
            n_inh=n - n_exc,
            neuron_abcd=abcd,
            engine=engine,
            seed=2,
        )
        sp = net.run(700, rewards=[100, 400])
        runs.append((sp, net.weights()))
    (sa, wa), (sb, wb) = runs
    assert sa.t.size > 200
    assert np.array_equal(sa.t, sb.t) and np.array_equal(sa.i, sb.i)
    assert np.max(np.abs(wa - wb)) < 1e-9
