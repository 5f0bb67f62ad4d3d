"""The event-driven kernel replays the author's 10 ms rule exactly: over 60 s of both paper
networks it fires the same spikes as the dense per-ms kernel (the oracle, itself bit-identical
to the NumPy reference) and ends with weights equal to 1e-9 (they differ by rounding only)."""

import numpy as np
import pytest

from spikey.models import izhikevich2007 as izh


@pytest.mark.parametrize("preset", ["izhikevich2007", "izhikevich2007-delays"])
def test_event_driven_stepped_matches_the_dense_kernel_over_60_s(preset):
    rng = np.random.default_rng(4)
    reward_t = np.sort(rng.choice(60_000, 40, replace=False))
    out = {}
    for engine in ("numba", "dense"):
        net = izh.build(preset, seed=7, mode="stepped", engine=engine)
        rec = net.record(synapses=np.arange(0, 80_000, 1999), every_ms=100)
        s = net.run(60_000, rewards=(reward_t, np.full(40, 0.5)))
        out[engine] = (s, net.weights(), net.eligibility(), net.d, rec)
    (sa, wa, ca, da, ra), (sb, wb, cb, db, rb) = out["numba"], out["dense"]
    assert len(sa) > 0.5 * 1000 * 60  # the network is active
    assert np.array_equal(sa.t, sb.t) and np.array_equal(sa.i, sb.i)
    assert np.max(np.abs(wa - wb)) < 1e-9 and np.max(np.abs(ca - cb)) < 1e-9
    assert da == db  # dopamine does not depend on the synapses' arithmetic
    assert np.max(np.abs(ra.w - rb.w)) < 1e-9 and np.max(np.abs(ra.c - rb.c)) < 1e-9
    assert np.std(wa[:80_000]) > 0.1  # DA-STDP spread the weights
