"""The background-noise streams of the Izhikevich engine: one xoroshiro128+ per neuron.

Every neuron has its own generator (xoroshiro128+, Blackman & Vigna 2018, "Scrambled linear
pseudorandom number generators"; 128 bits of state, period 2**128 - 1), plus one more (row
``N``) for the thalamic input. A neuron's uniform noise in a ms is the next double of its own
generator, so the draws of different neurons are independent computations: the compiled
update vectorises them and a threaded run draws exactly what a single-threaded one does. A draw
becomes a double in [0, 1) from its top 53 bits (the generator's strong bits, its authors' use
for floating point). With thalamic input, generator ``N`` picks the neuron (``floor(N * U)``).

The state is a uint64 array of shape (2, N + 1) (rows s0 and s1), filled from one 64-bit seed
by SplitMix64, the seeding its authors recommend. This module is the plain NumPy version (the
oracle of ``kernels.izh_noise_fill``).
"""

from __future__ import annotations

import numpy as np

_GAMMA = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


def _rotl(x: np.ndarray, k: int) -> np.ndarray:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


def next_words(state: np.ndarray, rows=slice(None)) -> np.ndarray:
    """Advance the generators ``rows`` of ``state`` (2, N + 1) by one; return their outputs."""
    s0, s1 = state[0, rows], state[1, rows]
    with np.errstate(over="ignore"):
        out = s0 + s1
    s1 = s1 ^ s0
    state[0, rows] = _rotl(s0, 24) ^ s1 ^ (s1 << np.uint64(16))
    state[1, rows] = _rotl(s1, 37)
    return out


def unit(w: np.ndarray) -> np.ndarray:
    """Doubles in [0, 1) from the top 53 bits of each word."""
    return (w >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)


def splitmix64(seed: int, count: int) -> np.ndarray:
    """The first ``count`` outputs of SplitMix64 seeded with ``seed`` (uint64)."""
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps modulo 2**64, as intended
        z = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(_GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def seed_state(seed: int, n: int) -> np.ndarray:
    """The (2, n + 1) state of ``n`` neurons and the thalamic generator from a 64-bit seed."""
    state = splitmix64(seed, 2 * (n + 1)).reshape(2, n + 1)
    state[1, (state[0] == 0) & (state[1] == 0)] = 1  # all-zero is the one state never to use
    return state


def start_seed(rng) -> int:
    """The 64-bit seed of the streams, drawn once from ``rng`` (a Generator, SeedSequence or
    int)."""
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**64, dtype=np.uint64, endpoint=False))
    if isinstance(rng, np.random.SeedSequence):
        return int(rng.generate_state(1, np.uint64)[0])
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and 0 <= rng <= _MASK:
        return int(rng)
    raise TypeError(
        f"noise streams: got {type(rng).__name__} {rng!r}; expected a numpy Generator, a "
        "SeedSequence or an integer seed in [0, 2**64)"
    )
