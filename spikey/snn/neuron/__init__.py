"""Spiking neuron groups."""
from spikey.snn.neuron import template
from spikey.snn.neuron.rand_potential import RandPotential
from spikey.snn.neuron.template import Neuron

__all__ = ["Neuron", "RandPotential", "template"]
