"""Spiking neuron groups."""

from spikey.snn.neuron import template
from spikey.snn.neuron.izhikevich import Izhikevich
from spikey.snn.neuron.rand_potential import RandPotential
from spikey.snn.neuron.template import Neuron

__all__ = ["Izhikevich", "Neuron", "RandPotential", "template"]
