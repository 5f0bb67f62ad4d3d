"""The papers ``spikey replicate`` knows, and the seed rules their plans give experiments."""

from __future__ import annotations

import importlib

#: paper name on the command line -> the package that holds its plan and report
PAPERS = {
    "izhikevich2007": "spikey.experiments.izh2007",
    "florian2007": "spikey.experiments.florian2007",
}


def seed_quorum(experiment: str) -> tuple[str, dict] | None:
    """(paper, {criterion: fraction}) of the plan entry that runs ``experiment`` unchanged
    (no overrides, every seed), or None when no paper's plan does."""
    for paper, module in PAPERS.items():
        pkg = importlib.import_module(module)
        for entry in pkg.PLAN:
            if entry.experiment == experiment and not entry.overrides and entry.seeds == "all":
                found = {c: f for (label, c), f in pkg.SEED_QUORUM.items() if label == entry.label}
                return paper, found
    return None
