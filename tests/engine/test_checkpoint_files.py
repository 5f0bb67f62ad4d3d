"""Checkpoint files written by earlier versions still load and resume bit for bit.

``data/checkpoint_v2_*.npz`` were written by ``IzhNetwork.save_checkpoint`` in format v2 (commit
461afcb, the script in ``data/make_v2_checkpoints.txt``); ``*_next.npz`` holds what each network
did in the 300 ms after it was saved."""

from pathlib import Path

import numpy as np
import pytest

from spikey.models import izhikevich2007 as izh

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["numba_stepped", "dense_exact"])
def test_a_v2_file_resumes_as_the_network_that_wrote_it(name):
    net = izh.restore(DATA / f"checkpoint_v2_{name}.npz")
    want = np.load(DATA / f"checkpoint_v2_{name}_next.npz")
    assert net.t == 300
    st = np.arange(0, 300, 3)
    spikes = net.run(300, stimuli=(st, (st * 7) % net.n, np.full(st.size, 25.0)), rewards=[50])
    assert spikes.t.size == want["t"].size > 50
    assert np.array_equal(spikes.t, want["t"]) and np.array_equal(spikes.i, want["i"])
    assert np.array_equal(net.weights(), want["w"])
    assert np.array_equal(net.eligibility(), want["c"])
    assert np.array_equal(net.v, want["v"]) and net.d == float(want["d"]) and net.t == 600
