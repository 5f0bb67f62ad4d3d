"""Export a spikey network to NEST or Brian2 and read spikes and weights back.

>>> from spikey.models import izhikevich2007 as izh
>>> from spikey.export import to_nest                      # doctest: +SKIP
>>> net = izh.build("izhikevich2007-delays", seed=0)        # doctest: +SKIP
>>> net.plasticity = False                                   # doctest: +SKIP
>>> same = to_nest(net).run(1000)                           # doctest: +SKIP

The simulators are optional (``pip install 'spikey-snn[crosscheck]'`` for NEST; Brian2 in its
own environment, see ``docs/cross-simulator.md``) and imported only when an export is made.
"""

from __future__ import annotations

__all__ = ["to_brian2", "to_nest"]


def to_nest(net, **options):
    """The network in NEST: see :func:`spikey.export.nest.to_nest`."""
    from spikey.export.nest import to_nest as build

    return build(net, **options)


def to_brian2(net, **options):
    """The network in Brian2: see :func:`spikey.export.brian2.to_brian2`."""
    from spikey.export.brian2 import to_brian2 as build

    return build(net, **options)
