"""Registered, runnable experiments: ``spikey list`` shows them, ``spikey run NAME`` runs one."""

from spikey.experiments.registry import (
    Criterion,
    Experiment,
    Result,
    config_hash,
    get,
    job_rng,
    job_seed_sequence,
    names,
    register,
    stream,
    stream_seed,
)

__all__ = [
    "Criterion",
    "Experiment",
    "Result",
    "config_hash",
    "get",
    "job_rng",
    "job_seed_sequence",
    "names",
    "register",
    "stream",
    "stream_seed",
]
