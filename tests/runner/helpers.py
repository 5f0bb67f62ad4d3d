"""Functions the runner tests send to worker processes (importable by name there)."""

import numpy as np


def train_func(config):
    """Notebook style: draws from the global numpy RNG, returns metrics and an array."""
    draws = np.random.randint(0, 1000, size=int(config.get("n", 8)))
    return {
        "mean": float(draws.mean()) * config.get("scale", 1.0),
        "first": int(draws[0]),
        "draws": draws,
    }


def train_with_seed(config, seed):
    from spikey.runner.hooks import current_job

    rng = current_job().rng()
    return {"seed_seen": seed, "u": float(rng.random())}


def bad_return(config):
    return [1, 2, 3]
