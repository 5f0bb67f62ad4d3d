"""The networks of Izhikevich (2007), built from a preset name and a seed.

>>> from spikey.models import izhikevich2007 as izh
>>> net = izh.build("izhikevich2007", seed=0, n_exc=8, n_inh=2, syn_per_neuron=3)
>>> spikes = net.run(20)
"""

from __future__ import annotations

from spikey.engine.connectivity import paper_synapses
from spikey.engine.network import IzhNetwork, default_abcd, engine_choice, seed_streams
from spikey.engine.params import PRESETS, resolve

__all__ = ["PRESETS", "build", "restore"]


def build(
    preset: str = "izhikevich2007",
    seed: int = 0,
    mode: str = "stepped",
    engine: str | None = None,
    backend: str | None = None,
    threads: int = 1,
    **overrides,
) -> IzhNetwork:
    """Build a preset network; ``overrides`` replace any preset parameter (see ``engine.params``).

    ``engine`` is "numba" (default) or "reference" (the NumPy oracle); ``backend`` is its
    deprecated old name. ``threads`` > 1 runs the numba engine on that many threads (identical
    results; pays on large networks). The seed gives two independent streams: one draws the connectivity, the other seeds the
    background input's generators (``engine/noise.py``). The same seed always gives the same network and spikes.
    """
    engine = engine_choice(engine, backend)
    p = resolve(preset, **overrides)
    struct_rng, dyn_rng = seed_streams(seed)
    syn = paper_synapses(p, struct_rng)  # the draws of paper_connectivity, in storage order
    net = IzhNetwork(p, syn, default_abcd(p), dyn_rng, mode=mode, engine=engine, threads=threads)
    net.preset = preset
    net.seed = seed
    return net


def restore(checkpoint) -> IzhNetwork:
    """Resume a network from ``net.checkpoint()`` or a file of ``net.save_checkpoint(path)``;
    the continuation is bit-identical."""
    return IzhNetwork.restore(checkpoint)
