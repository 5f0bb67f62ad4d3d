"""Jobs and the serial backend (placeholder until the process/Ray backends land)."""
from __future__ import annotations

from spikey.experiments import registry
from spikey.progress import progress_factory


def parse_seeds(text) -> list[int]:
    """``"0-4"`` -> [0..4]; ``"0,3,7"``; ``"3"`` -> [0, 1, 2] when ``count=True`` is not used."""
    if isinstance(text, int):
        return [text]
    if isinstance(text, (list, tuple)):
        return [int(s) for s in text]
    seeds = []
    for part in str(text).split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-")
            seeds.extend(range(int(lo), int(hi) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def run(experiment, seeds=(0,), config=None, backend="serial", quick=False, progress=False):
    """Run ``experiment`` once per seed; return the JSON-ready summary dict."""
    exp = registry.get(experiment) if isinstance(experiment, str) else experiment
    resolved = exp.resolve(config, quick=quick)
    jobs = []
    for seed in parse_seeds(seeds):
        result = exp.func(resolved, seed, progress_factory(progress))
        jobs.append({"seed": seed, **result.to_dict(), "text": result.text})
    return {"experiment": exp.name, "config": resolved, "config_hash": registry.config_hash(resolved),
            "passed": all(j["passed"] for j in jobs), "jobs": jobs}
