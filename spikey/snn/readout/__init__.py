"""Readouts: output spikes -> action."""

from spikey.snn.readout import template
from spikey.snn.readout.neuron_rates import NeuronRates
from spikey.snn.readout.population_choice import PopulationChoice
from spikey.snn.readout.population_vector import PopulationVector
from spikey.snn.readout.template import Readout
from spikey.snn.readout.threshold import Threshold
from spikey.snn.readout.topaction import TopAction

__all__ = [
    "NeuronRates",
    "PopulationChoice",
    "PopulationVector",
    "Readout",
    "Threshold",
    "TopAction",
    "template",
]
