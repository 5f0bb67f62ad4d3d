"""Input encoders: environment state -> input spikes."""

from spikey.snn.input import template
from spikey.snn.input.fields import GaussianFields, OneHotStates
from spikey.snn.input.ratemap import RateMap
from spikey.snn.input.staticmap import StaticMap
from spikey.snn.input.template import Input

__all__ = ["GaussianFields", "Input", "OneHotStates", "RateMap", "StaticMap", "template"]
