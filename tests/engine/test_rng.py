"""The kernels' random stream against NumPy's SFC64 Generator."""

import numpy as np

from spikey.engine.kernels import izh_sfc64_fill


def test_sfc64_kernel_matches_numpy_generator_bitwise():
    g = np.random.Generator(np.random.SFC64(12345))
    state = np.array(g.bit_generator.state["state"]["state"], dtype=np.uint64)
    out = np.empty(10_001)
    izh_sfc64_fill(state, out)
    expected = g.random(10_001)
    assert np.array_equal(out, expected)
    assert np.array_equal(state, g.bit_generator.state["state"]["state"])  # state advanced alike
