"""``neuron.Neuron`` (defined in :mod:`spikey.snn.neuron.template`)."""

from spikey.snn.neuron.template import REFRACTORY_MV, Neuron

__all__ = ["Neuron", "REFRACTORY_MV"]
