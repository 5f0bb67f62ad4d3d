"""Exact (event-driven) plasticity against the stepped rule on the paper networks, 300 s, 3 seeds.

The gap is the formulation (c decays by exp(-t/tau_c) instead of 0.99 per 10 ms; the weight
integral sees d every ms instead of every 10 ms), not an error. On the delays preset (input to
one neuron per ms) spikes stay largely aligned, so synapses can be compared one by one. On the
Fig. 1 preset (noise into every neuron every ms) the tiny differences seed chaos: spike trains
decorrelate within seconds, so only statistics are compared.

Measured at 300 s with a reward every 1.5 s on average, seeds 1-8 (the tolerances below are
what docs/engine-api.md states): delays preset rate within 0.003 %, mean weight within
0.15 %, KS 0.0007-0.0011, per-synapse correlation 0.9996-0.9997; Fig. 1 preset rate within
0.28 %, mean weight within 1.33 %, KS 0.002-0.009.
"""

import numpy as np
import pytest

from spikey.models import izhikevich2007 as izh

TOL = {  # preset: (rate rel, mean weight rel, KS distance, per-synapse correlation or None)
    "izhikevich2007-delays": (0.001, 0.005, 0.003, 0.999),
    "izhikevich2007": (0.01, 0.025, 0.015, None),
}
SECONDS = 300


def ks_distance(x, y):
    xs = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(np.sort(x), xs, side="right") / x.size
    fy = np.searchsorted(np.sort(y), xs, side="right") / y.size
    return float(np.max(np.abs(fx - fy)))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("preset", sorted(TOL))
def test_exact_and_stepped_agree_statistically_over_300_s(preset, seed):
    n_ms = SECONDS * 1000
    k = n_ms // 1500  # about one reward per 1.5 s
    reward_t = np.sort(np.random.default_rng(seed + 1000).choice(n_ms, k, replace=False))
    stats = {}
    for mode in ("stepped", "exact"):
        net = izh.build(preset, seed=seed, mode=mode)
        s = net.run(n_ms, rewards=(reward_t, np.full(k, 0.5)))
        stats[mode] = (len(s) / net.n / SECONDS, net.weights()[net.plastic])
    (r_s, w_s), (r_e, w_e) = stats["stepped"], stats["exact"]
    rate_tol, mean_tol, ks_tol, corr_min = TOL[preset]
    assert 0.3 < r_s < 5.0
    assert np.std(w_s) > 0.1  # DA-STDP spread the weights out from 1.0
    assert r_e == pytest.approx(r_s, rel=rate_tol)
    assert w_e.mean() == pytest.approx(w_s.mean(), rel=mean_tol)
    assert ks_distance(w_e, w_s) < ks_tol
    if corr_min is not None:
        assert np.corrcoef(w_e, w_s)[0, 1] > corr_min
