"""The compiled Izhikevich engine: delayed synapses, dopamine-modulated STDP, two plasticity modes.

``IzhNetwork`` is the network object (see ``docs/engine-api.md``); presets are built by
:func:`spikey.models.izhikevich2007.build`.
"""

from spikey.engine.network import IzhNetwork, Recording, Spikes
from spikey.engine.params import DEFAULTS, NEURON_TYPES, PRESETS, resolve

__all__ = ["DEFAULTS", "IzhNetwork", "NEURON_TYPES", "PRESETS", "Recording", "Spikes", "resolve"]
