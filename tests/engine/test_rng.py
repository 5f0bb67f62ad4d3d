"""The kernels' building blocks against NumPy: the SFC64 stream and the trace decay table."""
import numpy as np

from spikey.engine.kernels import izh_sfc64_fill
from spikey.engine.network import decay_table


def test_sfc64_kernel_matches_numpy_generator_bitwise():
    g = np.random.Generator(np.random.SFC64(12345))
    state = np.array(g.bit_generator.state["state"]["state"], dtype=np.uint64)
    out = np.empty(10_001)
    izh_sfc64_fill(state, out)
    expected = g.random(10_001)
    assert np.array_equal(out, expected)
    assert np.array_equal(state, g.bit_generator.state["state"]["state"])  # state advanced alike


def test_decay_table_is_repeated_multiplication_and_ends_in_zero():
    tab = decay_table(0.95)
    x = 1.0
    for k in range(1, 200):
        x = x * 0.95
        assert tab[k] == x
    assert tab[-1] == 0.0 and tab[-2] <= 1e-300 < tab[-3]
    assert np.all(np.diff(tab) < 0)
